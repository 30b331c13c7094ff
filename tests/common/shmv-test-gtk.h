/* shmv-test-gtk.h: what only the GUI tests need: a display, the main loop,
 * textures and widgets
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <shmview/shmview.h>

#include "shmv-test-util.h"

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

/* Destroys @window and runs the main loop until it is finalized (its panes
 * closed their channels). */
void gui_test_destroy_window (GtkWindow *window);

/* What @widget draws, at its own size, with its window's renderer. */
GdkTexture *gui_test_render_widget (GtkWidget *widget);
GdkTexture *gui_test_crop_texture (GdkTexture *texture, int x, int y, int width, int height);

G_END_DECLS
