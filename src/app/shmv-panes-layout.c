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
 * Fit must mean the same in both panes, so the layout gives the panes' image
 * areas (the frame styled "shmv-canvas" in each) one height, whatever the
 * controls and wrapped status lines around them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "shmv-panes-layout.h"

/* Two panes and a separator; more children than this are not evened out. */
#define MAX_CHILDREN 8

struct _ShmvPanesLayout
{
  GtkLayoutManager parent_instance;

  gboolean stacked;         /* as last allocated */
  int chrome[MAX_CHILDREN]; /* each pane's height less its image area's, as last allocated */
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

/* A pane's image area: the descendant styled "shmv-canvas" (both panes draw
 * their image in such a frame), or NULL. */
static GtkWidget *
image_area (GtkWidget *widget)
{
  if (gtk_widget_has_css_class (widget, "shmv-canvas"))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *area = image_area (c);

      if (area != NULL)
        return area;
    }
  return NULL;
}

static int
chrome_of (ShmvPanesLayout *self, int i)
{
  return i < MAX_CHILDREN ? self->chrome[i] : 0;
}

/* The heights the children get, in order: each pane's chrome (what is not
 * its image area) plus one area height @area, never below its minimum;
 * separators get their minimum. */
static void
plan_heights (ShmvPanesLayout *self, GtkWidget *widget, int width, int area, int *heights)
{
  int i = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      int minimum;

      if (!gtk_widget_should_layout (c))
        continue;
      minimum = min_size (c, GTK_ORIENTATION_VERTICAL,
                          self->stacked ? width : row_child_width (widget, c, width));
      heights[i] = is_pane (c) ? MAX (chrome_of (self, i) + area, minimum) : minimum;
      i++;
    }
}

/* The area height all panes can have: stacked, the panes share @height;
 * side by side, the pane with the most chrome decides. */
static int
common_area (ShmvPanesLayout *self, GtkWidget *widget, int width, int height)
{
  int chrome = 0;
  int i = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      if (!gtk_widget_should_layout (c))
        continue;
      if (!self->stacked)
        chrome = MAX (chrome, is_pane (c) ? chrome_of (self, i) : 0);
      else if (is_pane (c))
        chrome += chrome_of (self, i);
      else
        chrome += min_size (c, GTK_ORIENTATION_VERTICAL, width);
      i++;
    }
  return MAX (0, (height - chrome) / (self->stacked ? n_panes (widget) : 1));
}

/* Allocates the children @heights high and notes each pane's chrome.
 * Returns whether all image areas came out @area high. */
static gboolean
place (ShmvPanesLayout *self, GtkWidget *widget, int width, const int *heights, int area)
{
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  gboolean even = TRUE;
  int offset = 0;
  int i = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *area_widget;
      int w;

      if (!gtk_widget_should_layout (c))
        continue;
      if (self->stacked)
        {
          gtk_widget_size_allocate (c, &(GtkAllocation){ 0, offset, width, heights[i] }, -1);
          offset += heights[i];
        }
      else
        {
          /* Side by side, a pane with less chrome ends higher up rather than
           * showing the image larger. */
          w = row_child_width (widget, c, width);
          gtk_widget_size_allocate (
              c, &(GtkAllocation){ rtl ? width - offset - w : offset, 0, w, heights[i] }, -1);
          offset += w;
        }
      area_widget = image_area (c);
      if (is_pane (c) && area_widget != NULL && i < MAX_CHILDREN)
        {
          self->chrome[i] = heights[i] - gtk_widget_get_height (area_widget);
          even = even && gtk_widget_get_height (area_widget) == area;
        }
      i++;
    }
  return even;
}

static int
n_children (GtkWidget *widget)
{
  int n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    n += gtk_widget_should_layout (c);
  return n;
}

static void
shmv_panes_layout_allocate (
    GtkLayoutManager *manager, GtkWidget *widget, int width, int height, int baseline)
{
  ShmvPanesLayout *self = SHMV_PANES_LAYOUT (manager);
  int *heights = g_newa (int, n_children (widget));
  int area;

  self->stacked = !fits_in_a_row (widget, width);
  /* Fit must mean the same in every pane, so the panes' image areas get one
   * height: the panes have different controls, and status lines wrap
   * differently in each language. The chrome noted at the last allocation
   * plans this one; when it changed (another width or text), the panes are
   * laid out once more with what the first pass measured. A pane is laid
   * out once when nothing changed, so the image view keeps its state. */
  for (int pass = 0; pass < 2; pass++)
    {
      area = common_area (self, widget, width, height);
      plan_heights (self, widget, width, area, heights);
      if (place (self, widget, width, heights, area))
        break;
    }
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
