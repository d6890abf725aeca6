/* dbt-retry-policy.h — what Lambda's stream poller does after an
 * invocation: checkpoint, retry (whole, from a failed record, or bisected),
 * or give records up to the on-failure destination. Pure: no I/O.
 *
 * The rules (Lambda's, for DynamoDB Streams and Kinesis):
 *   - success: every record of the batch is done;
 *   - a partial failure (ReportBatchItemFailures, {"batchItemFailures":
 *     [{"itemIdentifier": SEQ}...]}): the records before the lowest reported
 *     SEQ are done, the rest is retried; this counts as a retry;
 *   - a function error (error response, crash, timeout, or with
 *     ReportBatchItemFailures a malformed response or an identifier that is
 *     empty or not in the batch): with BisectBatchOnFunctionError a batch of
 *     two or more records is split in two halves retried one after the
 *     other, and splitting does not count as a retry; otherwise the whole
 *     batch is retried, counting one retry;
 *   - once a batch has been retried MaximumRetryAttempts times (-1: never)
 *     and fails again, it is given up (RetryAttemptsExhausted).
 * Records older than MaximumRecordAgeInSeconds are given up before an
 * invocation (RecordAgeExceeded); see dbt_retry_count_expired().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean bisect_on_function_error;
  gint64   maximum_retry_attempts;      /* -1: unlimited */
  gboolean report_batch_item_failures;
} DbtRetrySettings;

/* A batch waiting for (another) invocation: the next n_records records of
 * the shard and how many times it has been retried so far. */
typedef struct
{
  guint n_records;
  guint retries;
} DbtSegment;

typedef enum
{
  DBT_BATCH_SUCCEEDED,
  DBT_BATCH_PARTIALLY_FAILED,   /* failed_index: the first record to retry */
  DBT_BATCH_FAILED,             /* a function error, the whole batch */
} DbtBatchOutcome;

typedef struct
{
  guint      n_done;        /* records from the front that are done: checkpoint past them */
  guint      n_given_up;    /* then records to hand to the on-failure destination */
  DbtSegment retry[2];      /* then these, in order, before anything new */
  guint      n_retry;
} DbtRetryDecision;

DbtRetryDecision dbt_retry_decide (const DbtRetrySettings *settings,
                                   const DbtSegment       *batch,
                                   DbtBatchOutcome         outcome,
                                   guint                   failed_index);

/* Reads a successful invocation's response. Without ReportBatchItemFailures
 * any response is a success. With it: an empty or null body, an object
 * without batchItemFailures or with an empty or null list is a success; a
 * list naming sequence numbers of the batch is a partial failure from the
 * lowest of them (*failed_index); anything else (not JSON, not an object,
 * an entry without a string itemIdentifier, an identifier not in the
 * batch) fails the whole batch, with the reason in *reason. */
DbtBatchOutcome  dbt_retry_read_response (const DbtRetrySettings *settings,
                                          const char             *body,
                                          gsize                   body_len,
                                          const char *const      *sequence_numbers,
                                          guint                   n_records,
                                          guint                  *failed_index,
                                          char                  **reason);

/* How many records at the front are older than @maximum_record_age_seconds
 * at @now_ms (-1: none ever are). @creation_ms holds each record's
 * ApproximateCreationDateTime in epoch ms (0: unknown, never expired).
 * Records are in order, so only a prefix can be expired. */
guint            dbt_retry_count_expired (const gint64 *creation_ms,
                                          guint         n_records,
                                          gint64        maximum_record_age_seconds,
                                          gint64        now_ms);

G_END_DECLS
