/* shmv-channel-report.c: what can be told about a channel without changing it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-channel-report"

#include "config.h"

#include "shmv-channel-report.h"

#include "shmv-autocleanups.h"
#include "shmv-gerror.h"

#include <stdlib.h>
#include <string.h>

void
shmv_channel_report_free (ShmvChannelReport *report)
{
  if (report == NULL)
    return;
  g_free (report->key);
  g_free (report->native_key);
  g_free (report->error_message);
  g_free (report);
}

static ShmvChannelReport *
report_new (const char *key, const char *native_key, const ShmvChannelEntry *entry)
{
  ShmvChannelReport *report = g_new0 (ShmvChannelReport, 1);

  /* A corrupt segment may not say which key it was made for. */
  report->key = key != NULL && key[0] != '\0' ? g_strdup (key) : NULL;
  report->native_key = g_strdup (native_key);
  if (entry != NULL)
    {
      report->size = entry->size;
      report->persistent = entry->persistent;
      report->listed = TRUE;
      report->in_use = entry->in_use;
    }
  return report;
}

ShmvChannelReport *
shmv_channel_report_new_from_channel (ShmvChannel *ch,
                                      const ShmvChannelEntry *entry,
                                      GError **error)
{
  g_autoptr (ShmvChannelReport) report = NULL;

  report = report_new (shmv_channel_key (ch), shmv_channel_native_key (ch), entry);
  report->state = SHMV_REPORT_OPENED;
  report->size = shmv_channel_segment_size (ch);

  if (shmv_channel_get_info (ch, &report->frame))
    report->has_frame = TRUE;
  else if (shmv_channel_error (ch) != SHMV_ERROR_NO_FRAME)
    {
      shmv_propagate_channel_error (ch, error);
      return NULL;
    }
  else
    memset (&report->frame, 0, sizeof report->frame);

  report->writer_alive = shmv_channel_writer_alive (ch);
  /* A channel of an older build names only its frames' publishers. */
  report->writer_pid = shmv_channel_writer_pid (ch);
  if (report->writer_pid == 0)
    report->writer_pid = report->frame.writer_pid;
  report->withdrawn = report->has_frame && shmv_channel_is_withdrawn (ch);
  return g_steal_pointer (&report);
}

ShmvChannelReport *
shmv_channel_report_new_stale (const ShmvChannelEntry *entry)
{
  ShmvChannelReport *report = report_new (entry->key, entry->native_key, entry);

  report->state = SHMV_REPORT_STALE;
  return report;
}

static ShmvChannelReport *
new_failed (const ShmvChannelEntry *entry, ShmvError error, const char *message)
{
  ShmvChannelReport *report = report_new (entry->key, entry->native_key, entry);

  report->state = SHMV_REPORT_FAILED;
  report->error = error;
  report->corrupt = error == SHMV_ERROR_CORRUPT;
  report->error_message = g_strdup (message);
  return report;
}

ShmvChannelReport *
shmv_channel_report_new_from_entry (const ShmvChannelEntry *entry)
{
  g_autoptr (ShmvChannel) ch = NULL;
  g_autoptr (GError) error = NULL;
  ShmvChannelReport *report;

  /* Nobody uses a stale channel: our reader would be its last user, and
   * closing it would remove it. Listing must not garbage-collect. */
  if (entry->corrupt)
    return new_failed (entry, SHMV_ERROR_CORRUPT, entry->corrupt_reason);
  if (shmv_channel_entry_is_stale (entry))
    return shmv_channel_report_new_stale (entry);

  ch = shmv_channel_new (entry->key);
  if (shmv_channel_open (ch, SHMV_CHANNEL_READER, 0))
    {
      report = shmv_channel_report_new_from_channel (ch, entry, &error);
      if (report != NULL)
        return report;
    }

  g_debug ("cannot read channel %s: %s", entry->key, shmv_channel_error_string (ch));
  return new_failed (entry, shmv_channel_error (ch), shmv_channel_error_string (ch));
}

gboolean
shmv_channel_report_writer_present (const ShmvChannelReport *report)
{
  return report->state == SHMV_REPORT_OPENED && report->writer_alive && !report->withdrawn;
}

gboolean
shmv_channel_entry_is_stale (const ShmvChannelEntry *entry)
{
  return !entry->in_use && !entry->persistent;
}

gboolean
shmv_channel_entry_is_collectable (const ShmvChannelEntry *entry)
{
  return !entry->in_use && (entry->corrupt || !entry->persistent);
}

gboolean
shmv_channel_find_entry (const char *native_key, ShmvChannelEntry *entry, GError **error)
{
  ShmvChannelEntry *entries = NULL;
  ShmvStatus status;
  size_t n;
  gboolean found = FALSE;

  if (!shmv_channel_list (&entries, &n, &status))
    return shmv_propagate_status (&status, error);

  for (size_t i = 0; i < n && !found; i++)
    if (strcmp (entries[i].native_key, native_key) == 0)
      {
        *entry = entries[i];
        found = TRUE;
      }
  free (entries);
  return found;
}
