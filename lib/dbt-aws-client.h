/* dbt-aws-client.h — signed, retried calls in the four AWS wire protocols.
 *
 * A DbtAwsClient holds a configuration and a pool of HTTP connections (one in
 * use per thread at a time, reused across calls). It is thread-safe.
 *
 * Retries follow the SDKs' "standard" mode: at most max_attempts attempts
 * (default 3), exponential backoff with full jitter (base 100 ms, cap 20 s),
 * retrying throttling errors, 5xx, connection errors and timeouts; never a
 * 4xx validation error. Error responses become DBT_AWS_ERROR GErrors carrying
 * the AWS code, message, HTTP status and request id.
 *
 * Details callers may rely on:
 *   - every attempt is signed afresh (new X-Amz-Date); a transport failure
 *     (refused, reset, timeout, a response cut short) is retried like the
 *     SDKs retry a dropped connection; a malformed but complete 2xx body,
 *     a cancellation or a bad endpoint URL is not;
 *   - error codes are bare: "ResourceNotFoundException", not
 *     "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"; SQS's
 *     x-amzn-query-error code wins ("AWS.SimpleQueueService.NonExistentQueue");
 *     S3 errors without a body (HEAD) get "NotFound", "Forbidden",
 *     "BadRequest", "PreconditionFailed" or "NotModified" from the status;
 *   - DBT_AWS_ERROR_AUTH messages name the code, AWS's message, the access
 *     key id and where the credentials came from, never the secret;
 *   - the endpoint URL of each service may carry a path ("http://proxy/aws"),
 *     which prefixes every request path and is signed;
 *   - defaults: connect timeout 10 s, whole exchange 60 s.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "dbt-credentials.h"
#include "dbt-error.h"
#include "dbt-http.h"
#include "dbt-xml.h"

G_BEGIN_DECLS

typedef struct _DbtAwsClient DbtAwsClient;

DbtAwsClient       *dbt_aws_client_new          (const DbtAwsConfig *config); /* copied */
DbtAwsClient       *dbt_aws_client_ref          (DbtAwsClient *client);
void                dbt_aws_client_unref        (DbtAwsClient *client);
const DbtAwsConfig *dbt_aws_client_get_config   (DbtAwsClient *client);

/* Settings apply to calls started afterwards; safe from any thread. */
void dbt_aws_client_set_max_attempts (DbtAwsClient *client, guint max_attempts);  /* 0 counts as 1 */
/* Before retry n (1, 2...) the call sleeps a uniform random time in
 * [0, min(max_ms, base_ms * 2^(n-1))): "full jitter". Cancellable. */
void dbt_aws_client_set_backoff      (DbtAwsClient *client, guint base_ms, guint max_ms);
/* Per attempt. 0: no limit on the exchange; libcurl's 300 s for connecting. */
void dbt_aws_client_set_timeouts     (DbtAwsClient *client, guint connect_timeout_ms, guint timeout_ms);

/* Attempts made by the last call on this thread, on any client (for tests
 * and metrics). 0 when the call failed before sending (bad endpoint URL). */
guint dbt_aws_client_get_last_attempts (DbtAwsClient *client);

/* JSON 1.0 (DynamoDB, Streams, SQS): POST / with X-Amz-Target = @target
 * ("DynamoDB_20120810.PutItem"). @request is not consumed. Returns the parsed
 * response body (an object). */
JsonNode *dbt_aws_client_call_json  (DbtAwsClient *client,
                                     DbtService    service,
                                     const char   *target,
                                     JsonNode     *request,
                                     GCancellable *cancellable,
                                     GError      **error);

/* Query protocol (SNS): form-encoded POST of Action, Version and @params
 * (name, value, name, value, ... NULL-terminated array). Returns the parsed
 * XML response's root element. */
DbtXmlNode *dbt_aws_client_call_query (DbtAwsClient      *client,
                                       DbtService         service,
                                       const char        *action,
                                       const char        *version,
                                       const char *const *params,
                                       GCancellable      *cancellable,
                                       GError           **error);

/* REST (Lambda: REST-JSON, S3: REST-XML): @path is already percent-encoded,
 * @query raw or NULL. Returns the body of a 2xx response; error bodies are
 * parsed per protocol. @response_headers (optional) receives the headers. */
GBytes *dbt_aws_client_call_rest    (DbtAwsClient *client,
                                     DbtService    service,
                                     const char   *method,
                                     const char   *path,
                                     const char   *query,
                                     GPtrArray    *headers,
                                     GBytes       *body,
                                     GPtrArray   **response_headers,
                                     GCancellable *cancellable,
                                     GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtAwsClient, dbt_aws_client_unref)

G_END_DECLS
