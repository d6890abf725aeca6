/* dbt-lambda.h — typed Lambda calls (REST-JSON): read a function's
 * configuration, deploy new code, list the stream mappings that feed it.
 *
 * Functions are named by name or ARN. Deploying: dbt_lambda_update_function_code
 * with the zip (or its S3 location), then dbt_lambda_wait_for_update until
 * LastUpdateStatus leaves "InProgress"; the CodeSha256 of the result is
 * base64 (not hex) of the zip's SHA-256, so a caller can check it deployed
 * the bytes it meant to.
 */
#pragma once

#include <gio/gio.h>
#include "dbt-aws-client.h"

G_BEGIN_DECLS

typedef struct
{
  char       *function_name;
  char       *function_arn;
  char       *runtime;             /* "provided.al2023"...; NULL for images */
  char       *role;
  char       *handler;
  char       *description;
  char       *code_sha256;         /* base64 of the deployment package's SHA-256 */
  gint64      code_size;           /* bytes */
  char       *last_modified;       /* ISO 8601 as Lambda writes it */
  char       *version;             /* "$LATEST" or a published number */
  char       *state;               /* "Pending", "Active", "Inactive", "Failed" */
  char       *state_reason;
  char       *last_update_status;  /* "Successful", "Failed", "InProgress"; NULL when not reported */
  char       *last_update_status_reason;
  char       *package_type;        /* "Zip", "Image" */
  GHashTable *environment;         /* variable → value; empty when none */
  gint64      timeout;             /* seconds */
  gint64      memory_size;         /* MB */
  char      **architectures;       /* "x86_64", "arm64"; empty when not reported */
} DbtFunctionConfiguration;

void dbt_function_configuration_free (DbtFunctionConfiguration *configuration);

typedef struct
{
  DbtFunctionConfiguration *configuration;
  char                     *code_repository_type;  /* "S3", "ECR" */
  char                     *code_location;         /* presigned URL (10 min); NULL when none */
} DbtFunction;

void dbt_function_free (DbtFunction *function);

DbtFunction *dbt_lambda_get_function (DbtAwsClient *client,
                                      const char   *function_name,
                                      GCancellable *cancellable,
                                      GError      **error);

DbtFunctionConfiguration *dbt_lambda_get_function_configuration (DbtAwsClient *client,
                                                                 const char   *function_name,
                                                                 GCancellable *cancellable,
                                                                 GError      **error);

/* A deployment package: the zip itself (sent base64, 50 MB at most on AWS)
 * or an S3 object holding it. Exactly one of the two. */
typedef struct
{
  GBytes     *zip_file;
  const char *s3_bucket;
  const char *s3_key;
  const char *s3_object_version;   /* NULL: the latest */
} DbtFunctionCode;

/* UpdateFunctionCode; @publish also publishes a version. Returns the new
 * configuration (its code_sha256 is the new code's). */
DbtFunctionConfiguration *dbt_lambda_update_function_code (DbtAwsClient          *client,
                                                           const char            *function_name,
                                                           const DbtFunctionCode *code,
                                                           gboolean               publish,
                                                           GCancellable          *cancellable,
                                                           GError               **error);

typedef struct
{
  const char            *function_name;
  const char            *runtime;       /* e.g. "provided.al2023" */
  const char            *role;          /* execution role ARN */
  const char            *handler;       /* e.g. "bootstrap" */
  const DbtFunctionCode *code;
  const char            *description;   /* NULL: none */
  const char *const     *environment;   /* NULL-terminated name, value pairs, or NULL */
  guint                  timeout;       /* seconds; 0: Lambda's default (3) */
  guint                  memory_size;   /* MB; 0: Lambda's default (128) */
  const char            *architecture;  /* "x86_64", "arm64"; NULL: Lambda's default */
} DbtFunctionSpec;

DbtFunctionConfiguration *dbt_lambda_create_function (DbtAwsClient          *client,
                                                      const DbtFunctionSpec *spec,
                                                      GCancellable          *cancellable,
                                                      GError               **error);

gboolean dbt_lambda_delete_function (DbtAwsClient *client,
                                     const char   *function_name,
                                     GCancellable *cancellable,
                                     GError      **error);

/* Polls GetFunctionConfiguration every @interval_ms until the function is
 * no longer "Pending" and its LastUpdateStatus no longer "InProgress".
 * Fails with DBT_AWS_ERROR_TIMEOUT after @timeout_ms, and with
 * DBT_AWS_ERROR_FAILED (carrying Lambda's reason) when the update failed. */
DbtFunctionConfiguration *dbt_lambda_wait_for_update (DbtAwsClient *client,
                                                      const char   *function_name,
                                                      guint         interval_ms,
                                                      guint         timeout_ms,
                                                      GCancellable *cancellable,
                                                      GError      **error);

/* Event source mappings (the stream → function wiring). */
typedef struct
{
  char    *uuid;
  char    *event_source_arn;
  char    *function_arn;
  char    *state;                         /* "Enabled", "Creating", "Disabled"... */
  char    *state_transition_reason;
  char    *starting_position;             /* "TRIM_HORIZON", "LATEST"; NULL for queues */
  gint64   batch_size;
  gint64   maximum_batching_window_seconds;
  gboolean bisect_batch_on_function_error;
  gint64   maximum_retry_attempts;        /* -1: unlimited (AWS's default), also when not reported */
  gint64   maximum_record_age_seconds;    /* -1: unlimited (AWS's default), also when not reported */
  gint64   parallelization_factor;        /* 1 when not reported */
  char   **function_response_types;       /* e.g. "ReportBatchItemFailures"; empty when none */
  char    *on_failure_destination;        /* DestinationConfig.OnFailure.Destination, or NULL */
} DbtEventSourceMapping;

void dbt_event_source_mapping_free (DbtEventSourceMapping *mapping);

/* ListEventSourceMappings, one page, filtered by function and/or event
 * source ARN (NULL: no filter). @marker NULL for the first page;
 * *@next_marker (optional) NULL on the last. */
GPtrArray *dbt_lambda_list_event_source_mappings (DbtAwsClient *client,
                                                  const char   *function_name,
                                                  const char   *event_source_arn,
                                                  const char   *marker,
                                                  char        **next_marker,
                                                  GCancellable *cancellable,
                                                  GError      **error);
/* Every mapping matching the filters, following the pages. */
GPtrArray *dbt_lambda_list_all_event_source_mappings (DbtAwsClient *client,
                                                      const char   *function_name,
                                                      const char   *event_source_arn,
                                                      GCancellable *cancellable,
                                                      GError      **error);

typedef struct
{
  const char        *function_name;
  const char        *event_source_arn;
  const char        *starting_position;               /* streams: "TRIM_HORIZON" or "LATEST" */
  guint              batch_size;                      /* 0: Lambda's default (100) */
  guint              maximum_batching_window_seconds;
  gboolean           bisect_batch_on_function_error;
  gint               maximum_retry_attempts;          /* -1: unlimited */
  gint               maximum_record_age_seconds;      /* -1: unlimited */
  const char *const *function_response_types;         /* NULL-terminated, or NULL */
  const char        *on_failure_destination;          /* an SQS or SNS ARN, or NULL */
} DbtEventSourceMappingSpec;

DbtEventSourceMapping *dbt_lambda_create_event_source_mapping (DbtAwsClient                    *client,
                                                               const DbtEventSourceMappingSpec *spec,
                                                               GCancellable                    *cancellable,
                                                               GError                         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtFunctionConfiguration, dbt_function_configuration_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtFunction, dbt_function_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtEventSourceMapping, dbt_event_source_mapping_free)

G_END_DECLS
