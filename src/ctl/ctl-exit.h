/* ctl-exit.h: shmview-ctl's exit codes and error messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

/* The exit codes are an interface: scripts test them. Never renumber. */
typedef enum
{
  CTL_EXIT_OK = 0,
  CTL_EXIT_USAGE = 1,
  CTL_EXIT_NO_CHANNEL = 2,
  CTL_EXIT_INPUT = 3,
  CTL_EXIT_PERMISSION = 4,
  CTL_EXIT_TIMEOUT = 5,
  CTL_EXIT_CORRUPT = 6,
  CTL_EXIT_SYSTEM = 7,
} CtlExit;

/* What a failing call was working on: the same library code means different
 * things for the channel, the PNG being published and the PNG being saved. */
typedef enum
{
  CTL_SUBJECT_CHANNEL,
  CTL_SUBJECT_INPUT_FILE,
  CTL_SUBJECT_OUTPUT_FILE,
} CtlSubject;

/** ctl_exit_for_error: the exit code for library error @code on @subject. */
CtlExit ctl_exit_for_error (ShmvError code, CtlSubject subject);

/** ctl_exit_description: the translated meaning of @code for --help. */
const char *ctl_exit_description (CtlExit code);

/**
 * ctl_fail:
 *
 * Prints @error (SHMV_GERROR, or any domain for system errors) to stderr
 * with the program's prefix, frees it, and returns the exit code it maps to.
 */
CtlExit ctl_fail (GError *error, CtlSubject subject);

/** ctl_usage_error: prints a usage error and a hint at --help; returns CTL_EXIT_USAGE. */
CtlExit ctl_usage_error (const char *format, ...) G_GNUC_PRINTF (1, 2);

/** ctl_warn: prints a message to stderr with the program's prefix. */
void ctl_warn (const char *format, ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
