/* gstshmview-error.c: a channel's failure as the text of an element error
 *
 * The words come from src/common's translated sentences, so a pipeline's
 * error reads like shmview-ctl's for the same failure, in the same language.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "gstshmview-error.h"

#include "shmv-gerror.h"

char *
gst_shmview_channel_failure (const char *doing, const ShmvChannel *ch)
{
  g_autoptr (GError) error = shmv_gerror_new_from_channel (ch);

  shmv_prefix_error (&error, doing);
  return g_strdup (error->message);
}
