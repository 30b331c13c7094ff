/* ctl-exit.c: shmview-ctl's exit codes and error messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmview-ctl"

#include "config.h"

#include "ctl-exit.h"

#include "shmv-gerror.h"

#include <glib/gi18n.h>
#include <stdio.h>

/* Every library error, and what it means for each subject. A missing file
 * to publish is NOT_FOUND from the loader, but exit 3 (bad input), not 2 (no
 * channel); a full disk under an output file is "output not writable". */
static const struct
{
  CtlExit channel;
  CtlExit input_file;
  CtlExit output_file;
} exit_table[] = {
  [SHMV_ERROR_NONE] = { CTL_EXIT_OK, CTL_EXIT_OK, CTL_EXIT_OK },
  [SHMV_ERROR_PERMISSION_DENIED] = { CTL_EXIT_PERMISSION, CTL_EXIT_INPUT, CTL_EXIT_PERMISSION },
  [SHMV_ERROR_INVALID_SIZE] = { CTL_EXIT_SYSTEM, CTL_EXIT_INPUT, CTL_EXIT_PERMISSION },
  [SHMV_ERROR_KEY] = { CTL_EXIT_USAGE, CTL_EXIT_USAGE, CTL_EXIT_PERMISSION },
  [SHMV_ERROR_ALREADY_EXISTS] = { CTL_EXIT_SYSTEM, CTL_EXIT_SYSTEM, CTL_EXIT_PERMISSION },
  [SHMV_ERROR_NOT_FOUND] = { CTL_EXIT_NO_CHANNEL, CTL_EXIT_INPUT, CTL_EXIT_PERMISSION },
  [SHMV_ERROR_LOCK] = { CTL_EXIT_SYSTEM, CTL_EXIT_SYSTEM, CTL_EXIT_SYSTEM },
  [SHMV_ERROR_OUT_OF_RESOURCES] = { CTL_EXIT_SYSTEM, CTL_EXIT_SYSTEM, CTL_EXIT_PERMISSION },
  [SHMV_ERROR_TIMEOUT] = { CTL_EXIT_TIMEOUT, CTL_EXIT_TIMEOUT, CTL_EXIT_TIMEOUT },
  [SHMV_ERROR_UNKNOWN] = { CTL_EXIT_SYSTEM, CTL_EXIT_SYSTEM, CTL_EXIT_SYSTEM },
  [SHMV_ERROR_CORRUPT] = { CTL_EXIT_CORRUPT, CTL_EXIT_CORRUPT, CTL_EXIT_CORRUPT },
  [SHMV_ERROR_NO_FRAME] = { CTL_EXIT_NO_CHANNEL, CTL_EXIT_NO_CHANNEL, CTL_EXIT_NO_CHANNEL },
  [SHMV_ERROR_INVALID_ARGUMENT] = { CTL_EXIT_SYSTEM, CTL_EXIT_INPUT, CTL_EXIT_PERMISSION },
  [SHMV_ERROR_IMAGE] = { CTL_EXIT_INPUT, CTL_EXIT_INPUT, CTL_EXIT_PERMISSION },
  [SHMV_ERROR_IO] = { CTL_EXIT_SYSTEM, CTL_EXIT_INPUT, CTL_EXIT_PERMISSION },
  [SHMV_ERROR_CANCELLED] = { CTL_EXIT_SYSTEM, CTL_EXIT_SYSTEM, CTL_EXIT_SYSTEM },
};

CtlExit
ctl_exit_for_error (ShmvError code, CtlSubject subject)
{
  if ((unsigned) code >= G_N_ELEMENTS (exit_table) || code == SHMV_ERROR_NONE)
    return CTL_EXIT_SYSTEM;

  switch (subject)
    {
    case CTL_SUBJECT_INPUT_FILE:
      return exit_table[code].input_file;
    case CTL_SUBJECT_OUTPUT_FILE:
      return exit_table[code].output_file;
    case CTL_SUBJECT_CHANNEL:
    default:
      return exit_table[code].channel;
    }
}

const char *
ctl_exit_description (CtlExit code)
{
  switch (code)
    {
    case CTL_EXIT_OK:
      return _ ("success");
    case CTL_EXIT_USAGE:
      return _ ("usage error: unknown command or option, missing or extra argument");
    case CTL_EXIT_NO_CHANNEL:
      return _ ("no such channel, or it holds no image yet");
    case CTL_EXIT_INPUT:
      return _ ("input image missing, unreadable, invalid or too large");
    case CTL_EXIT_PERMISSION:
      return _ ("permission denied, or output file not writable");
    case CTL_EXIT_TIMEOUT:
      return _ ("timed out");
    case CTL_EXIT_CORRUPT:
      return _ ("corrupt channel");
    case CTL_EXIT_SYSTEM:
    default:
      return _ ("other system error");
    }
}

static void
vwarn (const char *format, va_list args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  g_printerr ("shmview-ctl: %s\n", message);
}

void
ctl_warn (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  vwarn (format, args);
  va_end (args);
}

CtlExit
ctl_fail (GError *error, CtlSubject subject)
{
  CtlExit code = CTL_EXIT_SYSTEM;

  if (error->domain == SHMV_GERROR)
    code = ctl_exit_for_error ((ShmvError) error->code, subject);
  else if (error->domain == G_OPTION_ERROR)
    code = CTL_EXIT_USAGE;

  ctl_warn ("%s", error->message);
  g_error_free (error);
  return code;
}

CtlExit
ctl_usage_error (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  vwarn (format, args);
  va_end (args);
  g_printerr (_ ("Try “%s --help” for more information.\n"), "shmview-ctl");
  return CTL_EXIT_USAGE;
}
