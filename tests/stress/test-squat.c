/* test-squat.c: name squatting and other users
 *
 * Scenario 4 of docs/RELIABILITY.md. As root, the test plants objects under
 * the names shmview is about to use, owned by another user (nobody, 65534)
 * or with a mode that lets others write: the segment in /dev/shm (with a
 * valid prefix and channel header, so only the ownership check stands in
 * the way), the POSIX semaphore sem.shmvs-..., and the System V lock
 * semaphore set. Every call must fail with SHMV_ERROR_PERMISSION_DENIED and
 * leave the object exactly as it was (bytes, owner, mode, times), or, for
 * the lock, step around it: also a set that nobody made and then handed to
 * us with IPC_SET (its creator keeps owner rights), and a one-semaphore set.
 * A FIFO, a directory, a symlink or a socket at our segment name (same user)
 * is refused at once by every call, each run in a child under an alarm()
 * watchdog: a FIFO used to block open() for ever. Then a second uid checks
 * that a channel is private unless group sharing was chosen. Without root
 * the cases that need a second uid skip.
 *
 * What it proves, and what breaks it: check_owner() and open_name() in
 * shmv-segment.c, check_ours() in shmv-semaphore.c and open_one() in
 * shmv-syslock.c.
 * Drop any of them and the library opens (and writes into) the planted
 * object, uses a lock its creator controls, or blocks on a FIFO.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "stress-util.h"

#include "shmv-channel-layout.h"
#include "shmv-names.h"
#include "shmv-segment-private.h"
#include "shmv-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY     65534
#define PLANT_SIZE (SHMV_SEGMENT_DATA_OFFSET + 2 * SHMV_CHANNEL_HEADER_SIZE)

static gboolean
skip_unless_root (void)
{
  if (stress_is_root ())
    return FALSE;
  g_test_skip ("needs root to plant objects owned by another user");
  return TRUE;
}

/* What an object looked like: compared before and after. */
typedef struct
{
  struct stat st;
  GBytes *bytes;
} Snapshot;

static void
snapshot_take (Snapshot *s, const char *path)
{
  char *data;
  gsize len;

  g_assert_no_errno (lstat (path, &s->st));
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  s->bytes = g_bytes_new_take (data, len);
}

static void
snapshot_assert_same (Snapshot *before, const char *path)
{
  Snapshot after;

  snapshot_take (&after, path);
  g_assert_cmpuint (after.st.st_ino, ==, before->st.st_ino);
  g_assert_cmpuint (after.st.st_uid, ==, before->st.st_uid);
  g_assert_cmpuint (after.st.st_mode, ==, before->st.st_mode);
  g_assert_cmpint (after.st.st_size, ==, before->st.st_size);
  g_assert_cmpint (after.st.st_mtim.tv_sec, ==, before->st.st_mtim.tv_sec);
  g_assert_cmpint (after.st.st_mtim.tv_nsec, ==, before->st.st_mtim.tv_nsec);
  g_assert_cmpint (after.st.st_ctim.tv_nsec, ==, before->st.st_ctim.tv_nsec);
  g_assert_true (g_bytes_equal (after.bytes, before->bytes));
  g_bytes_unref (after.bytes);
  g_bytes_unref (before->bytes);
}

/* A segment file for @key that looks entirely right (our magic, our key, a
 * channel header) except for its owner or its mode. */
static char *
plant_segment (const char *key, uid_t uid, mode_t mode)
{
  ShmvSegment *seg = shmv_segment_new (key);
  char *path = g_strdup_printf ("/dev/shm%s", shmv_segment_native_key (seg));
  guint8 *data = g_malloc0 (PLANT_SIZE);
  ShmvSegmentPrefix *prefix = (ShmvSegmentPrefix *) data;
  ShmvChannelHeader *header = (ShmvChannelHeader *) (data + SHMV_SEGMENT_DATA_OFFSET);
  int fd;

  shmv_segment_prefix_init (prefix, key, shmv_sysv_key_for (shmv_segment_native_key (seg)));
  memcpy (header->magic, SHMV_CHANNEL_MAGIC, sizeof header->magic);
  header->layout = SHMV_CHANNEL_LAYOUT;
  header->header_size = SHMV_CHANNEL_HEADER_SIZE;
  header->n_slots = SHMV_CHANNEL_SLOTS;
  for (gsize i = SHMV_SEGMENT_DATA_OFFSET + SHMV_CHANNEL_HEADER_SIZE; i < PLANT_SIZE; i++)
    data[i] = (guint8) (i * 13);

  fd = open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  g_assert_no_errno (fd);
  g_assert_cmpint (write (fd, data, PLANT_SIZE), ==, PLANT_SIZE);
  g_assert_no_errno (fchown (fd, uid, uid));
  g_assert_no_errno (fchmod (fd, mode));
  close (fd);
  g_free (data);
  shmv_segment_free (seg);
  return path;
}

static void
assert_denied (ShmvError code, const char *message)
{
  g_assert_cmpint (code, ==, SHMV_ERROR_PERMISSION_DENIED);
  g_assert_true (strstr (message, "another user") != NULL || strstr (message, "open to") != NULL);
}

/* Every way in: writer, reader, raw segment create and attach. */
static void
assert_segment_refused (const char *key)
{
  ShmvChannel *ch = shmv_channel_new (key);
  ShmvSegment *seg = shmv_segment_new (key);

  g_assert_false (shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0));
  assert_denied (shmv_channel_error (ch), shmv_channel_error_string (ch));
  g_assert_false (shmv_channel_open (ch, SHMV_CHANNEL_READER, 0));
  assert_denied (shmv_channel_error (ch), shmv_channel_error_string (ch));
  g_assert_false (shmv_segment_create (seg, 4096, SHMV_ACCESS_READ_WRITE));
  assert_denied (shmv_segment_error (seg), shmv_segment_error_string (seg));
  g_assert_false (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  assert_denied (shmv_segment_error (seg), shmv_segment_error_string (seg));
  g_assert_false (shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY));
  assert_denied (shmv_segment_error (seg), shmv_segment_error_string (seg));
  shmv_segment_free (seg);
  shmv_channel_free (ch);
}

static void
check_planted_segment (uid_t uid, mode_t mode, gboolean removable)
{
  g_autofree char *key = shmv_test_unique_key ("squat-segment");
  g_autofree char *path = NULL;
  ShmvChannel *ch;
  Snapshot before;

  if (skip_unless_root ())
    return;
  stress_register_key (key);
  path = plant_segment (key, uid, mode);
  snapshot_take (&before, path);
  assert_segment_refused (key);
  /* Someone else's object is not ours to remove either. */
  ch = shmv_channel_new (key);
  if (!removable)
    {
      g_assert_false (shmv_channel_remove (ch));
      g_assert_cmpint (shmv_channel_error (ch), ==, SHMV_ERROR_PERMISSION_DENIED);
    }
  shmv_channel_free (ch);
  snapshot_assert_same (&before, path);
  g_assert_no_errno (unlink (path));
}

static void
test_segment_owned_by_nobody (void)
{
  check_planted_segment (NOBODY, 0600, FALSE);
}

static void
test_segment_world_writable (void)
{
  check_planted_segment (0, 0666, TRUE);
}

static void
test_segment_group_writable (void)
{
  check_planted_segment (0, 0660, TRUE);
}

static void
test_segment_world_readable (void)
{
  check_planted_segment (0, 0644, TRUE);
}

/* A POSIX semaphore made by another user: created by a child running as
 * that user, so it is a real one. */
static int
make_semaphore_main (gpointer data)
{
  sem_t *sem;

  if (setresgid (NOBODY, NOBODY, NOBODY) < 0 || setresuid (NOBODY, NOBODY, NOBODY) < 0)
    return 1;
  sem = sem_open (data, O_CREAT | O_EXCL, 0600, 3);
  return sem == SEM_FAILED ? 2 : 0;
}

static char *
plant_semaphore (const char *key, gboolean as_nobody)
{
  char native[SHMV_NATIVE_NAME_SIZE];
  sem_t *sem;

  shmv_native_name (native, SHMV_SEMAPHORE_PREFIX, key, geteuid ());
  if (as_nobody)
    g_assert_cmpint (stress_wait (stress_fork (make_semaphore_main, native), 5000), ==, 0);
  else
    {
      g_autofree char *path = g_strdup_printf ("/dev/shm/sem.%s", native + 1);

      sem = sem_open (native, O_CREAT | O_EXCL, 0600, 3);
      g_assert_true (sem != SEM_FAILED);
      sem_close (sem);
      g_assert_no_errno (chmod (path, 0666));
    }
  return g_strdup_printf ("/dev/shm/sem.%s", native + 1);
}

static void
check_planted_semaphore (gboolean as_nobody)
{
  g_autofree char *key = shmv_test_unique_key ("squat-sem");
  g_autofree char *path = NULL;
  Snapshot before;

  if (skip_unless_root ())
    return;
  path = plant_semaphore (key, as_nobody);
  snapshot_take (&before, path);
  for (int mode = SHMV_SEMAPHORE_OPEN; mode <= SHMV_SEMAPHORE_CREATE; mode++)
    {
      ShmvSemaphore *sem = shmv_semaphore_new (key);

      g_assert_false (shmv_semaphore_open (sem, 1, (ShmvSemaphoreMode) mode));
      g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_PERMISSION_DENIED);
      g_assert_false (shmv_semaphore_release (sem, 1));
      shmv_semaphore_free (sem);
    }
  snapshot_assert_same (&before, path);
  g_assert_no_errno (unlink (path));
}

static void
test_semaphore_owned_by_nobody (void)
{
  check_planted_semaphore (TRUE);
}

static void
test_semaphore_world_writable (void)
{
  check_planted_semaphore (FALSE);
}

/* A System V set under the lock's key, owned by nobody and "held" (value
 * 1): using it would block every writer for ever. */
static int
plant_lock (key_t key, uid_t uid, mode_t mode)
{
  struct semid_ds ds = { 0 };
  unsigned short values[2] = { 1, 1 };
  int semid = semget (key, 2, IPC_CREAT | IPC_EXCL | 0600);

  g_assert_no_errno (semid);
  g_assert_no_errno (semctl (semid, 0, SETALL, values));
  g_assert_no_errno (semctl (semid, 0, IPC_STAT, &ds));
  ds.sem_perm.uid = uid;
  ds.sem_perm.mode = mode;
  g_assert_no_errno (semctl (semid, 0, IPC_SET, &ds));
  return semid;
}

static void
assert_lock_untouched (int semid, uid_t uid, mode_t mode)
{
  struct semid_ds ds;
  unsigned short values[2];

  g_assert_no_errno (semctl (semid, 0, IPC_STAT, &ds));
  g_assert_cmpuint (ds.sem_perm.uid, ==, uid);
  g_assert_cmpuint (ds.sem_perm.mode & 0777, ==, mode);
  g_assert_no_errno (semctl (semid, 0, GETALL, values));
  g_assert_cmpuint (values[0], ==, 1);
  g_assert_cmpuint (values[1], ==, 1);
}

static void
check_planted_lock (uid_t uid, mode_t mode)
{
  g_autofree char *key = shmv_test_unique_key ("squat-lock");
  ShmvSegment *seg = shmv_segment_new (key);
  key_t lock_key = shmv_sysv_key_for (shmv_segment_native_key (seg));
  gpointer scratch = g_malloc (64 * 64 * 4);
  ShmvChannel *writer;
  int semid, ours;

  if (skip_unless_root ())
    {
      shmv_segment_free (seg);
      g_free (scratch);
      return;
    }
  stress_register_key (key);
  semid = plant_lock (lock_key, uid, mode);
  /* The writer steps to the next key and works as usual. */
  writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_assert_true (stress_publish (writer, 64, 64, 4, scratch));
  ours = stress_lock_key_of (key);
  g_assert_cmpint (ours, !=, lock_key);
  shmv_channel_free (writer);
  stress_assert_nothing_left (key, ours);
  assert_lock_untouched (semid, uid, mode);
  g_assert_no_errno (semctl (semid, 0, IPC_RMID));
  shmv_segment_free (seg);
  g_free (scratch);
}

static void
test_lock_owned_by_nobody (void)
{
  check_planted_lock (NOBODY, 0600);
}

static void
test_lock_world_writable (void)
{
  check_planted_lock (0, 0666);
}

/* Every key the lock may step to is taken: a clear error, nothing left. */
static void
test_every_lock_key_taken (void)
{
  g_autofree char *key = shmv_test_unique_key ("squat-all-locks");
  ShmvSegment *seg = shmv_segment_new (key);
  key_t first = shmv_sysv_key_for (shmv_segment_native_key (seg));
  ShmvChannel *writer = shmv_channel_new (key);
  int semids[16];

  if (skip_unless_root ())
    {
      shmv_channel_free (writer);
      shmv_segment_free (seg);
      return;
    }
  stress_register_key (key);
  for (int i = 0; i < 16; i++)
    semids[i] = plant_lock (first + i, NOBODY, 0600);
  g_assert_false (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  g_assert_cmpint (shmv_channel_error (writer), ==, SHMV_ERROR_PERMISSION_DENIED);
  g_test_message ("%s", shmv_channel_error_string (writer));
  g_assert_false (shmv_test_shm_exists (shmv_segment_native_key (seg)));
  for (int i = 0; i < 16; i++)
    {
      assert_lock_untouched (semids[i], NOBODY, 0600);
      g_assert_no_errno (semctl (semids[i], 0, IPC_RMID));
    }
  shmv_channel_free (writer);
  shmv_segment_free (seg);
}

/* A set planted at our lock key by nobody, "held" (1, 1), then handed to us
 * with IPC_SET (sem_perm.uid = ours): its creator keeps owner rights on it
 * (it could hold it, SETVAL it, remove it), so it is not ours either. Using
 * it would block every locker. */
typedef struct
{
  key_t key;
  uid_t to;
} Handover;

static int
hand_over_main (gpointer data)
{
  Handover *h = data;
  unsigned short values[2] = { 1, 1 };
  struct semid_ds ds;
  int semid;

  if (setresgid (NOBODY, NOBODY, NOBODY) < 0 || setresuid (NOBODY, NOBODY, NOBODY) < 0)
    return 1;
  semid = semget (h->key, 2, IPC_CREAT | IPC_EXCL | 0600);
  if (semid < 0)
    return 2;
  if (semctl (semid, 0, SETALL, values) < 0 || semctl (semid, 0, IPC_STAT, &ds) < 0)
    return 3;
  ds.sem_perm.uid = h->to;
  return semctl (semid, 0, IPC_SET, &ds) < 0 ? 4 : 0;
}

static int
plant_handed_over_lock (key_t key)
{
  Handover h = { key, geteuid () };
  struct semid_ds ds;
  int semid;

  g_assert_cmpint (stress_wait (stress_fork (hand_over_main, &h), 5000), ==, 0);
  semid = semget (key, 0, 0);
  g_assert_no_errno (semid);
  g_assert_no_errno (semctl (semid, 0, IPC_STAT, &ds));
  g_assert_cmpuint (ds.sem_perm.uid, ==, geteuid ());
  g_assert_cmpuint (ds.sem_perm.cuid, ==, NOBODY);
  return semid;
}

static void
assert_set_alive (int semid, key_t key)
{
  struct semid_ds ds;

  g_assert_no_errno (semctl (semid, 0, IPC_STAT, &ds));
  g_assert_cmpint (ds.sem_perm.__key, ==, key);
}

static void
assert_set_still_held (int semid)
{
  unsigned short values[2];

  g_assert_no_errno (semctl (semid, 0, GETALL, values));
  g_assert_cmpuint (values[0], ==, 1);
  g_assert_cmpuint (values[1], ==, 1);
}

static void
test_lock_handed_over_by_its_creator (void)
{
  g_autofree char *key = shmv_test_unique_key ("squat-handover");
  g_autofree char *path = NULL;
  ShmvSegment *seg = shmv_segment_new (key);
  key_t lock_key = shmv_sysv_key_for (shmv_segment_native_key (seg));
  gpointer scratch = g_malloc (64 * 64 * 4);
  ShmvChannel *writer;
  int semid, ours;

  if (skip_unless_root ())
    {
      shmv_segment_free (seg);
      g_free (scratch);
      return;
    }
  stress_register_key (key);
  semid = plant_handed_over_lock (lock_key);
  /* Create and publish step over it (with it, a held set would block us). */
  writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_assert_true (stress_publish (writer, 64, 64, 4, scratch));
  ours = stress_lock_key_of (key);
  g_assert_cmpint (ours, !=, lock_key);
  shmv_channel_free (writer);
  stress_assert_nothing_left (key, ours);
  assert_set_alive (semid, lock_key);
  /* A segment whose prefix names it: attach refuses to use it as the lock,
   * and remove never removes it. */
  path = plant_segment (key, geteuid (), 0600);
  g_assert_false (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_PERMISSION_DENIED);
  g_assert_true (shmv_segment_remove (seg));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  assert_set_alive (semid, lock_key);
  assert_set_still_held (semid);
  g_assert_no_errno (semctl (semid, 0, IPC_RMID));
  shmv_segment_free (seg);
  g_free (scratch);
}

/* A one-semaphore set at the lock key (ours or anyone's): semget() for two
 * semaphores fails with EINVAL on it; it is not a lock, so it is stepped
 * over like any set we cannot use. */
static void
test_lock_key_holds_a_one_semaphore_set (void)
{
  g_autofree char *key = shmv_test_unique_key ("squat-one-sem");
  ShmvSegment *seg = shmv_segment_new (key);
  key_t lock_key = shmv_sysv_key_for (shmv_segment_native_key (seg));
  gpointer scratch = g_malloc (64 * 64 * 4);
  ShmvChannel *writer;
  int semid, ours;

  stress_register_key (key);
  semid = semget (lock_key, 1, IPC_CREAT | IPC_EXCL | 0600);
  g_assert_no_errno (semid);
  writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_assert_true (stress_publish (writer, 64, 64, 4, scratch));
  ours = stress_lock_key_of (key);
  g_assert_cmpint (ours, !=, lock_key);
  shmv_channel_free (writer);
  stress_assert_nothing_left (key, ours);
  g_assert_true (shmv_segment_create (seg, 4096, SHMV_ACCESS_READ_WRITE));
  g_assert_true (shmv_segment_remove (seg));
  assert_set_alive (semid, lock_key);
  g_assert_no_errno (semctl (semid, 0, IPC_RMID));
  shmv_segment_free (seg);
  g_free (scratch);
}

/* Names taken, by the same user, by something that is not a segment file:
 * every call is refused at once, never blocks, never follows a link, and
 * says what is in the way. */
typedef enum
{
  CALL_ATTACH_RW,
  CALL_ATTACH_RO,
  CALL_CREATE,
  CALL_REMOVE,
  CALL_REMOVE_UNUSED,
  CALL_WRITER,
  CALL_READER,
  N_CALLS
} Call;

static const char *const call_names[N_CALLS] = {
  "attach read-write", "attach read-only", "create",      "remove",
  "remove_unused",     "open writer",      "open reader",
};

typedef struct
{
  const char *key;
  Call call;
  const char *kind;
} SquatCall;

static int
squat_call_main (gpointer data)
{
  SquatCall *c = data;
  ShmvSegment *seg = shmv_segment_new (c->key);
  ShmvChannel *ch = shmv_channel_new (c->key);
  gboolean is_channel = c->call >= CALL_WRITER;
  gboolean ok = FALSE;
  const char *message;
  ShmvError code;

  /* The watchdog: a call that blocks dies of SIGALRM. */
  alarm (10);
  switch (c->call)
    {
    case CALL_ATTACH_RW:
      ok = shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE);
      break;
    case CALL_ATTACH_RO:
      ok = shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY);
      break;
    case CALL_CREATE:
      ok = shmv_segment_create (seg, 4096, SHMV_ACCESS_READ_WRITE);
      break;
    case CALL_REMOVE:
      ok = shmv_segment_remove (seg);
      break;
    case CALL_REMOVE_UNUSED:
      ok = shmv_segment_remove_unused (seg);
      break;
    case CALL_WRITER:
      ok = shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0);
      break;
    case CALL_READER:
      ok = shmv_channel_open (ch, SHMV_CHANNEL_READER, 0);
      break;
    case N_CALLS:
      g_assert_not_reached ();
    }
  code = is_channel ? shmv_channel_error (ch) : shmv_segment_error (seg);
  message = is_channel ? shmv_channel_error_string (ch) : shmv_segment_error_string (seg);
  g_printerr ("# %s on a %s: %s\n", call_names[c->call], c->kind, message);
  if (ok)
    return 1;
  if (code != SHMV_ERROR_PERMISSION_DENIED)
    return 2;
  if (strstr (message, c->kind) == NULL || strstr (message, "not ours") == NULL)
    return 3;
  return 0;
}

static void
check_name_taken (const char *what, const char *kind, void (*make) (const char *path))
{
  g_autofree char *key = shmv_test_unique_key (what);
  ShmvSegment *seg = shmv_segment_new (key);
  g_autofree char *path = g_strdup_printf ("/dev/shm%s", shmv_segment_native_key (seg));
  struct stat before, after;
  int failures = 0;

  /* Not registered: the cleanup of a failed run would open the name too. */
  make (path);
  g_assert_no_errno (lstat (path, &before));
  for (int call = 0; call < N_CALLS; call++)
    {
      SquatCall c = { key, (Call) call, kind };
      int status = stress_wait (stress_fork (squat_call_main, &c), 30000);

      if (WIFSIGNALED (status))
        g_test_message ("%s on a %s: blocked (killed by signal %d)", call_names[call], kind,
                        WTERMSIG (status));
      else if (WIFEXITED (status) && WEXITSTATUS (status) != 0)
        g_test_message ("%s on a %s: wrong outcome %d", call_names[call], kind,
                        WEXITSTATUS (status));
      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        failures++;
    }
  g_assert_cmpint (failures, ==, 0);
  /* Whatever is in the way stays as it was. */
  g_assert_no_errno (lstat (path, &after));
  g_assert_cmpuint (after.st_ino, ==, before.st_ino);
  g_assert_cmpuint (after.st_mode, ==, before.st_mode);
  g_assert_no_errno (remove (path));
  shmv_segment_free (seg);
}

static void
make_fifo (const char *path)
{
  g_assert_no_errno (mkfifo (path, 0600));
}

static void
make_directory (const char *path)
{
  g_assert_no_errno (mkdir (path, 0700));
}

static void
make_symlink (const char *path)
{
  g_assert_no_errno (symlink ("/dev/null", path));
}

static void
make_socket (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_no_errno (fd);
  g_strlcpy (addr.sun_path, path, sizeof addr.sun_path);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, sizeof addr));
  close (fd);
}

static void
test_name_taken_by_fifo (void)
{
  check_name_taken ("squat-fifo", "FIFO", make_fifo);
}

static void
test_name_taken_by_directory (void)
{
  check_name_taken ("squat-dir", "directory", make_directory);
}

static void
test_name_taken_by_symlink (void)
{
  check_name_taken ("squat-symlink", "symbolic link", make_symlink);
}

static void
test_name_taken_by_socket (void)
{
  check_name_taken ("squat-socket", "socket", make_socket);
}

/* What a child running as nobody managed to do with root's channel. */
enum
{
  RAW_OPEN_OK = 1 << 0,
  READ_OK = 1 << 1,
  DENIED = 1 << 2,
  NOT_FOUND = 1 << 3,
  REMOVED = 1 << 4,
  WRITE_OK = 1 << 5,
};

typedef struct
{
  const char *key;
  const char *native;
  gboolean in_owner_group;
  guint64 checksum;
} Visitor;

static int
visit (Visitor *v)
{
  ShmvChannel *theirs = shmv_channel_new (v->key);
  ShmvChannel *own = shmv_channel_new (v->key);
  gpointer buf = NULL;
  gsize cap = 0;
  ShmvFrameInfo info;
  int fd, result = 0;

  fd = shm_open (v->native, O_RDONLY, 0);
  if (fd >= 0)
    result |= RAW_OPEN_OK;
  if (fd >= 0)
    close (fd);
  fd = shm_open (v->native, O_RDWR, 0);
  if (fd >= 0)
    result |= WRITE_OK;
  if (fd >= 0)
    close (fd);
  if (shm_unlink (v->native) == 0)
    result |= REMOVED;
  shmv_channel_set_owner (theirs, 0);
  if (shmv_channel_open (theirs, SHMV_CHANNEL_READER, 0))
    {
      if (shmv_channel_read (theirs, &buf, &cap, &info) && info.checksum == v->checksum)
        result |= READ_OK;
    }
  else if (shmv_channel_error (theirs) == SHMV_ERROR_PERMISSION_DENIED)
    result |= DENIED;
  /* The same key in nobody's own namespace is another channel. */
  if (!shmv_channel_open (own, SHMV_CHANNEL_READER, 0) &&
      shmv_channel_error (own) == SHMV_ERROR_NOT_FOUND)
    result |= NOT_FOUND;
  g_free (buf);
  shmv_channel_free (own);
  shmv_channel_free (theirs);
  return result;
}

static int
visitor_main (gpointer data)
{
  Visitor *v = data;
  gid_t root_group = 0;

  if ((v->in_owner_group ? setgroups (1, &root_group) : setgroups (0, NULL)) < 0 ||
      setresgid (NOBODY, NOBODY, NOBODY) < 0 || setresuid (NOBODY, NOBODY, NOBODY) < 0)
    return 0x80;
  return visit (v);
}

static int
run_visitor (const char *key, ShmvSharing sharing, gboolean in_owner_group)
{
  ShmvChannel *writer = shmv_channel_new (key);
  gpointer scratch = g_malloc (64 * 64 * 4);
  ShmvFrameInfo info;
  Visitor v;
  int status;

  g_assert_true (shmv_channel_set_sharing (writer, sharing));
  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  g_assert_true (stress_publish (writer, 64, 64, 8, scratch));
  g_assert_true (shmv_channel_get_info (writer, &info));
  v = (Visitor){ key, shmv_channel_native_key (writer), in_owner_group, info.checksum };
  status = stress_wait (stress_fork (visitor_main, &v), 10000);
  g_assert_true (WIFEXITED (status));
  /* Whatever the visitor did, the owner's frame is intact. */
  g_assert_true (shmv_channel_get_info (writer, &info));
  shmv_channel_free (writer);
  g_free (scratch);
  return WEXITSTATUS (status);
}

static void
test_other_user_cannot_attach (void)
{
  g_autofree char *key = shmv_test_unique_key ("squat-private");

  if (skip_unless_root ())
    return;
  stress_register_key (key);
  /* Even a member of the owner's group: the channel is private (0600). */
  g_assert_cmpint (run_visitor (key, SHMV_SHARING_USER, TRUE), ==, DENIED | NOT_FOUND);
  g_assert_cmpint (run_visitor (key, SHMV_SHARING_USER, FALSE), ==, DENIED | NOT_FOUND);
  stress_assert_nothing_left (key, -1);
}

static void
test_group_sharing_is_read_only_and_group_only (void)
{
  g_autofree char *key = shmv_test_unique_key ("squat-group");

  if (skip_unless_root ())
    return;
  stress_register_key (key);
  g_assert_cmpint (run_visitor (key, SHMV_SHARING_GROUP, TRUE), ==,
                   RAW_OPEN_OK | READ_OK | NOT_FOUND);
  g_assert_cmpint (run_visitor (key, SHMV_SHARING_GROUP, FALSE), ==, DENIED | NOT_FOUND);
  stress_assert_nothing_left (key, -1);
}

typedef struct
{
  const char *key;
  int to_parent;
  int from_parent;
} GroupReader;

static int
group_reader_main (gpointer data)
{
  GroupReader *g = data;
  ShmvChannel *reader = shmv_channel_new (g->key);
  gid_t root_group = 0;
  char c = 'R';

  if (setgroups (1, &root_group) < 0 || setresgid (NOBODY, NOBODY, NOBODY) < 0 ||
      setresuid (NOBODY, NOBODY, NOBODY) < 0)
    return 1;
  shmv_channel_set_owner (reader, 0);
  if (!shmv_channel_open (reader, SHMV_CHANNEL_READER, 0) || !shmv_channel_get_info (reader, NULL))
    return 2;
  /* Attached; now the owner leaves first, then we do. */
  if (write (g->to_parent, &c, 1) != 1 || read (g->from_parent, &c, 1) != 1)
    return 3;
  shmv_channel_free (reader);
  return 0;
}

/* The owner's writer closes while a group reader is still attached, then
 * the reader closes. The owner could not remove the channel (another handle
 * was attached) and the group reader cannot (/dev/shm is sticky: only a
 * file's owner unlinks it), so it stays, unused; the owner's garbage
 * collection (shmview-ctl gc) removes it, and so would its next create(). */
static void
test_group_reader_last_to_leave (void)
{
  g_autofree char *key = shmv_test_unique_key ("squat-group-last");
  ShmvChannel *writer = shmv_channel_new (key);
  gpointer scratch = g_malloc (64 * 64 * 4);
  int up[2], down[2];
  GroupReader g;
  char c;
  pid_t pid;

  if (skip_unless_root ())
    {
      shmv_channel_free (writer);
      g_free (scratch);
      return;
    }
  stress_register_key (key);
  g_assert_no_errno (pipe (up));
  g_assert_no_errno (pipe (down));
  g_assert_true (shmv_channel_set_sharing (writer, SHMV_SHARING_GROUP));
  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  g_assert_true (stress_publish (writer, 64, 64, 8, scratch));
  g = (GroupReader){ key, up[1], down[0] };
  pid = stress_fork (group_reader_main, &g);
  g_assert_cmpint (read (up[0], &c, 1), ==, 1);
  shmv_channel_free (writer);
  g_assert_cmpint (write (down[1], "x", 1), ==, 1);
  g_assert_cmpint (stress_wait (pid, 5000), ==, 0);
  writer = shmv_channel_new (key);
  g_assert_true (shmv_test_shm_exists (shmv_channel_native_key (writer)));
  g_assert_true (shmv_channel_remove_unused (writer));
  stress_assert_nothing_left (key, -1);
  shmv_channel_free (writer);
  for (int i = 0; i < 2; i++)
    close (up[i]), close (down[i]);
  g_free (scratch);
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stress/squat/segment-owned-by-nobody", test_segment_owned_by_nobody);
  g_test_add_func ("/stress/squat/segment-mode-0666", test_segment_world_writable);
  g_test_add_func ("/stress/squat/segment-mode-0660", test_segment_group_writable);
  g_test_add_func ("/stress/squat/segment-mode-0644", test_segment_world_readable);
  g_test_add_func ("/stress/squat/semaphore-owned-by-nobody", test_semaphore_owned_by_nobody);
  g_test_add_func ("/stress/squat/semaphore-mode-0666", test_semaphore_world_writable);
  g_test_add_func ("/stress/squat/lock-owned-by-nobody", test_lock_owned_by_nobody);
  g_test_add_func ("/stress/squat/lock-mode-0666", test_lock_world_writable);
  g_test_add_func ("/stress/squat/every-lock-key-taken", test_every_lock_key_taken);
  g_test_add_func ("/stress/squat/lock-handed-over-by-its-creator",
                   test_lock_handed_over_by_its_creator);
  g_test_add_func ("/stress/squat/lock-key-holds-one-semaphore-set",
                   test_lock_key_holds_a_one_semaphore_set);
  g_test_add_func ("/stress/squat/name-taken-by-fifo", test_name_taken_by_fifo);
  g_test_add_func ("/stress/squat/name-taken-by-directory", test_name_taken_by_directory);
  g_test_add_func ("/stress/squat/name-taken-by-symlink", test_name_taken_by_symlink);
  g_test_add_func ("/stress/squat/name-taken-by-socket", test_name_taken_by_socket);
  g_test_add_func ("/stress/squat/other-user-cannot-attach", test_other_user_cannot_attach);
  g_test_add_func ("/stress/squat/group-sharing-read-only-group-only",
                   test_group_sharing_is_read_only_and_group_only);
  g_test_add_func ("/stress/squat/group-reader-last-to-leave", test_group_reader_last_to_leave);
  result = g_test_run ();
  stress_cleanup ();
  return result;
}
