/* bench-handler.c — the handler's pipeline on one stream batch, timed.
 *
 *   bench-handler EVENT_JSON WARMUP_JSON [--pure-iterations N]
 *
 * What dbtrigger-handler does per invocation, without the Runtime API:
 * dbt_stream_event_parse() → dbt_processor_run() → dbt_delivery_run()
 * through the real AWS sink (handler/dbt-sink-aws.h: the notification log
 * in DynamoDB, SNS PublishBatch). The configuration and the AWS endpoint
 * come from the environment, as in the handler (TOPIC_ARN, LOG_TABLE,
 * AWS_ENDPOINT_URL... of a local stack; bench-handler.py sets them).
 *
 * WARMUP_JSON goes through the whole pipeline first and is not measured:
 * the figures are those of a warm function (connections open). Then:
 *
 *   pure      parse + process + digest of EVENT_JSON, no network, N times
 *             (median CPU)
 *   delivery  EVENT_JSON from its text to the last SENT mark, once
 *
 * CPU is getrusage (RUSAGE_SELF), this process only: the local stack's
 * server runs in another one. Requests are counted, not inferred: every
 * sink call is wrapped and adds the HTTP attempts its client call made
 * (dbt_aws_client_get_last_attempts(), retries included).
 *
 * Prints one JSON object on stdout. Exit 0 unless the pipeline could not
 * run at all; a benchmark reports, it does not judge.
 */
#include <stdlib.h>
#include <sys/resource.h>

#include "dbt-aws-client.h"
#include "dbt-batch-stats.h"
#include "dbt-credentials.h"
#include "dbt-delivery.h"
#include "dbt-digest.h"
#include "dbt-handler-config.h"
#include "dbt-processor.h"
#include "dbt-sink-aws.h"
#include "dbt-stream-record.h"

/* Counts what the delivery planner asks of the real sink. */
typedef struct
{
  DbtDeliverySink inner;
  DbtAwsClient   *client;
  guint           publish_requests;   /* PublishBatch HTTP requests */
  guint           publish_entries;    /* messages in them */
  guint           log_requests;       /* DynamoDB HTTP requests of the log */
  guint           claims_not_acquired;
} CountingSink;

static gboolean
counting_claim (gpointer               user_data,
                const char            *log_key,
                const DbtNotification *notification,
                gint64                 now_ms,
                gint64                 expires_at_s,
                DbtClaimOutcome       *outcome,
                gint64                *claimed_at_ms,
                GError               **error)
{
  CountingSink *self = user_data;
  gboolean ok = self->inner.claim (self->inner.user_data, log_key, notification, now_ms,
                                   expires_at_s, outcome, claimed_at_ms, error);

  self->log_requests += dbt_aws_client_get_last_attempts (self->client);
  /* A failed condition is a PutItem and then a GetItem; only the last
   * call's attempts are known, so the PutItem is added here. */
  if (ok && *outcome != DBT_CLAIM_ACQUIRED)
    {
      self->claims_not_acquired++;
      self->log_requests++;
    }
  return ok;
}

static gboolean
counting_reclaim (gpointer     user_data,
                  const char  *log_key,
                  gint64       stale_claimed_at_ms,
                  gint64       now_ms,
                  GError     **error)
{
  CountingSink *self = user_data;
  gboolean ok = self->inner.reclaim (self->inner.user_data, log_key, stale_claimed_at_ms,
                                     now_ms, error);

  self->log_requests += dbt_aws_client_get_last_attempts (self->client);
  return ok;
}

static void
counting_publish_batch (gpointer           user_data,
                        DbtMessage *const *messages,
                        guint              n_messages,
                        DbtPublishResult  *results)
{
  CountingSink *self = user_data;

  self->inner.publish_batch (self->inner.user_data, messages, n_messages, results);
  self->publish_requests += dbt_aws_client_get_last_attempts (self->client);
  self->publish_entries += n_messages;
}

static gboolean
counting_mark_sent (gpointer     user_data,
                    const char  *log_key,
                    gint64       claimed_at_ms,
                    const char  *message_id,
                    gint64       sent_at_ms,
                    GError     **error)
{
  CountingSink *self = user_data;
  gboolean ok = self->inner.mark_sent (self->inner.user_data, log_key, claimed_at_ms,
                                       message_id, sent_at_ms, error);

  self->log_requests += dbt_aws_client_get_last_attempts (self->client);
  return ok;
}

static gboolean
counting_release (gpointer     user_data,
                  const char  *log_key,
                  gint64       claimed_at_ms,
                  GError     **error)
{
  CountingSink *self = user_data;
  gboolean ok = self->inner.release (self->inner.user_data, log_key, claimed_at_ms, error);

  self->log_requests += dbt_aws_client_get_last_attempts (self->client);
  return ok;
}

static gint64
counting_now_ms (gpointer user_data)
{
  CountingSink *self = user_data;

  return self->inner.now_ms (self->inner.user_data);
}

static void
counting_sink_wrap (CountingSink    *self,
                    DbtDeliverySink *sink)
{
  sink->claim = counting_claim;
  sink->reclaim = counting_reclaim;
  sink->publish_batch = counting_publish_batch;
  sink->mark_sent = counting_mark_sent;
  sink->release = counting_release;
  sink->now_ms = self->inner.now_ms != NULL ? counting_now_ms : NULL;
  sink->user_data = self;
}

/* CPU time of this process (every thread) so far, microseconds. */
typedef struct
{
  gint64 user_us;
  gint64 system_us;
} CpuTime;

static CpuTime
cpu_time_now (void)
{
  struct rusage usage;
  CpuTime now;

  getrusage (RUSAGE_SELF, &usage);
  now.user_us = (gint64) usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec;
  now.system_us = (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
  return now;
}

static gint64
cpu_now_us (void)
{
  CpuTime now = cpu_time_now ();

  return now.user_us + now.system_us;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* The median of @samples (gint64), which it sorts. */
static gint64
median (GArray *samples)
{
  guint n = samples->len;

  g_array_sort (samples, compare_gint64);
  if (n % 2 == 1)
    return g_array_index (samples, gint64, n / 2);
  return (g_array_index (samples, gint64, n / 2 - 1) + g_array_index (samples, gint64, n / 2)) / 2;
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

typedef struct
{
  guint  records;
  guint  notifications;
  guint  messages;
  gint64 parse_cpu_us;
  gint64 process_cpu_us;
  gint64 digest_cpu_us;
} PureRun;

/* Parse + process + digest: everything before the first request, each
 * stage timed (freeing what a stage built counts to the whole only). */
static gboolean
run_pure (const DbtHandlerConfig *config,
          GBytes                 *event,
          PureRun                *run,
          GError                **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) notifications = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  DbtBatchStats stats = { 0 };
  gsize len = 0;
  const char *text = g_bytes_get_data (event, &len);
  gint64 t0, t1, t2, t3;

  t0 = cpu_now_us ();
  records = dbt_stream_event_parse (text, (gssize) len, error);
  if (records == NULL)
    return FALSE;
  t1 = cpu_now_us ();
  notifications = dbt_processor_run (config, records, &stats);
  t2 = cpu_now_us ();
  messages = dbt_digest_build (notifications, DBT_MESSAGE_MAX_BYTES);
  t3 = cpu_now_us ();

  run->records = records->len;
  run->notifications = notifications->len;
  run->messages = messages->len;
  run->parse_cpu_us = t1 - t0;
  run->process_cpu_us = t2 - t1;
  run->digest_cpu_us = t3 - t2;
  return TRUE;
}

/* The handler's invocation: parse, process, deliver through @sink. */
static gboolean
run_delivery (const DbtHandlerConfig   *config,
              const DbtDeliveryOptions *options,
              DbtSinkAws               *sink_aws,
              const DbtDeliverySink    *sink,
              GBytes                   *event,
              DbtBatchStats            *stats,
              GError                  **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) notifications = NULL;
  g_autoptr(DbtDeliveryResult) result = NULL;
  gsize len = 0;
  const char *text = g_bytes_get_data (event, &len);

  records = dbt_stream_event_parse (text, (gssize) len, error);
  if (records == NULL)
    return FALSE;
  notifications = dbt_processor_run (config, records, stats);
  dbt_sink_aws_begin (sink_aws, 0, 0);
  result = dbt_delivery_run (options, notifications, sink, stats);
  return TRUE;
}

static GBytes *
read_file (const char  *path,
           GError     **error)
{
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  return g_bytes_new_take (contents, len);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DbtHandlerConfig) config = NULL;
  g_autoptr(DbtAwsConfig) aws_config = NULL;
  g_autoptr(DbtAwsClient) client = NULL;
  g_autoptr(DbtSinkAws) sink_aws = NULL;
  g_autoptr(GBytes) event = NULL;
  g_autoptr(GBytes) warmup = NULL;
  g_autoptr(GArray) pure_cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) parse_cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) process_cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) digest_cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *output = NULL;
  DbtAwsConfigOptions aws_options = { 0 };
  DbtDeliveryOptions options;
  DbtBatchStats warmup_stats = { 0 };
  DbtBatchStats stats = { 0 };
  DbtDeliverySink sink;
  CountingSink counting = { 0 };
  PureRun pure = { 0 };
  gint pure_iterations = 10;
  CpuTime cpu_start, cpu_end;
  gint64 wall_start, wall_us;
  GOptionEntry entries[] = {
    { "pure-iterations", 0, 0, G_OPTION_ARG_INT, &pure_iterations,
      "Times the pure part is run (median reported)", "N" },
    { NULL }
  };

  context = g_option_context_new ("EVENT_JSON WARMUP_JSON");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-handler: %s\n", error->message);
      return 2;
    }
  if (argc != 3 || pure_iterations < 1)
    {
      g_printerr ("usage: bench-handler EVENT_JSON WARMUP_JSON [--pure-iterations N]\n");
      return 2;
    }

  event = read_file (argv[1], &error);
  if (event != NULL)
    warmup = read_file (argv[2], &error);
  if (warmup != NULL)
    config = dbt_handler_config_new_from_environ (envp, &error);
  aws_options.environ = envp;
  if (config != NULL)
    aws_config = dbt_aws_config_load (&aws_options, &error);
  if (aws_config == NULL)
    {
      g_printerr ("bench-handler: %s\n", error->message);
      return 1;
    }

  /* The handler's init. */
  client = dbt_aws_client_new (aws_config);
  sink_aws = dbt_sink_aws_new (client, config);
  dbt_delivery_options_init (&options, config);
  dbt_sink_aws_get_sink (sink_aws, &counting.inner);
  counting.client = client;
  counting_sink_wrap (&counting, &sink);

  if (!run_delivery (config, &options, sink_aws, &sink, warmup, &warmup_stats, &error))
    {
      g_printerr ("bench-handler: warm-up: %s\n", error->message);
      return 1;
    }

  for (gint i = 0; i < pure_iterations; i++)
    {
      gint64 start = cpu_now_us ();
      gint64 spent;

      if (!run_pure (config, event, &pure, &error))
        {
          g_printerr ("bench-handler: %s\n", error->message);
          return 1;
        }
      spent = cpu_now_us () - start;
      g_array_append_val (pure_cpu, spent);
      g_array_append_val (parse_cpu, pure.parse_cpu_us);
      g_array_append_val (process_cpu, pure.process_cpu_us);
      g_array_append_val (digest_cpu, pure.digest_cpu_us);
    }

  counting.publish_requests = 0;
  counting.publish_entries = 0;
  counting.log_requests = 0;
  counting.claims_not_acquired = 0;
  cpu_start = cpu_time_now ();
  wall_start = g_get_monotonic_time ();
  if (!run_delivery (config, &options, sink_aws, &sink, event, &stats, &error))
    {
      g_printerr ("bench-handler: %s\n", error->message);
      return 1;
    }
  wall_us = g_get_monotonic_time () - wall_start;
  cpu_end = cpu_time_now ();

  json_builder_begin_object (builder);
  add_int (builder, "records", stats.records);
  add_int (builder, "notifications", pure.notifications);
  add_int (builder, "messages", pure.messages);
  add_int (builder, "published", stats.notified);
  add_int (builder, "warmup_published", warmup_stats.notified);
  add_int (builder, "changes_delivered", stats.changes_delivered);
  add_int (builder, "failed", stats.failed);
  add_int (builder, "duplicates", stats.duplicates);
  add_int (builder, "cpu_us", (cpu_end.user_us - cpu_start.user_us) +
                              (cpu_end.system_us - cpu_start.system_us));
  add_int (builder, "cpu_user_us", cpu_end.user_us - cpu_start.user_us);
  add_int (builder, "cpu_system_us", cpu_end.system_us - cpu_start.system_us);
  add_int (builder, "wall_us", wall_us);
  add_int (builder, "sns_requests", counting.publish_requests);
  add_int (builder, "sns_entries", counting.publish_entries);
  add_int (builder, "dynamodb_requests", counting.log_requests);
  add_int (builder, "claims_not_acquired", counting.claims_not_acquired);
  add_int (builder, "pure_iterations", pure_cpu->len);
  add_int (builder, "pure_cpu_us", median (pure_cpu));
  add_int (builder, "pure_parse_cpu_us", median (parse_cpu));
  add_int (builder, "pure_process_cpu_us", median (process_cpu));
  add_int (builder, "pure_digest_cpu_us", median (digest_cpu));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  output = json_to_string (root, FALSE);
  g_print ("%s\n", output);
  return 0;
}
