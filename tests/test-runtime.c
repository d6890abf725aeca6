/* test-runtime.c — the Lambda Runtime API client, and dbtrigger-handler's
 * init and invocation errors, against a scripted loopback Runtime API.
 *
 * The scripted server (fake-aws-server.c) is a fake at a boundary the local
 * stack cannot provide: moto emulates the AWS services, not the Runtime API
 * Lambda serves inside an execution environment, and only a script can
 * answer a next without a request id or a 500 on cue.
 */
#include <string.h>
#include <json-glib/json-glib.h>

#include "dbt-error.h"
#include "dbt-runtime.h"
#include "fake-aws-server.h"

#define NEXT_PATH "/2018-06-01/runtime/invocation/next"
#define REQUEST_ID "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
#define TRACE_ID "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"
#define FUNCTION_ARN "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime"

#define NEXT_HEADERS                                          \
  "Lambda-Runtime-Aws-Request-Id: " REQUEST_ID "\r\n"         \
  "Lambda-Runtime-Deadline-Ms: 1542409706888\r\n"             \
  "Lambda-Runtime-Invoked-Function-Arn: " FUNCTION_ARN "\r\n" \
  "Lambda-Runtime-Trace-Id: " TRACE_ID "\r\n"

/* "127.0.0.1:PORT" of the fake. */
static char *
address_of (FakeAwsServer *server)
{
  const char *url = fake_aws_server_get_url (server);

  g_assert_true (g_str_has_prefix (url, "http://"));
  return g_strdup (url + strlen ("http://"));
}

static DbtRuntime *
runtime_for (FakeAwsServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = address_of (server);
  DbtRuntime *runtime = dbt_runtime_new (address, &error);

  g_assert_no_error (error);
  g_assert_nonnull (runtime);
  return runtime;
}

static JsonObject *
parse_object (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_next_reads_invocation (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtRuntime) runtime = runtime_for (server);
  g_autoptr(DbtInvocation) invocation = NULL;
  g_autoptr(GError) error = NULL;
  const FakeRequest *request;
  gsize len = 0;
  const char *event;

  fake_aws_server_add (server, 200, NEXT_HEADERS, "{\"Records\":[]}");
  g_unsetenv ("_X_AMZN_TRACE_ID");

  invocation = dbt_runtime_next (runtime, &error);
  g_assert_no_error (error);
  g_assert_nonnull (invocation);
  g_assert_cmpstr (invocation->request_id, ==, REQUEST_ID);
  g_assert_cmpint (invocation->deadline_ms, ==, G_GINT64_CONSTANT (1542409706888));
  g_assert_cmpstr (invocation->invoked_function_arn, ==, FUNCTION_ARN);
  g_assert_cmpstr (invocation->trace_id, ==, TRACE_ID);
  event = g_bytes_get_data (invocation->event, &len);
  g_assert_cmpmem (event, len, "{\"Records\":[]}", strlen ("{\"Records\":[]}"));
  g_assert_cmpstr (g_getenv ("_X_AMZN_TRACE_ID"), ==, TRACE_ID);

  g_assert_cmpint (dbt_invocation_get_remaining_ms (invocation, G_GINT64_CONSTANT (1542409700888)), ==, 6000);
  g_assert_cmpint (dbt_invocation_get_remaining_ms (invocation, G_GINT64_CONSTANT (1542409707888)), ==, -1000);

  request = fake_aws_server_get_request (server, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, NEXT_PATH);
}

static void
test_next_without_trace_clears_it (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtRuntime) runtime = runtime_for (server);
  g_autoptr(DbtInvocation) invocation = NULL;
  g_autoptr(GError) error = NULL;

  fake_aws_server_add (server, 200, "Lambda-Runtime-Aws-Request-Id: r-2\r\n", "{}");
  g_setenv ("_X_AMZN_TRACE_ID", "stale", TRUE);

  invocation = dbt_runtime_next (runtime, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (invocation->request_id, ==, "r-2");
  g_assert_cmpint (invocation->deadline_ms, ==, 0);
  g_assert_null (invocation->trace_id);
  g_assert_null (g_getenv ("_X_AMZN_TRACE_ID"));
  g_assert_cmpint (dbt_invocation_get_remaining_ms (invocation, 12345), ==, G_MAXINT64);
}

static void
test_next_failures (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtRuntime) runtime = runtime_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtInvocation) invocation = NULL;

  /* A next without a request id cannot be answered. */
  fake_aws_server_add (server, 200, NULL, "{}");
  fake_aws_server_add (server, 500, NULL, "{\"errorType\":\"Runtime.ExitError\"}");
  fake_aws_server_add (server, 403, NULL, "{\"errorType\":\"Forbidden\"}");

  invocation = dbt_runtime_next (runtime, &error);
  g_assert_null (invocation);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_MALFORMED_RESPONSE);
  g_assert_nonnull (strstr (error->message, "Lambda-Runtime-Aws-Request-Id"));
  g_clear_error (&error);

  /* 500: the container error after which a runtime exits. */
  invocation = dbt_runtime_next (runtime, &error);
  g_assert_null (invocation);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "HTTP 500"));
  g_assert_nonnull (strstr (error->message, "Runtime.ExitError"));
  g_clear_error (&error);

  invocation = dbt_runtime_next (runtime, &error);
  g_assert_null (invocation);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CLIENT);
}

static void
test_next_connection_refused (void)
{
  g_autoptr(DbtRuntime) runtime = NULL;
  g_autoptr(DbtInvocation) invocation = NULL;
  g_autoptr(GError) error = NULL;

  runtime = dbt_runtime_new ("127.0.0.1:1", &error);
  g_assert_no_error (error);
  invocation = dbt_runtime_next (runtime, &error);
  g_assert_null (invocation);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONNECT);
}

static void
test_respond (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtRuntime) runtime = runtime_for (server);
  g_autoptr(GError) error = NULL;
  const char *body = "{\"batchItemFailures\":[]}";
  const FakeRequest *request;
  gsize len = 0;
  const char *sent;

  fake_aws_server_add (server, 202, NULL, "{\"status\":\"OK\"}");
  fake_aws_server_add (server, 413, NULL, "{\"errorType\":\"RequestEntityTooLarge\"}");

  g_assert_true (dbt_runtime_respond (runtime, REQUEST_ID, body, strlen (body), &error));
  g_assert_no_error (error);
  request = fake_aws_server_get_request (server, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/2018-06-01/runtime/invocation/" REQUEST_ID "/response");
  sent = g_bytes_get_data (request->body, &len);
  g_assert_cmpmem (sent, len, body, strlen (body));

  /* Too large: the status is an error, with what the API said. */
  g_assert_false (dbt_runtime_respond (runtime, REQUEST_ID, body, strlen (body), &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CLIENT);
  g_assert_nonnull (strstr (error->message, "413"));
  g_assert_nonnull (strstr (error->message, "RequestEntityTooLarge"));
}

static void
test_report_error (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtRuntime) runtime = runtime_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) document = NULL;
  const FakeRequest *request;

  fake_aws_server_add (server, 202, NULL, "{\"status\":\"OK\"}");
  g_assert_true (dbt_runtime_report_error (runtime, "id/with space", "Runtime.InvalidEvent",
                                           "Records[0].eventName: \"X\" is unknown", &error));
  g_assert_no_error (error);

  request = fake_aws_server_get_request (server, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  /* The id is escaped into one path segment. */
  g_assert_cmpstr (request->path, ==, "/2018-06-01/runtime/invocation/id%2Fwith%20space/error");
  g_assert_cmpstr (dbt_http_headers_get (request->headers, "Lambda-Runtime-Function-Error-Type"),
                   ==, "Runtime.InvalidEvent");
  document = parse_object (request->body);
  g_assert_cmpstr (json_object_get_string_member (document, "errorType"), ==, "Runtime.InvalidEvent");
  g_assert_cmpstr (json_object_get_string_member (document, "errorMessage"), ==,
                   "Records[0].eventName: \"X\" is unknown");
}

static void
test_report_init_error (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtRuntime) runtime = runtime_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) document = NULL;
  const FakeRequest *request;

  fake_aws_server_add (server, 202, NULL, "{\"status\":\"OK\"}");
  g_assert_true (dbt_runtime_report_init_error (runtime, "Runtime.ConfigError", "TOPIC_ARN is not set", &error));
  g_assert_no_error (error);
  request = fake_aws_server_get_request (server, 0);
  g_assert_cmpstr (request->path, ==, "/2018-06-01/runtime/init/error");
  g_assert_cmpstr (dbt_http_headers_get (request->headers, "Lambda-Runtime-Function-Error-Type"),
                   ==, "Runtime.ConfigError");
  document = parse_object (request->body);
  g_assert_cmpstr (json_object_get_string_member (document, "errorMessage"), ==, "TOPIC_ARN is not set");
}

static void
test_one_connection (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtRuntime) runtime = runtime_for (server);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DbtInvocation) invocation = NULL;

      fake_aws_server_add (server, 200, NEXT_HEADERS, "{}");
      fake_aws_server_add (server, 202, NULL, "{}");
      invocation = dbt_runtime_next (runtime, &error);
      g_assert_no_error (error);
      g_assert_true (dbt_runtime_respond (runtime, invocation->request_id, "{}", 2, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (fake_aws_server_get_n_requests (server), ==, 10);
  g_assert_cmpuint (fake_aws_server_get_n_connections (server), ==, 1);
}

static void
test_address (void)
{
  const char *bad[] = { "", "localhost", "localhost:", ":9001", "host:0", "host:65536",
                        "host:abc", "http://host:9001", "host:9001/path", "a b:1" };
  const char *env_missing[] = { "PATH=/bin", NULL };
  const char *env_set[] = { "AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtRuntime) runtime = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(DbtRuntime) refused = dbt_runtime_new (bad[i], &error);

      g_assert_null (refused);
      g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONFIG);
      g_assert_nonnull (strstr (error->message, "AWS_LAMBDA_RUNTIME_API"));
      g_clear_error (&error);
    }

  runtime = dbt_runtime_new_from_environ ((char *const *) env_missing, &error);
  g_assert_null (runtime);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "AWS_LAMBDA_RUNTIME_API is not set"));
  g_clear_error (&error);

  runtime = dbt_runtime_new_from_environ ((char *const *) env_set, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbt_runtime_get_address (runtime), ==, "127.0.0.1:9001");
  g_clear_pointer (&runtime, dbt_runtime_free);

  runtime = dbt_runtime_new ("localhost:9001", &error);
  g_assert_no_error (error);
  g_assert_nonnull (runtime);
}

static void
test_render_error (void)
{
  g_autofree char *document = dbt_runtime_render_error ("Runtime.InvalidEvent", "bad \"quote\"\n");

  g_assert_cmpstr (document, ==,
                   "{\"errorMessage\":\"bad \\\"quote\\\"\\n\",\"errorType\":\"Runtime.InvalidEvent\",\"stackTrace\":[]}");
}

/* --- dbtrigger-handler as a process ------------------------------------- */

typedef struct
{
  int   status;
  char *out;
  char *err;
} HandlerRun;

static void
handler_run_clear (HandlerRun *run)
{
  g_free (run->out);
  g_free (run->err);
}

/* Runs dbtrigger-handler with only @settings (NULL-terminated "NAME=value")
 * and the Runtime API pointed at @server. */
static void
run_handler (FakeAwsServer *server,
             HandlerRun    *run,
             ...)
{
  g_autofree char *exe = g_test_build_filename (G_TEST_BUILT, "..", "handler", "dbtrigger-handler", NULL);
  g_autofree char *address = address_of (server);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) envp = NULL;
  g_autoptr(GError) error = NULL;
  const char *asan = g_getenv ("ASAN_OPTIONS");
  const char *lsan = g_getenv ("LSAN_OPTIONS");
  g_autofree char *api = g_strconcat ("AWS_LAMBDA_RUNTIME_API=", address, NULL);
  g_autofree char *asan_setting = g_strconcat ("ASAN_OPTIONS=", asan, NULL);
  g_autofree char *lsan_setting = g_strconcat ("LSAN_OPTIONS=", lsan, NULL);
  char *argv[] = { exe, NULL };
  const char *setting;
  va_list args;

  g_strv_builder_add (builder, api);
  g_strv_builder_add (builder, "HOME=/nonexistent");
  /* The sanitizers' settings, when the tests run under them. */
  if (asan != NULL)
    g_strv_builder_add (builder, asan_setting);
  if (lsan != NULL)
    g_strv_builder_add (builder, lsan_setting);
  va_start (args, run);
  while ((setting = va_arg (args, const char *)) != NULL)
    g_strv_builder_add (builder, setting);
  va_end (args);
  envp = g_strv_builder_end (builder);

  g_spawn_sync (NULL, argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &run->status, &error);
  g_assert_no_error (error);
  g_test_message ("handler stdout: %s", run->out);
  g_test_message ("handler stderr: %s", run->err);
}

#define LAMBDA_SETTINGS                                         \
  "AWS_REGION=us-east-1",                                       \
  "AWS_ACCESS_KEY_ID=AKIDEXAMPLE",                              \
  "AWS_SECRET_ACCESS_KEY=secret-for-tests",                     \
  "AWS_ENDPOINT_URL=http://127.0.0.1:1"

static void
test_handler_missing_configuration (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(JsonObject) document = NULL;
  HandlerRun run = { 0 };
  const FakeRequest *request;

  fake_aws_server_add (server, 202, NULL, "{\"status\":\"OK\"}");
  run_handler (server, &run, LAMBDA_SETTINGS, "LOG_TABLE=log", NULL);

  g_assert_false (g_spawn_check_wait_status (run.status, NULL));
  g_assert_true (WIFEXITED (run.status) && WEXITSTATUS (run.status) == 1);
  g_assert_nonnull (strstr (run.err, "TOPIC_ARN"));
  /* One request: the init error, no next. */
  g_assert_cmpuint (fake_aws_server_get_n_requests (server), ==, 1);
  request = fake_aws_server_get_request (server, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/2018-06-01/runtime/init/error");
  document = parse_object (request->body);
  g_assert_cmpstr (json_object_get_string_member (document, "errorType"), ==, "Runtime.ConfigError");
  g_assert_nonnull (strstr (json_object_get_string_member (document, "errorMessage"), "TOPIC_ARN"));
  handler_run_clear (&run);
}

static void
test_handler_missing_region (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(JsonObject) document = NULL;
  HandlerRun run = { 0 };
  const FakeRequest *request;

  fake_aws_server_add (server, 202, NULL, "{\"status\":\"OK\"}");
  run_handler (server, &run, "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret-for-tests",
               "TOPIC_ARN=arn:aws:sns:us-east-1:123456789012:t", "LOG_TABLE=log", NULL);

  g_assert_true (WIFEXITED (run.status) && WEXITSTATUS (run.status) == 1);
  g_assert_cmpuint (fake_aws_server_get_n_requests (server), ==, 1);
  request = fake_aws_server_get_request (server, 0);
  g_assert_cmpstr (request->path, ==, "/2018-06-01/runtime/init/error");
  document = parse_object (request->body);
  g_assert_cmpstr (json_object_get_string_member (document, "errorType"), ==, "Runtime.AwsConfigError");
  g_assert_nonnull (strstr (json_object_get_string_member (document, "errorMessage"), "region"));
  /* Never the secret, anywhere. */
  g_assert_null (strstr (run.out, "secret-for-tests"));
  g_assert_null (strstr (run.err, "secret-for-tests"));
  handler_run_clear (&run);
}

static void
test_handler_malformed_event (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(JsonObject) document = NULL;
  HandlerRun run = { 0 };
  const FakeRequest *request;
  const char *message;

  /* next → a record whose eventName is a number; the error is posted;
   * then a 500 on next, after which the runtime exits. */
  fake_aws_server_add (server, 200, NEXT_HEADERS,
                       "{\"Records\":[{\"eventID\":\"e1\",\"eventName\":7,\"dynamodb\":{}}]}");
  fake_aws_server_add (server, 202, NULL, "{\"status\":\"OK\"}");
  fake_aws_server_add (server, 500, NULL, "{\"errorType\":\"Runtime.ExitError\"}");
  run_handler (server, &run, LAMBDA_SETTINGS,
               "TOPIC_ARN=arn:aws:sns:us-east-1:123456789012:t", "LOG_TABLE=log", NULL);

  g_assert_true (WIFEXITED (run.status) && WEXITSTATUS (run.status) == 1);
  g_assert_cmpuint (fake_aws_server_get_n_requests (server), ==, 3);
  g_assert_cmpstr (fake_aws_server_get_request (server, 0)->path, ==, NEXT_PATH);
  request = fake_aws_server_get_request (server, 1);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/2018-06-01/runtime/invocation/" REQUEST_ID "/error");
  g_assert_cmpstr (dbt_http_headers_get (request->headers, "Lambda-Runtime-Function-Error-Type"),
                   ==, "Runtime.InvalidEvent");
  document = parse_object (request->body);
  message = json_object_get_string_member (document, "errorMessage");
  g_assert_nonnull (strstr (message, "not a DynamoDB stream batch"));
  g_assert_nonnull (strstr (message, "Records[0]"));
  g_assert_cmpstr (fake_aws_server_get_request (server, 2)->path, ==, NEXT_PATH);
  /* The request id is in the log. */
  g_assert_nonnull (strstr (run.out, "\"requestId\":\"" REQUEST_ID "\""));
  handler_run_clear (&run);
}

static void
test_handler_deadline_near (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(JsonObject) document = NULL;
  g_autofree char *headers = NULL;
  HandlerRun run = { 0 };
  const FakeRequest *request;
  const char *event =
    "{\"Records\":[{\"eventID\":\"e1\",\"eventName\":\"INSERT\",\"eventSourceARN\":"
    "\"arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024\",\"dynamodb\":{"
    "\"Keys\":{\"id\":{\"S\":\"a\"}},\"NewImage\":{\"id\":{\"S\":\"a\"},\"owner\":{\"S\":\"alice\"}},"
    "\"SequenceNumber\":\"111\",\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"}}]}";

  /* 500 ms left, 2 s kept in reserve: nothing may start, so the record is
   * reported failed for Lambda to retry, without a single AWS call (the
   * endpoint refuses connections: a call would fail differently). */
  headers = g_strdup_printf ("Lambda-Runtime-Aws-Request-Id: r-deadline\r\n"
                             "Lambda-Runtime-Deadline-Ms: %" G_GINT64_FORMAT "\r\n",
                             g_get_real_time () / 1000 + 500);
  fake_aws_server_add (server, 200, headers, event);
  fake_aws_server_add (server, 202, NULL, "{\"status\":\"OK\"}");
  fake_aws_server_add (server, 500, NULL, "{}");
  run_handler (server, &run, LAMBDA_SETTINGS,
               "TOPIC_ARN=arn:aws:sns:us-east-1:123456789012:t", "LOG_TABLE=log", NULL);

  g_assert_true (WIFEXITED (run.status) && WEXITSTATUS (run.status) == 1);
  request = fake_aws_server_get_request (server, 1);
  g_assert_cmpstr (request->path, ==, "/2018-06-01/runtime/invocation/r-deadline/response");
  document = parse_object (request->body);
  {
    JsonArray *failures = json_object_get_array_member (document, "batchItemFailures");

    g_assert_cmpuint (json_array_get_length (failures), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (failures, 0),
                                                    "itemIdentifier"), ==, "111");
  }
  g_assert_nonnull (strstr (run.out, "deadline near"));
  g_assert_nonnull (strstr (run.out, "\"failed\":1"));
  g_assert_null (strstr (run.out, "alice"));
  handler_run_clear (&run);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/runtime/next", test_next_reads_invocation);
  g_test_add_func ("/runtime/next-without-trace", test_next_without_trace_clears_it);
  g_test_add_func ("/runtime/next-failures", test_next_failures);
  g_test_add_func ("/runtime/next-connection-refused", test_next_connection_refused);
  g_test_add_func ("/runtime/respond", test_respond);
  g_test_add_func ("/runtime/report-error", test_report_error);
  g_test_add_func ("/runtime/report-init-error", test_report_init_error);
  g_test_add_func ("/runtime/one-connection", test_one_connection);
  g_test_add_func ("/runtime/address", test_address);
  g_test_add_func ("/runtime/render-error", test_render_error);
  g_test_add_func ("/handler/missing-configuration", test_handler_missing_configuration);
  g_test_add_func ("/handler/missing-region", test_handler_missing_region);
  g_test_add_func ("/handler/malformed-event", test_handler_malformed_event);
  g_test_add_func ("/handler/deadline-near", test_handler_deadline_near);

  return g_test_run ();
}
