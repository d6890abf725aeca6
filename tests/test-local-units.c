/* test-local-units.c — the pure parts of dbtrigger-local: Lambda's stream
 * retry rules, the on-failure record, SNS filter policies, the .eml
 * renderer, checkpoints and stack.env parsing. */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "dbt-checkpoints.h"
#include "dbt-eml.h"
#include "dbt-failure-record.h"
#include "dbt-filter-policy.h"
#include "dbt-local-config.h"
#include "dbt-retry-policy.h"

static const DbtRetrySettings settings_bisect = { TRUE, 2, TRUE };
static const DbtRetrySettings settings_plain = { FALSE, -1, FALSE };

static void
test_retry_success (void)
{
  DbtSegment batch = { 5, 1 };
  DbtRetryDecision d = dbt_retry_decide (&settings_bisect, &batch, DBT_BATCH_SUCCEEDED, 0);

  g_assert_cmpuint (d.n_done, ==, 5);
  g_assert_cmpuint (d.n_given_up, ==, 0);
  g_assert_cmpuint (d.n_retry, ==, 0);
}

static void
test_retry_partial (void)
{
  DbtSegment batch = { 5, 0 };
  DbtRetryDecision d = dbt_retry_decide (&settings_bisect, &batch, DBT_BATCH_PARTIALLY_FAILED, 2);

  /* Done before the failed record; the rest retried, counting one retry. */
  g_assert_cmpuint (d.n_done, ==, 2);
  g_assert_cmpuint (d.n_retry, ==, 1);
  g_assert_cmpuint (d.retry[0].n_records, ==, 3);
  g_assert_cmpuint (d.retry[0].retries, ==, 1);

  batch.retries = 2;
  d = dbt_retry_decide (&settings_bisect, &batch, DBT_BATCH_PARTIALLY_FAILED, 2);
  g_assert_cmpuint (d.n_done, ==, 2);
  g_assert_cmpuint (d.n_given_up, ==, 3);
  g_assert_cmpuint (d.n_retry, ==, 0);
}

static void
test_retry_bisect (void)
{
  DbtSegment batch = { 5, 1 };
  DbtRetryDecision d = dbt_retry_decide (&settings_bisect, &batch, DBT_BATCH_FAILED, 0);

  /* Halves, in order; a split does not count as a retry. */
  g_assert_cmpuint (d.n_done, ==, 0);
  g_assert_cmpuint (d.n_retry, ==, 2);
  g_assert_cmpuint (d.retry[0].n_records, ==, 2);
  g_assert_cmpuint (d.retry[1].n_records, ==, 3);
  g_assert_cmpuint (d.retry[0].retries, ==, 1);
  g_assert_cmpuint (d.retry[1].retries, ==, 1);

  /* A single record is retried until MaximumRetryAttempts, then given up. */
  batch = (DbtSegment) { 1, 1 };
  d = dbt_retry_decide (&settings_bisect, &batch, DBT_BATCH_FAILED, 0);
  g_assert_cmpuint (d.n_retry, ==, 1);
  g_assert_cmpuint (d.retry[0].retries, ==, 2);
  batch.retries = 2;
  d = dbt_retry_decide (&settings_bisect, &batch, DBT_BATCH_FAILED, 0);
  g_assert_cmpuint (d.n_retry, ==, 0);
  g_assert_cmpuint (d.n_given_up, ==, 1);
}

static void
test_retry_unlimited (void)
{
  DbtSegment batch = { 4, 10000 };
  DbtRetryDecision d = dbt_retry_decide (&settings_plain, &batch, DBT_BATCH_FAILED, 0);

  g_assert_cmpuint (d.n_given_up, ==, 0);
  g_assert_cmpuint (d.n_retry, ==, 1);
  g_assert_cmpuint (d.retry[0].n_records, ==, 4);
  g_assert_cmpuint (d.retry[0].retries, ==, 10001);
}

static void
test_retry_response (void)
{
  const char *seqs[] = { "100", "200", "300", NULL };
  struct { const char *body; DbtBatchOutcome outcome; guint index; } cases[] = {
    { "", DBT_BATCH_SUCCEEDED, 0 },
    { "null", DBT_BATCH_SUCCEEDED, 0 },
    { "{}", DBT_BATCH_SUCCEEDED, 0 },
    { "{\"batchItemFailures\":[]}", DBT_BATCH_SUCCEEDED, 0 },
    { "{\"batchItemFailures\":null}", DBT_BATCH_SUCCEEDED, 0 },
    { "{\"batchItemFailures\":[{\"itemIdentifier\":\"200\"}]}", DBT_BATCH_PARTIALLY_FAILED, 1 },
    { "{\"batchItemFailures\":[{\"itemIdentifier\":\"300\"},{\"itemIdentifier\":\"100\"}]}", DBT_BATCH_PARTIALLY_FAILED, 0 },
    { "{\"batchItemFailures\":[{\"itemIdentifier\":\"999\"}]}", DBT_BATCH_FAILED, 0 },
    { "{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}", DBT_BATCH_FAILED, 0 },
    { "{\"batchItemFailures\":[{\"id\":\"100\"}]}", DBT_BATCH_FAILED, 0 },
    { "{\"batchItemFailures\":[{\"itemIdentifier\":100}]}", DBT_BATCH_FAILED, 0 },
    { "{\"batchItemFailures\":\"100\"}", DBT_BATCH_FAILED, 0 },
    { "\"ok\"", DBT_BATCH_FAILED, 0 },
    { "{not json", DBT_BATCH_FAILED, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *reason = NULL;
      guint index = 77;
      DbtBatchOutcome outcome = dbt_retry_read_response (&settings_bisect, cases[i].body, strlen (cases[i].body),
                                                         seqs, 3, &index, &reason);

      g_test_message ("%s", cases[i].body);
      g_assert_cmpint (outcome, ==, cases[i].outcome);
      if (outcome == DBT_BATCH_PARTIALLY_FAILED)
        g_assert_cmpuint (index, ==, cases[i].index);
      g_assert_true ((outcome == DBT_BATCH_FAILED) == (reason != NULL));
    }

  /* Without ReportBatchItemFailures the body does not matter. */
  {
    g_autofree char *reason = NULL;
    guint index;

    g_assert_cmpint (dbt_retry_read_response (&settings_plain, "{not json", 9, seqs, 3, &index, &reason),
                     ==, DBT_BATCH_SUCCEEDED);
  }
}

static void
test_retry_expired (void)
{
  gint64 now = 1000000000;
  gint64 created[] = { now - 70000, now - 61000, now - 59000, 0, now - 90000 };

  g_assert_cmpuint (dbt_retry_count_expired (created, 5, 60, now), ==, 2);
  g_assert_cmpuint (dbt_retry_count_expired (created, 5, -1, now), ==, 0);
  g_assert_cmpuint (dbt_retry_count_expired (created, 5, 100, now), ==, 0);
}

static void
test_failure_record (void)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (2019, 11, 14, 0, 13, 49.717);
  DbtFailureRecord record = {
    .request_id = "316aa6d0-8154-4af7-85d5-f4a6bc81aaaa",
    .function_arn = "arn:aws:lambda:us-east-1:123456789012:function:f",
    .condition = "RetryAttemptsExhausted",
    .approximate_invoke_count = 3,
    .status_code = 200,
    .executed_version = "$LATEST",
    .function_error = "Unhandled",
    .timestamp = time,
    .shard_id = "shardId-1",
    .start_sequence_number = "800000000003126276362",
    .end_sequence_number = "800000000003126276363",
    .first_arrival_ms = 1573690399000,
    .last_arrival_ms = 1573690400000,
    .batch_size = 2,
    .stream_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2019",
  };
  g_autofree char *json = dbt_failure_record_to_json (&record);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *info, *context, *response;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "version"), ==, "1.0");
  g_assert_cmpstr (json_object_get_string_member (root, "timestamp"), ==, "2019-11-14T00:13:49.717Z");
  context = json_object_get_object_member (root, "requestContext");
  g_assert_cmpstr (json_object_get_string_member (context, "condition"), ==, "RetryAttemptsExhausted");
  g_assert_cmpint (json_object_get_int_member (context, "approximateInvokeCount"), ==, 3);
  response = json_object_get_object_member (root, "responseContext");
  g_assert_cmpint (json_object_get_int_member (response, "statusCode"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (response, "functionError"), ==, "Unhandled");
  info = json_object_get_object_member (root, "DDBStreamBatchInfo");
  g_assert_cmpstr (json_object_get_string_member (info, "startSequenceNumber"), ==, "800000000003126276362");
  g_assert_cmpstr (json_object_get_string_member (info, "endSequenceNumber"), ==, "800000000003126276363");
  g_assert_cmpstr (json_object_get_string_member (info, "approximateArrivalOfFirstRecord"), ==, "2019-11-14T00:13:19Z");
  g_assert_cmpstr (json_object_get_string_member (info, "approximateArrivalOfLastRecord"), ==, "2019-11-14T00:13:20Z");
  g_assert_cmpint (json_object_get_int_member (info, "batchSize"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (info, "shardId"), ==, "shardId-1");
}

static gboolean
policy_matches (const char *policy,
                const char *attributes_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gboolean matches = FALSE;

  g_assert_true (json_parser_load_from_data (parser, attributes_json, -1, NULL));
  g_assert_true (dbt_filter_policy_matches (policy, NULL, json_node_get_object (json_parser_get_root (parser)),
                                            NULL, &matches, &error));
  g_assert_no_error (error);
  return matches;
}

static void
test_filter_policy (void)
{
  const char *alice = "{\"owner\":{\"Type\":\"String\",\"Value\":\"alice\"},"
                      "\"size\":{\"Type\":\"Number\",\"Value\":\"12.5\"},"
                      "\"tags\":{\"Type\":\"String.Array\",\"Value\":\"[\\\"red\\\",\\\"blue\\\"]\"}}";
  g_autoptr(GError) error = NULL;
  gboolean matches;

  g_assert_true (policy_matches (NULL, alice));
  g_assert_true (policy_matches ("{\"owner\":[\"alice\"]}", alice));
  g_assert_false (policy_matches ("{\"owner\":[\"bob\"]}", alice));
  g_assert_true (policy_matches ("{\"owner\":[\"bob\",\"alice\"]}", alice));
  g_assert_false (policy_matches ("{\"owner\":[\"alice\"],\"table\":[\"t\"]}", alice));
  g_assert_true (policy_matches ("{\"owner\":[{\"prefix\":\"al\"}]}", alice));
  g_assert_true (policy_matches ("{\"owner\":[{\"suffix\":\"ice\"}]}", alice));
  g_assert_true (policy_matches ("{\"owner\":[{\"equals-ignore-case\":\"ALICE\"}]}", alice));
  g_assert_true (policy_matches ("{\"owner\":[{\"anything-but\":[\"bob\"]}]}", alice));
  g_assert_false (policy_matches ("{\"owner\":[{\"anything-but\":\"alice\"}]}", alice));
  g_assert_false (policy_matches ("{\"owner\":[{\"anything-but\":{\"prefix\":\"a\"}}]}", alice));
  g_assert_true (policy_matches ("{\"table\":[{\"exists\":false}]}", alice));
  g_assert_false (policy_matches ("{\"owner\":[{\"exists\":false}]}", alice));
  g_assert_true (policy_matches ("{\"size\":[{\"numeric\":[\">\",10,\"<=\",12.5]}]}", alice));
  g_assert_false (policy_matches ("{\"size\":[{\"numeric\":[\"<\",10]}]}", alice));
  g_assert_true (policy_matches ("{\"size\":[12.5]}", alice));
  g_assert_true (policy_matches ("{\"tags\":[\"blue\"]}", alice));
  g_assert_false (policy_matches ("{\"tags\":[\"green\"]}", alice));
  g_assert_false (policy_matches ("{\"owner\":[\"alice\"]}", "{}"));

  g_assert_false (dbt_filter_policy_matches ("{\"owner\":[{\"wildcard\":\"a*\"}]}", NULL, NULL, NULL, &matches, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* Body scope, nested. */
  g_assert_true (dbt_filter_policy_matches ("{\"item\":{\"owner\":[\"alice\"]}}", "MessageBody", NULL,
                                            "{\"item\":{\"owner\":\"alice\"}}", &matches, &error));
  g_assert_true (matches);
  g_assert_true (dbt_filter_policy_matches ("{\"item\":{\"owner\":[\"bob\"]}}", "MessageBody", NULL,
                                            "{\"item\":{\"owner\":\"alice\"}}", &matches, &error));
  g_assert_false (matches);
}

static void
test_eml (void)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 11, 25, 8, 37, 9);
  const char *headers[] = { "X-Dbtrigger-Owner", "alice", NULL };
  DbtEml eml = {
    .from_name = "AWS Notifications",
    .from_address = "no-reply@sns.amazonaws.com",
    .to = "alice@example.com",
    .subject = "Änderung",
    .date = date,
    .message_id = "abc@sns.amazonaws.com",
    .extra_headers = headers,
    .body = "line one\nline two",
  };
  g_autofree char *text = dbt_eml_render (&eml);
  g_autofree char *long_subject = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *long_body = NULL;
  g_autofree char *base64 = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_nonnull (strstr (text, "From: \"AWS Notifications\" <no-reply@sns.amazonaws.com>\r\n"));
  g_assert_nonnull (strstr (text, "Subject: =?UTF-8?B?w4RuZGVydW5n?=\r\n"));
  g_assert_nonnull (strstr (text, "Date: Wed, 25 Nov 2026 08:37:09 +0000\r\n"));
  g_assert_nonnull (strstr (text, "Message-ID: <abc@sns.amazonaws.com>\r\n"));
  g_assert_nonnull (strstr (text, "X-Dbtrigger-Owner: alice\r\n"));
  g_assert_nonnull (strstr (text, "Content-Transfer-Encoding: 8bit\r\n\r\nline one\r\nline two\r\n"));
  g_assert_null (strstr (text, "\n\n"));

  /* Long non-ASCII subjects fold into several encoded-words of whole characters. */
  long_subject = g_strdup ("ééééééééééééééééééééééééééééééééééééééééé");
  folded = dbt_eml_encode_header (long_subject, 9);
  g_assert_nonnull (strstr (folded, "?=\r\n =?UTF-8?B?"));
  lines = g_strsplit (folded, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpuint (strlen (lines[i]) + (i == 0 ? 9 : 0), <=, 78);

  /* A line over 998 octets: base64 instead of 8bit. */
  long_body = g_strnfill (1200, 'a');
  eml.body = long_body;
  g_free (text);
  text = dbt_eml_render (&eml);
  g_assert_nonnull (strstr (text, "Content-Transfer-Encoding: base64\r\n"));
  base64 = g_base64_encode ((const guchar *) "aaa", 3);
  g_assert_nonnull (strstr (text, base64));
}

static void
test_checkpoints (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dbt-checkpoints-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "checkpoints.json", NULL);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(DbtCheckpoints) checkpoints = dbt_checkpoints_open (path);

    g_assert_null (dbt_checkpoints_get (checkpoints, "m", "s1"));
    g_assert_true (dbt_checkpoints_set (checkpoints, "m", "s1", "100", &error));
    g_assert_true (dbt_checkpoints_set (checkpoints, "m", "s1", "200", &error));
    g_assert_true (dbt_checkpoints_finish (checkpoints, "m", "s0", &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(DbtCheckpoints) checkpoints = dbt_checkpoints_open (path);
    g_autofree char *seq = dbt_checkpoints_get (checkpoints, "m", "s1");

    g_assert_cmpstr (seq, ==, "200");
    g_assert_true (dbt_checkpoints_is_finished (checkpoints, "m", "s0"));
    g_assert_false (dbt_checkpoints_is_finished (checkpoints, "m", "s1"));
    g_assert_false (dbt_checkpoints_is_finished (checkpoints, "other", "s0"));
  }
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_parse_env (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) env = dbt_local_parse_env ("# comment\n\nAWS_REGION=us-east-1\nexport A=\"quoted\"\nB='x=y'\n", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (env, "AWS_REGION"), ==, "us-east-1");
  g_assert_cmpstr (g_hash_table_lookup (env, "A"), ==, "quoted");
  g_assert_cmpstr (g_hash_table_lookup (env, "B"), ==, "x=y");
  g_assert_null (dbt_local_parse_env ("no equals sign\n", &error));
  g_assert_nonnull (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/local/retry/success", test_retry_success);
  g_test_add_func ("/local/retry/partial", test_retry_partial);
  g_test_add_func ("/local/retry/bisect", test_retry_bisect);
  g_test_add_func ("/local/retry/unlimited", test_retry_unlimited);
  g_test_add_func ("/local/retry/response", test_retry_response);
  g_test_add_func ("/local/retry/expired", test_retry_expired);
  g_test_add_func ("/local/failure-record", test_failure_record);
  g_test_add_func ("/local/filter-policy", test_filter_policy);
  g_test_add_func ("/local/eml", test_eml);
  g_test_add_func ("/local/checkpoints", test_checkpoints);
  g_test_add_func ("/local/parse-env", test_parse_env);
  return g_test_run ();
}
