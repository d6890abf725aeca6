/* test-aws-client-live.c — the four wire protocols against the local stack
 * (moto): real request shapes accepted, real response shapes parsed, real
 * error documents classified. Run under build-aux/local-stack with, which
 * sets AWS_ENDPOINT_URL, the region and test credentials. */
#include <string.h>

#include "dbt-aws-client.h"

static DbtAwsClient *
client_for_region (const char *region)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) config = NULL;
  DbtAwsConfigOptions options = { 0 };

  options.region = region;
  config = dbt_aws_config_load (&options, &error);
  g_assert_no_error (error);
  return dbt_aws_client_new (config);
}

static char *
unique_name (const char *prefix)
{
  return g_strdup_printf ("%s-%08x", prefix, g_random_int ());
}

static JsonNode *
call_json (DbtAwsClient *client,
           DbtService    service,
           const char   *target,
           const char   *request_json,
           GError      **error)
{
  g_autoptr(JsonNode) request = NULL;

  if (request_json != NULL)
    {
      request = json_from_string (request_json, NULL);
      g_assert_nonnull (request);
    }
  return dbt_aws_client_call_json (client, service, target, request, NULL, error);
}

static gboolean
json_array_has_string (JsonArray  *array,
                       const char *value)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static void
test_dynamodb (void)
{
  g_autoptr(DbtAwsClient) client = client_for_region (NULL);
  g_autoptr(DbtAwsClient) elsewhere = client_for_region ("eu-west-3");
  g_autofree char *table = unique_name ("dbt-client-live");
  g_autofree char *create = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(JsonNode) listed_elsewhere = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *description;

  create = g_strdup_printf ("{\"TableName\":\"%s\","
                            "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],"
                            "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
                            "\"BillingMode\":\"PAY_PER_REQUEST\"}", table);
  created = call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.CreateTable", create, &error);
  g_assert_no_error (error);
  description = json_object_get_object_member (json_node_get_object (created), "TableDescription");
  g_assert_cmpstr (json_object_get_string_member (description, "TableName"), ==, table);

  listed = call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_array_has_string (json_object_get_array_member (json_node_get_object (listed), "TableNames"),
                                        table));
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 1);

  /* The region is part of the signature and of where moto looks: the
   * table is not in another region. */
  listed_elsewhere = call_json (elsewhere, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.ListTables", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (json_array_has_string (json_object_get_array_member (json_node_get_object (listed_elsewhere),
                                                                       "TableNames"), table));

  missing = call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.DescribeTable",
                       "{\"TableName\":\"dbt-no-such-table\"}", &error);
  g_assert_null (missing);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "ResourceNotFoundException");
  g_assert_cmpuint (dbt_aws_error_get_http_status (error), ==, 400);
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 1);
}

static void
test_dynamodb_validation (void)
{
  g_autoptr(DbtAwsClient) client = client_for_region (NULL);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;

  /* A key schema naming an attribute that is not defined. */
  response = call_json (client, DBT_SERVICE_DYNAMODB, "DynamoDB_20120810.CreateTable",
                        "{\"TableName\":\"dbt-bad\","
                        "\"AttributeDefinitions\":[{\"AttributeName\":\"a\",\"AttributeType\":\"S\"}],"
                        "\"KeySchema\":[{\"AttributeName\":\"b\",\"KeyType\":\"HASH\"}],"
                        "\"BillingMode\":\"PAY_PER_REQUEST\"}", &error);
  g_assert_null (response);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CLIENT);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "ValidationException");
  g_assert_cmpuint (dbt_aws_client_get_last_attempts (client), ==, 1);
}

static void
test_streams (void)
{
  g_autoptr(DbtAwsClient) client = client_for_region (NULL);
  g_autoptr(JsonNode) streams = NULL;
  g_autoptr(GError) error = NULL;

  streams = call_json (client, DBT_SERVICE_STREAMS, "DynamoDBStreams_20120810.ListStreams", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (json_node_get_object (streams), "Streams"));
}

static void
test_sqs (void)
{
  g_autoptr(DbtAwsClient) client = client_for_region (NULL);
  g_autofree char *queue = unique_name ("dbt-client-live");
  g_autofree char *request = g_strdup_printf ("{\"QueueName\":\"%s\"}", queue);
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(GError) error = NULL;
  const char *url;

  created = call_json (client, DBT_SERVICE_SQS, "AmazonSQS.CreateQueue", request, &error);
  g_assert_no_error (error);
  url = json_object_get_string_member (json_node_get_object (created), "QueueUrl");
  g_assert_nonnull (url);
  g_assert_true (g_str_has_suffix (url, queue));

  missing = call_json (client, DBT_SERVICE_SQS, "AmazonSQS.GetQueueUrl",
                       "{\"QueueName\":\"dbt-no-such-queue\"}", &error);
  g_assert_null (missing);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  /* SQS's JSON protocol keeps the query protocol's codes in x-amzn-query-error. */
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "AWS.SimpleQueueService.NonExistentQueue");
}

static void
test_sns (void)
{
  g_autoptr(DbtAwsClient) client = client_for_region (NULL);
  g_autofree char *topic = unique_name ("dbt-client-live");
  const char *const create_params[] = { "Name", topic, NULL };
  const char *const missing_params[] = { "TopicArn", "arn:aws:sns:us-east-1:123456789012:dbt-no-such-topic", NULL };
  g_autoptr(DbtXmlNode) created = NULL;
  g_autoptr(DbtXmlNode) listed = NULL;
  g_autoptr(DbtXmlNode) missing = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GError) error = NULL;
  const char *arn;
  gboolean found = FALSE;

  created = dbt_aws_client_call_query (client, DBT_SERVICE_SNS, "CreateTopic", "2010-03-31",
                                       create_params, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (created->name, ==, "CreateTopicResponse");
  arn = dbt_xml_find_text (created, "CreateTopicResult/TopicArn");
  g_assert_nonnull (arn);
  g_assert_true (g_str_has_suffix (arn, topic));

  listed = dbt_aws_client_call_query (client, DBT_SERVICE_SNS, "ListTopics", "2010-03-31", NULL, NULL, &error);
  g_assert_no_error (error);
  members = dbt_xml_find_all (listed, "ListTopicsResult/Topics", "member");
  for (guint i = 0; i < members->len; i++)
    if (g_strcmp0 (dbt_xml_find_text (g_ptr_array_index (members, i), "TopicArn"), arn) == 0)
      found = TRUE;
  g_assert_true (found);

  missing = dbt_aws_client_call_query (client, DBT_SERVICE_SNS, "GetTopicAttributes", "2010-03-31",
                                       missing_params, NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "NotFound");
}

static void
test_lambda (void)
{
  g_autoptr(DbtAwsClient) client = client_for_region (NULL);
  g_autoptr(GBytes) listed = NULL;
  g_autoptr(GBytes) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize len;
  const char *data;

  listed = dbt_aws_client_call_rest (client, DBT_SERVICE_LAMBDA, "GET", "/2015-03-31/functions/",
                                     NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (listed, &len);
  text = g_strndup (data, len);
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "Functions")));

  missing = dbt_aws_client_call_rest (client, DBT_SERVICE_LAMBDA, "GET",
                                      "/2015-03-31/functions/dbt-no-such-function",
                                      NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "ResourceNotFoundException");
  g_assert_cmpuint (dbt_aws_error_get_http_status (error), ==, 404);
}

static void
test_s3 (void)
{
  g_autoptr(DbtAwsClient) client = client_for_region (NULL);
  g_autofree char *bucket = unique_name ("dbt-client-live");
  g_autofree char *bucket_path = g_strconcat ("/", bucket, NULL);
  g_autofree char *object_path = g_strconcat ("/", bucket, "/code/handler%20v1.zip", NULL);
  g_autofree char *missing_path = g_strconcat ("/", bucket, "/code/none.zip", NULL);
  static const char zip[] = "PK\003\004 not really a zip";
  g_autoptr(GBytes) payload = g_bytes_new_static (zip, sizeof zip - 1);
  g_autoptr(GBytes) created = NULL;
  g_autoptr(GBytes) put = NULL;
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GBytes) listed = NULL;
  g_autoptr(GBytes) head = NULL;
  g_autoptr(GBytes) missing = NULL;
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  g_autoptr(GPtrArray) response_headers = NULL;
  g_autoptr(DbtXmlNode) buckets = NULL;
  g_autoptr(GPtrArray) bucket_nodes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) head_error = NULL;
  gsize len;
  const char *data;
  gboolean found = FALSE;

  created = dbt_aws_client_call_rest (client, DBT_SERVICE_S3, "PUT", bucket_path, NULL,
                                      NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  dbt_http_headers_add (headers, "Content-Type", "application/zip");
  put = dbt_aws_client_call_rest (client, DBT_SERVICE_S3, "PUT", object_path, NULL,
                                  headers, payload, &response_headers, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dbt_http_headers_get (response_headers, "ETag"));

  got = dbt_aws_client_call_rest (client, DBT_SERVICE_S3, "GET", object_path, NULL,
                                  NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (got, payload));

  listed = dbt_aws_client_call_rest (client, DBT_SERVICE_S3, "GET", "/", NULL,
                                     NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (listed, &len);
  buckets = dbt_xml_parse (data, len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (buckets->name, ==, "ListAllMyBucketsResult");
  bucket_nodes = dbt_xml_find_all (buckets, "Buckets", "Bucket");
  for (guint i = 0; i < bucket_nodes->len; i++)
    if (g_strcmp0 (dbt_xml_find_text (g_ptr_array_index (bucket_nodes, i), "Name"), bucket) == 0)
      found = TRUE;
  g_assert_true (found);

  missing = dbt_aws_client_call_rest (client, DBT_SERVICE_S3, "GET", missing_path, NULL,
                                      NULL, NULL, NULL, NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "NoSuchKey");

  head = dbt_aws_client_call_rest (client, DBT_SERVICE_S3, "HEAD", missing_path, NULL,
                                   NULL, NULL, NULL, NULL, &head_error);
  g_assert_null (head);
  g_assert_error (head_error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_cmpuint (dbt_aws_error_get_http_status (head_error), ==, 404);
}

static void
skip_without_stack (void)
{
  g_test_skip ("no local stack: run under build-aux/local-stack with");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("AWS_ENDPOINT_URL") == NULL)
    {
      g_test_add_func ("/aws-client-live/no-stack", skip_without_stack);
      return g_test_run ();
    }

  g_test_add_func ("/aws-client-live/dynamodb", test_dynamodb);
  g_test_add_func ("/aws-client-live/dynamodb-validation", test_dynamodb_validation);
  g_test_add_func ("/aws-client-live/streams", test_streams);
  g_test_add_func ("/aws-client-live/sqs", test_sqs);
  g_test_add_func ("/aws-client-live/sns", test_sns);
  g_test_add_func ("/aws-client-live/lambda", test_lambda);
  g_test_add_func ("/aws-client-live/s3", test_s3);

  return g_test_run ();
}
