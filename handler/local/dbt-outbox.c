/* dbt-outbox.c — SNS e-mail deliveries written to files. */
#include "dbt-outbox.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "dbt-eml.h"
#include "dbt-filter-policy.h"
#include "dbt-shard-poller.h"
#include "dbt-sns.h"
#include "dbt-sqs.h"
#include "dbt-xml.h"

#define SNS_VERSION "2010-03-31"
#define SNS_FROM "no-reply@sns.amazonaws.com"

struct _DbtOutbox
{
  DbtLocalContext *context;
  GMutex           lock;
  char            *queue_url;     /* guarded by lock */
  char            *queue_arn;
  GHashTable      *display_names; /* topic ARN → DisplayName ("" when none) */
  GThread         *thread;
  GCancellable    *cancellable;   /* stops the thread */
};

typedef struct
{
  char *arn;
  char *address;
  char *filter_policy;
  char *scope;
} EmailSubscription;

static void
email_subscription_free (EmailSubscription *subscription)
{
  g_free (subscription->arn);
  g_free (subscription->address);
  g_free (subscription->filter_policy);
  g_free (subscription->scope);
  g_free (subscription);
}

DbtOutbox *
dbt_outbox_new (DbtLocalContext *context)
{
  DbtOutbox *outbox = g_new0 (DbtOutbox, 1);

  outbox->context = context;
  g_mutex_init (&outbox->lock);
  outbox->display_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  outbox->cancellable = g_cancellable_new ();
  return outbox;
}

void
dbt_outbox_free (DbtOutbox *outbox)
{
  if (outbox == NULL)
    return;
  g_cancellable_cancel (outbox->cancellable);
  if (outbox->thread != NULL)
    g_thread_join (outbox->thread);
  g_object_unref (outbox->cancellable);
  g_hash_table_unref (outbox->display_names);
  g_free (outbox->queue_url);
  g_free (outbox->queue_arn);
  g_mutex_clear (&outbox->lock);
  g_free (outbox);
}

char *
dbt_outbox_file_name (const char *timestamp,
                      const char *message_id)
{
  GString *name = g_string_new (NULL);

  /* 2026-11-25T08:37:09.123Z → 20261125T083709.123Z: sorts by time. */
  for (const char *p = timestamp != NULL ? timestamp : ""; *p != '\0'; p++)
    if (g_ascii_isalnum (*p) || *p == '.')
      g_string_append_c (name, *p);
  g_string_append_c (name, '-');
  for (const char *p = message_id != NULL ? message_id : "unknown"; *p != '\0'; p++)
    g_string_append_c (name, g_ascii_isalnum (*p) || *p == '-' ? *p : '_');
  g_string_append (name, ".eml");
  return g_string_free (name, FALSE);
}

/* --- setup ---------------------------------------------------------------- */

static char *
topic_display_name (DbtOutbox    *outbox,
                    const char   *topic_arn,
                    GCancellable *cancellable)
{
  const char *params[] = { "TopicArn", topic_arn, NULL };
  g_autoptr(DbtXmlNode) root = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  root = dbt_aws_client_call_query (outbox->context->client, DBT_SERVICE_SNS, "GetTopicAttributes",
                                    SNS_VERSION, params, cancellable, NULL);
  if (root == NULL)
    return g_strdup ("");
  entries = dbt_xml_find_all (root, "GetTopicAttributesResult/Attributes", "entry");
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    if (g_strcmp0 (dbt_xml_find_text (g_ptr_array_index (entries, i), "key"), "DisplayName") == 0)
      {
        const char *value = dbt_xml_find_text (g_ptr_array_index (entries, i), "value");

        return g_strdup (value != NULL ? value : "");
      }
  return g_strdup ("");
}

static gboolean
has_email_subscription (GPtrArray *subscriptions)
{
  for (guint i = 0; i < subscriptions->len; i++)
    if (g_strcmp0 (((DbtSnsSubscription *) g_ptr_array_index (subscriptions, i))->protocol, "email") == 0)
      return TRUE;
  return FALSE;
}

static void
subscribe_topic (DbtOutbox    *outbox,
                 const char   *topic_arn,
                 const char   *queue_arn,
                 GPtrArray    *subscriptions,
                 GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *arn = NULL;
  gboolean known;

  for (guint i = 0; i < subscriptions->len; i++)
    {
      DbtSnsSubscription *subscription = g_ptr_array_index (subscriptions, i);

      if (g_strcmp0 (subscription->protocol, "sqs") == 0 &&
          g_strcmp0 (subscription->endpoint, queue_arn) == 0)
        return;
    }
  /* No filter policy and the envelope kept (RawMessageDelivery false):
   * the outbox applies each e-mail subscription's policy itself. */
  arn = dbt_sns_subscribe (outbox->context->client, topic_arn, "sqs", queue_arn, NULL, cancellable, &error);
  if (arn == NULL)
    {
      g_warning ("outbox: cannot subscribe to %s: %s", topic_arn, error->message);
      return;
    }
  g_message ("outbox: subscribed to %s", topic_arn);
  g_mutex_lock (&outbox->lock);
  known = g_hash_table_contains (outbox->display_names, topic_arn);
  g_mutex_unlock (&outbox->lock);
  if (!known)
    {
      g_autofree char *name = topic_display_name (outbox, topic_arn, cancellable);

      g_mutex_lock (&outbox->lock);
      g_hash_table_replace (outbox->display_names, g_strdup (topic_arn), g_steal_pointer (&name));
      g_mutex_unlock (&outbox->lock);
    }
}

static gpointer receive_thread (gpointer data);

static gboolean
setup (DbtOutbox    *outbox,
       GCancellable *cancellable)
{
  DbtAwsClient *client = outbox->context->client;
  g_autoptr(GError) error = NULL;
  g_autofree char *queue_url = NULL;
  g_autofree char *queue_arn = NULL;
  g_autofree char *topic = dbt_local_context_dup_output (outbox->context, "topic_arn");
  gboolean from_output = topic != NULL;
  g_auto(GStrv) topics = NULL;

  g_mutex_lock (&outbox->lock);
  queue_url = g_strdup (outbox->queue_url);
  queue_arn = g_strdup (outbox->queue_arn);
  g_mutex_unlock (&outbox->lock);

  if (queue_url == NULL)
    {
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                             outbox->context->config->stack_dir, -1);
      g_autofree char *name = g_strdup_printf ("dbtrigger-local-outbox-%.12s", hash);
      const char *names[] = { "QueueArn", NULL };
      g_autoptr(GHashTable) attributes = NULL;

      queue_url = dbt_sqs_create_queue (client, name, NULL, cancellable, &error);
      if (queue_url != NULL)
        attributes = dbt_sqs_get_queue_attributes (client, queue_url, names, cancellable, &error);
      if (attributes == NULL || g_hash_table_lookup (attributes, "QueueArn") == NULL)
        {
          if (!g_cancellable_is_cancelled (cancellable))
            g_warning ("outbox: cannot create its queue %s: %s", name,
                       error != NULL ? error->message : "no QueueArn");
          return FALSE;
        }
      queue_arn = g_strdup (g_hash_table_lookup (attributes, "QueueArn"));
      g_mutex_lock (&outbox->lock);
      outbox->queue_url = g_strdup (queue_url);
      outbox->queue_arn = g_strdup (queue_arn);
      g_mutex_unlock (&outbox->lock);
      g_message ("outbox: queue %s, mail written to %s", queue_url, outbox->context->outbox_dir);
    }

  if (topic != NULL)
    {
      topics = g_new0 (char *, 2);
      topics[0] = g_steal_pointer (&topic);
    }
  else
    {
      topics = dbt_sns_list_topics (client, cancellable, &error);
      if (topics == NULL)
        {
          g_warning ("outbox: ListTopics failed: %s", error->message);
          return TRUE;
        }
    }
  for (guint i = 0; topics[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) subscriptions =
        dbt_sns_list_all_subscriptions_by_topic (client, topics[i], cancellable, &error);

      if (subscriptions == NULL)
        {
          g_debug ("outbox: subscriptions of %s: %s", topics[i], error->message);
          g_clear_error (&error);
          continue;
        }
      if (!from_output && !has_email_subscription (subscriptions))
        continue;
      subscribe_topic (outbox, topics[i], queue_arn, subscriptions, cancellable);
    }
  return TRUE;
}

/* --- delivery --------------------------------------------------------------- */

static GPtrArray *
confirmed_email_subscriptions (DbtOutbox    *outbox,
                               const char   *topic_arn,
                               GCancellable *cancellable,
                               GError      **error)
{
  g_autoptr(GPtrArray) subscriptions =
    dbt_sns_list_all_subscriptions_by_topic (outbox->context->client, topic_arn, cancellable, error);
  g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func ((GDestroyNotify) email_subscription_free);

  if (subscriptions == NULL)
    return NULL;
  for (guint i = 0; i < subscriptions->len; i++)
    {
      DbtSnsSubscription *subscription = g_ptr_array_index (subscriptions, i);
      g_autoptr(GHashTable) attributes = NULL;
      EmailSubscription *email;

      if (g_strcmp0 (subscription->protocol, "email") != 0 || dbt_sns_subscription_is_pending (subscription))
        continue;
      attributes = dbt_sns_get_subscription_attributes (outbox->context->client, subscription->subscription_arn,
                                                        cancellable, error);
      if (attributes == NULL)
        return NULL;
      if (g_strcmp0 (g_hash_table_lookup (attributes, "PendingConfirmation"), "true") == 0)
        continue;
      email = g_new0 (EmailSubscription, 1);
      email->arn = g_strdup (subscription->subscription_arn);
      email->address = g_strdup (subscription->endpoint);
      email->filter_policy = g_strdup (g_hash_table_lookup (attributes, "FilterPolicy"));
      email->scope = g_strdup (g_hash_table_lookup (attributes, "FilterPolicyScope"));
      g_ptr_array_add (emails, email);
    }
  return g_steal_pointer (&emails);
}

static const char *
attribute_value (JsonObject *attributes,
                 const char *name)
{
  JsonNode *node = attributes != NULL ? json_object_get_member (attributes, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (node), "Value", NULL);
}

/* A folder name from an address: no path separators, no leading dot. */
static char *
address_folder (const char *address)
{
  char *folder = g_ascii_strdown (address, -1);

  for (char *p = folder; *p != '\0'; p++)
    if (*p == '/' || *p == '\\' || (guchar) *p < 0x20)
      *p = '_';
  if (folder[0] == '.')
    folder[0] = '_';
  return folder;
}

static gboolean
write_mail (DbtOutbox         *outbox,
            EmailSubscription *subscription,
            JsonObject        *envelope,
            GError           **error)
{
  JsonObject *attributes = json_object_get_object_member (envelope, "MessageAttributes");
  const char *topic_arn = json_object_get_string_member_with_default (envelope, "TopicArn", "");
  const char *message_id = json_object_get_string_member_with_default (envelope, "MessageId", "");
  const char *timestamp = json_object_get_string_member_with_default (envelope, "Timestamp", NULL);
  const char *subject = json_object_get_string_member_with_default (envelope, "Subject", NULL);
  const char *message = json_object_get_string_member_with_default (envelope, "Message", "");
  g_auto(GStrv) arn = g_strsplit (topic_arn, ":", 6);
  g_autoptr(GDateTime) date = timestamp != NULL ? g_date_time_new_from_iso8601 (timestamp, NULL) : NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *message_id_header = g_strdup_printf ("%s@sns.amazonaws.com", message_id);
  g_autofree char *body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *folder = address_folder (subscription->address);
  g_autofree char *dir = g_build_filename (outbox->context->outbox_dir, folder, NULL);
  g_autofree char *name = dbt_outbox_file_name (timestamp, message_id);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  const char *owner = attribute_value (attributes, "owner");
  const char *table = attribute_value (attributes, "table");
  const char *event = attribute_value (attributes, "event");
  DbtEml eml = { 0 };

  g_mutex_lock (&outbox->lock);
  display_name = g_strdup (g_hash_table_lookup (outbox->display_names, topic_arn));
  g_mutex_unlock (&outbox->lock);
  if (date == NULL)
    date = g_date_time_new_now_utc ();

  if (owner != NULL)
    {
      g_ptr_array_add (headers, (gpointer) "X-Dbtrigger-Owner");
      g_ptr_array_add (headers, (gpointer) owner);
    }
  if (table != NULL)
    {
      g_ptr_array_add (headers, (gpointer) "X-Dbtrigger-Table");
      g_ptr_array_add (headers, (gpointer) table);
    }
  if (event != NULL)
    {
      g_ptr_array_add (headers, (gpointer) "X-Dbtrigger-Event");
      g_ptr_array_add (headers, (gpointer) event);
    }
  g_ptr_array_add (headers, (gpointer) "X-Dbtrigger-Subscription");
  g_ptr_array_add (headers, subscription->arn);
  g_ptr_array_add (headers, NULL);

  /* The footer SNS adds to every e-mail notification. */
  body = g_strdup_printf ("%s\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n"
                          "https://sns.%s.amazonaws.com/unsubscribe.html?SubscriptionArn=%s&Endpoint=%s\n\n"
                          "Please do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support\n",
                          message, g_strv_length (arn) > 3 ? arn[3] : "us-east-1",
                          subscription->arn, subscription->address);
  eml.from_name = display_name != NULL && *display_name != '\0' ? display_name : "AWS Notifications";
  eml.from_address = SNS_FROM;
  eml.to = subscription->address;
  eml.subject = subject != NULL && *subject != '\0' ? subject : "AWS Notification Message";
  eml.date = date;
  eml.message_id = message_id_header;
  eml.extra_headers = (const char *const *) headers->pdata;
  eml.body = body;
  text = dbt_eml_render (&eml);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "cannot create %s: %s",
                   dir, g_strerror (saved));
      return FALSE;
    }
  /* g_file_set_contents writes a temporary file and renames it. */
  if (!g_file_set_contents (path, text, -1, error))
    return FALSE;
  g_message ("outbox: %s → %s", message_id, path);
  return TRUE;
}

/* Delivers one SQS message; FALSE leaves it in the queue (retried). */
static gboolean
deliver (DbtOutbox     *outbox,
         DbtSqsMessage *message,
         GHashTable    *subscriptions_by_topic,
         GCancellable  *cancellable)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *envelope;
  const char *topic_arn;
  GPtrArray *subscriptions;

  if (!json_parser_load_from_data (parser, message->body, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_warning ("outbox: message %s is not an SNS envelope; dropped", message->message_id);
      return TRUE;
    }
  envelope = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (envelope, "Type", NULL), "Notification") != 0)
    return TRUE;
  topic_arn = json_object_get_string_member_with_default (envelope, "TopicArn", NULL);
  if (topic_arn == NULL)
    return TRUE;

  subscriptions = g_hash_table_lookup (subscriptions_by_topic, topic_arn);
  if (subscriptions == NULL)
    {
      subscriptions = confirmed_email_subscriptions (outbox, topic_arn, cancellable, &error);
      if (subscriptions == NULL)
        {
          g_warning ("outbox: subscriptions of %s: %s", topic_arn, error->message);
          return FALSE;
        }
      g_hash_table_insert (subscriptions_by_topic, g_strdup (topic_arn), subscriptions);
    }

  for (guint i = 0; i < subscriptions->len; i++)
    {
      EmailSubscription *subscription = g_ptr_array_index (subscriptions, i);
      JsonObject *attributes = json_object_get_object_member (envelope, "MessageAttributes");
      gboolean matches = FALSE;

      if (!dbt_filter_policy_matches (subscription->filter_policy, subscription->scope, attributes,
                                      json_object_get_string_member_with_default (envelope, "Message", NULL),
                                      &matches, &error))
        {
          g_warning ("outbox: %s: %s; nothing sent to %s", subscription->arn, error->message, subscription->address);
          g_clear_error (&error);
          continue;
        }
      if (matches && !write_mail (outbox, subscription, envelope, &error))
        {
          g_warning ("outbox: %s", error->message);
          return FALSE;
        }
    }
  return TRUE;
}

/* One ReceiveMessage (long poll of @wait_seconds); the number received,
 * -1 on failure. */
static gint
receive_once (DbtOutbox    *outbox,
              guint         wait_seconds,
              GCancellable *cancellable)
{
  DbtSqsReceiveOptions options = { .max_messages = 10, .wait_time_seconds = wait_seconds, .visibility_timeout = 30 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GHashTable) subscriptions_by_topic =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  g_autofree char *queue_url = NULL;

  g_mutex_lock (&outbox->lock);
  queue_url = g_strdup (outbox->queue_url);
  g_mutex_unlock (&outbox->lock);
  if (queue_url == NULL)
    return -1;
  messages = dbt_sqs_receive_message (outbox->context->client, queue_url, &options, cancellable, &error);
  if (messages == NULL)
    {
      if (!g_cancellable_is_cancelled (cancellable))
        g_warning ("outbox: ReceiveMessage failed: %s", error->message);
      return -1;
    }
  for (guint i = 0; i < messages->len; i++)
    {
      DbtSqsMessage *message = g_ptr_array_index (messages, i);

      if (deliver (outbox, message, subscriptions_by_topic, cancellable) &&
          !dbt_sqs_delete_message (outbox->context->client, queue_url, message->receipt_handle,
                                   cancellable, &error))
        {
          g_warning ("outbox: DeleteMessage failed: %s", error->message);
          g_clear_error (&error);
        }
    }
  return (gint) messages->len;
}

static gpointer
receive_thread (gpointer data)
{
  DbtOutbox *outbox = data;

  while (!g_cancellable_is_cancelled (outbox->cancellable))
    if (receive_once (outbox, 1, outbox->cancellable) < 0)
      dbt_local_sleep (1000, outbox->cancellable);
  return NULL;
}

void
dbt_outbox_refresh (DbtOutbox    *outbox,
                    gboolean      receive,
                    GCancellable *cancellable)
{
  if (setup (outbox, cancellable) && receive && outbox->thread == NULL)
    outbox->thread = g_thread_new ("dbt-outbox", receive_thread, outbox);
}

void
dbt_outbox_run_once (DbtOutbox    *outbox,
                     GCancellable *cancellable)
{
  if (!setup (outbox, cancellable))
    return;
  while (!g_cancellable_is_cancelled (cancellable) && receive_once (outbox, 0, cancellable) > 0)
    ;
}
