/* test-sns-sqs-live.c — SNS and SQS against the local stack: a queue
 * subscribed with the owner filter policy receives exactly the matching
 * messages; batch results per entry; subscription paging; SQS basics. */
#include <string.h>
#include "dbt-sns.h"
#include "dbt-sqs.h"
#include "live-stack.h"

#define FILTER_ALICE "{\"owner\":[\"alice\"]}"
#define MAX_EMPTY_POLLS 2

/* Everything in the queue, deleting what was received, until
 * MAX_EMPTY_POLLS polls in a row come back empty. */
static GPtrArray *
receive_all (DbtAwsClient *client,
             const char   *queue_url)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_sqs_message_free);
  DbtSqsReceiveOptions options = { .max_messages = 10, .wait_time_seconds = 1, .visibility_timeout = 30 };
  guint empty_polls = 0;

  for (guint polls = 0; empty_polls < MAX_EMPTY_POLLS; polls++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) messages = dbt_sqs_receive_message (client, queue_url, &options, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (polls, <, 30);
      empty_polls = messages->len == 0 ? empty_polls + 1 : 0;
      for (guint i = 0; i < messages->len; i++)
        {
          DbtSqsMessage *message = g_ptr_array_index (messages, i);

          g_assert_true (dbt_sqs_delete_message (client, queue_url, message->receipt_handle,
                                                 NULL, &error));
          g_assert_no_error (error);
        }
      g_ptr_array_extend_and_steal (all, g_steal_pointer (&messages));
    }
  return g_steal_pointer (&all);
}

static gboolean
json_equal (const char *a,
            const char *b)
{
  g_autoptr(JsonNode) node_a = json_from_string (a, NULL);
  g_autoptr(JsonNode) node_b = json_from_string (b, NULL);

  return node_a != NULL && node_b != NULL && json_node_equal (node_a, node_b);
}

static void
test_sqs_basics (void)
{
  g_autoptr(DbtAwsClient) client = live_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = live_unique_name ("basics");
  g_autofree char *url = NULL;
  g_autofree char *url_again = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GHashTable) bodies = g_hash_table_new (g_str_hash, g_str_equal);
  static const char *const queue_attributes[] = { "VisibilityTimeout", "17", NULL };
  static const char *const some[] = { "VisibilityTimeout", "QueueArn", NULL };
  const DbtMessageAttribute message_attributes[] = {
    { "owner", NULL, "alice" },
    { "size", "Number", "42" },
  };
  const char *bodies_sent[] = { "first", "second: ünïcödé", "{\"json\": true}" };
  g_autofree char *missing = NULL;

  if (client == NULL)
    return;

  url = dbt_sqs_create_queue (client, name, queue_attributes, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (url, name));
  url_again = dbt_sqs_get_queue_url (client, name, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url_again, ==, url);

  attributes = dbt_sqs_get_queue_attributes (client, url, some, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "VisibilityTimeout"), ==, "17");
  g_assert_true (g_str_has_suffix (g_hash_table_lookup (attributes, "QueueArn"), name));

  for (guint i = 0; i < G_N_ELEMENTS (bodies_sent); i++)
    {
      g_autofree char *id = dbt_sqs_send_message (client, url, bodies_sent[i], message_attributes,
                                                  G_N_ELEMENTS (message_attributes), 0, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (id);
    }

  received = receive_all (client, url);
  g_assert_cmpuint (received->len, ==, G_N_ELEMENTS (bodies_sent));
  for (guint i = 0; i < received->len; i++)
    {
      DbtSqsMessage *message = g_ptr_array_index (received, i);
      g_autofree char *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, message->body, -1);

      g_assert_true (g_hash_table_add (bodies, message->body));
      g_assert_cmpstr (message->md5_of_body, ==, md5);
      g_assert_cmpstr (g_hash_table_lookup (message->message_attributes, "owner"), ==, "alice");
      g_assert_cmpstr (g_hash_table_lookup (message->message_attributes, "size"), ==, "42");
      g_assert_nonnull (g_hash_table_lookup (message->attributes, "SentTimestamp"));
      g_assert_cmpstr (g_hash_table_lookup (message->attributes, "ApproximateReceiveCount"), ==, "1");
    }
  for (guint i = 0; i < G_N_ELEMENTS (bodies_sent); i++)
    g_assert_true (g_hash_table_contains (bodies, bodies_sent[i]));

  /* Deleted messages are gone. */
  g_clear_pointer (&attributes, g_hash_table_unref);
  attributes = dbt_sqs_get_queue_attributes (client, url, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "ApproximateNumberOfMessages"), ==, "0");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "ApproximateNumberOfMessagesNotVisible"), ==, "0");

  g_assert_true (dbt_sqs_delete_queue (client, url, NULL, &error));
  g_assert_no_error (error);
  missing = dbt_sqs_get_queue_url (client, name, NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_true (strstr (error->message, name) != NULL);
}

typedef struct
{
  DbtAwsClient *client;
  char         *topic_arn;
  char         *queue_url;
  char         *subscription_arn;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *topic = live_unique_name ("owners");
  g_autofree char *queue = live_unique_name ("inbox");
  g_autoptr(GHashTable) queue_attributes = NULL;
  static const char *const arn_only[] = { "QueueArn", NULL };
  static const char *const subscription_attributes[] = {
    "FilterPolicy", FILTER_ALICE,
    "FilterPolicyScope", "MessageAttributes",
    "RawMessageDelivery", "true",
    NULL
  };

  fixture->client = live_client_new ();
  if (fixture->client == NULL)
    return;

  fixture->topic_arn = dbt_sns_create_topic (fixture->client, topic, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (fixture->topic_arn, topic));
  fixture->queue_url = dbt_sqs_create_queue (fixture->client, queue, NULL, NULL, &error);
  g_assert_no_error (error);
  queue_attributes = dbt_sqs_get_queue_attributes (fixture->client, fixture->queue_url, arn_only,
                                                   NULL, &error);
  g_assert_no_error (error);

  fixture->subscription_arn = dbt_sns_subscribe (fixture->client, fixture->topic_arn, "sqs",
                                                 g_hash_table_lookup (queue_attributes, "QueueArn"),
                                                 subscription_attributes, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (fixture->subscription_arn, fixture->topic_arn));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->client, dbt_aws_client_unref);
  g_free (fixture->topic_arn);
  g_free (fixture->queue_url);
  g_free (fixture->subscription_arn);
}

static void
test_filter_policy (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(DbtSnsBatchResult) result = NULL;
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GHashTable) bodies = g_hash_table_new (g_str_hash, g_str_equal);
  const DbtMessageAttribute alice[] = { { "owner", "String", "alice" }, { "event", NULL, "INSERT" } };
  const DbtMessageAttribute bob[] = { { "owner", "String", "bob" }, { "event", NULL, "MODIFY" } };
  const DbtSnsMessage singles[] = {
    { .message = "alice-1", .subject = "for alice", .attributes = alice, .n_attributes = 2 },
    { .message = "bob-1", .subject = "for bob", .attributes = bob, .n_attributes = 2 },
    { .message = "nobody-1" },
  };
  const DbtSnsMessage batch[] = {
    { .id = "a1", .message = "alice-b1", .attributes = alice, .n_attributes = 2 },
    { .id = "b1", .message = "bob-b1", .attributes = bob, .n_attributes = 2 },
    { .id = "a2", .message = "alice-b2", .subject = "s", .attributes = alice, .n_attributes = 1 },
    { .id = "n1", .message = "nobody-b1" },
  };
  const char *expected[] = { "alice-1", "alice-b1", "alice-b2" };

  if (fixture->client == NULL)
    return;

  attributes = dbt_sns_get_subscription_attributes (fixture->client, fixture->subscription_arn,
                                                    NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_equal (g_hash_table_lookup (attributes, "FilterPolicy"), FILTER_ALICE));
  g_assert_cmpstr (g_hash_table_lookup (attributes, "FilterPolicyScope"), ==, "MessageAttributes");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "RawMessageDelivery"), ==, "true");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "PendingConfirmation"), ==, "false");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "Protocol"), ==, "sqs");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "TopicArn"), ==, fixture->topic_arn);

  for (guint i = 0; i < G_N_ELEMENTS (singles); i++)
    {
      g_autofree char *message_id = dbt_sns_publish (fixture->client, fixture->topic_arn,
                                                     &singles[i], NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (message_id);
    }

  result = dbt_sns_publish_batch (fixture->client, fixture->topic_arn, batch,
                                  G_N_ELEMENTS (batch), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->entries->len, ==, G_N_ELEMENTS (batch));
  g_assert_cmpuint (result->n_failed, ==, 0);
  for (guint i = 0; i < result->entries->len; i++)
    {
      DbtSnsBatchEntryResult *entry = g_ptr_array_index (result->entries, i);

      g_assert_cmpstr (entry->id, ==, batch[i].id);
      g_assert_true (entry->succeeded);
      g_assert_nonnull (entry->message_id);
      g_assert_null (entry->code);
    }

  /* Only alice's messages pass the filter, raw, with their attributes. */
  received = receive_all (fixture->client, fixture->queue_url);
  for (guint i = 0; i < received->len; i++)
    {
      DbtSqsMessage *message = g_ptr_array_index (received, i);

      g_test_message ("received %s", message->body);
      g_assert_true (g_hash_table_add (bodies, message->body));
      g_assert_cmpstr (g_hash_table_lookup (message->message_attributes, "owner"), ==, "alice");
    }
  g_assert_cmpuint (received->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_true (g_hash_table_contains (bodies, expected[i]));

  /* Changing the policy to bob changes what arrives. */
  g_assert_true (dbt_sns_set_subscription_attribute (fixture->client, fixture->subscription_arn,
                                                     "FilterPolicy", "{\"owner\":[\"bob\"]}",
                                                     NULL, &error));
  g_assert_no_error (error);
  g_free (dbt_sns_publish (fixture->client, fixture->topic_arn, &singles[0], NULL, &error));
  g_assert_no_error (error);
  g_free (dbt_sns_publish (fixture->client, fixture->topic_arn, &singles[1], NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&received, g_ptr_array_unref);
  received = receive_all (fixture->client, fixture->queue_url);
  g_assert_cmpuint (received->len, ==, 1);
  g_assert_cmpstr (((DbtSqsMessage *) g_ptr_array_index (received, 0))->body, ==, "bob-1");
}

static void
test_batch_failures (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtSnsBatchResult) result = NULL;
  g_autoptr(GPtrArray) received = NULL;
  const DbtMessageAttribute alice[] = { { "owner", NULL, "alice" } };
  /* A deduplication id is only valid for FIFO topics: SNS fails that entry
   * alone and delivers the others. */
  const DbtSnsMessage batch[] = {
    { .id = "ok-1", .message = "alice-ok-1", .attributes = alice, .n_attributes = 1 },
    { .id = "bad", .message = "alice-bad", .attributes = alice, .n_attributes = 1,
      .message_deduplication_id = "dedup" },
    { .id = "ok-2", .message = "alice-ok-2", .attributes = alice, .n_attributes = 1 },
  };
  DbtSnsBatchEntryResult *failed;

  if (fixture->client == NULL)
    return;

  result = dbt_sns_publish_batch (fixture->client, fixture->topic_arn, batch,
                                  G_N_ELEMENTS (batch), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_failed, ==, 1);
  failed = g_ptr_array_index (result->entries, 1);
  g_assert_cmpstr (failed->id, ==, "bad");
  g_assert_false (failed->succeeded);
  g_assert_null (failed->message_id);
  g_assert_cmpstr (failed->code, ==, "InvalidParameter");
  g_assert_nonnull (failed->message);
  g_assert_true (failed->sender_fault);
  for (guint i = 0; i < 3; i += 2)
    {
      DbtSnsBatchEntryResult *entry = g_ptr_array_index (result->entries, i);

      g_assert_cmpstr (entry->id, ==, batch[i].id);
      g_assert_true (entry->succeeded);
      g_assert_nonnull (entry->message_id);
    }

  received = receive_all (fixture->client, fixture->queue_url);
  g_assert_cmpuint (received->len, ==, 2);
  for (guint i = 0; i < received->len; i++)
    g_assert_true (g_str_has_prefix (((DbtSqsMessage *) g_ptr_array_index (received, i))->body,
                                     "alice-ok-"));

  /* A whole-request failure is an error, not a result: an unknown topic. */
  g_clear_pointer (&result, dbt_sns_batch_result_free);
  result = dbt_sns_publish_batch (fixture->client, "arn:aws:sns:us-east-1:123456789012:no-such-topic",
                                  batch, 1, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_true (strstr (error->message, "no-such-topic") != NULL);
}

static void
test_batch_refused_before_sending (void)
{
  g_autoptr(DbtAwsClient) client = live_unreachable_client_new ();
  g_autoptr(GError) error = NULL;
  DbtSnsMessage entries[DBT_SNS_MAX_BATCH_ENTRIES + 1];
  g_autofree char *big = g_strnfill (100 * 1024, 'x');
  g_autofree char *huge = g_strnfill (DBT_SNS_MAX_PAYLOAD_BYTES + 1, 'x');
  char ids[DBT_SNS_MAX_BATCH_ENTRIES + 1][8];
  const DbtSnsMessage too_big = { .message = huge };

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_snprintf (ids[i], sizeof ids[i], "e%u", i);
      entries[i] = (DbtSnsMessage) { .id = ids[i], .message = "m" };
    }

  /* A valid batch does get sent (and fails to connect). */
  g_assert_null (dbt_sns_publish_batch (client, "arn:t", entries, 2, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONNECT);
  g_clear_error (&error);

  g_assert_null (dbt_sns_publish_batch (client, "arn:t", entries, 11, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_assert_true (strstr (error->message, "11 entries") != NULL);
  g_clear_error (&error);

  g_assert_null (dbt_sns_publish_batch (client, "arn:t", entries, 0, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Three 100 KB messages: each fits, together they exceed 256 KB. */
  for (guint i = 0; i < 3; i++)
    entries[i].message = big;
  g_assert_null (dbt_sns_publish_batch (client, "arn:t", entries, 2, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONNECT);
  g_clear_error (&error);
  g_assert_null (dbt_sns_publish_batch (client, "arn:t", entries, 3, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_assert_true (strstr (error->message, "together") != NULL);
  g_clear_error (&error);

  /* Duplicate and malformed ids. */
  entries[0].message = entries[1].message = "m";
  entries[1].id = "e0";
  g_assert_null (dbt_sns_publish_batch (client, "arn:t", entries, 2, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_assert_true (strstr (error->message, "used twice") != NULL);
  g_clear_error (&error);
  entries[1].id = "has space";
  g_assert_null (dbt_sns_publish_batch (client, "arn:t", entries, 2, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_null (dbt_sns_publish (client, "arn:t", &too_big, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (dbt_sns_publish (client, "", &entries[0], NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (dbt_sns_publish (client, "arn:t", &(DbtSnsMessage) { .message = "" }, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Eleven message attributes, one more than SNS takes. */
  {
    DbtMessageAttribute attributes[DBT_SNS_MAX_MESSAGE_ATTRIBUTES + 1];
    DbtSnsMessage message = { .message = "m", .attributes = attributes };

    for (guint i = 0; i < G_N_ELEMENTS (attributes); i++)
      attributes[i] = (DbtMessageAttribute) { ids[i], NULL, "v" };
    message.n_attributes = DBT_SNS_MAX_MESSAGE_ATTRIBUTES;
    g_assert_null (dbt_sns_publish (client, "arn:t", &message, NULL, &error));
    g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONNECT);
    g_clear_error (&error);
    message.n_attributes = DBT_SNS_MAX_MESSAGE_ATTRIBUTES + 1;
    g_assert_null (dbt_sns_publish (client, "arn:t", &message, NULL, &error));
    g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
    g_assert_true (strstr (error->message, "11 message attributes") != NULL);
    g_clear_error (&error);
  }

  /* SQS: an empty body, a message attribute without value. */
  g_assert_null (dbt_sqs_send_message (client, "http://q", "", NULL, 0, 0, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (dbt_sqs_send_message (client, "http://q", "body",
                                       &(DbtMessageAttribute) { "owner", NULL, NULL }, 1, 0,
                                       NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
}

#define N_SUBSCRIPTIONS 105

static void
test_subscription_paging (void)
{
  g_autoptr(DbtAwsClient) client = live_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *topic = live_unique_name ("crowd");
  g_autofree char *topic_arn = NULL;
  g_autofree char *next_token = NULL;
  g_autofree char *last_token = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) endpoints = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) arns = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) topics = NULL;
  g_autofree char *removed = NULL;
  static const char *const filter[] = { "FilterPolicy", FILTER_ALICE, NULL };

  if (client == NULL)
    return;

  topic_arn = dbt_sns_create_topic (client, topic, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_SUBSCRIPTIONS; i++)
    {
      g_autofree char *endpoint = g_strdup_printf ("owner%03u@example.com", i);
      g_autofree char *arn = dbt_sns_subscribe (client, topic_arn, "email", endpoint,
                                                i % 2 == 0 ? filter : NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (arn);
      if (i == 7)
        removed = g_steal_pointer (&arn);
    }

  /* The server pages by 100. */
  first = dbt_sns_list_subscriptions_by_topic (client, topic_arn, NULL, &next_token, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 100);
  g_assert_nonnull (next_token);
  second = dbt_sns_list_subscriptions_by_topic (client, topic_arn, next_token, &last_token, NULL,
                                                &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->len, ==, N_SUBSCRIPTIONS - 100);
  g_assert_null (last_token);

  all = dbt_sns_list_all_subscriptions_by_topic (client, topic_arn, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, N_SUBSCRIPTIONS);
  for (guint i = 0; i < all->len; i++)
    {
      DbtSnsSubscription *subscription = g_ptr_array_index (all, i);

      g_assert_cmpstr (subscription->protocol, ==, "email");
      g_assert_cmpstr (subscription->topic_arn, ==, topic_arn);
      g_assert_nonnull (subscription->owner);
      g_assert_true (g_hash_table_add (endpoints, subscription->endpoint));
      if (!dbt_sns_subscription_is_pending (subscription))
        g_assert_true (g_hash_table_add (arns, subscription->subscription_arn));
    }
  for (guint i = 0; i < N_SUBSCRIPTIONS; i++)
    {
      g_autofree char *endpoint = g_strdup_printf ("owner%03u@example.com", i);

      g_assert_true (g_hash_table_contains (endpoints, endpoint));
    }

  /* Unsubscribing removes exactly that one. */
  g_assert_true (dbt_sns_unsubscribe (client, removed, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&all, g_ptr_array_unref);
  all = dbt_sns_list_all_subscriptions_by_topic (client, topic_arn, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, N_SUBSCRIPTIONS - 1);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpstr (((DbtSnsSubscription *) g_ptr_array_index (all, i))->endpoint, !=,
                     "owner007@example.com");

  topics = dbt_sns_list_topics (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char *const *) topics, topic_arn));
  g_assert_true (dbt_sns_delete_topic (client, topic_arn, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&topics, g_strfreev);
  topics = dbt_sns_list_topics (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_strv_contains ((const char *const *) topics, topic_arn));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sqs/send-receive-delete", test_sqs_basics);
  g_test_add ("/sns/filter-policy", Fixture, NULL, fixture_set_up, test_filter_policy,
              fixture_tear_down);
  g_test_add ("/sns/publish-batch/entry-failures", Fixture, NULL, fixture_set_up,
              test_batch_failures, fixture_tear_down);
  g_test_add_func ("/sns-sqs/refused-before-sending", test_batch_refused_before_sending);
  g_test_add_func ("/sns/subscriptions/paging", test_subscription_paging);

  return g_test_run ();
}
