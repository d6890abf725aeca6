/* dbt-batch-stats.h — what one invocation did, for logs and metrics.
 *
 * The processor and the delivery planner add to one DbtBatchStats; the
 * handler prints it once per invocation as a structured log line and as a
 * CloudWatch embedded-metric-format (EMF) document. Neither carries item
 * contents, keys or owner ids: only counts, the duration, the request id
 * and, in the log line, the failure causes as error codes (never an error
 * message, which may quote a key or an owner).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DBT_BATCH_STATS_MAX_CAUSES      8
#define DBT_BATCH_STATS_CAUSE_SIZE      64   /* bytes of a cause, NUL included */

/* Causes the handler names itself, besides AWS's error codes. */
#define DBT_FAILURE_DEADLINE_REACHED    "DeadlineReached"     /* not started: too near the deadline */
#define DBT_FAILURE_CLAIM_PENDING       "ClaimPending"        /* another attempt may be sending it */
#define DBT_FAILURE_EARLIER_RECORD      "EarlierRecordFailed" /* held behind its item's failed record */
#define DBT_FAILURE_NO_RESULT           "NoResult"            /* the sink answered neither way */
#define DBT_FAILURE_OTHER               "Other"               /* past the table's room, or no code */

typedef struct
{
  char  cause[DBT_BATCH_STATS_CAUSE_SIZE];   /* "" in an unused slot */
  guint count;
} DbtFailureCause;

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
  /* The failed records by cause, in the order the causes came; the last
   * slot is kept for "Other" (no code, or no room left). */
  DbtFailureCause failure_causes[DBT_BATCH_STATS_MAX_CAUSES];
} DbtBatchStats;

#define DBT_METRICS_NAMESPACE "dbtrigger"

/* skipped_no_owner + skipped_no_change + skipped_no_image */
guint dbt_batch_stats_get_skipped  (const DbtBatchStats *stats);

/* Counts one failed record under @cause (an error code: letters, digits
 * and . _ : # -; anything else counts as "Other"). Does not add to
 * stats->failed. */
void        dbt_batch_stats_add_failure   (DbtBatchStats *stats,
                                           const char    *cause);

/* The cause to count for @error: its AWS error code ("Throttling"), else
 * the name of its DBT_AWS_ERROR code ("Timeout", "Connect"...), else
 * "Other". Never anything of the message. */
const char *dbt_batch_stats_error_cause   (const GError  *error);

/* One compact JSON object, no newline:
 * {"level":"INFO"|"WARN","message":"batch processed","requestId":...,
 *  "durationMs":...,"records":...,"notified":...,"changesDelivered":...,
 *  "skipped":...,"skippedNoOwner":...,"skippedNoChange":...,
 *  "skippedNoImage":...,"failed":...,"duplicatesSuppressed":...,
 *  "logWriteFailures":...,"failures":{"<cause>":<count>,...}}
 * "failures" is {} when nothing failed.
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
