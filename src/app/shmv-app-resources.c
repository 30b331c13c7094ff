/* shmv-app-resources.c: the app's GResource (templates, shortcuts, style, icon)
 *
 * The resource is compiled into a static library, where the linker would drop
 * an object nobody references, constructor and all. So it is registered by
 * hand, by every class that needs it, before its template is read.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "shmv-app-resources.h"
#include "shmv-resources.h"

void
shmv_app_resources_ensure (void)
{
  static gsize registered;

  if (g_once_init_enter (&registered))
    {
      shmv_ui_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}
