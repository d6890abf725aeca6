/* dbt-outbox.h — the mail SNS would have sent, as files.
 *
 * The local stack's SNS accepts e-mail subscriptions but mails nothing. So
 * the runner subscribes a queue of its own ("dbtrigger-local-outbox-<hash
 * of the stack dir>") to the notifications topic (terraform output
 * topic_arn; without it, every topic with an e-mail subscription), with no
 * filter policy and RawMessageDelivery false, so each message arrives in
 * its SNS envelope (Subject, Message, MessageAttributes, MessageId). For
 * every message, and for every confirmed e-mail subscription of its topic
 * whose filter policy matches (dbt-filter-policy.h), it writes the mail
 * (dbt-eml.h) to OUTBOX/<address>/<timestamp>-<message id>.eml, atomically
 * (temporary file, then rename). The name depends only on the message, so
 * a message received twice is written once.
 *
 * Confirmation: moto marks every subscription confirmed at once
 * (PendingConfirmation "false", a real subscription ARN), e-mail ones
 * included; a subscription whose ARN is "PendingConfirmation" or whose
 * PendingConfirmation attribute is "true" gets nothing, as on AWS.
 */
#pragma once

#include <gio/gio.h>
#include "dbt-local-context.h"

G_BEGIN_DECLS

typedef struct _DbtOutbox DbtOutbox;

DbtOutbox *dbt_outbox_new      (DbtLocalContext *context);
/* Stops the receiving thread. */
void       dbt_outbox_free     (DbtOutbox *outbox);

/* Creates the queue and subscribes it to the topics found now (new topics
 * are picked up on the next call). With @receive, starts receiving in a
 * thread of its own the first time. Call it before the stream is read, so
 * the queue hears every message the handler publishes. */
void       dbt_outbox_refresh  (DbtOutbox    *outbox,
                                gboolean      receive,
                                GCancellable *cancellable);
/* --once: refresh, then receive until the queue is empty. */
void       dbt_outbox_run_once (DbtOutbox    *outbox,
                                GCancellable *cancellable);

/* The file name of a message: "20261125T083709.123Z-<message id>.eml"
 * from the envelope's Timestamp (ISO 8601) and MessageId. */
char      *dbt_outbox_file_name (const char *timestamp,
                                 const char *message_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtOutbox, dbt_outbox_free)

G_END_DECLS
