/* dbt-sns.h — typed SNS calls (query protocol): topics, subscriptions with
 * filter policies, Publish and PublishBatch.
 *
 * Limits checked before sending (DBT_AWS_ERROR_INVALID_INPUT, message says
 * which): a message of 1..262144 bytes including its attributes; a batch of
 * 1..10 entries with distinct ids (1..80 of A-Z a-z 0-9 - _) and at most
 * 262144 bytes in total; a subject of at most 100 characters; at most 10
 * message attributes per message.
 */
#pragma once

#include <gio/gio.h>
#include "dbt-aws-client.h"
#include "dbt-message-attribute.h"

G_BEGIN_DECLS

#define DBT_SNS_MAX_PAYLOAD_BYTES 262144
#define DBT_SNS_MAX_BATCH_ENTRIES 10
#define DBT_SNS_MAX_MESSAGE_ATTRIBUTES 10

typedef struct
{
  const char                *id;          /* PublishBatch only: unique in the batch */
  const char                *message;
  const char                *subject;     /* NULL: none (email subject default) */
  const DbtMessageAttribute *attributes;
  guint                      n_attributes;
  const char                *message_group_id;          /* FIFO topics, else NULL */
  const char                *message_deduplication_id;  /* FIFO topics, else NULL */
} DbtSnsMessage;

/* Publish; returns the MessageId. */
char *dbt_sns_publish (DbtAwsClient        *client,
                       const char          *topic_arn,
                       const DbtSnsMessage *message,
                       GCancellable        *cancellable,
                       GError             **error);

typedef struct
{
  char    *id;
  gboolean succeeded;
  char    *message_id;     /* when succeeded */
  char    *code;           /* when failed: "InvalidParameter"... */
  char    *message;        /* when failed; may be NULL */
  gboolean sender_fault;   /* when failed: TRUE means retrying as is will fail again */
} DbtSnsBatchEntryResult;

typedef struct
{
  GPtrArray *entries;      /* DbtSnsBatchEntryResult*, in the order of the request */
  guint      n_failed;
} DbtSnsBatchResult;

void dbt_sns_batch_result_free (DbtSnsBatchResult *result);

/* PublishBatch. Per-entry failures are in the result (the call succeeds);
 * a whole-request failure (duplicate ids, unknown topic...) is an error. */
DbtSnsBatchResult *dbt_sns_publish_batch (DbtAwsClient        *client,
                                          const char          *topic_arn,
                                          const DbtSnsMessage *entries,
                                          guint                n_entries,
                                          GCancellable        *cancellable,
                                          GError             **error);

/* Topics. @attributes: NULL-terminated name, value pairs, or NULL. */
char  *dbt_sns_create_topic (DbtAwsClient      *client,
                             const char        *name,
                             const char *const *attributes,
                             GCancellable      *cancellable,
                             GError           **error);
gboolean dbt_sns_delete_topic (DbtAwsClient *client,
                               const char   *topic_arn,
                               GCancellable *cancellable,
                               GError      **error);
/* Every topic ARN (all pages). */
char **dbt_sns_list_topics  (DbtAwsClient *client,
                             GCancellable *cancellable,
                             GError      **error);

/* Subscribe, asking for the subscription ARN even while confirmation is
 * pending. @attributes: NULL-terminated name, value pairs such as
 * "FilterPolicy", "{\"owner\":[\"alice\"]}", "FilterPolicyScope",
 * "MessageAttributes", "RawMessageDelivery", "true"; or NULL. */
char *dbt_sns_subscribe (DbtAwsClient      *client,
                         const char        *topic_arn,
                         const char        *protocol,
                         const char        *endpoint,
                         const char *const *attributes,
                         GCancellable      *cancellable,
                         GError           **error);

gboolean dbt_sns_unsubscribe (DbtAwsClient *client,
                              const char   *subscription_arn,
                              GCancellable *cancellable,
                              GError      **error);

typedef struct
{
  char *subscription_arn;  /* "PendingConfirmation" while unconfirmed */
  char *owner;
  char *protocol;
  char *endpoint;
  char *topic_arn;
} DbtSnsSubscription;

void     dbt_sns_subscription_free       (DbtSnsSubscription *subscription);
gboolean dbt_sns_subscription_is_pending (const DbtSnsSubscription *subscription);

/* ListSubscriptionsByTopic, one page (the server pages by 100). @next_token
 * NULL for the first page; *@out_next_token (optional) NULL on the last. */
GPtrArray *dbt_sns_list_subscriptions_by_topic (DbtAwsClient *client,
                                                const char   *topic_arn,
                                                const char   *next_token,
                                                char        **out_next_token,
                                                GCancellable *cancellable,
                                                GError      **error);
/* Every subscription of the topic, following the pages. */
GPtrArray *dbt_sns_list_all_subscriptions_by_topic (DbtAwsClient *client,
                                                    const char   *topic_arn,
                                                    GCancellable *cancellable,
                                                    GError      **error);

/* GetSubscriptionAttributes: "FilterPolicy", "FilterPolicyScope",
 * "PendingConfirmation", "ConfirmationWasAuthenticated", "RawMessageDelivery",
 * "Endpoint", "Protocol", "Owner"... → value, as a new string table. */
GHashTable *dbt_sns_get_subscription_attributes (DbtAwsClient *client,
                                                 const char   *subscription_arn,
                                                 GCancellable *cancellable,
                                                 GError      **error);

/* SetSubscriptionAttributes, one attribute (e.g. a new "FilterPolicy"). */
gboolean dbt_sns_set_subscription_attribute (DbtAwsClient *client,
                                             const char   *subscription_arn,
                                             const char   *name,
                                             const char   *value,
                                             GCancellable *cancellable,
                                             GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtSnsBatchResult, dbt_sns_batch_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtSnsSubscription, dbt_sns_subscription_free)

G_END_DECLS
