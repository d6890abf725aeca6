/* test-lambda-s3-live.c — Lambda and S3 against the local stack: the code
 * bucket keeps zips byte for byte, deployments report the CodeSha256 of
 * the zip that was sent, and the stream mapping reads back as created. */
#include <string.h>
#include <glib/gstdio.h>
#include "dbt-dynamodb.h"
#include "dbt-lambda.h"
#include "dbt-s3.h"
#include "live-stack.h"

/* Role and zips from live-lambda-fixture.py, made once per run. */
typedef struct
{
  char   *dir;
  char   *role_arn;
  GBytes *zips[3];
} Deployables;

static Deployables deployables;

static GBytes *
read_bytes (const char *dir,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *data = NULL;
  gsize length = 0;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, length);
}

/* FALSE (the test skipped) when the fixture cannot run here. */
static gboolean
ensure_deployables (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *python = NULL;
  g_autofree char *err = NULL;
  g_autofree char *role = NULL;
  int status = 0;

  if (deployables.role_arn != NULL)
    return TRUE;

  python = g_find_program_in_path ("python3");
  if (python == NULL)
    {
      g_test_skip ("python3 is needed to create the function's IAM role");
      return FALSE;
    }
  script = g_test_build_filename (G_TEST_DIST, "live-lambda-fixture.py", NULL);
  deployables.dir = g_dir_make_tmp ("dbt-lambda-XXXXXX", &error);
  g_assert_no_error (error);

  {
    const char *argv[] = { python, script, deployables.dir, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err, &status,
                  &error);
  }
  g_assert_no_error (error);
  if (g_spawn_check_wait_status (status, NULL) == FALSE)
    {
      if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
        {
          g_test_skip ("boto3 is needed to create the function's IAM role");
          return FALSE;
        }
      g_error ("live-lambda-fixture.py failed: %s", err);
    }

  role = g_build_filename (deployables.dir, "role-arn", NULL);
  g_file_get_contents (role, &deployables.role_arn, NULL, &error);
  g_assert_no_error (error);
  deployables.zips[0] = read_bytes (deployables.dir, "one.zip");
  deployables.zips[1] = read_bytes (deployables.dir, "two.zip");
  deployables.zips[2] = read_bytes (deployables.dir, "three.zip");
  return TRUE;
}

static void
deployables_clear (void)
{
  static const char *const files[] = { "role-arn", "one.zip", "two.zip", "three.zip" };

  if (deployables.dir != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        {
          g_autofree char *path = g_build_filename (deployables.dir, files[i], NULL);

          g_unlink (path);
        }
      g_rmdir (deployables.dir);
    }
  g_clear_pointer (&deployables.dir, g_free);
  g_clear_pointer (&deployables.role_arn, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (deployables.zips); i++)
    g_clear_pointer (&deployables.zips[i], g_bytes_unref);
}

/* Lambda's CodeSha256: base64 of the raw SHA-256 digest. */
static char *
code_sha256 (GBytes *zip)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (checksum, g_bytes_get_data (zip, NULL), g_bytes_get_size (zip));
  g_checksum_get_digest (checksum, digest, &length);
  return g_base64_encode (digest, length);
}

static char *
quoted_md5 (GBytes *bytes)
{
  g_autofree char *md5 = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, bytes);

  return g_strdup_printf ("\"%s\"", md5);
}

static void
test_s3_objects (void)
{
  g_autoptr(DbtAwsClient) client = live_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *bucket = live_unique_name ("code");
  const char *key = "code/handler one+1 ü.zip";
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(GBytes) read_back = NULL;
  g_autoptr(GBytes) missing = NULL;
  g_autoptr(DbtS3ObjectInfo) info = NULL;
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *etag = NULL;
  g_autofree char *expected_etag = NULL;
  g_autofree char *token = NULL;
  static const char *const others[] = { "code/a.zip", "code/b.zip", "other/c.zip" };
  static const char *const metadata[] = {
    "codesha256", "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=",
    "Built-By", "make dist; 2024-05-01 12:00",
    NULL
  };
  guint pages = 0;

  if (client == NULL)
    return;
  if (!ensure_deployables ())
    return;
  zip = g_bytes_ref (deployables.zips[0]);

  g_assert_true (dbt_s3_create_bucket (client, bucket, NULL, &error));
  g_assert_no_error (error);

  etag = dbt_s3_put_object_with_metadata (client, bucket, key, zip, "application/zip", metadata,
                                          NULL, &error);
  g_assert_no_error (error);
  expected_etag = quoted_md5 (zip);
  g_assert_cmpstr (etag, ==, expected_etag);

  info = dbt_s3_head_object (client, bucket, key, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->content_length, ==, g_bytes_get_size (zip));
  g_assert_cmpstr (info->etag, ==, expected_etag);
  g_assert_cmpstr (info->content_type, ==, "application/zip");
  g_assert_nonnull (info->last_modified);
  /* The metadata reads back by its lowercase name, without the prefix. */
  g_assert_cmpuint (g_hash_table_size (info->metadata), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (info->metadata, "codesha256"), ==, metadata[1]);
  g_assert_cmpstr (g_hash_table_lookup (info->metadata, "built-by"), ==, metadata[3]);

  read_back = dbt_s3_get_object (client, bucket, key, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (read_back, zip));

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (others[i], strlen (others[i]));
      g_autofree char *other_etag = dbt_s3_put_object (client, bucket, others[i], body, NULL,
                                                       NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (other_etag);
    }

  /* Two keys a page under "code/": three keys, in order, over two pages. */
  do
    {
      g_autoptr(DbtS3ObjectList) list =
        dbt_s3_list_objects (client, bucket, "code/", token, 2, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (list->objects->len, <=, 2);
      for (guint i = 0; i < list->objects->len; i++)
        {
          DbtS3Object *object = g_ptr_array_index (list->objects, i);

          g_ptr_array_add (listed, g_strdup (object->key));
          if (g_str_equal (object->key, key))
            {
              g_assert_cmpint (object->size, ==, g_bytes_get_size (zip));
              g_assert_cmpstr (object->etag, ==, expected_etag);
            }
        }
      g_free (token);
      token = g_steal_pointer (&list->next_continuation_token);
      g_assert_cmpuint (++pages, <, 5);
    }
  while (token != NULL);
  g_assert_cmpuint (pages, ==, 2);
  g_assert_cmpuint (listed->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (listed, 0), ==, "code/a.zip");
  g_assert_cmpstr (g_ptr_array_index (listed, 1), ==, "code/b.zip");
  g_assert_cmpstr (g_ptr_array_index (listed, 2), ==, key);

  /* Put without metadata: the table is empty, not NULL. */
  g_clear_pointer (&info, dbt_s3_object_info_free);
  info = dbt_s3_head_object (client, bucket, "code/b.zip", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (info->metadata), ==, 0);

  g_assert_true (dbt_s3_delete_object (client, bucket, "code/a.zip", NULL, &error));
  g_assert_no_error (error);
  missing = dbt_s3_get_object (client, bucket, "code/a.zip", NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_true (strstr (error->message, "code/a.zip") != NULL);
  g_clear_error (&error);

  g_clear_pointer (&info, dbt_s3_object_info_free);
  info = dbt_s3_head_object (client, bucket, "code/a.zip", NULL, &error);
  g_assert_null (info);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
}

static void
test_s3_refused_before_sending (void)
{
  g_autoptr(DbtAwsClient) client = live_unreachable_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *long_key = g_strnfill (1025, 'k');
  static const char *const injected_value[] = { "note", "a\r\nx-amz-acl: public-read", NULL };
  static const char *const spaced_name[] = { "my note", "a", NULL };
  static const char *const empty_name[] = { "", "a", NULL };
  static const char *const non_ascii_value[] = { "note", "ü", NULL };
  static const char *const odd[] = { "note", NULL };
  const char *const *bad_metadata[] = { injected_value, spaced_name, empty_name, non_ascii_value, odd };

  g_assert_null (dbt_s3_get_object (client, "valid-bucket", "k", NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONNECT);
  g_clear_error (&error);

  g_assert_false (dbt_s3_create_bucket (client, "Upper_Case", NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_assert_true (strstr (error->message, "Upper_Case") != NULL);
  g_clear_error (&error);
  g_assert_null (dbt_s3_get_object (client, "ok-bucket", "", NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (dbt_s3_get_object (client, "ok-bucket", long_key, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Metadata that would break the header line or is not name, value pairs. */
  for (guint i = 0; i < G_N_ELEMENTS (bad_metadata); i++)
    {
      g_assert_null (dbt_s3_put_object_with_metadata (client, "ok-bucket", "k", NULL, NULL,
                                                      bad_metadata[i], NULL, &error));
      g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
      g_clear_error (&error);
    }
}

static DbtFunctionConfiguration *
create_function (DbtAwsClient *client,
                 const char   *name)
{
  g_autoptr(GError) error = NULL;
  static const char *const environment[] = { "OWNER_ATTRIBUTE", "owner", "LOG_LEVEL", "debug", NULL };
  DbtFunctionCode code = { .zip_file = deployables.zips[0] };
  DbtFunctionSpec spec = {
    .function_name = name,
    .runtime = "provided.al2023",
    .role = deployables.role_arn,
    .handler = "bootstrap",
    .code = &code,
    .description = "stream handler",
    .environment = environment,
    .timeout = 30,
    .memory_size = 256,
    .architecture = "x86_64",
  };
  DbtFunctionConfiguration *configuration = dbt_lambda_create_function (client, &spec, NULL, &error);

  g_assert_no_error (error);
  return configuration;
}

static void
test_lambda_deploy (void)
{
  g_autoptr(DbtAwsClient) client = live_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = live_unique_name ("handler");
  g_autofree char *bucket = live_unique_name ("deploy");
  g_autoptr(DbtFunctionConfiguration) created = NULL;
  g_autoptr(DbtFunctionConfiguration) read_back = NULL;
  g_autoptr(DbtFunctionConfiguration) updated = NULL;
  g_autoptr(DbtFunctionConfiguration) settled = NULL;
  g_autoptr(DbtFunctionConfiguration) from_s3 = NULL;
  g_autoptr(DbtFunction) function = NULL;
  g_autoptr(DbtFunctionConfiguration) missing = NULL;
  g_autofree char *sha_one = NULL;
  g_autofree char *sha_two = NULL;
  g_autofree char *sha_three = NULL;
  g_autofree char *etag = NULL;
  DbtFunctionCode code = { 0 };

  if (client == NULL)
    return;
  if (!ensure_deployables ())
    return;
  sha_one = code_sha256 (deployables.zips[0]);
  sha_two = code_sha256 (deployables.zips[1]);
  sha_three = code_sha256 (deployables.zips[2]);

  created = create_function (client, name);
  g_assert_cmpstr (created->function_name, ==, name);
  g_assert_cmpstr (created->code_sha256, ==, sha_one);
  g_assert_cmpint (created->code_size, ==, g_bytes_get_size (deployables.zips[0]));

  read_back = dbt_lambda_get_function_configuration (client, name, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read_back->function_arn, ==, created->function_arn);
  g_assert_true (g_str_has_suffix (read_back->function_arn, name));
  g_assert_cmpstr (read_back->runtime, ==, "provided.al2023");
  g_assert_cmpstr (read_back->handler, ==, "bootstrap");
  g_assert_cmpstr (read_back->role, ==, deployables.role_arn);
  g_assert_cmpstr (read_back->description, ==, "stream handler");
  g_assert_cmpstr (read_back->code_sha256, ==, sha_one);
  g_assert_cmpint (read_back->timeout, ==, 30);
  g_assert_cmpint (read_back->memory_size, ==, 256);
  g_assert_cmpuint (g_strv_length (read_back->architectures), ==, 1);
  g_assert_cmpstr (read_back->architectures[0], ==, "x86_64");
  g_assert_cmpuint (g_hash_table_size (read_back->environment), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (read_back->environment, "OWNER_ATTRIBUTE"), ==, "owner");
  g_assert_cmpstr (g_hash_table_lookup (read_back->environment, "LOG_LEVEL"), ==, "debug");
  g_assert_nonnull (read_back->state);
  g_assert_nonnull (read_back->last_modified);

  function = dbt_lambda_get_function (client, name, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (function->configuration->code_sha256, ==, sha_one);
  g_assert_nonnull (function->code_location);

  /* A new zip: the reported hash is the new zip's. */
  code.zip_file = deployables.zips[1];
  updated = dbt_lambda_update_function_code (client, name, &code, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated->code_sha256, ==, sha_two);
  g_assert_cmpint (updated->code_size, ==, g_bytes_get_size (deployables.zips[1]));
  settled = dbt_lambda_wait_for_update (client, name, 200, 30000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settled->code_sha256, ==, sha_two);
  g_assert_cmpstr (settled->last_update_status, !=, "InProgress");

  /* From the code bucket, as the console deploys. */
  g_assert_true (dbt_s3_create_bucket (client, bucket, NULL, &error));
  g_assert_no_error (error);
  etag = dbt_s3_put_object (client, bucket, "handler/three.zip", deployables.zips[2],
                            "application/zip", NULL, &error);
  g_assert_no_error (error);
  code = (DbtFunctionCode) { .s3_bucket = bucket, .s3_key = "handler/three.zip" };
  from_s3 = dbt_lambda_update_function_code (client, name, &code, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_s3->code_sha256, ==, sha_three);
  g_clear_pointer (&read_back, dbt_function_configuration_free);
  read_back = dbt_lambda_get_function_configuration (client, name, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read_back->code_sha256, ==, sha_three);

  /* Code must be one thing or the other. */
  code.zip_file = deployables.zips[0];
  g_assert_null (dbt_lambda_update_function_code (client, name, &code, FALSE, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (dbt_lambda_delete_function (client, name, NULL, &error));
  g_assert_no_error (error);
  missing = dbt_lambda_get_function_configuration (client, name, NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_true (strstr (error->message, name) != NULL);
}

static void
test_event_source_mappings (void)
{
  g_autoptr(DbtAwsClient) client = live_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = live_unique_name ("mapped");
  g_autofree char *table = live_unique_name ("source");
  g_autoptr(DbtFunctionConfiguration) function = NULL;
  g_autoptr(DbtTableDescription) description = NULL;
  g_autoptr(DbtEventSourceMapping) created = NULL;
  g_autoptr(GPtrArray) by_function = NULL;
  g_autoptr(GPtrArray) by_source = NULL;
  g_autoptr(GPtrArray) by_both = NULL;
  g_autoptr(GPtrArray) unrelated = NULL;
  static const char *const response_types[] = { "ReportBatchItemFailures", NULL };
  const char *dlq = "arn:aws:sqs:us-east-1:123456789012:dbtrigger-dlq";
  DbtTableSpec table_spec = {
    .table_name = table,
    .hash_key_name = "id",
    .hash_key_type = DBT_VALUE_S,
    .stream_view_type = "NEW_AND_OLD_IMAGES",
  };
  DbtEventSourceMappingSpec spec = {
    .function_name = name,
    .starting_position = "TRIM_HORIZON",
    .batch_size = 25,
    .maximum_batching_window_seconds = 2,
    .bisect_batch_on_function_error = TRUE,
    .maximum_retry_attempts = 3,
    .maximum_record_age_seconds = 3600,
    .function_response_types = response_types,
    .on_failure_destination = dlq,
  };
  DbtEventSourceMapping *mapping;

  if (client == NULL)
    return;
  if (!ensure_deployables ())
    return;

  function = create_function (client, name);
  description = dbt_dynamodb_create_table (client, &table_spec, NULL, &error);
  g_assert_no_error (error);
  spec.event_source_arn = description->latest_stream_arn;

  created = dbt_lambda_create_event_source_mapping (client, &spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created->uuid);

  by_function = dbt_lambda_list_all_event_source_mappings (client, name, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_function->len, ==, 1);
  mapping = g_ptr_array_index (by_function, 0);
  g_assert_cmpstr (mapping->uuid, ==, created->uuid);
  g_assert_cmpstr (mapping->event_source_arn, ==, description->latest_stream_arn);
  g_assert_cmpstr (mapping->function_arn, ==, function->function_arn);
  g_assert_cmpstr (mapping->starting_position, ==, "TRIM_HORIZON");
  g_assert_cmpint (mapping->batch_size, ==, 25);
  g_assert_cmpint (mapping->maximum_batching_window_seconds, ==, 2);
  g_assert_true (mapping->bisect_batch_on_function_error);
  g_assert_cmpint (mapping->maximum_retry_attempts, ==, 3);
  g_assert_cmpuint (g_strv_length (mapping->function_response_types), ==, 1);
  g_assert_cmpstr (mapping->function_response_types[0], ==, "ReportBatchItemFailures");
  g_assert_cmpstr (mapping->on_failure_destination, ==, dlq);
  g_assert_nonnull (mapping->state);

  by_source = dbt_lambda_list_all_event_source_mappings (client, NULL, description->latest_stream_arn,
                                                         NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_source->len, ==, 1);
  g_assert_cmpstr (((DbtEventSourceMapping *) g_ptr_array_index (by_source, 0))->uuid, ==, created->uuid);

  by_both = dbt_lambda_list_event_source_mappings (client, name, description->latest_stream_arn,
                                                   NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_both->len, ==, 1);

  unrelated = dbt_lambda_list_all_event_source_mappings (client, NULL,
                                                         "arn:aws:dynamodb:us-east-1:123456789012:table/other/stream/2020-01-01T00:00:00.000",
                                                         NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unrelated->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/s3/objects", test_s3_objects);
  g_test_add_func ("/s3/refused-before-sending", test_s3_refused_before_sending);
  g_test_add_func ("/lambda/deploy", test_lambda_deploy);
  g_test_add_func ("/lambda/event-source-mappings", test_event_source_mappings);

  status = g_test_run ();
  deployables_clear ();
  return status;
}
