/* shmv-events.h: the debug lines that tests wait for
 *
 * Process tests run the real binaries with G_MESSAGES_DEBUG set and wait for
 * one of these lines on their output before the next step. The code logs
 * them with these formats and the tests build their needles from the same
 * macros, so rewording a message cannot silently break a test. Each format
 * is a prefix: the code may append details after it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* Reader pane (log domain "shmv-reader-pane"): it follows the key (%s). */
#define SHMV_EVENT_READER_FOLLOWING "following “%s”"
/* Reader pane: generation %u is on screen; followed by the key and the
 * frame's size and format ("…: 32x24 RGB8"). */
#define SHMV_EVENT_READER_SHOWING "showing generation %u of"
/* Reader pane: its state changed to the nick %s of ShmvSourceState. */
#define SHMV_EVENT_READER_STATE "→ %s"
/* Writer pane (log domain "shmv-writer-pane"): an error is shown for key %s. */
#define SHMV_EVENT_WRITER_ERROR "error on “%s”"
/* Writer pane: a notice (the channel was made anew) is shown for key %s. */
#define SHMV_EVENT_WRITER_NOTICE "notice on “%s”"
/* Writer pane: it shows generation %u of key %s, published by another
 * writer (or before the pane opened). */
#define SHMV_EVENT_WRITER_OTHER "showing generation %u of “%s” from another writer"
/* Image loader (log domain "shmv-image-loader"): it starts decoding file %s. */
#define SHMV_EVENT_LOADING "loading %s"
/* shmview-ctl watch: it reports every frame after generation %u. */
#define SHMV_EVENT_WATCH_READY "ready: reporting frames after generation %u"
/* Image canvas (log domain "shmv-image-canvas"): the zoom changed to %d
 * percent, or to fitting the view (SHMV_EVENT_ZOOM_FIT). */
#define SHMV_EVENT_ZOOM     "zoom is now %d %%"
#define SHMV_EVENT_ZOOM_FIT "zoom fits the view"
