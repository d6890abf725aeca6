/* dbt-sqs.c — typed SQS calls over the JSON 1.0 protocol. */
#include "dbt-sqs.h"

#include <string.h>
#include "dbt-service-private.h"

#define TARGET_PREFIX "AmazonSQS."
#define MAX_RECEIVE_MESSAGES 10
#define MAX_WAIT_SECONDS 20

static JsonNode *
sqs_call (DbtAwsClient *client,
          const char   *op,
          const char   *queue,
          JsonBuilder  *builder,
          GCancellable *cancellable,
          GError      **error)
{
  g_autofree char *subject = NULL;

  if (queue != NULL)
    subject = g_strdup_printf ("queue “%s”", queue);
  return dbt_service_call_json (client, DBT_SERVICE_SQS, TARGET_PREFIX, op, subject,
                                builder, cancellable, error);
}

/* {"QueueUrl": @queue_url, ... (the caller continues the object) */
static JsonBuilder *
begin_queue_request (const char *queue_url)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  dbt_json_builder_add_string (builder, "QueueUrl", queue_url);
  return builder;
}

static const char *
require_member (JsonNode   *response,
                const char *member,
                const char *op,
                GError    **error)
{
  const char *value = dbt_json_get_string (json_node_get_object (response), member);

  if (value == NULL)
    dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                       "%s: no %s in the response", op, member);
  return value;
}

char *
dbt_sqs_create_queue (DbtAwsClient      *client,
                      const char        *queue_name,
                      const char *const *attributes,
                      GCancellable      *cancellable,
                      GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) response = NULL;

  g_return_val_if_fail (client != NULL, NULL);

  if (!dbt_require_string (queue_name, "The queue name", error)
      || !dbt_require_pairs (attributes, "CreateQueue attributes", error))
    return NULL;

  json_builder_begin_object (builder);
  dbt_json_builder_add_string (builder, "QueueName", queue_name);
  dbt_json_builder_add_pairs (builder, "Attributes", attributes);
  json_builder_end_object (builder);

  response = sqs_call (client, "CreateQueue", queue_name, builder, cancellable, error);
  if (response == NULL)
    return NULL;
  return g_strdup (require_member (response, "QueueUrl", "CreateQueue", error));
}

gboolean
dbt_sqs_delete_queue (DbtAwsClient *client,
                      const char   *queue_url,
                      GCancellable *cancellable,
                      GError      **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;

  g_return_val_if_fail (client != NULL, FALSE);

  if (!dbt_require_string (queue_url, "The queue URL", error))
    return FALSE;
  builder = begin_queue_request (queue_url);
  json_builder_end_object (builder);
  response = sqs_call (client, "DeleteQueue", queue_url, builder, cancellable, error);
  return response != NULL;
}

char *
dbt_sqs_get_queue_url (DbtAwsClient *client,
                       const char   *queue_name,
                       GCancellable *cancellable,
                       GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) response = NULL;

  g_return_val_if_fail (client != NULL, NULL);

  if (!dbt_require_string (queue_name, "The queue name", error))
    return NULL;

  json_builder_begin_object (builder);
  dbt_json_builder_add_string (builder, "QueueName", queue_name);
  json_builder_end_object (builder);

  response = sqs_call (client, "GetQueueUrl", queue_name, builder, cancellable, error);
  if (response == NULL)
    return NULL;
  return g_strdup (require_member (response, "QueueUrl", "GetQueueUrl", error));
}

static void
add_string_array (JsonBuilder       *builder,
                  const char        *name,
                  const char *const *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

GHashTable *
dbt_sqs_get_queue_attributes (DbtAwsClient       *client,
                              const char         *queue_url,
                              const char *const  *names,
                              GCancellable       *cancellable,
                              GError            **error)
{
  static const char *const all[] = { "All", NULL };
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;

  g_return_val_if_fail (client != NULL, NULL);

  if (!dbt_require_string (queue_url, "The queue URL", error))
    return NULL;

  builder = begin_queue_request (queue_url);
  add_string_array (builder, "AttributeNames", names != NULL ? names : all);
  json_builder_end_object (builder);

  response = sqs_call (client, "GetQueueAttributes", queue_url, builder, cancellable, error);
  if (response == NULL)
    return NULL;
  return dbt_json_get_string_map (json_node_get_object (response), "Attributes");
}

gboolean
dbt_sqs_set_queue_attributes (DbtAwsClient      *client,
                              const char        *queue_url,
                              const char *const *attributes,
                              GCancellable      *cancellable,
                              GError           **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;

  g_return_val_if_fail (client != NULL, FALSE);

  if (!dbt_require_string (queue_url, "The queue URL", error)
      || !dbt_require_pairs (attributes, "SetQueueAttributes attributes", error))
    return FALSE;

  builder = begin_queue_request (queue_url);
  dbt_json_builder_add_pairs (builder, "Attributes", attributes);
  json_builder_end_object (builder);

  response = sqs_call (client, "SetQueueAttributes", queue_url, builder, cancellable, error);
  return response != NULL;
}

char *
dbt_sqs_send_message (DbtAwsClient              *client,
                      const char                *queue_url,
                      const char                *body,
                      const DbtMessageAttribute *attributes,
                      guint                      n_attributes,
                      guint                      delay_seconds,
                      GCancellable              *cancellable,
                      GError                   **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;
  gsize bytes;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (attributes != NULL || n_attributes == 0, NULL);

  if (!dbt_require_string (queue_url, "The queue URL", error)
      || !dbt_require_string (body, "The message body", error))
    return NULL;

  bytes = strlen (body);
  for (guint i = 0; i < n_attributes; i++)
    {
      if (attributes[i].name == NULL || attributes[i].name[0] == '\0'
          || attributes[i].string_value == NULL)
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                             "SendMessage: message attribute %u has no name or no value", i);
          return NULL;
        }
      bytes += strlen (attributes[i].name) + strlen (attributes[i].string_value);
    }
  if (bytes > DBT_SQS_MAX_MESSAGE_BYTES)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "SendMessage: the message takes %" G_GSIZE_FORMAT
                         " bytes, more than SQS's %d", bytes, DBT_SQS_MAX_MESSAGE_BYTES);
      return NULL;
    }

  builder = begin_queue_request (queue_url);
  dbt_json_builder_add_string (builder, "MessageBody", body);
  if (delay_seconds > 0)
    dbt_json_builder_add_int (builder, "DelaySeconds", delay_seconds);
  if (n_attributes > 0)
    {
      json_builder_set_member_name (builder, "MessageAttributes");
      json_builder_begin_object (builder);
      for (guint i = 0; i < n_attributes; i++)
        {
          json_builder_set_member_name (builder, attributes[i].name);
          json_builder_begin_object (builder);
          dbt_json_builder_add_string (builder, "DataType",
                                       attributes[i].data_type != NULL ? attributes[i].data_type
                                                                       : "String");
          dbt_json_builder_add_string (builder, "StringValue", attributes[i].string_value);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  response = sqs_call (client, "SendMessage", queue_url, builder, cancellable, error);
  if (response == NULL)
    return NULL;
  return g_strdup (require_member (response, "MessageId", "SendMessage", error));
}

void
dbt_sqs_message_free (DbtSqsMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->message_id);
  g_free (message->receipt_handle);
  g_free (message->body);
  g_free (message->md5_of_body);
  g_clear_pointer (&message->attributes, g_hash_table_unref);
  g_clear_pointer (&message->message_attributes, g_hash_table_unref);
  g_free (message);
}

static GHashTable *
read_message_attributes (JsonObject *message)
{
  JsonObject *map = dbt_json_get_object (message, "MessageAttributes");
  GHashTable *table = dbt_string_table_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (map == NULL)
    return table;

  json_object_iter_init (&iter, map);
  while (json_object_iter_next (&iter, &name, &value))
    {
      JsonObject *attribute = JSON_NODE_HOLDS_OBJECT (value) ? json_node_get_object (value) : NULL;
      const char *text = dbt_json_get_string (attribute, "StringValue");

      if (text == NULL)
        text = dbt_json_get_string (attribute, "BinaryValue");
      if (text != NULL)
        g_hash_table_insert (table, g_strdup (name), g_strdup (text));
    }
  return table;
}

GPtrArray *
dbt_sqs_receive_message (DbtAwsClient               *client,
                         const char                 *queue_url,
                         const DbtSqsReceiveOptions *options,
                         GCancellable               *cancellable,
                         GError                    **error)
{
  static const char *const all[] = { "All", NULL };
  static const DbtSqsReceiveOptions defaults = { 1, 0, 0 };
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  JsonArray *array;

  g_return_val_if_fail (client != NULL, NULL);

  if (options == NULL)
    options = &defaults;
  if (!dbt_require_string (queue_url, "The queue URL", error))
    return NULL;
  if (options->max_messages > MAX_RECEIVE_MESSAGES || options->wait_time_seconds > MAX_WAIT_SECONDS)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "ReceiveMessage: at most %d messages and a wait of at most %d s",
                         MAX_RECEIVE_MESSAGES, MAX_WAIT_SECONDS);
      return NULL;
    }

  builder = begin_queue_request (queue_url);
  dbt_json_builder_add_int (builder, "MaxNumberOfMessages", MAX (options->max_messages, 1));
  dbt_json_builder_add_int (builder, "WaitTimeSeconds", options->wait_time_seconds);
  if (options->visibility_timeout > 0)
    dbt_json_builder_add_int (builder, "VisibilityTimeout", options->visibility_timeout);
  add_string_array (builder, "AttributeNames", all);
  add_string_array (builder, "MessageAttributeNames", all);
  json_builder_end_object (builder);

  response = sqs_call (client, "ReceiveMessage", queue_url, builder, cancellable, error);
  if (response == NULL)
    return NULL;

  messages = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_sqs_message_free);
  array = dbt_json_get_array (json_node_get_object (response), "Messages");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      DbtSqsMessage *message;

      if (object == NULL || dbt_json_get_string (object, "ReceiptHandle") == NULL)
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                             "ReceiveMessage: message %u has no receipt handle", i);
          return NULL;
        }
      message = g_new0 (DbtSqsMessage, 1);
      message->message_id = g_strdup (dbt_json_get_string (object, "MessageId"));
      message->receipt_handle = g_strdup (dbt_json_get_string (object, "ReceiptHandle"));
      message->body = g_strdup (dbt_json_get_string (object, "Body"));
      message->md5_of_body = g_strdup (dbt_json_get_string (object, "MD5OfBody"));
      message->attributes = dbt_json_get_string_map (object, "Attributes");
      message->message_attributes = read_message_attributes (object);
      g_ptr_array_add (messages, message);
    }
  return g_steal_pointer (&messages);
}

gboolean
dbt_sqs_delete_message (DbtAwsClient *client,
                        const char   *queue_url,
                        const char   *receipt_handle,
                        GCancellable *cancellable,
                        GError      **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;

  g_return_val_if_fail (client != NULL, FALSE);

  if (!dbt_require_string (queue_url, "The queue URL", error)
      || !dbt_require_string (receipt_handle, "The receipt handle", error))
    return FALSE;

  builder = begin_queue_request (queue_url);
  dbt_json_builder_add_string (builder, "ReceiptHandle", receipt_handle);
  json_builder_end_object (builder);

  response = sqs_call (client, "DeleteMessage", queue_url, builder, cancellable, error);
  return response != NULL;
}
