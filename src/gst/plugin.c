/* plugin.c: the shmview GStreamer plugin: shmviewsink and shmviewsrc
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "gstshmviewsink.h"
#include "gstshmviewsrc.h"

#include "shmv-i18n.h"

#include <glib/gi18n-lib.h>

static gboolean
plugin_init (GstPlugin *plugin)
{
  /* Only bound, never made the default: the plugin lives in other programs,
   * so its translations are found from the plugin's file, not theirs. */
  bindtextdomain (GETTEXT_PACKAGE, shmv_i18n_localedir_of (plugin_init));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  return GST_ELEMENT_REGISTER (shmviewsink, plugin) && GST_ELEMENT_REGISTER (shmviewsrc, plugin);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR,
                   GST_VERSION_MINOR,
                   shmview,
                   "Video into and out of shmview shared-memory channels",
                   plugin_init,
                   PACKAGE_VERSION,
                   "LGPL",
                   "shmview",
                   "https://github.com/shmview/shmview")
