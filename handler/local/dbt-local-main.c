/* dbt-local-main.c — dbtrigger-local: the local stack's Lambda service.
 *
 *   dbtrigger-local --stack-dir DIR [--outbox DIR] [--once] [--verbose]
 *
 * Serves the stack's DynamoDB stream event source mappings with the
 * functions' deployed code (dbt-local-runner.h), and writes the mail SNS
 * would send to the outbox (dbt-outbox.h). Its process id is in
 * DIR/runner.pid while it runs, its log in DIR/runner.log, its state in
 * DIR/runner-status.json, the functions' output in DIR/logs/. SIGTERM or
 * SIGINT stops it cleanly, bootstrap processes included.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "dbt-failure-record.h"
#include "dbt-local-config.h"
#include "dbt-local-context.h"
#include "dbt-local-runner.h"

typedef struct
{
  int      fd;
  gboolean verbose;
  GMutex   lock;
} LogSink;

static GLogWriterOutput
write_log (GLogLevelFlags   log_level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  LogSink *sink = user_data;
  const char *message = NULL;
  const char *domain = NULL;
  const char *level;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = dbt_iso8601_ms (now);
  g_autofree char *line = NULL;
  gboolean to_stderr;

  if ((log_level & G_LOG_LEVEL_DEBUG) && !sink->verbose)
    return G_LOG_WRITER_HANDLED;
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
      else if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
    }
  if (log_level & G_LOG_LEVEL_ERROR)
    level = "ERROR";
  else if (log_level & G_LOG_LEVEL_CRITICAL)
    level = "CRITICAL";
  else if (log_level & G_LOG_LEVEL_WARNING)
    level = "WARNING";
  else if (log_level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO))
    level = "INFO";
  else
    level = "DEBUG";
  line = g_strdup_printf ("%s %s %s: %s\n", stamp, level, domain != NULL ? domain : "dbtrigger-local",
                          message != NULL ? message : "");

  g_mutex_lock (&sink->lock);
  if (sink->fd < 0 || write (sink->fd, line, strlen (line)) < 0)
    to_stderr = TRUE;
  else
    to_stderr = sink->verbose || (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING));
  if (to_stderr)
    fputs (line, stderr);
  g_mutex_unlock (&sink->lock);
  return G_LOG_WRITER_HANDLED;
}

static gboolean
on_signal (gpointer user_data)
{
  g_message ("stopping (signal)");
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
on_done (gpointer user_data)
{
  g_message ("--once: everything there was got processed");
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* DIR/runner.pid, refusing to start beside a live runner of the stack. */
static gboolean
claim_pid_file (const char *path,
                GError    **error)
{
  g_autofree char *text = NULL;
  g_autofree char *content = g_strdup_printf ("%d\n", (int) getpid ());

  if (g_file_get_contents (path, &text, NULL, NULL))
    {
      gint64 pid = g_ascii_strtoll (text, NULL, 10);
      g_autofree char *cmdline_path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/cmdline", pid);
      g_autofree char *cmdline = NULL;

      if (pid > 0 && pid != getpid () && kill ((pid_t) pid, 0) == 0 &&
          g_file_get_contents (cmdline_path, &cmdline, NULL, NULL) &&
          strstr (cmdline, "dbtrigger-local") != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       "a runner already serves this stack (pid %" G_GINT64_FORMAT ", %s)", pid, path);
          return FALSE;
        }
    }
  return g_file_set_contents (path, content, -1, error);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *stack_dir = NULL;
  g_autofree char *outbox_dir = NULL;
  gboolean once = FALSE;
  gboolean verbose = FALSE;
  GOptionEntry entries[] = {
    { "stack-dir", 0, 0, G_OPTION_ARG_FILENAME, &stack_dir, "The local stack's directory (default: $DBT_STACK_DIR)", "DIR" },
    { "outbox", 0, 0, G_OPTION_ARG_FILENAME, &outbox_dir, "Where mail is written (default: DIR/outbox)", "DIR" },
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, "Process what the streams hold now, deliver its mail, and exit", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Log debug messages, and log to stderr too", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("— run the local stack's stream mappings and outbox");
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtLocalConfig) config = NULL;
  g_autoptr(DbtLocalContext) context = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *pid_path = NULL;
  g_autofree char *log_path = NULL;
  DbtLocalRunner *runner;
  LogSink sink = { .fd = -1 };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("dbtrigger-local: %s\n", error->message);
      return 2;
    }
  if (stack_dir == NULL)
    stack_dir = g_strdup (g_getenv ("DBT_STACK_DIR"));
  if (stack_dir == NULL)
    {
      g_printerr ("dbtrigger-local: --stack-dir DIR is required (or DBT_STACK_DIR)\n");
      return 2;
    }

  config = dbt_local_config_load (stack_dir, &error);
  if (config == NULL)
    {
      g_printerr ("dbtrigger-local: %s\n", error->message);
      return 1;
    }

  g_mutex_init (&sink.lock);
  sink.verbose = verbose;
  log_path = g_build_filename (config->stack_dir, "runner.log", NULL);
  sink.fd = g_open (log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  g_log_set_writer_func (write_log, &sink, NULL);

  pid_path = g_build_filename (config->stack_dir, "runner.pid", NULL);
  if (!claim_pid_file (pid_path, &error))
    {
      g_printerr ("dbtrigger-local: %s\n", error->message);
      return 1;
    }

  g_message ("dbtrigger-local %s serving %s (%s)%s", PACKAGE_VERSION, config->stack_dir,
             config->endpoint_url, once ? ", once" : "");
  context = dbt_local_context_new (g_steal_pointer (&config), outbox_dir, once, &error);
  if (context == NULL)
    {
      g_printerr ("dbtrigger-local: %s\n", error->message);
      g_unlink (pid_path);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  runner = dbt_local_runner_start (context, on_done, loop);
  g_main_loop_run (loop);

  dbt_local_runner_free (runner);
  g_message ("stopped");
  g_unlink (pid_path);
  /* The writer stays installed (GLib allows one); it stops writing. */
  g_mutex_lock (&sink.lock);
  if (sink.fd >= 0)
    close (sink.fd);
  sink.fd = -1;
  g_mutex_unlock (&sink.lock);
  return 0;
}
