/* dbt-credentials.h — who we are, where we talk to: the SDK configuration chain.
 *
 * Resolution order, as the AWS SDKs (botocore) do it:
 *   profile: the explicit one, else AWS_PROFILE (or AWS_DEFAULT_PROFILE),
 *     else "default". A profile named explicitly or by AWS_PROFILE must exist
 *     in one of the shared files once something is read from it.
 *   credentials: explicit (the console) → environment (AWS_ACCESS_KEY_ID,
 *     AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN; skipped when options->profile
 *     names a profile, as botocore does for a profile chosen explicitly) →
 *     the profile in the shared files (AWS_SHARED_CREDENTIALS_FILE or
 *     ~/.aws/credentials, "[NAME]" sections; then AWS_CONFIG_FILE or
 *     ~/.aws/config, "[profile NAME]" and "[default]" sections). Where both
 *     files set a key for the profile, the credentials file wins.
 *   region: explicit → AWS_REGION → AWS_DEFAULT_REGION → profile "region".
 *   endpoint, per service: explicit → AWS_ENDPOINT_URL_<SERVICE> →
 *     AWS_ENDPOINT_URL → the service's "endpoint_url" in the profile's
 *     "[services NAME]" section → profile "endpoint_url" → the public AWS
 *     endpoint for the region. AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (or
 *     the profile's ignore_configured_endpoint_urls) skips all but explicit.
 *
 * "~/" in the file variables and the default files use HOME from the given
 * environment. Nothing here logs or prints a secret; messages about the
 * shared files give a path and line, never the line itself.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  DBT_SERVICE_DYNAMODB,
  DBT_SERVICE_STREAMS,   /* DynamoDB Streams: signs as "dynamodb" */
  DBT_SERVICE_SNS,
  DBT_SERVICE_SQS,
  DBT_SERVICE_LAMBDA,
  DBT_SERVICE_S3,
  DBT_N_SERVICES
} DbtService;

/* "dynamodb", "dynamodb", "sns", "sqs", "lambda", "s3" */
const char *dbt_service_signing_name (DbtService service);
/* The <SERVICE> of AWS_ENDPOINT_URL_<SERVICE>: "DYNAMODB", "DYNAMODB_STREAMS", "SNS", "SQS", "LAMBDA", "S3" */
const char *dbt_service_env_name     (DbtService service);

typedef struct
{
  char *access_key_id;
  char *secret_access_key;
  char *session_token;    /* NULL when none */
  char *source;           /* where they came from, for messages: "environment", "profile \"dev\" in /home/x/.aws/credentials" */
} DbtCredentials;

DbtCredentials *dbt_credentials_new  (const char *access_key_id,
                                      const char *secret_access_key,
                                      const char *session_token,
                                      const char *source);
DbtCredentials *dbt_credentials_copy (const DbtCredentials *credentials);
void            dbt_credentials_free (DbtCredentials *credentials);

typedef struct
{
  char           *profile;                          /* the profile consulted */
  char           *region;
  DbtCredentials *credentials;
  char           *endpoint_urls[DBT_N_SERVICES];    /* resolved per service, never NULL after load;
                                                     * http(s)://host[:port][/path] without a trailing '/' */
  gboolean        endpoint_is_custom[DBT_N_SERVICES];
} DbtAwsConfig;

typedef struct
{
  const char           *profile;        /* NULL: AWS_PROFILE, else "default" */
  const char           *region;         /* NULL: from the chain */
  const char           *endpoint_url;   /* NULL: from the chain; applies to every service */
  const DbtCredentials *credentials;    /* NULL: from the chain; copied */
  char                **environ;        /* NULL: the process environment (tests pass their own) */
} DbtAwsConfigOptions;

/* Fails with DBT_AWS_ERROR_CONFIG naming what is missing (no region, no
 * credentials found in env/profile, profile absent, malformed endpoint URL,
 * invalid region, a shared file that does not parse). options may be NULL. */
DbtAwsConfig *dbt_aws_config_load  (const DbtAwsConfigOptions *options,
                                    GError                   **error);
DbtAwsConfig *dbt_aws_config_copy  (const DbtAwsConfig *config);
void          dbt_aws_config_free  (DbtAwsConfig *config);

/* The profile names found in the shared config and credentials files,
 * sorted, each once; envp as options->environ (NULL: the process's). A file
 * that does not parse contributes nothing. Free with g_strfreev. */
char        **dbt_aws_list_profiles (char **envp);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtCredentials, dbt_credentials_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtAwsConfig, dbt_aws_config_free)

G_END_DECLS
