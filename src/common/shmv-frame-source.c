/* shmv-frame-source.c: what a reader pane shows frames from
 *
 * A reader pane knows nothing of where frames come from: a libshmview
 * channel (ShmvChannelSource) or a Qt QSharedMemory segment
 * (ShmvQtSource). Each kind is one implementation of this
 * interface, in its own file; the pane only follows the state and, on
 * ::frame-available, reads when it wants to show a frame. Reading is apart
 * from the announcement so that a pane that is hidden, or not live, or
 * behind the screen's refresh, copies no frame it would not show.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "shmv-frame-source.h"

static const GEnumValue state_values[] = {
  { SHMV_SOURCE_STATE_WAITING, "SHMV_SOURCE_STATE_WAITING", "waiting" },
  { SHMV_SOURCE_STATE_LIVE, "SHMV_SOURCE_STATE_LIVE", "live" },
  { SHMV_SOURCE_STATE_WRITER_LEFT, "SHMV_SOURCE_STATE_WRITER_LEFT", "writer-left" },
  { SHMV_SOURCE_STATE_ERROR, "SHMV_SOURCE_STATE_ERROR", "error" },
  { SHMV_SOURCE_STATE_KEPT, "SHMV_SOURCE_STATE_KEPT", "kept" },
  { SHMV_SOURCE_STATE_REMOVED, "SHMV_SOURCE_STATE_REMOVED", "removed" },
  { 0, NULL, NULL },
};

GType
shmv_source_state_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("ShmvSourceState", state_values));
  return type_id;
}

const char *
shmv_source_state_nick (ShmvSourceState state)
{
  if ((guint) state >= G_N_ELEMENTS (state_values) - 1)
    return "?";
  return state_values[state].value_nick;
}

G_DEFINE_INTERFACE (ShmvFrameSource, shmv_frame_source, G_TYPE_OBJECT)

enum
{
  FRAME_AVAILABLE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
shmv_frame_source_default_init (ShmvFrameSourceInterface *iface)
{
  g_object_interface_install_property (
      iface,
      g_param_spec_enum ("state", NULL, NULL, SHMV_TYPE_SOURCE_STATE, SHMV_SOURCE_STATE_WAITING,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * ShmvFrameSource::frame-available:
   *
   * The source has a frame newer than the one last announced
   * (shmv_frame_source_get_newest() tells which). Several frames may fold
   * into one emission; read the newest with shmv_frame_source_read().
   */
  signals[FRAME_AVAILABLE] = g_signal_new ("frame-available", G_TYPE_FROM_INTERFACE (iface),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

gboolean
shmv_frame_source_start (ShmvFrameSource *self, GError **error)
{
  g_return_val_if_fail (SHMV_IS_FRAME_SOURCE (self), FALSE);

  return SHMV_FRAME_SOURCE_GET_IFACE (self)->start (self, error);
}

void
shmv_frame_source_stop (ShmvFrameSource *self)
{
  g_return_if_fail (SHMV_IS_FRAME_SOURCE (self));

  SHMV_FRAME_SOURCE_GET_IFACE (self)->stop (self);
}

ShmvSourceState
shmv_frame_source_get_state (ShmvFrameSource *self)
{
  ShmvSourceState state = SHMV_SOURCE_STATE_WAITING;

  g_return_val_if_fail (SHMV_IS_FRAME_SOURCE (self), SHMV_SOURCE_STATE_WAITING);

  g_object_get (self, "state", &state, NULL);
  return state;
}

const char *
shmv_frame_source_get_problem (ShmvFrameSource *self)
{
  g_return_val_if_fail (SHMV_IS_FRAME_SOURCE (self), NULL);

  return SHMV_FRAME_SOURCE_GET_IFACE (self)->get_problem (self);
}

/**
 * shmv_frame_source_is_checksummed:
 *
 * Whether the frames read() returns were checked against a checksum their
 * writer made (a libshmview channel's), so that a status line may say so.
 * Qt's format has none: a source that does not say is not.
 */
gboolean
shmv_frame_source_is_checksummed (ShmvFrameSource *self)
{
  ShmvFrameSourceInterface *iface;

  g_return_val_if_fail (SHMV_IS_FRAME_SOURCE (self), FALSE);

  iface = SHMV_FRAME_SOURCE_GET_IFACE (self);
  return iface->is_checksummed != NULL && iface->is_checksummed (self);
}

gboolean
shmv_frame_source_get_newest (ShmvFrameSource *self, ShmvFrameInfo *info)
{
  ShmvFrameInfo ignored;

  g_return_val_if_fail (SHMV_IS_FRAME_SOURCE (self), FALSE);

  return SHMV_FRAME_SOURCE_GET_IFACE (self)->get_newest (self, info != NULL ? info : &ignored);
}

GBytes *
shmv_frame_source_read (ShmvFrameSource *self, ShmvFrameInfo *info, GError **error)
{
  g_return_val_if_fail (SHMV_IS_FRAME_SOURCE (self), NULL);
  g_return_val_if_fail (info != NULL, NULL);

  return SHMV_FRAME_SOURCE_GET_IFACE (self)->read (self, info, error);
}

/** shmv_frame_source_frame_available: for implementations: emits ::frame-available. */
void
shmv_frame_source_frame_available (ShmvFrameSource *self)
{
  g_return_if_fail (SHMV_IS_FRAME_SOURCE (self));

  g_signal_emit (self, signals[FRAME_AVAILABLE], 0);
}
