/* dbt-sns.c — typed SNS calls over the query protocol. */
#include "dbt-sns.h"

#include <string.h>
#include "dbt-service-private.h"

#define SNS_VERSION "2010-03-31"
#define MAX_SUBJECT_CHARS 100
#define MAX_BATCH_ID_CHARS 80

static DbtXmlNode *
sns_call (DbtAwsClient *client,
          const char   *action,
          const char   *subject,
          GPtrArray    *params,
          GCancellable *cancellable,
          GError      **error)
{
  DbtXmlNode *root;

  root = dbt_aws_client_call_query (client, DBT_SERVICE_SNS, action, SNS_VERSION,
                                    dbt_query_params_end (params), cancellable, error);
  if (root == NULL)
    dbt_service_prefix_error (error, action, subject);
  return root;
}

/* The text at @path, or DBT_AWS_ERROR_MALFORMED_RESPONSE. */
static const char *
require_text (DbtXmlNode *root,
              const char *path,
              const char *action,
              GError    **error)
{
  const char *text = dbt_xml_find_text (root, path);

  if (text == NULL || text[0] == '\0')
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                         "%s: no %s in the response", action, path);
      return NULL;
    }
  return text;
}

/* Message payload checks */

static gboolean
id_is_valid (const char *id)
{
  gsize len = id != NULL ? strlen (id) : 0;

  if (len == 0 || len > MAX_BATCH_ID_CHARS)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_')
      return FALSE;
  return TRUE;
}

/* Bytes the message counts against the 256 KB limit: the body plus every
 * attribute's name, type and value, as SNS counts them. 0 with an error
 * when the message is malformed. */
static gsize
message_payload_bytes (const DbtSnsMessage *message,
                       const char          *what,
                       GError             **error)
{
  gsize bytes;

  if (message->message == NULL || message->message[0] == '\0')
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "%s: the message is empty", what);
      return 0;
    }
  if (message->subject != NULL
      && (message->subject[0] == '\0'
          || g_utf8_strlen (message->subject, -1) > MAX_SUBJECT_CHARS))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "%s: the subject must have 1 to %d characters",
                         what, MAX_SUBJECT_CHARS);
      return 0;
    }

  if (message->n_attributes > DBT_SNS_MAX_MESSAGE_ATTRIBUTES)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "%s: %u message attributes; SNS takes at most %d",
                         what, message->n_attributes, DBT_SNS_MAX_MESSAGE_ATTRIBUTES);
      return 0;
    }

  bytes = strlen (message->message);
  for (guint i = 0; i < message->n_attributes; i++)
    {
      const DbtMessageAttribute *attribute = &message->attributes[i];

      if (attribute->name == NULL || attribute->name[0] == '\0'
          || attribute->string_value == NULL)
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                             "%s: message attribute %u has no name or no value", what, i);
          return 0;
        }
      bytes += strlen (attribute->name) + strlen (attribute->string_value)
               + strlen (attribute->data_type != NULL ? attribute->data_type : "String");
    }
  return bytes;
}

/* Adds @message's members under @prefix ("" for Publish,
 * "PublishBatchRequestEntries.member.N." for a batch entry). */
static void
add_message_params (GPtrArray           *params,
                    const char          *prefix,
                    const DbtSnsMessage *message)
{
  if (message->id != NULL && prefix[0] != '\0')
    dbt_query_params_add_printf (params, message->id, "%sId", prefix);
  dbt_query_params_add_printf (params, message->message, "%sMessage", prefix);
  if (message->subject != NULL)
    dbt_query_params_add_printf (params, message->subject, "%sSubject", prefix);
  if (message->message_group_id != NULL)
    dbt_query_params_add_printf (params, message->message_group_id, "%sMessageGroupId", prefix);
  if (message->message_deduplication_id != NULL)
    dbt_query_params_add_printf (params, message->message_deduplication_id,
                                 "%sMessageDeduplicationId", prefix);
  for (guint i = 0; i < message->n_attributes; i++)
    {
      const DbtMessageAttribute *attribute = &message->attributes[i];

      dbt_query_params_add_printf (params, attribute->name,
                                   "%sMessageAttributes.entry.%u.Name", prefix, i + 1);
      dbt_query_params_add_printf (params,
                                   attribute->data_type != NULL ? attribute->data_type : "String",
                                   "%sMessageAttributes.entry.%u.Value.DataType", prefix, i + 1);
      dbt_query_params_add_printf (params, attribute->string_value,
                                   "%sMessageAttributes.entry.%u.Value.StringValue", prefix, i + 1);
    }
}

static gboolean
check_topic (const char *topic_arn,
             GError    **error)
{
  return dbt_require_string (topic_arn, "The topic ARN", error);
}

char *
dbt_sns_publish (DbtAwsClient        *client,
                 const char          *topic_arn,
                 const DbtSnsMessage *message,
                 GCancellable        *cancellable,
                 GError             **error)
{
  g_autoptr(GPtrArray) params = dbt_query_params_new ();
  g_autoptr(DbtXmlNode) root = NULL;
  g_autofree char *subject = NULL;
  const char *message_id;
  gsize bytes;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  if (!check_topic (topic_arn, error))
    return NULL;
  bytes = message_payload_bytes (message, "Publish", error);
  if (bytes == 0)
    return NULL;
  if (bytes > DBT_SNS_MAX_PAYLOAD_BYTES)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "Publish: the message and its attributes take %" G_GSIZE_FORMAT
                         " bytes, more than SNS's %d", bytes, DBT_SNS_MAX_PAYLOAD_BYTES);
      return NULL;
    }

  dbt_query_params_add (params, "TopicArn", topic_arn);
  add_message_params (params, "", message);
  subject = g_strdup_printf ("topic “%s”", topic_arn);
  root = sns_call (client, "Publish", subject, params, cancellable, error);
  if (root == NULL)
    return NULL;
  message_id = require_text (root, "PublishResult/MessageId", "Publish", error);
  return g_strdup (message_id);
}

/* PublishBatch */

static void
batch_entry_result_free (DbtSnsBatchEntryResult *entry)
{
  g_free (entry->id);
  g_free (entry->message_id);
  g_free (entry->code);
  g_free (entry->message);
  g_free (entry);
}

void
dbt_sns_batch_result_free (DbtSnsBatchResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->entries, g_ptr_array_unref);
  g_free (result);
}

static gboolean
check_batch (const DbtSnsMessage *entries,
             guint                n_entries,
             GError             **error)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  gsize total = 0;

  if (n_entries == 0 || n_entries > DBT_SNS_MAX_BATCH_ENTRIES)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "PublishBatch: %u entries; a batch has 1 to %d",
                         n_entries, DBT_SNS_MAX_BATCH_ENTRIES);
      return FALSE;
    }

  for (guint i = 0; i < n_entries; i++)
    {
      g_autofree char *what = g_strdup_printf ("PublishBatch entry %u", i);
      gsize bytes;

      if (!id_is_valid (entries[i].id))
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                             "%s: the id must have 1 to %d characters of A-Z a-z 0-9 - _",
                             what, MAX_BATCH_ID_CHARS);
          return FALSE;
        }
      if (!g_hash_table_add (ids, (gpointer) entries[i].id))
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                             "%s: the id “%s” is used twice", what, entries[i].id);
          return FALSE;
        }
      bytes = message_payload_bytes (&entries[i], what, error);
      if (bytes == 0)
        return FALSE;
      total += bytes;
    }

  if (total > DBT_SNS_MAX_PAYLOAD_BYTES)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "PublishBatch: the %u messages take %" G_GSIZE_FORMAT
                         " bytes together, more than SNS's %d",
                         n_entries, total, DBT_SNS_MAX_PAYLOAD_BYTES);
      return FALSE;
    }
  return TRUE;
}

static DbtSnsBatchEntryResult *
lookup_entry (GHashTable *by_id,
              DbtXmlNode *member)
{
  const char *id = dbt_xml_find_text (member, "Id");

  return id != NULL ? g_hash_table_lookup (by_id, id) : NULL;
}

DbtSnsBatchResult *
dbt_sns_publish_batch (DbtAwsClient        *client,
                       const char          *topic_arn,
                       const DbtSnsMessage *entries,
                       guint                n_entries,
                       GCancellable        *cancellable,
                       GError             **error)
{
  g_autoptr(GPtrArray) params = dbt_query_params_new ();
  g_autoptr(DbtXmlNode) root = NULL;
  g_autoptr(DbtSnsBatchResult) result = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) successful = NULL;
  g_autoptr(GPtrArray) failed = NULL;
  g_autofree char *subject = NULL;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (entries != NULL || n_entries == 0, NULL);

  if (!check_topic (topic_arn, error) || !check_batch (entries, n_entries, error))
    return NULL;

  dbt_query_params_add (params, "TopicArn", topic_arn);
  for (guint i = 0; i < n_entries; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("PublishBatchRequestEntries.member.%u.", i + 1);

      add_message_params (params, prefix, &entries[i]);
    }
  subject = g_strdup_printf ("topic “%s”", topic_arn);
  root = sns_call (client, "PublishBatch", subject, params, cancellable, error);
  if (root == NULL)
    return NULL;

  result = g_new0 (DbtSnsBatchResult, 1);
  result->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_entry_result_free);
  for (guint i = 0; i < n_entries; i++)
    {
      DbtSnsBatchEntryResult *entry = g_new0 (DbtSnsBatchEntryResult, 1);

      entry->id = g_strdup (entries[i].id);
      g_ptr_array_add (result->entries, entry);
      g_hash_table_insert (by_id, entry->id, entry);
    }

  successful = dbt_xml_find_all (root, "PublishBatchResult/Successful", "member");
  for (guint i = 0; i < successful->len; i++)
    {
      DbtXmlNode *member = g_ptr_array_index (successful, i);
      DbtSnsBatchEntryResult *entry = lookup_entry (by_id, member);

      if (entry == NULL)
        continue;
      entry->succeeded = TRUE;
      g_free (entry->message_id);
      entry->message_id = g_strdup (dbt_xml_find_text (member, "MessageId"));
    }

  failed = dbt_xml_find_all (root, "PublishBatchResult/Failed", "member");
  for (guint i = 0; i < failed->len; i++)
    {
      DbtXmlNode *member = g_ptr_array_index (failed, i);
      DbtSnsBatchEntryResult *entry = lookup_entry (by_id, member);

      if (entry == NULL)
        continue;
      entry->succeeded = FALSE;
      g_free (entry->code);
      g_free (entry->message);
      entry->code = g_strdup (dbt_xml_find_text (member, "Code"));
      entry->message = g_strdup (dbt_xml_find_text (member, "Message"));
      entry->sender_fault = g_strcmp0 (dbt_xml_find_text (member, "SenderFault"), "true") == 0;
    }

  /* Every entry must be accounted for; one the server left out would
   * otherwise look like neither a success nor a failure. */
  for (guint i = 0; i < result->entries->len; i++)
    {
      DbtSnsBatchEntryResult *entry = g_ptr_array_index (result->entries, i);

      if (!entry->succeeded && entry->code == NULL)
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                             "PublishBatch on topic “%s”: the response does not mention entry “%s”",
                             topic_arn, entry->id);
          return NULL;
        }
      if (!entry->succeeded)
        result->n_failed++;
    }
  return g_steal_pointer (&result);
}

/* Topics */

char *
dbt_sns_create_topic (DbtAwsClient      *client,
                      const char        *name,
                      const char *const *attributes,
                      GCancellable      *cancellable,
                      GError           **error)
{
  g_autoptr(GPtrArray) params = dbt_query_params_new ();
  g_autoptr(DbtXmlNode) root = NULL;
  g_autofree char *subject = NULL;

  g_return_val_if_fail (client != NULL, NULL);

  if (!dbt_require_string (name, "The topic name", error)
      || !dbt_require_pairs (attributes, "CreateTopic attributes", error))
    return NULL;

  dbt_query_params_add (params, "Name", name);
  dbt_query_params_add_map (params, "Attributes", attributes);
  subject = g_strdup_printf ("topic “%s”", name);
  root = sns_call (client, "CreateTopic", subject, params, cancellable, error);
  if (root == NULL)
    return NULL;
  return g_strdup (require_text (root, "CreateTopicResult/TopicArn", "CreateTopic", error));
}

gboolean
dbt_sns_delete_topic (DbtAwsClient *client,
                      const char   *topic_arn,
                      GCancellable *cancellable,
                      GError      **error)
{
  g_autoptr(GPtrArray) params = dbt_query_params_new ();
  g_autoptr(DbtXmlNode) root = NULL;
  g_autofree char *subject = NULL;

  g_return_val_if_fail (client != NULL, FALSE);

  if (!check_topic (topic_arn, error))
    return FALSE;
  dbt_query_params_add (params, "TopicArn", topic_arn);
  subject = g_strdup_printf ("topic “%s”", topic_arn);
  root = sns_call (client, "DeleteTopic", subject, params, cancellable, error);
  return root != NULL;
}

char **
dbt_sns_list_topics (DbtAwsClient *client,
                     GCancellable *cancellable,
                     GError      **error)
{
  g_autoptr(GStrvBuilder) topics = g_strv_builder_new ();
  g_autofree char *next_token = NULL;

  g_return_val_if_fail (client != NULL, NULL);

  do
    {
      g_autoptr(GPtrArray) params = dbt_query_params_new ();
      g_autoptr(DbtXmlNode) root = NULL;
      g_autoptr(GPtrArray) members = NULL;

      if (next_token != NULL)
        dbt_query_params_add (params, "NextToken", next_token);
      root = sns_call (client, "ListTopics", NULL, params, cancellable, error);
      if (root == NULL)
        return NULL;
      members = dbt_xml_find_all (root, "ListTopicsResult/Topics", "member");
      for (guint i = 0; i < members->len; i++)
        {
          const char *arn = dbt_xml_find_text (g_ptr_array_index (members, i), "TopicArn");

          if (arn != NULL)
            g_strv_builder_add (topics, arn);
        }
      g_free (next_token);
      next_token = g_strdup (dbt_xml_find_text (root, "ListTopicsResult/NextToken"));
      if (next_token != NULL && next_token[0] == '\0')
        g_clear_pointer (&next_token, g_free);
    }
  while (next_token != NULL);

  return g_strv_builder_end (topics);
}

/* Subscriptions */

char *
dbt_sns_subscribe (DbtAwsClient      *client,
                   const char        *topic_arn,
                   const char        *protocol,
                   const char        *endpoint,
                   const char *const *attributes,
                   GCancellable      *cancellable,
                   GError           **error)
{
  g_autoptr(GPtrArray) params = dbt_query_params_new ();
  g_autoptr(DbtXmlNode) root = NULL;
  g_autofree char *subject = NULL;

  g_return_val_if_fail (client != NULL, NULL);

  if (!check_topic (topic_arn, error)
      || !dbt_require_string (protocol, "The subscription protocol", error)
      || !dbt_require_string (endpoint, "The subscription endpoint", error)
      || !dbt_require_pairs (attributes, "Subscribe attributes", error))
    return NULL;

  dbt_query_params_add (params, "TopicArn", topic_arn);
  dbt_query_params_add (params, "Protocol", protocol);
  dbt_query_params_add (params, "Endpoint", endpoint);
  dbt_query_params_add_map (params, "Attributes", attributes);
  dbt_query_params_add (params, "ReturnSubscriptionArn", "true");
  subject = g_strdup_printf ("topic “%s”", topic_arn);
  root = sns_call (client, "Subscribe", subject, params, cancellable, error);
  if (root == NULL)
    return NULL;
  return g_strdup (require_text (root, "SubscribeResult/SubscriptionArn", "Subscribe", error));
}

static gboolean
check_subscription (const char *subscription_arn,
                    GError    **error)
{
  if (!dbt_require_string (subscription_arn, "The subscription ARN", error))
    return FALSE;
  if (g_str_equal (subscription_arn, "PendingConfirmation"))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "A subscription pending confirmation has no ARN yet");
      return FALSE;
    }
  return TRUE;
}

gboolean
dbt_sns_unsubscribe (DbtAwsClient *client,
                     const char   *subscription_arn,
                     GCancellable *cancellable,
                     GError      **error)
{
  g_autoptr(GPtrArray) params = dbt_query_params_new ();
  g_autoptr(DbtXmlNode) root = NULL;
  g_autofree char *subject = NULL;

  g_return_val_if_fail (client != NULL, FALSE);

  if (!check_subscription (subscription_arn, error))
    return FALSE;
  dbt_query_params_add (params, "SubscriptionArn", subscription_arn);
  subject = g_strdup_printf ("subscription “%s”", subscription_arn);
  root = sns_call (client, "Unsubscribe", subject, params, cancellable, error);
  return root != NULL;
}

void
dbt_sns_subscription_free (DbtSnsSubscription *subscription)
{
  if (subscription == NULL)
    return;
  g_free (subscription->subscription_arn);
  g_free (subscription->owner);
  g_free (subscription->protocol);
  g_free (subscription->endpoint);
  g_free (subscription->topic_arn);
  g_free (subscription);
}

gboolean
dbt_sns_subscription_is_pending (const DbtSnsSubscription *subscription)
{
  g_return_val_if_fail (subscription != NULL, FALSE);

  return g_strcmp0 (subscription->subscription_arn, "PendingConfirmation") == 0;
}

GPtrArray *
dbt_sns_list_subscriptions_by_topic (DbtAwsClient *client,
                                     const char   *topic_arn,
                                     const char   *next_token,
                                     char        **out_next_token,
                                     GCancellable *cancellable,
                                     GError      **error)
{
  g_autoptr(GPtrArray) params = dbt_query_params_new ();
  g_autoptr(DbtXmlNode) root = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) subscriptions = NULL;
  g_autofree char *subject = NULL;
  const char *token;

  g_return_val_if_fail (client != NULL, NULL);

  if (out_next_token != NULL)
    *out_next_token = NULL;
  if (!check_topic (topic_arn, error))
    return NULL;

  dbt_query_params_add (params, "TopicArn", topic_arn);
  if (next_token != NULL)
    dbt_query_params_add (params, "NextToken", next_token);
  subject = g_strdup_printf ("topic “%s”", topic_arn);
  root = sns_call (client, "ListSubscriptionsByTopic", subject, params, cancellable, error);
  if (root == NULL)
    return NULL;

  subscriptions = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_sns_subscription_free);
  members = dbt_xml_find_all (root, "ListSubscriptionsByTopicResult/Subscriptions", "member");
  for (guint i = 0; i < members->len; i++)
    {
      DbtXmlNode *member = g_ptr_array_index (members, i);
      DbtSnsSubscription *subscription = g_new0 (DbtSnsSubscription, 1);

      subscription->subscription_arn = g_strdup (dbt_xml_find_text (member, "SubscriptionArn"));
      subscription->owner = g_strdup (dbt_xml_find_text (member, "Owner"));
      subscription->protocol = g_strdup (dbt_xml_find_text (member, "Protocol"));
      subscription->endpoint = g_strdup (dbt_xml_find_text (member, "Endpoint"));
      subscription->topic_arn = g_strdup (dbt_xml_find_text (member, "TopicArn"));
      g_ptr_array_add (subscriptions, subscription);
    }

  token = dbt_xml_find_text (root, "ListSubscriptionsByTopicResult/NextToken");
  if (out_next_token != NULL && token != NULL && token[0] != '\0')
    *out_next_token = g_strdup (token);
  return g_steal_pointer (&subscriptions);
}

GPtrArray *
dbt_sns_list_all_subscriptions_by_topic (DbtAwsClient *client,
                                         const char   *topic_arn,
                                         GCancellable *cancellable,
                                         GError      **error)
{
  g_autoptr(GPtrArray) all =
    g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_sns_subscription_free);
  g_autofree char *next_token = NULL;

  do
    {
      g_autofree char *token = g_steal_pointer (&next_token);
      g_autoptr(GPtrArray) page =
        dbt_sns_list_subscriptions_by_topic (client, topic_arn, token, &next_token,
                                             cancellable, error);

      if (page == NULL)
        return NULL;
      g_ptr_array_extend_and_steal (all, g_steal_pointer (&page));
    }
  while (next_token != NULL);

  return g_steal_pointer (&all);
}

GHashTable *
dbt_sns_get_subscription_attributes (DbtAwsClient *client,
                                     const char   *subscription_arn,
                                     GCancellable *cancellable,
                                     GError      **error)
{
  g_autoptr(GPtrArray) params = dbt_query_params_new ();
  g_autoptr(DbtXmlNode) root = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *subject = NULL;
  GHashTable *attributes;

  g_return_val_if_fail (client != NULL, NULL);

  if (!check_subscription (subscription_arn, error))
    return NULL;
  dbt_query_params_add (params, "SubscriptionArn", subscription_arn);
  subject = g_strdup_printf ("subscription “%s”", subscription_arn);
  root = sns_call (client, "GetSubscriptionAttributes", subject, params, cancellable, error);
  if (root == NULL)
    return NULL;

  attributes = dbt_string_table_new ();
  entries = dbt_xml_find_all (root, "GetSubscriptionAttributesResult/Attributes", "entry");
  for (guint i = 0; i < entries->len; i++)
    {
      DbtXmlNode *entry = g_ptr_array_index (entries, i);
      const char *key = dbt_xml_find_text (entry, "key");
      const char *value = dbt_xml_find_text (entry, "value");

      if (key != NULL)
        g_hash_table_insert (attributes, g_strdup (key), g_strdup (value != NULL ? value : ""));
    }
  return attributes;
}

gboolean
dbt_sns_set_subscription_attribute (DbtAwsClient *client,
                                    const char   *subscription_arn,
                                    const char   *name,
                                    const char   *value,
                                    GCancellable *cancellable,
                                    GError      **error)
{
  g_autoptr(GPtrArray) params = dbt_query_params_new ();
  g_autoptr(DbtXmlNode) root = NULL;
  g_autofree char *subject = NULL;

  g_return_val_if_fail (client != NULL, FALSE);

  if (!check_subscription (subscription_arn, error)
      || !dbt_require_string (name, "The attribute name", error))
    return FALSE;
  dbt_query_params_add (params, "SubscriptionArn", subscription_arn);
  dbt_query_params_add (params, "AttributeName", name);
  /* An empty value clears the attribute (e.g. removes a filter policy). */
  dbt_query_params_add (params, "AttributeValue", value != NULL ? value : "");
  subject = g_strdup_printf ("subscription “%s”", subscription_arn);
  root = sns_call (client, "SetSubscriptionAttributes", subject, params, cancellable, error);
  return root != NULL;
}
