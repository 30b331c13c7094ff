/* test-gui-processes.c: the real shmview binary, as writer and as reader processes
 *
 * Writers and readers here are separate processes: `shmview --writer` and
 * `shmview --reader`, started as a user would, plus in-process reader panes
 * and plain libshmview handles to check what they do. The spawned programs
 * say what they show through their debug log (G_MESSAGES_DEBUG).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <shmview/shmview.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shmv-test-gtk.h"
#include "shmv-events.h"
#include "shmv-reader-pane.h"
#include "shmv-test-ctl.h"
#include "shmv-test-util.h"
#include "shmv-window.h"
#include "shmv-writer-pane.h"

#define TIMEOUT_MS 20000
#define W          64
#define H          48

static const char *shmview_bin = SHMVIEW_BIN;

/* Waits for one of the debug lines of shmv-events.h, its format filled in. */
G_GNUC_PRINTF (2, 3)
static gboolean
wait_for_event (int fd, const char *format, ...)
{
  g_autofree char *needle = NULL;
  va_list args;

  va_start (args, format);
  needle = g_strdup_vprintf (format, args);
  va_end (args);
  return shmv_test_wait_for_line (fd, needle, TIMEOUT_MS);
}

typedef struct
{
  GPid pid;
  int out;
} Child;

static Child
start_shmview (const char *debug_domains, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  Child child = { 0 };
  va_list args;
  const char *arg = NULL;

  g_ptr_array_add (argv, (gpointer) shmview_bin);
  va_start (args, debug_domains);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  child.pid = shmv_test_spawn ((const char *const *) argv->pdata, debug_domains, &child.out, NULL);
  return child;
}

/* The program ends by itself, successfully; its pipe is closed. */
static void
assert_exits_ok (Child *child)
{
  int status = shmv_test_wait_timeout (child->pid, TIMEOUT_MS);

  g_assert_cmpint (status, !=, -1);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_spawn_close_pid (child->pid);
  close (child->out);
  child->pid = 0;
}

/* SIGTERM must end the program the way closing its window does: exit 0. */
static void
stop_cleanly (Child *child)
{
  g_assert_cmpint (kill (child->pid, SIGTERM), ==, 0);
  assert_exits_ok (child);
}

static char *
native_name (const char *key)
{
  ShmvChannel *ch = shmv_channel_new (key);
  const char *native = shmv_channel_native_key (ch);
  char *name = g_strdup (native + (native[0] == '/'));

  shmv_channel_free (ch);
  return name;
}

/* A library reader's view of the channel: waits for @generation, then copies. */
static guint8 *
read_channel (ShmvChannel *ch, guint32 generation, ShmvFrameInfo *info)
{
  void *pixels = NULL;
  size_t capacity = 0;

  while (shmv_channel_generation (ch) < generation)
    g_assert_true (shmv_channel_wait (ch, shmv_channel_generation (ch), TIMEOUT_MS));
  g_assert_true (shmv_channel_read (ch, &pixels, &capacity, info));
  return pixels;
}

static ShmvChannel *
open_reader (const char *key)
{
  ShmvChannel *ch = shmv_channel_new (key);

  g_assert_true (shmv_channel_open (ch, SHMV_CHANNEL_READER, TIMEOUT_MS));
  return ch;
}

static void
publish_on (ShmvChannel *ch, const guint8 *pixels, guint32 width, guint32 height)
{
  g_assert_true (shmv_channel_publish (ch, pixels, width, height, (size_t) width * 3,
                                       SHMV_FORMAT_RGB8, "test"));
}

/* Publishes from a writer of its own, which then leaves without withdrawing. */
static void
publish (const char *key, const guint8 *pixels, guint32 width, guint32 height)
{
  ShmvChannel *ch = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);

  publish_on (ch, pixels, width, height);
  shmv_channel_free (ch);
}

typedef struct
{
  ShmvReaderPane *pane;
  guint32 generation;
  int state;
} PaneWait;

static gboolean
pane_reached (gpointer data)
{
  PaneWait *wait = data;
  ShmvFrameInfo info;

  if (wait->state >= 0 && (int) shmv_reader_pane_get_state (wait->pane) != wait->state)
    return FALSE;
  return shmv_reader_pane_get_frame_info (wait->pane, &info) && info.generation >= wait->generation;
}

static void
wait_pane (ShmvReaderPane *pane, guint32 generation, int state)
{
  PaneWait wait = { pane, generation, state };

  g_assert_true (gui_test_wait_until (pane_reached, &wait, TIMEOUT_MS));
}

static void
test_writer_and_reader_binaries_follow (void)
{
  g_autofree char *key = NULL;
  g_autofree char *native = NULL;
  g_autofree char *a_path = NULL;
  g_autofree guint8 *a = NULL;
  g_autofree guint8 *b = NULL;
  g_autofree guint8 *seen = NULL;
  ShmvChannel *lib_reader = NULL;
  ShmvWindow *window = NULL;
  ShmvReaderPane *pane = NULL;
  ShmvFrameInfo info;
  Child writer, reader;
  gsize stride = 0;

  GUI_TEST_REQUIRE_DISPLAY ();

  key = shmv_test_unique_key ("procs");
  native = native_name (key);
  a_path = shmv_test_path ("procs-a.png");
  a = shmv_test_write_png (a_path, W, H, SHMV_FORMAT_RGB8, 11);
  b = shmv_test_pattern_image (W, H, SHMV_FORMAT_RGB8, 12, &stride);

  /* shmview --writer --load A.png: its frame is A, pixel for pixel. */
  writer = start_shmview ("shmv-writer-pane", "--writer", "--load", a_path, "-k", key, NULL);
  lib_reader = open_reader (key);
  seen = read_channel (lib_reader, 1, &info);
  g_assert_cmpmem (seen, info.height * info.stride, a, stride * H);
  g_clear_pointer (&seen, free);

  /* shmview --reader shows it, and so does a reader pane in this process. */
  reader = start_shmview ("shmv-reader-pane", "--reader", "-k", key, NULL);
  g_assert_true (wait_for_event (reader.out, SHMV_EVENT_READER_SHOWING, 1));
  window = shmv_window_new (NULL, SHMV_WINDOW_MODE_READER, key);
  pane = shmv_window_get_reader_pane (window);
  gtk_window_present (GTK_WINDOW (window));
  wait_pane (pane, 1, SHMV_SOURCE_STATE_LIVE);
  gui_test_assert_texture (shmv_reader_pane_get_texture (pane), a, W, H, stride, SHMV_FORMAT_RGB8);

  /* A second writer publishes B: both readers follow without any input. */
  publish (key, b, W, H);
  g_assert_true (wait_for_event (reader.out, SHMV_EVENT_READER_SHOWING, 2));
  wait_pane (pane, 2, -1);
  gui_test_assert_texture (shmv_reader_pane_get_texture (pane), b, W, H, stride, SHMV_FORMAT_RGB8);
  seen = read_channel (lib_reader, 2, &info);
  g_assert_cmpmem (seen, info.height * info.stride, b, stride * H);
  g_clear_pointer (&seen, free);

  /* The writer goes: the readers keep B and say that nobody writes any more. */
  stop_cleanly (&writer);
  wait_pane (pane, 2, SHMV_SOURCE_STATE_WRITER_LEFT);
  g_assert_cmpstr (shmv_reader_pane_get_message (pane), ==, "Writer left — showing the last image");
  gui_test_assert_texture (shmv_reader_pane_get_texture (pane), b, W, H, stride, SHMV_FORMAT_RGB8);
  g_assert_true (wait_for_event (reader.out, SHMV_EVENT_READER_STATE, "writer-left"));

  stop_cleanly (&reader);
  shmv_channel_free (lib_reader);
  gui_test_destroy_window (GTK_WINDOW (window));
  g_assert_false (shmv_test_shm_exists (native));
}

/* A reader is there first: it waits, then follows the writer when it
 * appears. The writer then ends by @signo: SIGTERM closes it like its close
 * button (it withdraws its image, exit 0); SIGKILL tells nobody, and the
 * reader must notice all the same. Either way it keeps the image. */
static void
check_writer_end_is_noticed (int signo, const char *what)
{
  g_autofree char *key = shmv_test_unique_key (what);
  g_autofree char *native = native_name (key);
  g_autofree char *png = g_strdup_printf ("%s.png", what);
  g_autofree char *path = shmv_test_path (png);
  g_autofree guint8 *pixels = NULL;
  ShmvWindow *window = NULL;
  ShmvReaderPane *pane = NULL;
  Child writer;

  GUI_TEST_REQUIRE_DISPLAY ();

  pixels = shmv_test_write_png (path, W, H, SHMV_FORMAT_RGB8, (guint) signo);
  window = shmv_window_new (NULL, SHMV_WINDOW_MODE_READER, key);
  pane = shmv_window_get_reader_pane (window);
  gtk_window_present (GTK_WINDOW (window));
  gui_test_spin (100);
  g_assert_cmpint (shmv_reader_pane_get_state (pane), ==, SHMV_SOURCE_STATE_WAITING);

  writer = start_shmview (NULL, "--writer", "--load", path, "-k", key, NULL);
  wait_pane (pane, 1, SHMV_SOURCE_STATE_LIVE);

  if (signo == SIGTERM)
    stop_cleanly (&writer);
  else
    {
      g_assert_cmpint (kill (writer.pid, signo), ==, 0);
      g_assert_cmpint (shmv_test_wait_timeout (writer.pid, TIMEOUT_MS), !=, -1);
      g_spawn_close_pid (writer.pid);
      close (writer.out);
    }
  wait_pane (pane, 1, SHMV_SOURCE_STATE_WRITER_LEFT);
  gui_test_assert_texture (shmv_reader_pane_get_texture (pane), pixels, W, H, (gsize) W * 3,
                           SHMV_FORMAT_RGB8);

  gui_test_destroy_window (GTK_WINDOW (window));
  g_assert_false (shmv_test_shm_exists (native));
}

static void
test_sigterm_on_writer_is_noticed (void)
{
  check_writer_end_is_noticed (SIGTERM, "sigterm");
}

static void
test_killed_writer_is_noticed (void)
{
  check_writer_end_is_noticed (SIGKILL, "sigkill");
}

static void
test_bad_file_keeps_the_writer_alive (void)
{
  g_autofree char *key = shmv_test_unique_key ("badfile");
  g_autofree char *native = native_name (key);
  g_autofree char *path = shmv_test_path ("bad.jpg");
  Child writer;

  GUI_TEST_REQUIRE_DISPLAY ();

  shmv_test_write_file (path, "\xff\xd8\xff\xe0 not really a JPEG", 22);
  writer = start_shmview ("shmv-writer-pane", "--writer", "--load", path, "-k", key, NULL);
  g_assert_true (wait_for_event (writer.out, SHMV_EVENT_WRITER_ERROR, key));
  gui_test_spin (300);
  g_assert_true (shmv_test_pid_alive (writer.pid));
  stop_cleanly (&writer);
  g_assert_false (shmv_test_shm_exists (native));
}

static void
test_reader_reconnects_when_the_writer_restarts (void)
{
  g_autofree char *key = shmv_test_unique_key ("restart");
  g_autofree char *native = native_name (key);
  g_autofree guint8 *first = NULL;
  g_autofree guint8 *second = NULL;
  ShmvChannel *writer = NULL;
  gsize stride = 0;
  Child reader;

  GUI_TEST_REQUIRE_DISPLAY ();

  first = shmv_test_pattern_image (W, H, SHMV_FORMAT_RGB8, 14, &stride);
  second = shmv_test_pattern_image (W / 2, H / 2, SHMV_FORMAT_RGB8, 15, &stride);

  reader = start_shmview ("shmv-reader-pane", "--reader", "-k", key, NULL);
  g_assert_true (wait_for_event (reader.out, SHMV_EVENT_READER_FOLLOWING, key));

  /* A writer publishes, then removes its channel on the way out... */
  writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  publish_on (writer, first, W, H);
  g_assert_true (wait_for_event (reader.out, SHMV_EVENT_READER_SHOWING, 1));
  g_assert_true (shmv_channel_remove (writer));
  shmv_channel_free (writer);

  /* ...and its successor makes the channel again: the reader follows it there. */
  writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  publish_on (writer, second, W / 2, H / 2);
  g_assert_true (shmv_test_wait_for_line (reader.out, "32x24 RGB8", TIMEOUT_MS));
  shmv_channel_free (writer);

  stop_cleanly (&reader);
  g_assert_false (shmv_test_shm_exists (native));
}

/* Quitting in the middle of a load must not lose the withdrawal or leave the
 * channel behind: the app waits for the worker to hand the channel back. */
static void
test_sigterm_during_a_load_cleans_up (void)
{
  g_autofree char *key = shmv_test_unique_key ("midload");
  g_autofree char *native = native_name (key);
  g_autofree char *path = shmv_test_path ("large.png");
  g_autofree guint8 *pixels = NULL;
  Child writer;

  GUI_TEST_REQUIRE_DISPLAY ();

  pixels = shmv_test_write_png (path, 3000, 2000, SHMV_FORMAT_RGBA16, 16);
  writer = start_shmview ("shmv-image-loader", "--writer", "--load", path, "-k", key, NULL);
  g_assert_true (wait_for_event (writer.out, SHMV_EVENT_LOADING, "large.png"));
  stop_cleanly (&writer);
  g_assert_false (shmv_test_shm_exists (native));
}

/* --- The writer pane shows the channel's state (issue 14) ---------------- */

static void
ctl_ok (const char *command, const char *arg, const char *key)
{
  g_autofree char *err = NULL;

  if (arg != NULL)
    ctl_assert_exit (ctl_run (NULL, &err, command, arg, "-k", key, NULL), 0, err);
  else
    ctl_assert_exit (ctl_run (NULL, &err, command, "-k", key, NULL), 0, err);
}

/* `shmview-ctl rm`, and nothing is left. */
static void
remove_channel (const char *key, const char *native)
{
  ctl_ok ("rm", NULL, key);
  g_assert_false (shmv_test_shm_exists (native));
}

typedef struct
{
  ShmvWriterPane *pane;
  guint32 generation;
} WriterWait;

static gboolean
writer_reached (gpointer data)
{
  WriterWait *wait = data;

  return !shmv_writer_pane_is_loading (wait->pane) &&
         shmv_writer_pane_get_generation (wait->pane) == wait->generation;
}

static void
wait_writer (ShmvWriterPane *pane, guint32 generation)
{
  WriterWait wait = { pane, generation };

  g_assert_true (gui_test_wait_until (writer_reached, &wait, TIMEOUT_MS));
}

typedef struct
{
  ShmvWriterPane *pane;
  const char *message;
} MessageWait;

static gboolean
writer_says (gpointer data)
{
  MessageWait *wait = data;

  return g_strcmp0 (shmv_writer_pane_get_message (wait->pane), wait->message) == 0;
}

static ShmvWindow *
open_writer_window (const char *key, ShmvWriterPane **pane)
{
  ShmvWindow *window = shmv_window_new (NULL, SHMV_WINDOW_MODE_WRITER, key);

  *pane = shmv_window_get_writer_pane (window);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
load_in (ShmvWriterPane *pane, const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);

  shmv_writer_pane_load_file (pane, file);
}

/* Whether the pane's Publish Again button can be pressed. */
static gboolean
republish_enabled (ShmvWriterPane *pane)
{
  GtkWidget *label = gui_test_find_widget (GTK_WIDGET (pane), GTK_TYPE_LABEL, "Publish _Again");

  g_assert_nonnull (label);
  return gtk_widget_is_sensitive (gtk_widget_get_ancestor (label, GTK_TYPE_BUTTON));
}

/* `shmview-ctl rm`, then Publish Again: the channel is made again, readers
 * find it, and the pane says what happened. */
static void
test_publish_after_rm_recreates_the_channel (void)
{
  g_autofree char *key = shmv_test_unique_key ("rm-publish");
  g_autofree char *native = native_name (key);
  g_autofree char *path = shmv_test_path ("rm-publish.png");
  g_autofree guint8 *pixels = NULL;
  g_autofree guint8 *seen = NULL;
  g_autofree char *expected = NULL;
  ShmvWriterPane *pane = NULL;
  ShmvWindow *window = NULL;
  ShmvChannel *reader = NULL;
  ShmvFrameInfo info;
  MessageWait removed = { NULL, "The channel was removed: publishing again makes it anew" };

  GUI_TEST_REQUIRE_DISPLAY ();

  pixels = shmv_test_write_png (path, W, H, SHMV_FORMAT_RGB8, 21);
  window = open_writer_window (key, &pane);
  removed.pane = pane;
  load_in (pane, path);
  wait_writer (pane, 1);

  remove_channel (key, native);
  /* The pane learns it at once, before any publish, and the way out it
   * names is there to take. */
  g_assert_true (gui_test_wait_until (writer_says, &removed, TIMEOUT_MS));
  g_assert_true (republish_enabled (pane));

  gtk_widget_activate_action (GTK_WIDGET (pane), "writer.republish", NULL);
  wait_writer (pane, 1);
  g_assert_true (shmv_test_shm_exists (native));
  expected = g_strdup_printf ("Channel “%s” was removed; publishing made it again", key);
  g_assert_cmpstr (shmv_writer_pane_get_message (pane), ==, expected);
  g_assert_null (shmv_writer_pane_get_error (pane));

  /* Another process finds the image there. */
  reader = open_reader (key);
  seen = read_channel (reader, 1, &info);
  g_assert_cmpmem (seen, info.height * info.stride, pixels, (gsize) W * 3 * H);
  shmv_channel_free (reader);

  gui_test_destroy_window (GTK_WINDOW (window));
  g_assert_false (shmv_test_shm_exists (native));
}

/* A writer showing another writer's image has nothing of its own to
 * publish again: after `shmview-ctl rm` it says what it can do. */
static void
test_rm_under_a_writer_with_no_image_of_its_own (void)
{
  g_autofree char *key = shmv_test_unique_key ("rm-theirs");
  g_autofree char *native = native_name (key);
  g_autofree char *path = shmv_test_path ("rm-theirs.png");
  ShmvWriterPane *pane = NULL;
  ShmvWindow *window = NULL;
  MessageWait removed = { NULL, "The channel was removed: load an image to make it again" };

  GUI_TEST_REQUIRE_DISPLAY ();

  g_free (shmv_test_write_png (path, W, H, SHMV_FORMAT_RGB8, 26));
  ctl_ok ("publish", path, key);
  window = open_writer_window (key, &pane);
  removed.pane = pane;
  wait_writer (pane, 1);
  g_assert_false (republish_enabled (pane));

  remove_channel (key, native);
  g_assert_true (gui_test_wait_until (writer_says, &removed, TIMEOUT_MS));
  g_assert_false (republish_enabled (pane));

  gui_test_destroy_window (GTK_WINDOW (window));
  g_assert_false (shmv_test_shm_exists (native));
}

/* A second writer (shmview-ctl, another process) replaces the frame: the
 * first writer's pane shows that frame and says whose it is. */
static void
test_second_writer_shown_in_the_first_writers_pane (void)
{
  g_autofree char *key = shmv_test_unique_key ("two-writers");
  g_autofree char *native = native_name (key);
  g_autofree char *mine = shmv_test_path ("two-writers-mine.png");
  g_autofree char *theirs = shmv_test_path ("two-writers-theirs.png");
  g_autofree guint8 *their_pixels = NULL;
  ShmvWriterPane *pane = NULL;
  ShmvWindow *window = NULL;
  gsize stride = (gsize) (W / 2) * 4;

  GUI_TEST_REQUIRE_DISPLAY ();

  g_free (shmv_test_write_png (mine, W, H, SHMV_FORMAT_RGB8, 22));
  their_pixels = shmv_test_write_png (theirs, W / 2, H / 2, SHMV_FORMAT_RGBA8, 23);
  window = open_writer_window (key, &pane);
  load_in (pane, mine);
  wait_writer (pane, 1);
  g_assert_null (shmv_writer_pane_get_message (pane));

  ctl_ok ("publish", theirs, key);
  wait_writer (pane, 2);
  g_assert_cmpstr (shmv_writer_pane_get_message (pane), ==,
                   "Another writer published generation 2");
  gui_test_assert_texture (GDK_TEXTURE (shmv_writer_pane_get_preview (pane)), their_pixels, W / 2,
                           H / 2, stride, SHMV_FORMAT_RGBA8);

  /* Our own publish again: ours on screen, the banner gone. */
  gtk_widget_activate_action (GTK_WIDGET (pane), "writer.republish", NULL);
  wait_writer (pane, 3);
  g_assert_null (shmv_writer_pane_get_message (pane));

  gui_test_destroy_window (GTK_WINDOW (window));
  remove_channel (key, native);
}

/* A writer opened on a key that holds an image shows that image. */
static void
test_writer_opens_on_the_existing_image (void)
{
  g_autofree char *key = shmv_test_unique_key ("existing");
  g_autofree char *native = native_name (key);
  g_autofree char *path = shmv_test_path ("existing.png");
  g_autofree guint8 *pixels = NULL;
  ShmvWriterPane *pane = NULL;
  ShmvWindow *window = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();

  pixels = shmv_test_write_png (path, W, H, SHMV_FORMAT_RGB8, 24);
  ctl_ok ("publish", path, key);
  window = open_writer_window (key, &pane);
  wait_writer (pane, 1);
  g_assert_cmpstr (shmv_writer_pane_get_message (pane), ==,
                   "Another writer published generation 1");
  gui_test_assert_texture (GDK_TEXTURE (shmv_writer_pane_get_preview (pane)), pixels, W, H,
                           (gsize) W * 3, SHMV_FORMAT_RGB8);

  gui_test_destroy_window (GTK_WINDOW (window));
  remove_channel (key, native);
}

/* `shmview-ctl publish` exits; a GUI writer opens the channel: info names
 * the GUI writer, alive, then, once it closed, the same pid, gone. */
static void
test_info_names_the_gui_writer (void)
{
  g_autofree char *key = shmv_test_unique_key ("info-gui");
  g_autofree char *native = native_name (key);
  g_autofree char *path = shmv_test_path ("info-gui.png");
  gboolean alive = FALSE;
  Child writer;

  GUI_TEST_REQUIRE_DISPLAY ();

  g_free (shmv_test_write_png (path, W, H, SHMV_FORMAT_RGB8, 25));
  ctl_ok ("publish", path, key);
  g_assert_cmpint (ctl_info_writer_pid (key, &alive), >, 0);
  g_assert_false (alive);

  writer = start_shmview ("shmv-writer-pane", "--writer", "-k", key, NULL);
  g_assert_true (wait_for_event (writer.out, SHMV_EVENT_WRITER_OTHER, 1, key));
  g_assert_cmpint (ctl_info_writer_pid (key, &alive), ==, writer.pid);
  g_assert_true (alive);

  {
    GPid pid = writer.pid;

    stop_cleanly (&writer);
    g_assert_cmpint (ctl_info_writer_pid (key, &alive), ==, pid);
    g_assert_false (alive);
  }

  remove_channel (key, native);
}

/* `shmview-ctl publish` keeps its image on purpose, with no writer: the
 * reader says so plainly, no warning; after `shmview-ctl rm`, it says the
 * channel was removed (not that a writer left). */
static void
test_kept_image_then_removed_channel (void)
{
  g_autofree char *key = shmv_test_unique_key ("kept");
  g_autofree char *native = native_name (key);
  g_autofree char *path = shmv_test_path ("kept.png");
  ShmvWindow *window = NULL;
  ShmvReaderPane *pane = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();

  g_free (shmv_test_write_png (path, W, H, SHMV_FORMAT_RGB8, 26));
  ctl_ok ("publish", path, key);
  window = shmv_window_new (NULL, SHMV_WINDOW_MODE_READER, key);
  pane = shmv_window_get_reader_pane (window);
  gtk_window_present (GTK_WINDOW (window));
  wait_pane (pane, 1, SHMV_SOURCE_STATE_KEPT);
  g_assert_null (shmv_reader_pane_get_message (pane));
  g_assert_nonnull (strstr (shmv_reader_pane_get_status (pane), "kept without a writer"));

  ctl_ok ("rm", NULL, key);
  wait_pane (pane, 1, SHMV_SOURCE_STATE_REMOVED);
  g_assert_cmpstr (shmv_reader_pane_get_message (pane), ==,
                   "Channel removed — showing the last image");
  g_assert_null (strstr (shmv_reader_pane_get_status (pane), "kept without a writer"));

  gui_test_destroy_window (GTK_WINDOW (window));
  g_assert_false (shmv_test_shm_exists (native));
}

static void
run_without_display (const char *option, const char *expected)
{
  const char *argv[] = { shmview_bin, option, NULL };
  g_auto (GStrv) env = g_get_environ ();
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  env = g_environ_unsetenv (env, "DISPLAY");
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, expected));
}

/* Runs xdotool with @args (a command line): its output, or NULL if it failed. */
static char *
xdotool_out (const char *args)
{
  g_autofree char *path = g_find_program_in_path ("xdotool");
  g_autofree char *command = g_strdup_printf ("%s %s", path, args);
  g_auto (GStrv) argv = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_shell_parse_argv (command, NULL, &argv, NULL));
  status = shmv_test_run ((const char *const *) argv, NULL, &out, NULL);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return out;
  g_free (out);
  return NULL;
}

static gboolean
xdotool (const char *args)
{
  g_autofree char *out = xdotool_out (args);

  return out != NULL;
}

/* Real key presses and wheel turns, through the X server (xdotool's XTEST),
 * zoom a real reader window; Ctrl+W closes it, which ends the process. */
static void
test_keys_and_wheel_zoom_and_ctrl_w_closes (void)
{
  g_autofree char *key = NULL;
  g_autofree char *xdotool_path = g_find_program_in_path ("xdotool");
  g_autofree char *window_id = NULL;
  g_autofree char *search = NULL;
  g_autofree char *move = NULL;
  g_autofree char *focus = NULL;
  g_autofree char *out = NULL;
  g_autofree guint8 *pixels = NULL;
  ShmvChannel *writer = NULL;
  Child reader;
  gsize stride = 0;

  GUI_TEST_REQUIRE_DISPLAY ();
  if (xdotool_path == NULL)
    {
      g_test_skip ("xdotool is not installed");
      return;
    }

  key = shmv_test_unique_key ("keys");
  writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  pixels = shmv_test_pattern_image (W, H, SHMV_FORMAT_RGB8, 21, &stride);
  publish_on (writer, pixels, W, H);
  reader = start_shmview ("shmv-image-canvas", "--reader", "-k", key, NULL);
  g_assert_true (wait_for_event (reader.out, SHMV_EVENT_ZOOM_FIT));

  /* The first of the process's windows is its top level. */
  search = g_strdup_printf ("search --sync --onlyvisible --pid %d", reader.pid);
  out = xdotool_out (search);
  g_assert_nonnull (out);
  window_id = g_strndup (out, strcspn (out, "\n"));
  g_assert_cmpstr (window_id, !=, "");
  focus = g_strdup_printf ("windowfocus --sync %s", window_id);
  g_assert_true (xdotool (focus));
  /* Over the image, which fits the pane's middle. */
  move = g_strdup_printf ("mousemove --sync --window %s 300 300", window_id);
  g_assert_true (xdotool (move));

  g_assert_true (xdotool ("key ctrl+1"));
  g_assert_true (wait_for_event (reader.out, SHMV_EVENT_ZOOM, 100));
  g_assert_true (xdotool ("keydown ctrl click 4 keyup ctrl"));
  g_assert_true (wait_for_event (reader.out, SHMV_EVENT_ZOOM, 141));
  g_assert_true (xdotool ("key ctrl+plus"));
  g_assert_true (wait_for_event (reader.out, SHMV_EVENT_ZOOM, 200));
  g_assert_true (xdotool ("key ctrl+minus"));
  g_assert_true (wait_for_event (reader.out, SHMV_EVENT_ZOOM, 141));
  g_assert_true (xdotool ("keydown ctrl click 5 keyup ctrl"));
  g_assert_true (wait_for_event (reader.out, SHMV_EVENT_ZOOM, 100));
  g_assert_true (xdotool ("key ctrl+0"));
  g_assert_true (wait_for_event (reader.out, SHMV_EVENT_ZOOM_FIT));

  /* Ctrl+W closes the only window: the process ends, cleanly. */
  g_assert_true (xdotool ("key ctrl+w"));
  assert_exits_ok (&reader);
  shmv_channel_free (writer);
}

static void
test_help_and_version_need_no_display (void)
{
  run_without_display ("--help", "--writer");
  run_without_display ("--version", PACKAGE_VERSION);
}

int
main (int argc, char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/processes/help-and-version-need-no-display",
                   test_help_and_version_need_no_display);
  g_test_add_func ("/gui/processes/writer-and-reader-binaries-follow",
                   test_writer_and_reader_binaries_follow);
  g_test_add_func ("/gui/processes/sigterm-on-writer-is-noticed",
                   test_sigterm_on_writer_is_noticed);
  g_test_add_func ("/gui/processes/killed-writer-is-noticed", test_killed_writer_is_noticed);
  g_test_add_func ("/gui/processes/bad-file-keeps-the-writer-alive",
                   test_bad_file_keeps_the_writer_alive);
  g_test_add_func ("/gui/processes/sigterm-during-a-load-cleans-up",
                   test_sigterm_during_a_load_cleans_up);
  g_test_add_func ("/gui/processes/reader-reconnects-when-the-writer-restarts",
                   test_reader_reconnects_when_the_writer_restarts);
  g_test_add_func ("/gui/processes/keys-and-wheel-zoom-and-ctrl-w-closes",
                   test_keys_and_wheel_zoom_and_ctrl_w_closes);

  g_test_add_func ("/gui/processes/publish-after-rm-re-creates-the-channel",
                   test_publish_after_rm_recreates_the_channel);
  g_test_add_func ("/gui/processes/rm-under-a-writer-with-no-image-of-its-own",
                   test_rm_under_a_writer_with_no_image_of_its_own);
  g_test_add_func ("/gui/processes/second-writer-shown-in-the-first-writers-pane",
                   test_second_writer_shown_in_the_first_writers_pane);
  g_test_add_func ("/gui/processes/writer-opens-on-the-existing-image",
                   test_writer_opens_on_the_existing_image);
  g_test_add_func ("/gui/processes/kept-image-is-neutral-then-channel-removed",
                   test_kept_image_then_removed_channel);
  g_test_add_func ("/gui/processes/info-names-the-gui-writer-then-gone",
                   test_info_names_the_gui_writer);

  return g_test_run ();
}
