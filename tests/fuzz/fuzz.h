/* fuzz.h: the libFuzzer entry points our harnesses define
 *
 * Built two ways: with clang -fsanitize=fuzzer by tests/fuzz/run-fuzzers.sh
 * (libFuzzer provides main), and by meson with replay-main.c, which runs
 * every file of the corpus once as a regression test (suite 'stress').
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Crashes loudly: a broken invariant is a finding, like a sanitizer report. */
#define FUZZ_CHECK(condition)                                                                      \
  do                                                                                               \
    {                                                                                              \
      if (!(condition))                                                                            \
        {                                                                                          \
          fprintf (stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition);       \
          abort ();                                                                                \
        }                                                                                          \
    }                                                                                              \
  while (0)
