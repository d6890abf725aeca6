/* dbt-function-host.c — runs a function's bootstrap like Lambda does. */
#include "dbt-function-host.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include "dbt-code-cache.h"
#include "dbt-lambda.h"

/* Lambda gives a runtime 10 s to initialise before the first event. */
#define INIT_TIMEOUT_MS 10000

struct _DbtFunctionHost
{
  DbtAwsClient         *client;
  const DbtLocalConfig *config;
  char                 *function_arn;
  DbtRuntimeServer     *server;

  GMutex                invoke_lock;   /* one invocation at a time */
  GMutex                lock;          /* the fields below */
  GPid                  pid;           /* 0: no live process */
  guint                 unreaped;      /* children not reaped yet */
  char                 *signature;     /* what the running process was started with */
  char                 *function_name;
  int                   log_fd;
};

typedef struct
{
  DbtFunctionHost *host;
  GPid             pid;
} ChildWatch;

static void
host_clear (gpointer data)
{
  DbtFunctionHost *host = data;

  dbt_runtime_server_free (host->server);
  dbt_aws_client_unref (host->client);
  g_free (host->function_arn);
  g_free (host->function_name);
  g_free (host->signature);
  if (host->log_fd >= 0)
    close (host->log_fd);
  g_mutex_clear (&host->invoke_lock);
  g_mutex_clear (&host->lock);
}

DbtFunctionHost *
dbt_function_host_new (DbtAwsClient         *client,
                       const DbtLocalConfig *config,
                       const char           *function_arn,
                       GError              **error)
{
  DbtFunctionHost *host = g_atomic_rc_box_new0 (DbtFunctionHost);

  g_mutex_init (&host->invoke_lock);
  g_mutex_init (&host->lock);
  host->client = dbt_aws_client_ref (client);
  host->config = config;
  host->function_arn = g_strdup (function_arn);
  host->log_fd = -1;
  host->server = dbt_runtime_server_new (function_arn, error);
  if (host->server == NULL)
    {
      dbt_function_host_unref (host);
      return NULL;
    }
  return host;
}

DbtFunctionHost *
dbt_function_host_ref (DbtFunctionHost *host)
{
  return g_atomic_rc_box_acquire (host);
}

void
dbt_function_host_unref (DbtFunctionHost *host)
{
  g_atomic_rc_box_release_full (host, host_clear);
}

const char *
dbt_function_host_get_function_arn (DbtFunctionHost *host)
{
  return host->function_arn;
}

static void
log_line (DbtFunctionHost *host,
          const char      *format,
          ...) G_GNUC_PRINTF (2, 3);

static void
log_line (DbtFunctionHost *host,
          const char      *format,
          ...)
{
  g_autofree char *line = NULL;
  va_list args;
  gsize len;

  if (host->log_fd < 0)
    return;
  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  len = strlen (line);
  if (write (host->log_fd, line, len) != (gssize) len)
    g_debug ("short write to the log of %s", host->function_name);
}

/* With host->lock held. */
static void
kill_process (DbtFunctionHost *host)
{
  if (host->pid == 0)
    return;
  /* The bootstrap leads its own process group: take its children too. */
  if (kill (-host->pid, SIGKILL) != 0)
    kill (host->pid, SIGKILL);
  host->pid = 0;
}

void
dbt_function_host_stop (DbtFunctionHost *host)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&host->lock);

  kill_process (host);
}

gboolean
dbt_function_host_has_process (DbtFunctionHost *host)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&host->lock);

  return host->unreaped > 0;
}

static void
child_watch_free (gpointer data)
{
  ChildWatch *watch = data;

  dbt_function_host_unref (watch->host);
  g_free (watch);
}

static void
on_child_exit (GPid     pid,
               gint     wait_status,
               gpointer user_data)
{
  ChildWatch *watch = user_data;
  DbtFunctionHost *host = watch->host;
  g_autoptr(GError) error = NULL;
  gboolean was_current;

  g_spawn_close_pid (pid);
  g_mutex_lock (&host->lock);
  host->unreaped--;
  was_current = host->pid == pid;
  if (was_current)
    host->pid = 0;
  g_mutex_unlock (&host->lock);
  if (!was_current)
    return;   /* killed on purpose; its invocation is already settled */

  g_spawn_check_wait_status (wait_status, &error);
  g_message ("%s: bootstrap (pid %d) exited: %s", host->function_name, pid,
             error != NULL ? error->message : "status 0");
  log_line (host, "RUNTIME EXITED: %s\n", error != NULL ? error->message : "status 0");
  dbt_runtime_server_fail_current (host->server, "Runtime.ExitError",
                                   error != NULL ? error->message : "the runtime exited");
}

static void
child_setup (gpointer user_data)
{
  setpgid (0, 0);
}

/* What a running process depends on: changing any of it needs a new one. */
static char *
configuration_signature (const DbtFunctionConfiguration *cfg)
{
  g_autoptr(GString) signature = g_string_new (NULL);
  g_autoptr(GList) names = g_hash_table_get_keys (cfg->environment);

  g_string_append_printf (signature, "%s|%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%s",
                          cfg->code_sha256, cfg->handler != NULL ? cfg->handler : "",
                          cfg->timeout, cfg->memory_size, cfg->runtime != NULL ? cfg->runtime : "");
  names = g_list_sort (names, (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    g_string_append_printf (signature, "|%s=%s", (char *) l->data,
                            (char *) g_hash_table_lookup (cfg->environment, l->data));
  return g_string_free (g_steal_pointer (&signature), FALSE);
}

static char **
lambda_environment (DbtFunctionHost                *host,
                    const DbtFunctionConfiguration *cfg,
                    const char                     *task_root)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *day = g_date_time_format (now, "%Y/%m/%d");
  g_autofree char *stream_id = g_uuid_string_random ();
  char **envp = NULL;
  GHashTableIter iter;
  gpointer name, value;

  g_hash_table_iter_init (&iter, cfg->environment);
  while (g_hash_table_iter_next (&iter, &name, &value))
    envp = g_environ_setenv (envp, name, value, TRUE);

  /* Lambda's own variables win over the function's (Lambda refuses
   * reserved names in the configuration anyway). */
#define SET(name, value) envp = g_environ_setenv (envp, name, value, TRUE)
  {
    g_autofree char *api = g_strdup_printf ("127.0.0.1:%u", dbt_runtime_server_get_port (host->server));
    g_autofree char *memory = g_strdup_printf ("%" G_GINT64_FORMAT, cfg->memory_size > 0 ? cfg->memory_size : 128);
    g_autofree char *log_group = g_strconcat ("/aws/lambda/", cfg->function_name, NULL);
    g_autofree char *log_stream = g_strdup_printf ("%s/[$LATEST]%.8s%.4s%.4s%.4s%.12s", day,
                                                   stream_id, stream_id + 9, stream_id + 14,
                                                   stream_id + 19, stream_id + 24);
    g_autofree char *execution_env = g_strconcat ("AWS_Lambda_", cfg->runtime != NULL ? cfg->runtime : "provided.al2023", NULL);
    g_autofree char *library_path = g_strdup_printf ("%s:%s/lib", task_root, task_root);

    SET ("AWS_LAMBDA_RUNTIME_API", api);
    SET ("AWS_LAMBDA_FUNCTION_NAME", cfg->function_name);
    SET ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", memory);
    SET ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    SET ("AWS_LAMBDA_LOG_GROUP_NAME", log_group);
    SET ("AWS_LAMBDA_LOG_STREAM_NAME", log_stream);
    SET ("AWS_EXECUTION_ENV", execution_env);
    SET ("LAMBDA_TASK_ROOT", task_root);
    SET ("_HANDLER", cfg->handler != NULL ? cfg->handler : "bootstrap");
    SET ("AWS_REGION", host->config->region);
    SET ("AWS_DEFAULT_REGION", host->config->region);
    SET ("AWS_ACCESS_KEY_ID", host->config->access_key_id);
    SET ("AWS_SECRET_ACCESS_KEY", host->config->secret_access_key);
    SET ("AWS_ENDPOINT_URL", host->config->endpoint_url);
    SET ("TZ", ":UTC");
    SET ("LANG", "en_US.UTF-8");
    SET ("PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin");
    SET ("LD_LIBRARY_PATH", library_path);
  }
#undef SET
  return envp;
}

/* With host->lock held. */
static gboolean
open_log (DbtFunctionHost *host,
          const char      *function_name,
          GError         **error)
{
  g_autofree char *dir = g_build_filename (host->config->stack_dir, "logs", NULL);
  g_autofree char *path = NULL;

  if (host->log_fd >= 0 && g_strcmp0 (host->function_name, function_name) == 0)
    return TRUE;
  if (host->log_fd >= 0)
    close (host->log_fd);
  g_free (host->function_name);
  host->function_name = g_strdup (function_name);
  g_mkdir_with_parents (dir, 0755);
  path = g_strdup_printf ("%s/%s.log", dir, function_name);
  host->log_fd = g_open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (host->log_fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot open %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* With host->lock held. */
static gboolean
start_process (DbtFunctionHost                *host,
               const DbtFunctionConfiguration *cfg,
               const char                     *task_root,
               GError                        **error)
{
  g_autofree char *bootstrap = g_build_filename (task_root, "bootstrap", NULL);
  const char *argv[] = { bootstrap, NULL };
  g_auto(GStrv) envp = lambda_environment (host, cfg, task_root);
  int null_fd;
  GPid pid = 0;
  gboolean ok;
  ChildWatch *watch;

  if (!g_file_test (bootstrap, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   "the code of %s has no bootstrap file at its root", cfg->function_name);
      return FALSE;
    }
  null_fd = g_open ("/dev/null", O_RDONLY | O_CLOEXEC, 0);
  dbt_runtime_server_reset (host->server);
  ok = g_spawn_async_with_fds (task_root, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD,
                               child_setup, NULL, &pid, null_fd, host->log_fd, host->log_fd, error);
  if (null_fd >= 0)
    close (null_fd);
  if (!ok)
    return FALSE;
  host->pid = pid;
  host->unreaped++;
  watch = g_new0 (ChildWatch, 1);
  watch->host = dbt_function_host_ref (host);
  watch->pid = pid;
  g_child_watch_add_full (G_PRIORITY_DEFAULT, pid, on_child_exit, watch, child_watch_free);
  g_message ("%s: started bootstrap (pid %d) from %s", cfg->function_name, pid, task_root);
  return TRUE;
}

/* Makes sure a process for @cfg runs. */
static gboolean
prepare (DbtFunctionHost                *host,
         const DbtFunctionConfiguration *cfg,
         const char                     *code_bucket,
         GCancellable                   *cancellable,
         GError                        **error)
{
  g_autofree char *signature = configuration_signature (cfg);
  g_autofree char *cache_dir = NULL;
  g_autofree char *task_root = NULL;
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = NULL;

  {
    g_autoptr(GMutexLocker) check G_GNUC_UNUSED = g_mutex_locker_new (&host->lock);

    if (host->pid != 0 && g_strcmp0 (host->signature, signature) == 0)
      return TRUE;
    if (host->pid != 0)
      {
        g_message ("%s: configuration changed (CodeSha256 %s); replacing the runtime",
                   cfg->function_name, cfg->code_sha256);
        kill_process (host);
      }
  }

  if (code_bucket == NULL || *code_bucket == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "no code bucket known (terraform output code_bucket) to fetch %s's code from",
                   cfg->function_name);
      return FALSE;
    }
  cache_dir = g_build_filename (host->config->stack_dir, "code", NULL);
  task_root = dbt_code_cache_resolve (host->client, code_bucket, cfg->code_sha256, cache_dir,
                                      cancellable, error);
  if (task_root == NULL)
    return FALSE;

  locker = g_mutex_locker_new (&host->lock);
  if (!open_log (host, cfg->function_name, error) ||
      !start_process (host, cfg, task_root, error))
    return FALSE;
  g_free (host->signature);
  host->signature = g_steal_pointer (&signature);
  return TRUE;
}

DbtInvocationResult *
dbt_function_host_invoke (DbtFunctionHost *host,
                          const char      *code_bucket,
                          GBytes          *event,
                          GCancellable    *cancellable,
                          GError         **error)
{
  g_autoptr(GMutexLocker) invoke_locker G_GNUC_UNUSED = g_mutex_locker_new (&host->invoke_lock);
  g_autoptr(DbtFunctionConfiguration) cfg = NULL;
  g_autofree char *request_id = NULL;
  DbtInvocationResult *result;
  guint timeout_ms;

  cfg = dbt_lambda_get_function_configuration (host->client, host->function_arn, cancellable, error);
  if (cfg == NULL || !prepare (host, cfg, code_bucket, cancellable, error))
    return NULL;

  timeout_ms = (guint) (cfg->timeout > 0 ? cfg->timeout : 3) * 1000;
  request_id = g_uuid_string_random ();
  g_mutex_lock (&host->lock);
  log_line (host, "START RequestId: %s Version: $LATEST\n", request_id);
  g_mutex_unlock (&host->lock);
  result = dbt_runtime_server_invoke (host->server, request_id, event, timeout_ms,
                                      MAX (INIT_TIMEOUT_MS, timeout_ms), cancellable);

  g_mutex_lock (&host->lock);
  if (result->status != DBT_INVOCATION_SUCCEEDED)
    log_line (host, "%s RequestId: %s Error: %s %s\n",
              result->status == DBT_INVOCATION_TIMED_OUT ? "TIMEOUT" : "ERROR",
              result->request_id, result->error_type, result->error_message);
  log_line (host, "END RequestId: %s\n", result->request_id);
  log_line (host, "REPORT RequestId: %s\tDuration: %" G_GINT64_FORMAT " ms\tMemory Size: %" G_GINT64_FORMAT " MB\n",
            result->request_id, result->duration_ms, cfg->memory_size);
  /* Lambda discards an environment whose invocation timed out or whose
   * runtime failed to start; the next invocation gets a fresh one. */
  if (result->status == DBT_INVOCATION_TIMED_OUT || result->init_failed)
    kill_process (host);
  g_mutex_unlock (&host->lock);
  return result;
}
