/* test-sink-aws.c — the DynamoDB + SNS delivery sink: the requests it
 * makes and how it reads the answers, against a scripted server.
 *
 * The scripted server (fake-aws-server.c) is a fake at a boundary the local
 * stack cannot provide on cue: a PublishBatch where one entry fails, an
 * entry that disappears between a failed put and the read. The happy path
 * against moto is tests/test-handler-package.sh.
 */
#include <string.h>

#include "dbt-processor.h"
#include "dbt-sink-aws.h"
#include "fake-aws-server.h"
#include "handler-fixtures.h"

#define CONDITION_FAILED \
  "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\"," \
  "\"message\":\"The conditional request failed\"}"

typedef struct
{
  FakeAwsServer    *server;
  DbtAwsClient     *client;
  DbtHandlerConfig *config;
  DbtSinkAws       *aws;
  DbtDeliverySink   sink;
  GPtrArray        *records;
  GPtrArray        *notifications;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  g_auto(GStrv) envp = NULL;
  g_autoptr(DbtAwsConfig) aws_config = NULL;
  g_autofree char *alice = fixture_item_json ("a-1", "alice", "\"n\":{\"N\":\"1\"}");
  g_autofree char *bob = fixture_item_json ("b-1", "bob", NULL);
  DbtBatchStats stats = { 0 };
  DbtAwsConfigOptions options = { 0 };

  fixture->server = fake_aws_server_new ();
  endpoint = g_strconcat ("AWS_ENDPOINT_URL=", fake_aws_server_get_url (fixture->server), NULL);
  {
    const char *settings[] = { "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret",
                               "AWS_REGION=eu-west-1", "HOME=/nonexistent", endpoint, NULL };

    envp = g_strdupv ((char **) settings);
  }
  options.environ = envp;
  aws_config = dbt_aws_config_load (&options, &error);
  g_assert_no_error (error);
  fixture->client = dbt_aws_client_new (aws_config);
  dbt_aws_client_set_max_attempts (fixture->client, 1);
  dbt_aws_client_set_timeouts (fixture->client, 2000, 5000);

  fixture->config = fixture_config (NULL);
  fixture->aws = dbt_sink_aws_new (fixture->client, fixture->config);
  dbt_sink_aws_get_sink (fixture->aws, &fixture->sink);

  fixture->records = fixture_records_new ();
  g_ptr_array_add (fixture->records, fixture_record (DBT_EVENT_INSERT, "100", "{\"id\":{\"S\":\"a-1\"}}", NULL, alice));
  g_ptr_array_add (fixture->records, fixture_record (DBT_EVENT_INSERT, "200", "{\"id\":{\"S\":\"b-1\"}}", NULL, bob));
  fixture->notifications = dbt_processor_run (fixture->config, fixture->records, &stats);
  g_assert_cmpuint (fixture->notifications->len, ==, 2);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_ptr_array_unref (fixture->notifications);
  g_ptr_array_unref (fixture->records);
  dbt_sink_aws_free (fixture->aws);
  dbt_handler_config_free (fixture->config);
  dbt_aws_client_unref (fixture->client);
  fake_aws_server_free (fixture->server);
}

static JsonObject *
request_json (Fixture *fixture,
              guint    index,
              const char *target)
{
  const FakeRequest *request = fake_aws_server_get_request (fixture->server, index);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data;

  g_assert_nonnull (request);
  g_assert_cmpstr (dbt_http_headers_get (request->headers, "X-Amz-Target"), ==, target);
  data = g_bytes_get_data (request->body, &len);
  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static const char *
attribute_text (JsonObject *item,
                const char *name,
                const char *type)
{
  JsonObject *value = json_object_get_object_member (item, name);

  g_assert_nonnull (value);
  return json_object_get_string_member (value, type);
}

static gboolean
claim (Fixture         *fixture,
       guint            index,
       gint64           now,
       DbtClaimOutcome *outcome,
       gint64          *claimed_at,
       GError         **error)
{
  DbtNotification *notification = g_ptr_array_index (fixture->notifications, index);
  g_autofree char *log_key = dbt_notification_get_log_key (notification);

  return fixture->sink.claim (fixture->sink.user_data, log_key, notification, now,
                              now / 1000 + 86400, outcome, claimed_at, error);
}

static void
test_claim_acquired (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  DbtClaimOutcome outcome = DBT_CLAIM_SENT;
  gint64 claimed_at = 0;
  JsonObject *item;

  fake_aws_server_add (fixture->server, 200, NULL, "{}");
  g_assert_true (claim (fixture, 0, 1700000000123, &outcome, &claimed_at, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, DBT_CLAIM_ACQUIRED);
  g_assert_cmpint (claimed_at, ==, 1700000000123);

  body = request_json (fixture, 0, "DynamoDB_20120810.PutItem");
  g_assert_cmpstr (json_object_get_string_member (body, "TableName"), ==, "dbtrigger-notifications");
  g_assert_cmpstr (json_object_get_string_member (body, "ConditionExpression"), ==, "attribute_not_exists(pk)");
  item = json_object_get_object_member (body, "Item");
  g_assert_cmpstr (attribute_text (item, "pk", "S"), ==, "ev-100#alice");
  g_assert_cmpstr (attribute_text (item, "owner", "S"), ==, "alice");
  g_assert_cmpstr (attribute_text (item, "eventId", "S"), ==, "ev-100");
  g_assert_cmpstr (attribute_text (item, "sequenceNumber", "S"), ==, "100");
  g_assert_cmpstr (attribute_text (item, "table", "S"), ==, "orders");
  g_assert_cmpstr (attribute_text (item, "key", "S"), ==, "id=\"a-1\"");
  g_assert_cmpstr (attribute_text (item, "event", "S"), ==, "INSERT");
  g_assert_cmpstr (attribute_text (item, "state", "S"), ==, "CLAIMED");
  g_assert_cmpstr (attribute_text (item, "claimedAt", "N"), ==, "1700000000123");
  g_assert_cmpstr (attribute_text (item, "expiresAt", "N"), ==, "1700086400");
  /* Not sent yet: no sentAt, so the entry stays out of owner-sentAt-index. */
  g_assert_false (json_object_has_member (item, "sentAt"));
}

static void
test_claim_existing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) get = NULL;
  DbtClaimOutcome outcome = DBT_CLAIM_ACQUIRED;
  gint64 claimed_at = 0;

  /* Already sent by an earlier attempt. */
  fake_aws_server_add (fixture->server, 400, NULL, CONDITION_FAILED);
  fake_aws_server_add (fixture->server, 200, NULL,
                       "{\"Item\":{\"pk\":{\"S\":\"ev-100#alice\"},\"state\":{\"S\":\"SENT\"},"
                       "\"claimedAt\":{\"N\":\"5\"}}}");
  /* Claimed, not sent. */
  fake_aws_server_add (fixture->server, 400, NULL, CONDITION_FAILED);
  fake_aws_server_add (fixture->server, 200, NULL,
                       "{\"Item\":{\"pk\":{\"S\":\"ev-100#alice\"},\"state\":{\"S\":\"CLAIMED\"},"
                       "\"claimedAt\":{\"N\":\"1699999999000\"}}}");

  g_assert_true (claim (fixture, 0, 1700000000000, &outcome, &claimed_at, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, DBT_CLAIM_SENT);

  get = request_json (fixture, 1, "DynamoDB_20120810.GetItem");
  g_assert_true (json_object_get_boolean_member (get, "ConsistentRead"));
  g_assert_cmpstr (attribute_text (json_object_get_object_member (get, "Key"), "pk", "S"), ==, "ev-100#alice");

  g_assert_true (claim (fixture, 0, 1700000000000, &outcome, &claimed_at, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, DBT_CLAIM_PENDING);
  g_assert_cmpint (claimed_at, ==, 1699999999000);
  g_assert_cmpuint (fake_aws_server_get_n_requests (fixture->server), ==, 4);
}

static void
test_claim_entry_gone (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DbtClaimOutcome outcome = DBT_CLAIM_SENT;
  gint64 claimed_at = 0;

  /* Released between the failed put and the read: the put is tried again. */
  fake_aws_server_add (fixture->server, 400, NULL, CONDITION_FAILED);
  fake_aws_server_add (fixture->server, 200, NULL, "{}");
  fake_aws_server_add (fixture->server, 200, NULL, "{}");
  g_assert_true (claim (fixture, 1, 42000, &outcome, &claimed_at, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, DBT_CLAIM_ACQUIRED);
  g_assert_cmpint (claimed_at, ==, 42000);
  g_assert_cmpuint (fake_aws_server_get_n_requests (fixture->server), ==, 3);
  g_clear_pointer (&error, g_error_free);

  /* Any other failure is the claim's failure. */
  fake_aws_server_add (fixture->server, 400, NULL,
                       "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\","
                       "\"message\":\"Requested resource not found\"}");
  g_assert_false (claim (fixture, 1, 42000, &outcome, &claimed_at, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
}

static void
check_claim_condition (JsonObject *body,
                       const char *claimed_at)
{
  JsonObject *names = json_object_get_object_member (body, "ExpressionAttributeNames");
  JsonObject *values = json_object_get_object_member (body, "ExpressionAttributeValues");

  g_assert_cmpstr (json_object_get_string_member (body, "ConditionExpression"), ==,
                   "#state = :claimed AND #claimedAt = :claimedAt");
  g_assert_cmpstr (json_object_get_string_member (names, "#state"), ==, "state");
  g_assert_cmpstr (json_object_get_string_member (names, "#claimedAt"), ==, "claimedAt");
  g_assert_cmpstr (attribute_text (values, ":claimed", "S"), ==, "CLAIMED");
  g_assert_cmpstr (attribute_text (values, ":claimedAt", "N"), ==, claimed_at);
}

static void
test_reclaim_mark_release (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reclaim = NULL;
  g_autoptr(JsonObject) mark = NULL;
  g_autoptr(JsonObject) release = NULL;
  JsonObject *values;

  fake_aws_server_add (fixture->server, 200, NULL, "{}");
  g_assert_true (fixture->sink.reclaim (fixture->sink.user_data, "ev-1#alice", 1000, 2000, &error));
  g_assert_no_error (error);
  reclaim = request_json (fixture, 0, "DynamoDB_20120810.UpdateItem");
  g_assert_cmpstr (json_object_get_string_member (reclaim, "UpdateExpression"), ==, "SET #claimedAt = :now");
  check_claim_condition (reclaim, "1000");
  g_assert_cmpstr (attribute_text (json_object_get_object_member (reclaim, "ExpressionAttributeValues"),
                                   ":now", "N"), ==, "2000");

  g_assert_true (fixture->sink.mark_sent (fixture->sink.user_data, "ev-1#alice", 2000, "msg-1",
                                          G_GINT64_CONSTANT (1738324800123), &error));
  g_assert_no_error (error);
  mark = request_json (fixture, 1, "DynamoDB_20120810.UpdateItem");
  check_claim_condition (mark, "2000");
  values = json_object_get_object_member (mark, "ExpressionAttributeValues");
  g_assert_cmpstr (attribute_text (values, ":sent", "S"), ==, "SENT");
  g_assert_cmpstr (attribute_text (values, ":sentAt", "S"), ==, "2025-01-31T12:00:00.123Z");
  g_assert_cmpstr (attribute_text (values, ":messageId", "S"), ==, "msg-1");

  g_assert_true (fixture->sink.release (fixture->sink.user_data, "ev-1#alice", 2000, &error));
  g_assert_no_error (error);
  release = request_json (fixture, 2, "DynamoDB_20120810.DeleteItem");
  check_claim_condition (release, "2000");
  g_assert_cmpstr (attribute_text (json_object_get_object_member (release, "Key"), "pk", "S"), ==, "ev-1#alice");

  /* Someone else holds the claim now. */
  fake_aws_server_add (fixture->server, 400, NULL, CONDITION_FAILED);
  g_assert_false (fixture->sink.release (fixture->sink.user_data, "ev-1#alice", 2000, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONDITION_FAILED);
}

static GPtrArray *
messages_for (Fixture *fixture)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_message_free);

  for (guint i = 0; i < fixture->notifications->len; i++)
    g_ptr_array_add (messages, dbt_message_new_single (g_ptr_array_index (fixture->notifications, i),
                                                       DBT_MESSAGE_MAX_BYTES));
  return messages;
}

static void
test_publish_batch (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = messages_for (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) mark = NULL;
  DbtPublishResult results[2] = { { 0 } };
  const FakeRequest *request;
  g_autofree char *form = NULL;
  const DbtMessage *alice = g_ptr_array_index (messages, 0);

  fake_aws_server_add (fixture->server, 200, "Content-Type: text/xml\r\n",
                       "<PublishBatchResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                       "<PublishBatchResult><Successful><member><Id>m0</Id><MessageId>mid-alice</MessageId>"
                       "</member></Successful><Failed><member><Id>m1</Id><Code>InternalError</Code>"
                       "<Message>try again</Message><SenderFault>false</SenderFault></member></Failed>"
                       "</PublishBatchResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata>"
                       "</PublishBatchResponse>");
  fixture->sink.publish_batch (fixture->sink.user_data, (DbtMessage *const *) messages->pdata, 2, results);

  g_assert_cmpstr (results[0].message_id, ==, "mid-alice");
  g_assert_null (results[0].error);
  g_assert_null (results[1].message_id);
  g_assert_error (results[1].error, DBT_AWS_ERROR, DBT_AWS_ERROR_SERVER);
  g_assert_nonnull (strstr (results[1].error->message, "InternalError"));

  request = fake_aws_server_get_request (fixture->server, 0);
  {
    gsize body_len = 0;
    const char *body = g_bytes_get_data (request->body, &body_len);

    form = g_uri_unescape_segment (body, body + body_len, NULL);
  }
  g_assert_nonnull (strstr (form, "Action=PublishBatch"));
  g_assert_nonnull (strstr (form, "TopicArn=" FIXTURE_TOPIC_ARN));
  g_assert_nonnull (strstr (form, "PublishBatchRequestEntries.member.1.Id=m0"));
  g_assert_nonnull (strstr (form, "PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Name=owner"));
  g_assert_nonnull (strstr (form, "PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.StringValue=alice"));
  g_assert_nonnull (strstr (form, "PublishBatchRequestEntries.member.2.MessageAttributes.entry.1.Value.StringValue=bob"));
  g_assert_nonnull (strstr (form, "MessageAttributes.entry.2.Name=table"));
  g_assert_nonnull (strstr (form, "MessageAttributes.entry.3.Name=event"));
  g_assert_nonnull (strstr (form, "MessageAttributes.entry.3.Value.StringValue=INSERT"));

  /* The subject of a sent message goes into its log entry. */
  fake_aws_server_add (fixture->server, 200, NULL, "{}");
  g_assert_true (fixture->sink.mark_sent (fixture->sink.user_data, "ev-100#alice", 7, "mid-alice", 8, &error));
  g_assert_no_error (error);
  mark = request_json (fixture, 1, "DynamoDB_20120810.UpdateItem");
  g_assert_cmpstr (attribute_text (json_object_get_object_member (mark, "ExpressionAttributeValues"),
                                   ":subject", "S"), ==, alice->subject);

  for (guint i = 0; i < 2; i++)
    {
      g_free (results[i].message_id);
      g_clear_error (&results[i].error);
    }
}

static void
test_publish_batch_request_fails (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = messages_for (fixture);
  DbtPublishResult results[2] = { { 0 } };

  fake_aws_server_add (fixture->server, 404, "Content-Type: text/xml\r\n",
                       "<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code>"
                       "<Message>Topic does not exist</Message></Error><RequestId>r2</RequestId></ErrorResponse>");
  fixture->sink.publish_batch (fixture->sink.user_data, (DbtMessage *const *) messages->pdata, 2, results);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_null (results[i].message_id);
      g_assert_nonnull (results[i].error);
      g_assert_nonnull (strstr (results[i].error->message, "Topic does not exist"));
      g_clear_error (&results[i].error);
    }
}

static void
test_deadline (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = messages_for (fixture);
  g_autoptr(GError) error = NULL;
  DbtPublishResult results[2] = { { 0 } };
  DbtClaimOutcome outcome;
  gint64 claimed_at;
  gint64 now = g_get_real_time () / 1000;

  /* 1 s left, 2 s in reserve: no claim or publish starts. */
  dbt_sink_aws_begin (fixture->aws, now + 1000, 2000);
  g_assert_false (claim (fixture, 0, now, &outcome, &claimed_at, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "deadline"));
  g_clear_error (&error);
  fixture->sink.publish_batch (fixture->sink.user_data, (DbtMessage *const *) messages->pdata, 2, results);
  g_assert_error (results[0].error, DBT_AWS_ERROR, DBT_AWS_ERROR_TIMEOUT);
  g_assert_error (results[1].error, DBT_AWS_ERROR, DBT_AWS_ERROR_TIMEOUT);
  g_clear_error (&results[0].error);
  g_clear_error (&results[1].error);
  g_assert_cmpuint (fake_aws_server_get_n_requests (fixture->server), ==, 0);
  g_assert_cmpuint (dbt_sink_aws_get_deadline_refusals (fixture->aws), ==, 2);

  /* Bookkeeping of work already done still runs. */
  fake_aws_server_add (fixture->server, 200, NULL, "{}");
  g_assert_true (fixture->sink.release (fixture->sink.user_data, "ev-100#alice", 7, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fake_aws_server_get_n_requests (fixture->server), ==, 1);

  /* Plenty of time: claims go out again. */
  dbt_sink_aws_begin (fixture->aws, now + 60000, 2000);
  g_assert_cmpuint (dbt_sink_aws_get_deadline_refusals (fixture->aws), ==, 0);
  g_assert_true (claim (fixture, 0, now, &outcome, &claimed_at, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, DBT_CLAIM_ACQUIRED);
}

static void
test_format_time (void)
{
  g_autofree char *epoch = dbt_sink_aws_format_time (0);
  g_autofree char *later = dbt_sink_aws_format_time (G_GINT64_CONSTANT (1738324800123));
  g_autofree char *round = dbt_sink_aws_format_time (G_GINT64_CONSTANT (1738324800005));

  g_assert_cmpstr (epoch, ==, "1970-01-01T00:00:00.000Z");
  g_assert_cmpstr (later, ==, "2025-01-31T12:00:00.123Z");
  g_assert_cmpstr (round, ==, "2025-01-31T12:00:00.005Z");
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/sink-aws/claim/acquired", test_claim_acquired);
  ADD ("/sink-aws/claim/existing", test_claim_existing);
  ADD ("/sink-aws/claim/entry-gone", test_claim_entry_gone);
  ADD ("/sink-aws/reclaim-mark-release", test_reclaim_mark_release);
  ADD ("/sink-aws/publish-batch", test_publish_batch);
  ADD ("/sink-aws/publish-batch/request-fails", test_publish_batch_request_fails);
  ADD ("/sink-aws/deadline", test_deadline);
  g_test_add_func ("/sink-aws/format-time", test_format_time);

  return g_test_run ();
}
