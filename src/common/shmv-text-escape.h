/* shmv-text-escape.h: peer-controlled strings made safe for a terminal or a label
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * shmv_escape_text:
 * @s: (nullable): text another process wrote (a key, a source name)
 *
 * @s with every control character shown instead of obeyed: a C0 control or
 * DEL becomes "\x1b", a C1 control "\u009b", and a byte that is not UTF-8
 * "\xff". Printable UTF-8 (backslashes included) is kept as it is, so a
 * terminal never receives an escape sequence, a bell, a carriage return or
 * a line break from a peer. Free with g_free(); NULL for NULL.
 */
char *shmv_escape_text (const char *s);

G_END_DECLS
