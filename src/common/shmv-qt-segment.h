/* shmv-qt-segment.h: segments of Qt's QSharedMemory (System V, string keys), read as Qt reads them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

/* What Qt puts before the key's letters and SHA-1 in its file names. */
#define SHMV_QT_PREFIX_SEGMENT   "qipc_sharedmemory_"
#define SHMV_QT_PREFIX_SEMAPHORE "qipc_systemsem_"

/* The key of Qt's Shared Memory Example, the default with --qt. */
#define SHMV_QT_DEFAULT_KEY "QSharedMemoryExample"

typedef struct
{
  char *key;      /* the QSharedMemory key; NULL when a listing cannot tell */
  char *key_file; /* Qt's key file of the segment, whose inode is in its ftok() key */
  gsize size;     /* the segment's size: Qt's size(), the stream's bytes */
  gint64 creator_pid;
  guint attach_count; /* processes attached, not counting us */
  guint32 uid;
} ShmvQtSegmentInfo;

void shmv_qt_segment_info_clear (ShmvQtSegmentInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ShmvQtSegmentInfo, shmv_qt_segment_info_clear)

/**
 * shmv_qt_temp_dir:
 *
 * QDir::tempPath(): $TMPDIR if set and not empty, else /tmp, cleaned and, as
 * Qt 6 does, with links resolved; "" when it does not exist (Qt 6's names
 * are then "/qipc_…").
 */
char *shmv_qt_temp_dir (void);

/**
 * shmv_qt_key_file:
 * @prefix: SHMV_QT_PREFIX_SEGMENT or SHMV_QT_PREFIX_SEMAPHORE
 *
 * The file Qt names after @key (QSharedMemoryPrivate::makePlatformSafeKey()):
 * the temp dir, @prefix, the key's ASCII letters, the hex SHA-1 of its UTF-8.
 */
char *shmv_qt_key_file (const char *key, const char *prefix);

/**
 * ShmvQtReadMode:
 * @SHMV_QT_READ_AS_QT: detach as Qt's reader does: detaching last removes
 *   the segment and its key file (an orphan's end)
 * @SHMV_QT_READ_LOOK: only look: detach and leave the segment as it was,
 *   even an orphan (shmview-ctl info; looking never removes)
 */
typedef enum
{
  SHMV_QT_READ_AS_QT,
  SHMV_QT_READ_LOOK,
} ShmvQtReadMode;

/**
 * shmv_qt_segment_read:
 * @max_size: refuse (SHMV_ERROR_IMAGE) a segment larger than this, before copying
 * @info: (out caller-allocates) (optional): filled on success
 *
 * A copy of the whole segment Qt publishes under @key, taken as Qt's own
 * reader does: attach (read-only here), lock Qt's semaphore (SEM_UNDO, so a
 * death releases it), copy, detach, unlock; the segment is never held
 * longer, or Qt's writer could not replace it. Whoever detaches last removes
 * the segment and its key file, Qt's rule: so does this with
 * SHMV_QT_READ_AS_QT, for an orphan; SHMV_QT_READ_LOOK leaves it.
 * Errors in SHMV_GERROR: NOT_FOUND (no key file or no segment),
 * PERMISSION_DENIED (not ours), TIMEOUT (the lock stayed taken for seconds),
 * IMAGE (over @max_size), others from the system.
 */
GBytes *shmv_qt_segment_read (
    const char *key, ShmvQtReadMode mode, gsize max_size, ShmvQtSegmentInfo *info, GError **error);

/**
 * shmv_qt_segment_read_image:
 * @options: (nullable): the PNG loader's limit, which bounds the copy too
 * @info: (out caller-allocates) (optional)
 * @image: (out caller-allocates): shmv_image_clear() it
 *
 * shmv_qt_segment_read() and shmv_qt_image_decode() of what it copied.
 * Something that holds no image Qt could read (a null image, no PNG, a bad
 * or too large one) fails with SHMV_ERROR_CORRUPT and the reason.
 */
gboolean shmv_qt_segment_read_image (const char *key,
                                     ShmvQtReadMode mode,
                                     const ShmvPngOptions *options,
                                     ShmvQtSegmentInfo *info,
                                     ShmvImage *image,
                                     GError **error);

/**
 * shmv_qt_segment_list:
 *
 * The Qt segments of this user that can be found: key files in the temp
 * dir with a live segment of ours behind them, sorted by key file. Nothing
 * is attached. Returns an array of ShmvQtSegmentInfo *, never NULL.
 */
GPtrArray *shmv_qt_segment_list (void);

/**
 * ShmvQtSegmentStamp:
 * @shm_id: the System V id; Qt makes a new segment for each image it publishes
 * @ctime: the segment's shm_ctime (seconds)
 * @attach_count: processes attached
 *
 * What tells one segment of a key from the next, without attaching.
 */
typedef struct
{
  int shm_id;
  gint64 ctime;
  guint attach_count;
} ShmvQtSegmentStamp;

typedef enum
{
  SHMV_QT_PROBE_ABSENT, /* no key file, or no segment behind it */
  SHMV_QT_PROBE_PRESENT,
  SHMV_QT_PROBE_DENIED, /* a segment is there, not ours */
} ShmvQtProbe;

/**
 * shmv_qt_segment_probe:
 * @key_file: shmv_qt_key_file (key, SHMV_QT_PREFIX_SEGMENT), made once
 * @stamp: (out caller-allocates): filled when PRESENT
 *
 * Looks at the segment behind @key_file without attaching or locking:
 * ftok(), shmget() without creating, IPC_STAT. Cheap enough to poll.
 */
ShmvQtProbe shmv_qt_segment_probe (const char *key_file, ShmvQtSegmentStamp *stamp);

typedef struct _ShmvQtPublisher ShmvQtPublisher;

/**
 * shmv_qt_image_take_pixels:
 *
 * Fills in @info the header a channel would give @image (its size, stride,
 * format and checksum; the other fields are left as they are) and hands
 * out its pixels, taken from @image.
 */
GBytes *shmv_qt_image_take_pixels (ShmvImage *image, ShmvFrameInfo *info);

/**
 * shmv_qt_image_encode:
 *
 * The bytes Qt's `QDataStream << QImage` writes for @image: the marker
 * 00 00 00 01, then a PNG (libshmview's, 8- and 16-bit kept), which is all
 * Qt's reader accepts.
 */
GBytes *shmv_qt_image_encode (const ShmvImage *image, GError **error);

/**
 * shmv_qt_segment_publish:
 * @data: the segment's bytes (Qt's `QDataStream << QImage`: shmv_qt_image_encode())
 *
 * Creates @key's key files, semaphore and segment exactly as Qt's
 * QSharedMemory::create() does (Qt's lock forced to 1, then taken with
 * SEM_UNDO), writes @data under the lock and stays attached: a Qt segment
 * lives while someone is attached. Errors in SHMV_GERROR: ALREADY_EXISTS
 * when a segment has the key, others from the system; nothing is left then.
 */
ShmvQtPublisher *
shmv_qt_segment_publish (const char *key, const void *data, gsize size, GError **error);

/**
 * shmv_qt_key_taken_sentence:
 *
 * What to tell a user who wants to publish on @key while another program
 * of theirs (@creator_pid) does: translated, naming both.
 */
char *shmv_qt_key_taken_sentence (const char *key, gint64 creator_pid);

/**
 * shmv_qt_publisher_withdraw:
 *
 * Qt's detach() and destructor: under the lock, detaches and, when nobody
 * else is attached, removes the segment, its key file, the semaphore and
 * its key file. Frees @publisher.
 */
void shmv_qt_publisher_withdraw (ShmvQtPublisher *publisher);

G_END_DECLS
