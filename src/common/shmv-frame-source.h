/* shmv-frame-source.h: what a reader pane shows frames from
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

/**
 * ShmvSourceState:
 * @SHMV_SOURCE_STATE_WAITING: nothing to show yet: no channel, or no image in it
 * @SHMV_SOURCE_STATE_LIVE: an image is there and its writer is present
 * @SHMV_SOURCE_STATE_WRITER_LEFT: an image was there; its writer withdrew it or died
 * @SHMV_SOURCE_STATE_ERROR: the source cannot be read (corrupt, refused…):
 *   see shmv_frame_source_get_problem()
 *
 * The nicks ("writer-left") are what the reader pane logs (SHMV_EVENT_READER_STATE).
 */
typedef enum
{
  SHMV_SOURCE_STATE_WAITING,
  SHMV_SOURCE_STATE_LIVE,
  SHMV_SOURCE_STATE_WRITER_LEFT,
  SHMV_SOURCE_STATE_ERROR,
  SHMV_SOURCE_STATE_KEPT,    /* an image kept on purpose, with no writer (shmview-ctl publish) */
  SHMV_SOURCE_STATE_REMOVED, /* the channel was removed (shmview-ctl rm); its last image shows */
} ShmvSourceState;

#define SHMV_TYPE_SOURCE_STATE (shmv_source_state_get_type ())
GType shmv_source_state_get_type (void);
const char *shmv_source_state_nick (ShmvSourceState state);

#define SHMV_TYPE_FRAME_SOURCE (shmv_frame_source_get_type ())

G_DECLARE_INTERFACE (ShmvFrameSource, shmv_frame_source, SHMV, FRAME_SOURCE, GObject)

/**
 * ShmvFrameSourceInterface:
 * @start: begins following; the state and ::frame-available tell what
 *   happens from then on, in the thread-default main context. FALSE with
 *   @error when following cannot even begin (the state is then ERROR).
 * @stop: stops following and lets go of the source's resources.
 * @get_problem: why the state is ERROR, for the user; NULL otherwise.
 * @get_newest: the header of the newest frame the source has, without
 *   reading its pixels; FALSE when it has none.
 * @read: copies the newest frame out; the bytes hold @info's height × stride.
 *
 * Implementations have a "state" property (ShmvSourceState) and notify it.
 */
struct _ShmvFrameSourceInterface
{
  GTypeInterface g_iface;

  gboolean (*start) (ShmvFrameSource *self, GError **error);
  void (*stop) (ShmvFrameSource *self);
  const char *(*get_problem) (ShmvFrameSource *self);
  gboolean (*get_newest) (ShmvFrameSource *self, ShmvFrameInfo *info);
  GBytes *(*read) (ShmvFrameSource *self, ShmvFrameInfo *info, GError **error);
  /* (optional): whether read() checked the writer's checksum; unset: no */
  gboolean (*is_checksummed) (ShmvFrameSource *self);
};

gboolean shmv_frame_source_start (ShmvFrameSource *self, GError **error);
void shmv_frame_source_stop (ShmvFrameSource *self);
ShmvSourceState shmv_frame_source_get_state (ShmvFrameSource *self);
const char *shmv_frame_source_get_problem (ShmvFrameSource *self);
gboolean shmv_frame_source_get_newest (ShmvFrameSource *self, ShmvFrameInfo *info);
GBytes *shmv_frame_source_read (ShmvFrameSource *self, ShmvFrameInfo *info, GError **error);
void shmv_frame_source_frame_available (ShmvFrameSource *self);
gboolean shmv_frame_source_is_checksummed (ShmvFrameSource *self);

G_END_DECLS
