/* shmv-test-util.h: the test-support library (tests/common), one header
 * per concept:
 *
 *   shmv-test-process.h  running programs and forked children
 *   shmv-test-files.h    keys, temporary files, what a test leaves behind
 *   shmv-test-pattern.h  the one test pattern: bytes, images, PNG files
 *   shmv-test-channel.h  opening and publishing to channels
 *   shmv-test-png.h      a reference PNG decoder, exact test PNGs
 *   shmv-test-ctl.h      running the real shmview-ctl
 *   shmv-test-json.h     checking its JSON (json-glib)
 *   shmv-test-namespace.h  a /dev/shm of the test's own, for gc and lists
 *
 * and shmv-test-gtk.h, in a library of its own, for the GUI tests only.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "shmv-test-channel.h"
#include "shmv-test-ctl.h"
#include "shmv-test-files.h"
#include "shmv-test-json.h"
#include "shmv-test-namespace.h"
#include "shmv-test-pattern.h"
#include "shmv-test-png.h"
#include "shmv-test-process.h"
