/* ctl-report.h: what shmview-ctl knows about a channel, for info and list
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

typedef enum
{
  CTL_REPORT_OPENED, /* the channel was opened: every field below is known */
  CTL_REPORT_STALE,  /* every user died; not opened, as closing it would remove it */
  CTL_REPORT_FAILED, /* opening or reading it failed: see error */
} CtlReportState;

typedef struct
{
  CtlReportState state;
  char *key;
  char *native_key;
  guint64 size;
  gboolean persistent;
  gboolean listed;    /* found in a listing: persistent and in_use are known */
  gboolean in_use;    /* another process had it open */
  gboolean has_frame; /* false: generation 0, no image yet */
  ShmvFrameInfo frame;
  gboolean writer_alive;
  gboolean withdrawn;
  ShmvError error;     /* CTL_REPORT_FAILED only */
  char *error_message; /* the library's English detail */
} CtlReport;

void ctl_report_free (CtlReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtlReport, ctl_report_free)

/**
 * ctl_report_new_from_channel:
 * @entry: (nullable): the channel's entry in a listing, for the fields only a
 *   listing knows (persistent, in use)
 *
 * Describes open channel @ch. NULL with @error set when its header is corrupt.
 */
CtlReport *
ctl_report_new_from_channel (ShmvChannel *ch, const ShmvChannelEntry *entry, GError **error);

/**
 * ctl_report_new_from_entry:
 *
 * Describes a listed channel: opens it read-only unless it is stale. Never
 * fails: a channel that cannot be read gets state CTL_REPORT_FAILED.
 */
CtlReport *ctl_report_new_from_entry (const ShmvChannelEntry *entry);

/**
 * ctl_entry_is_stale:
 *
 * Whether every user of a listed channel died and it is not persistent:
 * what `gc` removes, and what `info` and `list` must not open (our reader
 * would be its last user, and closing it would remove it).
 */
gboolean ctl_entry_is_stale (const ShmvChannelEntry *entry);

/** ctl_report_new_stale: describes a stale channel from its listing alone. */
CtlReport *ctl_report_new_stale (const ShmvChannelEntry *entry);

/**
 * ctl_find_entry:
 *
 * Looks @key up in a listing of this user's channels. FALSE when it is not
 * there, or with @error set when listing failed.
 */
gboolean ctl_find_entry (const char *key, ShmvChannelEntry *entry, GError **error);

G_END_DECLS
