/* shmv-qt-source.c: frames from a Qt QSharedMemory segment, as a ShmvFrameSource
 *
 * Qt has no notification, and its writer publishes by detaching and creating
 * a new segment. So this polls, cheaply: every SHMV_QT_SOURCE_POLL_MS it
 * looks at the segment without attaching (ftok, shmget, IPC_STAT) and only
 * when another segment stands behind the key (another id or shm_ctime) does
 * it take a copy, the way Qt's own reader does (shmv_qt_segment_read_image(),
 * in a worker thread: decoding a PNG can take a while). It never holds the
 * segment, so Qt's writer can always replace it.
 *
 * States: WAITING while the key has no segment and nothing was shown; LIVE
 * while a process is attached to the segment shown; WRITER_LEFT when nobody
 * is (a killed writer's orphan, which our copy removes as Qt's reader
 * would) or the segment went away after an image was shown; ERROR when the
 * segment is not ours or holds no image.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-qt-source"

#include "config.h"

#include "shmv-qt-source.h"

#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

#include "shmv-gerror.h"
#include "shmv-qt-segment.h"

/* Qt's example detaches (the segment goes) and creates anew within a few
 * milliseconds: a segment missing at one poll is not yet a writer gone. */
#define ABSENT_POLLS_BEFORE_LEFT 2

struct _ShmvQtSource
{
  GObject parent_instance;

  char *key;
  char *key_file;
  GMainContext *context;
  GSource *timer;
  GCancellable *reading;   /* of the copy running in a worker, if any */
  ShmvQtSegmentStamp seen; /* shm_id -1: none seen (or it must be read again) */
  guint absent_polls;

  ShmvSourceState state;
  char *problem;
  ShmvFrameInfo info; /* generation 0: no frame yet */
  GBytes *pixels;
};

static void frame_source_iface_init (ShmvFrameSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ShmvQtSource,
                               shmv_qt_source,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SHMV_TYPE_FRAME_SOURCE,
                                                      frame_source_iface_init))

enum
{
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static void
set_state (ShmvQtSource *self, ShmvSourceState state, const char *problem)
{
  if (self->state == state && g_strcmp0 (self->problem, problem) == 0)
    return;
  g_debug ("Qt segment “%s”: %s → %s", self->key, shmv_source_state_nick (self->state),
           shmv_source_state_nick (state));
  self->state = state;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  g_object_notify (G_OBJECT (self), "state");
}

/* A segment shown is LIVE while its writer (any process) is attached to it. */
static ShmvSourceState
shown_state (gboolean attached)
{
  return attached ? SHMV_SOURCE_STATE_LIVE : SHMV_SOURCE_STATE_WRITER_LEFT;
}

/* --- The copy, in a worker thread ---------------------------------------- */

typedef struct
{
  ShmvFrameInfo info;
  GBytes *pixels;
  gboolean attached; /* someone besides us: a writer, not only an orphan we removed */
} Copy;

static void
copy_free (Copy *copy)
{
  g_clear_pointer (&copy->pixels, g_bytes_unref);
  g_free (copy);
}

static void
read_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  const char *key = task_data;
  g_auto (ShmvQtSegmentInfo) segment = { 0 };
  g_autoptr (GError) error = NULL;
  ShmvImage image;
  Copy *copy;

  if (!shmv_qt_segment_read_image (key, SHMV_QT_READ_AS_QT, NULL, &segment, &image, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  copy = g_new0 (Copy, 1);
  copy->pixels = shmv_qt_image_take_pixels (&image, &copy->info);
  copy->info.writer_pid = (gint32) segment.creator_pid;
  copy->attached = segment.attach_count > 0;
  g_task_return_pointer (task, copy, (GDestroyNotify) copy_free);
}

static void
on_read_done (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ShmvQtSource *self = SHMV_QT_SOURCE (object);
  g_autoptr (GError) error = NULL;
  Copy *copy = g_task_propagate_pointer (G_TASK (result), &error);
  gboolean attached;

  /* Stopped meanwhile: the result is no longer wanted. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->reading);

  if (copy == NULL)
    {
      g_debug ("Qt segment “%s”: %s", self->key, error->message);
      if (g_error_matches (error, SHMV_GERROR, SHMV_ERROR_NOT_FOUND) ||
          g_error_matches (error, SHMV_GERROR, SHMV_ERROR_TIMEOUT))
        self->seen.shm_id = -1; /* gone meanwhile, or busy: the next poll decides */
      else
        set_state (self, SHMV_SOURCE_STATE_ERROR, error->message);
      return;
    }

  attached = copy->attached;
  copy->info.generation = self->info.generation + 1;
  g_snprintf (copy->info.source_name, sizeof copy->info.source_name, "%s", self->key);
  self->info = copy->info;
  g_clear_pointer (&self->pixels, g_bytes_unref);
  self->pixels = g_steal_pointer (&copy->pixels);
  copy_free (copy);

  set_state (self, shown_state (attached), NULL);
  shmv_frame_source_frame_available (SHMV_FRAME_SOURCE (self));
}

static void
start_read (ShmvQtSource *self)
{
  g_autoptr (GTask) task = NULL;

  self->reading = g_cancellable_new ();
  task = g_task_new (self, self->reading, on_read_done, NULL);
  g_task_set_source_tag (task, start_read);
  g_task_set_name (task, "[shmview] read Qt segment");
  g_task_set_task_data (task, g_strdup (self->key), g_free);
  g_task_run_in_thread (task, read_thread);
}

/* --- Polling -------------------------------------------------------------- */

static void
on_absent (ShmvQtSource *self)
{
  self->seen.shm_id = -1;
  if (self->info.generation == 0)
    set_state (self, SHMV_SOURCE_STATE_WAITING, NULL);
  else if (++self->absent_polls >= ABSENT_POLLS_BEFORE_LEFT)
    set_state (self, SHMV_SOURCE_STATE_WRITER_LEFT, NULL);
}

static gboolean
poll_cb (gpointer user_data)
{
  ShmvQtSource *self = user_data;
  ShmvQtSegmentStamp stamp = { .shm_id = -1 };

  if (self->reading != NULL)
    return G_SOURCE_CONTINUE;
  switch (shmv_qt_segment_probe (self->key_file, &stamp))
    {
    case SHMV_QT_PROBE_ABSENT:
      on_absent (self);
      break;
    case SHMV_QT_PROBE_DENIED:
      /* The copy says whose it is, once. */
      if (self->state != SHMV_SOURCE_STATE_ERROR)
        start_read (self);
      break;
    case SHMV_QT_PROBE_PRESENT:
    default:
      self->absent_polls = 0;
      if (stamp.shm_id != self->seen.shm_id || stamp.ctime != self->seen.ctime)
        {
          self->seen = stamp;
          start_read (self);
        }
      else if (self->state != SHMV_SOURCE_STATE_ERROR && self->info.generation != 0)
        set_state (self, shown_state (stamp.attach_count > 0), NULL);
      break;
    }
  return G_SOURCE_CONTINUE;
}

/* --- ShmvFrameSource -------------------------------------------------------- */

static gboolean
source_start (ShmvFrameSource *source, GError **error)
{
  ShmvQtSource *self = SHMV_QT_SOURCE (source);

  if (self->timer != NULL)
    return TRUE;
  self->seen.shm_id = -1;
  self->context = g_main_context_ref_thread_default ();
  self->timer = g_timeout_source_new (SHMV_QT_SOURCE_POLL_MS);
  g_source_set_callback (self->timer, poll_cb, self, NULL);
  g_source_set_static_name (self->timer, "[shmview] Qt segment poll");
  g_source_attach (self->timer, self->context);
  g_debug ("following Qt segment “%s” (%s)", self->key, self->key_file);
  poll_cb (self);
  return TRUE;
}

static void
source_stop (ShmvFrameSource *source)
{
  ShmvQtSource *self = SHMV_QT_SOURCE (source);

  if (self->timer != NULL)
    g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  /* A copy under way finishes in its worker; its result is dropped. */
  if (self->reading != NULL)
    g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
}

static const char *
source_get_problem (ShmvFrameSource *source)
{
  ShmvQtSource *self = SHMV_QT_SOURCE (source);

  return self->state == SHMV_SOURCE_STATE_ERROR ? self->problem : NULL;
}

static gboolean
source_get_newest (ShmvFrameSource *source, ShmvFrameInfo *info)
{
  ShmvQtSource *self = SHMV_QT_SOURCE (source);

  *info = self->info;
  return self->info.generation != 0;
}

/* The copy was taken when the segment changed: reading hands it out. */
static GBytes *
source_read (ShmvFrameSource *source, ShmvFrameInfo *info, GError **error)
{
  ShmvQtSource *self = SHMV_QT_SOURCE (source);

  if (self->pixels == NULL)
    {
      g_propagate_error (error, shmv_gerror_new (SHMV_ERROR_NO_FRAME, self->key));
      return NULL;
    }
  *info = self->info;
  return g_bytes_ref (self->pixels);
}

static void
frame_source_iface_init (ShmvFrameSourceInterface *iface)
{
  iface->start = source_start;
  iface->stop = source_stop;
  iface->get_problem = source_get_problem;
  iface->get_newest = source_get_newest;
  iface->read = source_read;
}

/* --- GObject ------------------------------------------------------------------ */

static void
shmv_qt_source_dispose (GObject *object)
{
  source_stop (SHMV_FRAME_SOURCE (object));

  G_OBJECT_CLASS (shmv_qt_source_parent_class)->dispose (object);
}

static void
shmv_qt_source_finalize (GObject *object)
{
  ShmvQtSource *self = SHMV_QT_SOURCE (object);

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->key_file, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->pixels, g_bytes_unref);

  G_OBJECT_CLASS (shmv_qt_source_parent_class)->finalize (object);
}

static void
shmv_qt_source_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ShmvQtSource *self = SHMV_QT_SOURCE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shmv_qt_source_class_init (ShmvQtSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = shmv_qt_source_dispose;
  object_class->finalize = shmv_qt_source_finalize;
  object_class->get_property = shmv_qt_source_get_property;

  g_object_class_override_property (object_class, PROP_STATE, "state");
}

static void
shmv_qt_source_init (ShmvQtSource *self)
{
  self->seen.shm_id = -1;
}

/** shmv_qt_source_new: the image Qt publishes under @key; not started. */
ShmvFrameSource *
shmv_qt_source_new (const char *key)
{
  ShmvQtSource *self = g_object_new (SHMV_TYPE_QT_SOURCE, NULL);

  self->key = g_strdup (key);
  /* QDir::tempPath() is read once, as a Qt program does at its start. */
  self->key_file = shmv_qt_key_file (key, SHMV_QT_PREFIX_SEGMENT);
  return SHMV_FRAME_SOURCE (self);
}
