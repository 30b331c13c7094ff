/* ctl-commands.c: the one-shot commands of shmview-ctl (watch has its own file)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmview-ctl"

#include "config.h"

#include "ctl-commands.h"

#include "ctl-json.h"
#include "ctl-signals.h"
#include "shmv-channel-report.h"
#include "ctl-text.h"
#include "shmv-autocleanups.h"
#include "shmv-frame-text.h"
#include "shmv-gerror.h"
#include "shmv-text-escape.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* The failure of the last call on @ch, prefixed with what we were doing;
 * @subject is what the failure is about (the channel, or a file the call
 * read into it). */
static CtlExit
fail_channel (ShmvChannel *ch, const char *doing, CtlSubject subject)
{
  GError *error = shmv_gerror_new_from_channel (ch);

  shmv_prefix_error (&error, doing);
  return ctl_fail (error, subject);
}

static CtlExit
fail_status (const ShmvStatus *status, const char *doing, CtlSubject subject)
{
  GError *error = shmv_gerror_new_from_status (status);

  shmv_prefix_error (&error, doing);
  return ctl_fail (error, subject);
}

/* As fail_channel(), for a failure to read or write the file @path, which
 * @doing names already. */
static CtlExit
fail_file (ShmvError code,
           int sys_errno,
           const char *detail,
           const char *path,
           const char *doing,
           CtlSubject subject)
{
  GError *error = shmv_gerror_new_for_file (code, sys_errno, detail, path);

  shmv_prefix_error (&error, doing);
  return ctl_fail (error, subject);
}

/* What opening or publishing had to make anew, told once. */
static void
warn_recreated (ShmvChannel *ch, const char *key)
{
  g_autofree char *sentence = NULL;

  if (shmv_channel_recreated (ch) == NULL)
    return;
  sentence = shmv_recreated_sentence (key, shmv_channel_recreated (ch));
  ctl_warn ("%s", sentence);
}

/* How to get rid of a corrupt channel: nobody can use it, but while a live
 * process holds it, only rm (which does not ask) removes it. */
static char *
corrupt_remedy (const char *key, gboolean in_use)
{
  if (in_use)
    return g_strdup_printf (_ ("A process still uses it: “shmview-ctl rm -k %s” removes it."), key);
  return g_strdup (
      _ ("No process uses it: “shmview-ctl gc” removes it, or the next publish replaces it."));
}

/* Fails with @error about the channel of @options, @doing what, and says
 * how to recover when the channel is corrupt. A segment whose prefix is
 * scribbled can fail to open as "not found" or "another key": its listing
 * knows better. */
static CtlExit
fail_channel_error (const CtlOptions *options, ShmvChannel *ch, const char *doing)
{
  g_autofree ShmvChannelEntry *entry = g_new0 (ShmvChannelEntry, 1);
  GError *error = shmv_gerror_new_from_channel (ch);
  gboolean listed =
      options->owner < 0 && shmv_channel_find_entry (shmv_channel_native_key (ch), entry, NULL);

  if (listed && entry->corrupt && !g_error_matches (error, SHMV_GERROR, SHMV_ERROR_CORRUPT))
    {
      g_clear_error (&error);
      error = shmv_gerror_new (SHMV_ERROR_CORRUPT, entry->corrupt_reason);
    }
  shmv_prefix_error (&error, doing);
  if (g_error_matches (error, SHMV_GERROR, SHMV_ERROR_CORRUPT))
    {
      g_autofree char *remedy = corrupt_remedy (options->key, listed && entry->in_use);
      char *message = g_strdup_printf ("%s. %s", error->message, remedy);

      g_free (error->message);
      error->message = message;
    }
  return ctl_fail (error, CTL_SUBJECT_CHANNEL);
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

/* Signal clean-up of a publish that made its channel: the channel goes, as
 * it would when the command fails (it is not persistent yet). */
static void
remove_made_channel (gpointer key)
{
  ShmvChannel *ch = shmv_channel_new (key);

  shmv_channel_remove (ch);
  shmv_channel_free (ch);
}

const char *
ctl_input_path (const char *arg)
{
  /* libshmview reads any stream into memory, within its bounds: standard
   * input is one more stream, opened by name. */
  return g_str_equal (arg, "-") ? "/dev/stdin" : arg;
}

char *
ctl_input_display (const char *arg)
{
  return g_str_equal (arg, "-") ? g_strdup (_ ("standard input")) : g_filename_display_name (arg);
}

char *
ctl_output_display (const char *path)
{
  return g_str_equal (path, "-") ? g_strdup (_ ("standard output"))
                                 : g_filename_display_name (path);
}

CtlExit
ctl_cmd_publish (const CtlOptions *options, const char *arg)
{
  g_autoptr (ShmvChannel) ch = channel_new (options);
  const char *path = ctl_input_path (arg);
  g_autofree char *display = ctl_input_display (arg);
  ShmvPngOptions png_options = { .max_pixels = (uint64_t) options->max_pixels };
  g_autofree ShmvChannelEntry *entry = g_new0 (ShmvChannelEntry, 1);
  ShmvFrameInfo info;
  gboolean kept;

  /* A signal must not leave a channel this command made: not yet
   * persistent, it would be stale until gc. One that was there stays. */
  if (!shmv_channel_find_entry (shmv_channel_native_key (ch), entry, NULL))
    ctl_signals_set_cleanup (remove_made_channel, (gpointer) options->key);

  if (!shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0))
    {
      g_autofree char *doing =
          g_strdup_printf (_ ("Cannot open channel “%s” for writing"), options->key);

      ctl_signals_set_cleanup (NULL, NULL); /* we made nothing */
      return fail_channel_error (options, ch, doing);
    }
  warn_recreated (ch, options->key);

  /* A failed publish leaves the previous frame current; and a channel this
   * command just made is not persistent yet, so it goes away with us. */
  if (!shmv_channel_publish_png (ch, path, &png_options))
    {
      g_autofree char *doing =
          g_strdup_printf (_ ("Cannot publish “%s” on channel “%s”"), display, options->key);
      if (shmv_channel_error (ch) == SHMV_ERROR_IO || shmv_channel_error (ch) == SHMV_ERROR_IMAGE)
        return fail_file (shmv_channel_error (ch), shmv_channel_error_errno (ch),
                          shmv_channel_error_string (ch), path, doing, CTL_SUBJECT_INPUT_FILE);
      return fail_channel (ch, doing, CTL_SUBJECT_INPUT_FILE);
    }
  warn_recreated (ch, options->key);

  /* Kept, and from then on no longer ours to remove: both, or neither. */
  ctl_signals_hold ();
  kept = shmv_channel_set_persistent (ch, true);
  if (kept)
    ctl_signals_set_cleanup (NULL, NULL);
  ctl_signals_release ();
  if (!kept)
    {
      g_autofree char *doing =
          g_strdup_printf (_ ("Cannot keep channel “%s” after exit"), options->key);
      return fail_channel (ch, doing, CTL_SUBJECT_CHANNEL);
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
ctl_save_png (const char *path,
              const char *display,
              const void *pixels,
              const ShmvFrameInfo *info,
              const char *done)
{
  ShmvStatus status;
  struct stat st;
  gboolean saved;

  if (g_str_equal (path, "-"))
    saved = shmv_png_save_fd (STDOUT_FILENO, display, pixels, info->width, info->height,
                              info->stride, info->format, &status);
  else
    {
      /* A file is replaced by a temporary one beside it, which a signal
       * must not leave behind: signals wait for the save, which cannot
       * block for ever. Anything else (a FIFO) is written through, with
       * nothing to leave, and may wait for a reader for ever. */
      gboolean replaced = stat (path, &st) != 0 || S_ISREG (st.st_mode);

      if (replaced)
        ctl_signals_hold ();
      saved = shmv_png_save (path, pixels, info->width, info->height, info->stride, info->format,
                             &status);
      if (replaced)
        ctl_signals_release ();
    }
  if (!saved)
    {
      g_autofree char *doing = g_strdup_printf (_ ("Cannot save “%s”"), display);
      return fail_file (status.code, status.sys_errno, status.message, path, doing,
                        CTL_SUBJECT_OUTPUT_FILE);
    }
  /* With the image on stdout, what we say goes beside it. */
  if (g_str_equal (path, "-"))
    g_printerr ("%s\n", done);
  else
    g_print ("%s\n", done);
  return CTL_EXIT_OK;
}

CtlExit
ctl_cmd_read (const CtlOptions *options, const char *path)
{
  g_autoptr (ShmvChannel) ch = channel_new (options);
  g_autofree char *display = ctl_output_display (path);
  g_autofree char *summary = NULL;
  g_autofree char *message = NULL;
  void *pixels = NULL;
  size_t capacity = 0;
  ShmvFrameInfo info;
  CtlExit saved;

  if (!shmv_channel_open (ch, SHMV_CHANNEL_READER, 0))
    {
      g_autofree char *doing = g_strdup_printf (_ ("Cannot open channel “%s”"), options->key);
      return fail_channel_error (options, ch, doing);
    }

  if (!shmv_channel_read (ch, &pixels, &capacity, &info))
    {
      g_autofree char *doing = g_strdup_printf (_ ("Cannot read channel “%s”"), options->key);
      free (pixels);
      return fail_channel_error (options, ch, doing);
    }

  summary = shmv_frame_summary (&info);
  /* TRANSLATORS: key, "640 × 480 RGBA8, generation 3", then a file name */
  message = g_strdup_printf (_ ("Saved channel “%s” (%s) to “%s”"), options->key, summary, display);
  saved = ctl_save_png (path, display, pixels, &info, message);
  free (pixels);
  return saved;
}

CtlExit
ctl_cmd_info (const CtlOptions *options, const char *arg)
{
  g_autoptr (ShmvChannel) ch = channel_new (options);
  g_autoptr (ShmvChannelReport) report = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree ShmvChannelEntry *entry = g_new0 (ShmvChannelEntry, 1);
  gboolean listed;

  /* Only a listing knows whether the channel is persistent, stale or
   * corrupt; look before opening, so that our own reader does not count as
   * a user. */
  listed =
      options->owner < 0 && shmv_channel_find_entry (shmv_channel_native_key (ch), entry, &error);
  if (error != NULL)
    return ctl_fail (g_steal_pointer (&error), CTL_SUBJECT_CHANNEL);

  if (listed && shmv_channel_entry_is_stale (entry) && !entry->corrupt)
    report = shmv_channel_report_new_stale (entry);
  else if (!shmv_channel_open (ch, SHMV_CHANNEL_READER, 0))
    {
      g_autofree char *doing = g_strdup_printf (_ ("Cannot open channel “%s”"), options->key);
      return fail_channel_error (options, ch, doing);
    }
  else
    {
      report = shmv_channel_report_new_from_channel (ch, listed ? entry : NULL, &error);
      if (report == NULL)
        {
          g_autofree char *doing = g_strdup_printf (_ ("Cannot read channel “%s”"), options->key);

          return fail_channel_error (options, ch, doing);
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
  size_t n;

  if (!shmv_channel_list (&entries, &n, &status))
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
  g_autoptr (GPtrArray) reports =
      g_ptr_array_new_with_free_func ((GDestroyNotify) shmv_channel_report_free);
  /* Qt's segments of this user beside our channels (Qt never says which
   * exist: their key files in Qt's temp dir tell). */
  g_autoptr (GPtrArray) qt_segments = shmv_qt_segment_list ();
  GError *error = NULL;

  entries = list_entries (&error);
  if (entries == NULL)
    return ctl_fail (error, CTL_SUBJECT_CHANNEL);

  /* A channel that cannot be read is reported as such; it does not fail the list. */
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (reports, shmv_channel_report_new_from_entry (
                                  &g_array_index (entries, ShmvChannelEntry, i)));

  if (options->json)
    {
      ShmvJson *json = shmv_json_new ();

      shmv_json_begin_array (json, NULL);
      for (guint i = 0; i < reports->len; i++)
        ctl_json_add_report (json, reports->pdata[i]);
      for (guint i = 0; i < qt_segments->len; i++)
        ctl_json_add_qt (json, qt_segments->pdata[i], NULL);
      shmv_json_end_array (json);
      print_json (json);
    }
  else if (reports->len == 0 && qt_segments->len == 0)
    g_print ("%s\n", _ ("No channels."));
  else
    ctl_text_print_table (reports, qt_segments);
  return CTL_EXIT_OK;
}

CtlExit
ctl_cmd_rm (const CtlOptions *options, const char *arg)
{
  g_autoptr (ShmvChannel) ch = shmv_channel_new (options->key);
  gboolean removed;

  /* A removal is two steps (lock set, then segment): never half done. */
  ctl_signals_hold ();
  removed = shmv_channel_remove (ch);
  ctl_signals_release ();
  if (!removed)
    {
      g_autofree char *doing = g_strdup_printf (_ ("Cannot remove channel “%s”"), options->key);
      return fail_channel (ch, doing, CTL_SUBJECT_CHANNEL);
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
      g_autofree char *key = shmv_escape_text (entry->key[0] ? entry->key : "—");
      ShmvStatus status;
      gboolean removed_now;

      if (!shmv_channel_entry_is_collectable (entry))
        continue;

      /* A removal is two steps (lock set, then segment): never half done. */
      ctl_signals_hold ();
      removed_now = shmv_channel_entry_remove_unused (entry, &status);
      ctl_signals_release ();
      if (!removed_now)
        {
          g_autofree char *doing = NULL;

          /* Collected by someone else, or in use again since the listing. */
          if (status.code == SHMV_ERROR_NOT_FOUND || status.code == SHMV_ERROR_ALREADY_EXISTS)
            continue;
          doing = g_strdup_printf (_ ("Cannot remove channel “%s”"), key);
          result = MAX (result, fail_status (&status, doing, CTL_SUBJECT_CHANNEL));
          continue;
        }

      removed++;
      if (json != NULL)
        {
          shmv_json_begin_object (json, NULL);
          if (entry->key[0] != '\0')
            shmv_json_add_string (json, "key", entry->key);
          else
            shmv_json_add_null (json, "key");
          shmv_json_add_string (json, "native_key", entry->native_key);
          shmv_json_add_uint (json, "size", entry->size);
          shmv_json_add_bool (json, "corrupt", entry->corrupt);
          shmv_json_end_object (json);
        }
      else
        {
          g_autofree char *size = g_format_size (entry->size);

          if (entry->corrupt)
            /* TRANSLATORS: key, name in /dev/shm, size, what is wrong (English) */
            g_print (_ ("Removed corrupt channel “%s” (%s, %s): %s"), key, entry->native_key, size,
                     entry->corrupt_reason);
          else
            /* TRANSLATORS: key, name in /dev/shm, size */
            g_print (_ ("Removed stale channel “%s” (%s, %s)"), key, entry->native_key, size);
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
