/* shmv-names.c: from user keys to native names
 *
 * Keys are hashed, not escaped: any UTF-8 string becomes a short name that is
 * legal everywhere ("a/b" would be EINVAL for shm_open), and distinct keys get
 * distinct names ("Noël" and "Nol" do not collide, as they would if we kept
 * only letters, as Qt's legacy scheme does), whatever the key's length. The
 * uid in the name keeps users apart. The segment also stores the key (what
 * its prefix page holds of it) and a second, independent hash of the whole
 * key, so a hash collision is detected on attach instead of mixing two
 * channels.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-names.h"

#include "shmv-checksum.h"

#include <shmview/shmv-channel.h>
#include <shmview/shmv-segment.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static bool
utf8_is_valid (const unsigned char *s)
{
  while (*s != '\0')
    {
      int extra;
      uint32_t cp;

      if (*s < 0x80)
        {
          s++;
          continue;
        }
      if ((*s & 0xE0) == 0xC0)
        extra = 1, cp = *s & 0x1F;
      else if ((*s & 0xF0) == 0xE0)
        extra = 2, cp = *s & 0x0F;
      else if ((*s & 0xF8) == 0xF0)
        extra = 3, cp = *s & 0x07;
      else
        return false;
      s++;
      for (int i = 0; i < extra; i++, s++)
        {
          if ((*s & 0xC0) != 0x80)
            return false;
          cp = (cp << 6) | (*s & 0x3F);
        }
      /* Overlong forms, surrogates and values past U+10FFFF. */
      if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
          (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return false;
    }
  return true;
}

bool
shmv_key_is_valid (const char *key)
{
  return key != NULL && key[0] != '\0' && utf8_is_valid ((const unsigned char *) key);
}

size_t
shmv_utf8_cut (const char *s, size_t len, size_t max)
{
  size_t n = max;

  if (len <= max)
    return len;
  while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
    n--;
  return n;
}

const char *
shmv_key_for_message (char out[SHMV_KEY_SHOWN_SIZE], const char *key)
{
  static const char ellipsis[] = "…";
  size_t len = strlen (key), n;

  if (len < SHMV_KEY_SHOWN_SIZE)
    return key;
  n = shmv_utf8_cut (key, len, SHMV_KEY_SHOWN_SIZE - sizeof ellipsis);
  memcpy (out, key, n);
  memcpy (out + n, ellipsis, sizeof ellipsis);
  return out;
}

uint64_t
shmv_key_name_hash (const char *key)
{
  return shmv_name_hash (key, strlen (key));
}

static void
base32 (char *out, uint64_t value, int digits)
{
  static const char alphabet[] = "0123456789abcdefghijklmnopqrstuv";

  for (int i = digits - 1; i >= 0; i--, value >>= 5)
    out[i] = alphabet[value & 31];
  out[digits] = '\0';
}

void
shmv_native_name (char out[SHMV_NATIVE_NAME_SIZE], const char *prefix, const char *key, uid_t uid)
{
  shmv_native_name_for_hash (out, prefix, shmv_key_name_hash (key), uid);
}

void
shmv_native_name_for_hash (char out[SHMV_NATIVE_NAME_SIZE],
                           const char *prefix,
                           uint64_t name_hash,
                           uid_t uid)
{
  int len = snprintf (out, SHMV_NATIVE_NAME_SIZE, "/%s-%08x-", prefix, (unsigned) uid);

  base32 (out + len, name_hash, 13);
}

bool
shmv_native_name_is_segment_of (const char *name, uid_t uid)
{
  char prefix[32];
  size_t len =
      (size_t) snprintf (prefix, sizeof prefix, "%s-%08x-", SHMV_SEGMENT_PREFIX, (unsigned) uid);

  return strncmp (name, prefix, len) == 0 && strlen (name) == len + 13;
}

key_t
shmv_sysv_key_for (const char *native_name)
{
  uint64_t h = shmv_name_hash (native_name, strlen (native_name));

  /* Positive and never IPC_PRIVATE (0). */
  return (key_t) ((h & 0x7FFFFFFE) | 1);
}
