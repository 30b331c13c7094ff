/* shmv-ofd.h: open-file-description locks on single bytes (private)
 *
 * OFD locks belong to an open file, not to a process: each handle gets its
 * own, two handles in one process do not share them, and the kernel drops
 * them when the descriptor is closed or its process dies, even by kill -9.
 * That makes them exact, crash-proof counters of who is attached.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* Byte 0: every attached handle holds a shared lock; an exclusive lock means
 * "nobody else is attached". Bytes 1 to 64: each channel writer holds an
 * exclusive lock on one of them. Only a writable descriptor can take an
 * exclusive lock, so a group reader cannot pass for a writer, whatever it
 * locks; one writer per byte, so that writers do not exclude each other. */
enum
{
  SHMV_OFD_USERS_BYTE = 0,
  SHMV_OFD_WRITER_BYTES = 1,
  SHMV_OFD_WRITER_BYTE_COUNT = 64,
  /* Channels: byte 65 + i is slot i's lease byte. A reader leasing the
   * slot's frame holds a shared lock on it; a writer takes it exclusively,
   * without waiting, before it reuses the slot, so it never writes over a
   * leased frame, and a lease dies with its process. */
  SHMV_OFD_LEASE_BYTES = 65,
};

/* Takes (F_RDLCK, F_WRLCK) or drops (F_UNLCK) a lock on @byte without
 * waiting. Returns 0 or an errno value (EAGAIN: held by someone else). */
int shmv_ofd_lock (int fd, off_t byte, short type);

/* As shmv_ofd_lock(), retrying for up to @timeout_ms while the lock is busy. */
int shmv_ofd_lock_timeout (int fd, off_t byte, short type, int timeout_ms);

/* Takes an exclusive lock on the first free byte of @count bytes from
 * @first, without waiting. Returns 0 or an errno value (EAGAIN: all held by
 * others; EBADF: @fd is not open for writing). */
int shmv_ofd_lock_any (int fd, off_t first, int count);

/* Whether another open file holds a lock on @byte that conflicts with @type
 * (false when the kernel cannot say). */
bool shmv_ofd_is_held (int fd, off_t byte, short type);

/* As shmv_ofd_is_held(), telling failure apart: 0 with *@held set, or an
 * errno value. */
int shmv_ofd_query (int fd, off_t byte, short type, bool *held);

/* Whether another open file holds a lock that conflicts with @type on any
 * of @count bytes from @first. */
bool shmv_ofd_range_is_held (int fd, off_t first, int count, short type);
