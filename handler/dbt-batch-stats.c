/* dbt-batch-stats.c — what one invocation did, for logs and metrics. */
#include "dbt-batch-stats.h"

#include <json-glib/json-glib.h>

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
