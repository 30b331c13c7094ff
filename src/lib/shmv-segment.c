/* shmv-segment.c: named shared-memory segments
 *
 * The rules that make segments leak-free and crash-safe, in one place:
 * - every attached handle holds a shared OFD lock on byte 0 of its own open
 *   file (shmv-ofd.h); the kernel drops it when the process dies;
 * - whoever gets an exclusive lock on that byte is alone: a detaching handle
 *   that gets it removes the segment unless it is persistent; create() that
 *   gets it on an existing segment reclaims it when the users all died and it
 *   is not persistent, or when its prefix is damaged;
 * - a segment is made nameless (O_TMPFILE), filled, and only then linked
 *   under its name, which fails if the name exists: nobody ever opens a
 *   half-made segment, and a creator killed before the link leaves nothing;
 * - its mode is set with fchmod(), so the umask never decides it;
 * - a name is opened with O_NOFOLLOW and O_NONBLOCK and must hold a regular
 *   file of ours: a link, a FIFO, a directory or a socket planted there is
 *   refused at once (a FIFO would otherwise block open() for ever);
 * - after locking, an attacher checks that the name still points at the file
 *   it opened: it may have been removed, and made again, meanwhile.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "shmv-segment-private.h"

#include "shmv-checksum.h"
#include "shmv-names.h"
#include "shmv-ofd.h"
#include "shmv-syslock.h"
#include "shmv-test-point.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* How long attach() waits while a remover or reclaimer holds byte 0 (for
 * microseconds, unless someone hostile holds it). */
#define INIT_WAIT_MS 2000
/* Where shm_open() keeps its objects on Linux. */
#define SHMV_SHM_DIR   "/dev/shm"
#define SHMV_PATH_SIZE 64

struct ShmvSegment
{
  char *key; /* "" when none */
  size_t key_len;
  uint64_t key_hash; /* key_hash () of key */
  char native_key[SHMV_NATIVE_NAME_SIZE];
  uid_t owner;         /* whose segment: the effective uid unless set */
  ShmvSharing sharing; /* for create() */
  int fd;
  bool fd_writable;
  ShmvAccess access;
  uint8_t *map; /* the whole file, prefix included */
  size_t map_size;
  ShmvSysLock lock;
  ShmvStatus status;
};

static size_t
page_round (size_t size)
{
  size_t page = (size_t) sysconf (_SC_PAGESIZE);

  return (size + page - 1) / page * page;
}

static bool
fail (ShmvSegment *seg, ShmvError code, const char *what)
{
  char shown[SHMV_KEY_SHOWN_SIZE];

  shmv_status_set (&seg->status, code, "segment “%s”: %s", shmv_key_for_message (shown, seg->key),
                   what);
  return false;
}

static bool
fail_errno (ShmvSegment *seg, int err, const char *what)
{
  char shown[SHMV_KEY_SHOWN_SIZE];

  shmv_status_set_errno (&seg->status, err, "segment “%s”: %s",
                         shmv_key_for_message (shown, seg->key), what);
  return false;
}

/* A failed semaphore operation: the errno's words, but always a LOCK error. */
static bool
fail_lock (ShmvSegment *seg, int err, const char *what)
{
  fail_errno (seg, err, what);
  seg->status.code = SHMV_ERROR_LOCK;
  return false;
}

static bool
succeed (ShmvSegment *seg)
{
  shmv_status_clear (&seg->status);
  return true;
}

/* The second hash of a key, stored in the prefix beside the one its name is
 * made of: salted, so that it is independent of it, and a key whose name
 * collides with ours is still told apart. */
static uint64_t
key_hash (const char *key, size_t len)
{
  static const char salt[] = "shmv-segment-key";
  ShmvNameHasher hasher;

  shmv_name_hasher_init (&hasher);
  shmv_name_hasher_update (&hasher, salt, sizeof salt);
  shmv_name_hasher_update (&hasher, key, len);
  return shmv_name_hasher_finish (&hasher);
}

/* How many bytes of a key of @len bytes the prefix stores: all of it if
 * they fit, else as many as fit without cutting a character in two. */
static size_t
stored_key_len (const char *key, size_t len)
{
  return shmv_utf8_cut (key, len, SHMV_KEY_STORED_MAX);
}

/* The check of every prefix field but the flags (which change in use). */
static uint64_t
prefix_check (const ShmvSegmentPrefix *prefix)
{
  ShmvNameHasher hasher;

  shmv_name_hasher_init (&hasher);
  shmv_name_hasher_update (&hasher, &prefix->layout, sizeof prefix->layout);
  shmv_name_hasher_update (&hasher, &prefix->lock_key,
                           offsetof (ShmvSegmentPrefix, check) -
                               offsetof (ShmvSegmentPrefix, lock_key));
  shmv_name_hasher_update (&hasher, prefix->key, strnlen (prefix->key, sizeof prefix->key));
  return shmv_name_hasher_finish (&hasher);
}

void
shmv_segment_prefix_init (ShmvSegmentPrefix *prefix, const char *key, key_t lock_key)
{
  size_t len = strlen (key), stored = stored_key_len (key, len);

  memcpy (prefix->magic, SHMV_SEGMENT_MAGIC, sizeof prefix->magic);
  prefix->layout = SHMV_SEGMENT_LAYOUT;
  prefix->lock_key = lock_key;
  prefix->key_len = (uint32_t) len;
  prefix->name_hash = shmv_key_name_hash (key);
  prefix->key_hash = key_hash (key, len);
  memset (prefix->key, 0, sizeof prefix->key);
  memcpy (prefix->key, key, stored);
  shmv_segment_prefix_seal (prefix);
}

void
shmv_segment_prefix_seal (ShmvSegmentPrefix *prefix)
{
  prefix->check = prefix_check (prefix);
}

ShmvSegment *
shmv_segment_new (const char *key)
{
  ShmvSegment *seg = calloc (1, sizeof *seg);

  if (seg == NULL)
    return NULL;
  seg->fd = -1;
  seg->owner = geteuid ();
  seg->lock = (ShmvSysLock) SHMV_SYSLOCK_INIT;
  seg->key = strdup ("");
  if (seg->key == NULL)
    {
      free (seg);
      return NULL;
    }
  shmv_segment_set_key (seg, key);
  return seg;
}

void
shmv_segment_free (ShmvSegment *seg)
{
  if (seg == NULL)
    return;
  shmv_segment_detach (seg);
  free (seg->key);
  free (seg);
}

bool
shmv_segment_set_key (ShmvSegment *seg, const char *key)
{
  char *copy;

  shmv_segment_detach (seg);
  if (key == NULL)
    key = "";
  if (key[0] != '\0' && !shmv_key_is_valid (key))
    {
      shmv_status_set (&seg->status, SHMV_ERROR_KEY, "invalid key: it must be UTF-8");
      return false;
    }
  copy = strdup (key);
  if (copy == NULL)
    return fail_errno (seg, ENOMEM, "cannot store the key");
  free (seg->key);
  seg->key = copy;
  seg->key_len = strlen (key);
  seg->key_hash = key_hash (key, seg->key_len);
  seg->native_key[0] = '\0';
  if (key[0] != '\0')
    shmv_native_name (seg->native_key, SHMV_SEGMENT_PREFIX, key, seg->owner);
  return succeed (seg);
}

bool
shmv_segment_set_owner (ShmvSegment *seg, uid_t owner)
{
  char *key = strdup (seg->key);
  bool ok;

  if (key == NULL)
    return fail_errno (seg, ENOMEM, "cannot store the key");
  seg->owner = owner;
  ok = shmv_segment_set_key (seg, key); /* detaches, renames */
  free (key);
  return ok;
}

uid_t
shmv_segment_owner (const ShmvSegment *seg)
{
  return seg->owner;
}

bool
shmv_segment_set_sharing (ShmvSegment *seg, ShmvSharing sharing)
{
  if (sharing != SHMV_SHARING_USER && sharing != SHMV_SHARING_GROUP)
    return fail (seg, SHMV_ERROR_INVALID_ARGUMENT, "unknown sharing mode");
  seg->sharing = sharing;
  return succeed (seg);
}

const char *
shmv_segment_key (const ShmvSegment *seg)
{
  return seg->key;
}

const char *
shmv_segment_native_key (const ShmvSegment *seg)
{
  return seg->native_key;
}

static bool
check_key (ShmvSegment *seg)
{
  if (seg->key[0] == '\0')
    {
      shmv_status_set (&seg->status, SHMV_ERROR_KEY, "no key set");
      return false;
    }
  return true;
}

/* The file behind a POSIX shared-memory name: on Linux, shm_open() opens
 * /dev/shm/NAME, and creating with O_TMPFILE and link() needs the path. */
static void
shm_path (char out[SHMV_PATH_SIZE], const char *name)
{
  snprintf (out, SHMV_PATH_SIZE, SHMV_SHM_DIR "%s", name);
}

static const char *
file_kind (mode_t mode)
{
  if (S_ISDIR (mode))
    return "a directory";
  if (S_ISLNK (mode))
    return "a symbolic link";
  if (S_ISFIFO (mode))
    return "a FIFO";
  if (S_ISSOCK (mode))
    return "a socket";
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return "a device";
  return "a file of an unknown type";
}

static bool
fail_not_a_segment_file (ShmvSegment *seg, mode_t mode)
{
  char what[64];

  snprintf (what, sizeof what, "its name is taken by %s that is not ours", file_kind (mode));
  return fail (seg, SHMV_ERROR_PERMISSION_DENIED, what);
}

/* Opens the file of our name, if it is a regular file: never following a
 * link, never blocking (open() of a FIFO waits for a writer). Returns the
 * descriptor, or -1 with errno and the error set (NOT_FOUND when there is
 * nothing, PERMISSION_DENIED when something else holds the name). */
static int
open_name (ShmvSegment *seg, int flags)
{
  char path[SHMV_PATH_SIZE];
  struct stat st;
  int fd, err;

  shm_path (path, seg->native_key);
  do
    fd = open (path, flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  while (fd < 0 && errno == EINTR);
  if (fd >= 0 && fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
    {
      /* Back to blocking: no effect on a regular file, but we mean it. */
      fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
      return fd;
    }
  err = fd >= 0 ? EPERM : errno;
  if (fd >= 0)
    close (fd);
  /* ELOOP (a link), EISDIR, ENXIO (a socket)...: say what is in the way. */
  if (err == ENOENT)
    fail (seg, SHMV_ERROR_NOT_FOUND, "no such segment");
  else if (lstat (path, &st) == 0 && !S_ISREG (st.st_mode))
    fail_not_a_segment_file (seg, st.st_mode);
  else
    fail_errno (seg, err, "cannot open it");
  errno = err;
  return -1;
}

/* Whether @name still names the file open as @fd. lstat(), not a second
 * descriptor: with every descriptor in use, that would fail and look like
 * "removed"; and a link to our file is not our name. */
static bool
name_is_fd (const char *name, int fd)
{
  char path[SHMV_PATH_SIZE];
  struct stat a, b;

  shm_path (path, name);
  return fstat (fd, &a) == 0 && lstat (path, &b) == 0 && a.st_dev == b.st_dev &&
         a.st_ino == b.st_ino;
}

/* Refuses files that are not the owner's, or that anyone but the owner
 * could write: a name squatter must never get our data. Group read access is
 * allowed (SHMV_SHARING_GROUP). */
static bool
check_owner (ShmvSegment *seg, const struct stat *st)
{
  if (st->st_uid != seg->owner)
    return fail (seg, SHMV_ERROR_PERMISSION_DENIED,
                 "the object of that name belongs to another user");
  if (!S_ISREG (st->st_mode))
    return fail_not_a_segment_file (seg, st->st_mode);
  if ((st->st_mode & 0777 & ~0640) != 0)
    return fail (seg, SHMV_ERROR_PERMISSION_DENIED,
                 "the object of that name is open to other users (mode too wide)");
  return true;
}

static bool
read_prefix (int fd, ShmvSegmentPrefix *prefix)
{
  ssize_t n;

  do
    n = pread (fd, prefix, sizeof *prefix, 0);
  while (n < 0 && errno == EINTR);
  return n == (ssize_t) sizeof *prefix &&
         memcmp (prefix->magic, SHMV_SEGMENT_MAGIC, sizeof prefix->magic) == 0;
}

/* The lock key a prefix names, if it is one the creator could have chosen
 * for @name (the first key or one of its probes): a scribbled prefix must
 * not send us to lock, or remove, some other semaphore set of ours. */
static bool
prefix_lock_key (const char *name, const ShmvSegmentPrefix *prefix, key_t *key)
{
  key_t first = shmv_sysv_key_for (name);

  if (prefix->lock_key < first || prefix->lock_key >= first + SHMV_SYSLOCK_MAX_PROBES)
    return false;
  *key = prefix->lock_key;
  return true;
}

/* Whether @prefix is that of our key: its length, its second hash and what
 * is stored of it. */
static bool
prefix_has_our_key (const ShmvSegment *seg, const ShmvSegmentPrefix *prefix)
{
  size_t stored = stored_key_len (seg->key, seg->key_len);

  return prefix->key_len == seg->key_len && prefix->key_hash == seg->key_hash &&
         memcmp (prefix->key, seg->key, stored) == 0 && prefix->key[stored] == '\0';
}

/* Whether an intact @prefix of another key really belongs at our name: the
 * key it stores gives our native name (when the whole key is stored, hashed
 * again here), so this is a genuine hash collision, not damage. */
static bool
prefix_names_us (const ShmvSegment *seg, const ShmvSegmentPrefix *prefix)
{
  size_t stored = strnlen (prefix->key, sizeof prefix->key);

  if (prefix->name_hash != shmv_key_name_hash (seg->key))
    return false;
  if (stored != prefix->key_len) /* only a key too long to store may be cut */
    return stored < prefix->key_len && prefix->key_len > SHMV_KEY_STORED_MAX;
  return shmv_key_name_hash (prefix->key) == prefix->name_hash &&
         key_hash (prefix->key, stored) == prefix->key_hash;
}

bool
shmv_segment_prefix_key_matches (const ShmvSegmentPrefix *prefix, const char *native_name)
{
  char expected[SHMV_NATIVE_NAME_SIZE];
  size_t stored = strnlen (prefix->key, sizeof prefix->key);

  shmv_native_name_for_hash (expected, SHMV_SEGMENT_PREFIX, prefix->name_hash, geteuid ());
  if (strcmp (expected, native_name) != 0 || stored > prefix->key_len)
    return false;
  /* A key too long to store whole is vouched for by its hashes alone. */
  return stored < prefix->key_len || (shmv_key_name_hash (prefix->key) == prefix->name_hash &&
                                      key_hash (prefix->key, stored) == prefix->key_hash);
}

const char *
shmv_segment_prefix_problem (const ShmvSegmentPrefix *prefix, const char *native_name)
{
  key_t lock_key;

  if (memcmp (prefix->magic, SHMV_SEGMENT_MAGIC, sizeof prefix->magic) != 0)
    return "bad segment magic";
  if (prefix->layout != SHMV_SEGMENT_LAYOUT)
    return "made with another segment layout version";
  if (prefix->check != prefix_check (prefix))
    return "its prefix is damaged";
  if (!shmv_segment_prefix_key_matches (prefix, native_name))
    return "the key stored in its prefix does not match its name";
  if (!prefix_lock_key (native_name, prefix, &lock_key))
    return "its prefix names a lock it cannot have";
  return NULL;
}

/* Reads the prefix of the file open as @fd and checks that it is our key's.
 * Fails with NOT_FOUND (the file is no segment at all), CORRUPT (truncated,
 * an older layout, or damaged: a prefix that does not match its name is a
 * broken segment, not a usage error) or KEY (an intact segment of another
 * key whose name collides with ours). */
static bool
read_our_prefix (ShmvSegment *seg, int fd, ShmvSegmentPrefix *prefix)
{
  ssize_t n;

  do
    n = pread (fd, prefix, sizeof *prefix, 0);
  while (n < 0 && errno == EINTR);
  if (n < (ssize_t) sizeof prefix->magic ||
      memcmp (prefix->magic, SHMV_SEGMENT_MAGIC, sizeof prefix->magic) != 0)
    return fail (seg, SHMV_ERROR_NOT_FOUND,
                 "no such segment (an object of that name is not a shmview segment)");
  if (n < (ssize_t) sizeof *prefix)
    return fail (seg, SHMV_ERROR_CORRUPT, "it is truncated (its prefix is incomplete)");
  if (prefix->layout != SHMV_SEGMENT_LAYOUT)
    {
      char what[128];

      snprintf (what, sizeof what,
                "it was made with segment layout %u, this version reads layout %u only "
                "(remove it: shmview-ctl rm)",
                (unsigned) prefix->layout, (unsigned) SHMV_SEGMENT_LAYOUT);
      return fail (seg, SHMV_ERROR_CORRUPT, what);
    }
  if (prefix->check != prefix_check (prefix))
    {
      if (!prefix_has_our_key (seg, prefix))
        return fail (seg, SHMV_ERROR_CORRUPT,
                     "its prefix is damaged (the stored key does not match its name)");
      return fail (seg, SHMV_ERROR_CORRUPT,
                   "its prefix is damaged (a field beside the key was overwritten)");
    }
  if (prefix_has_our_key (seg, prefix))
    return true;
  if (prefix_names_us (seg, prefix))
    return fail (seg, SHMV_ERROR_KEY, "its native name is taken by another key");
  return fail (seg, SHMV_ERROR_CORRUPT,
               "its prefix is damaged (the stored key does not match its name)");
}

/* Removes the segment open as @fd, if @name still points at it, and its
 * lock: the one its prefix names, or @lock_key if the prefix is gone or
 * scribbled on.
 *
 * The lock goes first, so that a remover killed half-way leaves a segment
 * without a lock (made again by its next user), never a lock without a
 * segment. It goes again after the name: a user that made the lock anew in
 * between (open_lock()) checked the name before we took it, and its set must
 * not outlive the segment. */
static void
remove_if_current (const char *name, int fd, key_t lock_key)
{
  ShmvSegmentPrefix prefix;

  if (!name_is_fd (name, fd))
    return;
  /* A damaged prefix may name any key: the first one is then the best guess. */
  if (read_prefix (fd, &prefix) && prefix.check == prefix_check (&prefix))
    prefix_lock_key (name, &prefix, &lock_key);
  shmv_syslock_remove (lock_key);
  SHMV_TEST_POINT ("remove:lock-removed");
  shm_unlink (name);
  shmv_syslock_remove (lock_key);
}

static const ShmvSegmentPrefix *
prefix_of (const ShmvSegment *seg)
{
  return (const ShmvSegmentPrefix *) seg->map;
}

static bool
map_fd (ShmvSegment *seg, size_t size, ShmvAccess access)
{
  int prot = access == SHMV_ACCESS_READ_ONLY ? PROT_READ : PROT_READ | PROT_WRITE;
  void *map = mmap (NULL, size, prot, MAP_SHARED, seg->fd, 0);

  if (map == MAP_FAILED)
    return fail_errno (seg, errno, "cannot map it");
  seg->map = map;
  seg->map_size = size;
  seg->access = access;
  return true;
}

static void
close_fd (ShmvSegment *seg)
{
  if (seg->fd >= 0)
    close (seg->fd);
  seg->fd = -1;
}

static bool
fail_lock_open (ShmvSegment *seg, int err)
{
  if (err == EACCES)
    return fail (seg, SHMV_ERROR_PERMISSION_DENIED,
                 "its lock semaphore is not ours (another user's, or not a shmview lock)");
  return fail_errno (seg, err, "cannot open its lock semaphore");
}

/* Opens the segment's lock at @key, making it if it is missing (its
 * creator makes it only once the segment has its name, and a removal may
 * take it from under a live handle). A lock is made only for a segment that
 * its name points at, and the name is checked again once it is made: a set
 * made for a segment removed meanwhile would be no one's, for ever. Fails
 * with NOT_FOUND when the segment was removed. */
static bool
open_lock (ShmvSegment *seg, key_t key)
{
  int err;

  if (!name_is_fd (seg->native_key, seg->fd))
    return fail (seg, SHMV_ERROR_NOT_FOUND, "it was removed");
  SHMV_TEST_POINT ("lock:opening");
  err = shmv_syslock_open (&seg->lock, key);
  if (err != 0)
    return fail_lock_open (seg, err);
  if (seg->lock.created && !name_is_fd (seg->native_key, seg->fd))
    {
      shmv_syslock_remove (key);
      shmv_syslock_close (&seg->lock);
      return fail (seg, SHMV_ERROR_NOT_FOUND, "it was removed");
    }
  return true;
}

/* Whether the unused segment open as @fd, which we hold the exclusive lock
 * on (so its flags can no longer change), may go; the error says why not.
 * A persistent one stays, unless @even_persistent. A file of our name with
 * no prefix, or a damaged one, is no use to anyone: stale too. Another key's
 * intact segment (a genuine name collision) is not ours to remove. */
static bool
may_remove_unused (ShmvSegment *seg, int fd, bool even_persistent)
{
  ShmvSegmentPrefix prefix;

  if (read_our_prefix (seg, fd, &prefix))
    return even_persistent || (prefix.flags & SHMV_SEGMENT_PERSISTENT) == 0 ||
           fail (seg, SHMV_ERROR_ALREADY_EXISTS, "a persistent segment of that key exists");
  return shmv_segment_error (seg) != SHMV_ERROR_KEY;
}

/* Removes the segment of our key if nobody uses it and it is not
 * persistent (unless @even_persistent), holding the exclusive lock that
 * proves it: a process that attaches meanwhile waits, then finds the name
 * gone. */
static bool
remove_unused (ShmvSegment *seg, bool even_persistent)
{
  struct stat st;
  bool removed = false;
  int fd = open_name (seg, O_RDWR);

  if (fd < 0)
    return false;
  if (fstat (fd, &st) < 0)
    fail_errno (seg, errno, "cannot inspect the existing segment");
  else if (!check_owner (seg, &st))
    ;
  else if (shmv_ofd_lock (fd, SHMV_OFD_USERS_BYTE, F_WRLCK) != 0)
    fail (seg, SHMV_ERROR_ALREADY_EXISTS, "a segment of that key is in use");
  else if (may_remove_unused (seg, fd, even_persistent))
    {
      remove_if_current (seg->native_key, fd, shmv_sysv_key_for (seg->native_key));
      removed = true;
    }
  close (fd);
  return removed;
}

/* create() found our name taken: reclaims it if it is stale. Returns true
 * when the name is free again. */
static bool
try_reclaim (ShmvSegment *seg)
{
  return remove_unused (seg, false) || shmv_segment_error (seg) == SHMV_ERROR_NOT_FOUND;
}

static bool
init_new (
    ShmvSegment *seg, size_t total, ShmvAccess access, ShmvSegmentInitFunc init, void *user_data)
{
  ShmvSegmentPrefix *prefix;
  key_t lock_key = shmv_sysv_key_for (seg->native_key);
  int err;

  /* Reserve the pages now: ftruncate alone "succeeds" past what /dev/shm
   * holds, and the first touch of a missing page is a SIGBUS. */
  do
    err = posix_fallocate (seg->fd, 0, (off_t) total);
  while (err == EINTR);
  if (err != 0)
    return fail_errno (seg, err, "cannot reserve its memory");
  if (!map_fd (seg, total, SHMV_ACCESS_READ_WRITE))
    return false;
  /* Only the key: the set is made once the segment has its name, so a
   * creator killed before that leaves nothing at all. */
  err = shmv_syslock_choose (&lock_key);
  if (err != 0)
    return fail_lock_open (seg, err);

  prefix = (ShmvSegmentPrefix *) seg->map;
  shmv_segment_prefix_init (prefix, seg->key, lock_key);
  if (init != NULL)
    init (seg->map + SHMV_SEGMENT_DATA_OFFSET, total - SHMV_SEGMENT_DATA_OFFSET, user_data);

  if (access == SHMV_ACCESS_READ_ONLY && mprotect (seg->map, seg->map_size, PROT_READ) < 0)
    return fail_errno (seg, errno, "cannot make it read-only");
  seg->access = access;
  err = shmv_ofd_lock (seg->fd, SHMV_OFD_USERS_BYTE, F_RDLCK);
  if (err != 0)
    return fail_errno (seg, err, "cannot register as a user");
  return true;
}

static void
undo_attach (ShmvSegment *seg)
{
  shmv_syslock_close (&seg->lock);
  if (seg->map != NULL)
    munmap (seg->map, seg->map_size);
  seg->map = NULL;
  seg->map_size = 0;
  close_fd (seg);
}

bool
shmv_segment_create (ShmvSegment *seg, size_t size, ShmvAccess access)
{
  return shmv_segment_create_initialized (seg, size, access, NULL, NULL);
}

/* Gives the finished segment, made nameless with O_TMPFILE, its name.
 * link() fails if the name exists, so this is O_EXCL for a file that is
 * already complete: nobody can ever open a half-made segment, and a creator
 * killed before this point leaves nothing behind at all. */
static bool
publish_name (ShmvSegment *seg)
{
  char from[SHMV_PATH_SIZE], to[SHMV_PATH_SIZE];

  SHMV_TEST_POINT ("create:complete");
  snprintf (from, sizeof from, "/proc/self/fd/%d", seg->fd);
  shm_path (to, seg->native_key);
  for (int attempt = 0; attempt < 4; attempt++)
    {
      if (linkat (AT_FDCWD, from, AT_FDCWD, to, AT_SYMLINK_FOLLOW) == 0)
        {
          SHMV_TEST_POINT ("create:named");
          return true;
        }
      if (errno != EEXIST)
        return fail_errno (seg, errno, "cannot name it");
      if (!try_reclaim (seg))
        return false;
    }
  return fail (seg, SHMV_ERROR_ALREADY_EXISTS, "its name keeps being taken");
}

bool
shmv_segment_create_initialized (
    ShmvSegment *seg, size_t size, ShmvAccess access, ShmvSegmentInitFunc init, void *user_data)
{
  size_t total;
  bool ok;

  if (!check_key (seg))
    return false;
  if (seg->map != NULL)
    return fail (seg, SHMV_ERROR_INVALID_ARGUMENT, "this handle is already attached");
  if (size == 0 || size > SIZE_MAX / 2 - SHMV_SEGMENT_DATA_OFFSET)
    return fail (seg, SHMV_ERROR_INVALID_SIZE, "invalid size");
  if (seg->owner != geteuid ())
    return fail (seg, SHMV_ERROR_PERMISSION_DENIED, "cannot create a segment for another user");
  total = SHMV_SEGMENT_DATA_OFFSET + page_round (size);

  do
    seg->fd = open (SHMV_SHM_DIR, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  while (seg->fd < 0 && errno == EINTR);
  if (seg->fd < 0)
    return fail_errno (seg, errno, "cannot create it in " SHMV_SHM_DIR);
  SHMV_TEST_POINT ("create:nameless");
  seg->fd_writable = true;
  /* Exactly 0600, or 0640 on request, whatever the umask took away from the
   * 0600 open() asked for: the owner's next writer must get write access,
   * and no one else ever does. */
  if (fchmod (seg->fd, seg->sharing == SHMV_SHARING_GROUP ? 0640 : 0600) < 0)
    ok = fail_errno (seg, errno, "cannot set its mode");
  else if (!init_new (seg, total, access, init, user_data) || !publish_name (seg))
    ok = false;
  else if (!(ok = open_lock (seg, prefix_of (seg)->lock_key)))
    {
      /* Named, but its lock cannot be had (a set planted at its key since
       * we chose it, or no room for one): take the name back. */
      ShmvStatus status = seg->status;

      remove_if_current (seg->native_key, seg->fd, prefix_of (seg)->lock_key);
      seg->status = status;
    }
  SHMV_TEST_POINT ("create:lock-made");
  if (!ok)
    {
      undo_attach (seg);
      return false;
    }
  return succeed (seg);
}

/* Opens the segment, waits for a shared lock on byte 0 and makes sure the
 * name still points at it. Returns false with the error set, or true with
 * seg->fd ready and *@retry false; *@retry true means "raced, try again". */
static bool
open_registered (ShmvSegment *seg, ShmvAccess access, bool *retry)
{
  int err;

  *retry = false;
  seg->fd = open_name (seg, O_RDWR);
  seg->fd_writable = seg->fd >= 0;
  if (seg->fd < 0 && errno == EACCES && access == SHMV_ACCESS_READ_ONLY)
    seg->fd = open_name (seg, O_RDONLY);
  if (seg->fd < 0)
    return false;
  SHMV_TEST_POINT ("attach:opened");

  err = shmv_ofd_lock_timeout (seg->fd, SHMV_OFD_USERS_BYTE, F_RDLCK, INIT_WAIT_MS);
  if (err == EAGAIN)
    {
      close_fd (seg);
      return fail (seg, SHMV_ERROR_TIMEOUT, "it stayed locked by its creator");
    }
  if (err != 0)
    {
      close_fd (seg);
      return fail_errno (seg, err, "cannot register as a user");
    }
  if (!name_is_fd (seg->native_key, seg->fd))
    {
      close_fd (seg);
      *retry = true;
      return fail (seg, SHMV_ERROR_NOT_FOUND, "no such segment (it was just removed)");
    }
  SHMV_TEST_POINT ("attach:registered");
  return true;
}

/* Checks the segment open as seg->fd and maps it. */
static bool
validate_and_map (ShmvSegment *seg, ShmvAccess access)
{
  ShmvSegmentPrefix prefix;
  struct stat st;
  key_t lock_key;

  if (fstat (seg->fd, &st) < 0)
    return fail_errno (seg, errno, "cannot inspect it");
  if (!check_owner (seg, &st) || !read_our_prefix (seg, seg->fd, &prefix))
    return false;
  if (!map_fd (seg, (size_t) st.st_size, access))
    return false;
  /* Another user's lock semaphore is theirs (mode 0600): group readers take
   * no lock, which channel readers never need. */
  if (seg->owner != geteuid ())
    return true;
  if (!prefix_lock_key (seg->native_key, &prefix, &lock_key))
    return fail (seg, SHMV_ERROR_CORRUPT, "its prefix names a lock it cannot have");
  return open_lock (seg, lock_key);
}

bool
shmv_segment_attach (ShmvSegment *seg, ShmvAccess access)
{
  if (!check_key (seg))
    return false;
  if (seg->map != NULL)
    return fail (seg, SHMV_ERROR_INVALID_ARGUMENT, "this handle is already attached");

  for (int attempt = 0; attempt < 8; attempt++)
    {
      bool retry;

      if (open_registered (seg, access, &retry))
        {
          if (validate_and_map (seg, access))
            return succeed (seg);
          undo_attach (seg);
          return false;
        }
      if (!retry)
        return false;
    }
  return false;
}

/* Detaches; the last user removes the segment when @may_remove. */
static bool
detach (ShmvSegment *seg, bool may_remove)
{
  bool persistent;

  if (seg->map == NULL)
    return fail (seg, SHMV_ERROR_NOT_FOUND, "not attached");
  persistent = shmv_segment_is_persistent (seg);
  shmv_syslock_close (&seg->lock);
  munmap (seg->map, seg->map_size);
  seg->map = NULL;
  seg->map_size = 0;

  /* Drop our shared lock, then ask for an exclusive one: of several handles
   * detaching at once, the last to let go always gets it, so exactly one
   * of them removes the segment. */
  if (may_remove && seg->fd_writable && !persistent)
    {
      shmv_ofd_lock (seg->fd, SHMV_OFD_USERS_BYTE, F_UNLCK);
      SHMV_TEST_POINT ("detach:unregistered");
      if (shmv_ofd_lock (seg->fd, SHMV_OFD_USERS_BYTE, F_WRLCK) == 0)
        remove_if_current (seg->native_key, seg->fd, seg->lock.key);
    }
  close_fd (seg);
  return succeed (seg);
}

bool
shmv_segment_detach (ShmvSegment *seg)
{
  return detach (seg, true);
}

bool
shmv_segment_leave (ShmvSegment *seg)
{
  return detach (seg, false);
}

bool
shmv_segment_is_attached (const ShmvSegment *seg)
{
  return seg->map != NULL;
}

void *
shmv_segment_data (ShmvSegment *seg)
{
  return seg->map != NULL ? seg->map + SHMV_SEGMENT_DATA_OFFSET : NULL;
}

size_t
shmv_segment_size (const ShmvSegment *seg)
{
  return seg->map != NULL ? seg->map_size - SHMV_SEGMENT_DATA_OFFSET : 0;
}

static bool
lock_with_timeout (ShmvSegment *seg, int timeout_ms)
{
  int err;

  if (seg->map == NULL)
    return fail (seg, SHMV_ERROR_LOCK, "cannot lock: not attached");
  if (seg->owner != geteuid ())
    return fail (seg, SHMV_ERROR_LOCK, "cannot lock another user's segment");
  err = shmv_syslock_acquire (&seg->lock, timeout_ms);
  if (err == EIDRM || err == EINVAL)
    {
      /* Someone removed the lock under us: make it anew if the segment
       * still has its name (else the caller learns NOT_FOUND and follows
       * the name instead). */
      if (!open_lock (seg, seg->lock.key))
        return false;
      err = shmv_syslock_acquire (&seg->lock, timeout_ms);
    }
  if (err == ETIMEDOUT)
    return fail (seg, SHMV_ERROR_TIMEOUT, "the lock stayed taken");
  return err == 0 ? succeed (seg) : fail_lock (seg, err, "cannot lock");
}

bool
shmv_segment_lock (ShmvSegment *seg)
{
  return lock_with_timeout (seg, -1);
}

bool
shmv_segment_try_lock (ShmvSegment *seg, int timeout_ms)
{
  return lock_with_timeout (seg, timeout_ms);
}

bool
shmv_segment_unlock (ShmvSegment *seg)
{
  int err;

  if (seg->map == NULL || !seg->lock.held)
    return fail (seg, SHMV_ERROR_LOCK, "cannot unlock: this handle does not hold the lock");
  err = shmv_syslock_release (&seg->lock);
  return err == 0 ? succeed (seg) : fail_lock (seg, err, "cannot unlock");
}

bool
shmv_segment_lock_owner_died (const ShmvSegment *seg)
{
  return seg->lock.owner_died;
}

bool
shmv_segment_set_persistent (ShmvSegment *seg, bool persistent)
{
  _Atomic uint32_t *flags;

  if (seg->map == NULL)
    return fail (seg, SHMV_ERROR_NOT_FOUND, "not attached");
  if (seg->access != SHMV_ACCESS_READ_WRITE)
    return fail (seg, SHMV_ERROR_PERMISSION_DENIED, "attached read-only");
  flags = (_Atomic uint32_t *) &((ShmvSegmentPrefix *) seg->map)->flags;
  if (persistent)
    atomic_fetch_or (flags, SHMV_SEGMENT_PERSISTENT);
  else
    atomic_fetch_and (flags, ~SHMV_SEGMENT_PERSISTENT);
  return succeed (seg);
}

bool
shmv_segment_is_persistent (const ShmvSegment *seg)
{
  ShmvSegmentPrefix prefix;

  /* pread, not the mapping: a peer may have truncated the file, and reading
   * a vanished page would be a SIGBUS. */
  return seg->fd >= 0 && read_prefix (seg->fd, &prefix) &&
         (prefix.flags & SHMV_SEGMENT_PERSISTENT) != 0;
}

bool
shmv_segment_has_other_users (ShmvSegment *seg)
{
  bool held = false;
  int err;

  if (seg->map == NULL)
    return fail (seg, SHMV_ERROR_NOT_FOUND, "not attached");
  err = shmv_ofd_query (seg->fd, SHMV_OFD_USERS_BYTE, F_WRLCK, &held);
  if (err != 0)
    return fail_errno (seg, err, "cannot count its users");
  succeed (seg);
  return held;
}

bool
shmv_segment_remove (ShmvSegment *seg)
{
  struct stat st;
  int fd;

  if (!check_key (seg))
    return false;
  fd = open_name (seg, O_RDONLY);
  if (fd < 0)
    return false;
  if (fstat (fd, &st) < 0 || st.st_uid != geteuid () || seg->owner != geteuid ())
    {
      close (fd);
      return fail (seg, SHMV_ERROR_PERMISSION_DENIED, "it belongs to another user");
    }
  remove_if_current (seg->native_key, fd, shmv_sysv_key_for (seg->native_key));
  close (fd);
  return succeed (seg);
}

bool
shmv_segment_remove_unused (ShmvSegment *seg)
{
  if (!check_key (seg))
    return false;
  return remove_unused (seg, false) && succeed (seg);
}

bool
shmv_segment_remove_corrupt (ShmvSegment *seg)
{
  if (!check_key (seg))
    return false;
  return remove_unused (seg, true) && succeed (seg);
}

bool
shmv_segment_is_current (const ShmvSegment *seg)
{
  return seg->fd >= 0 && name_is_fd (seg->native_key, seg->fd);
}

ShmvError
shmv_segment_error (const ShmvSegment *seg)
{
  return seg->status.code;
}

const char *
shmv_segment_error_string (const ShmvSegment *seg)
{
  return seg->status.message;
}

int
shmv_segment_fd (const ShmvSegment *seg)
{
  return seg->fd;
}

const ShmvStatus *
shmv_segment_status (const ShmvSegment *seg)
{
  return &seg->status;
}

size_t
shmv_segment_file_size (const ShmvSegment *seg)
{
  struct stat st;

  if (seg->fd < 0 || fstat (seg->fd, &st) < 0 || st.st_size < 0)
    return 0;
  return (size_t) st.st_size;
}

static bool
remap (ShmvSegment *seg, size_t size)
{
  void *map = mremap (seg->map, seg->map_size, size, MREMAP_MAYMOVE);

  if (map == MAP_FAILED)
    return fail_errno (seg, errno, "cannot map its new size");
  seg->map = map;
  seg->map_size = size;
  return true;
}

bool
shmv_segment_grow (ShmvSegment *seg, size_t data_size)
{
  size_t total;
  int err;

  if (seg->map == NULL)
    return fail (seg, SHMV_ERROR_NOT_FOUND, "not attached");
  if (data_size > SIZE_MAX / 2 - SHMV_SEGMENT_DATA_OFFSET)
    return fail (seg, SHMV_ERROR_INVALID_SIZE, "invalid size");
  total = SHMV_SEGMENT_DATA_OFFSET + page_round (data_size);
  if (total <= shmv_segment_file_size (seg))
    return shmv_segment_refresh (seg);
  do
    err = posix_fallocate (seg->fd, 0, (off_t) total);
  while (err == EINTR);
  if (err != 0)
    return fail_errno (seg, err, "cannot grow it");
  return remap (seg, total) && succeed (seg);
}

bool
shmv_segment_refresh (ShmvSegment *seg)
{
  size_t size = shmv_segment_file_size (seg);

  if (seg->map == NULL)
    return fail (seg, SHMV_ERROR_NOT_FOUND, "not attached");
  if (size < SHMV_SEGMENT_DATA_OFFSET)
    return fail (seg, SHMV_ERROR_CORRUPT, "it was truncated");
  if (size == seg->map_size)
    return succeed (seg);
  return remap (seg, size) && succeed (seg);
}

void
shmv_segment_remove_name_if_current (const char *name, int fd, key_t lock_key)
{
  remove_if_current (name, fd, lock_key);
}
