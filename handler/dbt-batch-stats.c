/* dbt-batch-stats.c — what one invocation did, for logs and metrics. */
#include "dbt-batch-stats.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "dbt-error.h"

/* One table drives both the log line and the EMF document, so the two
 * always report the same counts under matching names. */
typedef struct
{
  const char *log_name;
  const char *metric_name;
  guint (*get) (const DbtBatchStats *stats);
} StatField;

#define STAT_GETTER(field) \
  static guint get_##field (const DbtBatchStats *stats) { return stats->field; }

STAT_GETTER (records)
STAT_GETTER (notified)
STAT_GETTER (changes_delivered)
STAT_GETTER (skipped_no_owner)
STAT_GETTER (skipped_no_change)
STAT_GETTER (skipped_no_image)
STAT_GETTER (failed)
STAT_GETTER (duplicates)
STAT_GETTER (log_write_failures)

static const StatField stat_fields[] = {
  { "records",              "Records",              get_records },
  { "notified",             "Notified",             get_notified },
  { "changesDelivered",     "ChangesDelivered",     get_changes_delivered },
  { "skipped",              "Skipped",              dbt_batch_stats_get_skipped },
  { "skippedNoOwner",       "SkippedNoOwner",       get_skipped_no_owner },
  { "skippedNoChange",      "SkippedNoChange",      get_skipped_no_change },
  { "skippedNoImage",       "SkippedNoImage",       get_skipped_no_image },
  { "failed",               "Failed",               get_failed },
  { "duplicatesSuppressed", "DuplicatesSuppressed", get_duplicates },
  { "logWriteFailures",     "LogWriteFailures",     get_log_write_failures },
};

guint
dbt_batch_stats_get_skipped (const DbtBatchStats *stats)
{
  return stats->skipped_no_owner + stats->skipped_no_change + stats->skipped_no_image;
}

/* A code as AWS spells them ("ProvisionedThroughputExceededException",
 * "com.amazon.coral.service#UnrecognizedClientException"): nothing that
 * could be a message. */
static gboolean
is_error_code (const char *cause)
{
  gsize length = cause != NULL ? strlen (cause) : 0;

  return length > 0 && length < DBT_BATCH_STATS_CAUSE_SIZE
         && strspn (cause, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                           "0123456789._:#-") == length;
}

void
dbt_batch_stats_add_failure (DbtBatchStats *stats,
                             const char    *cause)
{
  DbtFailureCause *slot;

  g_return_if_fail (stats != NULL);

  /* The last slot is "Other": causes past the others' room, or no code. */
  slot = &stats->failure_causes[DBT_BATCH_STATS_MAX_CAUSES - 1];

  if (is_error_code (cause) && !g_str_equal (cause, DBT_FAILURE_OTHER))
    for (guint i = 0; i < DBT_BATCH_STATS_MAX_CAUSES - 1; i++)
      {
        DbtFailureCause *candidate = &stats->failure_causes[i];

        if (candidate->cause[0] == '\0')
          g_strlcpy (candidate->cause, cause, sizeof candidate->cause);
        if (g_str_equal (candidate->cause, cause))
          {
            slot = candidate;
            break;
          }
      }
  if (slot->cause[0] == '\0')
    g_strlcpy (slot->cause, DBT_FAILURE_OTHER, sizeof slot->cause);
  slot->count++;
}

const char *
dbt_batch_stats_error_cause (const GError *error)
{
  static const char *const code_names[] = {
    [DBT_AWS_ERROR_FAILED] = "Failed",
    [DBT_AWS_ERROR_INVALID_INPUT] = "InvalidInput",
    [DBT_AWS_ERROR_CONFIG] = "Config",
    [DBT_AWS_ERROR_CONNECT] = "Connect",
    [DBT_AWS_ERROR_TIMEOUT] = "Timeout",
    [DBT_AWS_ERROR_THROTTLED] = "Throttled",
    [DBT_AWS_ERROR_SERVER] = "Server",
    [DBT_AWS_ERROR_CLIENT] = "Client",
    [DBT_AWS_ERROR_AUTH] = "Auth",
    [DBT_AWS_ERROR_NOT_FOUND] = "NotFound",
    [DBT_AWS_ERROR_CONDITION_FAILED] = "ConditionFailed",
    [DBT_AWS_ERROR_MALFORMED_RESPONSE] = "MalformedResponse",
  };
  const char *aws_code;

  if (error == NULL || error->domain != DBT_AWS_ERROR)
    return DBT_FAILURE_OTHER;
  aws_code = dbt_aws_error_get_aws_code (error);
  if (is_error_code (aws_code))
    return aws_code;
  if (error->code >= 0 && (gsize) error->code < G_N_ELEMENTS (code_names)
      && code_names[error->code] != NULL)
    return code_names[error->code];
  return DBT_FAILURE_OTHER;
}

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

char *
dbt_batch_stats_to_log_line (const DbtBatchStats *stats,
                             const char          *request_id,
                             gint64               duration_ms)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean trouble = stats->failed > 0 || stats->log_write_failures > 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "level");
  json_builder_add_string_value (builder, trouble ? "WARN" : "INFO");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, "batch processed");
  if (request_id != NULL)
    {
      json_builder_set_member_name (builder, "requestId");
      json_builder_add_string_value (builder, request_id);
    }
  json_builder_set_member_name (builder, "durationMs");
  json_builder_add_int_value (builder, duration_ms);
  for (guint i = 0; i < G_N_ELEMENTS (stat_fields); i++)
    {
      json_builder_set_member_name (builder, stat_fields[i].log_name);
      json_builder_add_int_value (builder, stat_fields[i].get (stats));
    }
  json_builder_set_member_name (builder, "failures");
  json_builder_begin_object (builder);
  for (guint i = 0; i < DBT_BATCH_STATS_MAX_CAUSES; i++)
    {
      const DbtFailureCause *failure = &stats->failure_causes[i];

      if (failure->cause[0] == '\0')
        continue;
      json_builder_set_member_name (builder, failure->cause);
      json_builder_add_int_value (builder, failure->count);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return builder_to_string (builder);
}

static void
add_metric_definition (JsonBuilder *builder,
                       const char  *name,
                       const char  *unit)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "Unit");
  json_builder_add_string_value (builder, unit);
  json_builder_end_object (builder);
}

char *
dbt_batch_stats_to_emf (const DbtBatchStats *stats,
                        const char          *function_name,
                        const char          *request_id,
                        gint64               timestamp_ms,
                        gint64               duration_ms)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (function_name != NULL, NULL);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "_aws");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Timestamp");
  json_builder_add_int_value (builder, timestamp_ms);
  json_builder_set_member_name (builder, "CloudWatchMetrics");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Namespace");
  json_builder_add_string_value (builder, DBT_METRICS_NAMESPACE);
  json_builder_set_member_name (builder, "Dimensions");
  json_builder_begin_array (builder);
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "FunctionName");
  json_builder_end_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "Metrics");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (stat_fields); i++)
    add_metric_definition (builder, stat_fields[i].metric_name, "Count");
  add_metric_definition (builder, "Duration", "Milliseconds");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "FunctionName");
  json_builder_add_string_value (builder, function_name);
  if (request_id != NULL)
    {
      json_builder_set_member_name (builder, "requestId");
      json_builder_add_string_value (builder, request_id);
    }
  for (guint i = 0; i < G_N_ELEMENTS (stat_fields); i++)
    {
      json_builder_set_member_name (builder, stat_fields[i].metric_name);
      json_builder_add_int_value (builder, stat_fields[i].get (stats));
    }
  json_builder_set_member_name (builder, "Duration");
  json_builder_add_int_value (builder, duration_ms);

  json_builder_end_object (builder);

  return builder_to_string (builder);
}
