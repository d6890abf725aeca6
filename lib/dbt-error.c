/* dbt-error.c — the DBT_AWS_ERROR extended error domain and the SDK's
 * classification of AWS error codes.
 *
 * The code lists follow botocore's "standard" retry mode
 * (botocore/retries/standard.py: ThrottledRetryableChecker,
 * TransientRetryableChecker), so a call retries exactly when the SDKs would.
 */
#include "dbt-error.h"

#include <string.h>

typedef struct
{
  char  *aws_code;
  guint  http_status;
  char  *request_id;
} DbtAwsErrorPrivate;

static void
dbt_aws_error_private_init (DbtAwsErrorPrivate *priv)
{
  priv->aws_code = NULL;
  priv->http_status = 0;
  priv->request_id = NULL;
}

static void
dbt_aws_error_private_copy (const DbtAwsErrorPrivate *src,
                            DbtAwsErrorPrivate       *dest)
{
  dest->aws_code = g_strdup (src->aws_code);
  dest->http_status = src->http_status;
  dest->request_id = g_strdup (src->request_id);
}

static void
dbt_aws_error_private_clear (DbtAwsErrorPrivate *priv)
{
  g_clear_pointer (&priv->aws_code, g_free);
  g_clear_pointer (&priv->request_id, g_free);
}

/* The macro finds the private block just before the GError through a
 * guint8 pointer; GLib allocates that block aligned to 2 * sizeof (gsize),
 * so the cast clang warns about (-Wcast-align) is safe. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-align"
G_DEFINE_EXTENDED_ERROR (DbtAwsError, dbt_aws_error)
#pragma GCC diagnostic pop

/* botocore ThrottledRetryableChecker._THROTTLED_ERROR_CODES */
static const char *const throttling_codes[] = {
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottledException",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "TransactionInProgressException",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "LimitExceededException",
  "RequestThrottled",
  "SlowDown",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
  NULL
};

/* botocore TransientRetryableChecker._TRANSIENT_ERROR_CODES, plus the codes
 * services send with a 5xx status (so they stay retryable even when a proxy
 * rewrites the status). */
static const char *const transient_codes[] = {
  "RequestTimeout",
  "RequestTimeoutException",
  "PriorRequestNotComplete",
  "InternalError",
  "InternalFailure",
  "InternalServerError",
  "ServiceUnavailable",
  NULL
};

static const char *const auth_codes[] = {
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "AccessDenied",
  "AccessDeniedException",
  "AuthorizationError",           /* SNS */
  "MissingAuthenticationToken",
  "MissingAuthenticationTokenException",
  "IncompleteSignature",
  "IncompleteSignatureException",
  "InvalidAccessKeyId",
  "AuthFailure",
  "RequestExpired",
  NULL
};

static const char *const not_found_codes[] = {
  "ResourceNotFoundException",
  "ResourceNotFound",
  "NotFound",
  "NotFoundException",
  "NoSuchKey",
  "NoSuchBucket",
  "NonExistentQueue",
  "QueueDoesNotExist",
  "AWS.SimpleQueueService.NonExistentQueue",
  "TableNotFoundException",
  NULL
};

static gboolean
code_in (const char        *aws_code,
         const char *const *list)
{
  return aws_code != NULL && g_strv_contains (list, aws_code);
}

static gboolean
status_is_transient (guint http_status)
{
  return http_status == 500 || http_status == 502 ||
         http_status == 503 || http_status == 504;
}

const char *
dbt_aws_error_get_aws_code (const GError *error)
{
  if (error == NULL || error->domain != DBT_AWS_ERROR)
    return NULL;
  return dbt_aws_error_get_private (error)->aws_code;
}

guint
dbt_aws_error_get_http_status (const GError *error)
{
  if (error == NULL || error->domain != DBT_AWS_ERROR)
    return 0;
  return dbt_aws_error_get_private (error)->http_status;
}

const char *
dbt_aws_error_get_request_id (const GError *error)
{
  if (error == NULL || error->domain != DBT_AWS_ERROR)
    return NULL;
  return dbt_aws_error_get_private (error)->request_id;
}

gboolean
dbt_aws_error_is_retryable (const GError *error)
{
  const char *aws_code;
  guint status;

  if (error == NULL || error->domain != DBT_AWS_ERROR)
    return FALSE;

  aws_code = dbt_aws_error_get_aws_code (error);
  status = dbt_aws_error_get_http_status (error);

  /* A service error whose code or status the SDKs retry, whatever
   * DbtAwsErrorCode it was given. */
  if (code_in (aws_code, throttling_codes) || code_in (aws_code, transient_codes) ||
      status_is_transient (status) || status == 429)
    return TRUE;

  switch ((DbtAwsErrorCode) error->code)
    {
    case DBT_AWS_ERROR_CONNECT:
    case DBT_AWS_ERROR_TIMEOUT:
    case DBT_AWS_ERROR_THROTTLED:
      return TRUE;

    case DBT_AWS_ERROR_SERVER:
      /* Without a response it is a server failure the SDKs retry; with
       * one, only the statuses above are (not 501 Not Implemented). */
      return status == 0;

    case DBT_AWS_ERROR_FAILED:
    case DBT_AWS_ERROR_INVALID_INPUT:
    case DBT_AWS_ERROR_CONFIG:
    case DBT_AWS_ERROR_CLIENT:
    case DBT_AWS_ERROR_AUTH:
    case DBT_AWS_ERROR_NOT_FOUND:
    case DBT_AWS_ERROR_CONDITION_FAILED:
    case DBT_AWS_ERROR_MALFORMED_RESPONSE:
    default:
      return FALSE;
    }
}

void
dbt_aws_set_error (GError          **error,
                   DbtAwsErrorCode   code,
                   const char       *aws_code,
                   guint             http_status,
                   const char       *request_id,
                   const char       *format,
                   ...)
{
  DbtAwsErrorPrivate *priv;
  g_autofree char *message = NULL;
  GError *new_error;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  new_error = g_error_new_literal (DBT_AWS_ERROR, code, message);
  priv = dbt_aws_error_get_private (new_error);
  priv->aws_code = g_strdup (aws_code);
  priv->http_status = http_status;
  priv->request_id = g_strdup (request_id);
  g_propagate_error (error, new_error);
}

DbtAwsErrorCode
dbt_aws_error_code_classify (const char *aws_code,
                             guint       http_status)
{
  if (code_in (aws_code, auth_codes))
    return DBT_AWS_ERROR_AUTH;
  if (code_in (aws_code, not_found_codes))
    return DBT_AWS_ERROR_NOT_FOUND;
  if (g_strcmp0 (aws_code, "ConditionalCheckFailedException") == 0)
    return DBT_AWS_ERROR_CONDITION_FAILED;
  if (code_in (aws_code, throttling_codes) || http_status == 429)
    return DBT_AWS_ERROR_THROTTLED;
  if (g_strcmp0 (aws_code, "RequestTimeout") == 0 ||
      g_strcmp0 (aws_code, "RequestTimeoutException") == 0)
    return DBT_AWS_ERROR_TIMEOUT;
  if (http_status >= 500 || code_in (aws_code, transient_codes))
    return DBT_AWS_ERROR_SERVER;
  /* Codes the lists above do not know: fall back on the status, as S3's
   * HEAD errors carry no body at all. */
  if (http_status == 401 || http_status == 403)
    return DBT_AWS_ERROR_AUTH;
  if (http_status == 404)
    return DBT_AWS_ERROR_NOT_FOUND;
  if (http_status >= 400)
    return DBT_AWS_ERROR_CLIENT;
  return DBT_AWS_ERROR_FAILED;
}
