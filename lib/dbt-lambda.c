/* dbt-lambda.c — typed Lambda calls over REST-JSON. */
#include "dbt-lambda.h"

#include <string.h>
#include "dbt-service-private.h"

#define API_PREFIX "/2015-03-31"

/* One REST-JSON exchange. @body may be NULL (no request body). Returns the
 * response object (an empty one for an empty body, as DeleteFunction's). */
static JsonNode *
lambda_call (DbtAwsClient *client,
             const char   *op,
             const char   *subject,
             const char   *method,
             const char   *path,
             const char   *query,
             JsonBuilder  *body,
             GCancellable *cancellable,
             GError      **error)
{
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  gsize length;
  const char *data;

  if (body != NULL)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (body);
      gsize request_length;
      char *text = json_to_string (root, FALSE);

      request_length = strlen (text);
      request = g_bytes_new_take (text, request_length);
      dbt_http_headers_add (headers, "Content-Type", "application/json");
    }

  response = dbt_aws_client_call_rest (client, DBT_SERVICE_LAMBDA, method, path, query,
                                       headers, request, NULL, cancellable, error);
  if (response == NULL)
    {
      dbt_service_prefix_error (error, op, subject);
      return NULL;
    }

  data = g_bytes_get_data (response, &length);
  if (length == 0)
    {
      JsonNode *empty = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (empty, json_object_new ());
      return empty;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &parse_error))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                         "%s: the response is not JSON: %s", op, parse_error->message);
      return NULL;
    }
  if (dbt_json_response_object (json_parser_get_root (parser), op, error) == NULL)
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

/* "/2015-03-31/functions/<escaped name><suffix>" */
static char *
function_path (const char *function_name,
               const char *suffix)
{
  g_autofree char *escaped = dbt_uri_escape_segment (function_name);

  return g_strconcat (API_PREFIX "/functions/", escaped, suffix, NULL);
}

static char *
function_subject (const char *function_name)
{
  return g_strdup_printf ("function “%s”", function_name);
}

void
dbt_function_configuration_free (DbtFunctionConfiguration *configuration)
{
  if (configuration == NULL)
    return;
  g_free (configuration->function_name);
  g_free (configuration->function_arn);
  g_free (configuration->runtime);
  g_free (configuration->role);
  g_free (configuration->handler);
  g_free (configuration->description);
  g_free (configuration->code_sha256);
  g_free (configuration->last_modified);
  g_free (configuration->version);
  g_free (configuration->state);
  g_free (configuration->state_reason);
  g_free (configuration->last_update_status);
  g_free (configuration->last_update_status_reason);
  g_free (configuration->package_type);
  g_clear_pointer (&configuration->environment, g_hash_table_unref);
  g_strfreev (configuration->architectures);
  g_free (configuration);
}

static DbtFunctionConfiguration *
read_configuration (JsonObject *object,
                    const char *op,
                    GError    **error)
{
  DbtFunctionConfiguration *configuration;

  if (dbt_json_get_string (object, "FunctionName") == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                         "%s: no function configuration in the response", op);
      return NULL;
    }

  configuration = g_new0 (DbtFunctionConfiguration, 1);
  configuration->function_name = g_strdup (dbt_json_get_string (object, "FunctionName"));
  configuration->function_arn = g_strdup (dbt_json_get_string (object, "FunctionArn"));
  configuration->runtime = g_strdup (dbt_json_get_string (object, "Runtime"));
  configuration->role = g_strdup (dbt_json_get_string (object, "Role"));
  configuration->handler = g_strdup (dbt_json_get_string (object, "Handler"));
  configuration->description = g_strdup (dbt_json_get_string (object, "Description"));
  configuration->code_sha256 = g_strdup (dbt_json_get_string (object, "CodeSha256"));
  configuration->code_size = dbt_json_get_int (object, "CodeSize", 0);
  configuration->last_modified = g_strdup (dbt_json_get_string (object, "LastModified"));
  configuration->version = g_strdup (dbt_json_get_string (object, "Version"));
  configuration->state = g_strdup (dbt_json_get_string (object, "State"));
  configuration->state_reason = g_strdup (dbt_json_get_string (object, "StateReason"));
  configuration->last_update_status = g_strdup (dbt_json_get_string (object, "LastUpdateStatus"));
  configuration->last_update_status_reason =
    g_strdup (dbt_json_get_string (object, "LastUpdateStatusReason"));
  configuration->package_type = g_strdup (dbt_json_get_string (object, "PackageType"));
  configuration->environment =
    dbt_json_get_string_map (dbt_json_get_object (object, "Environment"), "Variables");
  configuration->timeout = dbt_json_get_int (object, "Timeout", 0);
  configuration->memory_size = dbt_json_get_int (object, "MemorySize", 0);
  configuration->architectures = dbt_json_get_strv (object, "Architectures");
  return configuration;
}

void
dbt_function_free (DbtFunction *function)
{
  if (function == NULL)
    return;
  g_clear_pointer (&function->configuration, dbt_function_configuration_free);
  g_free (function->code_repository_type);
  g_free (function->code_location);
  g_free (function);
}

DbtFunction *
dbt_lambda_get_function (DbtAwsClient *client,
                         const char   *function_name,
                         GCancellable *cancellable,
                         GError      **error)
{
  g_autofree char *path = NULL;
  g_autofree char *subject = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(DbtFunction) function = NULL;
  JsonObject *code;

  g_return_val_if_fail (client != NULL, NULL);

  if (!dbt_require_string (function_name, "The function name", error))
    return NULL;

  path = function_path (function_name, "");
  subject = function_subject (function_name);
  response = lambda_call (client, "GetFunction", subject, "GET", path, NULL, NULL,
                          cancellable, error);
  if (response == NULL)
    return NULL;

  function = g_new0 (DbtFunction, 1);
  function->configuration =
    read_configuration (dbt_json_get_object (json_node_get_object (response), "Configuration"),
                        "GetFunction", error);
  if (function->configuration == NULL)
    return NULL;
  code = dbt_json_get_object (json_node_get_object (response), "Code");
  function->code_repository_type = g_strdup (dbt_json_get_string (code, "RepositoryType"));
  function->code_location = g_strdup (dbt_json_get_string (code, "Location"));
  return g_steal_pointer (&function);
}

DbtFunctionConfiguration *
dbt_lambda_get_function_configuration (DbtAwsClient *client,
                                       const char   *function_name,
                                       GCancellable *cancellable,
                                       GError      **error)
{
  g_autofree char *path = NULL;
  g_autofree char *subject = NULL;
  g_autoptr(JsonNode) response = NULL;

  g_return_val_if_fail (client != NULL, NULL);

  if (!dbt_require_string (function_name, "The function name", error))
    return NULL;

  path = function_path (function_name, "/configuration");
  subject = function_subject (function_name);
  response = lambda_call (client, "GetFunctionConfiguration", subject, "GET", path, NULL, NULL,
                          cancellable, error);
  if (response == NULL)
    return NULL;
  return read_configuration (json_node_get_object (response), "GetFunctionConfiguration", error);
}

static gboolean
check_code (const DbtFunctionCode *code,
            GError               **error)
{
  gboolean has_zip = code != NULL && code->zip_file != NULL;
  gboolean has_s3 = code != NULL && (code->s3_bucket != NULL || code->s3_key != NULL);

  if (has_zip == has_s3)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "The function code must be either a zip file or an S3 object");
      return FALSE;
    }
  if (has_zip && g_bytes_get_size (code->zip_file) == 0)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "The function's zip file is empty");
      return FALSE;
    }
  if (has_s3)
    return dbt_require_string (code->s3_bucket, "The code's S3 bucket", error)
           && dbt_require_string (code->s3_key, "The code's S3 key", error);
  return TRUE;
}

/* ZipFile (base64) or S3Bucket/S3Key/S3ObjectVersion members. */
static void
add_code_members (JsonBuilder           *builder,
                  const DbtFunctionCode *code)
{
  if (code->zip_file != NULL)
    {
      gsize length;
      const guint8 *data = g_bytes_get_data (code->zip_file, &length);
      g_autofree char *base64 = g_base64_encode (data, length);

      dbt_json_builder_add_string (builder, "ZipFile", base64);
      return;
    }
  dbt_json_builder_add_string (builder, "S3Bucket", code->s3_bucket);
  dbt_json_builder_add_string (builder, "S3Key", code->s3_key);
  dbt_json_builder_add_string (builder, "S3ObjectVersion", code->s3_object_version);
}

DbtFunctionConfiguration *
dbt_lambda_update_function_code (DbtAwsClient          *client,
                                 const char            *function_name,
                                 const DbtFunctionCode *code,
                                 gboolean               publish,
                                 GCancellable          *cancellable,
                                 GError               **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *path = NULL;
  g_autofree char *subject = NULL;
  g_autoptr(JsonNode) response = NULL;

  g_return_val_if_fail (client != NULL, NULL);

  if (!dbt_require_string (function_name, "The function name", error)
      || !check_code (code, error))
    return NULL;

  json_builder_begin_object (builder);
  add_code_members (builder, code);
  if (publish)
    dbt_json_builder_add_bool (builder, "Publish", TRUE);
  json_builder_end_object (builder);

  path = function_path (function_name, "/code");
  subject = function_subject (function_name);
  response = lambda_call (client, "UpdateFunctionCode", subject, "PUT", path, NULL, builder,
                          cancellable, error);
  if (response == NULL)
    return NULL;
  return read_configuration (json_node_get_object (response), "UpdateFunctionCode", error);
}

DbtFunctionConfiguration *
dbt_lambda_create_function (DbtAwsClient          *client,
                            const DbtFunctionSpec *spec,
                            GCancellable          *cancellable,
                            GError               **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *subject = NULL;
  g_autoptr(JsonNode) response = NULL;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (!dbt_require_string (spec->function_name, "The function name", error)
      || !dbt_require_string (spec->role, "The function's role", error)
      || !check_code (spec->code, error)
      || !dbt_require_pairs (spec->environment, "The function's environment", error))
    return NULL;

  json_builder_begin_object (builder);
  dbt_json_builder_add_string (builder, "FunctionName", spec->function_name);
  dbt_json_builder_add_string (builder, "Runtime", spec->runtime);
  dbt_json_builder_add_string (builder, "Role", spec->role);
  dbt_json_builder_add_string (builder, "Handler", spec->handler);
  dbt_json_builder_add_string (builder, "Description", spec->description);
  json_builder_set_member_name (builder, "Code");
  json_builder_begin_object (builder);
  add_code_members (builder, spec->code);
  json_builder_end_object (builder);
  if (spec->environment != NULL)
    {
      json_builder_set_member_name (builder, "Environment");
      json_builder_begin_object (builder);
      dbt_json_builder_add_pairs (builder, "Variables", spec->environment);
      json_builder_end_object (builder);
    }
  if (spec->timeout > 0)
    dbt_json_builder_add_int (builder, "Timeout", spec->timeout);
  if (spec->memory_size > 0)
    dbt_json_builder_add_int (builder, "MemorySize", spec->memory_size);
  if (spec->architecture != NULL)
    {
      json_builder_set_member_name (builder, "Architectures");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, spec->architecture);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  subject = function_subject (spec->function_name);
  response = lambda_call (client, "CreateFunction", subject, "POST", API_PREFIX "/functions",
                          NULL, builder, cancellable, error);
  if (response == NULL)
    return NULL;
  return read_configuration (json_node_get_object (response), "CreateFunction", error);
}

gboolean
dbt_lambda_delete_function (DbtAwsClient *client,
                            const char   *function_name,
                            GCancellable *cancellable,
                            GError      **error)
{
  g_autofree char *path = NULL;
  g_autofree char *subject = NULL;
  g_autoptr(JsonNode) response = NULL;

  g_return_val_if_fail (client != NULL, FALSE);

  if (!dbt_require_string (function_name, "The function name", error))
    return FALSE;

  path = function_path (function_name, "");
  subject = function_subject (function_name);
  response = lambda_call (client, "DeleteFunction", subject, "DELETE", path, NULL, NULL,
                          cancellable, error);
  return response != NULL;
}

DbtFunctionConfiguration *
dbt_lambda_wait_for_update (DbtAwsClient *client,
                            const char   *function_name,
                            guint         interval_ms,
                            guint         timeout_ms,
                            GCancellable *cancellable,
                            GError      **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  g_return_val_if_fail (client != NULL, NULL);

  for (;;)
    {
      g_autoptr(DbtFunctionConfiguration) configuration =
        dbt_lambda_get_function_configuration (client, function_name, cancellable, error);
      gboolean busy;

      if (configuration == NULL)
        return NULL;

      if (g_strcmp0 (configuration->last_update_status, "Failed") == 0
          || g_strcmp0 (configuration->state, "Failed") == 0)
        {
          const char *reason = configuration->last_update_status_reason != NULL
                               ? configuration->last_update_status_reason
                               : configuration->state_reason;

          dbt_aws_set_error (error, DBT_AWS_ERROR_FAILED, NULL, 0, NULL,
                             "Function “%s”: the update failed: %s", function_name,
                             reason != NULL ? reason : "no reason given");
          return NULL;
        }

      busy = g_strcmp0 (configuration->state, "Pending") == 0
             || g_strcmp0 (configuration->last_update_status, "InProgress") == 0;
      if (!busy)
        return g_steal_pointer (&configuration);

      if (g_get_monotonic_time () >= deadline)
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_TIMEOUT, NULL, 0, NULL,
                             "Function “%s” is still updating after %u ms",
                             function_name, timeout_ms);
          return NULL;
        }
      if (!dbt_sleep_cancellable (interval_ms, cancellable, error))
        return NULL;
    }
}

/* Event source mappings */

void
dbt_event_source_mapping_free (DbtEventSourceMapping *mapping)
{
  if (mapping == NULL)
    return;
  g_free (mapping->uuid);
  g_free (mapping->event_source_arn);
  g_free (mapping->function_arn);
  g_free (mapping->state);
  g_free (mapping->state_transition_reason);
  g_free (mapping->starting_position);
  g_strfreev (mapping->function_response_types);
  g_free (mapping->on_failure_destination);
  g_free (mapping);
}

static DbtEventSourceMapping *
read_mapping (JsonObject *object)
{
  DbtEventSourceMapping *mapping;
  JsonObject *on_failure;

  if (dbt_json_get_string (object, "UUID") == NULL)
    return NULL;

  mapping = g_new0 (DbtEventSourceMapping, 1);
  mapping->uuid = g_strdup (dbt_json_get_string (object, "UUID"));
  mapping->event_source_arn = g_strdup (dbt_json_get_string (object, "EventSourceArn"));
  mapping->function_arn = g_strdup (dbt_json_get_string (object, "FunctionArn"));
  mapping->state = g_strdup (dbt_json_get_string (object, "State"));
  mapping->state_transition_reason = g_strdup (dbt_json_get_string (object, "StateTransitionReason"));
  mapping->starting_position = g_strdup (dbt_json_get_string (object, "StartingPosition"));
  mapping->batch_size = dbt_json_get_int (object, "BatchSize", 0);
  mapping->maximum_batching_window_seconds =
    dbt_json_get_int (object, "MaximumBatchingWindowInSeconds", 0);
  mapping->bisect_batch_on_function_error =
    dbt_json_get_bool (object, "BisectBatchOnFunctionError", FALSE);
  mapping->maximum_retry_attempts = dbt_json_get_int (object, "MaximumRetryAttempts", -1);
  mapping->maximum_record_age_seconds = dbt_json_get_int (object, "MaximumRecordAgeInSeconds", -1);
  mapping->parallelization_factor = dbt_json_get_int (object, "ParallelizationFactor", 1);
  mapping->function_response_types = dbt_json_get_strv (object, "FunctionResponseTypes");
  on_failure = dbt_json_get_object (dbt_json_get_object (object, "DestinationConfig"), "OnFailure");
  mapping->on_failure_destination = g_strdup (dbt_json_get_string (on_failure, "Destination"));
  return mapping;
}

GPtrArray *
dbt_lambda_list_event_source_mappings (DbtAwsClient *client,
                                       const char   *function_name,
                                       const char   *event_source_arn,
                                       const char   *marker,
                                       char        **next_marker,
                                       GCancellable *cancellable,
                                       GError      **error)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GPtrArray) mappings = NULL;
  g_autofree char *subject = NULL;
  JsonArray *array;
  const char *next;

  g_return_val_if_fail (client != NULL, NULL);

  if (next_marker != NULL)
    *next_marker = NULL;

  /* Sorted by name: the order the signature's canonical query uses. */
  dbt_query_string_append (query, "EventSourceArn", event_source_arn);
  dbt_query_string_append (query, "FunctionName", function_name);
  dbt_query_string_append (query, "Marker", marker);

  if (function_name != NULL)
    subject = function_subject (function_name);
  response = lambda_call (client, "ListEventSourceMappings", subject, "GET",
                          API_PREFIX "/event-source-mappings",
                          query->len > 0 ? query->str : NULL, NULL, cancellable, error);
  if (response == NULL)
    return NULL;

  mappings = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_event_source_mapping_free);
  array = dbt_json_get_array (json_node_get_object (response), "EventSourceMappings");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      DbtEventSourceMapping *mapping = read_mapping (json_array_get_object_element (array, i));

      if (mapping != NULL)
        g_ptr_array_add (mappings, mapping);
    }

  next = dbt_json_get_string (json_node_get_object (response), "NextMarker");
  if (next_marker != NULL && next != NULL && next[0] != '\0')
    *next_marker = g_strdup (next);
  return g_steal_pointer (&mappings);
}

GPtrArray *
dbt_lambda_list_all_event_source_mappings (DbtAwsClient *client,
                                           const char   *function_name,
                                           const char   *event_source_arn,
                                           GCancellable *cancellable,
                                           GError      **error)
{
  g_autoptr(GPtrArray) all =
    g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_event_source_mapping_free);
  g_autofree char *next_marker = NULL;

  do
    {
      g_autofree char *marker = g_steal_pointer (&next_marker);
      g_autoptr(GPtrArray) page =
        dbt_lambda_list_event_source_mappings (client, function_name, event_source_arn,
                                               marker, &next_marker, cancellable, error);

      if (page == NULL)
        return NULL;
      g_ptr_array_extend_and_steal (all, g_steal_pointer (&page));
    }
  while (next_marker != NULL);

  return g_steal_pointer (&all);
}

DbtEventSourceMapping *
dbt_lambda_create_event_source_mapping (DbtAwsClient                    *client,
                                        const DbtEventSourceMappingSpec *spec,
                                        GCancellable                    *cancellable,
                                        GError                         **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *subject = NULL;
  g_autoptr(JsonNode) response = NULL;
  DbtEventSourceMapping *mapping;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (!dbt_require_string (spec->function_name, "The function name", error)
      || !dbt_require_string (spec->event_source_arn, "The event source ARN", error))
    return NULL;

  json_builder_begin_object (builder);
  dbt_json_builder_add_string (builder, "FunctionName", spec->function_name);
  dbt_json_builder_add_string (builder, "EventSourceArn", spec->event_source_arn);
  if (spec->batch_size > 0)
    dbt_json_builder_add_int (builder, "BatchSize", spec->batch_size);
  if (spec->maximum_batching_window_seconds > 0)
    dbt_json_builder_add_int (builder, "MaximumBatchingWindowInSeconds",
                              spec->maximum_batching_window_seconds);
  /* The retry and age settings exist only for streams (Kinesis, DynamoDB). */
  if (spec->starting_position != NULL)
    {
      dbt_json_builder_add_string (builder, "StartingPosition", spec->starting_position);
      dbt_json_builder_add_bool (builder, "BisectBatchOnFunctionError",
                                 spec->bisect_batch_on_function_error);
      dbt_json_builder_add_int (builder, "MaximumRetryAttempts", spec->maximum_retry_attempts);
      if (spec->maximum_record_age_seconds != 0)
        dbt_json_builder_add_int (builder, "MaximumRecordAgeInSeconds",
                                  spec->maximum_record_age_seconds);
    }
  if (spec->function_response_types != NULL)
    {
      json_builder_set_member_name (builder, "FunctionResponseTypes");
      json_builder_begin_array (builder);
      for (guint i = 0; spec->function_response_types[i] != NULL; i++)
        json_builder_add_string_value (builder, spec->function_response_types[i]);
      json_builder_end_array (builder);
    }
  if (spec->on_failure_destination != NULL)
    {
      json_builder_set_member_name (builder, "DestinationConfig");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "OnFailure");
      json_builder_begin_object (builder);
      dbt_json_builder_add_string (builder, "Destination", spec->on_failure_destination);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  subject = function_subject (spec->function_name);
  response = lambda_call (client, "CreateEventSourceMapping", subject, "POST",
                          API_PREFIX "/event-source-mappings", NULL, builder,
                          cancellable, error);
  if (response == NULL)
    return NULL;
  mapping = read_mapping (json_node_get_object (response));
  if (mapping == NULL)
    dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                       "CreateEventSourceMapping: no UUID in the response");
  return mapping;
}
