/* ctl-commands.c: the one-shot commands of shmview-ctl (watch has its own file)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmview-ctl"

#include "config.h"

#include "ctl-commands.h"

#include "ctl-json.h"
#include "ctl-report.h"
#include "ctl-text.h"
#include "shmv-autocleanups.h"
#include "shmv-frame-text.h"
#include "shmv-gerror.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>

/* The failure of the last call on @ch, prefixed with what we were doing. */
static CtlExit
fail_channel (ShmvChannel *ch, const char *doing)
{
  GError *error = shmv_gerror_new_from_channel (ch);

  shmv_prefix_error (&error, doing);
  return ctl_fail (error, CTL_SUBJECT_CHANNEL);
}

static CtlExit
fail_status (const ShmvStatus *status, const char *doing, CtlSubject subject)
{
  GError *error = shmv_gerror_new_from_status (status);

  shmv_prefix_error (&error, doing);
  return ctl_fail (error, subject);
}

/* A handle on the channel the options name: its key, its owner. */
static ShmvChannel *
channel_new (const CtlOptions *options)
{
  ShmvChannel *ch = shmv_channel_new (options->key);

  if (options->owner >= 0)
    shmv_channel_set_owner (ch, (uid_t) options->owner);
  shmv_channel_set_sharing (ch, options->sharing);
  return ch;
}

static void
print_json (ShmvJson *json)
{
  g_autofree char *text = shmv_json_free_to_string (json);

  g_print ("%s\n", text);
}

CtlExit
ctl_cmd_publish (const CtlOptions *options, const char *path)
{
  g_autoptr (ShmvChannel) ch = channel_new (options);
  g_autofree char *display = g_filename_display_name (path);
  ShmvPngOptions png_options = { .max_pixels = (uint64_t) options->max_pixels };
  ShmvStatus status;
  ShmvFrameInfo info;

  if (!shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0))
    {
      g_autofree char *doing =
          g_strdup_printf (_ ("Cannot open channel “%s” for writing"), options->key);
      return fail_channel (ch, doing);
    }
  if (shmv_channel_recreated (ch) != NULL)
    ctl_warn (_ ("Channel “%s”: %s"), options->key, shmv_channel_recreated (ch));

  /* A failed publish leaves the previous frame current; and a channel this
   * command just made is not persistent yet, so it goes away with us. */
  if (!shmv_png_publish (path, &png_options, ch, &status))
    {
      g_autofree char *doing =
          g_strdup_printf (_ ("Cannot publish “%s” on channel “%s”"), display, options->key);
      return fail_status (&status, doing, CTL_SUBJECT_INPUT_FILE);
    }
  if (shmv_channel_recreated (ch) != NULL)
    ctl_warn (_ ("Channel “%s”: %s"), options->key, shmv_channel_recreated (ch));

  if (!shmv_channel_set_persistent (ch, true))
    {
      g_autofree char *doing =
          g_strdup_printf (_ ("Cannot keep channel “%s” after exit"), options->key);
      return fail_channel (ch, doing);
    }

  if (shmv_channel_get_info (ch, &info))
    {
      g_autofree char *summary = shmv_frame_summary (&info);

      /* TRANSLATORS: file name, key, then "640 × 480 RGBA8, generation 3" */
      g_print (_ ("Published “%s” on channel “%s”: %s"), display, options->key, summary);
      g_print ("\n");
    }
  return CTL_EXIT_OK;
}

CtlExit
ctl_cmd_read (const CtlOptions *options, const char *path)
{
  g_autoptr (ShmvChannel) ch = channel_new (options);
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *summary = NULL;
  void *pixels = NULL;
  size_t capacity = 0;
  ShmvFrameInfo info;
  ShmvStatus status;
  gboolean saved;

  if (!shmv_channel_open (ch, SHMV_CHANNEL_READER, 0))
    {
      g_autofree char *doing = g_strdup_printf (_ ("Cannot open channel “%s”"), options->key);
      return fail_channel (ch, doing);
    }

  if (!shmv_channel_read (ch, &pixels, &capacity, &info))
    {
      g_autofree char *doing = g_strdup_printf (_ ("Cannot read channel “%s”"), options->key);
      free (pixels);
      return fail_channel (ch, doing);
    }

  saved = shmv_png_save (path, pixels, info.width, info.height, info.stride, info.format, &status);
  free (pixels);
  if (!saved)
    {
      g_autofree char *doing = g_strdup_printf (_ ("Cannot save “%s”"), display);
      return fail_status (&status, doing, CTL_SUBJECT_OUTPUT_FILE);
    }

  summary = shmv_frame_summary (&info);
  /* TRANSLATORS: key, "640 × 480 RGBA8, generation 3", then a file name */
  g_print (_ ("Saved channel “%s” (%s) to “%s”"), options->key, summary, display);
  g_print ("\n");
  return CTL_EXIT_OK;
}

CtlExit
ctl_cmd_info (const CtlOptions *options, const char *arg)
{
  g_autoptr (ShmvChannel) ch = channel_new (options);
  g_autoptr (CtlReport) report = NULL;
  g_autoptr (GError) error = NULL;
  ShmvChannelEntry entry;
  gboolean listed;

  /* Only a listing knows whether the channel is persistent or stale; look
   * before opening, so that our own reader does not count as a user. */
  listed = options->owner < 0 && ctl_find_entry (options->key, &entry, &error);
  if (error != NULL)
    return ctl_fail (g_steal_pointer (&error), CTL_SUBJECT_CHANNEL);

  if (listed && ctl_entry_is_stale (&entry))
    report = ctl_report_new_stale (&entry);
  else if (!shmv_channel_open (ch, SHMV_CHANNEL_READER, 0))
    {
      g_autofree char *doing = g_strdup_printf (_ ("Cannot open channel “%s”"), options->key);
      return fail_channel (ch, doing);
    }
  else
    {
      report = ctl_report_new_from_channel (ch, listed ? &entry : NULL, &error);
      if (report == NULL)
        {
          g_autofree char *doing = g_strdup_printf (_ ("Cannot read channel “%s”"), options->key);

          shmv_prefix_error (&error, doing);
          return ctl_fail (g_steal_pointer (&error), CTL_SUBJECT_CHANNEL);
        }
    }

  if (options->json)
    {
      ShmvJson *json = shmv_json_new ();

      ctl_json_add_report (json, report);
      print_json (json);
    }
  else
    ctl_text_print_report (report);
  return CTL_EXIT_OK;
}

/* This user's channels, sorted by key; NULL with @error set on failure. */
static GArray *
list_entries (GError **error)
{
  ShmvChannelEntry *entries = NULL;
  ShmvStatus status;
  GArray *array;
  int n = shmv_channel_list (&entries, &status);

  if (n < 0)
    {
      shmv_propagate_status (&status, error);
      shmv_prefix_error (error, _ ("Cannot list channels"));
      return NULL;
    }
  array = g_array_sized_new (FALSE, FALSE, sizeof (ShmvChannelEntry), (guint) n);
  g_array_append_vals (array, entries, (guint) n);
  free (entries);
  return array;
}

CtlExit
ctl_cmd_list (const CtlOptions *options, const char *arg)
{
  g_autoptr (GArray) entries = NULL;
  g_autoptr (GPtrArray) reports = g_ptr_array_new_with_free_func ((GDestroyNotify) ctl_report_free);
  GError *error = NULL;

  entries = list_entries (&error);
  if (entries == NULL)
    return ctl_fail (error, CTL_SUBJECT_CHANNEL);

  /* A channel that cannot be read is reported as such; it does not fail the list. */
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (reports,
                     ctl_report_new_from_entry (&g_array_index (entries, ShmvChannelEntry, i)));

  if (options->json)
    {
      ShmvJson *json = shmv_json_new ();

      shmv_json_begin_array (json, NULL);
      for (guint i = 0; i < reports->len; i++)
        ctl_json_add_report (json, reports->pdata[i]);
      shmv_json_end_array (json);
      print_json (json);
    }
  else if (reports->len == 0)
    g_print ("%s\n", _ ("No channels."));
  else
    ctl_text_print_table (reports);
  return CTL_EXIT_OK;
}

CtlExit
ctl_cmd_rm (const CtlOptions *options, const char *arg)
{
  g_autoptr (ShmvChannel) ch = shmv_channel_new (options->key);

  if (!shmv_channel_remove (ch))
    {
      g_autofree char *doing = g_strdup_printf (_ ("Cannot remove channel “%s”"), options->key);
      return fail_channel (ch, doing);
    }
  g_print (_ ("Removed channel “%s”."), options->key);
  g_print ("\n");
  return CTL_EXIT_OK;
}

CtlExit
ctl_cmd_gc (const CtlOptions *options, const char *arg)
{
  g_autoptr (GArray) entries = NULL;
  g_autoptr (ShmvJson) json = NULL;
  GError *error = NULL;
  CtlExit result = CTL_EXIT_OK;
  guint removed = 0;

  entries = list_entries (&error);
  if (entries == NULL)
    return ctl_fail (error, CTL_SUBJECT_CHANNEL);

  if (options->json)
    {
      json = shmv_json_new ();
      shmv_json_begin_array (json, NULL);
    }

  /* The listing is only a hint: the removal itself re-checks, under the
   * kernel lock that counts users, that nobody has the channel open. */
  for (guint i = 0; i < entries->len; i++)
    {
      const ShmvChannelEntry *entry = &g_array_index (entries, ShmvChannelEntry, i);
      g_autoptr (ShmvChannel) ch = NULL;

      if (!ctl_entry_is_stale (entry))
        continue;

      ch = shmv_channel_new (entry->key);
      if (!shmv_channel_remove_unused (ch))
        {
          g_autofree char *doing = NULL;

          /* Collected by someone else, or in use again since the listing. */
          if (shmv_channel_error (ch) == SHMV_ERROR_NOT_FOUND ||
              shmv_channel_error (ch) == SHMV_ERROR_ALREADY_EXISTS)
            continue;
          doing = g_strdup_printf (_ ("Cannot remove stale channel “%s”"), entry->key);
          result = MAX (result, fail_channel (ch, doing));
          continue;
        }

      removed++;
      if (json != NULL)
        {
          shmv_json_begin_object (json, NULL);
          shmv_json_add_string (json, "key", entry->key);
          shmv_json_add_string (json, "native_key", entry->native_key);
          shmv_json_add_uint (json, "size", entry->size);
          shmv_json_end_object (json);
        }
      else
        {
          g_autofree char *size = g_format_size (entry->size);

          /* TRANSLATORS: key, name in /dev/shm, size */
          g_print (_ ("Removed stale channel “%s” (%s, %s)"), entry->key, entry->native_key, size);
          g_print ("\n");
        }
    }

  if (json != NULL)
    {
      shmv_json_end_array (json);
      print_json (g_steal_pointer (&json));
    }
  else if (removed == 0)
    g_print ("%s\n", _ ("No stale channels."));
  else
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "Removed %u stale channel.",
                            "Removed %u stale channels.", removed),
               removed);
      g_print ("\n");
    }
  return result;
}
