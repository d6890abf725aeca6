/* dbt-aws-client.c — signed, retried calls in the AWS wire protocols.
 *
 * Every protocol entry point builds its body and headers, then hands them
 * to send_with_retries(), the one place that signs, sends, parses error
 * responses and decides whether to try again.
 */
#include "dbt-aws-client.h"

#include <string.h>

#include "dbt-sigv4.h"

#define DEFAULT_MAX_ATTEMPTS       3
#define DEFAULT_BACKOFF_BASE_MS    100
#define DEFAULT_BACKOFF_MAX_MS     20000
#define DEFAULT_CONNECT_TIMEOUT_MS 10000
#define DEFAULT_TIMEOUT_MS         60000
/* Idle connections kept per client; more are closed when returned. */
#define MAX_IDLE_CONNECTIONS       8
/* Longest excerpt of an unexpected body quoted in a message. */
#define EXCERPT_MAX                80

#define JSON_1_0_CONTENT_TYPE "application/x-amz-json-1.0"
#define QUERY_CONTENT_TYPE    "application/x-www-form-urlencoded; charset=utf-8"

/* What a call reads once at its start, so a setter never changes a call
 * half-way. */
typedef struct
{
  guint max_attempts;
  guint backoff_base_ms;
  guint backoff_max_ms;
  guint connect_timeout_ms;
  guint timeout_ms;
} CallSettings;

struct _DbtAwsClient
{
  gatomicrefcount  ref_count;
  DbtAwsConfig    *config;

  GMutex           lock;          /* guards everything below */
  GPtrArray       *idle;          /* DbtHttpConnection* ready to borrow */
  CallSettings     settings;
};

/* Only the last call on each thread matters, whatever the client. */
static GPrivate last_attempts;

typedef enum
{
  ERRORS_IN_JSON,   /* JSON 1.0 and REST-JSON */
  ERRORS_IN_XML,    /* query and REST-XML */
} ErrorFormat;

/* One call, before signing: what the protocol entry points prepare. */
typedef struct
{
  DbtService   service;
  const char  *method;
  const char  *path;       /* percent-encoded, from '/' */
  const char  *query;      /* or NULL */
  GPtrArray   *headers;    /* DbtHttpHeader*, without Host and signature */
  GBytes      *body;       /* or NULL */
  ErrorFormat  error_format;
} AwsRequest;

/* Where a service's requests go, from its endpoint URL. */
typedef struct
{
  char *origin;   /* "http://127.0.0.1:5000", for messages and the URL */
  char *host;     /* the Host header: host[:port], the port only when not the scheme's default */
  char *base;     /* the endpoint's own path without a trailing '/', often "" */
} Endpoint;

static void
endpoint_clear (Endpoint *endpoint)
{
  g_clear_pointer (&endpoint->origin, g_free);
  g_clear_pointer (&endpoint->host, g_free);
  g_clear_pointer (&endpoint->base, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Endpoint, endpoint_clear)

DbtAwsClient *
dbt_aws_client_new (const DbtAwsConfig *config)
{
  DbtAwsClient *client;

  g_return_val_if_fail (config != NULL, NULL);

  client = g_new0 (DbtAwsClient, 1);
  g_atomic_ref_count_init (&client->ref_count);
  client->config = dbt_aws_config_copy (config);
  g_mutex_init (&client->lock);
  client->idle = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_http_connection_free);
  client->settings.max_attempts = DEFAULT_MAX_ATTEMPTS;
  client->settings.backoff_base_ms = DEFAULT_BACKOFF_BASE_MS;
  client->settings.backoff_max_ms = DEFAULT_BACKOFF_MAX_MS;
  client->settings.connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
  client->settings.timeout_ms = DEFAULT_TIMEOUT_MS;
  return client;
}

DbtAwsClient *
dbt_aws_client_ref (DbtAwsClient *client)
{
  g_return_val_if_fail (client != NULL, NULL);
  g_atomic_ref_count_inc (&client->ref_count);
  return client;
}

void
dbt_aws_client_unref (DbtAwsClient *client)
{
  if (client == NULL || !g_atomic_ref_count_dec (&client->ref_count))
    return;
  g_ptr_array_unref (client->idle);
  g_mutex_clear (&client->lock);
  dbt_aws_config_free (client->config);
  g_free (client);
}

const DbtAwsConfig *
dbt_aws_client_get_config (DbtAwsClient *client)
{
  g_return_val_if_fail (client != NULL, NULL);
  return client->config;
}

void
dbt_aws_client_set_max_attempts (DbtAwsClient *client,
                                 guint         max_attempts)
{
  g_return_if_fail (client != NULL);
  g_mutex_lock (&client->lock);
  client->settings.max_attempts = MAX (max_attempts, 1);
  g_mutex_unlock (&client->lock);
}

void
dbt_aws_client_set_backoff (DbtAwsClient *client,
                            guint         base_ms,
                            guint         max_ms)
{
  g_return_if_fail (client != NULL);
  g_mutex_lock (&client->lock);
  client->settings.backoff_base_ms = base_ms;
  client->settings.backoff_max_ms = max_ms;
  g_mutex_unlock (&client->lock);
}

void
dbt_aws_client_set_timeouts (DbtAwsClient *client,
                             guint         connect_timeout_ms,
                             guint         timeout_ms)
{
  g_return_if_fail (client != NULL);
  g_mutex_lock (&client->lock);
  client->settings.connect_timeout_ms = connect_timeout_ms;
  client->settings.timeout_ms = timeout_ms;
  g_mutex_unlock (&client->lock);
}

guint
dbt_aws_client_get_last_attempts (DbtAwsClient *client)
{
  return GPOINTER_TO_UINT (g_private_get (&last_attempts));
}

/* --- connection pool ---------------------------------------------------- */

static DbtHttpConnection *
borrow_connection (DbtAwsClient *client)
{
  DbtHttpConnection *connection = NULL;

  g_mutex_lock (&client->lock);
  if (client->idle->len > 0)
    connection = g_ptr_array_steal_index_fast (client->idle, client->idle->len - 1);
  g_mutex_unlock (&client->lock);

  return connection != NULL ? connection : dbt_http_connection_new ();
}

static void
return_connection (DbtAwsClient      *client,
                   DbtHttpConnection *connection)
{
  g_mutex_lock (&client->lock);
  if (client->idle->len < MAX_IDLE_CONNECTIONS)
    {
      g_ptr_array_add (client->idle, connection);
      connection = NULL;
    }
  g_mutex_unlock (&client->lock);

  dbt_http_connection_free (connection);
}

/* --- messages ------------------------------------------------------------ */

/* A short, printable quote of an unexpected body. */
static char *
body_excerpt (GBytes *body)
{
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  g_autofree char *head = NULL;
  g_autofree char *escaped = NULL;
  gboolean cut;

  if (len == 0)
    return g_strdup ("(empty body)");

  cut = len > EXCERPT_MAX;
  head = g_strndup (data, MIN (len, EXCERPT_MAX));
  escaped = g_strescape (head, NULL);
  /* Escaping can lengthen it; the limit is on what the reader sees. */
  if (strlen (escaped) > EXCERPT_MAX)
    {
      escaped[EXCERPT_MAX] = '\0';
      cut = TRUE;
    }
  return g_strdup_printf ("\"%s\"%s", escaped, cut ? "..." : "");
}

static gboolean
looks_like_html (GBytes *body)
{
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  g_autofree char *head = NULL;
  const char *p;

  if (len == 0)
    return FALSE;
  head = g_ascii_strdown (data, MIN (len, 256));
  for (p = head; g_ascii_isspace (*p); p++)
    ;
  return g_str_has_prefix (p, "<!doctype html") || g_str_has_prefix (p, "<html") ||
         strstr (head, "<body") != NULL;
}

static void
set_malformed_error (const Endpoint  *endpoint,
                     DbtHttpResponse *response,
                     const char      *expected,
                     const char      *detail,
                     GError         **error)
{
  g_autofree char *excerpt = body_excerpt (response->body);

  if (looks_like_html (response->body))
    dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, response->status, NULL,
                       "%s answered with a web page, not an AWS response: is the "
                       "endpoint right? (HTTP %u, %s)",
                       endpoint->origin, response->status, excerpt);
  else
    dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, response->status, NULL,
                       "malformed response from %s: expected %s (%s): %s",
                       endpoint->origin, expected, detail, excerpt);
}

/* --- error responses ----------------------------------------------------- */

typedef struct
{
  char *code;
  char *message;
  char *request_id;
} ServiceError;

static void
service_error_clear (ServiceError *service_error)
{
  g_clear_pointer (&service_error->code, g_free);
  g_clear_pointer (&service_error->message, g_free);
  g_clear_pointer (&service_error->request_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ServiceError, service_error_clear)

/* "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" and
 * "ResourceNotFoundException:http://internal.amazon.com/..." both name
 * ResourceNotFoundException. */
static char *
bare_error_code (const char *code)
{
  const char *hash;

  if (code == NULL || code[0] == '\0')
    return NULL;
  hash = strrchr (code, '#');
  if (hash != NULL)
    code = hash + 1;
  return g_strndup (code, strcspn (code, ":"));
}

static const char *
json_string_member (JsonObject *object,
                    const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (object, names[i]);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        return json_node_get_string (node);
    }
  return NULL;
}

/* As botocore's JSON and REST-JSON parsers: the code from x-amzn-ErrorType,
 * else the body's __type / code; SQS's query-compatible header wins. */
static void
parse_json_error (DbtHttpResponse *response,
                  ServiceError    *service_error)
{
  static const char *const code_names[] = { "__type", "code", "Code", "Type", NULL };
  static const char *const message_names[] = { "message", "Message", "errorMessage", NULL };
  const char *header_code = dbt_http_headers_get (response->headers, "x-amzn-ErrorType");
  const char *query_error = dbt_http_headers_get (response->headers, "x-amzn-query-error");
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *object = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (response->body, &len);

  if (len > 0 && json_parser_load_from_data (parser, data, len, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    object = json_node_get_object (json_parser_get_root (parser));

  if (query_error != NULL && query_error[0] != '\0')
    service_error->code = g_strndup (query_error, strcspn (query_error, ";"));
  else if (header_code != NULL && header_code[0] != '\0')
    service_error->code = bare_error_code (header_code);
  else if (object != NULL)
    service_error->code = bare_error_code (json_string_member (object, code_names));

  if (object != NULL)
    service_error->message = g_strdup (json_string_member (object, message_names));
}

/* <ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>
 * (query), <Error><Code/><Message/><RequestId/></Error> (S3), and
 * <Response><Errors><Error>... which some services send. */
static void
parse_xml_error (DbtHttpResponse *response,
                 ServiceError    *service_error)
{
  g_autoptr(DbtXmlNode) root = NULL;
  DbtXmlNode *error_node;
  gsize len = 0;
  const char *data = g_bytes_get_data (response->body, &len);

  if (len == 0 || (root = dbt_xml_parse (data, len, NULL)) == NULL)
    return;

  if (g_strcmp0 (root->name, "Error") == 0)
    error_node = root;
  else if ((error_node = dbt_xml_find (root, "Error")) == NULL)
    error_node = dbt_xml_find (root, "Errors/Error");
  if (error_node == NULL)
    return;

  service_error->code = g_strdup (dbt_xml_find_text (error_node, "Code"));
  service_error->message = g_strdup (dbt_xml_find_text (error_node, "Message"));
  service_error->request_id = g_strdup (dbt_xml_find_text (error_node, "RequestId"));
  if (service_error->request_id == NULL)
    service_error->request_id = g_strdup (dbt_xml_find_text (root, "RequestId"));
  if (service_error->request_id == NULL)
    service_error->request_id = g_strdup (dbt_xml_find_text (root, "RequestID"));
}

/* What S3 means by a bodiless error status (HEAD requests). */
static const char *
s3_code_for_status (guint status)
{
  switch (status)
    {
    case 304: return "NotModified";
    case 400: return "BadRequest";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 412: return "PreconditionFailed";
    default:  return NULL;
    }
}

static void
set_auth_error (const DbtAwsConfig *config,
                const ServiceError *service_error,
                guint               status,
                GError            **error)
{
  const DbtCredentials *credentials = config->credentials;
  const char *code = service_error->code != NULL ? service_error->code : "HTTP 403";
  g_autofree char *message = g_strdup (service_error->message != NULL ? service_error->message
                                                                       : "no details given");
  const char *source = credentials->source != NULL ? credentials->source : "an unknown source";
  gboolean denied = g_strcmp0 (code, "AccessDenied") == 0 ||
                    g_strcmp0 (code, "AccessDeniedException") == 0 ||
                    g_strcmp0 (code, "AuthorizationError") == 0;

  /* "...is invalid." reads badly before "; check": drop the final stop. */
  g_strchomp (message);
  if (g_str_has_suffix (message, "."))
    message[strlen (message) - 1] = '\0';

  /* Name the key and where it came from, never the secret. */
  if (denied)
    dbt_aws_set_error (error, DBT_AWS_ERROR_AUTH, service_error->code, status,
                       service_error->request_id,
                       "access denied (%s): %s; the access key %s (from %s) "
                       "lacks the permission",
                       code, message, credentials->access_key_id, source);
  else
    dbt_aws_set_error (error, DBT_AWS_ERROR_AUTH, service_error->code, status,
                       service_error->request_id,
                       "the credentials were refused (%s): %s; check the access "
                       "key %s and its secret (from %s) and the region %s",
                       code, message, credentials->access_key_id, source,
                       config->region);
}

/* Turns a non-2xx response into a DBT_AWS_ERROR. */
static void
set_service_error (const DbtAwsConfig *config,
                   const AwsRequest   *request,
                   const Endpoint     *endpoint,
                   DbtHttpResponse    *response,
                   GError            **error)
{
  g_auto(ServiceError) service_error = { 0 };
  DbtAwsErrorCode code;

  if (request->error_format == ERRORS_IN_JSON)
    parse_json_error (response, &service_error);
  else
    parse_xml_error (response, &service_error);

  if (service_error.code == NULL && request->service == DBT_SERVICE_S3 &&
      g_bytes_get_size (response->body) == 0)
    service_error.code = g_strdup (s3_code_for_status (response->status));

  if (service_error.request_id == NULL)
    service_error.request_id = g_strdup (dbt_http_headers_get (response->headers, "x-amzn-RequestId"));
  if (service_error.request_id == NULL)
    service_error.request_id = g_strdup (dbt_http_headers_get (response->headers, "x-amz-request-id"));

  code = dbt_aws_error_code_classify (service_error.code, response->status);

  if (code == DBT_AWS_ERROR_AUTH)
    set_auth_error (config, &service_error, response->status, error);
  else if (service_error.code == NULL)
    {
      /* Not an AWS error document: say what came back instead. */
      g_autofree char *excerpt = body_excerpt (response->body);

      dbt_aws_set_error (error, code, NULL, response->status, service_error.request_id,
                         "HTTP %u from %s%s: %s", response->status, endpoint->origin,
                         looks_like_html (response->body) ? " (a web page, not an AWS response)" : "",
                         excerpt);
    }
  else
    dbt_aws_set_error (error, code, service_error.code, response->status,
                       service_error.request_id, "%s: %s", service_error.code,
                       service_error.message != NULL ? service_error.message
                                                     : "no message given");
}

/* --- the signed, retried exchange ---------------------------------------- */

static gboolean
endpoint_parse (const DbtAwsConfig *config,
                DbtService          service,
                Endpoint           *endpoint,
                GError            **error)
{
  const char *url = config->endpoint_urls[service];
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme, *host, *path;
  g_autofree char *host_part = NULL;
  int port;
  gboolean default_port;

  if (url == NULL || url[0] == '\0')
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "no endpoint URL for %s", dbt_service_signing_name (service));
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, &local_error);
  if (uri == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "invalid endpoint URL \"%s\": %s", url, local_error->message);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  path = g_uri_get_path (uri);
  port = g_uri_get_port (uri);
  if ((g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      host == NULL || host[0] == '\0' || g_uri_get_query (uri) != NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "invalid endpoint URL \"%s\": expected http(s)://host[:port][/path]",
                         url);
      return FALSE;
    }

  host_part = strchr (host, ':') != NULL ? g_strdup_printf ("[%s]", host) : g_strdup (host);
  /* SigV4 and the SDKs leave the scheme's default port out of Host. */
  default_port = port == -1 ||
                 (port == 80 && strcmp (scheme, "http") == 0) ||
                 (port == 443 && strcmp (scheme, "https") == 0);
  endpoint->host = default_port ? g_steal_pointer (&host_part)
                                : g_strdup_printf ("%s:%d", host_part, port);
  endpoint->origin = g_strdup_printf ("%s://%s", scheme, endpoint->host);
  endpoint->base = g_strdup (path);
  while (g_str_has_suffix (endpoint->base, "/"))
    endpoint->base[strlen (endpoint->base) - 1] = '\0';
  return TRUE;
}

/* Full jitter: uniform in [0, min(max, base * 2^retry)) — as botocore's
 * standard mode, which draws rand() * min(base * 2^i, cap). */
static guint
backoff_delay_ms (guint base_ms,
                  guint max_ms,
                  guint retry)
{
  guint64 ceiling = (guint64) base_ms << MIN (retry, 32u);

  ceiling = MIN (ceiling, (guint64) max_ms);
  if (ceiling == 0)
    return 0;
  return (guint) g_random_int_range (0, (gint32) MIN (ceiling, (guint64) G_MAXINT32));
}

/* Sleeps, waking early when cancelled. FALSE when cancelled. */
static gboolean
sleep_cancellable (guint          delay_ms,
                   GCancellable  *cancellable,
                   GError       **error)
{
  GPollFD pollfd;

  if (cancellable == NULL || !g_cancellable_make_pollfd (cancellable, &pollfd))
    {
      g_usleep ((gulong) delay_ms * 1000);
      return TRUE;
    }
  g_poll (&pollfd, 1, (gint) delay_ms);
  g_cancellable_release_fd (cancellable);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* One signed attempt. FALSE for transport failures; a response with any
 * status is TRUE. */
static gboolean
send_signed (const DbtAwsConfig *config,
             DbtHttpConnection  *connection,
             const AwsRequest   *request,
             const Endpoint     *endpoint,
             const char         *url,
             const CallSettings *settings,
             DbtHttpResponse    *response,
             GCancellable       *cancellable,
             GError            **error)
{
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  g_autofree char *amz_date = dbt_amz_date_format (g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *signed_path = g_strconcat (endpoint->base, request->path, NULL);
  DbtSigv4Request sign_request = { 0 };
  DbtSigv4Params params = { 0 };
  DbtSigv4Result result = { 0 };
  DbtHttpRequest http_request = { 0 };
  gsize body_len = 0;
  const guint8 *body_data = NULL;

  if (request->body != NULL)
    body_data = g_bytes_get_data (request->body, &body_len);

  dbt_http_headers_add (headers, "Host", endpoint->host);
  for (guint i = 0; request->headers != NULL && i < request->headers->len; i++)
    {
      const DbtHttpHeader *header = g_ptr_array_index (request->headers, i);

      dbt_http_headers_add (headers, header->name, header->value);
    }

  sign_request.method = request->method;
  sign_request.path = signed_path;
  sign_request.query = request->query;
  sign_request.headers = headers;
  sign_request.payload = body_data;
  sign_request.payload_len = body_len;
  params.credentials = config->credentials;
  params.region = config->region;
  params.service = dbt_service_signing_name (request->service);
  params.amz_date = amz_date;
  params.normalize_path = request->service != DBT_SERVICE_S3;
  params.add_content_sha256 = request->service == DBT_SERVICE_S3;

  if (!dbt_sigv4_sign_headers (&sign_request, &params, &result, error))
    return FALSE;

  for (guint i = 0; result.add_headers != NULL && i < result.add_headers->len; i++)
    {
      const DbtHttpHeader *header = g_ptr_array_index (result.add_headers, i);

      dbt_http_headers_add (headers, header->name, header->value);
    }
  dbt_http_headers_add (headers, "Authorization", result.authorization);
  /* Unsigned, so it may say who we are without changing the signature. */
  dbt_http_headers_add (headers, "User-Agent", "dbtrigger");
  dbt_sigv4_result_clear (&result);

  http_request.method = request->method;
  http_request.url = url;
  http_request.headers = headers;
  http_request.body = request->body;
  http_request.connect_timeout_ms = settings->connect_timeout_ms;
  http_request.timeout_ms = settings->timeout_ms;

  return dbt_http_connection_send (connection, &http_request, response, cancellable, error);
}

/* Sends @request, signed afresh for each attempt, retrying as the SDKs'
 * standard mode does. On success @response holds a 2xx response. */
static gboolean
send_with_retries (DbtAwsClient     *client,
                   const AwsRequest *request,
                   Endpoint         *endpoint,
                   DbtHttpResponse  *response,
                   GCancellable     *cancellable,
                   GError          **error)
{
  const DbtAwsConfig *config = client->config;
  g_autofree char *url = NULL;
  DbtHttpConnection *connection;
  CallSettings settings;
  gboolean ok = FALSE;

  g_private_set (&last_attempts, GUINT_TO_POINTER (0));

  if (config->credentials == NULL || config->region == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         config->credentials == NULL ? "no AWS credentials configured"
                                                     : "no AWS region configured");
      return FALSE;
    }
  if (!endpoint_parse (config, request->service, endpoint, error))
    return FALSE;

  url = g_strdup_printf ("%s%s%s%s%s", endpoint->origin, endpoint->base, request->path,
                         request->query != NULL ? "?" : "",
                         request->query != NULL ? request->query : "");

  g_mutex_lock (&client->lock);
  settings = client->settings;
  g_mutex_unlock (&client->lock);

  connection = borrow_connection (client);

  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) attempt_error = NULL;
      gboolean retryable;
      guint delay_ms;

      g_private_set (&last_attempts, GUINT_TO_POINTER (attempt));

      if (send_signed (config, connection, request, endpoint, url, &settings,
                       response, cancellable, &attempt_error))
        {
          if (response->status >= 200 && response->status < 300)
            {
              ok = TRUE;
              break;
            }
          set_service_error (config, request, endpoint, response, &attempt_error);
          retryable = dbt_aws_error_is_retryable (attempt_error);
          dbt_http_response_clear (response);
        }
      else
        {
          /* A transport failure: the SDKs retry any connection error,
           * timeout or connection closed mid-response (a truncated body);
           * not a cancellation, a bad URL or a request we could not sign. */
          retryable = attempt_error->domain == DBT_AWS_ERROR &&
                      attempt_error->code != DBT_AWS_ERROR_CONFIG &&
                      attempt_error->code != DBT_AWS_ERROR_INVALID_INPUT;
        }

      if (!retryable || attempt >= settings.max_attempts)
        {
          g_propagate_error (error, g_steal_pointer (&attempt_error));
          break;
        }

      delay_ms = backoff_delay_ms (settings.backoff_base_ms, settings.backoff_max_ms, attempt - 1);
      g_debug ("%s %s%s: attempt %u of %u failed (%s); retrying in %u ms",
               request->method, endpoint->origin, request->path, attempt, settings.max_attempts,
               attempt_error->message, delay_ms);
      if (!sleep_cancellable (delay_ms, cancellable, error))
        break;
    }

  return_connection (client, connection);
  return ok;
}

/* --- the protocols ------------------------------------------------------- */

JsonNode *
dbt_aws_client_call_json (DbtAwsClient *client,
                          DbtService    service,
                          const char   *target,
                          JsonNode     *request,
                          GCancellable *cancellable,
                          GError      **error)
{
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_auto(Endpoint) endpoint = { 0 };
  DbtHttpResponse response = { 0 };
  AwsRequest aws_request = { 0 };
  g_autoptr(GBytes) body = NULL;
  char *json;
  const char *data;
  gsize len;
  JsonNode *root = NULL;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (service < DBT_N_SERVICES, NULL);
  g_return_val_if_fail (target != NULL, NULL);

  json = request != NULL ? json_to_string (request, FALSE) : g_strdup ("{}");
  body = g_bytes_new_take (json, strlen (json));

  dbt_http_headers_add (headers, "Content-Type", JSON_1_0_CONTENT_TYPE);
  dbt_http_headers_add (headers, "X-Amz-Target", target);

  aws_request.service = service;
  aws_request.method = "POST";
  aws_request.path = "/";
  aws_request.headers = headers;
  aws_request.body = body;
  aws_request.error_format = ERRORS_IN_JSON;

  if (!send_with_retries (client, &aws_request, &endpoint, &response, cancellable, error))
    return NULL;

  data = g_bytes_get_data (response.body, &len);
  parser = json_parser_new_immutable ();
  if (len == 0)
    {
      root = json_node_new (JSON_NODE_OBJECT);   /* as botocore: {} */
      json_node_take_object (root, json_object_new ());
    }
  else if (!json_parser_load_from_data (parser, data, len, &parse_error))
    set_malformed_error (&endpoint, &response, "a JSON object", parse_error->message, error);
  else if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    set_malformed_error (&endpoint, &response, "a JSON object", "another JSON value", error);
  else
    root = json_parser_steal_root (parser);

  dbt_http_response_clear (&response);
  return root;
}

static void
append_form_pair (GString    *form,
                  const char *name,
                  const char *value)
{
  g_autofree char *name_escaped = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *value_escaped = g_uri_escape_string (value != NULL ? value : "", NULL, FALSE);

  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append_printf (form, "%s=%s", name_escaped, value_escaped);
}

DbtXmlNode *
dbt_aws_client_call_query (DbtAwsClient      *client,
                           DbtService         service,
                           const char        *action,
                           const char        *version,
                           const char *const *params,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_auto(Endpoint) endpoint = { 0 };
  DbtHttpResponse response = { 0 };
  AwsRequest aws_request = { 0 };
  GString *form = g_string_new (NULL);
  DbtXmlNode *root;
  const char *data;
  gsize len;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (service < DBT_N_SERVICES, NULL);
  g_return_val_if_fail (action != NULL && version != NULL, NULL);

  append_form_pair (form, "Action", action);
  append_form_pair (form, "Version", version);
  for (guint i = 0; params != NULL && params[i] != NULL; i += 2)
    {
      if (params[i + 1] == NULL)
        {
          g_string_free (form, TRUE);
          dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                             "query parameter %s has no value", params[i]);
          return NULL;
        }
      append_form_pair (form, params[i], params[i + 1]);
    }
  body = g_string_free_to_bytes (form);

  dbt_http_headers_add (headers, "Content-Type", QUERY_CONTENT_TYPE);

  aws_request.service = service;
  aws_request.method = "POST";
  aws_request.path = "/";
  aws_request.headers = headers;
  aws_request.body = body;
  aws_request.error_format = ERRORS_IN_XML;

  if (!send_with_retries (client, &aws_request, &endpoint, &response, cancellable, error))
    return NULL;

  data = g_bytes_get_data (response.body, &len);
  root = dbt_xml_parse (data != NULL ? data : "", len, &parse_error);
  if (root == NULL)
    set_malformed_error (&endpoint, &response, "an XML document", parse_error->message, error);

  dbt_http_response_clear (&response);
  return root;
}

GBytes *
dbt_aws_client_call_rest (DbtAwsClient *client,
                          DbtService    service,
                          const char   *method,
                          const char   *path,
                          const char   *query,
                          GPtrArray    *headers,
                          GBytes       *body,
                          GPtrArray   **response_headers,
                          GCancellable *cancellable,
                          GError      **error)
{
  g_auto(Endpoint) endpoint = { 0 };
  DbtHttpResponse response = { 0 };
  AwsRequest aws_request = { 0 };
  GBytes *result;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (service < DBT_N_SERVICES, NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);

  if (response_headers != NULL)
    *response_headers = NULL;

  aws_request.service = service;
  aws_request.method = method;
  aws_request.path = path;
  aws_request.query = query != NULL && query[0] != '\0' ? query : NULL;
  aws_request.headers = headers;
  aws_request.body = body;
  aws_request.error_format = service == DBT_SERVICE_S3 ? ERRORS_IN_XML : ERRORS_IN_JSON;

  if (!send_with_retries (client, &aws_request, &endpoint, &response, cancellable, error))
    return NULL;

  result = g_steal_pointer (&response.body);
  if (response_headers != NULL)
    *response_headers = g_steal_pointer (&response.headers);
  dbt_http_response_clear (&response);
  return result;
}
