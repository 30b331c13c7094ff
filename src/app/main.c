/* main.c: shmview, the GTK app
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmview"

#include "config.h"

#include <glib/gi18n.h>

#include "shmv-application.h"
#include "shmv-i18n.h"

int
main (int argc, char *argv[])
{
  g_autoptr (ShmvApplication) app = NULL;

  shmv_i18n_init ();
  g_set_prgname ("shmview");
  g_set_application_name (_ ("Shmview"));

  app = shmv_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
