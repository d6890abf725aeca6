/* dbt-http.c — one HTTP/1.1 exchange over libcurl.
 *
 * Each connection owns an easy handle and a multi handle. The multi handle
 * keeps the connection cache (keep-alive across calls) and lets a
 * GCancellable wake the transfer at once with curl_multi_wakeup(), instead
 * of waiting for the next progress callback.
 */
#include "dbt-http.h"

#include <curl/curl.h>
#include <errno.h>
#include <string.h>

#include "dbt-error.h"
#include "dbt-http-private.h"

#define MAX_BODY_SIZE DBT_HTTP_MAX_BODY_SIZE

struct _DbtHttpConnection
{
  CURL  *easy;
  CURLM *multi;
  char   error_buffer[CURL_ERROR_SIZE];
};

typedef struct
{
  DbtHttpResponse *response;
  GByteArray      *body;
  GCancellable    *cancellable;
  gboolean         too_large;
} Transfer;

static gpointer
global_init (gpointer data)
{
  CURLcode code = curl_global_init (CURL_GLOBAL_DEFAULT);

  return GINT_TO_POINTER (code == CURLE_OK);
}

DbtHttpConnection *
dbt_http_connection_new (void)
{
  static GOnce once = G_ONCE_INIT;
  DbtHttpConnection *connection;

  if (!GPOINTER_TO_INT (g_once (&once, global_init, NULL)))
    g_error ("libcurl could not be initialised");

  connection = g_new0 (DbtHttpConnection, 1);
  connection->easy = curl_easy_init ();
  connection->multi = curl_multi_init ();
  if (connection->easy == NULL || connection->multi == NULL)
    g_error ("libcurl could not allocate a handle");
  return connection;
}

void
dbt_http_connection_free (DbtHttpConnection *connection)
{
  if (connection == NULL)
    return;
  curl_easy_cleanup (connection->easy);
  curl_multi_cleanup (connection->multi);
  g_free (connection);
}

static size_t
on_body (char   *data,
         size_t  size,
         size_t  nmemb,
         void   *user_data)
{
  Transfer *transfer = user_data;
  gsize len = size * nmemb;

  if (transfer->body->len + len > MAX_BODY_SIZE)
    {
      transfer->too_large = TRUE;
      return 0;   /* makes curl fail with CURLE_WRITE_ERROR */
    }
  g_byte_array_append (transfer->body, (const guint8 *) data, len);
  return len;
}

static size_t
on_header (char   *data,
           size_t  size,
           size_t  nmemb,
           void   *user_data)
{
  Transfer *transfer = user_data;
  gsize len = size * nmemb;
  g_autofree char *line = g_strndup (data, len);
  char *colon;

  /* A status line starts a new response (after "100 Continue" or an
   * intermediate one): keep only the last response's headers. */
  if (g_str_has_prefix (line, "HTTP/"))
    {
      g_ptr_array_set_size (transfer->response->headers, 0);
      return len;
    }

  colon = strchr (line, ':');
  if (colon != NULL)
    {
      *colon = '\0';
      dbt_http_headers_add (transfer->response->headers,
                            g_strstrip (line), g_strstrip (colon + 1));
    }
  return len;
}

static int
on_progress (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  Transfer *transfer = user_data;

  return g_cancellable_is_cancelled (transfer->cancellable) ? 1 : 0;
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  curl_multi_wakeup (user_data);
}

static struct curl_slist *
build_header_list (const DbtHttpRequest *request)
{
  struct curl_slist *list = NULL;
  gboolean has_content_type = FALSE;

  for (guint i = 0; request->headers != NULL && i < request->headers->len; i++)
    {
      const DbtHttpHeader *header = g_ptr_array_index (request->headers, i);
      g_autofree char *line = NULL;

      /* curl drops "Name:" (it means "remove"); "Name;" sends it empty. */
      if (header->value == NULL || header->value[0] == '\0')
        line = g_strdup_printf ("%s;", header->name);
      else
        line = g_strdup_printf ("%s: %s", header->name, header->value);
      list = curl_slist_append (list, line);
      if (g_ascii_strcasecmp (header->name, "Content-Type") == 0)
        has_content_type = TRUE;
    }

  /* No "Expect: 100-continue" round trip before a body, no default
   * form Content-Type curl would add to a body sent without one, and no
   * "Accept: * / *": only what was signed, plus framing. */
  list = curl_slist_append (list, "Expect:");
  list = curl_slist_append (list, "Accept:");
  if (!has_content_type)
    list = curl_slist_append (list, "Content-Type:");
  return list;
}

/* The CA bundle to use when libcurl's built-in one is missing (see
 * dbt_http_find_ca_bundle()): libcurl would otherwise fail every TLS
 * connection. NULL: libcurl's own default is there. */
static gpointer
find_ca_bundle (gpointer data)
{
  const curl_version_info_data *info = curl_version_info (CURLVERSION_NOW);

  return dbt_http_find_ca_bundle (info->cainfo);
}

static void
set_request_options (DbtHttpConnection    *connection,
                     const DbtHttpRequest *request,
                     struct curl_slist    *header_list,
                     Transfer             *transfer)
{
  CURL *easy = connection->easy;
  const char *method = request->method != NULL ? request->method : "GET";
  gsize body_len = 0;
  gconstpointer body_data = NULL;

  if (request->body != NULL)
    body_data = g_bytes_get_data (request->body, &body_len);

  curl_easy_reset (easy);   /* keeps the live connections */
  connection->error_buffer[0] = '\0';
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, connection->error_buffer);
  curl_easy_setopt (easy, CURLOPT_URL, request->url);
  /* Send the path exactly as signed: S3 keys may hold "./" and "../". */
  curl_easy_setopt (easy, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_1_1);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 2L);
  {
    static GOnce ca_once = G_ONCE_INIT;
    const char *ca_bundle = g_once (&ca_once, find_ca_bundle, NULL);

    if (ca_bundle != NULL)
      curl_easy_setopt (easy, CURLOPT_CAINFO, ca_bundle);
  }
  curl_easy_setopt (easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, (long) request->connect_timeout_ms);
  curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, (long) request->timeout_ms);
  curl_easy_setopt (easy, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, transfer);
  curl_easy_setopt (easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt (easy, CURLOPT_HEADERDATA, transfer);
  curl_easy_setopt (easy, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt (easy, CURLOPT_XFERINFODATA, transfer);
  curl_easy_setopt (easy, CURLOPT_NOPROGRESS, 0L);

  if (g_ascii_strcasecmp (method, "HEAD") == 0)
    curl_easy_setopt (easy, CURLOPT_NOBODY, 1L);
  else if (g_ascii_strcasecmp (method, "GET") == 0 && body_len == 0)
    curl_easy_setopt (easy, CURLOPT_HTTPGET, 1L);
  else
    {
      /* Any other method, or a body: send the bytes as they are (the
       * signature covers them), under the method asked for. */
      if (body_len > 0 || g_ascii_strcasecmp (method, "POST") == 0 ||
          g_ascii_strcasecmp (method, "PUT") == 0)
        {
          curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) body_len);
          curl_easy_setopt (easy, CURLOPT_POSTFIELDS, body_len > 0 ? body_data : "");
        }
      if (g_ascii_strcasecmp (method, "POST") != 0)
        curl_easy_setopt (easy, CURLOPT_CUSTOMREQUEST, method);
    }
}

static const char *
curl_reason (DbtHttpConnection *connection,
             CURLcode           code)
{
  return connection->error_buffer[0] != '\0' ? connection->error_buffer
                                              : curl_easy_strerror (code);
}

static void
set_transport_error (DbtHttpConnection    *connection,
                     const DbtHttpRequest *request,
                     CURLcode              code,
                     Transfer             *transfer,
                     GError              **error)
{
  g_autofree char *origin = dbt_http_url_origin (request->url);
  long os_errno = 0;

  curl_easy_getinfo (connection->easy, CURLINFO_OS_ERRNO, &os_errno);

  switch ((int) code)  /* a handful of the ~100 CURLcodes */
    {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "invalid endpoint URL \"%s\": %s",
                         request->url, curl_reason (connection, code));
      break;

    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      {
        g_autofree char *host = dbt_http_url_host (request->url);

        dbt_aws_set_error (error, DBT_AWS_ERROR_CONNECT, NULL, 0, NULL,
                           "cannot connect to %s: unknown host \"%s\"",
                           origin, host);
      }
      break;

    case CURLE_COULDNT_CONNECT:
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONNECT, NULL, 0, NULL,
                         "cannot connect to %s: %s", origin,
                         os_errno != 0 ? g_strerror ((int) os_errno)
                                       : curl_reason (connection, code));
      break;

    case CURLE_OPERATION_TIMEDOUT:
      dbt_aws_set_error (error, DBT_AWS_ERROR_TIMEOUT, NULL, 0, NULL,
                         "%s did not answer in time: %s",
                         origin, curl_reason (connection, code));
      break;

    case CURLE_PARTIAL_FILE:
      dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                         "truncated response from %s: %s",
                         origin, curl_reason (connection, code));
      break;

    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
      dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                         "%s did not answer in HTTP: %s",
                         origin, curl_reason (connection, code));
      break;

    case CURLE_WRITE_ERROR:
      if (transfer->too_large)
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                             "response from %s is larger than %u bytes",
                             origin, MAX_BODY_SIZE);
          break;
        }
      G_GNUC_FALLTHROUGH;

    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    default:
      /* TLS failures, a connection closed before any answer, resets. */
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONNECT, NULL, 0, NULL,
                         "connection to %s failed: %s",
                         origin, curl_reason (connection, code));
      break;
    }
}

/* Drives the transfer on the connection's multi handle; returns the
 * transfer's result, or CURLE_ABORTED_BY_CALLBACK when cancelled. */
static CURLcode
perform (DbtHttpConnection *connection,
         GCancellable      *cancellable)
{
  CURLcode result = CURLE_ABORTED_BY_CALLBACK;
  gulong handler_id = 0;
  CURLMcode mcode;
  int running = 1;

  mcode = curl_multi_add_handle (connection->multi, connection->easy);
  if (mcode != CURLM_OK)
    return CURLE_OUT_OF_MEMORY;

  if (cancellable != NULL)
    handler_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                        connection->multi, NULL);

  while (running && !g_cancellable_is_cancelled (cancellable))
    {
      mcode = curl_multi_perform (connection->multi, &running);
      if (mcode == CURLM_OK && running)
        mcode = curl_multi_poll (connection->multi, NULL, 0, 1000, NULL);
      if (mcode != CURLM_OK)
        {
          result = CURLE_RECV_ERROR;
          break;
        }
    }

  if (!running)
    {
      CURLMsg *msg;
      int queued;

      while ((msg = curl_multi_info_read (connection->multi, &queued)) != NULL)
        if (msg->msg == CURLMSG_DONE && msg->easy_handle == connection->easy)
          result = msg->data.result;
    }

  g_cancellable_disconnect (cancellable, handler_id);
  curl_multi_remove_handle (connection->multi, connection->easy);
  return result;
}

gboolean
dbt_http_connection_send (DbtHttpConnection    *connection,
                          const DbtHttpRequest *request,
                          DbtHttpResponse      *response,
                          GCancellable         *cancellable,
                          GError              **error)
{
  struct curl_slist *header_list;
  Transfer transfer = { 0 };
  CURLcode code;
  long status = 0;

  g_return_val_if_fail (connection != NULL, FALSE);
  g_return_val_if_fail (request != NULL && request->url != NULL, FALSE);
  g_return_val_if_fail (response != NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  response->status = 0;
  response->headers = dbt_http_headers_new ();
  response->body = NULL;
  transfer.response = response;
  transfer.body = g_byte_array_new ();
  transfer.cancellable = cancellable;

  header_list = build_header_list (request);
  set_request_options (connection, request, header_list, &transfer);
  code = perform (connection, cancellable);
  curl_slist_free_all (header_list);

  if (code != CURLE_OK)
    {
      g_byte_array_unref (transfer.body);
      dbt_http_response_clear (response);
      if (code == CURLE_ABORTED_BY_CALLBACK &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      set_transport_error (connection, request, code, &transfer, error);
      return FALSE;
    }

  curl_easy_getinfo (connection->easy, CURLINFO_RESPONSE_CODE, &status);
  response->status = (guint) status;
  response->body = g_byte_array_free_to_bytes (transfer.body);
  return TRUE;
}
