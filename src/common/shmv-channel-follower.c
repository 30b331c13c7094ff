/* shmv-channel-follower.c: follows the channel of a key: open, wait, reopen, writer presence
 *
 * The one place that knows how to keep watching a key while its channel
 * comes and goes: the app's reader pane (through ShmvChannelSource) and
 * `shmview-ctl watch` both follow a key with it.
 *
 * A ShmvChannelMonitor wakes the follower from the main loop when anything
 * happens to the key: a publish, a withdrawal, a removal, the channel
 * appearing, or its writer dying (libshmview's watch thread probes the
 * writer's lock once a second, as a writer killed with SIGKILL wakes no one).
 * Each wake-up looks at the channel's header only: reading pixels is the
 * caller's choice (shmv_channel_follower_read() for a copy,
 * shmv_channel_follower_lease() for a lease), so that a consumer that
 * only reports frames, or that shows one per display refresh, copies no
 * more than it needs.
 *
 * The handle is opened when the channel exists and opened anew when the
 * channel was removed, which is how a reader follows a writer that restarts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-channel-follower"

#include "config.h"

#include "shmv-channel-follower.h"

#include "shmv-autocleanups.h"
#include "shmv-channel-monitor.h"
#include "shmv-channel-report.h"
#include "shmv-frame-lease.h"
#include "shmv-gerror.h"

/* How many times in a row we reopen a channel that turns out removed
 * before waiting for the monitor to tell us about its successor. */
#define MAX_REOPENS 4

struct _ShmvChannelFollower
{
  GObject parent_instance;

  char *key;
  ShmvChannelMonitor *monitor; /* NULL unless started */
  ShmvChannel *channel;        /* NULL until the channel exists */
  ShmvFrameInfo frame;         /* newest frame of this handle; generation 0: none */
  /* The channel's change counter (shmv_channel_generation()) dealt with;
   * it also moves on withdrawals and removals. 0 after a reopen. */
  guint32 counter;
  ShmvSourceState state;
  GError *error;      /* why the state is ERROR */
  gboolean had_frame; /* a frame was ever seen on the key: gone means "writer left" */
  gboolean removed;   /* the channel we had was removed, and none is there since */
};

G_DEFINE_FINAL_TYPE (ShmvChannelFollower, shmv_channel_follower, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  NEW_FRAME,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_state (ShmvChannelFollower *self, ShmvSourceState state, const GError *error)
{
  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  /* Another error in the same state is news too: its message is shown. */
  if (state == self->state && error == NULL)
    return;
  if (state != self->state)
    g_debug ("“%s”: %s → %s", self->key, shmv_source_state_nick (self->state),
             shmv_source_state_nick (state));
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* No channel, or no image in it: what a writer that has not started yet, or
 * that left and took its channel along, looks like. */
static gboolean
is_absent (const GError *error)
{
  return g_error_matches (error, SHMV_GERROR, SHMV_ERROR_NOT_FOUND) ||
         g_error_matches (error, SHMV_GERROR, SHMV_ERROR_TIMEOUT) ||
         g_error_matches (error, SHMV_GERROR, SHMV_ERROR_NO_FRAME);
}

static void
set_failure (ShmvChannelFollower *self, const GError *error)
{
  if (error != NULL && !is_absent (error))
    set_state (self, SHMV_SOURCE_STATE_ERROR, error);
  else if (!self->had_frame)
    set_state (self, SHMV_SOURCE_STATE_WAITING, NULL);
  else
    set_state (self, self->removed ? SHMV_SOURCE_STATE_REMOVED : SHMV_SOURCE_STATE_WRITER_LEFT,
               NULL);
}

static void
close_channel (ShmvChannelFollower *self)
{
  if (self->channel == NULL)
    return;
  g_debug ("closing “%s”", self->key);
  g_clear_pointer (&self->channel, shmv_channel_free);
  /* A channel made anew counts from 1 again: each of its frames is new. */
  self->counter = 0;
  self->frame.generation = 0;
}

static gboolean
open_channel (ShmvChannelFollower *self, GError **error)
{
  g_autoptr (ShmvChannel) channel = shmv_channel_new (self->key);

  if (!shmv_channel_open (channel, SHMV_CHANNEL_READER, 0))
    {
      g_propagate_error (error, shmv_gerror_new_from_channel (channel));
      return FALSE;
    }
  g_debug ("reading “%s” (%s)", self->key, shmv_channel_native_key (channel));
  self->channel = g_steal_pointer (&channel);
  return TRUE;
}

/* Nobody writes: a writer left, or the image was meant to stay on its own
 * (`shmview-ctl publish` keeps it in a persistent channel and exits). */
static ShmvSourceState
writer_state (ShmvChannelFollower *self, const ShmvChannelReport *report)
{
  if (shmv_channel_report_writer_present (report))
    return SHMV_SOURCE_STATE_LIVE;
  if (!report->withdrawn && shmv_channel_is_persistent (self->channel))
    return SHMV_SOURCE_STATE_KEPT;
  return SHMV_SOURCE_STATE_WRITER_LEFT;
}

/**
 * shmv_channel_follower_update:
 *
 * Looks at the channel now: (re)opens it as needed, announces a new frame
 * (::new-frame) and sets the state. The monitor calls it on every wake-up;
 * call it directly to look without waiting.
 */
void
shmv_channel_follower_update (ShmvChannelFollower *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShmvChannelReport) report = NULL;
  guint32 counter;

  g_return_if_fail (SHMV_IS_CHANNEL_FOLLOWER (self));

  for (int reopens = 0; self->channel == NULL || shmv_channel_is_removed (self->channel); reopens++)
    {
      if (reopens == MAX_REOPENS)
        return;
      if (self->channel != NULL)
        {
          g_debug ("“%s” was removed; following the key", self->key);
          self->removed = TRUE;
        }
      close_channel (self);
      if (!open_channel (self, &error))
        {
          set_failure (self, error);
          return;
        }
      self->removed = FALSE;
    }

  counter = shmv_channel_generation (self->channel);
  if (counter == 0)
    {
      set_failure (self, NULL);
      return;
    }
  report = shmv_channel_report_new_from_channel (self->channel, NULL, &error);
  if (report == NULL || !report->has_frame)
    {
      self->counter = counter;
      set_failure (self, error);
      return;
    }

  if (report->frame.generation != self->frame.generation)
    {
      const guint32 generation = report->frame.generation;
      /* Generations we never saw: frames published faster than we woke up. */
      guint skipped = generation > self->counter + 1 ? generation - self->counter - 1 : 0;

      self->frame = report->frame;
      self->had_frame = TRUE;
      g_signal_emit (self, signals[NEW_FRAME], 0, &self->frame, skipped);
    }
  self->counter = MAX (counter, report->frame.generation);

  if (!shmv_channel_report_writer_present (report) && self->state != SHMV_SOURCE_STATE_WRITER_LEFT)
    g_debug ("“%s”: withdrawn %d, writer alive %d", self->key, report->withdrawn,
             report->writer_alive);
  set_state (self, writer_state (self, report), NULL);
}

static void
shmv_channel_follower_dispose (GObject *object)
{
  shmv_channel_follower_stop (SHMV_CHANNEL_FOLLOWER (object));

  G_OBJECT_CLASS (shmv_channel_follower_parent_class)->dispose (object);
}

static void
shmv_channel_follower_finalize (GObject *object)
{
  ShmvChannelFollower *self = SHMV_CHANNEL_FOLLOWER (object);

  g_clear_error (&self->error);
  g_clear_pointer (&self->key, g_free);

  G_OBJECT_CLASS (shmv_channel_follower_parent_class)->finalize (object);
}

static void
shmv_channel_follower_get_property (GObject *object,
                                    guint prop_id,
                                    GValue *value,
                                    GParamSpec *pspec)
{
  ShmvChannelFollower *self = SHMV_CHANNEL_FOLLOWER (object);

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
shmv_channel_follower_class_init (ShmvChannelFollowerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = shmv_channel_follower_dispose;
  object_class->finalize = shmv_channel_follower_finalize;
  object_class->get_property = shmv_channel_follower_get_property;

  properties[PROP_STATE] =
      g_param_spec_enum ("state", NULL, NULL, SHMV_TYPE_SOURCE_STATE, SHMV_SOURCE_STATE_WAITING,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ShmvChannelFollower::new-frame:
   * @info: (type gpointer): the frame's header (const ShmvFrameInfo *)
   * @skipped: generations published since the last announcement that were
   *   never seen (a writer faster than the wake-ups)
   *
   * A frame the follower has not announced is in the channel. The first one
   * is announced by shmv_channel_follower_start(), and after a reopen every
   * frame of the new channel is new.
   */
  signals[NEW_FRAME] = g_signal_new ("new-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT);
}

static void
shmv_channel_follower_init (ShmvChannelFollower *self)
{
}

/** shmv_channel_follower_new: a follower of @key, not started. */
ShmvChannelFollower *
shmv_channel_follower_new (const char *key)
{
  ShmvChannelFollower *self = NULL;

  g_return_val_if_fail (key != NULL, NULL);

  self = g_object_new (SHMV_TYPE_CHANNEL_FOLLOWER, NULL);
  self->key = g_strdup (key);
  return self;
}

/**
 * shmv_channel_follower_start:
 *
 * Starts watching the key in the thread-default main context, and looks at
 * the channel once (which announces its current frame). FALSE with @error
 * when the key cannot be watched at all; the state is then ERROR.
 */
gboolean
shmv_channel_follower_start (ShmvChannelFollower *self, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (SHMV_IS_CHANNEL_FOLLOWER (self), FALSE);

  if (self->monitor != NULL)
    return TRUE;
  self->monitor = shmv_channel_monitor_new (self->key, &local_error);
  if (self->monitor == NULL)
    {
      set_state (self, SHMV_SOURCE_STATE_ERROR, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_signal_connect_object (self->monitor, "changed", G_CALLBACK (shmv_channel_follower_update),
                           self, G_CONNECT_SWAPPED);
  shmv_channel_follower_update (self);
  return TRUE;
}

/**
 * shmv_channel_follower_stop:
 *
 * Stops watching and closes the channel: a reader that was its last user
 * still removes a channel nobody keeps.
 */
void
shmv_channel_follower_stop (ShmvChannelFollower *self)
{
  g_return_if_fail (SHMV_IS_CHANNEL_FOLLOWER (self));

  g_clear_object (&self->monitor);
  close_channel (self);
}

ShmvSourceState
shmv_channel_follower_get_state (ShmvChannelFollower *self)
{
  g_return_val_if_fail (SHMV_IS_CHANNEL_FOLLOWER (self), SHMV_SOURCE_STATE_WAITING);

  return self->state;
}

/** shmv_channel_follower_get_error: (transfer none): why the state is ERROR, or NULL. */
const GError *
shmv_channel_follower_get_error (ShmvChannelFollower *self)
{
  g_return_val_if_fail (SHMV_IS_CHANNEL_FOLLOWER (self), NULL);

  return self->error;
}

/** shmv_channel_follower_is_open: whether the follower holds the channel open now. */
gboolean
shmv_channel_follower_is_open (ShmvChannelFollower *self)
{
  g_return_val_if_fail (SHMV_IS_CHANNEL_FOLLOWER (self), FALSE);

  return self->channel != NULL;
}

/**
 * shmv_channel_follower_get_generation:
 *
 * The channel generation up to which everything was looked at: a frame
 * published later is news. 0 while no channel is open.
 */
guint32
shmv_channel_follower_get_generation (ShmvChannelFollower *self)
{
  g_return_val_if_fail (SHMV_IS_CHANNEL_FOLLOWER (self), 0);

  return self->counter;
}

/** shmv_channel_follower_get_frame_info: the header of the newest frame announced; FALSE if none.
 */
gboolean
shmv_channel_follower_get_frame_info (ShmvChannelFollower *self, ShmvFrameInfo *info)
{
  g_return_val_if_fail (SHMV_IS_CHANNEL_FOLLOWER (self), FALSE);

  if (self->frame.generation == 0)
    return FALSE;
  if (info != NULL)
    *info = self->frame;
  return TRUE;
}

/* A frame's pixels taken from the open channel: copied into @data's pool, or leased. */
typedef GBytes *(*TakeFunc) (ShmvChannel *channel,
                             gpointer data,
                             ShmvFrameInfo *info,
                             GError **error);

static GBytes *
take_frame (
    ShmvChannelFollower *self, TakeFunc take, gpointer data, ShmvFrameInfo *info, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  GBytes *pixels = NULL;

  if (self->channel == NULL)
    local_error = shmv_gerror_new (SHMV_ERROR_NO_FRAME, "the channel is not open");
  else
    pixels = take (self->channel, data, info, &local_error);
  if (pixels == NULL)
    {
      set_failure (self, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return pixels;
}

static GBytes *
take_copy (ShmvChannel *channel, gpointer pool, ShmvFrameInfo *info, GError **error)
{
  return shmv_frame_pool_read (pool, channel, info, error);
}

static GBytes *
take_lease (ShmvChannel *channel, gpointer unused, ShmvFrameInfo *info, GError **error)
{
  return shmv_frame_lease_read (channel, info, error);
}

/**
 * shmv_channel_follower_read:
 *
 * Copies the channel's current frame into a buffer of @pool, its checksum
 * checked. A failure also sets the state, as an update would.
 */
GBytes *
shmv_channel_follower_read (ShmvChannelFollower *self,
                            ShmvFramePool *pool,
                            ShmvFrameInfo *info,
                            GError **error)
{
  g_return_val_if_fail (SHMV_IS_CHANNEL_FOLLOWER (self), NULL);

  return take_frame (self, take_copy, pool, info, error);
}

/**
 * shmv_channel_follower_lease:
 *
 * Leases the channel's current frame, verified in place, without a copy:
 * the bytes are its pixels in shared memory, and freeing them ends the
 * lease (shmv-frame-lease.c). A failure also sets the state.
 */
GBytes *
shmv_channel_follower_lease (ShmvChannelFollower *self, ShmvFrameInfo *info, GError **error)
{
  g_return_val_if_fail (SHMV_IS_CHANNEL_FOLLOWER (self), NULL);

  return take_frame (self, take_lease, NULL, info, error);
}
