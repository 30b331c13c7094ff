/* shmv-test-panes.c: driving the writer and reader panes from GUI tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "shmv-test-gtk.h"
#include "shmv-test-panes.h"

static gboolean
writer_idle (gpointer data)
{
  return !shmv_writer_pane_is_loading (data);
}

/* Loads @path in the writer pane and waits until it has published or failed. */
void
shmv_test_panes_load (ShmvWriterPane *writer, const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);

  shmv_writer_pane_load_file (writer, file);
  g_assert_true (gui_test_wait_until (writer_idle, writer, SHMV_TEST_PANES_TIMEOUT_MS));
}

typedef struct
{
  ShmvReaderPane *reader;
  guint32 generation;
} ReaderWait;

static gboolean
reader_reached (gpointer data)
{
  ReaderWait *wait = data;
  ShmvFrameInfo info;

  return shmv_reader_pane_get_frame_info (wait->reader, &info) &&
         info.generation >= wait->generation;
}

/* Waits until the reader pane shows @generation or a later frame. */
void
shmv_test_panes_wait_generation (ShmvReaderPane *reader, guint32 generation)
{
  ReaderWait wait = { reader, generation };

  g_assert_true (gui_test_wait_until (reader_reached, &wait, SHMV_TEST_PANES_TIMEOUT_MS));
}
