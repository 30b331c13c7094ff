/* shmv-channel-report.h: what can be told about a channel without changing it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

typedef enum
{
  SHMV_REPORT_OPENED, /* the channel was opened: every field below is known */
  SHMV_REPORT_STALE,  /* every user died; not opened, as closing it would remove it */
  SHMV_REPORT_FAILED, /* corrupt (not opened), or opening or reading it failed: see error */
} ShmvReportState;

typedef struct
{
  ShmvReportState state;
  char *key;
  char *native_key;
  guint64 size;
  gboolean persistent;
  gboolean listed;    /* found in a listing: persistent and in_use are known */
  gboolean in_use;    /* another process had it open */
  gboolean has_frame; /* false: generation 0, no image yet */
  ShmvFrameInfo frame;
  gboolean writer_alive;
  gint writer_pid; /* the live writer, else the last one (0: not known) */
  gboolean withdrawn;
  gboolean corrupt;    /* its listing or its header says so: nobody can use it */
  ShmvError error;     /* SHMV_REPORT_FAILED only */
  char *error_message; /* the library's English detail */
} ShmvChannelReport;

void shmv_channel_report_free (ShmvChannelReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShmvChannelReport, shmv_channel_report_free)

/**
 * shmv_channel_report_new_from_channel:
 * @entry: (nullable): the channel's entry in a listing, for the fields only a
 *   listing knows (persistent, in use)
 *
 * Describes open channel @ch. NULL with @error set when its header is corrupt.
 */
ShmvChannelReport *shmv_channel_report_new_from_channel (ShmvChannel *ch,
                                                         const ShmvChannelEntry *entry,
                                                         GError **error);

/**
 * shmv_channel_report_new_from_entry:
 *
 * Describes a listed channel: opens it read-only unless it is stale or
 * corrupt. Never fails: a channel that cannot be read gets state
 * SHMV_REPORT_FAILED. Looking never removes a channel: both shmview-ctl
 * (list, info) and the app's channel chooser describe channels this way.
 */
ShmvChannelReport *shmv_channel_report_new_from_entry (const ShmvChannelEntry *entry);

/**
 * shmv_channel_report_writer_present:
 *
 * Whether a writer stands behind the channel's image now: its process has
 * the channel open and has not withdrawn its image. The one definition of
 * "writer present": the chooser's rows and the reader's state both use it.
 * FALSE when the channel could not be opened.
 */
gboolean shmv_channel_report_writer_present (const ShmvChannelReport *report);

/**
 * shmv_channel_entry_is_stale:
 *
 * Whether every user of a listed channel died and it is not persistent:
 * what `gc` removes, and what no one who only looks may open (a reader
 * would be its last user, and closing it would remove it).
 */
gboolean shmv_channel_entry_is_stale (const ShmvChannelEntry *entry);

/** shmv_channel_report_new_stale: describes a stale channel from its listing alone. */
ShmvChannelReport *shmv_channel_report_new_stale (const ShmvChannelEntry *entry);

/**
 * shmv_channel_find_entry:
 *
 * Looks up the channel of @native_key (a key's shmv_channel_native_key(),
 * which finds it even when its stored key is scribbled) in a listing of
 * this user's channels. FALSE when it is not there, or with @error set when
 * listing failed.
 */
gboolean shmv_channel_find_entry (const char *native_key, ShmvChannelEntry *entry, GError **error);

/**
 * shmv_channel_entry_is_collectable:
 *
 * Whether garbage collection removes a listed channel: stale, or corrupt
 * and unused.
 */
gboolean shmv_channel_entry_is_collectable (const ShmvChannelEntry *entry);

G_END_DECLS
