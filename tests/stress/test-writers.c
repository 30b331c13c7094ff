/* test-writers.c: writers among themselves, and what a writer does with a
 * channel that was removed under it or found corrupt
 *
 * Issue 9, defects 5, 7 and 15 and the corrupt channels, each driven into
 * the state that failed, deterministically:
 * - two honest writers: writer 1 publishes a small frame, writer 2 (another
 *   process) grows the segment, writer 1 fills a frame again with its old
 *   mapping; a reader reads the current frame while writer 1 fills its own.
 *   A writer that places its frame by its own (stale) mapping size writes
 *   over `front`, and the reader gets CORRUPT;
 * - a PNG publish from a FIFO that stalls (this test holds the write end and
 *   writes nothing) must not stop another writer; a publish that decodes
 *   under the channel lock makes the other writer time out after 10 s;
 * - `rm` (shmv_channel_remove from another process) under an open writer:
 *   the next publish re-creates the channel under the name and says so, a
 *   fresh reader sees the frame, and no lock set is orphaned;
 * - a corrupt channel (bad magic, layout, slot count, front, truncated, a
 *   scribbled lock key) that no live process uses is replaced by the next
 *   writer, which says so; while a live process still uses it, the writer
 *   fails with SHMV_ERROR_CORRUPT and says that.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "stress-util.h"

#include "shmv-channel-layout.h"
#include "shmv-names.h"
#include "shmv-segment-private.h"
#include "shmv-syslock.h"
#include "shmv-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SMALL 64

/* Reads the current frame through @reader; asserts it is whole and of @seed. */
static void
assert_reads_seed (ShmvChannel *reader, guint32 seed)
{
  gpointer pixels = NULL;
  gsize capacity = 0;
  ShmvFrameInfo info;
  guint32 got = 0;

  if (!shmv_channel_read (reader, &pixels, &capacity, &info))
    g_error ("reading the current frame: %s", shmv_channel_error_string (reader));
  g_assert_true (stress_check (pixels, (gsize) info.stride * info.height, &got));
  g_assert_cmpuint (got, ==, seed);
  g_free (pixels);
}

static void
publish_seed (ShmvChannel *ch, guint32 side, guint32 seed)
{
  gsize bytes = (gsize) side * side * 4;
  gpointer pixels = g_malloc (bytes);

  stress_fill (pixels, bytes, seed);
  if (!shmv_channel_publish (ch, pixels, side, side, (gsize) side * 4, SHMV_FORMAT_RGBA8, "w"))
    g_error ("publishing: %s", shmv_channel_error_string (ch));
  g_free (pixels);
}

typedef struct
{
  const char *key;
  guint32 side;
  guint32 seed;
} Publish;

/* In a child: opens @key as writer, publishes once, closes. */
static int
publish_main (gpointer data)
{
  Publish *p = data;
  ShmvChannel *ch = shmv_channel_new (p->key);
  gsize bytes = (gsize) p->side * p->side * 4;
  gpointer pixels = g_malloc (bytes);
  gboolean ok;

  stress_fill (pixels, bytes, p->seed);
  ok = shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0) &&
       shmv_channel_publish (ch, pixels, p->side, p->side, (gsize) p->side * 4, SHMV_FORMAT_RGBA8,
                             "writer 2");
  shmv_channel_free (ch);
  return ok ? 0 : 1;
}

static void
run_child (StressChildFunc func, gpointer data)
{
  int status = stress_wait (stress_fork (func, data), 30000);

  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* Defect 5: writer 1 keeps its small mapping while writer 2 grows the
 * segment; writer 1's next frame must not be placed over writer 2's current
 * one. The reader reads the current frame while writer 1 is filling its own. */
static void
test_stale_mapping_never_overwrites_front (void)
{
  g_autofree char *key = shmv_test_unique_key ("writers-grow");
  ShmvChannel *writer, *reader;
  guint32 seed = 1;

  stress_register_key (key);
  writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  publish_seed (writer, SMALL, seed++);

  for (guint32 round = 1; round <= 4; round++)
    {
      Publish grow = { key, SMALL * (2 + round), seed++ };
      guint8 *dest;
      gsize stride;

      run_child (publish_main, &grow);
      assert_reads_seed (reader, grow.seed);

      /* Writer 1 has not mapped the new size: it learns it only by asking. */
      g_assert_true (shmv_channel_begin_frame (writer, SMALL, SMALL, SHMV_FORMAT_RGBA8,
                                               (void **) &dest, &stride));
      stress_fill (dest, stride * SMALL, seed);
      assert_reads_seed (reader, grow.seed);
      g_assert_true (shmv_channel_commit_frame (writer, "writer 1"));
      assert_reads_seed (reader, seed++);
    }

  shmv_channel_free (reader);
  shmv_channel_free (writer);
  stress_assert_nothing_left (key, -1);
}

/* The bytes of a PNG of SMALL x SMALL RGBA8 pixels of pattern @seed. */
static GBytes *
make_png (guint32 seed)
{
  g_autofree char *dir = g_dir_make_tmp ("shmv-writers-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "frame.png", NULL);
  gsize bytes = SMALL * SMALL * 4;
  gpointer pixels = g_malloc (bytes);
  ShmvStatus status;
  char *contents;
  gsize length;

  stress_fill (pixels, bytes, seed);
  g_assert_true (shmv_png_save (path, pixels, SMALL, SMALL, SMALL * 4, SHMV_FORMAT_RGBA8, &status));
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_unlink (path);
  g_rmdir (dir);
  g_free (pixels);
  return g_bytes_new_take (contents, length);
}

typedef struct
{
  const char *key;
  const char *path;
  int parent_fd; /* the parent's end of the FIFO, inherited: closed at once */
} PngPublish;

static int
png_publish_main (gpointer data)
{
  PngPublish *p = data;
  ShmvChannel *ch = shmv_channel_new (p->key);
  gboolean ok;

  close (p->parent_fd);
  ok = shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0) &&
       shmv_channel_publish_png (ch, p->path, NULL);
  if (!ok)
    g_printerr ("%s\n", shmv_channel_error_string (ch));
  shmv_channel_free (ch);
  return ok ? 0 : 1;
}

/* Whether @pid sleeps in read() (the syscall /proc reports). */
static gboolean
blocked_in_read (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/syscall", (int) pid);
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  return g_ascii_strtoll (contents, NULL, 10) == SYS_read && g_ascii_isdigit (contents[0]);
}

/* Waits (up to 10 s) until @pid has taken everything in the pipe of @fd
 * and sleeps in read() for more. */
static void
wait_until_starved (pid_t pid, int fd)
{
  for (int i = 0; i < 5000; i++)
    {
      int queued = -1;

      g_assert_cmpint (ioctl (fd, FIONREAD, &queued), ==, 0);
      if (queued == 0 && blocked_in_read (pid))
        return;
      g_usleep (2000);
    }
  g_error ("the publishing child never waited for more input");
}

/* Defect 15: a PNG publish whose input stalls holds nothing another writer
 * needs. The child has the start of the file (up to a few bytes of image
 * data) and waits for the rest; meanwhile another writer publishes. */
static void
test_stalled_png_does_not_block_writers (void)
{
  g_autofree char *key = shmv_test_unique_key ("writers-stall");
  g_autofree char *dir = g_dir_make_tmp ("shmv-writers-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "stall.png", NULL);
  g_autoptr (GBytes) png = make_png (7);
  gsize length;
  const guint8 *bytes = g_bytes_get_data (png, &length);
  const gsize head = 8 + 25 + 8 + 4; /* signature, IHDR, IDAT's header, 4 bytes of it */
  PngPublish p = { key, fifo, -1 };
  ShmvChannel *writer, *reader;
  static guint8 pixels[SMALL * SMALL * 4];
  pid_t child;
  int fd, status;

  stress_register_key (key);
  writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  publish_seed (writer, SMALL, 1);

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  /* Read-write: neither this open nor the child's blocks, and the child
   * never sees the end of the file until we close it. */
  fd = open (fifo, O_RDWR | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (memcmp (bytes + 37, "IDAT", 4), ==, 0);
  g_assert_cmpint (write (fd, bytes, head), ==, (gssize) head);
  p.parent_fd = fd;
  child = stress_fork (png_publish_main, &p);
  wait_until_starved (child, fd);
  /* Open at both ends: the name can go, and nothing is left if we fail. */
  g_unlink (fifo);
  g_rmdir (dir);

  /* Another writer, with the stalled publish under way. */
  stress_fill (pixels, sizeof pixels, 2);
  if (!shmv_channel_publish (writer, pixels, SMALL, SMALL, SMALL * 4, SHMV_FORMAT_RGBA8, "w"))
    {
      g_test_message ("%s", shmv_channel_error_string (writer));
      stress_protection_failed ("shmv-png.c, shmv_channel_publish_png(): it reads its input while "
                                "holding the channel lock, so a stalled source stops every "
                                "other writer");
    }
  assert_reads_seed (reader, 2);

  /* The rest arrives: the stalled publish completes. */
  g_assert_cmpint (write (fd, bytes + head, length - head), ==, (gssize) (length - head));
  close (fd);
  status = stress_wait (child, 30000);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  assert_reads_seed (reader, 7);

  shmv_channel_free (reader);
  shmv_channel_free (writer);
  stress_assert_nothing_left (key, -1);
}

static int
remove_main (gpointer data)
{
  ShmvChannel *ch = shmv_channel_new (data);
  gboolean ok = shmv_channel_remove (ch);

  shmv_channel_free (ch);
  return ok ? 0 : 1;
}

/* Defect 7: `rm` under an open writer. */
static void
test_removed_under_writer_is_recreated (void)
{
  g_autofree char *key = shmv_test_unique_key ("writers-rm");
  ShmvChannel *writer, *reader;
  int lock_key;

  stress_register_key (key);
  writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  publish_seed (writer, SMALL, 1);
  g_assert_null (shmv_channel_recreated (writer));
  g_assert_cmpint (stress_count_lock_sets (key), ==, 1);

  for (guint32 seed = 2; seed <= 3; seed++)
    {
      run_child (remove_main, key);
      g_assert_cmpint (stress_count_lock_sets (key), ==, 0);
      publish_seed (writer, SMALL, seed);
      g_assert_nonnull (shmv_channel_recreated (writer));
      g_test_message ("%s", shmv_channel_recreated (writer));
      g_assert_nonnull (strstr (shmv_channel_recreated (writer), "re-created"));

      /* The frame is where a new reader looks, and one lock serves it. */
      reader = shmv_channel_new (key);
      if (!shmv_channel_open (reader, SHMV_CHANNEL_READER, 0))
        g_error ("a fresh reader cannot open the channel: %s", shmv_channel_error_string (reader));
      assert_reads_seed (reader, seed);
      shmv_channel_free (reader);
      g_assert_cmpint (stress_count_lock_sets (key), ==, 1);
    }

  publish_seed (writer, SMALL, 4);
  g_assert_null (shmv_channel_recreated (writer));
  lock_key = stress_lock_key_of (key);
  g_assert_true (stress_lock_exists (lock_key));
  shmv_channel_free (writer);
  stress_assert_nothing_left (key, lock_key);
}

/* Corrupt channels */

typedef enum
{
  BAD_MAGIC,
  BAD_LAYOUT,
  BAD_SLOT_COUNT,
  BAD_FRONT,
  TRUNCATED,
  EMPTIED,
  BAD_LOCK_KEY,
  N_CORRUPTIONS,
} Corruption;

static const char *const corruption_names[] = {
  "bad-magic", "bad-layout", "bad-slot-count", "bad-front", "truncated", "emptied", "bad-lock-key",
};

static void
put_u32 (int fd, off_t at, guint32 value)
{
  g_assert_cmpint (pwrite (fd, &value, sizeof value, at), ==, (gssize) sizeof value);
}

/* Does to the segment of @key what a buggy peer or a bad disk would. */
static void
corrupt (const char *key, Corruption how)
{
  ShmvSegment *seg = shmv_segment_new (key);
  g_autofree char *path = g_strdup_printf ("/dev/shm%s", shmv_segment_native_key (seg));
  const off_t header = SHMV_SEGMENT_DATA_OFFSET;
  int fd = open (path, O_RDWR | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  switch (how)
    {
    case BAD_MAGIC:
      g_assert_cmpint (pwrite (fd, "NOTACHAN", 8, header), ==, 8);
      break;
    case BAD_LAYOUT:
      put_u32 (fd, header + offsetof (ShmvChannelHeader, layout), 77);
      break;
    case BAD_SLOT_COUNT:
      put_u32 (fd, header + offsetof (ShmvChannelHeader, n_slots), 1000);
      break;
    case BAD_FRONT:
      put_u32 (fd, header + offsetof (ShmvChannelHeader, front), 0x7FFFFFFF);
      break;
    case TRUNCATED:
      g_assert_cmpint (ftruncate (fd, header + 64), ==, 0);
      break;
    case EMPTIED:
      g_assert_cmpint (ftruncate (fd, 0), ==, 0);
      break;
    case BAD_LOCK_KEY:
      put_u32 (fd, offsetof (ShmvSegmentPrefix, lock_key), 0x12345);
      break;
    case N_CORRUPTIONS:
    default:
      g_assert_not_reached ();
    }
  close (fd);
  shmv_segment_free (seg);
}

/* Makes the channel as `shmview-ctl publish` does: persistent, left alone. */
static void
make_persistent_channel (const char *key)
{
  ShmvChannel *writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);

  g_assert_true (shmv_channel_set_persistent (writer, TRUE));
  publish_seed (writer, SMALL, 1);
  shmv_channel_free (writer);
}

static void
test_corrupt_unused_is_replaced (gconstpointer data)
{
  Corruption how = GPOINTER_TO_INT (data);
  g_autofree char *key = shmv_test_unique_key ("writers-corrupt");
  ShmvChannel *writer = shmv_channel_new (key), *reader;
  int lock_key;

  stress_register_key (key);
  make_persistent_channel (key);
  corrupt (key, how);

  if (!shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0))
    g_error ("a writer cannot replace the corrupt channel: %s", shmv_channel_error_string (writer));
  /* A file of our name with no segment prefix at all is what a creator
   * killed at its start could leave: stale, reclaimed without a word. */
  if (how == EMPTIED)
    goto replaced;
  g_assert_nonnull (shmv_channel_recreated (writer));
  g_test_message ("%s", shmv_channel_recreated (writer));
  g_assert_nonnull (strstr (shmv_channel_recreated (writer), "replaced a corrupt channel: "));
replaced:
  publish_seed (writer, SMALL, 2);
  g_assert_null (shmv_channel_recreated (writer));

  reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  assert_reads_seed (reader, 2);
  shmv_channel_free (reader);
  lock_key = stress_lock_key_of (key);
  g_assert_cmpint (stress_count_lock_sets (key), ==, 1);
  shmv_channel_free (writer);
  stress_assert_nothing_left (key, lock_key);
}

typedef struct
{
  const char *key;
  int fd;
} Holder;

static int
holder_main (gpointer data)
{
  Holder *h = data;
  ShmvChannel *ch = shmv_channel_new (h->key);

  if (!shmv_channel_open (ch, SHMV_CHANNEL_READER, 0))
    return 1;
  g_assert_cmpint (write (h->fd, "H", 1), ==, 1);
  for (;;)
    pause ();
}

static void
test_corrupt_in_use_fails (gconstpointer data)
{
  Corruption how = GPOINTER_TO_INT (data);
  g_autofree char *key = shmv_test_unique_key ("writers-corrupt-held");
  ShmvChannel *writer = shmv_channel_new (key);
  Holder h = { key, -1 };
  int fds[2];
  char c;
  pid_t holder;

  stress_register_key (key);
  make_persistent_channel (key);
  g_assert_cmpint (pipe (fds), ==, 0);
  h.fd = fds[1];
  holder = stress_fork (holder_main, &h);
  close (fds[1]);
  g_assert_cmpint (read (fds[0], &c, 1), ==, 1);
  close (fds[0]);
  corrupt (key, how);

  g_assert_false (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  g_test_message ("%s", shmv_channel_error_string (writer));
  g_assert_cmpint (shmv_channel_error (writer), ==, SHMV_ERROR_CORRUPT);
  g_assert_nonnull (strstr (shmv_channel_error_string (writer), "still uses it"));
  g_assert_true (shmv_test_shm_exists (shmv_channel_native_key (writer) + 1)); /* left alone */

  stress_kill (holder);
  shmv_channel_free (writer);
  stress_remove_key (key);
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stress/writers/stale-mapping-never-overwrites-front",
                   test_stale_mapping_never_overwrites_front);
  g_test_add_func ("/stress/writers/stalled-png-does-not-block-writers",
                   test_stalled_png_does_not_block_writers);
  g_test_add_func ("/stress/writers/removed-under-writer-is-recreated",
                   test_removed_under_writer_is_recreated);
  for (Corruption how = 0; how < N_CORRUPTIONS; how++)
    {
      g_autofree char *unused =
          g_strdup_printf ("/stress/writers/corrupt-unused-replaced/%s", corruption_names[how]);
      g_autofree char *held =
          g_strdup_printf ("/stress/writers/corrupt-in-use-fails/%s", corruption_names[how]);

      g_test_add_data_func (unused, GINT_TO_POINTER (how), test_corrupt_unused_is_replaced);
      g_test_add_data_func (held, GINT_TO_POINTER (how), test_corrupt_in_use_fails);
    }
  result = g_test_run ();
  stress_cleanup ();
  return result;
}
