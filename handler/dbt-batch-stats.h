/* dbt-batch-stats.h — what one invocation did, for logs and metrics.
 *
 * The processor and the delivery planner add to one DbtBatchStats; the
 * handler prints it once per invocation as a structured log line and as a
 * CloudWatch embedded-metric-format (EMF) document. Neither carries item
 * contents, keys or owner ids: only counts, the duration and the request id.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint records;             /* records in the batch */
  guint notified;            /* SNS messages published */
  guint changes_delivered;   /* (record, owner) changes those messages carried */
  guint skipped_no_owner;    /* records whose item has no owner */
  guint skipped_no_change;   /* MODIFYs that changed nothing, or only ignored attributes */
  guint skipped_no_image;    /* records without the image they need */
  guint failed;              /* records not fully delivered; retried by Lambda */
  guint duplicates;          /* changes already sent by an earlier attempt, not sent again */
  guint log_write_failures;  /* messages sent whose SENT mark could not be written */
} DbtBatchStats;

#define DBT_METRICS_NAMESPACE "dbtrigger"

/* skipped_no_owner + skipped_no_change + skipped_no_image */
guint dbt_batch_stats_get_skipped  (const DbtBatchStats *stats);

/* One compact JSON object, no newline:
 * {"level":"INFO"|"WARN","message":"batch processed","requestId":...,
 *  "durationMs":...,"records":...,"notified":...,"changesDelivered":...,
 *  "skipped":...,"skippedNoOwner":...,"skippedNoChange":...,
 *  "skippedNoImage":...,"failed":...,"duplicatesSuppressed":...,
 *  "logWriteFailures":...}
 * "WARN" when anything failed. @request_id may be NULL (then omitted). */
char *dbt_batch_stats_to_log_line  (const DbtBatchStats *stats,
                                    const char          *request_id,
                                    gint64               duration_ms);

/* A CloudWatch EMF document (compact JSON, no newline) in namespace
 * "dbtrigger" with dimension FunctionName and the metrics Records, Notified,
 * ChangesDelivered, Skipped, SkippedNoOwner, SkippedNoChange,
 * SkippedNoImage, Failed, DuplicatesSuppressed, LogWriteFailures (Count)
 * and Duration
 * (Milliseconds). @timestamp_ms is epoch milliseconds; @request_id (may be
 * NULL) is added as a plain property, not a dimension. */
char *dbt_batch_stats_to_emf       (const DbtBatchStats *stats,
                                    const char          *function_name,
                                    const char          *request_id,
                                    gint64               timestamp_ms,
                                    gint64               duration_ms);

G_END_DECLS
