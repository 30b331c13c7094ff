/* shmv-source-kind.c: which kind of shared memory a key names, and the source that reads it
 *
 * A key alone does not say what it names: "shmview" may be a libshmview
 * channel and a Qt segment at once. Whoever chooses (the command line, the
 * channel chooser) says the kind too, and this is the one place that turns
 * the pair into a ShmvFrameSource, so that the reader pane stays unaware
 * of the kinds there are.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "shmv-source-kind.h"

#include "shmv-channel-source.h"
#include "shmv-qt-source.h"

GType
shmv_source_kind_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { SHMV_SOURCE_KIND_CHANNEL, "SHMV_SOURCE_KIND_CHANNEL", "channel" },
    { SHMV_SOURCE_KIND_QT, "SHMV_SOURCE_KIND_QT", "qt" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("ShmvSourceKind", values));
  return type_id;
}

/** shmv_source_kind_new_source: (transfer full): the frames of @key, of @kind; not started. */
ShmvFrameSource *
shmv_source_kind_new_source (ShmvSourceKind kind, const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  switch (kind)
    {
    case SHMV_SOURCE_KIND_QT:
      return shmv_qt_source_new (key);
    case SHMV_SOURCE_KIND_CHANNEL:
    default:
      return shmv_channel_source_new (key);
    }
}
