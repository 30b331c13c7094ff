/* shmv-channel-list.c: finding this user's channels
 *
 * Channels are found by their names in /dev/shm (ours start with
 * "shmv-<uid>-") and recognised by the magic in their segment and channel
 * headers; the key comes from the segment prefix, since names are hashes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <shmview/shmv-channel-list.h>

#include "shmv-channel-layout.h"

#include "shmv-names.h"
#include "shmv-ofd.h"
#include "shmv-segment-private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static bool
pread_all (int fd, void *buf, size_t len, off_t offset)
{
  ssize_t n;

  do
    n = pread (fd, buf, len, offset);
  while (n < 0 && errno == EINTR);
  return n == (ssize_t) len;
}

static void
set_corrupt (ShmvChannelEntry *entry, const char *reason)
{
  entry->corrupt = true;
  snprintf (entry->corrupt_reason, sizeof entry->corrupt_reason, "%s", reason);
}

/* diagnose()'s verdict on a sound segment of ours that holds no channel (a
 * plain ShmvSegment of some other program): not listed, never collected. */
static const char not_a_channel[] = "not a channel";

/* Whether the channel header of the segment open as @fd, of @size bytes,
 * says it is a channel, even a broken one: its magic, or (magic scribbled)
 * the layout, header size and slot count all in place. A plain segment's
 * data matches neither. */
static bool
is_channel (int fd, size_t size, ShmvChannelHeader *header, bool *whole)
{
  size_t len = size - SHMV_SEGMENT_DATA_OFFSET;

  memset (header, 0, sizeof *header);
  if (len > sizeof *header)
    len = sizeof *header;
  *whole = len == sizeof *header && size >= SHMV_SEGMENT_DATA_OFFSET + SHMV_CHANNEL_HEADER_SIZE;
  if (len < sizeof header->magic || !pread_all (fd, header, len, SHMV_SEGMENT_DATA_OFFSET))
    return false;
  if (memcmp (header->magic, SHMV_CHANNEL_MAGIC, sizeof header->magic) == 0)
    return true;
  return *whole && header->layout == SHMV_CHANNEL_LAYOUT &&
         header->header_size == SHMV_CHANNEL_HEADER_SIZE && header->n_slots >= SHMV_CHANNEL_SLOTS &&
         header->n_slots <= SHMV_CHANNEL_MAX_SLOTS;
}

/* What is wrong with the segment open as @fd, of @size bytes: NULL for a
 * sound channel, not_a_channel, or the reason it is a corrupt one. The
 * checks a reader makes on open, so that what a listing calls sound opens
 * and what it calls corrupt does not. */
static const char *
diagnose (int fd, size_t size, ShmvChannelEntry *entry)
{
  ShmvSegmentPrefix prefix;
  ShmvChannelHeader header;
  const char *reason = NULL;
  bool whole;

  /* Only libshmview makes files of our names, and never shows one before
   * its prefix is written: one without a prefix is a broken segment, which
   * would block its key for ever. */
  if (size < SHMV_SEGMENT_DATA_OFFSET || !pread_all (fd, &prefix, sizeof prefix, 0))
    return "truncated: shorter than its prefix";
  prefix.key[SHMV_KEY_STORED_MAX] = '\0';
  /* Still show the key of a damaged segment, when it is ours. */
  if (shmv_segment_prefix_key_matches (&prefix, entry->native_key))
    snprintf (entry->key, sizeof entry->key, "%s", prefix.key);
  reason = shmv_segment_prefix_problem (&prefix, entry->native_key);
  if (reason != NULL && memcmp (prefix.magic, SHMV_SEGMENT_MAGIC, sizeof prefix.magic) != 0)
    return reason;
  if (!is_channel (fd, size, &header, &whole))
    return not_a_channel;
  entry->persistent = (prefix.flags & SHMV_SEGMENT_PERSISTENT) != 0;
  if (reason != NULL)
    return reason;
  if (!whole)
    return "truncated: no room for its channel header";
  return shmv_channel_validate_header (&header);
}

/* Fills @entry from the segment /dev/shm/@name if it is a file of ours:
 * a sound channel, or a corrupt one (which only its listing can show). */
static bool
inspect (const char *name, ShmvChannelEntry *entry)
{
  const char *reason;
  struct stat st;
  char path[SHMV_NATIVE_KEY_SIZE + 16];
  int fd;

  snprintf (path, sizeof path, "/dev/shm/%s", name);
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0)
    return false;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_uid != geteuid ())
    {
      close (fd);
      return false;
    }
  memset (entry, 0, sizeof *entry);
  snprintf (entry->native_key, sizeof entry->native_key, "/%s", name);
  entry->size = (size_t) st.st_size;
  reason = diagnose (fd, (size_t) st.st_size, entry);
  if (reason == not_a_channel)
    {
      close (fd);
      return false;
    }
  if (reason != NULL)
    set_corrupt (entry, reason);
  entry->in_use = shmv_ofd_is_held (fd, SHMV_OFD_USERS_BYTE, F_WRLCK);
  close (fd);
  return true;
}

bool
shmv_channel_entry_remove_unused (const ShmvChannelEntry *entry, ShmvStatus *status)
{
  ShmvChannelEntry now;
  const char *name = entry->native_key + 1;
  bool ok = false;
  int fd;

  shmv_status_clear (status);
  if (entry->native_key[0] != '/' || !shmv_native_name_is_segment_of (name, geteuid ()))
    {
      shmv_status_set (status, SHMV_ERROR_INVALID_ARGUMENT, "%s: not a channel name",
                       entry->native_key);
      return false;
    }
  fd = shm_open (entry->native_key, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0);
  if (fd < 0)
    {
      shmv_status_set_errno (status, errno, "%s: cannot open it", entry->native_key);
      return false;
    }
  /* Decided under the exclusive lock: a process attaching meanwhile waits,
   * then finds the name gone. */
  if (shmv_ofd_lock (fd, SHMV_OFD_USERS_BYTE, F_WRLCK) != 0)
    shmv_status_set (status, SHMV_ERROR_ALREADY_EXISTS, "%s: in use", entry->native_key);
  else if (!inspect (name, &now))
    shmv_status_set (status, SHMV_ERROR_NOT_FOUND, "%s: no such channel", entry->native_key);
  else if (!now.corrupt && now.persistent)
    shmv_status_set (status, SHMV_ERROR_ALREADY_EXISTS, "%s: persistent", entry->native_key);
  else
    {
      shmv_segment_remove_name_if_current (entry->native_key, fd,
                                           shmv_sysv_key_for (entry->native_key));
      ok = true;
    }
  close (fd);
  return ok;
}

static int
compare_keys (const void *a, const void *b)
{
  return strcmp (((const ShmvChannelEntry *) a)->key, ((const ShmvChannelEntry *) b)->key);
}

bool
shmv_channel_list (ShmvChannelEntry **entries, size_t *n_entries, ShmvStatus *status)
{
  DIR *dir = opendir ("/dev/shm");
  ShmvChannelEntry *list = NULL;
  size_t n = 0, allocated = 0;
  struct dirent *d;

  shmv_status_clear (status);
  *entries = NULL;
  *n_entries = 0;
  if (dir == NULL)
    {
      shmv_status_set_errno (status, errno, "cannot list /dev/shm");
      return false;
    }
  while ((d = readdir (dir)) != NULL)
    {
      if (!shmv_native_name_is_segment_of (d->d_name, geteuid ()))
        continue;
      if (n == allocated)
        {
          size_t more = allocated ? allocated * 2 : 16;
          ShmvChannelEntry *grown = realloc (list, more * sizeof *list);

          if (grown == NULL)
            {
              free (list);
              closedir (dir);
              shmv_status_set (status, SHMV_ERROR_OUT_OF_RESOURCES, "out of memory");
              return false;
            }
          list = grown;
          allocated = more;
        }
      if (inspect (d->d_name, &list[n]))
        n++;
    }
  closedir (dir);
  if (n > 0)
    qsort (list, n, sizeof *list, compare_keys);
  *entries = list;
  *n_entries = n;
  return true;
}
