/* shmv-test-panes.h: driving the writer and reader panes from GUI tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "shmv-reader-pane.h"
#include "shmv-writer-pane.h"

G_BEGIN_DECLS

#define SHMV_TEST_PANES_TIMEOUT_MS 20000

void shmv_test_panes_load (ShmvWriterPane *writer, const char *path);
void shmv_test_panes_wait_generation (ShmvReaderPane *reader, guint32 generation);

G_END_DECLS
