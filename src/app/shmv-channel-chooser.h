/* shmv-channel-chooser.h: a button listing this user's channels, to pick one
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "shmv-app-types.h"
#include "shmv-source-kind.h"

G_BEGIN_DECLS

#define SHMV_TYPE_CHANNEL_CHOOSER (shmv_channel_chooser_get_type ())

G_DECLARE_FINAL_TYPE (ShmvChannelChooser, shmv_channel_chooser, SHMV, CHANNEL_CHOOSER, GtkWidget)

ShmvChannelChooser *shmv_channel_chooser_new (void);
const char *shmv_channel_chooser_get_key (ShmvChannelChooser *self);
void shmv_channel_chooser_set_key (ShmvChannelChooser *self, const char *key);
ShmvSourceKind shmv_channel_chooser_get_kind (ShmvChannelChooser *self);
void
shmv_channel_chooser_set_choice (ShmvChannelChooser *self, ShmvSourceKind kind, const char *key);
guint shmv_channel_chooser_get_n_qt_segments (ShmvChannelChooser *self);
void shmv_channel_chooser_refresh (ShmvChannelChooser *self);
guint shmv_channel_chooser_get_n_channels (ShmvChannelChooser *self);

G_END_DECLS
