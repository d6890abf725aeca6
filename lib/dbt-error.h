/* dbt-error.h — errors from AWS calls and from input refused before sending.
 *
 * Every fallible call in libdbtrigger reports a GError in the DBT_AWS_ERROR
 * domain. The domain is an extended error domain: besides the code and the
 * human message it carries the AWS error code ("ConditionalCheckFailedException"),
 * the HTTP status and the request id, so callers can branch on the AWS code
 * and show the message as AWS wrote it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DBT_AWS_ERROR (dbt_aws_error_quark ())

typedef enum
{
  DBT_AWS_ERROR_FAILED,             /* anything not listed below */
  DBT_AWS_ERROR_INVALID_INPUT,      /* refused before sending (bad number, empty set, > 400 KB...) */
  DBT_AWS_ERROR_CONFIG,             /* no region, no credentials, malformed endpoint URL or profile */
  DBT_AWS_ERROR_CONNECT,            /* connection refused, DNS failure, TLS failure */
  DBT_AWS_ERROR_TIMEOUT,            /* connect or transfer timeout */
  DBT_AWS_ERROR_THROTTLED,          /* throttling codes, HTTP 429 */
  DBT_AWS_ERROR_SERVER,             /* HTTP 5xx */
  DBT_AWS_ERROR_CLIENT,             /* other HTTP 4xx (validation and the like) */
  DBT_AWS_ERROR_AUTH,               /* unknown key, bad signature, expired token, access denied */
  DBT_AWS_ERROR_NOT_FOUND,          /* ResourceNotFoundException, NotFound, NoSuchKey... */
  DBT_AWS_ERROR_CONDITION_FAILED,   /* ConditionalCheckFailedException */
  DBT_AWS_ERROR_MALFORMED_RESPONSE, /* a 2xx whose body is not what the protocol promises */
} DbtAwsErrorCode;

GQuark       dbt_aws_error_quark              (void);

/* The AWS error code ("ThrottlingException"), or NULL when the error did
 * not come from an AWS response (or is not in DBT_AWS_ERROR). */
const char  *dbt_aws_error_get_aws_code       (const GError *error);
/* The HTTP status of the failed response, 0 when there was none. */
guint        dbt_aws_error_get_http_status    (const GError *error);
/* x-amzn-RequestId / x-amz-request-id of the failed response, or NULL. */
const char  *dbt_aws_error_get_request_id     (const GError *error);

/* TRUE for errors the SDK "standard" retry mode retries: throttling,
 * 5xx, connection errors and timeouts. Never for 4xx validation errors. */
gboolean     dbt_aws_error_is_retryable       (const GError *error);

void         dbt_aws_set_error                (GError       **error,
                                               DbtAwsErrorCode code,
                                               const char    *aws_code,
                                               guint          http_status,
                                               const char    *request_id,
                                               const char    *format,
                                               ...) G_GNUC_PRINTF (6, 7);

/* Maps an AWS error code and HTTP status to a DbtAwsErrorCode. */
DbtAwsErrorCode dbt_aws_error_code_classify   (const char *aws_code,
                                               guint       http_status);

G_END_DECLS
