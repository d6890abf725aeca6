/* dbt-mapping-runner.c — Lambda's stream poller for one mapping. */
#include "dbt-mapping-runner.h"

#include <json-glib/json-glib.h>
#include "dbt-error.h"
#include "dbt-failure-record.h"
#include "dbt-retry-policy.h"
#include "dbt-shard-poller.h"
#include "dbt-sns.h"
#include "dbt-sqs.h"
#include "dbt-streams.h"

/* Lambda's limit on a synchronous invocation's event. */
#define MAX_EVENT_BYTES (6 * 1024 * 1024)
/* How often the shards are listed again. */
#define SHARD_REFRESH_MS 5000
/* Pause after a failure to reach AWS (nothing ran; not a retry). */
#define TRANSIENT_PAUSE_MS 1000

typedef struct _ShardWorker ShardWorker;

struct _DbtMappingRunner
{
  DbtLocalContext      *context;
  DbtFunctionHost      *host;
  char                 *signature;
  char                 *uuid;
  char                 *stream_arn;
  char                 *function_arn;
  char                 *region;
  DbtShardIteratorType  start;
  guint                 batch_size;
  guint                 window_ms;
  gint64                maximum_record_age_seconds;
  DbtRetrySettings      settings;
  char                 *destination_arn;

  GCancellable         *cancellable;
  GThread              *coordinator;
  GMutex                lock;
  GCond                 cond;
  GHashTable           *workers;          /* shard id → ShardWorker* */
  char                 *destination_url;  /* SQS queue URL, once looked up */
  gboolean              done;
};

struct _ShardWorker
{
  DbtMappingRunner     *runner;
  char                 *shard_id;
  DbtShardIteratorType  start;
  GThread              *thread;
  gboolean              ended;            /* guarded by runner->lock */
};

char *
dbt_mapping_signature (const DbtEventSourceMapping *mapping)
{
  g_autofree char *types = g_strjoinv (",", mapping->function_response_types);

  return g_strdup_printf ("%s|%s|%s|%s|%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%d|%" G_GINT64_FORMAT
                          "|%" G_GINT64_FORMAT "|%s|%s",
                          mapping->uuid, mapping->function_arn, mapping->event_source_arn,
                          mapping->state, mapping->starting_position != NULL ? mapping->starting_position : "",
                          mapping->batch_size, mapping->maximum_batching_window_seconds,
                          mapping->bisect_batch_on_function_error, mapping->maximum_retry_attempts,
                          mapping->maximum_record_age_seconds, types,
                          mapping->on_failure_destination != NULL ? mapping->on_failure_destination : "");
}

static void
shard_worker_free (gpointer data)
{
  ShardWorker *worker = data;

  if (worker->thread != NULL)
    g_thread_join (worker->thread);
  g_free (worker->shard_id);
  g_free (worker);
}

/* --- the event and the destination ------------------------------------ */

/* {"Records":[...]} of the first records of @buffer that fit in
 * MAX_EVENT_BYTES (at least one), at most @n; *@n_included says how many. */
static GBytes *
build_event (GPtrArray *buffer,
             guint      n,
             guint     *n_included)
{
  GString *event = g_string_new ("{\"Records\":[");
  guint i;

  for (i = 0; i < n && i < buffer->len; i++)
    {
      g_autoptr(JsonNode) node = dbt_stream_record_to_json (g_ptr_array_index (buffer, i));
      g_autofree char *json = json_to_string (node, FALSE);
      gsize len = strlen (json);

      if (i > 0 && event->len + len + 3 > MAX_EVENT_BYTES)
        break;
      if (i > 0)
        g_string_append_c (event, ',');
      g_string_append_len (event, json, len);
    }
  g_string_append (event, "]}");
  *n_included = i;
  return g_string_free_to_bytes (event);
}

static char *
queue_url_for (DbtMappingRunner *runner,
               GError          **error)
{
  g_auto(GStrv) parts = g_strsplit (runner->destination_arn, ":", 6);
  char *url;

  {
    g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&runner->lock);

    if (runner->destination_url != NULL)
      return g_strdup (runner->destination_url);
  }
  if (g_strv_length (parts) != 6)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "on-failure destination “%s” is not an ARN", runner->destination_arn);
      return NULL;
    }
  url = dbt_sqs_get_queue_url (runner->context->client, parts[5], runner->cancellable, error);
  if (url != NULL)
    {
      g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&runner->lock);

      g_free (runner->destination_url);
      runner->destination_url = g_strdup (url);
    }
  return url;
}

static gboolean
send_to_destination (DbtMappingRunner *runner,
                     const char       *message,
                     GError          **error)
{
  if (g_str_has_prefix (runner->destination_arn, "arn:aws:sns:"))
    {
      DbtSnsMessage sns_message = { .message = message };
      g_autofree char *id = dbt_sns_publish (runner->context->client, runner->destination_arn,
                                             &sns_message, runner->cancellable, error);

      return id != NULL;
    }
  else
    {
      g_autofree char *url = queue_url_for (runner, error);
      g_autofree char *id = NULL;

      if (url == NULL)
        return FALSE;
      id = dbt_sqs_send_message (runner->context->client, url, message, NULL, 0, 0,
                                 runner->cancellable, error);
      return id != NULL;
    }
}

typedef struct
{
  const char *condition;
  const char *request_id;
  guint       invoke_count;
  guint       status_code;
  const char *function_error;
} GiveUp;

static void
checkpoint (ShardWorker     *worker,
            DbtStreamRecord *last_done)
{
  g_autoptr(GError) error = NULL;

  if (!dbt_checkpoints_set (worker->runner->context->checkpoints, worker->runner->uuid,
                            worker->shard_id, last_done->sequence_number, &error))
    g_warning ("cannot save the checkpoint of shard %s: %s", worker->shard_id, error->message);
}

/* Hands the first @n records to the on-failure destination (until that
 * works or the runner stops: FALSE), then checkpoints past them. */
static gboolean
give_up (ShardWorker  *worker,
         GPtrArray    *buffer,
         guint         n,
         const GiveUp *why)
{
  DbtMappingRunner *runner = worker->runner;
  DbtStreamRecord *first = g_ptr_array_index (buffer, 0);
  DbtStreamRecord *last = g_ptr_array_index (buffer, n - 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  DbtFailureRecord record = {
    .request_id = why->request_id,
    .function_arn = runner->function_arn,
    .condition = why->condition,
    .approximate_invoke_count = why->invoke_count,
    .status_code = why->status_code,
    .executed_version = "$LATEST",
    .function_error = why->function_error,
    .timestamp = now,
    .shard_id = worker->shard_id,
    .start_sequence_number = first->sequence_number,
    .end_sequence_number = last->sequence_number,
    .first_arrival_ms = first->approximate_creation_ms,
    .last_arrival_ms = last->approximate_creation_ms,
    .batch_size = n,
    .stream_arn = runner->stream_arn,
  };
  g_autofree char *message = dbt_failure_record_to_json (&record);

  g_message ("mapping %s, shard %s: giving up %u record(s) %s..%s (%s)", runner->uuid, worker->shard_id,
             n, first->sequence_number, last->sequence_number, why->condition);
  if (runner->destination_arn != NULL)
    {
      for (;;)
        {
          g_autoptr(GError) error = NULL;

          if (send_to_destination (runner, message, &error))
            break;
          if (g_cancellable_is_cancelled (runner->cancellable))
            return FALSE;
          g_warning ("mapping %s: cannot send to the on-failure destination %s: %s",
                     runner->uuid, runner->destination_arn, error->message);
          if (!dbt_local_sleep (TRANSIENT_PAUSE_MS, runner->cancellable))
            return FALSE;
        }
    }
  checkpoint (worker, last);
  g_ptr_array_remove_range (buffer, 0, n);
  return TRUE;
}

/* --- one shard ---------------------------------------------------------- */

/* Reads until a batch is ready: BatchSize records, or the window passed
 * with at least one, or the shard is drained. *@caught_up: in --once mode,
 * nothing is buffered and the stream has nothing new. FALSE: cancelled. */
static gboolean
fill (ShardWorker    *worker,
      DbtShardPoller *poller,
      GPtrArray      *buffer,
      gboolean       *caught_up)
{
  DbtMappingRunner *runner = worker->runner;
  gint64 window_start = 0;

  *caught_up = FALSE;
  while (buffer->len < runner->batch_size && !dbt_shard_poller_is_drained (poller))
    {
      g_autoptr(GError) error = NULL;
      gint n;

      if (buffer->len > 0)
        {
          gint64 now = g_get_monotonic_time ();

          if (window_start == 0)
            window_start = now;
          if (now - window_start >= (gint64) runner->window_ms * 1000)
            break;
        }
      n = dbt_shard_poller_poll (poller, buffer, runner->batch_size - buffer->len,
                                 runner->cancellable, &error);
      if (n < 0)
        {
          if (g_cancellable_is_cancelled (runner->cancellable))
            return FALSE;
          g_warning ("mapping %s, shard %s: GetRecords failed: %s", runner->uuid, worker->shard_id,
                     error->message);
          if (!dbt_local_sleep (TRANSIENT_PAUSE_MS, runner->cancellable))
            return FALSE;
          continue;
        }
      if (n == 0 && buffer->len == 0 && runner->context->once)
        {
          *caught_up = TRUE;
          return TRUE;
        }
    }
  return !g_cancellable_is_cancelled (runner->cancellable);
}

static guint
retry_pause_ms (guint retries)
{
  return MIN (2000, 100u << MIN (retries, 5u));
}

/* Invokes the first pending segment and applies the outcome. */
static void
run_segment (ShardWorker *worker,
             GPtrArray   *buffer,
             GArray      *segments)
{
  DbtMappingRunner *runner = worker->runner;
  DbtSegment segment = g_array_index (segments, DbtSegment, 0);
  g_autofree gint64 *created = g_new0 (gint64, segment.n_records);
  g_autofree const char **sequence_numbers = g_new0 (const char *, segment.n_records + 1);
  g_autoptr(DbtInvocationResult) result = NULL;
  g_autoptr(GBytes) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *first_seq = NULL;
  g_autofree char *bucket = NULL;
  DbtBatchOutcome outcome;
  DbtRetryDecision decision;
  guint n_expired;
  guint n_included;
  guint failed_index = 0;

  for (guint i = 0; i < segment.n_records; i++)
    {
      DbtStreamRecord *record = g_ptr_array_index (buffer, i);

      created[i] = record->approximate_creation_ms;
      sequence_numbers[i] = record->sequence_number;
    }

  n_expired = dbt_retry_count_expired (created, segment.n_records, runner->maximum_record_age_seconds,
                                       g_get_real_time () / 1000);
  if (n_expired > 0)
    {
      GiveUp why = { .condition = "RecordAgeExceeded", .invoke_count = segment.retries };

      if (!give_up (worker, buffer, n_expired, &why))
        return;
      g_array_index (segments, DbtSegment, 0).n_records -= n_expired;
      if (g_array_index (segments, DbtSegment, 0).n_records == 0)
        g_array_remove_index (segments, 0);
      return;
    }

  event = build_event (buffer, segment.n_records, &n_included);
  if (n_included < segment.n_records)
    {
      DbtSegment rest = { segment.n_records - n_included, segment.retries };

      segment.n_records = n_included;
      g_array_index (segments, DbtSegment, 0) = segment;
      g_array_insert_val (segments, 1, rest);
    }

  first_seq = g_strdup (sequence_numbers[0]);
  bucket = dbt_local_context_dup_output (runner->context, "code_bucket");
  result = dbt_function_host_invoke (runner->host, bucket, event, runner->cancellable, &error);
  if (result == NULL)
    {
      if (!g_cancellable_is_cancelled (runner->cancellable))
        {
          g_warning ("mapping %s: cannot invoke %s: %s", runner->uuid, runner->function_arn, error->message);
          dbt_local_sleep (TRANSIENT_PAUSE_MS, runner->cancellable);
        }
      return;
    }

  switch (result->status)
    {
    case DBT_INVOCATION_SUCCEEDED:
      {
        gsize len = 0;
        const char *body = result->payload != NULL ? g_bytes_get_data (result->payload, &len) : NULL;

        outcome = dbt_retry_read_response (&runner->settings, body, len, sequence_numbers,
                                           segment.n_records, &failed_index, &reason);
      }
      break;
    case DBT_INVOCATION_CANCELLED:
      return;
    case DBT_INVOCATION_FUNCTION_ERROR:
    case DBT_INVOCATION_TIMED_OUT:
    case DBT_INVOCATION_RUNTIME_EXITED:
    default:
      outcome = DBT_BATCH_FAILED;
      reason = g_strdup_printf ("%s: %s", result->error_type, result->error_message);
      break;
    }

  g_message ("mapping %s, shard %s: %u record(s) from %s (retry %u): %s%s%s", runner->uuid, worker->shard_id,
             segment.n_records, first_seq, segment.retries,
             outcome == DBT_BATCH_SUCCEEDED ? "succeeded"
               : outcome == DBT_BATCH_PARTIALLY_FAILED ? "partially failed" : "failed",
             reason != NULL ? ": " : "", reason != NULL ? reason : "");

  decision = dbt_retry_decide (&runner->settings, &segment, outcome, failed_index);
  if (decision.n_done > 0)
    {
      checkpoint (worker, g_ptr_array_index (buffer, decision.n_done - 1));
      g_ptr_array_remove_range (buffer, 0, decision.n_done);
    }
  if (decision.n_given_up > 0)
    {
      GiveUp why = {
        .condition = "RetryAttemptsExhausted",
        .request_id = result->request_id,
        .invoke_count = segment.retries + 1,
        .status_code = 200,
        .function_error = outcome == DBT_BATCH_FAILED ? "Unhandled" : NULL,
      };

      if (!give_up (worker, buffer, decision.n_given_up, &why))
        {
          /* Stopped before the destination took it: leave the segment as
           * it is; a later run retries it. */
          g_array_index (segments, DbtSegment, 0).n_records = decision.n_given_up;
          return;
        }
    }
  g_array_remove_index (segments, 0);
  for (guint i = decision.n_retry; i > 0; i--)
    g_array_prepend_val (segments, decision.retry[i - 1]);

  /* Retries (not bisections) back off a little, as Lambda's do. */
  if (decision.n_retry == 1 && decision.retry[0].retries > segment.retries)
    dbt_local_sleep (retry_pause_ms (segment.retries), runner->cancellable);
}

static gpointer
shard_worker_thread (gpointer data)
{
  ShardWorker *worker = data;
  DbtMappingRunner *runner = worker->runner;
  g_autofree char *after = dbt_checkpoints_get (runner->context->checkpoints, runner->uuid, worker->shard_id);
  g_autoptr(DbtShardPoller) poller =
    dbt_shard_poller_new (runner->context->client, runner->stream_arn, runner->region,
                          worker->shard_id, worker->start, after);
  g_autoptr(GPtrArray) buffer = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_stream_record_free);
  g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (DbtSegment));

  g_debug ("mapping %s: reading shard %s %s %s", runner->uuid, worker->shard_id,
           after != NULL ? "after" : "from", after != NULL ? after : dbt_shard_iterator_type_to_string (worker->start));
  while (!g_cancellable_is_cancelled (runner->cancellable))
    {
      if (segments->len == 0)
        {
          gboolean caught_up;
          DbtSegment segment = { 0, 0 };

          if (!fill (worker, poller, buffer, &caught_up))
            break;
          if (buffer->len == 0)
            {
              if (dbt_shard_poller_is_drained (poller))
                {
                  g_autoptr(GError) error = NULL;

                  g_message ("mapping %s: shard %s is closed and done", runner->uuid, worker->shard_id);
                  if (!dbt_checkpoints_finish (runner->context->checkpoints, runner->uuid, worker->shard_id, &error))
                    g_warning ("cannot save the checkpoint of shard %s: %s", worker->shard_id, error->message);
                  break;
                }
              if (caught_up)
                break;
              continue;
            }
          segment.n_records = MIN (buffer->len, runner->batch_size);
          g_array_append_val (segments, segment);
        }
      run_segment (worker, buffer, segments);
    }

  g_mutex_lock (&runner->lock);
  worker->ended = TRUE;
  g_cond_broadcast (&runner->cond);
  g_mutex_unlock (&runner->lock);
  return NULL;
}

/* --- the shards of the stream ------------------------------------------ */

static gboolean
shard_listed (DbtStreamDescription *description,
              const char           *shard_id)
{
  for (guint i = 0; i < description->shards->len; i++)
    if (g_strcmp0 (((DbtShard *) g_ptr_array_index (description->shards, i))->shard_id, shard_id) == 0)
      return TRUE;
  return FALSE;
}

/* Starts workers for the shards that may go now; TRUE when none is
 * running or could start (for --once). */
static gboolean
start_ready_shards (DbtMappingRunner     *runner,
                    DbtStreamDescription *description)
{
  DbtCheckpoints *checkpoints = runner->context->checkpoints;
  gboolean idle = TRUE;
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&runner->lock);
  for (guint i = 0; i < description->shards->len; i++)
    {
      DbtShard *shard = g_ptr_array_index (description->shards, i);
      const char *parent = shard->parent_shard_id;
      gboolean parent_known;
      ShardWorker *worker;

      if (g_hash_table_contains (runner->workers, shard->shard_id) ||
          dbt_checkpoints_is_finished (checkpoints, runner->uuid, shard->shard_id))
        continue;
      parent_known = parent != NULL &&
                     (shard_listed (description, parent) ||
                      dbt_checkpoints_is_finished (checkpoints, runner->uuid, parent));
      if (parent_known && !dbt_checkpoints_is_finished (checkpoints, runner->uuid, parent))
        continue;   /* the parent's records first */

      worker = g_new0 (ShardWorker, 1);
      worker->runner = runner;
      worker->shard_id = g_strdup (shard->shard_id);
      /* A child of a shard we read starts at its beginning; the starting
       * position is for the shards open when the mapping began. */
      worker->start = parent_known ? DBT_SHARD_ITERATOR_TRIM_HORIZON : runner->start;
      g_hash_table_insert (runner->workers, worker->shard_id, worker);
      worker->thread = g_thread_new ("dbt-shard", shard_worker_thread, worker);
      idle = FALSE;
    }
  g_hash_table_iter_init (&iter, runner->workers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!((ShardWorker *) value)->ended)
      idle = FALSE;
  g_mutex_unlock (&runner->lock);
  return idle;
}

static gpointer
coordinator_thread (gpointer data)
{
  DbtMappingRunner *runner = data;

  while (!g_cancellable_is_cancelled (runner->cancellable))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DbtStreamDescription) description =
        dbt_streams_describe_stream_all (runner->context->client, runner->stream_arn,
                                         runner->cancellable, &error);
      gint64 deadline;

      if (description == NULL)
        {
          if (g_cancellable_is_cancelled (runner->cancellable))
            break;
          g_warning ("mapping %s: DescribeStream %s failed: %s", runner->uuid, runner->stream_arn,
                     error->message);
        }
      else if (start_ready_shards (runner, description) && runner->context->once)
        {
          g_mutex_lock (&runner->lock);
          runner->done = TRUE;
          g_mutex_unlock (&runner->lock);
          break;
        }

      /* Again in a while, or as soon as a worker ends (a parent finished). */
      deadline = g_get_monotonic_time () + SHARD_REFRESH_MS * 1000;
      g_mutex_lock (&runner->lock);
      for (;;)
        {
          GHashTableIter iter;
          gpointer value;
          gboolean any_ended = FALSE;

          g_hash_table_iter_init (&iter, runner->workers);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            any_ended |= ((ShardWorker *) value)->ended && ((ShardWorker *) value)->thread != NULL;
          if (any_ended || g_cancellable_is_cancelled (runner->cancellable))
            break;
          if (!g_cond_wait_until (&runner->cond, &runner->lock, MIN (deadline, g_get_monotonic_time () + 100 * 1000)) &&
              g_get_monotonic_time () >= deadline)
            break;
        }
      /* Join the ended workers; a shard that is not finished (--once,
       * caught up) stays listed so it is not read again. */
      {
        GHashTableIter iter;
        gpointer value;

        g_hash_table_iter_init (&iter, runner->workers);
        while (g_hash_table_iter_next (&iter, NULL, &value))
          {
            ShardWorker *worker = value;

            if (worker->ended && worker->thread != NULL)
              {
                gboolean finished;

                g_thread_join (worker->thread);
                worker->thread = NULL;
                finished = dbt_checkpoints_is_finished (runner->context->checkpoints, runner->uuid, worker->shard_id);
                if (!finished && !runner->context->once)
                  g_hash_table_iter_remove (&iter);   /* stopped early: start it again */
              }
          }
      }
      g_mutex_unlock (&runner->lock);
    }
  return NULL;
}

/* --- public ------------------------------------------------------------- */

DbtMappingRunner *
dbt_mapping_runner_start (DbtLocalContext             *context,
                          const DbtEventSourceMapping *mapping,
                          DbtFunctionHost             *host)
{
  DbtMappingRunner *runner = g_new0 (DbtMappingRunner, 1);
  g_auto(GStrv) arn = g_strsplit (mapping->event_source_arn, ":", 6);

  runner->context = context;
  runner->host = dbt_function_host_ref (host);
  runner->signature = dbt_mapping_signature (mapping);
  runner->uuid = g_strdup (mapping->uuid);
  runner->stream_arn = g_strdup (mapping->event_source_arn);
  runner->function_arn = g_strdup (mapping->function_arn);
  runner->region = g_strdup (g_strv_length (arn) >= 4 && *arn[3] != '\0' ? arn[3] : context->config->region);
  runner->start = g_strcmp0 (mapping->starting_position, "LATEST") == 0
                  ? DBT_SHARD_ITERATOR_LATEST : DBT_SHARD_ITERATOR_TRIM_HORIZON;
  runner->batch_size = mapping->batch_size > 0 ? (guint) MIN (mapping->batch_size, 10000) : 100;
  runner->window_ms = (guint) CLAMP (mapping->maximum_batching_window_seconds, 0, 300) * 1000;
  runner->maximum_record_age_seconds = mapping->maximum_record_age_seconds;
  runner->settings.bisect_on_function_error = mapping->bisect_batch_on_function_error;
  runner->settings.maximum_retry_attempts = mapping->maximum_retry_attempts;
  runner->settings.report_batch_item_failures =
    g_strv_contains ((const char *const *) mapping->function_response_types, "ReportBatchItemFailures");
  runner->destination_arn = g_strdup (mapping->on_failure_destination);
  runner->cancellable = g_cancellable_new ();
  g_mutex_init (&runner->lock);
  g_cond_init (&runner->cond);
  runner->workers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, shard_worker_free);

  g_message ("mapping %s: %s → %s (batch %u, window %u ms, retries %" G_GINT64_FORMAT
             ", record age %" G_GINT64_FORMAT " s, bisect %s, item failures %s, on failure %s)",
             runner->uuid, runner->stream_arn, runner->function_arn, runner->batch_size, runner->window_ms,
             runner->settings.maximum_retry_attempts, runner->maximum_record_age_seconds,
             runner->settings.bisect_on_function_error ? "yes" : "no",
             runner->settings.report_batch_item_failures ? "yes" : "no",
             runner->destination_arn != NULL ? runner->destination_arn : "none");
  runner->coordinator = g_thread_new ("dbt-mapping", coordinator_thread, runner);
  return runner;
}

void
dbt_mapping_runner_stop (DbtMappingRunner *runner)
{
  g_cancellable_cancel (runner->cancellable);
  g_mutex_lock (&runner->lock);
  g_cond_broadcast (&runner->cond);
  g_mutex_unlock (&runner->lock);
  if (runner->coordinator != NULL)
    g_thread_join (g_steal_pointer (&runner->coordinator));
  /* Joins every worker. */
  g_hash_table_remove_all (runner->workers);
}

void
dbt_mapping_runner_free (DbtMappingRunner *runner)
{
  if (runner == NULL)
    return;
  dbt_mapping_runner_stop (runner);
  g_hash_table_unref (runner->workers);
  dbt_function_host_unref (runner->host);
  g_object_unref (runner->cancellable);
  g_mutex_clear (&runner->lock);
  g_cond_clear (&runner->cond);
  g_free (runner->signature);
  g_free (runner->uuid);
  g_free (runner->stream_arn);
  g_free (runner->function_arn);
  g_free (runner->region);
  g_free (runner->destination_arn);
  g_free (runner->destination_url);
  g_free (runner);
}

const char *
dbt_mapping_runner_get_signature (DbtMappingRunner *runner)
{
  return runner->signature;
}

gboolean
dbt_mapping_runner_is_done (DbtMappingRunner *runner)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&runner->lock);

  return runner->done;
}
