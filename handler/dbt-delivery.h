/* dbt-delivery.h — effectively-once delivery of a batch's notifications.
 *
 * Lambda's stream mapping is at-least-once: a batch, or its tail, can come
 * again. The planner makes notifications effectively-once with a
 * notification log keyed by (eventID, owner) — "EVENTID#OWNER" — reached
 * through an abstract sink (DbtDeliverySink): the handler's sink does
 * DynamoDB conditional writes and SNS PublishBatch; the tests use an
 * in-memory fake. The planner itself does no I/O.
 *
 * For each notification, in stream order:
 *
 *  1. Claim the pair: a conditional put ("attribute_not_exists(pk)") of
 *     state CLAIMED with the claim time and an expiry (the table's TTL
 *     attribute, NOTIFICATION_TTL_DAYS ahead).
 *     - New claim: this attempt will send it.
 *     - Already SENT by an earlier attempt: a duplicate. Dropped from the
 *       messages and counted in duplicates; never sent again.
 *     - CLAIMED but not SENT (an earlier attempt claimed it and then
 *       failed, or crashed before recording the send). When the claim is
 *       older than the function timeout (FUNCTION_TIMEOUT_SECONDS), that
 *       attempt cannot still be running: take the claim over (a
 *       conditional update on the old claim time, so only one taker wins)
 *       and send. When it is younger, the record fails this time and a
 *       later retry sends it. This is at-least-once at the claim boundary:
 *       an attempt that crashed after SNS accepted a message but before it
 *       was marked SENT gets that message sent a second time — the one
 *       case where an owner can see a duplicate.
 *
 *  2. Build the messages from what is left (dbt_digest_build()).
 *
 *  3. Publish in stream order in requests of at most 10 messages and at
 *     most DBT_MESSAGE_MAX_BYTES in total (PublishBatch's limits); each
 *     entry succeeds or fails on its own. A success marks each pair SENT
 *     with the SNS message id and time. A failure releases the claims
 *     (deletes them, conditional on the claim time) so a retry sends
 *     exactly the messages that failed — a retry of a batch where one
 *     owner's publish failed re-sends that owner's message only.
 *
 * Ordering per item. Once a record for key K fails (claim or publish), no
 * later record of K in this batch is published; they fail too and are
 * retried with it. One request never holds two messages that cover the
 * same key, so a later change of an item is never published alongside an
 * earlier one that might fail. (The two notifications of one record — new
 * and previous owner — are independent: one may fail while the other is
 * delivered; the retry sends only the missing one.)
 *
 * Partial batch failure. Lambda retries from the lowest sequence number
 * reported, re-delivering every record after it, so the response names
 * the first failed record in stream order; records after it that were
 * delivered are recognised as duplicates on the retry.
 *
 * Log write failures. A message was published but its SENT mark could not
 * be written: the record does not fail (the owner was told), the claim
 * stays CLAIMED until it goes stale, and it is counted in
 * log_write_failures. A release that fails leaves the claim to go stale;
 * the retry then waits for the timeout before re-sending.
 */
#pragma once

#include <glib.h>
#include "dbt-batch-stats.h"
#include "dbt-handler-config.h"
#include "dbt-message.h"
#include "dbt-notification.h"

G_BEGIN_DECLS

#define DBT_PUBLISH_BATCH_MAX_ENTRIES 10

typedef enum
{
  DBT_CLAIM_ACQUIRED,   /* the entry did not exist; this attempt now holds it */
  DBT_CLAIM_SENT,       /* an earlier attempt delivered the pair */
  DBT_CLAIM_PENDING,    /* claimed earlier, not SENT; see claimed_at_ms */
} DbtClaimOutcome;

typedef struct
{
  char   *message_id;   /* set on success (the sink allocates; the planner frees) */
  GError *error;        /* set on failure */
} DbtPublishResult;

/* Every function gets the sink's @user_data first. Functions returning
 * gboolean return FALSE and set @error on failure (DBT_AWS_ERROR). Claim
 * times are epoch milliseconds and double as the claim's identity: the
 * conditions of reclaim, mark_sent and release compare them. */
typedef struct
{
  /* Conditional put of @log_key {state CLAIMED, claimed_at @now_ms,
   * expires_at @expires_at_s (epoch seconds)} when no entry has that key.
   * @notification tells what the pair is, for the log's readers (owner,
   * event id, sequence number, table, key). When an entry exists, reports
   * its state: DBT_CLAIM_SENT, or DBT_CLAIM_PENDING with its claim time in
   * @claimed_at_ms. */
  gboolean (*claim)         (gpointer               user_data,
                             const char            *log_key,
                             const DbtNotification *notification,
                             gint64                 now_ms,
                             gint64                 expires_at_s,
                             DbtClaimOutcome       *outcome,
                             gint64                *claimed_at_ms,
                             GError               **error);
  /* Takes over a stale claim: set claimed_at to @now_ms if the entry is
   * still CLAIMED at @stale_claimed_at_ms; DBT_AWS_ERROR_CONDITION_FAILED
   * when another attempt took it first. */
  gboolean (*reclaim)       (gpointer     user_data,
                             const char  *log_key,
                             gint64       stale_claimed_at_ms,
                             gint64       now_ms,
                             GError     **error);
  /* One PublishBatch request of 1 to 10 messages. Fills @results[i] for
   * every message: a message id or an error (a failed request: an error
   * for each). */
  void     (*publish_batch) (gpointer           user_data,
                             DbtMessage *const *messages,
                             guint              n_messages,
                             DbtPublishResult  *results);
  /* Marks the pair SENT with @message_id at @sent_at_ms, if it is still
   * CLAIMED at @claimed_at_ms. */
  gboolean (*mark_sent)     (gpointer     user_data,
                             const char  *log_key,
                             gint64       claimed_at_ms,
                             const char  *message_id,
                             gint64       sent_at_ms,
                             GError     **error);
  /* Deletes the entry if it is still CLAIMED at @claimed_at_ms. */
  gboolean (*release)       (gpointer     user_data,
                             const char  *log_key,
                             gint64       claimed_at_ms,
                             GError     **error);
  /* The clock, epoch milliseconds; NULL: the real time. */
  gint64   (*now_ms)        (gpointer     user_data);
  gpointer user_data;
} DbtDeliverySink;

typedef struct
{
  gint64 stale_after_ms;      /* a claim older than this may be taken over */
  guint  ttl_days;            /* log entries expire this long after their claim */
  gsize  max_message_bytes;   /* per message and per PublishBatch request */
} DbtDeliveryOptions;

/* From the configuration: the function timeout, the TTL, DBT_MESSAGE_MAX_BYTES. */
void dbt_delivery_options_init (DbtDeliveryOptions     *options,
                                const DbtHandlerConfig *config);

typedef struct
{
  GArray *failed_records;                /* guint batch indices, ascending, unique */
  char   *first_failed_sequence_number;  /* NULL when nothing failed */
  guint   messages_built;
} DbtDeliveryResult;

/* Delivers @notifications (DbtNotification*, stream order, from
 * dbt_processor_run()). Adds to @stats: notified, changes_delivered,
 * failed, duplicates, log_write_failures. Never fails as a whole: every
 * failure is a failed record in the result. */
DbtDeliveryResult *dbt_delivery_run         (const DbtDeliveryOptions *options,
                                             GPtrArray                *notifications,
                                             const DbtDeliverySink    *sink,
                                             DbtBatchStats            *stats);
void               dbt_delivery_result_free (DbtDeliveryResult *result);

/* The invocation's response for a stream event source with
 * ReportBatchItemFailures: {"batchItemFailures":[{"itemIdentifier":"SEQ"}]}
 * naming @first_failed_sequence_number, or {"batchItemFailures":[]} when
 * it is NULL (everything done). Compact JSON. */
char *dbt_batch_response_render (const char *first_failed_sequence_number);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtDeliveryResult, dbt_delivery_result_free)

G_END_DECLS
