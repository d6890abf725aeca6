/* dbt-shard-poller.c — GetRecords on one shard, Lambda's pace. */
#include "dbt-shard-poller.h"

#include "dbt-error.h"

struct _DbtShardPoller
{
  DbtAwsClient        *client;
  char                *stream_arn;
  char                *region;
  char                *shard_id;
  DbtShardIteratorType start;
  char                *last_sequence_number;  /* the last record returned (or the checkpoint) */
  char                *iterator;
  gint64               last_poll_us;          /* monotonic */
  gboolean             drained;
};

gboolean
dbt_local_sleep (guint         ms,
                       GCancellable *cancellable)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (!g_cancellable_is_cancelled (cancellable))
    {
      gint64 left = end - g_get_monotonic_time ();

      if (left <= 0)
        return TRUE;
      g_usleep (MIN (left, 50 * 1000));
    }
  return FALSE;
}

DbtShardPoller *
dbt_shard_poller_new (DbtAwsClient        *client,
                      const char          *stream_arn,
                      const char          *region,
                      const char          *shard_id,
                      DbtShardIteratorType start,
                      const char          *after_sequence_number)
{
  DbtShardPoller *poller = g_new0 (DbtShardPoller, 1);

  poller->client = dbt_aws_client_ref (client);
  poller->stream_arn = g_strdup (stream_arn);
  poller->region = g_strdup (region);
  poller->shard_id = g_strdup (shard_id);
  poller->start = start;
  poller->last_sequence_number = g_strdup (after_sequence_number);
  return poller;
}

void
dbt_shard_poller_free (DbtShardPoller *poller)
{
  if (poller == NULL)
    return;
  dbt_aws_client_unref (poller->client);
  g_free (poller->stream_arn);
  g_free (poller->region);
  g_free (poller->shard_id);
  g_free (poller->last_sequence_number);
  g_free (poller->iterator);
  g_free (poller);
}

gboolean
dbt_shard_poller_is_drained (DbtShardPoller *poller)
{
  return poller->drained;
}

static gboolean
renew_iterator (DbtShardPoller *poller,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  g_clear_pointer (&poller->iterator, g_free);
  if (poller->last_sequence_number != NULL)
    {
      poller->iterator = dbt_streams_get_shard_iterator (poller->client, poller->stream_arn, poller->shard_id,
                                                         DBT_SHARD_ITERATOR_AFTER_SEQUENCE_NUMBER,
                                                         poller->last_sequence_number, cancellable, &local_error);
      if (poller->iterator != NULL)
        return TRUE;
      /* Past the retention period the records are gone: go on from the
       * oldest one still there, as Lambda does. */
      if (g_strcmp0 (dbt_aws_error_get_aws_code (local_error), "TrimmedDataAccessException") != 0)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_warning ("shard %s: records after %s were trimmed; reading from the oldest kept",
                 poller->shard_id, poller->last_sequence_number);
      g_clear_error (&local_error);
      poller->start = DBT_SHARD_ITERATOR_TRIM_HORIZON;
    }
  poller->iterator = dbt_streams_get_shard_iterator (poller->client, poller->stream_arn, poller->shard_id,
                                                     poller->start, NULL, cancellable, error);
  return poller->iterator != NULL;
}

gint
dbt_shard_poller_poll (DbtShardPoller *poller,
                       GPtrArray      *records,
                       guint           limit,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_autoptr(DbtRecordBatch) batch = NULL;
  gint64 wait_us;
  guint n;

  if (poller->drained)
    return 0;
  wait_us = poller->last_poll_us + DBT_SHARD_POLL_INTERVAL_MS * 1000 - g_get_monotonic_time ();
  if (poller->last_poll_us > 0 && wait_us > 0 &&
      !dbt_local_sleep ((guint) (wait_us / 1000) + 1, cancellable))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      return -1;
    }

  for (guint attempt = 0; batch == NULL; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      if (poller->iterator == NULL && !renew_iterator (poller, cancellable, error))
        return -1;
      poller->last_poll_us = g_get_monotonic_time ();
      batch = dbt_streams_get_records (poller->client, poller->iterator, MIN (MAX (limit, 1), 1000),
                                       cancellable, &local_error);
      if (batch != NULL)
        break;
      if (attempt == 0 &&
          g_strcmp0 (dbt_aws_error_get_aws_code (local_error), "ExpiredIteratorException") == 0)
        {
          g_clear_pointer (&poller->iterator, g_free);
          continue;
        }
      /* Any other failure: start again from the last record read. */
      g_clear_pointer (&poller->iterator, g_free);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }

  n = batch->records->len;
  for (guint i = 0; i < n; i++)
    {
      DbtStreamRecord *record = g_ptr_array_index (batch->records, i);

      g_free (record->event_source_arn);
      record->event_source_arn = g_strdup (poller->stream_arn);
      g_free (record->aws_region);
      record->aws_region = g_strdup (poller->region);
      g_free (poller->last_sequence_number);
      poller->last_sequence_number = g_strdup (record->sequence_number);
      g_ptr_array_add (records, record);
    }
  /* The records moved to @records. */
  g_ptr_array_set_free_func (batch->records, NULL);
  g_free (poller->iterator);
  poller->iterator = g_steal_pointer (&batch->next_shard_iterator);
  if (poller->iterator == NULL)
    poller->drained = TRUE;
  return (gint) n;
}
