/* gstshmview-error.h: a channel's failure as the text of an element error
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

/**
 * gst_shmview_channel_failure:
 * @doing: what failed, translated, naming the key ("Cannot open channel “k”")
 *
 * "@doing: <translated reason>: <library detail>", from @ch's last error; for
 * the text of GST_ELEMENT_ERROR. Free with g_free().
 */
char *gst_shmview_channel_failure (const char *doing, const ShmvChannel *ch);

/* Posts @ch's last error on @element as a RESOURCE error of @code. */
#define GST_SHMVIEW_CHANNEL_ERROR(element, code, doing, ch)                                        \
  G_STMT_START                                                                                     \
  {                                                                                                \
    char *gst_shmview_text_ = gst_shmview_channel_failure ((doing), (ch));                         \
    GST_ELEMENT_ERROR ((element), RESOURCE, code, ("%s", gst_shmview_text_),                       \
                       ("key %s, %s: %s", shmv_channel_key (ch),                                   \
                        shmv_error_name (shmv_channel_error (ch)),                                 \
                        shmv_channel_error_string (ch)));                                          \
    g_free (gst_shmview_text_);                                                                    \
  }                                                                                                \
  G_STMT_END

G_END_DECLS
