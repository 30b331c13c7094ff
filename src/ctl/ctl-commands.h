/* ctl-commands.h: the commands of shmview-ctl, one function each
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmview.h>

#include "ctl-exit.h"

G_BEGIN_DECLS

/* The parsed command line every command gets. */
typedef struct
{
  const char *key;
  gint64 max_pixels;
  gboolean json;
  int count;           /* frames to watch; < 0: until interrupted */
  int timeout_ms;      /* < 0: wait forever */
  ShmvSharing sharing; /* publish: who may read a channel it creates */
  gint64 owner;        /* read, info: whose channel; < 0: our own */
  gboolean qt;         /* read, info: a Qt QSharedMemory segment (ctl-qt.c) */
} CtlOptions;

/* @arg is the command's one argument (a file name) or NULL. Each returns the
 * exit code and has printed any error itself. */
CtlExit ctl_cmd_publish (const CtlOptions *options, const char *arg);
CtlExit ctl_cmd_read (const CtlOptions *options, const char *arg);
CtlExit ctl_cmd_info (const CtlOptions *options, const char *arg);
CtlExit ctl_cmd_list (const CtlOptions *options, const char *arg);
CtlExit ctl_cmd_rm (const CtlOptions *options, const char *arg);
CtlExit ctl_cmd_gc (const CtlOptions *options, const char *arg);
CtlExit ctl_cmd_watch (const CtlOptions *options, const char *arg);

/* read and info of a Qt segment (--qt), in ctl-qt.c. */
CtlExit ctl_cmd_read_qt (const CtlOptions *options, const char *arg);
CtlExit ctl_cmd_info_qt (const CtlOptions *options, const char *arg);
CtlExit ctl_cmd_publish_qt (const CtlOptions *options, const char *arg);

/* The file publish reads for its argument @arg ("-": standard input), and
 * what messages call it. */
const char *ctl_input_path (const char *arg);
char *ctl_input_display (const char *arg);

/* What messages call the file read writes to, @path ("-": standard output). */
char *ctl_output_display (const char *path);

/* Saves @pixels as described by @info to @path ("-": standard output, which
 * @display names), signals held while a file is replaced; then prints @done
 * (to stderr when the image went to stdout), or the error. */
CtlExit ctl_save_png (const char *path,
                      const char *display,
                      const void *pixels,
                      const ShmvFrameInfo *info,
                      const char *done);

G_END_DECLS
