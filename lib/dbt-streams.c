/* dbt-streams.c — typed DynamoDB Streams calls over the JSON 1.0 protocol. */
#include "dbt-streams.h"

#include "dbt-service-private.h"

#define TARGET_PREFIX "DynamoDBStreams_20120810."

static JsonNode *
streams_call (DbtAwsClient *client,
              const char   *op,
              const char   *stream_arn,
              JsonBuilder  *builder,
              GCancellable *cancellable,
              GError      **error)
{
  g_autofree char *subject = NULL;

  if (stream_arn != NULL)
    subject = g_strdup_printf ("stream “%s”", stream_arn);
  return dbt_service_call_json (client, DBT_SERVICE_STREAMS, TARGET_PREFIX, op, subject,
                                builder, cancellable, error);
}

void
dbt_stream_summary_free (DbtStreamSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->stream_arn);
  g_free (summary->table_name);
  g_free (summary->stream_label);
  g_free (summary);
}

GPtrArray *
dbt_streams_list_streams (DbtAwsClient *client,
                          const char   *table_name,
                          GCancellable *cancellable,
                          GError      **error)
{
  g_autoptr(GPtrArray) streams =
    g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_stream_summary_free);
  g_autofree char *start = NULL;

  g_return_val_if_fail (client != NULL, NULL);

  do
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) response = NULL;
      JsonObject *object;
      JsonArray *array;

      json_builder_begin_object (builder);
      dbt_json_builder_add_string (builder, "TableName", table_name);
      dbt_json_builder_add_string (builder, "ExclusiveStartStreamArn", start);
      json_builder_end_object (builder);

      response = streams_call (client, "ListStreams", NULL, builder, cancellable, error);
      if (response == NULL)
        return NULL;
      object = json_node_get_object (response);
      array = dbt_json_get_array (object, "Streams");
      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          JsonObject *element = json_array_get_object_element (array, i);
          DbtStreamSummary *summary;

          if (element == NULL || dbt_json_get_string (element, "StreamArn") == NULL)
            continue;
          summary = g_new0 (DbtStreamSummary, 1);
          summary->stream_arn = g_strdup (dbt_json_get_string (element, "StreamArn"));
          summary->table_name = g_strdup (dbt_json_get_string (element, "TableName"));
          summary->stream_label = g_strdup (dbt_json_get_string (element, "StreamLabel"));
          g_ptr_array_add (streams, summary);
        }
      g_free (start);
      start = g_strdup (dbt_json_get_string (object, "LastEvaluatedStreamArn"));
    }
  while (start != NULL);

  return g_steal_pointer (&streams);
}

void
dbt_shard_free (DbtShard *shard)
{
  if (shard == NULL)
    return;
  g_free (shard->shard_id);
  g_free (shard->parent_shard_id);
  g_free (shard->starting_sequence_number);
  g_free (shard->ending_sequence_number);
  g_free (shard);
}

gboolean
dbt_shard_is_closed (const DbtShard *shard)
{
  g_return_val_if_fail (shard != NULL, FALSE);

  return shard->ending_sequence_number != NULL;
}

void
dbt_stream_description_free (DbtStreamDescription *description)
{
  if (description == NULL)
    return;
  g_free (description->stream_arn);
  g_free (description->stream_label);
  g_free (description->stream_status);
  g_free (description->stream_view_type);
  g_free (description->table_name);
  g_clear_pointer (&description->shards, g_ptr_array_unref);
  g_free (description->last_evaluated_shard_id);
  g_free (description);
}

static DbtShard *
read_shard (JsonObject *object)
{
  JsonObject *range = dbt_json_get_object (object, "SequenceNumberRange");
  DbtShard *shard;

  if (dbt_json_get_string (object, "ShardId") == NULL)
    return NULL;
  shard = g_new0 (DbtShard, 1);
  shard->shard_id = g_strdup (dbt_json_get_string (object, "ShardId"));
  shard->parent_shard_id = g_strdup (dbt_json_get_string (object, "ParentShardId"));
  shard->starting_sequence_number = g_strdup (dbt_json_get_string (range, "StartingSequenceNumber"));
  shard->ending_sequence_number = g_strdup (dbt_json_get_string (range, "EndingSequenceNumber"));
  return shard;
}

DbtStreamDescription *
dbt_streams_describe_stream (DbtAwsClient *client,
                             const char   *stream_arn,
                             const char   *exclusive_start_shard_id,
                             guint         limit,
                             GCancellable *cancellable,
                             GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(DbtStreamDescription) description = NULL;
  JsonObject *object;
  JsonArray *shards;

  g_return_val_if_fail (client != NULL, NULL);

  if (!dbt_require_string (stream_arn, "The stream ARN", error))
    return NULL;

  json_builder_begin_object (builder);
  dbt_json_builder_add_string (builder, "StreamArn", stream_arn);
  dbt_json_builder_add_string (builder, "ExclusiveStartShardId", exclusive_start_shard_id);
  if (limit > 0)
    dbt_json_builder_add_int (builder, "Limit", limit);
  json_builder_end_object (builder);

  response = streams_call (client, "DescribeStream", stream_arn, builder, cancellable, error);
  if (response == NULL)
    return NULL;
  object = dbt_json_get_object (json_node_get_object (response), "StreamDescription");
  if (object == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                         "DescribeStream on stream “%s”: no StreamDescription in the response",
                         stream_arn);
      return NULL;
    }

  description = g_new0 (DbtStreamDescription, 1);
  description->stream_arn = g_strdup (dbt_json_get_string (object, "StreamArn"));
  description->stream_label = g_strdup (dbt_json_get_string (object, "StreamLabel"));
  description->stream_status = g_strdup (dbt_json_get_string (object, "StreamStatus"));
  description->stream_view_type = g_strdup (dbt_json_get_string (object, "StreamViewType"));
  description->table_name = g_strdup (dbt_json_get_string (object, "TableName"));
  description->last_evaluated_shard_id =
    g_strdup (dbt_json_get_string (object, "LastEvaluatedShardId"));
  description->shards = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_shard_free);

  shards = dbt_json_get_array (object, "Shards");
  for (guint i = 0; shards != NULL && i < json_array_get_length (shards); i++)
    {
      DbtShard *shard = read_shard (json_array_get_object_element (shards, i));

      if (shard != NULL)
        g_ptr_array_add (description->shards, shard);
    }
  return g_steal_pointer (&description);
}

DbtStreamDescription *
dbt_streams_describe_stream_all (DbtAwsClient *client,
                                 const char   *stream_arn,
                                 GCancellable *cancellable,
                                 GError      **error)
{
  g_autoptr(DbtStreamDescription) description =
    dbt_streams_describe_stream (client, stream_arn, NULL, 0, cancellable, error);

  while (description != NULL && description->last_evaluated_shard_id != NULL)
    {
      g_autoptr(DbtStreamDescription) next =
        dbt_streams_describe_stream (client, stream_arn, description->last_evaluated_shard_id,
                                     0, cancellable, error);

      if (next == NULL)
        return NULL;
      /* Move the page's shards over; the array keeps ownership semantics. */
      g_ptr_array_extend_and_steal (description->shards, g_steal_pointer (&next->shards));
      g_free (description->last_evaluated_shard_id);
      description->last_evaluated_shard_id = g_steal_pointer (&next->last_evaluated_shard_id);
    }
  return g_steal_pointer (&description);
}

const char *
dbt_shard_iterator_type_to_string (DbtShardIteratorType type)
{
  switch (type)
    {
    case DBT_SHARD_ITERATOR_TRIM_HORIZON:
      return "TRIM_HORIZON";
    case DBT_SHARD_ITERATOR_LATEST:
      return "LATEST";
    case DBT_SHARD_ITERATOR_AT_SEQUENCE_NUMBER:
      return "AT_SEQUENCE_NUMBER";
    case DBT_SHARD_ITERATOR_AFTER_SEQUENCE_NUMBER:
      return "AFTER_SEQUENCE_NUMBER";
    default:
      g_return_val_if_reached ("TRIM_HORIZON");
    }
}

char *
dbt_streams_get_shard_iterator (DbtAwsClient        *client,
                                const char          *stream_arn,
                                const char          *shard_id,
                                DbtShardIteratorType type,
                                const char          *sequence_number,
                                GCancellable        *cancellable,
                                GError             **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) response = NULL;
  gboolean needs_sequence = type == DBT_SHARD_ITERATOR_AT_SEQUENCE_NUMBER
                            || type == DBT_SHARD_ITERATOR_AFTER_SEQUENCE_NUMBER;
  const char *iterator;

  g_return_val_if_fail (client != NULL, NULL);

  if (!dbt_require_string (stream_arn, "The stream ARN", error)
      || !dbt_require_string (shard_id, "The shard id", error)
      || (needs_sequence
          && !dbt_require_string (sequence_number,
                                  "The sequence number of an AT_/AFTER_SEQUENCE_NUMBER iterator",
                                  error)))
    return NULL;

  json_builder_begin_object (builder);
  dbt_json_builder_add_string (builder, "StreamArn", stream_arn);
  dbt_json_builder_add_string (builder, "ShardId", shard_id);
  dbt_json_builder_add_string (builder, "ShardIteratorType",
                               dbt_shard_iterator_type_to_string (type));
  if (needs_sequence)
    dbt_json_builder_add_string (builder, "SequenceNumber", sequence_number);
  json_builder_end_object (builder);

  response = streams_call (client, "GetShardIterator", stream_arn, builder, cancellable, error);
  if (response == NULL)
    return NULL;
  iterator = dbt_json_get_string (json_node_get_object (response), "ShardIterator");
  if (iterator == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                         "GetShardIterator on stream “%s”: no ShardIterator in the response",
                         stream_arn);
      return NULL;
    }
  return g_strdup (iterator);
}

void
dbt_record_batch_free (DbtRecordBatch *batch)
{
  if (batch == NULL)
    return;
  g_clear_pointer (&batch->records, g_ptr_array_unref);
  g_free (batch->next_shard_iterator);
  g_free (batch);
}

DbtRecordBatch *
dbt_streams_get_records (DbtAwsClient *client,
                         const char   *shard_iterator,
                         guint         limit,
                         GCancellable *cancellable,
                         GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(DbtRecordBatch) batch = NULL;
  JsonObject *object;
  JsonArray *records;

  g_return_val_if_fail (client != NULL, NULL);

  if (!dbt_require_string (shard_iterator, "The shard iterator", error))
    return NULL;

  json_builder_begin_object (builder);
  dbt_json_builder_add_string (builder, "ShardIterator", shard_iterator);
  if (limit > 0)
    dbt_json_builder_add_int (builder, "Limit", limit);
  json_builder_end_object (builder);

  response = streams_call (client, "GetRecords", NULL, builder, cancellable, error);
  if (response == NULL)
    return NULL;
  object = json_node_get_object (response);

  batch = g_new0 (DbtRecordBatch, 1);
  batch->records = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_stream_record_free);
  batch->next_shard_iterator = g_strdup (dbt_json_get_string (object, "NextShardIterator"));
  records = dbt_json_get_array (object, "Records");
  for (guint i = 0; records != NULL && i < json_array_get_length (records); i++)
    {
      g_autoptr(GError) local_error = NULL;
      DbtStreamRecord *record =
        dbt_stream_record_from_json (json_array_get_element (records, i), &local_error);

      if (record == NULL)
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                             "GetRecords: unreadable record %u: %s", i, local_error->message);
          return NULL;
        }
      g_ptr_array_add (batch->records, record);
    }
  return g_steal_pointer (&batch);
}
