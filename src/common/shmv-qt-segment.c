/* shmv-qt-segment.c: segments of Qt's QSharedMemory (System V, string keys), read as Qt reads them
 *
 * What Qt 5.15 and 6.4 do on Linux (qsharedmemory.cpp, qsharedmemory_systemv.cpp,
 * qsystemsemaphore_systemv.cpp): a key names two empty files in
 * QDir::tempPath(); ftok(file, 'Q') of each gives the System V keys of the
 * segment and of a one-count semaphore that Qt uses as the lock, always
 * with SEM_UNDO. Objects are 0600. The segment lives while someone is
 * attached: detach() removes it (and its key file) when nobody else is.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmview"
#define _GNU_SOURCE  /* semtimedop() */

#include "config.h"

#include "shmv-qt-segment.h"

#include "shmv-gerror.h"
#include "shmv-qt-image.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Qt's ftok() project id ('Q', qt_safe_ftok()). */
#define QT_FTOK_ID 'Q'

/* Qt's writer holds the lock only for a memcpy; longer means it is stuck
 * (stopped in a debugger): give up instead of hanging as Qt would. */
#define LOCK_TIMEOUT_S 5

void
shmv_qt_segment_info_clear (ShmvQtSegmentInfo *info)
{
  g_clear_pointer (&info->key, g_free);
  g_clear_pointer (&info->key_file, g_free);
  memset (info, 0, sizeof *info);
}

char *
shmv_qt_temp_dir (void)
{
  const char *tmpdir = g_getenv ("TMPDIR");
  g_autofree char *clean = NULL;
  char *real;

  if (tmpdir == NULL || tmpdir[0] == '\0')
    tmpdir = "/tmp";
  /* Qt 5.15: QDir::cleanPath() ("//", "." and "dir/.." go lexically, no
   * trailing "/"); Qt 6.4 then takes QDir::canonicalPath(): links resolved,
   * and "" when the directory does not exist (its names then begin with
   * "/"). Where the directory exists both lead to the same file (and
   * inode, so the same System V key); the names we show are Qt 6's. */
  clean = g_canonicalize_filename (tmpdir, NULL);
  real = realpath (clean, NULL);
  if (real == NULL)
    return g_strdup ("");
  /* realpath() is malloc()'s; the caller frees with g_free(). */
  g_free (clean);
  clean = g_strdup (real);
  free (real);
  return g_steal_pointer (&clean);
}

char *
shmv_qt_key_file (const char *key, const char *prefix)
{
  g_autofree char *dir = shmv_qt_temp_dir ();
  g_autofree char *sha1 = g_compute_checksum_for_string (G_CHECKSUM_SHA1, key, -1);
  g_autoptr (GString) name = g_string_new (prefix);

  /* Qt keeps a QChar iff it is in 'a'..'z' or 'A'..'Z': one UTF-8 byte. */
  for (const char *p = key; *p != '\0'; p++)
    if (g_ascii_isalpha (*p))
      g_string_append_c (name, *p);
  g_string_append (name, sha1);
  return g_strconcat (dir, "/", name->str, NULL);
}

/* The code for a system error @err. */
static ShmvError
code_for_errno (int err)
{
  switch (err)
    {
    case ENOENT:
    case EIDRM:
      return SHMV_ERROR_NOT_FOUND;
    case EACCES:
    case EPERM:
      return SHMV_ERROR_PERMISSION_DENIED;
    case EAGAIN:
      return SHMV_ERROR_TIMEOUT;
    case ENOMEM:
    case EMFILE:
    case ENFILE:
      return SHMV_ERROR_OUT_OF_RESOURCES;
    default:
      return SHMV_ERROR_UNKNOWN;
    }
}

/* @what failed (a translated sentence): then the system's reason, which
 * glibc translates. */
static GError *
error_from_errno (int err, const char *what)
{
  /* TRANSLATORS: what failed, then the system's reason ("Permission denied") */
  return g_error_new (SHMV_GERROR, code_for_errno (err), _ ("%s: %s"), what, g_strerror (err));
}

/* The errors a reader of @key meets, each one sentence naming the key. */
static GError *
error_not_found (const char *key)
{
  return g_error_new (SHMV_GERROR, SHMV_ERROR_NOT_FOUND,
                      /* TRANSLATORS: %s is the key of a Qt QSharedMemory segment */
                      _ ("There is no Qt segment with the key “%s”"), key);
}

static GError *
error_not_ours (const char *key)
{
  return g_error_new (SHMV_GERROR, SHMV_ERROR_PERMISSION_DENIED,
                      _ ("The Qt segment “%s” belongs to another user"), key);
}

static GError *
error_no_image (const char *key, const char *reason)
{
  return g_error_new (SHMV_GERROR, SHMV_ERROR_CORRUPT,
                      /* TRANSLATORS: a key, then why, such as "its PNG is damaged" */
                      _ ("The Qt segment “%s” holds no image shmview can read: %s"), key, reason);
}

/* The System V key Qt derives from @path; -1 with errno set. */
static key_t
qt_ftok (const char *path)
{
  return ftok (path, QT_FTOK_ID);
}

/* Qt's lock on @key's segment: its semaphore, opened, never made (a Qt
 * publisher always has one; making it would leave it behind). -1 when there
 * is none, and the copy goes unlocked: no Qt writer can be mid-write then. */
static int
open_semaphore (const char *key)
{
  g_autofree char *path = shmv_qt_key_file (key, SHMV_QT_PREFIX_SEMAPHORE);
  key_t sem_key = qt_ftok (path);
  int id = sem_key == -1 ? -1 : semget (sem_key, 1, 0600);

  if (id < 0)
    g_debug ("Qt segment “%s”: no semaphore (%s), reading unlocked", key, g_strerror (errno));
  return id;
}

/* semop() of @delta with SEM_UNDO, as Qt's lock() and unlock(). */
static gboolean
semaphore_op (int id, int delta, GError **error)
{
  struct sembuf op = { .sem_num = 0, .sem_op = (short) delta, .sem_flg = SEM_UNDO };
  gint64 deadline = g_get_monotonic_time () + LOCK_TIMEOUT_S * G_USEC_PER_SEC;

  if (id < 0)
    return TRUE;
  for (;;)
    {
      gint64 left = deadline - g_get_monotonic_time ();
      struct timespec timeout = { .tv_sec = MAX (left, 0) / G_USEC_PER_SEC,
                                  .tv_nsec = (MAX (left, 0) % G_USEC_PER_SEC) * 1000 };

      if (semtimedop (id, &op, 1, &timeout) == 0)
        return TRUE;
      /* Removed meanwhile: its owner is gone, and nobody writes any more. */
      if (errno == EIDRM || errno == EINVAL)
        return TRUE;
      if (errno == EINTR && left > 0)
        continue;
      if (errno == EINTR || errno == EAGAIN)
        g_propagate_error (
            error, g_error_new_literal (SHMV_GERROR, SHMV_ERROR_TIMEOUT,
                                        _ ("The Qt segment’s lock stayed taken for seconds: the "
                                           "program holding it seems stuck")));
      else
        g_propagate_error (error,
                           error_from_errno (errno, _ ("Cannot take the Qt segment’s lock")));
      return FALSE;
    }
}

/* The live segment behind @key_file, if it is ours to read; fills @info's
 * size, pid, count and uid. @name: the key, for the messages. */
static int
find_segment (const char *key_file, const char *name, ShmvQtSegmentInfo *info, GError **error)
{
  struct shmid_ds ds;
  key_t sys_key;
  int id;

  if ((sys_key = qt_ftok (key_file)) == -1)
    {
      int err = errno;

      g_debug ("Qt key file %s: %s", key_file, g_strerror (err));
      g_propagate_error (error, err == ENOENT
                                    ? error_not_found (name)
                                    : error_from_errno (err, _ ("Cannot read Qt’s key file")));
      return -1;
    }
  if ((id = shmget (sys_key, 0, 0400)) < 0 || shmctl (id, IPC_STAT, &ds) != 0)
    {
      int err = errno;

      g_debug ("Qt segment for %s: %s", key_file, g_strerror (err));
      if (err == ENOENT || err == EIDRM || err == EINVAL)
        g_propagate_error (error, error_not_found (name));
      else if (err == EACCES || err == EPERM)
        g_propagate_error (error, error_not_ours (name));
      else
        g_propagate_error (error, error_from_errno (err, _ ("Cannot read the Qt segment")));
      return -1;
    }
  /* Qt makes its objects 0600: someone else's, even one we could read as
   * root, is not ours to read (and detaching last would remove it). */
  if (ds.shm_perm.uid != geteuid ())
    {
      g_debug ("Qt segment for %s: belongs to uid %u", key_file, (unsigned) ds.shm_perm.uid);
      g_propagate_error (error, error_not_ours (name));
      return -1;
    }
  info->size = ds.shm_segsz;
  info->creator_pid = ds.shm_cpid;
  info->attach_count = (guint) ds.shm_nattch;
  info->uid = ds.shm_perm.uid;
  return id;
}

ShmvQtProbe
shmv_qt_segment_probe (const char *key_file, ShmvQtSegmentStamp *stamp)
{
  struct shmid_ds ds;
  key_t sys_key = qt_ftok (key_file);
  int id;

  if (sys_key == -1)
    return SHMV_QT_PROBE_ABSENT;
  if ((id = shmget (sys_key, 0, 0400)) < 0)
    return errno == EACCES ? SHMV_QT_PROBE_DENIED : SHMV_QT_PROBE_ABSENT;
  if (shmctl (id, IPC_STAT, &ds) != 0)
    return errno == EACCES ? SHMV_QT_PROBE_DENIED : SHMV_QT_PROBE_ABSENT;
  if (ds.shm_perm.uid != geteuid ())
    return SHMV_QT_PROBE_DENIED;
  stamp->shm_id = id;
  stamp->ctime = (gint64) ds.shm_ctime;
  stamp->attach_count = (guint) ds.shm_nattch;
  return SHMV_QT_PROBE_PRESENT;
}

/* Qt's detach(): whoever detaches last removes the segment and its key file
 * (under the lock, so that no reader attaches meanwhile). Only looking
 * leaves even an orphan where it is. */
static void
detach (const void *addr, int id, const char *key_file, ShmvQtReadMode mode)
{
  struct shmid_ds ds;

  shmdt (addr);
  if (mode == SHMV_QT_READ_AS_QT && shmctl (id, IPC_STAT, &ds) == 0 && ds.shm_nattch == 0)
    {
      g_debug ("Qt segment %s: detached last, removing it as Qt does", key_file);
      shmctl (id, IPC_RMID, NULL);
      g_unlink (key_file);
    }
}

GBytes *
shmv_qt_segment_read (
    const char *key, ShmvQtReadMode mode, gsize max_size, ShmvQtSegmentInfo *info, GError **error)
{
  g_auto (ShmvQtSegmentInfo) found = { 0 };
  GError *unlock_error = NULL;
  GBytes *bytes = NULL;
  void *addr;
  int shm_id, sem_id;

  g_return_val_if_fail (key != NULL, NULL);

  found.key = g_strdup (key);
  found.key_file = shmv_qt_key_file (key, SHMV_QT_PREFIX_SEGMENT);
  if ((shm_id = find_segment (found.key_file, key, &found, error)) < 0)
    return NULL;
  if (found.size > max_size)
    {
      g_debug ("Qt segment “%s”: %" G_GSIZE_FORMAT " bytes, more than its image can take", key,
               found.size);
      g_propagate_error (error,
                         error_no_image (key, _ ("it is larger than any image shmview accepts")));
      return NULL;
    }

  sem_id = open_semaphore (key);
  if (!semaphore_op (sem_id, -1, error))
    return NULL;
  addr = shmat (shm_id, NULL, SHM_RDONLY);
  if (addr == (void *) -1)
    {
      int err = errno;

      g_propagate_error (error, error_from_errno (err, _ ("Cannot read the Qt segment")));
      semaphore_op (sem_id, +1, NULL);
      return NULL;
    }
  /* The size Qt's size() reports: the segment's, as the kernel keeps it. */
  bytes = g_bytes_new (addr, found.size);
  detach (addr, shm_id, found.key_file, mode);
  if (!semaphore_op (sem_id, +1, &unlock_error))
    {
      g_warning ("Qt segment “%s”: %s", key, unlock_error->message);
      g_clear_error (&unlock_error);
    }

  if (info != NULL)
    {
      *info = found;
      memset (&found, 0, sizeof found);
    }
  return bytes;
}

/* The most a segment holding a PNG of at most @max_pixels can take: the
 * marker, and every pixel stored uncompressed with room for chunks (the
 * loader's own bound, once it sees the header). */
static gsize
max_segment_size (const ShmvPngOptions *options)
{
  guint64 max_pixels = options != NULL && options->max_pixels != 0 ? options->max_pixels
                                                                   : SHMV_PNG_DEFAULT_MAX_PIXELS;

  if (max_pixels > (G_MAXSIZE - ((gsize) 32 << 20)) / 9)
    return G_MAXSIZE;
  return (gsize) max_pixels * 9 + ((gsize) 32 << 20);
}

/* Why the segment of @key holds no image, in a sentence. */
static GError *
fault_error (const char *key, ShmvQtImageFault fault, const ShmvStatus *status)
{
  switch (fault)
    {
    case SHMV_QT_IMAGE_TOO_SHORT:
      return error_no_image (key, _ ("it is too short"));
    case SHMV_QT_IMAGE_NULL:
      return error_no_image (key, _ ("its image is empty (a null QImage)"));
    case SHMV_QT_IMAGE_NOT_PNG:
      return error_no_image (key, _ ("it holds no PNG image"));
    case SHMV_QT_IMAGE_DAMAGED:
      return error_no_image (key, _ ("its PNG is damaged"));
    case SHMV_QT_IMAGE_TOO_LARGE:
      return error_no_image (key, _ ("its image has more pixels than shmview accepts"));
    case SHMV_QT_IMAGE_OK:
    case SHMV_QT_IMAGE_FAILED:
    default:
      return shmv_gerror_new (status->code, NULL);
    }
}

gboolean
shmv_qt_segment_read_image (const char *key,
                            ShmvQtReadMode mode,
                            const ShmvPngOptions *options,
                            ShmvQtSegmentInfo *info,
                            ShmvImage *image,
                            GError **error)
{
  g_autoptr (GBytes) bytes = NULL;
  ShmvQtImageFault fault;
  ShmvStatus status;
  gsize size;
  const void *data;

  memset (image, 0, sizeof *image);
  bytes = shmv_qt_segment_read (key, mode, max_segment_size (options), info, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &size);
  fault = shmv_qt_image_decode (data, size, options, image, &status);
  if (fault == SHMV_QT_IMAGE_OK)
    return TRUE;
  g_debug ("Qt segment “%s”: %s", key, status.message);
  /* For Qt's reader it is all the same: no image to show (exit 6). */
  g_propagate_error (error, fault_error (key, fault, &status));
  if (info != NULL)
    shmv_qt_segment_info_clear (info);
  return FALSE;
}

/* The key whose file is @name (after the prefix), when Qt's name tells: a
 * key of letters only is its own letters. NULL otherwise. */
static char *
key_of_name (const char *name)
{
  gsize len = strlen (name);
  g_autofree char *letters = NULL;
  g_autofree char *sha1 = NULL;

  if (len < 40)
    return NULL;
  letters = g_strndup (name, len - 40);
  sha1 = g_compute_checksum_for_string (G_CHECKSUM_SHA1, letters, -1);
  return g_str_equal (sha1, name + len - 40) ? g_steal_pointer (&letters) : NULL;
}

static int
compare_infos (gconstpointer a, gconstpointer b)
{
  const ShmvQtSegmentInfo *x = *(ShmvQtSegmentInfo *const *) a;
  const ShmvQtSegmentInfo *y = *(ShmvQtSegmentInfo *const *) b;

  return strcmp (x->key_file, y->key_file);
}

static void
info_free (ShmvQtSegmentInfo *info)
{
  shmv_qt_segment_info_clear (info);
  g_free (info);
}

GPtrArray *
shmv_qt_segment_list (void)
{
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) info_free);
  g_autofree char *dir_path = shmv_qt_temp_dir ();
  g_autoptr (GDir) dir = g_dir_open (dir_path[0] != '\0' ? dir_path : "/", 0, NULL);
  const char *name;

  if (dir == NULL)
    return found;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr (GError) error = NULL;
      ShmvQtSegmentInfo *info;
      struct stat st;
      char *path;

      if (!g_str_has_prefix (name, SHMV_QT_PREFIX_SEGMENT))
        continue;
      path = g_strconcat (dir_path, "/", name, NULL);
      if (lstat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_uid != geteuid ())
        {
          g_free (path);
          continue;
        }
      info = g_new0 (ShmvQtSegmentInfo, 1);
      info->key_file = path;
      if (find_segment (path, path, info, &error) < 0)
        {
          g_debug ("Qt key file %s: %s", path, error->message);
          info_free (info);
          continue;
        }
      info->key = key_of_name (name + strlen (SHMV_QT_PREFIX_SEGMENT));
      g_ptr_array_add (found, info);
    }
  g_ptr_array_sort (found, compare_infos);
  return found;
}

struct _ShmvQtPublisher
{
  char *sem_file;
  char *shm_file;
  int sem_id;
  int shm_id;
  void *addr;
};

/* Qt's createUnixKeyFile(): an empty file, 0640; one already there is
 * used as it is (its inode is the key a peer may already know). */
static gboolean
create_key_file (const char *path, GError **error)
{
  int fd = open (path, O_EXCL | O_CREAT | O_RDWR | O_CLOEXEC, 0640);

  if (fd >= 0)
    close (fd);
  else if (errno != EEXIST)
    {
      int err = errno;

      g_debug ("cannot create %s: %s", path, g_strerror (err));
      g_propagate_error (error, error_from_errno (err, _ ("Cannot create Qt’s key file")));
      return FALSE;
    }
  return TRUE;
}

char *
shmv_qt_key_taken_sentence (const char *key, gint64 creator_pid)
{
  /* TRANSLATORS: a process id, then the key of a Qt QSharedMemory segment */
  return g_strdup_printf (_ ("Another program (process %d) publishes on the Qt key “%s”: close "
                             "it, or choose another key"),
                          (int) creator_pid, key);
}

/* Another program's segment has @key: say whose, and what to do. */
static GError *
error_key_taken (key_t sys_key, const char *key)
{
  struct shmid_ds ds;
  int id = shmget (sys_key, 0, 0);

  if (id >= 0 && shmctl (id, IPC_STAT, &ds) == 0 && ds.shm_perm.uid == geteuid ())
    {
      g_autofree char *sentence = shmv_qt_key_taken_sentence (key, ds.shm_cpid);

      return g_error_new_literal (SHMV_GERROR, SHMV_ERROR_ALREADY_EXISTS, sentence);
    }
  return g_error_new (SHMV_GERROR, SHMV_ERROR_ALREADY_EXISTS,
                      _ ("Another user’s program publishes on the Qt key “%s”: choose another key"),
                      key);
}

/* Undoes what a publisher made, as Qt's detach() and cleanHandle(). */
static void
publisher_free (ShmvQtPublisher *pub)
{
  gboolean last = TRUE;

  if (pub->addr != NULL)
    {
      struct shmid_ds ds;

      shmdt (pub->addr);
      last = shmctl (pub->shm_id, IPC_STAT, &ds) != 0 || ds.shm_nattch == 0;
    }
  if (pub->shm_id >= 0 && last)
    shmctl (pub->shm_id, IPC_RMID, NULL);
  /* A Qt reader still attached removes the segment itself, and needs the
   * lock until then. */
  if (last)
    {
      if (pub->shm_file != NULL)
        g_unlink (pub->shm_file);
      if (pub->sem_id >= 0)
        semctl (pub->sem_id, 0, IPC_RMID);
      if (pub->sem_file != NULL)
        g_unlink (pub->sem_file);
    }
  else if (pub->sem_id >= 0)
    semaphore_op (pub->sem_id, +1, NULL);
  g_free (pub->sem_file);
  g_free (pub->shm_file);
  g_free (pub);
}

/* A segment of ours that nobody is attached to is an orphan: its Qt writer
 * was killed. Qt's next reader would attach, detach last and so remove it;
 * we do the same, under Qt's lock (held by the caller), so that a crashed
 * publisher does not block the key. Returns FALSE, errno EEXIST, when the
 * segment is someone's. */
static gboolean
reclaim_orphan (key_t sys_key)
{
  struct shmid_ds ds;
  int id = shmget (sys_key, 0, 0400);

  if (id < 0 || shmctl (id, IPC_STAT, &ds) != 0 || ds.shm_perm.uid != geteuid () ||
      ds.shm_nattch != 0)
    {
      errno = EEXIST;
      return FALSE;
    }
  g_debug ("Qt segment id %d: an orphan nobody is attached to, removing it as Qt's reader would",
           id);
  if (shmctl (id, IPC_RMID, NULL) != 0 && errno != EIDRM && errno != EINVAL)
    {
      errno = EEXIST;
      return FALSE;
    }
  return TRUE;
}

ShmvQtPublisher *
shmv_qt_segment_publish (const char *key, const void *data, gsize size, GError **error)
{
  ShmvQtPublisher *pub = g_new0 (ShmvQtPublisher, 1);
  key_t sys_key;

  g_return_val_if_fail (key != NULL && size > 0, NULL);

  pub->sem_id = pub->shm_id = -1;
  pub->sem_file = shmv_qt_key_file (key, SHMV_QT_PREFIX_SEMAPHORE);
  if (!create_key_file (pub->sem_file, error))
    {
      g_clear_pointer (&pub->sem_file, g_free);
      goto failed;
    }
  if ((sys_key = qt_ftok (pub->sem_file)) == -1 ||
      ((pub->sem_id = semget (sys_key, 1, 0600 | IPC_CREAT | IPC_EXCL)) < 0 &&
       (errno != EEXIST || (pub->sem_id = semget (sys_key, 1, 0600 | IPC_CREAT)) < 0)) ||
      semctl (pub->sem_id, 0, SETVAL, 1) != 0)
    {
      int err = errno;

      g_propagate_error (error, error_from_errno (err, _ ("Cannot make the Qt segment’s lock")));
      goto failed;
    }
  /* create() holds the lock from here, as Qt's does. */
  if (!semaphore_op (pub->sem_id, -1, error))
    goto failed;

  pub->shm_file = shmv_qt_key_file (key, SHMV_QT_PREFIX_SEGMENT);
  if (!create_key_file (pub->shm_file, error))
    {
      g_clear_pointer (&pub->shm_file, g_free);
      goto failed;
    }
  if ((sys_key = qt_ftok (pub->shm_file)) == -1 ||
      ((pub->shm_id = shmget (sys_key, size, 0600 | IPC_CREAT | IPC_EXCL)) < 0 &&
       (errno != EEXIST || !reclaim_orphan (sys_key) ||
        (pub->shm_id = shmget (sys_key, size, 0600 | IPC_CREAT | IPC_EXCL)) < 0)))
    {
      int err = errno;

      if (err == EEXIST)
        {
          /* Someone's segment: neither its key file nor the lock are ours
           * to remove. */
          g_propagate_error (error, error_key_taken (sys_key, key));
          g_clear_pointer (&pub->shm_file, g_free);
          semaphore_op (pub->sem_id, +1, NULL);
          pub->sem_id = -1;
          g_clear_pointer (&pub->sem_file, g_free);
        }
      else
        g_propagate_error (error, error_from_errno (err, _ ("Cannot create the Qt segment")));
      goto failed;
    }
  pub->addr = shmat (pub->shm_id, NULL, 0);
  if (pub->addr == (void *) -1)
    {
      int err = errno;

      pub->addr = NULL;
      g_propagate_error (error, error_from_errno (err, _ ("Cannot attach the Qt segment")));
      goto failed;
    }
  memcpy (pub->addr, data, size);
  if (!semaphore_op (pub->sem_id, +1, error))
    goto failed;
  return pub;

failed:
  publisher_free (pub);
  return NULL;
}

void
shmv_qt_publisher_withdraw (ShmvQtPublisher *publisher)
{
  if (publisher == NULL)
    return;
  /* Qt's detach() locks, so that no reader attaches meanwhile. */
  if (!semaphore_op (publisher->sem_id, -1, NULL))
    g_debug ("Qt segment %s: withdrawn without the lock", publisher->shm_file);
  publisher_free (publisher);
}

GBytes *
shmv_qt_image_take_pixels (ShmvImage *image, ShmvFrameInfo *info)
{
  gsize size = (gsize) image->height * image->stride;
  void *pixels = g_steal_pointer (&image->pixels);

  info->width = image->width;
  info->height = image->height;
  info->stride = (guint32) image->stride;
  info->format = image->format;
  info->checksum = shmv_checksum (pixels, size);
  return g_bytes_new_with_free_func (pixels, size, free, pixels);
}

GBytes *
shmv_qt_image_encode (const ShmvImage *image, GError **error)
{
  static const guint8 marker[4] = { 0, 0, 0, 1 };
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  ShmvStatus status;
  guint8 buffer[65536];
  ssize_t got;
  int fd;

  /* libshmview saves to descriptors: an anonymous file in memory is one. */
  fd = memfd_create ("shmview-qt-png", MFD_CLOEXEC);
  if (fd < 0)
    {
      int err = errno;

      g_propagate_error (error, error_from_errno (err, _ ("Cannot encode the image")));
      return NULL;
    }
  if (!shmv_png_save_fd (fd, "memory", image->pixels, image->width, image->height, image->stride,
                         image->format, &status))
    {
      g_propagate_error (error, shmv_gerror_new_from_status (&status));
      close (fd);
      return NULL;
    }
  g_byte_array_append (bytes, marker, sizeof marker);
  lseek (fd, 0, SEEK_SET);
  while ((got = read (fd, buffer, sizeof buffer)) != 0)
    {
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          int err = errno;

          g_propagate_error (error, error_from_errno (err, _ ("Cannot encode the image")));
          close (fd);
          return NULL;
        }
      g_byte_array_append (bytes, buffer, (guint) got);
    }
  close (fd);
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}
