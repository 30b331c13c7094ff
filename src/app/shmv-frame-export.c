/* shmv-frame-export.c: saving a frame as a PNG file
 *
 * The encoding runs in a worker thread (a 4K frame takes a while to
 * compress); the frame's pixels are shared, not copied, so the pane may show
 * the next frame meanwhile. libshmview writes the file under a temporary
 * name and renames it, so a file is replaced only once complete.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-frame-export"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "shmv-frame-export.h"
#include "shmv-gerror.h"
#include "shmv-widget-util.h"

typedef struct
{
  GBytes *pixels;
  ShmvFrameInfo info;
  char *path;
} SaveData;

static void
save_data_free (gpointer data)
{
  SaveData *save = data;

  g_bytes_unref (save->pixels);
  g_free (save->path);
  g_free (save);
}

static void
save_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  SaveData *save = task_data;
  ShmvStatus status = { 0 };

  if (shmv_png_save (save->path, g_bytes_get_data (save->pixels, NULL), save->info.width,
                     save->info.height, save->info.stride, save->info.format, &status))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (
        task, shmv_gerror_new_for_file (status.code, status.sys_errno, status.message, save->path));
}

/**
 * shmv_frame_export_png_async:
 * @source_object: (nullable): the task's source object
 * @pixels: (nullable): the frame @info describes; NULL fails with "no image"
 *
 * Writes the frame to @file as PNG, in a worker thread.
 */
void
shmv_frame_export_png_async (gpointer source_object,
                             GBytes *pixels,
                             const ShmvFrameInfo *info,
                             GFile *file,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  SaveData *save = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, shmv_frame_export_png_async);
  g_task_set_name (task, "[shmview] save PNG");

  if (pixels == NULL)
    {
      g_task_return_new_error (task, SHMV_GERROR, SHMV_ERROR_NO_FRAME, "%s",
                               _ ("There is no image to save"));
      return;
    }
  if (!g_file_is_native (file))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               _ ("Images can only be saved to local folders"));
      return;
    }

  save = g_new0 (SaveData, 1);
  save->pixels = g_bytes_ref (pixels);
  save->info = *info;
  save->path = g_file_get_path (file);
  g_task_set_task_data (task, save, save_data_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
shmv_frame_export_png_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == shmv_frame_export_png_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/** shmv_frame_export_suggested_name: the writer's file name as .png, or "key-generation.png". */
char *
shmv_frame_export_suggested_name (const char *key, const ShmvFrameInfo *info)
{
  const char *source = info->source_name;
  const char *dot = strrchr (source, '.');
  g_autofree char *stem = NULL;

  if (source[0] == '\0')
    return g_strdup_printf ("%s-%u.png", key, info->generation);
  stem =
      dot != NULL && dot != source ? g_strndup (source, (gsize) (dot - source)) : g_strdup (source);
  return g_strdup_printf ("%s.png", stem);
}

/**
 * shmv_frame_export_chooser_new:
 *
 * The "Save Image" dialog, PNG only, modal to @parent's window. The caller
 * keeps a reference until "response" (a native dialog does not keep itself).
 */
GtkFileChooserNative *
shmv_frame_export_chooser_new (GtkWidget *parent, const char *suggested_name)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser = NULL;

  gtk_file_filter_set_name (filter, _ ("PNG images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  chooser = shmv_widget_file_chooser_new (parent, _ ("Save Image"), GTK_FILE_CHOOSER_ACTION_SAVE,
                                          _ ("_Save"), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested_name);
  return chooser;
}
