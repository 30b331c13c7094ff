/* ctl-signals.h: SIGINT, SIGTERM and SIGHUP in the one-shot commands
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ctl_signals_start:
 *
 * Routes SIGINT, SIGTERM and SIGHUP to a thread of their own (call before
 * any other thread starts). On one, it waits while the command holds
 * signals, runs the command's clean-up, and ends the process by that
 * signal, as if it had not been caught: the status a shell sees is 128 + N.
 */
void ctl_signals_start (void);

/**
 * ctl_signals_set_cleanup:
 * @cleanup: (nullable): undoes what the command made so far; NULL for none
 *
 * Runs in the signal thread, while the command's thread is blocked in a
 * system call or still running: it may only touch what @data owns.
 */
void ctl_signals_set_cleanup (GDestroyNotify cleanup, gpointer data);

/**
 * ctl_signals_hold:
 *
 * Until ctl_signals_release(), a signal waits: for a step that leaves
 * something behind when cut short and always ends soon (writing a
 * temporary file, then renaming it).
 */
void ctl_signals_hold (void);
void ctl_signals_release (void);

/**
 * ctl_signals_catch:
 *
 * From now on a signal no longer ends the process: it is kept for
 * ctl_signals_wait(), for a command that stays until stopped and then
 * undoes what it made by itself, exiting 0.
 */
void ctl_signals_catch (void);

/**
 * ctl_signals_wait:
 *
 * Blocks until a signal came after ctl_signals_catch(); returns it.
 */
int ctl_signals_wait (void);

G_END_DECLS
