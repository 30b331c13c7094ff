/* shmv-safe-copy.c: copying out of memory that may vanish
 *
 * A peer with write access can ftruncate() a segment while we copy from it;
 * touching a page past the new end raises SIGBUS. File seals would forbid
 * that, but they only exist for memfds, not for shm_open() names. So the copy
 * runs under a per-thread guard: our SIGBUS handler jumps back out of a
 * guarded copy and hands every other SIGBUS to the handler that was there
 * before (or the default action, which kills the process as usual).
 *
 * Leases hand the mapping itself to the caller, who reads it without any
 * guard. A SIGBUS inside a registered lease mapping is a peer truncating the
 * file under a reader: the handler maps zero pages over the rest of that
 * mapping and lets the read go on, so a reader sees zeros instead of dying,
 * and marks the mapping damaged so that it is not used for new leases.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "shmv-safe-copy.h"

#include "shmv-checksum.h"

#include <shmview/shmv-channel.h>

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

typedef struct
{
  sigjmp_buf env;
  const uint8_t *start;
  const uint8_t *end;
} Guard;

typedef struct
{
  uintptr_t start; /* 0: a free entry */
  uintptr_t end;
  volatile int *damaged;
} LeaseRange;

/* Enough for every lease mapping a process sensibly has at once (one per
 * channel handle, a few more while frames outlive a remap). */
#define MAX_LEASE_RANGES 256

static LeaseRange lease_ranges[MAX_LEASE_RANGES];

static __thread Guard *volatile current_guard;
static struct sigaction previous_action;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

/* In the signal handler: zero pages over the rest of the lease mapping that
 * holds @addr (mmap is async-signal-safe in practice: a system call). */
static bool
zero_fill_lease (uintptr_t addr)
{
  for (int i = 0; i < MAX_LEASE_RANGES; i++)
    {
      uintptr_t start = __atomic_load_n (&lease_ranges[i].start, __ATOMIC_ACQUIRE);
      uintptr_t end = lease_ranges[i].end;
      uintptr_t page = addr & ~(uintptr_t) 4095;

      if (start == 0 || addr < start || addr >= end)
        continue;
      if (mmap ((void *) page, end - page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
                0) == MAP_FAILED)
        return false;
      *lease_ranges[i].damaged = 1;
      return true;
    }
  return false;
}

static void
on_sigbus (int signo, siginfo_t *info, void *context)
{
  Guard *guard = current_guard;
  const uint8_t *addr = info->si_addr;

  if (guard != NULL && addr >= guard->start && addr < guard->end)
    siglongjmp (guard->env, 1);
  if (zero_fill_lease ((uintptr_t) addr))
    return;

  if ((previous_action.sa_flags & SA_SIGINFO) != 0 && previous_action.sa_sigaction != NULL)
    {
      previous_action.sa_sigaction (signo, info, context);
      return;
    }
  if (previous_action.sa_handler != SIG_DFL && previous_action.sa_handler != SIG_IGN)
    {
      previous_action.sa_handler (signo);
      return;
    }
  /* Not ours: die of it as if we had never been here. */
  signal (SIGBUS, SIG_DFL);
  raise (SIGBUS);
}

static void
install_handler (void)
{
  struct sigaction action;

  memset (&action, 0, sizeof action);
  action.sa_sigaction = on_sigbus;
  action.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset (&action.sa_mask);
  sigaction (SIGBUS, &action, &previous_action);
}

typedef enum
{
  COPY,
  COPY_AND_CHECKSUM,
  CHECKSUM,
} Operation;

static bool
guarded (Operation op, void *dst, const void *src, size_t len, uint64_t *checksum)
{
  Guard guard;

  pthread_once (&install_once, install_handler);
  guard.start = src;
  guard.end = (const uint8_t *) src + len;
  if (sigsetjmp (guard.env, 1) != 0)
    {
      current_guard = NULL;
      return false;
    }
  current_guard = &guard;
  switch (op)
    {
    case COPY:
      memcpy (dst, src, len);
      break;
    case COPY_AND_CHECKSUM:
      *checksum = shmv_copy_and_checksum (dst, src, len);
      break;
    case CHECKSUM:
      *checksum = shmv_checksum (src, len);
      break;
    }
  current_guard = NULL;
  return true;
}

bool
shmv_safe_copy_and_checksum (void *dst, const void *src, size_t len, uint64_t *checksum)
{
  return guarded (COPY_AND_CHECKSUM, dst, src, len, checksum);
}

bool
shmv_safe_checksum (const void *src, size_t len, uint64_t *checksum)
{
  return guarded (CHECKSUM, NULL, src, len, checksum);
}

bool
shmv_safe_register_mapping (const void *start, size_t len, volatile int *damaged)
{
  pthread_once (&install_once, install_handler);
  for (int i = 0; i < MAX_LEASE_RANGES; i++)
    {
      uintptr_t expected = 0;

      /* Claim the entry with a start no address has, then fill it in. */
      if (!__atomic_compare_exchange_n (&lease_ranges[i].start, &expected, (uintptr_t) 1, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
        continue;
      lease_ranges[i].end = (uintptr_t) start + len;
      lease_ranges[i].damaged = damaged;
      __atomic_store_n (&lease_ranges[i].start, (uintptr_t) start, __ATOMIC_RELEASE);
      return true;
    }
  return false;
}

void
shmv_safe_unregister_mapping (const void *start)
{
  for (int i = 0; i < MAX_LEASE_RANGES; i++)
    if (__atomic_load_n (&lease_ranges[i].start, __ATOMIC_ACQUIRE) == (uintptr_t) start)
      {
        __atomic_store_n (&lease_ranges[i].start, 0, __ATOMIC_RELEASE);
        return;
      }
}

bool
shmv_safe_memcpy (void *dst, const void *src, size_t len)
{
  return guarded (COPY, dst, src, len, NULL);
}
