/* test-aws-client.c — the protocol client against a scripted fake server:
 * request shapes and signatures, error parsing per protocol, retries,
 * transport failures, cancellation, keep-alive, threads. */
#include <string.h>

#include "dbt-aws-client.h"
#include "fake-aws-server.h"

#define ACCESS_KEY "AKIDFAKEEXAMPLE"
#define SECRET_KEY "wJalrXUtnFEMI/K7MDENG+bPxRfiCYsecretKEY"
#define REGION     "eu-west-3"

static DbtAwsConfig *
load_config (const char *endpoint_url,
             const char *session_token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *endpoint = g_strconcat ("AWS_ENDPOINT_URL=", endpoint_url, NULL);
  g_autofree char *token = g_strconcat ("AWS_SESSION_TOKEN=", session_token, NULL);
  g_auto(GStrv) env = NULL;
  DbtAwsConfigOptions options = { 0 };
  DbtAwsConfig *config;

  /* A private environment: nothing from the machine running the tests. */
  g_strv_builder_add_many (builder,
                           "AWS_ACCESS_KEY_ID=" ACCESS_KEY,
                           "AWS_SECRET_ACCESS_KEY=" SECRET_KEY,
                           "AWS_REGION=" REGION,
                           "AWS_CONFIG_FILE=/dev/null",
                           "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
                           "HOME=/nonexistent",
                           endpoint,
                           NULL);
  if (session_token != NULL)
    g_strv_builder_add (builder, token);
  env = g_strv_builder_end (builder);

  options.environ = env;
  config = dbt_aws_config_load (&options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (config);
  return config;
}

static DbtAwsClient *
client_for (FakeAwsServer *server)
{
  g_autoptr(DbtAwsConfig) config = load_config (fake_aws_server_get_url (server), NULL);
  DbtAwsClient *client = dbt_aws_client_new (config);

  /* Retries as in production, but without the waiting. */
  dbt_aws_client_set_backoff (client, 1, 5);
  dbt_aws_client_set_timeouts (client, 2000, 5000);
  return client;
}

static JsonNode *
json_from (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

/* Checks the request the server got carries a SigV4 signature that is
 * right for exactly what arrived: the credential scope, and the signature
 * recomputed over the signed headers as received, the path, the query and
 * the body. */
static void
assert_signed (const FakeRequest *request,
               const char        *service,
               const char        *session_token)
{
  g_autoptr(GError) error = NULL;
  const char *authorization = dbt_http_headers_get (request->headers, "Authorization");
  const char *amz_date = dbt_http_headers_get (request->headers, "X-Amz-Date");
  g_autofree char *scope = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) signed_names = NULL;
  g_autoptr(GPtrArray) signed_headers = dbt_http_headers_new ();
  const char *signed_list, *query;
  DbtSigv4Request sign_request = { 0 };
  DbtSigv4Params params = { 0 };
  DbtSigv4Result result = { 0 };
  g_autoptr(DbtCredentials) credentials = dbt_credentials_new (ACCESS_KEY, SECRET_KEY, session_token, "test");
  gsize body_len;

  g_assert_nonnull (authorization);
  g_assert_nonnull (amz_date);
  g_assert_cmpuint (strlen (amz_date), ==, 16);
  scope = g_strdup_printf ("AWS4-HMAC-SHA256 Credential=" ACCESS_KEY "/%.8s/" REGION "/%s/aws4_request, ",
                           amz_date, service);
  g_assert_true (g_str_has_prefix (authorization, scope));

  if (session_token != NULL)
    g_assert_cmpstr (dbt_http_headers_get (request->headers, "X-Amz-Security-Token"), ==, session_token);

  signed_list = strstr (authorization, "SignedHeaders=");
  g_assert_nonnull (signed_list);
  signed_list += strlen ("SignedHeaders=");
  {
    g_autofree char *names = g_strndup (signed_list, strcspn (signed_list, ","));

    signed_names = g_strsplit (names, ";", -1);
  }
  g_assert_true (g_strv_contains ((const char *const *) signed_names, "host"));
  g_assert_true (g_strv_contains ((const char *const *) signed_names, "x-amz-date"));
  for (guint i = 0; signed_names[i] != NULL; i++)
    {
      const char *value = dbt_http_headers_get (request->headers, signed_names[i]);

      g_assert_nonnull (value);
      dbt_http_headers_add (signed_headers, signed_names[i], value);
    }

  query = strchr (request->path, '?');
  path = query != NULL ? g_strndup (request->path, query - request->path) : g_strdup (request->path);
  sign_request.method = request->method;
  sign_request.path = path;
  sign_request.query = query != NULL ? query + 1 : NULL;
  sign_request.headers = signed_headers;
  sign_request.payload = g_bytes_get_data (request->body, &body_len);
  sign_request.payload_len = body_len;
  params.credentials = credentials;
  params.region = REGION;
  params.service = service;
  params.amz_date = amz_date;
  params.normalize_path = strcmp (service, "s3") != 0;
  params.add_content_sha256 = strcmp (service, "s3") == 0;
  g_assert_true (dbt_sigv4_sign_headers (&sign_request, &params, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (result.authorization, ==, authorization);
  dbt_sigv4_result_clear (&result);
}

static void
assert_body (const FakeRequest *request,
             const char        *expected)
{
  gsize len;
  const char *data = g_bytes_get_data (request->body, &len);
  g_autofree char *body = g_strndup (data, len);

  g_assert_cmpstr (body, ==, expected);
}

/* --- request shapes ------------------------------------------------------ */

static void
test_json_request (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(JsonNode) request = json_from ("{\"Limit\":5}");
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  const FakeRequest *got;
  JsonArray *names;

  fake_aws_server_add (server, 200, "Content-Type: application/x-amz-json-1.0\r\n"
                                    "x-amzn-RequestId: REQ1\r\n",
                       "{\"TableNames\":[\"orders\",\"users\"]}");

  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables",
                                       request, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response));
  names = json_object_get_array_member (json_node_get_object (response), "TableNames");
  g_assert_cmpuint (json_array_get_length (names), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (names, 1), ==, "users");
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 1);

  g_assert_cmpuint (fake_aws_server_get_n_requests (server), ==, 1);
  got = fake_aws_server_get_request (server, 0);
  g_assert_cmpstr (got->method, ==, "POST");
  g_assert_cmpstr (got->path, ==, "/");
  g_assert_cmpstr (dbt_http_headers_get (got->headers, "X-Amz-Target"), ==, "DynamoDB_20120810.ListTables");
  g_assert_cmpstr (dbt_http_headers_get (got->headers, "Content-Type"), ==, "application/x-amz-json-1.0");
  host = g_strdup (fake_aws_server_get_url (server) + strlen ("http://"));
  g_assert_cmpstr (dbt_http_headers_get (got->headers, "Host"), ==, host);
  /* No 100-continue round trip, and nothing curl would add by itself. */
  g_assert_null (dbt_http_headers_get (got->headers, "Expect"));
  g_assert_null (dbt_http_headers_get (got->headers, "Accept"));
  assert_body (got, "{\"Limit\":5}");
  assert_signed (got, "dynamodb", NULL);
}

/* Streams sign as "dynamodb"; SQS speaks JSON 1.0 with its own target. */
static void
test_json_signing_names (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(JsonNode) streams = NULL;
  g_autoptr(JsonNode) queues = NULL;
  g_autoptr(GError) error = NULL;

  fake_aws_server_add (server, 200, NULL, "{}");

  streams = dbt_aws_client_call_json (client, DBT_SERVICE_STREAMS, "DynamoDBStreams_20120810.ListStreams",
                                      NULL, NULL, &error);
  g_assert_no_error (error);
  queues = dbt_aws_client_call_json (client, DBT_SERVICE_SQS, "AmazonSQS.ListQueues", NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (fake_aws_server_get_n_requests (server), ==, 2);
  assert_body (fake_aws_server_get_request (server, 0), "{}");
  assert_signed (fake_aws_server_get_request (server, 0), "dynamodb", NULL);
  g_assert_cmpstr (dbt_http_headers_get (fake_aws_server_get_request (server, 1)->headers, "X-Amz-Target"),
                   ==, "AmazonSQS.ListQueues");
  assert_signed (fake_aws_server_get_request (server, 1), "sqs", NULL);
}

static void
test_session_token_signed (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsConfig) config = load_config (fake_aws_server_get_url (server), "FwoGZXIvYXdzEJr//token");
  g_autoptr(DbtAwsClient) client = dbt_aws_client_new (config);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;

  fake_aws_server_add (server, 200, NULL, "{}");
  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables",
                                       NULL, NULL, &error);
  g_assert_no_error (error);
  assert_signed (fake_aws_server_get_request (server, 0), "dynamodb", "FwoGZXIvYXdzEJr//token");
}

static void
test_query_request (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(DbtXmlNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *const params[] = {
    "TopicArn", "arn:aws:sns:eu-west-3:123456789012:orders",
    "Message", "a b&c=d/é~",
    NULL
  };
  const FakeRequest *got;

  fake_aws_server_add (server, 200, "Content-Type: text/xml\r\n",
                       "<?xml version=\"1.0\"?>\n"
                       "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                       "<PublishResult><MessageId>94f2-e1</MessageId></PublishResult>"
                       "<ResponseMetadata><RequestId>f187a3c1</RequestId></ResponseMetadata>"
                       "</PublishResponse>");

  root = dbt_aws_client_call_query (client, DBT_SERVICE_SNS, "Publish", "2010-03-31", params, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (root->name, ==, "PublishResponse");
  g_assert_cmpstr (dbt_xml_find_text (root, "PublishResult/MessageId"), ==, "94f2-e1");

  got = fake_aws_server_get_request (server, 0);
  g_assert_cmpstr (got->method, ==, "POST");
  g_assert_cmpstr (dbt_http_headers_get (got->headers, "Content-Type"), ==,
                   "application/x-www-form-urlencoded; charset=utf-8");
  g_assert_null (dbt_http_headers_get (got->headers, "X-Amz-Target"));
  assert_body (got, "Action=Publish&Version=2010-03-31"
                    "&TopicArn=arn%3Aaws%3Asns%3Aeu-west-3%3A123456789012%3Aorders"
                    "&Message=a%20b%26c%3Dd%2F%C3%A9~");
  assert_signed (got, "sns", NULL);
}

static void
test_query_odd_params (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(DbtXmlNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *const params[] = { "TopicArn", NULL };

  fake_aws_server_add (server, 200, NULL, "<R/>");
  root = dbt_aws_client_call_query (client, DBT_SERVICE_SNS, "Publish", "2010-03-31", params, NULL, &error);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_assert_null (root);
  g_assert_cmpuint (fake_aws_server_get_n_requests (server), ==, 0);
}

static void
test_rest_request (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  g_autoptr(GPtrArray) response_headers = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("PK\003\004zip", 7);
  g_autoptr(GBytes) result = NULL;
  g_autoptr(GError) error = NULL;
  const FakeRequest *got;
  g_autofree char *expected_hash = dbt_sha256_hex ((const guint8 *) "PK\003\004zip", 7);

  fake_aws_server_add (server, 200, "ETag: \"abc\"\r\nx-amz-request-id: R2\r\n", "");
  dbt_http_headers_add (headers, "Content-Type", "application/zip");

  result = dbt_aws_client_call_rest (client, DBT_SERVICE_S3, "PUT", "/code-bucket/handler%20v1.zip",
                                     "x-id=PutObject", headers, body, &response_headers, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (result), ==, 0);
  g_assert_cmpstr (dbt_http_headers_get (response_headers, "etag"), ==, "\"abc\"");

  got = fake_aws_server_get_request (server, 0);
  g_assert_cmpstr (got->method, ==, "PUT");
  g_assert_cmpstr (got->path, ==, "/code-bucket/handler%20v1.zip?x-id=PutObject");
  g_assert_cmpstr (dbt_http_headers_get (got->headers, "Content-Type"), ==, "application/zip");
  g_assert_cmpstr (dbt_http_headers_get (got->headers, "x-amz-content-sha256"), ==, expected_hash);
  g_assert_cmpuint (g_bytes_get_size (got->body), ==, 7);
  g_assert_true (g_bytes_equal (got->body, body));
  assert_signed (got, "s3", NULL);
}

/* S3 keys are names, not paths: dot segments and double slashes go out
 * (and are signed) exactly as given. */
static void
test_rest_s3_path_as_is (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(GBytes) result = NULL;
  g_autoptr(GError) error = NULL;

  fake_aws_server_add (server, 200, NULL, "data");
  result = dbt_aws_client_call_rest (client, DBT_SERVICE_S3, "GET", "/bucket/a/./b/../c//d",
                                     NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fake_aws_server_get_request (server, 0)->path, ==, "/bucket/a/./b/../c//d");
  assert_signed (fake_aws_server_get_request (server, 0), "s3", NULL);
}

static void
test_rest_get_lambda (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(GBytes) result = NULL;
  g_autoptr(GError) error = NULL;
  const FakeRequest *got;

  fake_aws_server_add (server, 200, "Content-Type: application/json\r\n", "{\"Functions\":[]}");
  result = dbt_aws_client_call_rest (client, DBT_SERVICE_LAMBDA, "GET", "/2015-03-31/functions/",
                                     NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (result, NULL), g_bytes_get_size (result), "{\"Functions\":[]}", 16);

  got = fake_aws_server_get_request (server, 0);
  g_assert_cmpstr (got->method, ==, "GET");
  g_assert_cmpstr (got->path, ==, "/2015-03-31/functions/");
  g_assert_cmpuint (g_bytes_get_size (got->body), ==, 0);
  assert_signed (got, "lambda", NULL);
}

/* An endpoint with a path of its own (behind a proxy) prefixes every path,
 * and the signature covers the prefixed path. */
static void
test_endpoint_with_path (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autofree char *url = g_strconcat (fake_aws_server_get_url (server), "/aws/", NULL);
  g_autoptr(DbtAwsConfig) config = load_config (url, NULL);
  g_autoptr(DbtAwsClient) client = dbt_aws_client_new (config);
  g_autoptr(GBytes) result = NULL;
  g_autoptr(GError) error = NULL;

  fake_aws_server_add (server, 200, NULL, "{}");
  result = dbt_aws_client_call_rest (client, DBT_SERVICE_LAMBDA, "GET", "/2015-03-31/functions/f",
                                     NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fake_aws_server_get_request (server, 0)->path, ==, "/aws/2015-03-31/functions/f");
  assert_signed (fake_aws_server_get_request (server, 0), "lambda", NULL);
}

/* --- malformed and truncated responses ----------------------------------- */

static void
test_malformed_json (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;
  const char *quote;

  fake_aws_server_add (server, 200, NULL,
                       "{\"TableNames\": [\"orders\"\n\t, oops this is not JSON at all and it goes on "
                       "for much longer than eighty characters, far too long to quote whole");

  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables",
                                       NULL, NULL, &error);
  g_assert_null (response);
  g_test_message ("%s", error->message);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_MALFORMED_RESPONSE);
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 1);
  g_assert_nonnull (strstr (error->message, fake_aws_server_get_url (server)));
  /* The excerpt is quoted, escaped (no raw newline or tab) and cut short. */
  g_assert_null (strchr (error->message, '\n'));
  g_assert_null (strchr (error->message, '\t'));
  quote = strstr (error->message, "\"{\\\"TableNames");
  g_assert_nonnull (quote);
  g_assert_null (strstr (error->message, "quote whole"));
  g_assert_cmpuint (strlen (quote), <=, 80 + strlen ("\"\"..."));
}

static void
test_json_not_an_object (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;

  fake_aws_server_add (server, 200, NULL, "[1,2]");
  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables",
                                       NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_MALFORMED_RESPONSE);
}

/* A web server that is not AWS (a captive portal, a wrong port). */
static void
test_html_answer (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(DbtXmlNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error_404 = NULL;
  const char *page = "<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body>It works<br></body></html>";

  fake_aws_server_add (server, 200, "Content-Type: text/html\r\n", page);
  fake_aws_server_add (server, 404, "Content-Type: text/html\r\n", page);

  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables",
                                       NULL, NULL, &error);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_MALFORMED_RESPONSE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "web page"));
  g_assert_nonnull (strstr (error->message, "<!DOCTYPE html>"));

  root = dbt_aws_client_call_query (client, DBT_SERVICE_SNS, "ListTopics", "2010-03-31", NULL, NULL, &error_404);
  g_assert_null (root);
  g_assert_error (error_404, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_null (dbt_aws_error_get_aws_code (error_404));
  g_assert_cmpuint (dbt_aws_error_get_http_status (error_404), ==, 404);
  g_assert_nonnull (strstr (error_404->message, "web page"));
  g_assert_nonnull (strstr (error_404->message, "HTTP 404"));
}

/* Content-Length promises more than arrives, then the server hangs up:
 * a dropped connection, retried, and reported as truncated. */
static void
test_truncated_response (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;

  fake_aws_server_add_raw (server,
                           "HTTP/1.1 200 OK\r\n"
                           "Content-Type: application/x-amz-json-1.0\r\n"
                           "Content-Length: 100\r\n"
                           "\r\n"
                           "{\"TableNames\":[\"ord",
                           FAKE_CLOSE);

  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables",
                                       NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_MALFORMED_RESPONSE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "truncated"));
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 3);
  g_assert_cmpuint (fake_aws_server_get_n_requests (server), ==, 3);
}

/* A truncated body and then a good one: the retry recovers. */
static void
test_truncated_then_success (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;

  fake_aws_server_add_raw (server, "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"Ta", FAKE_CLOSE);
  fake_aws_server_add (server, 200, NULL, "{\"TableNames\":[]}");

  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables",
                                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (json_node_get_object (response), "TableNames"));
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 2);
  /* The dropped connection was replaced by a new one. */
  g_assert_cmpuint (fake_aws_server_get_n_connections (server), ==, 2);
}

/* --- retries ------------------------------------------------------------- */

static void
test_500_then_success (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;
  const char *date_1, *date_2;

  fake_aws_server_add (server, 500, "x-amzn-RequestId: R500\r\n",
                       "{\"__type\":\"com.amazon.coral.service#InternalFailure\"}");
  fake_aws_server_add (server, 200, NULL, "{\"Table\":{\"TableName\":\"orders\"}}");

  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.DescribeTable",
                                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 2);
  g_assert_cmpuint (fake_aws_server_get_n_requests (server), ==, 2);

  /* Each attempt is signed on its own, and both signatures hold. */
  date_1 = dbt_http_headers_get (fake_aws_server_get_request (server, 0)->headers, "X-Amz-Date");
  date_2 = dbt_http_headers_get (fake_aws_server_get_request (server, 1)->headers, "X-Amz-Date");
  g_assert_nonnull (date_1);
  g_assert_nonnull (date_2);
  g_assert_cmpstr (date_1, <=, date_2);
  assert_signed (fake_aws_server_get_request (server, 0), "dynamodb", NULL);
  assert_signed (fake_aws_server_get_request (server, 1), "dynamodb", NULL);
  /* Keep-alive: one connection served both attempts. */
  g_assert_cmpuint (fake_aws_server_get_n_connections (server), ==, 1);
}

static const char throttling_body[] =
  "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\","
  "\"message\":\"Rate of requests exceeds the allowed throughput.\"}";

static void
test_throttling_then_success (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;

  fake_aws_server_add (server, 400, NULL, throttling_body);
  fake_aws_server_add (server, 400, NULL, throttling_body);
  fake_aws_server_add (server, 200, NULL, "{\"Count\":0}");

  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.Scan",
                                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (response), "Count"), ==, 0);
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 3);
}

static void
test_throttling_forever (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;

  fake_aws_server_add (server, 400, "x-amzn-RequestId: THROTTLED-1\r\n", throttling_body);

  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.Scan",
                                       NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_THROTTLED);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "ThrottlingException");
  g_assert_cmpuint (dbt_aws_error_get_http_status (error), ==, 400);
  g_assert_cmpstr (dbt_aws_error_get_request_id (error), ==, "THROTTLED-1");
  g_assert_nonnull (strstr (error->message, "Rate of requests exceeds the allowed throughput."));
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 3);
  g_assert_cmpuint (fake_aws_server_get_n_requests (server), ==, 3);
}

static void
test_max_attempts_configurable (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error_once = NULL;

  fake_aws_server_add (server, 429, NULL, "{\"__type\":\"TooManyRequestsException\"}");

  dbt_aws_client_set_max_attempts (client, 5);
  response = dbt_aws_client_call_json (client, DBT_SERVICE_SQS, "AmazonSQS.ListQueues", NULL, NULL, &error);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_THROTTLED);
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 5);

  dbt_aws_client_set_max_attempts (client, 1);
  response = dbt_aws_client_call_json (client, DBT_SERVICE_SQS, "AmazonSQS.ListQueues", NULL, NULL, &error_once);
  g_assert_error (error_once, DBT_AWS_ERROR, DBT_AWS_ERROR_THROTTLED);
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 1);
  g_assert_cmpuint (fake_aws_server_get_n_requests (server), ==, 6);
}

/* Backoff really waits: with a 40 ms base, two retries sleep a random
 * time below 40 + 80 ms; zero base means no wait at all. */
static void
test_backoff_bounds (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = NULL;
  gint64 start, elapsed_ms;

  fake_aws_server_add (server, 503, NULL, "");
  dbt_aws_client_set_backoff (client, 40, 20000);
  start = g_get_monotonic_time ();
  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.Scan",
                                       NULL, NULL, &error);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_SERVER);
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 3);
  g_assert_cmpint (elapsed_ms, <, 120 + 1000);   /* the sleeps, plus generous slack for three exchanges */
}

static void
test_validation_not_retried (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;

  fake_aws_server_add (server, 400, "x-amzn-RequestId: V1\r\n",
                       "{\"__type\":\"com.amazon.coral.validate#ValidationException\","
                       "\"message\":\"1 validation error detected: Value null at 'tableName'\"}");
  fake_aws_server_add (server, 200, NULL, "{}");

  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.DescribeTable",
                                       NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CLIENT);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "ValidationException");
  g_assert_cmpstr (dbt_aws_error_get_request_id (error), ==, "V1");
  g_assert_nonnull (strstr (error->message, "Value null at 'tableName'"));
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 1);
  g_assert_cmpuint (fake_aws_server_get_n_requests (server), ==, 1);
}

static void
test_condition_failed (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;

  fake_aws_server_add (server, 400, NULL,
                       "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                       "\"Message\":\"The conditional request failed\"}");
  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.PutItem",
                                       NULL, NULL, &error);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONDITION_FAILED);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "ConditionalCheckFailedException");
  g_assert_nonnull (strstr (error->message, "The conditional request failed"));
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 1);
}

/* --- credentials refused ------------------------------------------------- */

static void
test_wrong_credentials (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;
  const char *source = dbt_aws_client_get_config (client)->credentials->source;

  fake_aws_server_add (server, 400, "x-amzn-RequestId: AUTH1\r\n",
                       "{\"__type\":\"com.amazon.coral.service#UnrecognizedClientException\","
                       "\"message\":\"The security token included in the request is invalid.\"}");

  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables",
                                       NULL, NULL, &error);
  g_assert_null (response);
  g_test_message ("%s", error->message);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_AUTH);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "UnrecognizedClientException");
  g_assert_nonnull (strstr (error->message, "UnrecognizedClientException"));
  g_assert_nonnull (strstr (error->message, "The security token included in the request is invalid"));
  g_assert_nonnull (source);
  g_assert_nonnull (strstr (error->message, source));
  g_assert_nonnull (strstr (error->message, ACCESS_KEY));
  g_assert_null (strstr (error->message, SECRET_KEY));
  g_assert_null (strstr (error->message, "secretKEY"));
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 1);
}

/* S3 says the same in XML, with a 403. */
static void
test_s3_signature_refused (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(GBytes) result = NULL;
  g_autoptr(GError) error = NULL;

  fake_aws_server_add (server, 403, "Content-Type: application/xml\r\n",
                       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<Error><Code>SignatureDoesNotMatch</Code>"
                       "<Message>The request signature we calculated does not match the signature you provided.</Message>"
                       "<AWSAccessKeyId>" ACCESS_KEY "</AWSAccessKeyId>"
                       "<RequestId>S3AUTH</RequestId></Error>");
  result = dbt_aws_client_call_rest (client, DBT_SERVICE_S3, "GET", "/", NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_AUTH);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "SignatureDoesNotMatch");
  g_assert_cmpstr (dbt_aws_error_get_request_id (error), ==, "S3AUTH");
  g_assert_nonnull (strstr (error->message, "does not match the signature you provided"));
  g_assert_null (strstr (error->message, SECRET_KEY));
}

/* --- error documents per protocol ---------------------------------------- */

static void
test_query_error (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(DbtXmlNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *const params[] = { "TopicArn", "arn:aws:sns:eu-west-3:123456789012:gone", NULL };

  fake_aws_server_add (server, 404, "Content-Type: text/xml\r\n",
                       "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">\n"
                       "  <Error>\n"
                       "    <Type>Sender</Type>\n"
                       "    <Code>NotFound</Code>\n"
                       "    <Message>Topic does not exist</Message>\n"
                       "  </Error>\n"
                       "  <RequestId>9dd01905-5012-5f99-8663-4b3ecd0dfaef</RequestId>\n"
                       "</ErrorResponse>");

  root = dbt_aws_client_call_query (client, DBT_SERVICE_SNS, "GetTopicAttributes", "2010-03-31",
                                    params, NULL, &error);
  g_assert_null (root);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "NotFound");
  g_assert_cmpuint (dbt_aws_error_get_http_status (error), ==, 404);
  g_assert_cmpstr (dbt_aws_error_get_request_id (error), ==, "9dd01905-5012-5f99-8663-4b3ecd0dfaef");
  g_assert_nonnull (strstr (error->message, "Topic does not exist"));
}

static void
test_query_throttled (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(DbtXmlNode) root = NULL;
  g_autoptr(GError) error = NULL;

  fake_aws_server_add (server, 400, NULL,
                       "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                       "<Message>Rate exceeded</Message></Error><RequestId>T</RequestId></ErrorResponse>");
  fake_aws_server_add (server, 200, NULL,
                       "<ListTopicsResponse><ListTopicsResult><Topics/></ListTopicsResult></ListTopicsResponse>");

  root = dbt_aws_client_call_query (client, DBT_SERVICE_SNS, "ListTopics", "2010-03-31", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (root->name, ==, "ListTopicsResponse");
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 2);
  assert_body (fake_aws_server_get_request (server, 1), "Action=ListTopics&Version=2010-03-31");
}

static void
test_rest_json_error (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(GBytes) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error_body_only = NULL;

  /* The header names the code; the body's "Type" is the fault side. */
  fake_aws_server_add (server, 404,
                       "x-amzn-ErrorType: ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.awslambda/\r\n"
                       "x-amzn-RequestId: L404\r\n"
                       "Content-Type: application/json\r\n",
                       "{\"Type\":\"User\",\"Message\":\"Function not found: arn:aws:lambda:eu-west-3:123456789012:function:nope\"}");
  /* No header: the code comes from the body. */
  fake_aws_server_add (server, 400, NULL,
                       "{\"__type\":\"InvalidParameterValueException\",\"message\":\"Runtime is invalid\"}");

  result = dbt_aws_client_call_rest (client, DBT_SERVICE_LAMBDA, "GET", "/2015-03-31/functions/nope",
                                     NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "ResourceNotFoundException");
  g_assert_cmpstr (dbt_aws_error_get_request_id (error), ==, "L404");
  g_assert_nonnull (strstr (error->message, "Function not found"));

  result = dbt_aws_client_call_rest (client, DBT_SERVICE_LAMBDA, "POST", "/2015-03-31/functions",
                                     NULL, NULL, NULL, NULL, NULL, &error_body_only);
  g_assert_error (error_body_only, DBT_AWS_ERROR, DBT_AWS_ERROR_CLIENT);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error_body_only), ==, "InvalidParameterValueException");
  g_assert_nonnull (strstr (error_body_only->message, "Runtime is invalid"));
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 1);
}

static void
test_s3_errors (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(GBytes) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) head_error = NULL;

  fake_aws_server_add (server, 404, "Content-Type: application/xml\r\n",
                       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
                       "<Key>handler.zip</Key><RequestId>4442587FB7D0A2F9</RequestId></Error>");
  /* HEAD errors have no body: the status says it all. */
  fake_aws_server_add_raw (server, "HTTP/1.1 404 Not Found\r\nx-amz-request-id: HEAD404\r\n"
                                   "Content-Length: 0\r\n\r\n", FAKE_KEEP_OPEN);

  result = dbt_aws_client_call_rest (client, DBT_SERVICE_S3, "GET", "/code/handler.zip", NULL,
                                     NULL, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "NoSuchKey");
  g_assert_cmpstr (dbt_aws_error_get_request_id (error), ==, "4442587FB7D0A2F9");
  g_assert_nonnull (strstr (error->message, "The specified key does not exist."));

  result = dbt_aws_client_call_rest (client, DBT_SERVICE_S3, "HEAD", "/code/handler.zip", NULL,
                                     NULL, NULL, NULL, NULL, &head_error);
  g_assert_null (result);
  g_assert_error (head_error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (head_error), ==, "NotFound");
  g_assert_cmpstr (dbt_aws_error_get_request_id (head_error), ==, "HEAD404");
  g_assert_cmpstr (fake_aws_server_get_request (server, 1)->method, ==, "HEAD");
}

static void
test_sqs_query_compatible_error (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;

  fake_aws_server_add (server, 400,
                       "x-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;Sender\r\n",
                       "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\","
                       "\"message\":\"The specified queue does not exist.\"}");
  response = dbt_aws_client_call_json (client, DBT_SERVICE_SQS, "AmazonSQS.GetQueueUrl", NULL, NULL, &error);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "AWS.SimpleQueueService.NonExistentQueue");
  g_assert_nonnull (strstr (error->message, "The specified queue does not exist."));
}

/* --- transport failures -------------------------------------------------- */

static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, &error);
  g_assert_no_error (error);
  return port;
}

static void
test_connection_refused (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  g_autoptr(DbtAwsConfig) config = load_config (url, NULL);
  g_autoptr(DbtAwsClient) client = dbt_aws_client_new (config);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("cannot connect to %s: Connection refused", url);

  dbt_aws_client_set_backoff (client, 1, 5);
  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables",
                                       NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONNECT);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_true (dbt_aws_error_is_retryable (error));
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 3);
}

static void
test_unknown_host (void)
{
  g_autoptr(DbtAwsConfig) config = load_config ("http://nonexistent.invalid:1", NULL);
  g_autoptr(DbtAwsClient) client = dbt_aws_client_new (config);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  dbt_aws_client_set_backoff (client, 1, 5);
  dbt_aws_client_set_timeouts (client, 3000, 5000);
  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables",
                                       NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONNECT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "nonexistent.invalid"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

/* Endpoint URLs that are no URL at all fail at once, before any attempt. */
static void
test_invalid_endpoint_url (void)
{
  const char *const bad_urls[] = { "not a url", "ftp://127.0.0.1:21", "http://", "http://h:99999", "", NULL };

  for (guint i = 0; bad_urls[i] != NULL; i++)
    {
      g_autoptr(DbtAwsConfig) config = load_config ("http://127.0.0.1:1", NULL);
      g_autoptr(DbtAwsClient) client = NULL;
      g_autoptr(JsonNode) response = NULL;
      g_autoptr(GError) error = NULL;

      /* Past the configuration chain's own checks, as a hand-made config could be. */
      g_free (config->endpoint_urls[DBT_SERVICE_DYNAMODB]);
      config->endpoint_urls[DBT_SERVICE_DYNAMODB] = g_strdup (bad_urls[i]);
      client = dbt_aws_client_new (config);

      response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables",
                                           NULL, NULL, &error);
      g_assert_null (response);
      g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONFIG);
      g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 0);
    }
}

static void
test_timeout (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  fake_aws_server_add_raw (server, "", FAKE_HANG);
  dbt_aws_client_set_timeouts (client, 1000, 200);
  dbt_aws_client_set_max_attempts (client, 2);
  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables",
                                       NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_TIMEOUT);
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 2);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static gpointer
cancel_thread (gpointer data)
{
  g_usleep (200 * 1000);
  cancel_later (data);
  return NULL;
}

static void
test_cancel (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) early_error = NULL;
  GThread *thread;
  gint64 start, elapsed;

  fake_aws_server_add_raw (server, "", FAKE_HANG);
  dbt_aws_client_set_timeouts (client, 5000, 30000);

  thread = g_thread_new ("cancel", cancel_thread, cancellable);
  start = g_get_monotonic_time ();
  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables",
                                       NULL, cancellable, &error);
  elapsed = g_get_monotonic_time () - start;
  g_thread_join (thread);
  g_assert_null (response);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 1);
  /* Woken at once, not at the next one-second progress tick. */
  g_assert_cmpint (elapsed, <, 900 * 1000);

  /* Already cancelled: nothing is sent. */
  g_cancellable_cancel (cancelled);
  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables",
                                       NULL, cancelled, &early_error);
  g_assert_error (early_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fake_aws_server_get_n_requests (server), ==, 1);
}

/* Cancelling during the backoff sleep ends the call without another attempt. */
static void
test_cancel_during_backoff (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;
  GThread *thread;
  gint64 start;

  fake_aws_server_add (server, 503, NULL, "");
  /* Every backoff is long (uniform below 60 s, so above 200 ms but for a
   * 1-in-300 chance, which only makes the assertions below moot, not wrong). */
  dbt_aws_client_set_backoff (client, 60000, 60000);
  thread = g_thread_new ("cancel", cancel_thread, cancellable);
  start = g_get_monotonic_time ();
  response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables",
                                       NULL, cancellable, &error);
  g_thread_join (thread);
  g_assert_null (response);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  if (fake_aws_server_get_n_requests (server) == 1)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* --- connections and threads --------------------------------------------- */

static void
test_keep_alive (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);

  fake_aws_server_add (server, 200, NULL, "{}");
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB,
                                                               "DynamoDB_20120810.ListTables",
                                                               NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (response);
    }
  g_assert_cmpuint (fake_aws_server_get_n_requests (server), ==, 5);
  g_assert_cmpuint (fake_aws_server_get_n_connections (server), ==, 1);
}

/* The server closing after each response: the next call opens a new one. */
static void
test_server_closes (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);

  fake_aws_server_add_raw (server, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
                           FAKE_CLOSE);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB,
                                                               "DynamoDB_20120810.ListTables",
                                                               NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (response);
      g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 1);
    }
  g_assert_cmpuint (fake_aws_server_get_n_connections (server), ==, 3);
}

#define N_THREADS 4
#define CALLS_PER_THREAD 10

static gpointer
call_many (gpointer data)
{
  DbtAwsClient *client = data;

  for (guint i = 0; i < CALLS_PER_THREAD; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) response = dbt_aws_client_call_json (client, DBT_SERVICE_DYNAMODB,
                                                               "DynamoDB_20120810.ListTables",
                                                               NULL, NULL, &error);

      if (error != NULL || response == NULL || dbt_aws_client_get_last_attempts (client) != 1)
        return GUINT_TO_POINTER (FALSE);
    }
  return GUINT_TO_POINTER (TRUE);
}

static void
test_threads (void)
{
  g_autoptr(FakeAwsServer) server = fake_aws_server_new ();
  g_autoptr(DbtAwsClient) client = client_for (server);
  GThread *threads[N_THREADS];

  fake_aws_server_add (server, 200, NULL, "{}");
  for (guint i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("caller", call_many, client);
  for (guint i = 0; i < N_THREADS; i++)
    g_assert_true (GPOINTER_TO_UINT (g_thread_join (threads[i])));

  g_assert_cmpuint (fake_aws_server_get_n_requests (server), ==, N_THREADS * CALLS_PER_THREAD);
  /* Connections are pooled: never more than one per concurrent caller. */
  g_assert_cmpuint (fake_aws_server_get_n_connections (server), <=, N_THREADS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/aws-client/request/json", test_json_request);
  g_test_add_func ("/aws-client/request/json-signing-names", test_json_signing_names);
  g_test_add_func ("/aws-client/request/session-token", test_session_token_signed);
  g_test_add_func ("/aws-client/request/query", test_query_request);
  g_test_add_func ("/aws-client/request/query-odd-params", test_query_odd_params);
  g_test_add_func ("/aws-client/request/rest-s3-put", test_rest_request);
  g_test_add_func ("/aws-client/request/rest-s3-path-as-is", test_rest_s3_path_as_is);
  g_test_add_func ("/aws-client/request/rest-lambda-get", test_rest_get_lambda);
  g_test_add_func ("/aws-client/request/endpoint-with-path", test_endpoint_with_path);
  g_test_add_func ("/aws-client/response/malformed-json", test_malformed_json);
  g_test_add_func ("/aws-client/response/json-not-an-object", test_json_not_an_object);
  g_test_add_func ("/aws-client/response/html", test_html_answer);
  g_test_add_func ("/aws-client/response/truncated", test_truncated_response);
  g_test_add_func ("/aws-client/response/truncated-then-success", test_truncated_then_success);
  g_test_add_func ("/aws-client/retry/500-then-success", test_500_then_success);
  g_test_add_func ("/aws-client/retry/throttling-then-success", test_throttling_then_success);
  g_test_add_func ("/aws-client/retry/throttling-forever", test_throttling_forever);
  g_test_add_func ("/aws-client/retry/max-attempts", test_max_attempts_configurable);
  g_test_add_func ("/aws-client/retry/backoff-bounds", test_backoff_bounds);
  g_test_add_func ("/aws-client/retry/validation-not-retried", test_validation_not_retried);
  g_test_add_func ("/aws-client/retry/condition-failed", test_condition_failed);
  g_test_add_func ("/aws-client/auth/wrong-credentials", test_wrong_credentials);
  g_test_add_func ("/aws-client/auth/s3-signature", test_s3_signature_refused);
  g_test_add_func ("/aws-client/errors/query", test_query_error);
  g_test_add_func ("/aws-client/errors/query-throttled", test_query_throttled);
  g_test_add_func ("/aws-client/errors/rest-json", test_rest_json_error);
  g_test_add_func ("/aws-client/errors/s3", test_s3_errors);
  g_test_add_func ("/aws-client/errors/sqs-query-compatible", test_sqs_query_compatible_error);
  g_test_add_func ("/aws-client/transport/connection-refused", test_connection_refused);
  g_test_add_func ("/aws-client/transport/unknown-host", test_unknown_host);
  g_test_add_func ("/aws-client/transport/invalid-url", test_invalid_endpoint_url);
  g_test_add_func ("/aws-client/transport/timeout", test_timeout);
  g_test_add_func ("/aws-client/transport/cancel", test_cancel);
  g_test_add_func ("/aws-client/transport/cancel-during-backoff", test_cancel_during_backoff);
  g_test_add_func ("/aws-client/transport/keep-alive", test_keep_alive);
  g_test_add_func ("/aws-client/transport/server-closes", test_server_closes);
  g_test_add_func ("/aws-client/transport/threads", test_threads);

  return g_test_run ();
}
