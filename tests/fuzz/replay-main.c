/* replay-main.c: runs a fuzz harness once over every file of a corpus
 *
 * libFuzzer is clang's; this main() lets meson build the same harnesses
 * with any compiler and replay the seed corpus and every regression file in
 * the normal test run (suite 'stress', plain and under ASan), printing TAP:
 *
 *   fuzz-replay-png tests/fuzz/corpus/png
 *
 * A crash or a broken invariant aborts, which fails the test.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* The files named on the command line, directories expanded, sorted. */
static GPtrArray *
collect (int argc, char **argv)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GDir) dir = g_dir_open (argv[i], 0, NULL);
      const char *name;

      if (dir == NULL)
        {
          g_ptr_array_add (files, g_strdup (argv[i]));
          continue;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (files, g_build_filename (argv[i], name, NULL));
    }
  g_ptr_array_sort (files, compare_names);
  return files;
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) files = collect (argc, argv);

  printf ("1..%u\n", files->len);
  fflush (stdout);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = files->pdata[i];
      g_autofree char *data = NULL;
      gsize len;

      if (!g_file_get_contents (path, &data, &len, NULL))
        {
          printf ("not ok %u %s (unreadable)\n", i + 1, path);
          continue;
        }
      LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
      printf ("ok %u %s\n", i + 1, path);
      fflush (stdout);
    }
  return files->len > 0 ? 0 : 1;
}
