/* test-error.c — the DBT_AWS_ERROR domain: extended fields, copies,
 * classification of AWS codes and the retry rule. */
#include "dbt-error.h"

static void
test_fields (void)
{
  g_autoptr(GError) error = NULL;

  dbt_aws_set_error (&error, DBT_AWS_ERROR_THROTTLED, "ThrottlingException", 400, "REQ-1",
                     "%s: %d", "slow down", 42);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_THROTTLED);
  g_assert_cmpstr (error->message, ==, "slow down: 42");
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "ThrottlingException");
  g_assert_cmpuint (dbt_aws_error_get_http_status (error), ==, 400);
  g_assert_cmpstr (dbt_aws_error_get_request_id (error), ==, "REQ-1");
}

static void
test_fields_absent (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) other = g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_FAILED, "x");

  dbt_aws_set_error (&error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL, "empty set");
  g_assert_null (dbt_aws_error_get_aws_code (error));
  g_assert_cmpuint (dbt_aws_error_get_http_status (error), ==, 0);
  g_assert_null (dbt_aws_error_get_request_id (error));

  /* Other domains and NULL read as "no AWS response". */
  g_assert_null (dbt_aws_error_get_aws_code (other));
  g_assert_cmpuint (dbt_aws_error_get_http_status (other), ==, 0);
  g_assert_null (dbt_aws_error_get_request_id (NULL));
  g_assert_false (dbt_aws_error_is_retryable (other));
  g_assert_false (dbt_aws_error_is_retryable (NULL));

  /* A NULL GError ** is allowed, as for g_set_error. */
  dbt_aws_set_error (NULL, DBT_AWS_ERROR_FAILED, "X", 500, NULL, "ignored");
}

/* g_error_copy and g_propagate_prefixed_error keep the extended fields. */
static void
test_copy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  GError *prefixed = NULL;

  dbt_aws_set_error (&error, DBT_AWS_ERROR_NOT_FOUND, "ResourceNotFoundException", 400, "R",
                     "Requested resource not found");
  copy = g_error_copy (error);
  g_assert_error (copy, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (copy), ==, "ResourceNotFoundException");
  g_assert_cmpuint (dbt_aws_error_get_http_status (copy), ==, 400);
  g_assert_cmpstr (dbt_aws_error_get_request_id (copy), ==, "R");
  /* A deep copy: freeing the original leaves the copy intact. */
  g_clear_error (&error);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (copy), ==, "ResourceNotFoundException");

  g_propagate_prefixed_error (&prefixed, g_steal_pointer (&copy), "table %s: ", "orders");
  g_assert_cmpstr (prefixed->message, ==, "table orders: Requested resource not found");
  g_assert_cmpstr (dbt_aws_error_get_aws_code (prefixed), ==, "ResourceNotFoundException");
  g_error_free (prefixed);
}

typedef struct
{
  const char      *aws_code;
  guint            status;
  DbtAwsErrorCode  expected;
  gboolean         retryable;
} Case;

static const Case cases[] = {
  /* throttling (botocore ThrottledRetryableChecker) */
  { "Throttling", 400, DBT_AWS_ERROR_THROTTLED, TRUE },
  { "ThrottlingException", 400, DBT_AWS_ERROR_THROTTLED, TRUE },
  { "ThrottledException", 400, DBT_AWS_ERROR_THROTTLED, TRUE },
  { "RequestThrottledException", 400, DBT_AWS_ERROR_THROTTLED, TRUE },
  { "TooManyRequestsException", 429, DBT_AWS_ERROR_THROTTLED, TRUE },
  { "ProvisionedThroughputExceededException", 400, DBT_AWS_ERROR_THROTTLED, TRUE },
  { "TransactionInProgressException", 400, DBT_AWS_ERROR_THROTTLED, TRUE },
  { "RequestLimitExceeded", 400, DBT_AWS_ERROR_THROTTLED, TRUE },
  { "BandwidthLimitExceeded", 400, DBT_AWS_ERROR_THROTTLED, TRUE },
  { "LimitExceededException", 400, DBT_AWS_ERROR_THROTTLED, TRUE },
  { "RequestThrottled", 400, DBT_AWS_ERROR_THROTTLED, TRUE },
  { "SlowDown", 503, DBT_AWS_ERROR_THROTTLED, TRUE },
  { "PriorRequestNotComplete", 400, DBT_AWS_ERROR_THROTTLED, TRUE },
  { "EC2ThrottledException", 400, DBT_AWS_ERROR_THROTTLED, TRUE },
  { NULL, 429, DBT_AWS_ERROR_THROTTLED, TRUE },
  /* transient (botocore TransientRetryableChecker) */
  { "RequestTimeout", 400, DBT_AWS_ERROR_TIMEOUT, TRUE },
  { "RequestTimeoutException", 408, DBT_AWS_ERROR_TIMEOUT, TRUE },
  { "InternalError", 500, DBT_AWS_ERROR_SERVER, TRUE },
  { "InternalFailure", 500, DBT_AWS_ERROR_SERVER, TRUE },
  { "ServiceUnavailable", 503, DBT_AWS_ERROR_SERVER, TRUE },
  { NULL, 500, DBT_AWS_ERROR_SERVER, TRUE },
  { NULL, 502, DBT_AWS_ERROR_SERVER, TRUE },
  { NULL, 503, DBT_AWS_ERROR_SERVER, TRUE },
  { NULL, 504, DBT_AWS_ERROR_SERVER, TRUE },
  /* a 5xx the SDK does not list is still a server error, but not retried */
  { NULL, 501, DBT_AWS_ERROR_SERVER, FALSE },
  /* credentials and permissions */
  { "UnrecognizedClientException", 400, DBT_AWS_ERROR_AUTH, FALSE },
  { "InvalidSignatureException", 400, DBT_AWS_ERROR_AUTH, FALSE },
  { "SignatureDoesNotMatch", 403, DBT_AWS_ERROR_AUTH, FALSE },
  { "ExpiredToken", 400, DBT_AWS_ERROR_AUTH, FALSE },
  { "ExpiredTokenException", 400, DBT_AWS_ERROR_AUTH, FALSE },
  { "InvalidClientTokenId", 403, DBT_AWS_ERROR_AUTH, FALSE },
  { "AccessDenied", 403, DBT_AWS_ERROR_AUTH, FALSE },
  { "AccessDeniedException", 400, DBT_AWS_ERROR_AUTH, FALSE },
  { "MissingAuthenticationToken", 403, DBT_AWS_ERROR_AUTH, FALSE },
  { "IncompleteSignature", 400, DBT_AWS_ERROR_AUTH, FALSE },
  { "InvalidAccessKeyId", 403, DBT_AWS_ERROR_AUTH, FALSE },
  { "AuthFailure", 401, DBT_AWS_ERROR_AUTH, FALSE },
  { NULL, 403, DBT_AWS_ERROR_AUTH, FALSE },
  /* not found */
  { "ResourceNotFoundException", 400, DBT_AWS_ERROR_NOT_FOUND, FALSE },
  { "NotFound", 404, DBT_AWS_ERROR_NOT_FOUND, FALSE },
  { "NoSuchKey", 404, DBT_AWS_ERROR_NOT_FOUND, FALSE },
  { "NoSuchBucket", 404, DBT_AWS_ERROR_NOT_FOUND, FALSE },
  { "NonExistentQueue", 400, DBT_AWS_ERROR_NOT_FOUND, FALSE },
  { "AWS.SimpleQueueService.NonExistentQueue", 400, DBT_AWS_ERROR_NOT_FOUND, FALSE },
  { "QueueDoesNotExist", 400, DBT_AWS_ERROR_NOT_FOUND, FALSE },
  { "ResourceNotFound", 404, DBT_AWS_ERROR_NOT_FOUND, FALSE },
  { NULL, 404, DBT_AWS_ERROR_NOT_FOUND, FALSE },
  /* conditions, validation */
  { "ConditionalCheckFailedException", 400, DBT_AWS_ERROR_CONDITION_FAILED, FALSE },
  { "ValidationException", 400, DBT_AWS_ERROR_CLIENT, FALSE },
  { "SerializationException", 400, DBT_AWS_ERROR_CLIENT, FALSE },
  { "InvalidParameterValue", 400, DBT_AWS_ERROR_CLIENT, FALSE },
  { "ResourceInUseException", 400, DBT_AWS_ERROR_CLIENT, FALSE },
  { NULL, 400, DBT_AWS_ERROR_CLIENT, FALSE },
  { NULL, 0, DBT_AWS_ERROR_FAILED, FALSE },
};

static void
test_classify (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(GError) error = NULL;
      DbtAwsErrorCode code = dbt_aws_error_code_classify (c->aws_code, c->status);

      g_test_message ("%s / %u", c->aws_code != NULL ? c->aws_code : "(no code)", c->status);
      g_assert_cmpint (code, ==, c->expected);

      dbt_aws_set_error (&error, code, c->aws_code, c->status, NULL, "m");
      g_assert_cmpint (dbt_aws_error_is_retryable (error), ==, c->retryable);
    }
}

/* Transport errors are retryable whatever they carry; errors refused
 * before sending never are. */
static void
test_retryable_by_kind (void)
{
  static const struct { DbtAwsErrorCode code; gboolean retryable; } kinds[] = {
    { DBT_AWS_ERROR_CONNECT, TRUE },
    { DBT_AWS_ERROR_TIMEOUT, TRUE },
    { DBT_AWS_ERROR_THROTTLED, TRUE },
    { DBT_AWS_ERROR_SERVER, TRUE },
    { DBT_AWS_ERROR_FAILED, FALSE },
    { DBT_AWS_ERROR_INVALID_INPUT, FALSE },
    { DBT_AWS_ERROR_CONFIG, FALSE },
    { DBT_AWS_ERROR_CLIENT, FALSE },
    { DBT_AWS_ERROR_AUTH, FALSE },
    { DBT_AWS_ERROR_NOT_FOUND, FALSE },
    { DBT_AWS_ERROR_CONDITION_FAILED, FALSE },
    { DBT_AWS_ERROR_MALFORMED_RESPONSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(GError) error = NULL;

      dbt_aws_set_error (&error, kinds[i].code, NULL, 0, NULL, "m");
      g_assert_cmpint (dbt_aws_error_is_retryable (error), ==, kinds[i].retryable);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error/fields", test_fields);
  g_test_add_func ("/error/fields-absent", test_fields_absent);
  g_test_add_func ("/error/copy", test_copy);
  g_test_add_func ("/error/classify", test_classify);
  g_test_add_func ("/error/retryable-by-kind", test_retryable_by_kind);

  return g_test_run ();
}
