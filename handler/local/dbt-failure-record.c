/* dbt-failure-record.c — Lambda's on-failure destination message. */
#include "dbt-failure-record.h"

#include <json-glib/json-glib.h>

char *
dbt_iso8601_ms (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
  g_autofree char *seconds = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (utc) / 1000);
}

static char *
arrival_string (gint64 ms)
{
  g_autoptr(GDateTime) time = NULL;

  if (ms <= 0)
    ms = g_get_real_time () / 1000;
  time = g_date_time_new_from_unix_utc (ms / 1000);
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

char *
dbt_failure_record_to_json (const DbtFailureRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *timestamp = dbt_iso8601_ms (record->timestamp);
  g_autofree char *first = arrival_string (record->first_arrival_ms);
  g_autofree char *last = arrival_string (record->last_arrival_ms);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "requestContext");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requestId");
  if (record->request_id != NULL)
    json_builder_add_string_value (builder, record->request_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "functionArn");
  json_builder_add_string_value (builder, record->function_arn);
  json_builder_set_member_name (builder, "condition");
  json_builder_add_string_value (builder, record->condition);
  json_builder_set_member_name (builder, "approximateInvokeCount");
  json_builder_add_int_value (builder, record->approximate_invoke_count);
  json_builder_end_object (builder);

  if (record->status_code != 0)
    {
      json_builder_set_member_name (builder, "responseContext");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "statusCode");
      json_builder_add_int_value (builder, record->status_code);
      json_builder_set_member_name (builder, "executedVersion");
      json_builder_add_string_value (builder, record->executed_version != NULL ? record->executed_version : "$LATEST");
      json_builder_set_member_name (builder, "functionError");
      if (record->function_error != NULL)
        json_builder_add_string_value (builder, record->function_error);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, "1.0");
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, timestamp);

  json_builder_set_member_name (builder, "DDBStreamBatchInfo");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "shardId");
  json_builder_add_string_value (builder, record->shard_id);
  json_builder_set_member_name (builder, "startSequenceNumber");
  json_builder_add_string_value (builder, record->start_sequence_number);
  json_builder_set_member_name (builder, "endSequenceNumber");
  json_builder_add_string_value (builder, record->end_sequence_number);
  json_builder_set_member_name (builder, "approximateArrivalOfFirstRecord");
  json_builder_add_string_value (builder, first);
  json_builder_set_member_name (builder, "approximateArrivalOfLastRecord");
  json_builder_add_string_value (builder, last);
  json_builder_set_member_name (builder, "batchSize");
  json_builder_add_int_value (builder, record->batch_size);
  json_builder_set_member_name (builder, "streamArn");
  json_builder_add_string_value (builder, record->stream_arn);
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
