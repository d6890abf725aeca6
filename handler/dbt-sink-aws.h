/* dbt-sink-aws.h — the delivery sink over DynamoDB and SNS.
 *
 * Implements DbtDeliverySink (dbt-delivery.h) with the notification log
 * table (LOG_TABLE) and the topic (TOPIC_ARN):
 *
 *   claim          PutItem, ConditionExpression attribute_not_exists(pk),
 *                  ReturnValuesOnConditionCheckFailure ALL_OLD; when the
 *                  condition fails, a strongly consistent GetItem of the
 *                  entry tells its state (SENT or CLAIMED and since when)
 *   reclaim        UpdateItem SET claimedAt, if state = CLAIMED and
 *                  claimedAt = the stale claim time
 *   mark_sent      UpdateItem SET state = SENT, sentAt, messageId, subject,
 *                  under the same condition on the claim
 *   release        DeleteItem under the same condition
 *   publish_batch  SNS PublishBatch with the message attributes owner,
 *                  table and event (String); one result per entry
 *
 * A log entry (terraform/table.tf, "notification_log"):
 *
 *   pk             S  "<eventID>#<owner>"   the table's key
 *   owner          S  owner id              hash key of owner-sentAt-index
 *   eventId        S  the stream record's eventID
 *   sequenceNumber S  its sequence number
 *   table          S  the items table
 *   key            S  the item's key, rendered ("id=\"a-1\"")
 *   event          S  INSERT, MODIFY or REMOVE
 *   state          S  CLAIMED, then SENT
 *   claimedAt      N  epoch milliseconds of the claim (its identity)
 *   sentAt         S  ISO 8601 UTC with milliseconds, once SENT (range key
 *                     of owner-sentAt-index, so only sent entries are listed)
 *   messageId      S  the SNS message id, once SENT
 *   subject        S  the message's subject, once SENT
 *   expiresAt      N  epoch seconds, the table's TTL attribute
 *
 * The IAM role needs dynamodb:PutItem, UpdateItem, DeleteItem and GetItem on
 * the log table and sns:Publish on the topic.
 *
 * Deadline. With a deadline set, calls stop being started once less than
 * the reserve is left: claims and publishes then fail at once with
 * DBT_AWS_ERROR_TIMEOUT, so the planner fails those records and Lambda
 * retries them, instead of the function being killed halfway; mark_sent and
 * release (the bookkeeping of what was already done) still run.
 */
#pragma once

#include "dbt-aws-client.h"
#include "dbt-delivery.h"
#include "dbt-handler-config.h"

G_BEGIN_DECLS

#define DBT_SINK_AWS_DEFAULT_RESERVE_MS 2000

#define DBT_LOG_STATE_CLAIMED "CLAIMED"
#define DBT_LOG_STATE_SENT    "SENT"

typedef struct _DbtSinkAws DbtSinkAws;

/* Takes a ref of @client; copies what it needs of @config. */
DbtSinkAws *dbt_sink_aws_new          (DbtAwsClient           *client,
                                       const DbtHandlerConfig *config);
void        dbt_sink_aws_free         (DbtSinkAws *sink);

/* Fills @sink's functions and user data (valid while @self lives). */
void        dbt_sink_aws_get_sink     (DbtSinkAws      *self,
                                       DbtDeliverySink *sink);

/* For the next invocation: no new claim or publish once fewer than
 * @reserve_ms remain before @deadline_ms (epoch ms; 0: no deadline). Also
 * forgets the subjects remembered for the previous invocation. */
void        dbt_sink_aws_begin        (DbtSinkAws *self,
                                       gint64      deadline_ms,
                                       gint64      reserve_ms);

/* Claims and publishes refused because the deadline was near, since the
 * last dbt_sink_aws_begin(). */
guint       dbt_sink_aws_get_deadline_refusals (DbtSinkAws *self);

/* "2025-01-31T12:00:00.123Z" */
char       *dbt_sink_aws_format_time  (gint64 epoch_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtSinkAws, dbt_sink_aws_free)

G_END_DECLS
