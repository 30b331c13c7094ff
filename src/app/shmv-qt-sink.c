/* shmv-qt-sink.c: a Qt QSharedMemory segment as a ShmvFrameSink, fed by image files loaded in a
 * worker thread
 *
 * Publishes the way Qt's Shared Memory Example does: each image is a new
 * segment holding `QDataStream << QImage` (a marker and a PNG), made after
 * the previous one is withdrawn (Qt's detach(), then create()); the sink
 * stays attached, since a Qt segment lives only while someone is. Closing
 * withdraws it: when nobody else is attached, nothing of ours is left
 * (segment, semaphore, both key files).
 *
 * While it publishes nothing of its own, the sink looks at what another Qt
 * program publishes on its key (polling, as ShmvQtSource does: Qt has no
 * notification; looking never attaches for long nor removes), so that the
 * pane shows that image and says who holds the key.
 *
 * The publisher changes hands as a channel sink's channel does
 * (ShmvSinkWork): while a load runs only the worker touches it, and closing
 * during a load withdraws as soon as the load ends.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-qt-sink"

#include "config.h"

#include <shmview/shmview.h>
#include <unistd.h>

#include "shmv-image-loader.h"
#include "shmv-qt-segment.h"
#include "shmv-qt-sink.h"
#include "shmv-qt-source.h"
#include "shmv-sink-progress.h"
#include "shmv-sink-work.h"

struct _ShmvQtSink
{
  GObject parent_instance;

  char *key;
  ShmvQtPublisher *publisher; /* the segment of the image published, if any */
  guint32 generation;
  ShmvSinkWork work;

  /* Another program's segment on the key, looked at while we publish none. */
  char *key_file;
  guint poll_id;
  ShmvQtProbe probed;
  ShmvQtSegmentStamp stamp;
  guint32 other_generation; /* counts the other program's segments seen */
};

static void frame_sink_iface_init (ShmvFrameSinkInterface *iface);
static void sink_close (ShmvFrameSink *sink);
static void withdraw (gpointer sink);

G_DEFINE_FINAL_TYPE_WITH_CODE (ShmvQtSink,
                               shmv_qt_sink,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SHMV_TYPE_FRAME_SINK, frame_sink_iface_init))

static void
shmv_qt_sink_finalize (GObject *object)
{
  ShmvQtSink *self = SHMV_QT_SINK (object);

  g_assert (!self->work.busy);

  sink_close (SHMV_FRAME_SINK (self));
  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->key_file, g_free);

  G_OBJECT_CLASS (shmv_qt_sink_parent_class)->finalize (object);
}

static void
shmv_qt_sink_class_init (ShmvQtSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = shmv_qt_sink_finalize;
}

static void
shmv_qt_sink_init (ShmvQtSink *self)
{
  shmv_sink_work_init (&self->work, withdraw);
}

/** shmv_qt_sink_new: a sink publishing on the Qt key @key; nothing is made before the first image.
 */
ShmvQtSink *
shmv_qt_sink_new (const char *key)
{
  ShmvQtSink *self = NULL;

  g_return_val_if_fail (key != NULL, NULL);

  self = g_object_new (SHMV_TYPE_QT_SINK, NULL);
  self->key = g_strdup (key);
  self->key_file = shmv_qt_key_file (key, SHMV_QT_PREFIX_SEGMENT);
  return self;
}

/* Whether another segment stands behind the key than the last poll saw
 * (another program published, or left): then the pane looks again. */
static gboolean
poll_other (gpointer data)
{
  ShmvQtSink *self = data;
  ShmvQtSegmentStamp stamp = { 0 };
  ShmvQtProbe probed;

  /* Our own segment is what the pane shows; a worker may be replacing it. */
  if (self->work.busy || self->publisher != NULL)
    return G_SOURCE_CONTINUE;
  probed = shmv_qt_segment_probe (self->key_file, &stamp);
  if (probed == self->probed && stamp.shm_id == self->stamp.shm_id &&
      stamp.ctime == self->stamp.ctime)
    return G_SOURCE_CONTINUE;
  self->probed = probed;
  self->stamp = stamp;
  if (probed == SHMV_QT_PROBE_PRESENT)
    self->other_generation++;
  g_signal_emit_by_name (self, "changed");
  return G_SOURCE_CONTINUE;
}

/* A Qt segment is its image: there is nothing to show readers before one.
 * Until then, what another program publishes on the key is looked at. */
static gboolean
sink_open (ShmvFrameSink *sink, GError **error)
{
  ShmvQtSink *self = SHMV_QT_SINK (sink);

  if (self->poll_id == 0)
    {
      self->poll_id = g_timeout_add (SHMV_QT_SOURCE_POLL_MS, poll_other, self);
      poll_other (self);
    }
  return TRUE;
}

/* The image another program publishes on the key, looked at without holding
 * its segment (nor removing it); NULL when we publish, or there is none we
 * can read. Main thread. */
static ShmvPublished *
sink_read_current (ShmvFrameSink *sink)
{
  ShmvQtSink *self = SHMV_QT_SINK (sink);
  g_auto (ShmvQtSegmentInfo) info = { 0 };
  g_autoptr (GError) error = NULL;
  ShmvPublished *published;
  ShmvImage image;

  if (self->work.busy || self->work.closed || self->publisher != NULL ||
      self->probed != SHMV_QT_PROBE_PRESENT)
    return NULL;
  if (!shmv_qt_segment_read_image (self->key, SHMV_QT_READ_LOOK, NULL, &info, &image, &error))
    {
      g_debug ("Qt key “%s”: not showing what another program publishes: %s", self->key,
               error->message);
      return NULL;
    }
  published = g_new0 (ShmvPublished, 1);
  published->pixels = shmv_qt_image_take_pixels (&image, &published->info);
  published->info.generation = self->other_generation;
  /* Which segment it is: what tells this frame from the next. */
  published->info.publish_time_ns = self->stamp.ctime * G_GINT64_CONSTANT (1000000000);
  published->info.writer_pid = (gint32) info.creator_pid;
  published->segment_size = info.size;
  published->system_v = TRUE;
  published->other = shmv_qt_key_taken_sentence (self->key, info.creator_pid);
  return published;
}

static char *
sink_take_notice (ShmvFrameSink *sink)
{
  return NULL;
}

static void
withdraw (gpointer sink)
{
  ShmvQtSink *self = sink;

  if (self->publisher == NULL)
    return;
  shmv_qt_publisher_withdraw (g_steal_pointer (&self->publisher));
  g_debug ("withdrew Qt segment “%s”", self->key);
}

static void
sink_close (ShmvFrameSink *sink)
{
  ShmvQtSink *self = SHMV_QT_SINK (sink);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  shmv_sink_work_close (&self->work, sink);
}

/* What readers get: the pixels encoded (PNG is lossless), and the header
 * a channel would give them. */
static ShmvPublished *
published_new (ShmvQtSink *self, ShmvImage *image, GFile *file, gsize segment_size)
{
  ShmvPublished *published = g_new0 (ShmvPublished, 1);
  g_autofree char *name = g_file_get_basename (file);

  published->pixels = shmv_qt_image_take_pixels (image, &published->info);
  published->info.generation = ++self->generation;
  published->info.publish_time_ns = g_get_real_time () * 1000;
  published->info.writer_pid = (gint32) getpid ();
  g_snprintf (published->info.source_name, sizeof published->info.source_name, "%s", name);
  published->segment_size = segment_size;
  published->system_v = TRUE;
  return published;
}

static void
publish_file_thread (GTask *task,
                     gpointer source_object,
                     gpointer task_data,
                     GCancellable *cancellable)
{
  ShmvQtSink *self = source_object;
  GFile *file = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  ShmvSinkProgress *progress = shmv_sink_progress_new (self, g_task_get_context (task));
  ShmvImage image = { 0 };

  if (shmv_image_loader_load (file, SHMV_PNG_DEFAULT_MAX_PIXELS, shmv_sink_progress_report,
                              progress, cancellable, &image, &error) &&
      (bytes = shmv_qt_image_encode (&image, &error)) != NULL)
    {
      gsize size = 0;
      const void *data = g_bytes_get_data (bytes, &size);

      /* Qt's example: detach from the old segment, create the new one. */
      withdraw (self);
      self->publisher = shmv_qt_segment_publish (self->key, data, size, &error);
    }
  if (self->publisher != NULL && error == NULL)
    {
      g_debug ("published %ux%u %s on Qt segment “%s” (%" G_GSIZE_FORMAT " bytes)", image.width,
               image.height, shmv_format_name (image.format), self->key, g_bytes_get_size (bytes));
      g_task_return_pointer (task, published_new (self, &image, file, g_bytes_get_size (bytes)),
                             (GDestroyNotify) shmv_published_free);
    }
  else
    g_task_return_error (task, g_steal_pointer (&error));
  shmv_image_clear (&image);
  /* From here on the publisher belongs to the main thread again. */
  shmv_sink_progress_unref (progress);
}

static void
sink_publish_file_async (ShmvFrameSink *sink,
                         GFile *file,
                         GCancellable *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer user_data)
{
  ShmvQtSink *self = SHMV_QT_SINK (sink);

  shmv_sink_work_run (&self->work, self, file, cancellable, callback, user_data,
                      sink_publish_file_async, "[shmview] publish file on a Qt segment",
                      publish_file_thread);
}

static ShmvPublished *
sink_publish_file_finish (ShmvFrameSink *sink, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, sink), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
frame_sink_iface_init (ShmvFrameSinkInterface *iface)
{
  iface->open = sink_open;
  iface->take_notice = sink_take_notice;
  iface->publish_file_async = sink_publish_file_async;
  iface->publish_file_finish = sink_publish_file_finish;
  iface->close = sink_close;
  iface->read_current = sink_read_current;
}
