/* dbt-failure-record.h — the message Lambda sends to a stream mapping's
 * on-failure destination when it gives records up, in Lambda's format for
 * DynamoDB Streams:
 *
 *   {"requestContext": {"requestId", "functionArn", "condition",
 *                       "approximateInvokeCount"},
 *    "responseContext": {"statusCode", "executedVersion", "functionError"},
 *    "version": "1.0", "timestamp": "<ISO 8601>",
 *    "DDBStreamBatchInfo": {"shardId", "startSequenceNumber",
 *                           "endSequenceNumber",
 *                           "approximateArrivalOfFirstRecord",
 *                           "approximateArrivalOfLastRecord",
 *                           "batchSize", "streamArn"}}
 *
 * The records themselves are not in it: a consumer reads them from the
 * stream by sequence number while they are retained (24 hours). Pure.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *request_id;             /* of the last invocation; NULL for a record-age discard */
  const char *function_arn;
  const char *condition;              /* "RetryAttemptsExhausted", "RecordAgeExceeded" */
  guint       approximate_invoke_count;
  guint       status_code;            /* of the last invocation; 0: none (responseContext left out) */
  const char *executed_version;       /* "$LATEST" */
  const char *function_error;         /* "Unhandled", "Handled"; NULL when none */
  GDateTime  *timestamp;
  const char *shard_id;
  const char *start_sequence_number;
  const char *end_sequence_number;
  gint64      first_arrival_ms;       /* ApproximateCreationDateTime of the first record, epoch ms */
  gint64      last_arrival_ms;
  guint       batch_size;
  const char *stream_arn;
} DbtFailureRecord;

/* The message as compact JSON. */
char *dbt_failure_record_to_json (const DbtFailureRecord *record);

/* "2019-11-14T00:13:49.717Z": ISO 8601, UTC, milliseconds. */
char *dbt_iso8601_ms (GDateTime *time);

G_END_DECLS
