/* shmv-test-qt.h: the Qt 6 peer (qt-shm-peer) and Qt's key files, for the Qt tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "shmv-test-util.h"

G_BEGIN_DECLS

/* The private TMPDIR (QDir::tempPath()) of this test program, set by
 * qt_test_tmpdir_setup(): Qt's key files go there, so names never clash and
 * what is left behind shows. */
extern char *qt_tmpdir;

void qt_test_tmpdir_setup (void);

/* As root, System V IPC of this test's own (see qt_test_private_ipc() in
 * the .c for why); elsewhere nothing changes. */
void qt_test_private_ipc (void);
/* With IPC of our own: nothing left in it (segments, semaphores, /dev/shm). */
gboolean qt_test_private_ipc_is_clean (void);

/* A key of letters only (so that a listing can tell it), unique per process. */
char *qt_test_letters_key (const char *what);

/* Qt's own name of the segment's key file for @key (QSharedMemory::nativeKey()). */
char *qt_test_native_key (const char *key);

typedef struct
{
  GPid pid;
  int out_fd;
  gsize size;
} QtPublisher;

/* Starts Qt publishing @file under @key; returns once it has. */
void qt_test_publish (QtPublisher *pub, const char *key, const char *file);

/* SIGTERM: Qt detaches, and as the last user removes everything. */
void qt_test_unpublish (QtPublisher *pub);

/* Qt's own reader reads @key into @out, whose pixels must be @expected. */
void qt_test_read_assert (const char *key,
                          const char *out,
                          const PngTestPixels *expected,
                          const char *what);

/* The System V ids behind @key's two key files, as Qt finds them. */
void qt_test_ids (const char *key, int *shm_id, int *sem_id);
void qt_test_assert_ids_gone (int shm_id, int sem_id);

void qt_test_assert_tmpdir_empty (void);

/* A segment under @key as a Qt writer would make it (key file 0640, segment
 * 0600), holding @data; detached, so that its reader is its last user.
 * Returns its id. */
int qt_test_make_segment (const char *key, const void *data, gsize size);

/* A 37 × 23 test PNG at @path. */
void
qt_test_write_spec (const char *path, int color_type, int depth, guint32 seed, PngTestSpec *spec);

G_END_DECLS
