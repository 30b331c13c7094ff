/* shmview-ctl.c: the command line, parsed and dispatched
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmview-ctl"

#include "config.h"

#include "ctl-commands.h"
#include "ctl-exit.h"
#include "ctl-signals.h"
#include "ctl-text.h"
#include "shmv-i18n.h"
#include "shmv-qt-segment.h"
#include "shmv-user.h"

#include <glib/gi18n.h>
#include <shmview/shmview.h>
#include <stdlib.h>

/* Which options a command accepts: the others are refused, so that a typo
 * such as `publish --count 2` does not silently do something else. */
typedef enum
{
  CTL_OPT_MAX_PIXELS = 1 << 0,
  CTL_OPT_JSON = 1 << 1,
  CTL_OPT_COUNT = 1 << 2,
  CTL_OPT_TIMEOUT = 1 << 3,
  CTL_OPT_SHARE = 1 << 4,
  CTL_OPT_OWNER = 1 << 5,
  CTL_OPT_QT = 1 << 6,
  CTL_OPT_KEY = 1 << 7,
} CtlOptionFlags;

typedef struct
{
  const char *name;
  const char *argument; /* N_() placeholder of its one argument, or NULL */
  const char *help;     /* N_() */
  CtlOptionFlags accepts;
  CtlExit (*run) (const CtlOptions *options, const char *arg);
  CtlExit (*run_qt) (const CtlOptions *options, const char *arg); /* with --qt */
} CtlCommand;

static const CtlCommand commands[] = {
  { "publish", N_ ("FILE"),
    N_ ("Publish a PNG file (-: standard input); it stays until rm or a newer publish"),
    CTL_OPT_KEY | CTL_OPT_MAX_PIXELS | CTL_OPT_SHARE | CTL_OPT_QT, ctl_cmd_publish,
    ctl_cmd_publish_qt },
  { "read", N_ ("OUT.png"), N_ ("Save the current image as a PNG file, losslessly"),
    CTL_OPT_KEY | CTL_OPT_OWNER | CTL_OPT_QT, ctl_cmd_read, ctl_cmd_read_qt },
  { "info", NULL, N_ ("Describe the channel (generation 0: no image yet)"),
    CTL_OPT_KEY | CTL_OPT_JSON | CTL_OPT_OWNER | CTL_OPT_QT, ctl_cmd_info, ctl_cmd_info_qt },
  /* list and gc act on every channel: a key would be ignored, which for gc
   * means removing far more than the user asked for. */
  { "list", NULL, N_ ("List every channel of this user"), CTL_OPT_JSON, ctl_cmd_list, NULL },
  { "rm", NULL, N_ ("Remove the channel"), CTL_OPT_KEY, ctl_cmd_rm, NULL },
  { "watch", NULL, N_ ("Print a line for each new frame, until --count or Ctrl+C"),
    CTL_OPT_KEY | CTL_OPT_JSON | CTL_OPT_COUNT | CTL_OPT_TIMEOUT, ctl_cmd_watch, NULL },
  { "gc", NULL, N_ ("Remove channels whose users all exited, unless persistent"), CTL_OPT_JSON,
    ctl_cmd_gc, NULL },
};

/* The options a command may refuse, by the flag its table gives them. */
static const struct
{
  CtlOptionFlags flag;
  const char *name;
} option_names[] = {
  { CTL_OPT_KEY, "--key" },         { CTL_OPT_MAX_PIXELS, "--max-pixels" },
  { CTL_OPT_JSON, "--json" },       { CTL_OPT_COUNT, "--count" },
  { CTL_OPT_TIMEOUT, "--timeout" }, { CTL_OPT_SHARE, "--share" },
  { CTL_OPT_OWNER, "--owner" },     { CTL_OPT_QT, "--qt" },
};

/* Values no user can give, to tell "not given" from a default. */
#define UNSET_INT   G_MININT
#define UNSET_INT64 G_MININT64

/* The command line as GOption leaves it, before checks and defaults. */
typedef struct
{
  char *key;
  gint64 max_pixels;
  gboolean json;
  int count;
  int timeout;
  char *share;
  char *owner;
  gboolean qt;
  gboolean version;
  gboolean help;
} CtlRawOptions;

static void
raw_options_clear (CtlRawOptions *raw)
{
  g_clear_pointer (&raw->key, g_free);
  g_clear_pointer (&raw->share, g_free);
  g_clear_pointer (&raw->owner, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CtlRawOptions, raw_options_clear)

/* Whether the help of @command (NULL: every command) shows option @name. */
static gboolean
shows_option (const CtlCommand *command, const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (option_names); i++)
    if (g_str_equal (option_names[i].name + 2, name))
      return command == NULL || (command->accepts & option_names[i].flag);
  /* --version and --help: the program's, not a command's */
  return command == NULL;
}

/* The options, all of them, or those @command takes (for its help). */
static GOptionGroup *
option_group_new (CtlRawOptions *raw, const CtlCommand *command)
{
  const GOptionEntry entries[] = {
    /* Bytes, checked in check_options(): as a string, GOption would fail on
     * bytes that are not UTF-8 with a bare "Invalid byte sequence". */
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &raw->key,
      N_ ("publish, read, info, rm, watch: the channel’s key (default: “shmview”)"), N_ ("KEY") },
    { "max-pixels", 0, 0, G_OPTION_ARG_INT64, &raw->max_pixels,
      N_ ("publish: refuse images of more pixels than N (default: 268435456, 2^28)"), N_ ("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &raw->json,
      N_ ("info, list, watch, gc: print JSON instead of text"), NULL },
    { "count", 0, 0, G_OPTION_ARG_INT, &raw->count,
      N_ ("watch: exit after N new frames (default: until interrupted)"), N_ ("N") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &raw->timeout,
      N_ ("watch: give up after MS milliseconds in all, with exit status 5 (default: never)"),
      N_ ("MS") },
    { "share", 0, 0, G_OPTION_ARG_STRING, &raw->share,
      N_ ("publish: “group” lets your group read a channel it creates (default: “user”)"),
      N_ ("WHO") },
    { "owner", 0, 0, G_OPTION_ARG_STRING, &raw->owner,
      N_ ("read, info: the channel of another user, shared with your group"), N_ ("USER") },
    { "qt", 0, 0, G_OPTION_ARG_NONE, &raw->qt,
      N_ ("read, info, publish: a Qt program’s QSharedMemory segment (default key: "
          "“QSharedMemoryExample”)"),
      NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &raw->version, N_ ("Show the version and exit"), NULL },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &raw->help,
      N_ ("Show the commands, options and exit statuses; after a command, only its own"), NULL },
  };
  GOptionGroup *group = g_option_group_new (NULL, NULL, NULL, NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (entries); i++)
    if (shows_option (command, entries[i].long_name))
      {
        GOptionEntry one[] = { entries[i], { NULL } };

        g_option_group_add_entries (group, one);
      }
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}

static char *
commands_summary (void)
{
  GString *out = g_string_new (_ ("Moves images between processes through shared memory."));
  gsize width = 0;

  g_string_append_printf (out, "\n\n%s\n", _ ("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *usage = g_strjoin (
          " ", commands[i].name, commands[i].argument ? _ (commands[i].argument) : NULL, NULL);
      width = MAX (width, ctl_text_width (usage));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *usage = g_strjoin (
          " ", commands[i].name, commands[i].argument ? _ (commands[i].argument) : NULL, NULL);
      g_string_append_printf (out, "  %s%*s  %s\n", usage, (int) (width - ctl_text_width (usage)),
                              "", _ (commands[i].help));
    }
  g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

static char *
exit_codes_description (void)
{
  GString *out = g_string_new (_ ("Exit status:"));

  g_string_append_c (out, '\n');
  for (int code = CTL_EXIT_OK; code <= CTL_EXIT_SYSTEM; code++)
    g_string_append_printf (out, "  %d  %s\n", code, ctl_exit_description ((CtlExit) code));
  g_string_append_c (out, '\n');
  g_string_append (out, _ ("Options may appear anywhere on the command line. A channel is a\n"
                           "shared-memory segment of this user in /dev/shm, named by its key.\n"
                           "watch waits for the channel to appear and follows it when it is\n"
                           "removed and made again; Ctrl+C ends it with exit status 0.\n"
                           "Any other command stopped by SIGINT, SIGTERM or SIGHUP first\n"
                           "removes what it made (a new channel, a temporary file) and\n"
                           "then ends by that signal (status 128 + N in a shell)."));
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

static const CtlCommand *
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

/* Refuses an option the command does not take, and impossible values. */
static CtlExit
check_options (const CtlCommand *command, const CtlRawOptions *raw, CtlOptions *options)
{
  CtlOptionFlags given =
      (raw->max_pixels != UNSET_INT64 ? CTL_OPT_MAX_PIXELS : 0) | (raw->json ? CTL_OPT_JSON : 0) |
      (raw->count != UNSET_INT ? CTL_OPT_COUNT : 0) |
      (raw->timeout != UNSET_INT ? CTL_OPT_TIMEOUT : 0) | (raw->share != NULL ? CTL_OPT_SHARE : 0) |
      (raw->owner != NULL ? CTL_OPT_OWNER : 0) | (raw->qt ? CTL_OPT_QT : 0) |
      (raw->key != NULL ? CTL_OPT_KEY : 0);

  for (gsize i = 0; i < G_N_ELEMENTS (option_names); i++)
    if ((given & option_names[i].flag) && !(command->accepts & option_names[i].flag))
      return ctl_usage_error (_ ("Option %s does not apply to “%s”"), option_names[i].name,
                              command->name);

  if (raw->key != NULL && raw->key[0] == '\0')
    return ctl_usage_error (_ ("The key must not be empty"));
  if (raw->key != NULL && !g_utf8_validate (raw->key, -1, NULL))
    return ctl_usage_error (_ ("The key is not valid UTF-8 text"));
  if (raw->max_pixels != UNSET_INT64 && raw->max_pixels <= 0)
    return ctl_usage_error (_ ("--max-pixels needs a number above 0"));
  if (raw->count != UNSET_INT && raw->count <= 0)
    return ctl_usage_error (_ ("--count needs a number above 0"));
  if (raw->timeout != UNSET_INT && raw->timeout < 0)
    return ctl_usage_error (_ ("--timeout needs a number of milliseconds, 0 or more"));
  if (raw->share != NULL && !g_str_equal (raw->share, "user") && !g_str_equal (raw->share, "group"))
    return ctl_usage_error (_ ("--share takes “user” or “group”, not “%s”"), raw->share);
  options->owner = -1;
  if (raw->owner != NULL && (options->owner = shmv_user_parse (raw->owner)) < 0)
    return ctl_usage_error (_ ("No such user: “%s”"), raw->owner);

  /* Qt's objects are 0600: nobody else's can be read. */
  if (raw->qt && raw->owner != NULL)
    return ctl_usage_error (_ ("Options %s and %s cannot be combined"), "--qt", "--owner");
  if (raw->qt && raw->share != NULL)
    return ctl_usage_error (_ ("Options %s and %s cannot be combined"), "--qt", "--share");

  options->qt = raw->qt;
  options->key = raw->key != NULL ? raw->key : raw->qt ? SHMV_QT_DEFAULT_KEY : SHMV_DEFAULT_KEY;
  options->max_pixels =
      raw->max_pixels != UNSET_INT64 ? raw->max_pixels : (gint64) SHMV_PNG_DEFAULT_MAX_PIXELS;
  options->json = raw->json;
  options->count = raw->count != UNSET_INT ? raw->count : -1;
  options->timeout_ms = raw->timeout != UNSET_INT ? raw->timeout : -1;
  options->sharing = g_strcmp0 (raw->share, "group") == 0 ? SHMV_SHARING_GROUP : SHMV_SHARING_USER;
  return CTL_EXIT_OK;
}

/* `shmview-ctl read --help`: the command's usage, what it does and the
 * options it takes, from the same tables as the whole help. */
static char *
command_help (const CtlCommand *command)
{
  g_auto (CtlRawOptions) unused = { 0 };
  g_autofree char *usage =
      g_strjoin (" ", command->name, command->argument ? _ (command->argument) : NULL, NULL);
  g_autoptr (GOptionContext) context = g_option_context_new (usage);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_summary (context, _ (command->help));
  g_option_context_set_main_group (context, option_group_new (&unused, command));
  return g_option_context_get_help (context, TRUE, NULL);
}

static void
print_help (char *text)
{
  g_print ("%s", text);
  g_free (text);
}

int
main (int argc, char **argv)
{
  g_auto (CtlRawOptions) raw = {
    .max_pixels = UNSET_INT64,
    .count = UNSET_INT,
    .timeout = UNSET_INT,
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *description = NULL;
  const CtlCommand *command;
  CtlOptions options = { 0 };
  g_autofree const char **words = NULL;
  int n_words = 0;
  int seen_dashes = 0;
  CtlExit result;

  /* stdout carries data (JSON, one line per frame): diagnostics go elsewhere. */
  g_log_writer_default_set_use_stderr (TRUE);
  g_set_prgname ("shmview-ctl");
  shmv_i18n_init ();

  context = g_option_context_new (_ ("COMMAND [FILE]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  /* --help is ours: after a command, it shows only that command's. */
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_main_group (context, option_group_new (&raw, NULL));
  summary = commands_summary ();
  description = exit_codes_description ();
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, description);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error ("%s", error->message);

  words = g_new0 (const char *, argc);
  if (raw.version)
    {
      g_print ("shmview-ctl %s (libshmview %s)\n", PACKAGE_VERSION, shmv_version_string ());
      return CTL_EXIT_OK;
    }

  /* GOption leaves a "--" (which ends the options, for a file named "-x")
   * where it was; what remains besides it is the command and its argument. */
  for (int i = 1; i < argc; i++)
    if (!g_str_equal (argv[i], "--") || seen_dashes++ > 0)
      words[n_words++] = argv[i];

  if (raw.help)
    {
      command = n_words > 0 ? find_command (words[0]) : NULL;
      print_help (command != NULL ? command_help (command)
                                  : g_option_context_get_help (context, TRUE, NULL));
      return CTL_EXIT_OK;
    }

  if (n_words == 0)
    return ctl_usage_error (_ ("No command given"));

  command = find_command (words[0]);
  if (command == NULL)
    return ctl_usage_error (_ ("Unknown command “%s”"), words[0]);

  if (command->argument != NULL && n_words < 2)
    return ctl_usage_error (_ ("“%s” needs an argument: %s"), command->name, _ (command->argument));
  if (n_words > (command->argument != NULL ? 2 : 1))
    return ctl_usage_error (_ ("Too many arguments for “%s”"), command->name);

  if ((result = check_options (command, &raw, &options)) != CTL_EXIT_OK)
    return result;

  /* watch ends on a signal by itself, with status 0 (ctl-watch.c). */
  if (command->run != ctl_cmd_watch)
    ctl_signals_start ();
  return (options.qt ? command->run_qt
                     : command->run) (&options, command->argument != NULL ? words[1] : NULL);
}
