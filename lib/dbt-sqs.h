/* dbt-sqs.h — typed SQS calls (JSON 1.0 protocol): queues, send, receive,
 * delete. Queues are named by their URL, as SQS does.
 *
 * The console reads the handler's dead-letter queue with these; the tests
 * use a queue as an SNS subscriber to see what a filter policy lets through.
 */
#pragma once

#include <gio/gio.h>
#include "dbt-aws-client.h"
#include "dbt-message-attribute.h"

G_BEGIN_DECLS

#define DBT_SQS_MAX_MESSAGE_BYTES (1024 * 1024)

/* CreateQueue (idempotent for identical attributes); returns the queue URL.
 * @attributes: NULL-terminated name, value pairs ("VisibilityTimeout", "30",
 * "Policy", "{...}"...), or NULL. */
char *dbt_sqs_create_queue  (DbtAwsClient      *client,
                             const char        *queue_name,
                             const char *const *attributes,
                             GCancellable      *cancellable,
                             GError           **error);
gboolean dbt_sqs_delete_queue (DbtAwsClient *client,
                               const char   *queue_url,
                               GCancellable *cancellable,
                               GError      **error);
char *dbt_sqs_get_queue_url (DbtAwsClient *client,
                             const char   *queue_name,
                             GCancellable *cancellable,
                             GError      **error);

/* GetQueueAttributes: @names NULL-terminated, NULL for "All". Returns a
 * new string table ("QueueArn", "ApproximateNumberOfMessages"...). */
GHashTable *dbt_sqs_get_queue_attributes (DbtAwsClient       *client,
                                          const char         *queue_url,
                                          const char *const  *names,
                                          GCancellable       *cancellable,
                                          GError            **error);
gboolean dbt_sqs_set_queue_attributes (DbtAwsClient      *client,
                                       const char        *queue_url,
                                       const char *const *attributes,
                                       GCancellable      *cancellable,
                                       GError           **error);

/* SendMessage; returns the MessageId. @body: 1 byte to 1 MiB. */
char *dbt_sqs_send_message (DbtAwsClient              *client,
                            const char                *queue_url,
                            const char                *body,
                            const DbtMessageAttribute *attributes,
                            guint                      n_attributes,
                            guint                      delay_seconds,
                            GCancellable              *cancellable,
                            GError                   **error);

typedef struct
{
  guint max_messages;         /* 1..10; 0: 1 */
  guint wait_time_seconds;    /* long polling, 0..20 */
  guint visibility_timeout;   /* seconds hidden from other receivers; 0: the queue's default */
} DbtSqsReceiveOptions;

typedef struct
{
  char       *message_id;
  char       *receipt_handle;     /* for dbt_sqs_delete_message() */
  char       *body;
  char       *md5_of_body;
  GHashTable *attributes;         /* system attributes: "SentTimestamp", "ApproximateReceiveCount"... */
  GHashTable *message_attributes; /* name → string value (binary ones as base64) */
} DbtSqsMessage;

void dbt_sqs_message_free (DbtSqsMessage *message);

/* ReceiveMessage with every system and message attribute. Returns
 * DbtSqsMessage*, empty when the wait ended with none. */
GPtrArray *dbt_sqs_receive_message (DbtAwsClient               *client,
                                    const char                 *queue_url,
                                    const DbtSqsReceiveOptions *options, /* NULL: one message, no wait */
                                    GCancellable               *cancellable,
                                    GError                    **error);

gboolean dbt_sqs_delete_message (DbtAwsClient *client,
                                 const char   *queue_url,
                                 const char   *receipt_handle,
                                 GCancellable *cancellable,
                                 GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtSqsMessage, dbt_sqs_message_free)

G_END_DECLS
