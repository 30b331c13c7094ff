/* shmv-channel-list.c: finding this user's channels
 *
 * Channels are found by their names in /dev/shm (ours start with
 * "shmv-<uid>-") and recognised by the magic in their segment and channel
 * headers; the key comes from the segment prefix, since names are hashes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
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

/* Fills @entry from the segment /dev/shm/@name if it is one of our channels. */
static bool
inspect (const char *name, ShmvChannelEntry *entry)
{
  ShmvSegmentPrefix prefix;
  char magic[8];
  struct stat st;
  char path[64];
  bool ok = false;
  int fd;

  snprintf (path, sizeof path, "/dev/shm/%s", name);
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0)
    return false;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_uid == geteuid () &&
      pread_all (fd, &prefix, sizeof prefix, 0) &&
      memcmp (prefix.magic, SHMV_SEGMENT_MAGIC, sizeof prefix.magic) == 0 &&
      pread_all (fd, magic, sizeof magic, SHMV_SEGMENT_DATA_OFFSET) &&
      memcmp (magic, SHMV_CHANNEL_MAGIC, sizeof magic) == 0)
    {
      size_t key_len = strnlen (prefix.key, sizeof entry->key - 1);

      memset (entry, 0, sizeof *entry);
      memcpy (entry->key, prefix.key, key_len);
      entry->native_key[0] = '/';
      strncpy (entry->native_key + 1, name, sizeof entry->native_key - 2);
      entry->size = (size_t) st.st_size;
      entry->persistent = (prefix.flags & SHMV_SEGMENT_PERSISTENT) != 0;
      entry->in_use = shmv_ofd_is_held (fd, SHMV_OFD_USERS_BYTE, F_WRLCK);
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

int
shmv_channel_list (ShmvChannelEntry **entries, ShmvStatus *status)
{
  DIR *dir = opendir ("/dev/shm");
  ShmvChannelEntry *list = NULL;
  size_t n = 0, allocated = 0;
  struct dirent *d;

  shmv_status_clear (status);
  *entries = NULL;
  if (dir == NULL)
    {
      shmv_status_set_errno (status, errno, "cannot list /dev/shm");
      return -1;
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
              return -1;
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
  return (int) n;
}
