/* gstshmviewsrc.c: a live source of the frames of a shmview channel
 *
 * The streaming thread sleeps on the channel's futex (shmv_channel_wait) in
 * short slices, so that a flush or a state change is never kept waiting
 * longer than one slice, and so that a writer that died without a word
 * (kill -9 wakes nobody) is noticed. Caps come from the frame header: a
 * frame of another size or format sets new caps before it is pushed.
 *
 * A new frame whose rows are as GStreamer lays them out is leased
 * (shmv_channel_acquire) and the buffer is the slot itself, released when
 * downstream frees it: no copy. Leased buffers alive at once are bounded
 * (max-leases), because each keeps the writer off a slot and a writer fails
 * its publish when every slot is leased; past the bound, and for frames
 * GStreamer lays out otherwise (RGB rows it pads, 16-bit RGB that gains
 * alpha), the frame is copied out with shmv_channel_read, which verifies its
 * checksum as it copies, and never holds a slot.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "gstshmviewsrc.h"

#include "gstshmview-error.h"
#include "gstshmview-events.h"
#include "gstshmview-format.h"
#include "gstshmview-lease.h"
#include "shmv-user.h"

#include <glib/gi18n-lib.h>
#include <gst/video/video.h>
#include <shmview/shmview.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

GST_DEBUG_CATEGORY_STATIC (gst_shmview_src_debug);
#define GST_CAT_DEFAULT gst_shmview_src_debug

/* The longest the streaming thread sleeps before it looks at the flushing
 * flag and the writer's presence again. */
#define WAIT_SLICE_MS 100

/* A few buffers in flight cover a pipeline's usual queue and a sink's last
 * buffer, and two such readers together stay within the 10 leased frames a
 * channel allows its readers. */
#define DEFAULT_MAX_LEASES 4
/* One reader alone must leave the writer a slot besides the current frame's. */
#define MOST_LEASES (SHMV_CHANNEL_MAX_SLOTS - 2)

struct _GstShmviewSrc
{
  GstPushSrc parent;

  /* properties, under the object lock */
  char *key;
  char *owner;
  gboolean wait_for_writer;
  guint max_leases;
  gboolean verify;

  /* streaming state */
  ShmvChannel *channel;
  uid_t owner_uid;
  gboolean has_owner;
  guint32 last_generation; /* of the frame pushed last; 0 before any */
  GstVideoInfo info;       /* of the caps set last */
  gboolean has_caps;
  ShmvFormat format;
  void *scratch; /* where frames are read when they cannot become the buffer as is */
  size_t scratch_size;
  gint flushing;            /* atomic */
  GstShmviewLeases *leases; /* the buffers over leased slots still alive */
};

/* A frame taken from the channel: leased where it lies, or copied into the
 * scratch memory. */
typedef struct
{
  ShmvFrameInfo info;
  ShmvFrame *lease; /* NULL when copied */
  const guint8 *pixels;
} Taken;

enum
{
  PROP_0,
  PROP_KEY,
  PROP_OWNER,
  PROP_WAIT_FOR_WRITER,
  PROP_MAX_LEASES,
  PROP_VERIFY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE (
    "src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (GST_SHMVIEW_SRC_CAPS));

G_DEFINE_FINAL_TYPE (GstShmviewSrc, gst_shmview_src, GST_TYPE_PUSH_SRC)
GST_ELEMENT_REGISTER_DEFINE (shmviewsrc, "shmviewsrc", GST_RANK_NONE, GST_TYPE_SHMVIEW_SRC);

static char *
dup_key (GstShmviewSrc *self)
{
  char *key;

  GST_OBJECT_LOCK (self);
  key = g_strdup (self->key);
  GST_OBJECT_UNLOCK (self);
  return key;
}

static gboolean
wait_for_writer (GstShmviewSrc *self)
{
  gboolean wait;

  GST_OBJECT_LOCK (self);
  wait = self->wait_for_writer;
  GST_OBJECT_UNLOCK (self);
  return wait;
}

/* Opens the channel; waits one slice for it to appear when @timeout_ms > 0.
 * FALSE with the handle's error when it is not there (yet). */
static gboolean
open_channel (GstShmviewSrc *self, int timeout_ms)
{
  if (self->has_owner)
    shmv_channel_set_owner (self->channel, self->owner_uid);
  if (!shmv_channel_open (self->channel, SHMV_CHANNEL_READER, timeout_ms))
    return FALSE;
  GST_INFO_OBJECT (self, GST_SHMVIEW_EVENT_FOLLOWING " %s", shmv_channel_key (self->channel));
  return TRUE;
}

static gboolean
gst_shmview_src_start (GstBaseSrc *src)
{
  GstShmviewSrc *self = GST_SHMVIEW_SRC (src);
  g_autofree char *key = dup_key (self);
  g_autofree char *owner = NULL;
  gint64 owner_uid = -1;

  GST_OBJECT_LOCK (self);
  owner = g_strdup (self->owner);
  GST_OBJECT_UNLOCK (self);

  self->has_owner = owner != NULL && owner[0] != '\0';
  if (self->has_owner && (owner_uid = shmv_user_parse (owner)) < 0)
    {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, (_ ("No such user: “%s”"), owner), (NULL));
      return FALSE;
    }
  self->owner_uid = (uid_t) owner_uid;
  self->channel = shmv_channel_new (key);
  if (self->channel == NULL)
    {
      GST_ELEMENT_ERROR (self, RESOURCE, NO_SPACE_LEFT, (NULL), ("out of memory"));
      return FALSE;
    }
  self->last_generation = 0;
  self->has_caps = FALSE;

  /* Not waiting for a writer: a missing channel is an error now, not a
   * silent wait. */
  if (!wait_for_writer (self) && !open_channel (self, 0))
    {
      g_autofree char *doing = g_strdup_printf (_ ("Cannot open channel “%s”"), key);

      GST_SHMVIEW_CHANNEL_ERROR (self, OPEN_READ, doing, self->channel);
      g_clear_pointer (&self->channel, shmv_channel_free);
      return FALSE;
    }
  return TRUE;
}

static gboolean
gst_shmview_src_stop (GstBaseSrc *src)
{
  GstShmviewSrc *self = GST_SHMVIEW_SRC (src);

  g_clear_pointer (&self->channel, shmv_channel_free);
  g_clear_pointer (&self->scratch, free);
  self->scratch_size = 0;
  return TRUE;
}

static gboolean
gst_shmview_src_unlock (GstBaseSrc *src)
{
  g_atomic_int_set (&GST_SHMVIEW_SRC (src)->flushing, TRUE);
  return TRUE;
}

static gboolean
gst_shmview_src_unlock_stop (GstBaseSrc *src)
{
  g_atomic_int_set (&GST_SHMVIEW_SRC (src)->flushing, FALSE);
  return TRUE;
}

/* Caps come from each frame's header (set in create), not from a
 * negotiation before the first frame: there is nothing to choose. */
static gboolean
gst_shmview_src_negotiate (GstBaseSrc *src)
{
  return TRUE;
}

static GstCaps *
gst_shmview_src_get_caps (GstBaseSrc *src, GstCaps *filter)
{
  GstShmviewSrc *self = GST_SHMVIEW_SRC (src);
  GstCaps *caps = gst_pad_get_current_caps (GST_BASE_SRC_PAD (src));

  if (caps == NULL)
    caps = gst_pad_get_pad_template_caps (GST_BASE_SRC_PAD (src));
  if (filter != NULL)
    {
      GstCaps *both = gst_caps_intersect_full (filter, caps, GST_CAPS_INTERSECT_FIRST);

      gst_caps_unref (caps);
      caps = both;
    }
  GST_LOG_OBJECT (self, "caps %" GST_PTR_FORMAT, caps);
  return caps;
}

/* Sets caps for a frame of another size or format than the last one. */
static gboolean
update_caps (GstShmviewSrc *self, const ShmvFrameInfo *frame)
{
  GstVideoInfo info;
  g_autoptr (GstCaps) caps = NULL;

  if (self->has_caps && self->format == frame->format &&
      (guint32) GST_VIDEO_INFO_WIDTH (&self->info) == frame->width &&
      (guint32) GST_VIDEO_INFO_HEIGHT (&self->info) == frame->height)
    return TRUE;

  gst_video_info_set_format (&info, gst_shmview_format_from_channel (frame->format), frame->width,
                             frame->height);
  /* A channel has no frame rate: frames come when the writer publishes. */
  GST_VIDEO_INFO_FPS_N (&info) = 0;
  GST_VIDEO_INFO_FPS_D (&info) = 1;
  caps = gst_video_info_to_caps (&info);
  GST_DEBUG_OBJECT (self, "frame %u: new caps %" GST_PTR_FORMAT, frame->generation, caps);
  if (!gst_base_src_set_caps (GST_BASE_SRC (self), caps))
    return FALSE;
  self->info = info;
  self->format = frame->format;
  self->has_caps = TRUE;
  return TRUE;
}

/* The running time at which a frame was published: its CLOCK_REALTIME
 * stamp, carried over to the pipeline clock by how long ago it was. */
static GstClockTime
running_time_of (GstShmviewSrc *self, gint64 publish_time_ns)
{
  GstClock *clock = gst_element_get_clock (GST_ELEMENT (self));
  GstClockTime base = gst_element_get_base_time (GST_ELEMENT (self));
  GstClockTime now, at;
  struct timespec real;
  gint64 age;

  if (clock == NULL)
    return GST_CLOCK_TIME_NONE;
  now = gst_clock_get_time (clock);
  gst_object_unref (clock);
  clock_gettime (CLOCK_REALTIME, &real);
  age = MAX ((gint64) real.tv_sec * GST_SECOND + real.tv_nsec - publish_time_ns, 0);
  at = now > (GstClockTime) age ? now - (GstClockTime) age : 0;
  return at > base ? at - base : 0;
}

/* Leases the new frame when it can become a buffer as it lies and fewer
 * than max-leases leased buffers are alive. FALSE: copy it instead (also
 * when leasing fails: the copy gets the frame or says what is wrong). */
static gboolean
lease_frame (GstShmviewSrc *self, const ShmvFrameInfo *current, Taken *taken)
{
  ShmvAcquireFlags flags;
  guint max;

  GST_OBJECT_LOCK (self);
  max = self->max_leases;
  flags = self->verify ? SHMV_ACQUIRE_DEFAULT : SHMV_ACQUIRE_NO_VERIFY;
  GST_OBJECT_UNLOCK (self);

  if (!gst_shmview_format_fits (current) || !gst_shmview_leases_reserve (self->leases, max))
    return FALSE;
  if (!shmv_channel_acquire (self->channel, self->last_generation, flags, 0, &taken->lease))
    {
      GST_DEBUG_OBJECT (self, "frame %u not leased (%s): copied", current->generation,
                        shmv_channel_error_string (self->channel));
      gst_shmview_leases_cancel (self->leases);
      return FALSE;
    }
  taken->info = *shmv_frame_get_info (taken->lease);
  taken->pixels = shmv_frame_get_pixels (taken->lease);
  return TRUE;
}

static gboolean
copy_frame (GstShmviewSrc *self, Taken *taken)
{
  if (!shmv_channel_read (self->channel, &self->scratch, &self->scratch_size, &taken->info))
    return FALSE;
  taken->lease = NULL;
  taken->pixels = self->scratch;
  return TRUE;
}

/* The taken frame as a buffer in the caps' layout: the leased slot itself,
 * or the scratch memory it was copied into, when its rows are GStreamer's;
 * else laid out anew. */
static GstBuffer *
frame_to_buffer (GstShmviewSrc *self, Taken *taken)
{
  const ShmvFrameInfo *frame = &taken->info;
  gsize out_stride = GST_VIDEO_INFO_PLANE_STRIDE (&self->info, 0);
  GstBuffer *buffer;
  GstMapInfo map;

  if (gst_shmview_format_fits (frame))
    {
      gsize size = (gsize) frame->stride * frame->height;

      if (taken->lease != NULL)
        {
          buffer = gst_shmview_leases_wrap (self->leases, g_steal_pointer (&taken->lease), size);
          GST_DEBUG_OBJECT (self, GST_SHMVIEW_EVENT_LEASED, frame->generation,
                            gst_shmview_leases_in_flight (self->leases));
          return buffer;
        }
      buffer = gst_buffer_new_wrapped_full (0, self->scratch, self->scratch_size, 0, size,
                                            self->scratch, free);
      self->scratch = NULL;
      self->scratch_size = 0;
      GST_DEBUG_OBJECT (self, GST_SHMVIEW_EVENT_COPIED, frame->generation);
      return buffer;
    }

  buffer = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&self->info), NULL);
  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  if (gst_shmview_format_needs_alpha (frame->format))
    gst_shmview_widen_rgb16 (taken->pixels, frame->stride, map.data, out_stride, frame->width,
                             frame->height);
  else
    for (guint32 y = 0; y < frame->height; y++)
      memcpy (map.data + y * out_stride, taken->pixels + (gsize) y * frame->stride, frame->stride);
  gst_buffer_unmap (buffer, &map);
  GST_DEBUG_OBJECT (self, GST_SHMVIEW_EVENT_COPIED, frame->generation);
  return buffer;
}

/* Ends a lease that did not become a buffer. */
static void
taken_clear (GstShmviewSrc *self, Taken *taken)
{
  if (taken->lease == NULL)
    return;
  g_clear_pointer (&taken->lease, shmv_frame_release);
  gst_shmview_leases_cancel (self->leases);
}

/* Takes the new frame (@current, as the header said a moment ago) into a
 * buffer with caps to match. */
static GstFlowReturn
push_frame (GstShmviewSrc *self, const ShmvFrameInfo *current, GstBuffer **out)
{
  Taken taken = { 0 };
  const ShmvFrameInfo *frame = &taken.info;
  GstBuffer *buffer;

  if (!lease_frame (self, current, &taken) && !copy_frame (self, &taken))
    {
      g_autofree char *doing =
          g_strdup_printf (_ ("Cannot read channel “%s”"), shmv_channel_key (self->channel));

      GST_SHMVIEW_CHANNEL_ERROR (self, READ, doing, self->channel);
      return GST_FLOW_ERROR;
    }
  if (self->last_generation != 0 && frame->generation > self->last_generation + 1)
    GST_DEBUG_OBJECT (self, "frame %u: %u frames went by unseen", frame->generation,
                      frame->generation - self->last_generation - 1);
  self->last_generation = frame->generation;

  if (!update_caps (self, frame))
    {
      GST_ELEMENT_ERROR (
          self, CORE, NEGOTIATION,
          (_ ("Channel “%s”: %s"), shmv_channel_key (self->channel),
           _ ("the pipeline does not accept its frames")),
          ("%u x %u %s", frame->width, frame->height, shmv_format_name (frame->format)));
      taken_clear (self, &taken);
      return GST_FLOW_NOT_NEGOTIATED;
    }
  buffer = frame_to_buffer (self, &taken);
  taken_clear (self, &taken);
  GST_BUFFER_PTS (buffer) = running_time_of (self, frame->publish_time_ns);
  GST_BUFFER_OFFSET (buffer) = frame->generation;
  *out = buffer;
  return GST_FLOW_OK;
}

/* Whether a writer stands behind the channel's image: its process has the
 * channel open and has not withdrawn it. */
static gboolean
writer_present (ShmvChannel *channel)
{
  return shmv_channel_writer_alive (channel) && !shmv_channel_is_withdrawn (channel);
}

static GstFlowReturn
gst_shmview_src_create (GstPushSrc *src, GstBuffer **out)
{
  GstShmviewSrc *self = GST_SHMVIEW_SRC (src);

  while (!g_atomic_int_get (&self->flushing))
    {
      ShmvFrameInfo frame;
      guint32 generation;

      if (!shmv_channel_is_open (self->channel))
        {
          /* Only when waiting for a writer: start() opened it otherwise. */
          open_channel (self, WAIT_SLICE_MS);
          continue;
        }
      if (shmv_channel_is_removed (self->channel))
        {
          /* Removed (shmview-ctl rm, a crashed writer's channel replaced):
           * follow the key to the next channel, or end. */
          if (!wait_for_writer (self))
            return GST_FLOW_EOS;
          shmv_channel_close (self->channel);
          continue;
        }

      generation = shmv_channel_generation (self->channel);
      if (shmv_channel_get_info (self->channel, &frame) &&
          frame.generation != self->last_generation)
        return push_frame (self, &frame, out);
      if (!wait_for_writer (self) && !writer_present (self->channel))
        return GST_FLOW_EOS;
      shmv_channel_wait (self->channel, generation, WAIT_SLICE_MS);
    }
  return GST_FLOW_FLUSHING;
}

static void
gst_shmview_src_set_property (GObject *object,
                              guint prop_id,
                              const GValue *value,
                              GParamSpec *pspec)
{
  GstShmviewSrc *self = GST_SHMVIEW_SRC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id)
    {
    case PROP_KEY:
      g_free (self->key);
      self->key = g_value_dup_string (value);
      if (self->key == NULL)
        self->key = g_strdup (SHMV_DEFAULT_KEY);
      break;
    case PROP_OWNER:
      g_free (self->owner);
      self->owner = g_value_dup_string (value);
      break;
    case PROP_WAIT_FOR_WRITER:
      self->wait_for_writer = g_value_get_boolean (value);
      break;
    case PROP_MAX_LEASES:
      self->max_leases = g_value_get_uint (value);
      break;
    case PROP_VERIFY:
      self->verify = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
    }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_shmview_src_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstShmviewSrc *self = GST_SHMVIEW_SRC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    case PROP_OWNER:
      g_value_set_string (value, self->owner);
      break;
    case PROP_WAIT_FOR_WRITER:
      g_value_set_boolean (value, self->wait_for_writer);
      break;
    case PROP_MAX_LEASES:
      g_value_set_uint (value, self->max_leases);
      break;
    case PROP_VERIFY:
      g_value_set_boolean (value, self->verify);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
    }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_shmview_src_finalize (GObject *object)
{
  GstShmviewSrc *self = GST_SHMVIEW_SRC (object);

  g_free (self->key);
  g_free (self->owner);
  gst_shmview_leases_unref (self->leases);
  G_OBJECT_CLASS (gst_shmview_src_parent_class)->finalize (object);
}

static void
gst_shmview_src_class_init (GstShmviewSrcClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *base_src_class = GST_BASE_SRC_CLASS (klass);
  GstPushSrcClass *push_src_class = GST_PUSH_SRC_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY;
  GParamFlags live = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING;

  object_class->set_property = gst_shmview_src_set_property;
  object_class->get_property = gst_shmview_src_get_property;
  object_class->finalize = gst_shmview_src_finalize;

  properties[PROP_KEY] = g_param_spec_string (
      "key", "Key", "The channel to read, as shmview-ctl -k names it", SHMV_DEFAULT_KEY, flags);
  properties[PROP_OWNER] = g_param_spec_string (
      "owner", "Owner",
      "Read this user's channel (a name or a uid; it must be published with share=group and "
      "we must be in its group); none: our own",
      NULL, flags);
  properties[PROP_WAIT_FOR_WRITER] = g_param_spec_boolean (
      "wait-for-writer", "Wait for writer",
      "Wait for the channel and for a writer to come (back), as the reader pane does; false: "
      "fail when there is no channel, and end the stream (EOS) after the last frame when the "
      "writer leaves",
      TRUE, flags);
  properties[PROP_MAX_LEASES] = g_param_spec_uint (
      "max-leases", "Max leases",
      "Zero copy: a frame whose rows GStreamer lays out as the channel does becomes a buffer "
      "over its slot in shared memory, leased until the buffer is freed. At most this many "
      "leased buffers are alive at once; while that many are (a queue holds them), frames are "
      "copied. A lease keeps the writer off its slot, and a writer fails to publish when all "
      "12 slots are leased: the readers of one channel together should keep at most 10. "
      "0: always copy",
      0, MOST_LEASES, DEFAULT_MAX_LEASES, live);
  properties[PROP_VERIFY] = g_param_spec_boolean (
      "verify", "Verify",
      "Check each leased frame against its checksum before pushing it (one read over its "
      "pixels); false: trust the writer (a frame damaged by a bug or another program goes "
      "unnoticed). Copied frames are always checked",
      TRUE, live);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gst_element_class_set_static_metadata (
      element_class, "shmview channel source", "Source/Video",
      "Pushes each new frame of a shmview shared-memory channel, with caps from the channel "
      "header and timestamps from the publish time",
      "shmview developers");
  gst_element_class_add_static_pad_template (element_class, &src_template);

  base_src_class->start = GST_DEBUG_FUNCPTR (gst_shmview_src_start);
  base_src_class->stop = GST_DEBUG_FUNCPTR (gst_shmview_src_stop);
  base_src_class->unlock = GST_DEBUG_FUNCPTR (gst_shmview_src_unlock);
  base_src_class->unlock_stop = GST_DEBUG_FUNCPTR (gst_shmview_src_unlock_stop);
  base_src_class->negotiate = GST_DEBUG_FUNCPTR (gst_shmview_src_negotiate);
  base_src_class->get_caps = GST_DEBUG_FUNCPTR (gst_shmview_src_get_caps);
  push_src_class->create = GST_DEBUG_FUNCPTR (gst_shmview_src_create);

  GST_DEBUG_CATEGORY_INIT (gst_shmview_src_debug, "shmviewsrc", 0, "shmview channel source");
}

static void
gst_shmview_src_init (GstShmviewSrc *self)
{
  self->key = g_strdup (SHMV_DEFAULT_KEY);
  self->wait_for_writer = TRUE;
  self->max_leases = DEFAULT_MAX_LEASES;
  self->verify = TRUE;
  self->leases = gst_shmview_leases_new ();
  gst_base_src_set_live (GST_BASE_SRC (self), TRUE);
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
}
