/* gstshmviewsink.c: publishes video buffers as frames of a shmview channel
 *
 * Each buffer is copied once, straight into a free slot of the channel
 * (shmv_channel_begin_frame), with the checksum computed as the rows are
 * done, then committed. A buffer pool lending out the slot itself would save
 * that copy, but begin_frame holds the channel lock until the commit: a
 * pooled buffer would hold it while upstream fills the buffer, at upstream's
 * pace, and a writer of another process would wait on our decoder. One copy
 * under the lock, never an upstream element, is the better trade.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "gstshmviewsink.h"

#include "gstshmview-error.h"
#include "gstshmview-format.h"
#include "shmv-gerror.h"

#include <glib/gi18n-lib.h>
#include <gst/video/video.h>
#include <shmview/shmview.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_shmview_sink_debug);
#define GST_CAT_DEFAULT gst_shmview_sink_debug

/* Rows between two shmv_channel_rows_done() calls: the checksum then reads
 * rows that are still in the cache. */
#define ROWS_PER_CHECKSUM 16

struct _GstShmviewSink
{
  GstBaseSink parent;

  /* properties, under the object lock */
  char *key;
  gboolean persistent;
  ShmvSharing share;

  /* streaming state */
  ShmvChannel *channel;
  GstVideoInfo info;
  ShmvFormat format;
  gboolean kept;     /* the channel was made persistent */
  char *source_name; /* what readers see as the frames' source */
};

enum
{
  PROP_0,
  PROP_KEY,
  PROP_PERSISTENT,
  PROP_SHARE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE (
    "sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (GST_SHMVIEW_SINK_CAPS));

G_DEFINE_FINAL_TYPE (GstShmviewSink, gst_shmview_sink, GST_TYPE_BASE_SINK)
GST_ELEMENT_REGISTER_DEFINE (shmviewsink, "shmviewsink", GST_RANK_NONE, GST_TYPE_SHMVIEW_SINK);

static const GEnumValue share_values[] = {
  { SHMV_SHARING_USER, "Only the user who publishes (mode 0600)", "user" },
  { SHMV_SHARING_GROUP, "The user's group too, read-only (mode 0640)", "group" },
  { 0, NULL, NULL },
};

GType
gst_shmview_share_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("GstShmviewShare", share_values));
  return type_id;
}

/* Says, in the same translated sentence as shmview-ctl and the app, when
 * opening or publishing made the channel anew (removed, or corrupt); the
 * library's English notice stays in the debug detail. */
static void
warn_if_recreated (GstShmviewSink *self, GstResourceError code)
{
  const char *notice = shmv_channel_recreated (self->channel);
  g_autofree char *sentence = NULL;

  if (notice == NULL)
    return;
  sentence = shmv_recreated_sentence (shmv_channel_key (self->channel), notice);
  gst_element_message_full (GST_ELEMENT (self), GST_MESSAGE_WARNING, GST_RESOURCE_ERROR, code,
                            g_steal_pointer (&sentence), g_strdup (notice), __FILE__, GST_FUNCTION,
                            __LINE__);
}

static gboolean
gst_shmview_sink_start (GstBaseSink *sink)
{
  GstShmviewSink *self = GST_SHMVIEW_SINK (sink);
  g_autofree char *key = NULL;
  ShmvSharing share;

  GST_OBJECT_LOCK (self);
  key = g_strdup (self->key);
  share = self->share;
  GST_OBJECT_UNLOCK (self);

  self->channel = shmv_channel_new (key);
  if (self->channel == NULL)
    {
      GST_ELEMENT_ERROR (self, RESOURCE, NO_SPACE_LEFT, (NULL), ("out of memory"));
      return FALSE;
    }
  /* Readers (shmview-ctl info, the app) show where frames come from: a file
   * for the other writers, this element and its program here. */
  g_free (self->source_name);
  self->source_name = g_strdup_printf ("%s (%s)", GST_OBJECT_NAME (self),
                                       g_get_prgname () != NULL ? g_get_prgname () : "GStreamer");
  shmv_channel_set_sharing (self->channel, share);
  if (!shmv_channel_open (self->channel, SHMV_CHANNEL_WRITER, 0))
    {
      g_autofree char *doing = g_strdup_printf (_ ("Cannot open channel “%s” for writing"), key);

      GST_SHMVIEW_CHANNEL_ERROR (self, OPEN_WRITE, doing, self->channel);
      g_clear_pointer (&self->channel, shmv_channel_free);
      return FALSE;
    }
  warn_if_recreated (self, GST_RESOURCE_ERROR_OPEN_WRITE);
  self->kept = FALSE;
  return TRUE;
}

/* Not persistent: the image is withdrawn, as when a writer window closes; the
 * channel goes with its last user. Persistent: it stays, as after
 * `shmview-ctl publish`. */
static gboolean
gst_shmview_sink_stop (GstBaseSink *sink)
{
  GstShmviewSink *self = GST_SHMVIEW_SINK (sink);

  if (self->channel != NULL && !self->kept)
    shmv_channel_withdraw (self->channel);
  g_clear_pointer (&self->channel, shmv_channel_free);
  return TRUE;
}

static gboolean
gst_shmview_sink_set_caps (GstBaseSink *sink, GstCaps *caps)
{
  GstShmviewSink *self = GST_SHMVIEW_SINK (sink);
  GstVideoInfo info;

  if (!gst_video_info_from_caps (&info, caps))
    return FALSE;
  self->format = gst_shmview_format_to_channel (GST_VIDEO_INFO_FORMAT (&info));
  if (self->format == SHMV_FORMAT_INVALID)
    return FALSE;
  self->info = info;
  GST_DEBUG_OBJECT (self, "publishing %dx%d %s", GST_VIDEO_INFO_WIDTH (&info),
                    GST_VIDEO_INFO_HEIGHT (&info), shmv_format_name (self->format));
  return TRUE;
}

/* Copies the frame's rows into the slot, handing them to the checksum in
 * batches while they are still in the cache. */
static void
copy_rows (ShmvChannel *channel, const GstVideoFrame *frame, guint8 *dst, gsize dst_stride)
{
  const guint8 *src = GST_VIDEO_FRAME_PLANE_DATA (frame, 0);
  gsize src_stride = GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0);
  gsize row_bytes = (gsize) GST_VIDEO_FRAME_WIDTH (frame) * GST_VIDEO_FRAME_COMP_PSTRIDE (frame, 0);
  guint height = GST_VIDEO_FRAME_HEIGHT (frame);

  for (guint y = 0; y < height; y++)
    {
      memcpy (dst + y * dst_stride, src + y * src_stride, row_bytes);
      if ((y + 1) % ROWS_PER_CHECKSUM == 0)
        shmv_channel_rows_done (channel, y + 1);
    }
}

static gboolean
publish (GstShmviewSink *self, GstBuffer *buffer)
{
  GstVideoFrame frame;
  void *pixels;
  size_t stride;

  if (!gst_video_frame_map (&frame, &self->info, buffer, GST_MAP_READ))
    {
      GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL), ("could not map a buffer"));
      return FALSE;
    }
  if (!shmv_channel_begin_frame (self->channel, GST_VIDEO_FRAME_WIDTH (&frame),
                                 GST_VIDEO_FRAME_HEIGHT (&frame), self->format, &pixels, &stride))
    {
      gst_video_frame_unmap (&frame);
      return FALSE;
    }
  copy_rows (self->channel, &frame, pixels, stride);
  gst_video_frame_unmap (&frame);
  return shmv_channel_commit_frame (self->channel, self->source_name);
}

static GstFlowReturn
gst_shmview_sink_render (GstBaseSink *sink, GstBuffer *buffer)
{
  GstShmviewSink *self = GST_SHMVIEW_SINK (sink);
  const char *key = shmv_channel_key (self->channel);
  gboolean persistent;

  if (!publish (self, buffer))
    {
      g_autofree char *doing = g_strdup_printf (_ ("Cannot publish on channel “%s”"), key);

      if (shmv_channel_error (self->channel) != SHMV_ERROR_NONE)
        GST_SHMVIEW_CHANNEL_ERROR (self, WRITE, doing, self->channel);
      return GST_FLOW_ERROR;
    }
  warn_if_recreated (self, GST_RESOURCE_ERROR_WRITE);

  GST_OBJECT_LOCK (self);
  persistent = self->persistent;
  GST_OBJECT_UNLOCK (self);
  /* Like shmview-ctl publish: kept once it holds an image, so that a
   * pipeline failing before its first frame leaves nothing behind. */
  if (persistent && !self->kept)
    {
      if (!shmv_channel_set_persistent (self->channel, true))
        {
          g_autofree char *doing = g_strdup_printf (_ ("Cannot keep channel “%s” after exit"), key);

          GST_SHMVIEW_CHANNEL_ERROR (self, WRITE, doing, self->channel);
          return GST_FLOW_ERROR;
        }
      self->kept = TRUE;
    }
  return GST_FLOW_OK;
}

static void
gst_shmview_sink_set_property (GObject *object,
                               guint prop_id,
                               const GValue *value,
                               GParamSpec *pspec)
{
  GstShmviewSink *self = GST_SHMVIEW_SINK (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id)
    {
    case PROP_KEY:
      g_free (self->key);
      self->key = g_value_dup_string (value);
      if (self->key == NULL)
        self->key = g_strdup (SHMV_DEFAULT_KEY);
      break;
    case PROP_PERSISTENT:
      self->persistent = g_value_get_boolean (value);
      break;
    case PROP_SHARE:
      self->share = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
    }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_shmview_sink_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstShmviewSink *self = GST_SHMVIEW_SINK (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    case PROP_PERSISTENT:
      g_value_set_boolean (value, self->persistent);
      break;
    case PROP_SHARE:
      g_value_set_enum (value, self->share);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
    }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_shmview_sink_finalize (GObject *object)
{
  GstShmviewSink *self = GST_SHMVIEW_SINK (object);

  g_free (self->key);
  g_free (self->source_name);
  G_OBJECT_CLASS (gst_shmview_sink_parent_class)->finalize (object);
}

static void
gst_shmview_sink_class_init (GstShmviewSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *base_sink_class = GST_BASE_SINK_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY;

  object_class->set_property = gst_shmview_sink_set_property;
  object_class->get_property = gst_shmview_sink_get_property;
  object_class->finalize = gst_shmview_sink_finalize;

  properties[PROP_KEY] =
      g_param_spec_string ("key", "Key", "The channel to publish on, as shmview-ctl -k names it",
                           SHMV_DEFAULT_KEY, flags);
  properties[PROP_PERSISTENT] = g_param_spec_boolean (
      "persistent", "Persistent",
      "Keep the last frame in the channel after the pipeline stops, as shmview-ctl publish "
      "does (false: the frame is withdrawn when the element stops, as when a writer window "
      "closes)",
      FALSE, flags);
  properties[PROP_SHARE] =
      g_param_spec_enum ("share", "Share", "Who may read a channel this element creates",
                         GST_TYPE_SHMVIEW_SHARE, SHMV_SHARING_USER, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gst_element_class_set_static_metadata (
      element_class, "shmview channel sink", "Sink/Video",
      "Publishes video frames on a shmview shared-memory channel, for shmview, shmview-ctl "
      "and shmviewsrc in other processes",
      "shmview developers");
  gst_element_class_add_static_pad_template (element_class, &sink_template);

  base_sink_class->start = GST_DEBUG_FUNCPTR (gst_shmview_sink_start);
  base_sink_class->stop = GST_DEBUG_FUNCPTR (gst_shmview_sink_stop);
  base_sink_class->set_caps = GST_DEBUG_FUNCPTR (gst_shmview_sink_set_caps);
  base_sink_class->render = GST_DEBUG_FUNCPTR (gst_shmview_sink_render);

  gst_type_mark_as_plugin_api (GST_TYPE_SHMVIEW_SHARE, 0);
  GST_DEBUG_CATEGORY_INIT (gst_shmview_sink_debug, "shmviewsink", 0, "shmview channel sink");
}

static void
gst_shmview_sink_init (GstShmviewSink *self)
{
  self->key = g_strdup (SHMV_DEFAULT_KEY);
  self->share = SHMV_SHARING_USER;
}
