/* dbt-runtime.c — the Lambda Runtime API client. */
#include "dbt-runtime.h"

#include <stdlib.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "dbt-error.h"
#include "dbt-http.h"

#define PATH_PREFIX "/" DBT_RUNTIME_API_VERSION "/runtime"

struct _DbtRuntime
{
  char              *address;
  char              *base_url;   /* "http://host:port/2018-06-01/runtime" */
  DbtHttpConnection *connection;
};

/* "host:port": a host without URL syntax in it and a port 1..65535. */
static gboolean
address_is_valid (const char *address)
{
  const char *colon = strrchr (address, ':');
  guint64 port = 0;

  if (colon == NULL || colon == address || colon[1] == '\0')
    return FALSE;
  if (strpbrk (address, "/?#@ \t\r\n") != NULL)
    return FALSE;
  if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
    return FALSE;
  return TRUE;
}

DbtRuntime *
dbt_runtime_new (const char  *api_address,
                 GError     **error)
{
  DbtRuntime *runtime;

  if (api_address == NULL || *api_address == '\0')
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "AWS_LAMBDA_RUNTIME_API is not set: this program runs as a "
                         "Lambda custom runtime (or under dbtrigger-local)");
      return NULL;
    }
  if (!address_is_valid (api_address))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "AWS_LAMBDA_RUNTIME_API “%s” is not host:port", api_address);
      return NULL;
    }

  runtime = g_new0 (DbtRuntime, 1);
  runtime->address = g_strdup (api_address);
  runtime->base_url = g_strconcat ("http://", api_address, PATH_PREFIX, NULL);
  runtime->connection = dbt_http_connection_new ();
  return runtime;
}

DbtRuntime *
dbt_runtime_new_from_environ (char *const *envp,
                              GError     **error)
{
  return dbt_runtime_new (g_environ_getenv ((char **) envp, "AWS_LAMBDA_RUNTIME_API"), error);
}

void
dbt_runtime_free (DbtRuntime *runtime)
{
  if (runtime == NULL)
    return;
  g_free (runtime->address);
  g_free (runtime->base_url);
  dbt_http_connection_free (runtime->connection);
  g_free (runtime);
}

const char *
dbt_runtime_get_address (DbtRuntime *runtime)
{
  g_return_val_if_fail (runtime != NULL, NULL);

  return runtime->address;
}

void
dbt_invocation_free (DbtInvocation *invocation)
{
  if (invocation == NULL)
    return;
  g_free (invocation->request_id);
  g_free (invocation->invoked_function_arn);
  g_free (invocation->trace_id);
  g_clear_pointer (&invocation->event, g_bytes_unref);
  g_free (invocation);
}

gint64
dbt_invocation_get_remaining_ms (const DbtInvocation *invocation,
                                 gint64               now_ms)
{
  g_return_val_if_fail (invocation != NULL, 0);

  if (invocation->deadline_ms <= 0)
    return G_MAXINT64;
  return invocation->deadline_ms - now_ms;
}

/* One exchange; FALSE on a transport failure or a status other than
 * @expected_status (the message quotes the start of the body). */
static gboolean
exchange (DbtRuntime      *runtime,
          const char      *method,
          const char      *path,
          GPtrArray       *headers,
          GBytes          *body,
          guint            expected_status,
          DbtHttpResponse *response,
          GError         **error)
{
  g_autofree char *url = g_strconcat (runtime->base_url, path, NULL);
  g_autoptr(GPtrArray) no_headers = NULL;
  DbtHttpRequest request = { 0 };

  if (headers == NULL)
    headers = no_headers = dbt_http_headers_new ();

  request.method = method;
  request.url = url;
  request.headers = headers;
  request.body = body;
  /* No timeout: Lambda freezes the environment between invocations, so a
   * next may legitimately wait for a very long time. */
  request.connect_timeout_ms = 0;
  request.timeout_ms = 0;

  if (!dbt_http_connection_send (runtime->connection, &request, response, NULL, error))
    return FALSE;

  if (response->status != expected_status)
    {
      gsize len = 0;
      const char *data = response->body != NULL ? g_bytes_get_data (response->body, &len) : NULL;
      g_autofree char *excerpt = g_strndup (data != NULL ? data : "", MIN (len, 200));
      guint status = response->status;

      dbt_http_response_clear (response);
      dbt_aws_set_error (error, status >= 500 ? DBT_AWS_ERROR_SERVER : DBT_AWS_ERROR_CLIENT,
                         NULL, status, NULL,
                         "Runtime API %s %s answered HTTP %u (expected %u)%s%s",
                         method, path, status, expected_status,
                         *excerpt != '\0' ? ": " : "", excerpt);
      return FALSE;
    }
  return TRUE;
}

/* "/invocation/ID/WHAT", the id percent-encoded should it hold URL syntax. */
static char *
invocation_path (const char *request_id,
                 const char *what)
{
  g_autofree char *escaped = g_uri_escape_string (request_id, NULL, FALSE);

  return g_strdup_printf ("/invocation/%s/%s", escaped, what);
}

DbtInvocation *
dbt_runtime_next (DbtRuntime  *runtime,
                  GError     **error)
{
  DbtHttpResponse response = { 0 };
  g_autoptr(DbtInvocation) invocation = NULL;
  const char *request_id, *deadline, *trace_id;

  g_return_val_if_fail (runtime != NULL, NULL);

  if (!exchange (runtime, "GET", "/invocation/next", NULL, NULL, 200, &response, error))
    return NULL;

  request_id = dbt_http_headers_get (response.headers, "Lambda-Runtime-Aws-Request-Id");
  if (request_id == NULL || *request_id == '\0')
    {
      dbt_http_response_clear (&response);
      dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 200, NULL,
                         "Runtime API next answered without a Lambda-Runtime-Aws-Request-Id");
      return NULL;
    }

  invocation = g_new0 (DbtInvocation, 1);
  invocation->request_id = g_strdup (request_id);
  deadline = dbt_http_headers_get (response.headers, "Lambda-Runtime-Deadline-Ms");
  if (deadline != NULL)
    {
      guint64 value = 0;

      if (g_ascii_string_to_unsigned (deadline, 10, 0, G_MAXINT64, &value, NULL))
        invocation->deadline_ms = (gint64) value;
    }
  invocation->invoked_function_arn =
    g_strdup (dbt_http_headers_get (response.headers, "Lambda-Runtime-Invoked-Function-Arn"));
  trace_id = dbt_http_headers_get (response.headers, "Lambda-Runtime-Trace-Id");
  invocation->trace_id = g_strdup (trace_id);
  invocation->event = response.body != NULL ? g_bytes_ref (response.body) : g_bytes_new (NULL, 0);
  dbt_http_response_clear (&response);

  /* The X-Ray SDKs read the trace header from here. */
  if (trace_id != NULL)
    g_setenv ("_X_AMZN_TRACE_ID", invocation->trace_id, TRUE);
  else
    g_unsetenv ("_X_AMZN_TRACE_ID");

  return g_steal_pointer (&invocation);
}

gboolean
dbt_runtime_respond (DbtRuntime  *runtime,
                     const char  *request_id,
                     const char  *body,
                     gsize        body_len,
                     GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  DbtHttpResponse response = { 0 };

  g_return_val_if_fail (runtime != NULL, FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  path = invocation_path (request_id, "response");
  bytes = g_bytes_new (body, body_len);
  dbt_http_headers_add (headers, "Content-Type", "application/json");
  if (!exchange (runtime, "POST", path, headers, bytes, 202, &response, error))
    return FALSE;
  dbt_http_response_clear (&response);
  return TRUE;
}

char *
dbt_runtime_render_error (const char *error_type,
                          const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "errorMessage");
  json_builder_add_string_value (builder, message != NULL ? message : "");
  json_builder_set_member_name (builder, "errorType");
  json_builder_add_string_value (builder, error_type != NULL ? error_type : "Runtime.Unknown");
  json_builder_set_member_name (builder, "stackTrace");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static gboolean
post_error (DbtRuntime  *runtime,
            const char  *path,
            const char  *error_type,
            const char  *message,
            GError     **error)
{
  g_autofree char *document = dbt_runtime_render_error (error_type, message);
  gsize len = strlen (document);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&document), len);
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  DbtHttpResponse response = { 0 };

  dbt_http_headers_add (headers, "Content-Type", "application/json");
  dbt_http_headers_add (headers, "Lambda-Runtime-Function-Error-Type",
                        error_type != NULL ? error_type : "Runtime.Unknown");
  if (!exchange (runtime, "POST", path, headers, bytes, 202, &response, error))
    return FALSE;
  dbt_http_response_clear (&response);
  return TRUE;
}

gboolean
dbt_runtime_report_error (DbtRuntime  *runtime,
                          const char  *request_id,
                          const char  *error_type,
                          const char  *message,
                          GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (runtime != NULL, FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  path = invocation_path (request_id, "error");
  return post_error (runtime, path, error_type, message, error);
}

gboolean
dbt_runtime_report_init_error (DbtRuntime  *runtime,
                               const char  *error_type,
                               const char  *message,
                               GError     **error)
{
  g_return_val_if_fail (runtime != NULL, FALSE);

  return post_error (runtime, "/init/error", error_type, message, error);
}
