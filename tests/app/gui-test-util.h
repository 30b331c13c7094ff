/* gui-test-util.h: what the GUI tests share: display, waiting, images, processes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

/* g_test_init() plus gtk_init_check(); without a display the tests skip. */
void gui_test_init (int *argc, char ***argv);
gboolean gui_test_have_display (void);

#define GUI_TEST_REQUIRE_DISPLAY()                                                                 \
  G_STMT_START                                                                                     \
  {                                                                                                \
    if (!gui_test_have_display ())                                                                 \
      {                                                                                            \
        g_test_skip ("no display");                                                                \
        return;                                                                                    \
      }                                                                                            \
  }                                                                                                \
  G_STMT_END

typedef gboolean (*GuiTestCondition) (gpointer data);

/* Runs the main loop until @condition holds; FALSE after @timeout_ms. */
gboolean gui_test_wait_until (GuiTestCondition condition, gpointer data, int timeout_ms);
void gui_test_spin (int ms);

/* A directory for this test run's files, removed at exit. */
const char *gui_test_tmpdir (void);
char *gui_test_path (const char *name);

/* A recognisable pattern in @format; every pixel differs from its neighbours. */
guint8 *
gui_test_pattern (guint32 width, guint32 height, ShmvFormat format, guint seed, gsize *stride);
/* Writes the pattern as a PNG through libshmview and returns its pixels. */
guint8 *
gui_test_write_png (const char *path, guint32 width, guint32 height, ShmvFormat format, guint seed);
void gui_test_write_file (const char *path, const void *data, gsize len);

/* Asserts that @texture holds exactly the 8-bit RGB(A, opaque) @pixels. For
 * 16-bit pixels, each downloaded sample must be within one step of v/257. */
void gui_test_assert_texture (GdkTexture *texture,
                              const guint8 *pixels,
                              guint32 width,
                              guint32 height,
                              gsize stride,
                              ShmvFormat format);

/* The first descendant of @root of @type (a label: whose text contains @label). */
GtkWidget *gui_test_find_widget (GtkWidget *root, GType type, const char *label);

/* What @widget draws, at its own size, with its window's renderer. */
GdkTexture *gui_test_render_widget (GtkWidget *widget);

/* Starts @argv with G_MESSAGES_DEBUG=@debug_domains, stdout in *@stdout_fd. */
GPid gui_test_spawn (const char *const *argv, const char *debug_domains, int *stdout_fd);
/* Reads @fd's lines until one contains @needle; FALSE on timeout or EOF. */
gboolean gui_test_wait_for_line (int fd, const char *needle, int timeout_ms);
/* Waits for @pid to exit; returns its wait status, or -1 on timeout. */
int gui_test_wait_pid (GPid pid, int timeout_ms);
gboolean gui_test_pid_alive (GPid pid);

G_END_DECLS
