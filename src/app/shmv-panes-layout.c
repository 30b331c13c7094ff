/* shmv-panes-layout.c: panes side by side, or stacked when the window is narrow
 *
 * GTK 4.8 has no AdwBreakpoint, and a horizontal GtkBox cannot get narrower
 * than the sum of its children's minimum widths, so a window would never
 * shrink far enough to switch itself. This layout decides from the width it
 * is given: a row when every pane fits at its minimum width, else a column.
 * Its minimum width is the column's, so the window can shrink to one pane's
 * width. Separators between the panes are drawn along whichever way the panes
 * are arranged (a separator paints its whole allocation).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "shmv-panes-layout.h"

struct _ShmvPanesLayout
{
  GtkLayoutManager parent_instance;

  gboolean stacked; /* as last allocated */
};

G_DEFINE_FINAL_TYPE (ShmvPanesLayout, shmv_panes_layout, GTK_TYPE_LAYOUT_MANAGER)

static gboolean
is_pane (GtkWidget *child)
{
  return !GTK_IS_SEPARATOR (child);
}

static int
n_panes (GtkWidget *widget)
{
  int n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    n += gtk_widget_should_layout (c) && is_pane (c);
  return MAX (n, 1);
}

static int
min_size (GtkWidget *child, GtkOrientation orientation, int for_size)
{
  int minimum = 0;

  gtk_widget_measure (child, orientation, for_size, &minimum, NULL, NULL, NULL);
  return minimum;
}

/* The width a row needs: every child at its minimum width. */
static int
row_minimum (GtkWidget *widget)
{
  int sum = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_should_layout (c))
      sum += min_size (c, GTK_ORIENTATION_HORIZONTAL, -1);
  return sum;
}

static gboolean
fits_in_a_row (GtkWidget *widget, int width)
{
  return width < 0 || width >= row_minimum (widget);
}

/* In a row, separators take their minimum width and the panes share the rest. */
static int
row_child_width (GtkWidget *widget, GtkWidget *child, int width)
{
  int separators = 0;

  if (!is_pane (child))
    return min_size (child, GTK_ORIENTATION_HORIZONTAL, -1);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_should_layout (c) && !is_pane (c))
      separators += min_size (c, GTK_ORIENTATION_HORIZONTAL, -1);
  return MAX (0, (width - separators) / n_panes (widget));
}

static void
shmv_panes_layout_measure (GtkLayoutManager *manager,
                           GtkWidget *widget,
                           GtkOrientation orientation,
                           int for_size,
                           int *minimum,
                           int *natural,
                           int *minimum_baseline,
                           int *natural_baseline)
{
  gboolean row = orientation == GTK_ORIENTATION_VERTICAL && fits_in_a_row (widget, for_size);

  *minimum = *natural = 0;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      int child_min = 0, child_nat = 0;

      if (!gtk_widget_should_layout (c))
        continue;
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          /* Minimum: a column's; natural: a row's. */
          gtk_widget_measure (c, orientation, -1, &child_min, &child_nat, NULL, NULL);
          *minimum = MAX (*minimum, child_min);
          *natural += child_nat;
        }
      else if (row)
        {
          int width = for_size < 0 ? -1 : row_child_width (widget, c, for_size);

          gtk_widget_measure (c, orientation, width, &child_min, &child_nat, NULL, NULL);
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
        }
      else
        {
          gtk_widget_measure (c, orientation, for_size, &child_min, &child_nat, NULL, NULL);
          *minimum += child_min;
          *natural += child_nat;
        }
    }
}

static void
allocate_column (GtkWidget *widget, int width, int height)
{
  int spare = height;
  int panes = n_panes (widget);
  int y = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_should_layout (c))
      spare -= min_size (c, GTK_ORIENTATION_VERTICAL, width);
  spare = MAX (spare, 0);

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      int h;

      if (!gtk_widget_should_layout (c))
        continue;
      h = min_size (c, GTK_ORIENTATION_VERTICAL, width) + (is_pane (c) ? spare / panes : 0);
      gtk_widget_size_allocate (c, &(GtkAllocation){ 0, y, width, h }, -1);
      y += h;
    }
}

static void
allocate_row (GtkWidget *widget, int width, int height)
{
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int x = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      int w;

      if (!gtk_widget_should_layout (c))
        continue;
      w = row_child_width (widget, c, width);
      gtk_widget_size_allocate (c, &(GtkAllocation){ rtl ? width - x - w : x, 0, w, height }, -1);
      x += w;
    }
}

static void
shmv_panes_layout_allocate (
    GtkLayoutManager *manager, GtkWidget *widget, int width, int height, int baseline)
{
  ShmvPanesLayout *self = SHMV_PANES_LAYOUT (manager);

  self->stacked = !fits_in_a_row (widget, width);
  if (self->stacked)
    allocate_column (widget, width, height);
  else
    allocate_row (widget, width, height);
}

static GtkSizeRequestMode
shmv_panes_layout_get_request_mode (GtkLayoutManager *manager, GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
shmv_panes_layout_class_init (ShmvPanesLayoutClass *klass)
{
  GtkLayoutManagerClass *layout_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  layout_class->measure = shmv_panes_layout_measure;
  layout_class->allocate = shmv_panes_layout_allocate;
  layout_class->get_request_mode = shmv_panes_layout_get_request_mode;
}

static void
shmv_panes_layout_init (ShmvPanesLayout *self)
{
}

GtkLayoutManager *
shmv_panes_layout_new (void)
{
  return g_object_new (SHMV_TYPE_PANES_LAYOUT, NULL);
}

/** shmv_panes_layout_get_stacked: whether the panes were last laid out in a column. */
gboolean
shmv_panes_layout_get_stacked (ShmvPanesLayout *self)
{
  g_return_val_if_fail (SHMV_IS_PANES_LAYOUT (self), FALSE);

  return self->stacked;
}
