/* dbt-handler-main.c — dbtrigger-handler, the Lambda function.
 *
 * Started by `bootstrap` (through the bundled dynamic loader) as a custom
 * runtime. Init: the configuration from the function's environment, the AWS
 * configuration from the Lambda environment (AWS_REGION, the role's
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, and
 * AWS_ENDPOINT_URL[_<SERVICE>] overrides for the local stack), one AWS client
 * and one sink for the life of the process. A failure there is posted to
 * init/error and the process exits 1.
 *
 * Then, per invocation: next → parse the stream event → processor →
 * delivery through the AWS sink → {"batchItemFailures":[...]}. An event that
 * does not parse is an invocation error (Lambda retries the batch, then
 * bisects it down to the bad record and hands that to the failed-batches
 * queue): nothing is dropped silently. Each invocation prints one JSON log
 * line and one CloudWatch EMF document to stdout; neither carries item
 * contents, keys, owner ids or secrets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbt-aws-client.h"
#include "dbt-batch-stats.h"
#include "dbt-credentials.h"
#include "dbt-delivery.h"
#include "dbt-handler-config.h"
#include "dbt-processor.h"
#include "dbt-runtime.h"
#include "dbt-sink-aws.h"
#include "dbt-stream-record.h"

/* Consecutive failures of next before giving up (aws-lambda-cpp's count). */
#define MAX_NEXT_FAILURES 3

/* Environment variable tuning the deadline reserve (milliseconds). */
#define RESERVE_VARIABLE "DBT_DEADLINE_RESERVE_MS"

typedef struct
{
  char             **envp;
  DbtRuntime        *runtime;
  DbtHandlerConfig  *config;
  DbtAwsClient      *client;
  DbtSinkAws        *sink;
  DbtDeliveryOptions options;
  char              *function_name;
  gint64             reserve_ms;
} Handler;

static void
handler_clear (Handler *self)
{
  g_clear_pointer (&self->sink, dbt_sink_aws_free);
  g_clear_pointer (&self->client, dbt_aws_client_unref);
  g_clear_pointer (&self->config, dbt_handler_config_free);
  g_clear_pointer (&self->runtime, dbt_runtime_free);
  g_clear_pointer (&self->function_name, g_free);
  g_clear_pointer (&self->envp, g_strfreev);
}

/* One line to stdout, flushed: Lambda turns each line into a log event. */
static void
emit_line (const char *line)
{
  fputs (line, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

/* {"level":LEVEL,"message":MESSAGE,"requestId":ID,"error":ERROR} */
static void
log_event (const char *level,
           const char *message,
           const char *request_id,
           const char *error_message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "level");
  json_builder_add_string_value (builder, level);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  if (request_id != NULL)
    {
      json_builder_set_member_name (builder, "requestId");
      json_builder_add_string_value (builder, request_id);
    }
  if (error_message != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error_message);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  line = json_to_string (root, FALSE);
  emit_line (line);
}

/* Init failed: say so on stderr and stdout, tell Lambda, exit 1. */
G_GNUC_NORETURN static void
fail_init (Handler    *self,
           const char *error_type,
           const char *message)
{
  g_autoptr(GError) error = NULL;

  g_printerr ("dbtrigger-handler: %s\n", message);
  log_event ("ERROR", "init failed", NULL, message);
  if (self->runtime != NULL &&
      !dbt_runtime_report_init_error (self->runtime, error_type, message, &error))
    g_printerr ("dbtrigger-handler: could not report the init error: %s\n", error->message);
  handler_clear (self);
  exit (1);
}

static gint64
read_reserve (char **envp)
{
  const char *text = g_environ_getenv (envp, RESERVE_VARIABLE);
  guint64 value = 0;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 0, 600000, &value, NULL))
    return (gint64) value;
  return DBT_SINK_AWS_DEFAULT_RESERVE_MS;
}

static void
handler_init (Handler *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) aws_config = NULL;
  DbtAwsConfigOptions aws_options = { 0 };

  self->envp = g_get_environ ();

  self->runtime = dbt_runtime_new_from_environ (self->envp, &error);
  if (self->runtime == NULL)
    fail_init (self, "Runtime.NoRuntimeApi", error->message);

  self->config = dbt_handler_config_new_from_environ (self->envp, &error);
  if (self->config == NULL)
    fail_init (self, "Runtime.ConfigError", error->message);

  /* The environment given, not the files of a home folder: Lambda has no
   * profile, and the local stack sets the same variables. */
  aws_options.environ = self->envp;
  aws_config = dbt_aws_config_load (&aws_options, &error);
  if (aws_config == NULL)
    {
      g_autofree char *message = g_strdup_printf ("AWS configuration: %s", error->message);

      fail_init (self, "Runtime.AwsConfigError", message);
    }

  self->client = dbt_aws_client_new (aws_config);
  self->sink = dbt_sink_aws_new (self->client, self->config);
  dbt_delivery_options_init (&self->options, self->config);
  self->function_name = g_strdup (g_environ_getenv (self->envp, "AWS_LAMBDA_FUNCTION_NAME"));
  if (self->function_name == NULL)
    self->function_name = g_strdup ("dbtrigger-handler");
  self->reserve_ms = read_reserve (self->envp);
}

static void
report_invocation_error (Handler    *self,
                         const char *request_id,
                         const char *error_type,
                         const char *message)
{
  g_autoptr(GError) error = NULL;

  log_event ("ERROR", "invocation failed", request_id, message);
  if (!dbt_runtime_report_error (self->runtime, request_id, error_type, message, &error))
    log_event ("ERROR", "could not report the invocation error", request_id, error->message);
}

static void
handle (Handler       *self,
        DbtInvocation *invocation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) notifications = NULL;
  g_autoptr(DbtDeliveryResult) result = NULL;
  g_autofree char *response = NULL;
  g_autofree char *log_line = NULL;
  g_autofree char *emf = NULL;
  DbtBatchStats stats = { 0 };
  DbtDeliverySink sink;
  gint64 started = g_get_monotonic_time ();
  gint64 duration_ms;
  gsize len = 0;
  const char *event = g_bytes_get_data (invocation->event, &len);

  records = dbt_stream_event_parse (event != NULL ? event : "", (gssize) len, &error);
  if (records == NULL)
    {
      g_autofree char *message = g_strdup_printf ("the event is not a DynamoDB stream batch: %s",
                                                  error->message);

      report_invocation_error (self, invocation->request_id, "Runtime.InvalidEvent", message);
      return;
    }

  notifications = dbt_processor_run (self->config, records, &stats);
  dbt_sink_aws_begin (self->sink, invocation->deadline_ms, self->reserve_ms);
  dbt_sink_aws_get_sink (self->sink, &sink);
  result = dbt_delivery_run (&self->options, notifications, &sink, &stats);
  if (dbt_sink_aws_get_deadline_refusals (self->sink) > 0)
    log_event ("WARN", "deadline near: records left for the retry", invocation->request_id, NULL);

  response = dbt_batch_response_render (result->first_failed_sequence_number);
  duration_ms = (g_get_monotonic_time () - started) / 1000;

  log_line = dbt_batch_stats_to_log_line (&stats, invocation->request_id, duration_ms);
  emit_line (log_line);
  emf = dbt_batch_stats_to_emf (&stats, self->function_name, invocation->request_id,
                                g_get_real_time () / 1000, duration_ms);
  emit_line (emf);

  if (!dbt_runtime_respond (self->runtime, invocation->request_id, response, strlen (response), &error))
    log_event ("ERROR", "could not post the response", invocation->request_id, error->message);
}

int
main (int    argc,
      char **argv)
{
  Handler self = { 0 };
  guint next_failures = 0;

  handler_init (&self);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DbtInvocation) invocation = dbt_runtime_next (self.runtime, &error);

      if (invocation == NULL)
        {
          /* A 5xx is the Runtime API's "container error": exit at once. */
          gboolean fatal = g_error_matches (error, DBT_AWS_ERROR, DBT_AWS_ERROR_SERVER) ||
                           ++next_failures >= MAX_NEXT_FAILURES;

          log_event ("ERROR", "could not get the next invocation", NULL, error->message);
          if (fatal)
            break;
          continue;
        }
      next_failures = 0;
      handle (&self, invocation);
    }

  handler_clear (&self);
  return 1;
}
