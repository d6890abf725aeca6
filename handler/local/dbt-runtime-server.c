/* dbt-runtime-server.c — the Lambda Runtime API on loopback. */
#include "dbt-runtime-server.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define API_PREFIX "/2018-06-01/runtime/"
#define MAX_HEADER_LINES 100

typedef enum
{
  STATE_QUEUED,
  STATE_TAKEN,
  STATE_DONE,
} InvocationState;

typedef struct
{
  InvocationState      state;
  GBytes              *event;
  guint                timeout_ms;
  gint64               taken_at_us;     /* monotonic */
  DbtInvocationResult *result;
} Invocation;

struct _DbtRuntimeServer
{
  GSocketService *service;
  guint16         port;
  char           *function_arn;

  GMutex          invoke_lock;    /* one invocation at a time */
  GMutex          lock;           /* everything below */
  GCond           cond;
  Invocation     *current;
  guint           generation;     /* bumped by reset: older connections stop waiting */
  gboolean        stopping;
  char           *pending_init_error;
  guint           active_connections;
};

typedef struct
{
  char     *method;
  char     *path;
  gboolean  close;
  gint64    content_length;
  gboolean  chunked;
  char     *error_type_header;
  GBytes   *body;
  gboolean  too_large;
} Request;

static void
request_clear (Request *request)
{
  g_clear_pointer (&request->method, g_free);
  g_clear_pointer (&request->path, g_free);
  g_clear_pointer (&request->error_type_header, g_free);
  g_clear_pointer (&request->body, g_bytes_unref);
}

void
dbt_invocation_result_free (DbtInvocationResult *result)
{
  if (result == NULL)
    return;
  g_free (result->request_id);
  g_clear_pointer (&result->payload, g_bytes_unref);
  g_free (result->error_type);
  g_free (result->error_message);
  g_free (result);
}

/* --- HTTP ------------------------------------------------------------- */

static gboolean
read_chunked (GDataInputStream *input,
              GByteArray       *body,
              GCancellable     *cancellable,
              GError          **error)
{
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (input, NULL, cancellable, error);
      guint64 size;
      gsize got;
      guint old_len = body->len;

      if (line == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "chunked body cut short");
          return FALSE;
        }
      size = g_ascii_strtoull (line, NULL, 16);
      if (size == 0)
        {
          /* Trailers, up to the blank line. */
          for (;;)
            {
              g_autofree char *trailer = g_data_input_stream_read_line (input, NULL, cancellable, error);

              if (trailer == NULL)
                return FALSE;
              if (*g_strstrip (trailer) == '\0')
                return TRUE;
            }
        }
      if (body->len + size > DBT_RUNTIME_MAX_RESPONSE_BYTES + 1)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "body too large");
          return FALSE;
        }
      g_byte_array_set_size (body, old_len + size);
      if (!g_input_stream_read_all (G_INPUT_STREAM (input), body->data + old_len, size, &got, cancellable, error))
        return FALSE;
      if (got != size)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "chunk cut short");
          return FALSE;
        }
      g_free (g_data_input_stream_read_line (input, NULL, cancellable, NULL));  /* CRLF after the chunk */
    }
}

/* FALSE at the end of the connection or on a broken request. */
static gboolean
read_request (GDataInputStream *input,
              Request          *request,
              GError          **error)
{
  g_autofree char *request_line = NULL;
  g_auto(GStrv) parts = NULL;

  do
    {
      g_clear_pointer (&request_line, g_free);
      request_line = g_data_input_stream_read_line (input, NULL, NULL, error);
      if (request_line == NULL)
        return FALSE;
    }
  while (*g_strstrip (request_line) == '\0');

  parts = g_strsplit (request_line, " ", 3);
  if (g_strv_length (parts) != 3 || !g_str_has_prefix (parts[2], "HTTP/1."))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad request line");
      return FALSE;
    }
  request->method = g_strdup (parts[0]);
  request->path = g_strdup (parts[1]);
  request->close = g_str_equal (parts[2], "HTTP/1.0");
  request->content_length = 0;

  for (guint n = 0;; n++)
    {
      g_autofree char *line = g_data_input_stream_read_line (input, NULL, NULL, error);
      char *colon;
      const char *value;

      if (line == NULL || n > MAX_HEADER_LINES)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad headers");
          return FALSE;
        }
      g_strstrip (line);
      if (*line == '\0')
        break;
      colon = strchr (line, ':');
      if (colon == NULL)
        continue;
      *colon = '\0';
      value = g_strstrip (colon + 1);
      if (g_ascii_strcasecmp (line, "Content-Length") == 0)
        request->content_length = g_ascii_strtoll (value, NULL, 10);
      else if (g_ascii_strcasecmp (line, "Transfer-Encoding") == 0)
        request->chunked = g_ascii_strcasecmp (value, "chunked") == 0;
      else if (g_ascii_strcasecmp (line, "Connection") == 0)
        request->close = g_ascii_strcasecmp (value, "close") == 0;
      else if (g_ascii_strcasecmp (line, "Lambda-Runtime-Function-Error-Type") == 0)
        request->error_type_header = g_strdup (value);
    }

  if (request->chunked)
    {
      g_autoptr(GByteArray) body = g_byte_array_new ();
      g_autoptr(GError) local_error = NULL;

      if (!read_chunked (input, body, NULL, &local_error))
        {
          if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          request->too_large = TRUE;
          request->close = TRUE;
        }
      request->body = g_byte_array_free_to_bytes (g_steal_pointer (&body));
    }
  else if (request->content_length > DBT_RUNTIME_MAX_RESPONSE_BYTES)
    {
      /* Not read: answered with 413 and the connection closed. */
      request->too_large = TRUE;
      request->close = TRUE;
      request->body = g_bytes_new (NULL, 0);
    }
  else
    {
      g_autofree guint8 *data = g_malloc (request->content_length + 1);
      gsize got = 0;

      if (request->content_length > 0 &&
          (!g_input_stream_read_all (G_INPUT_STREAM (input), data, request->content_length, &got, NULL, error) ||
           got != (gsize) request->content_length))
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "body cut short");
          return FALSE;
        }
      request->body = g_bytes_new_take (g_steal_pointer (&data), got);
    }
  return TRUE;
}

static const char *
status_text (guint status)
{
  switch (status)
    {
    case 200: return "OK";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 413: return "Payload Too Large";
    case 500: return "Internal Server Error";
    default: return "Unknown";
    }
}

static gboolean
write_response (GOutputStream *output,
                guint          status,
                const char    *extra_headers,   /* "Name: value\r\n"... or NULL */
                GBytes        *body,
                gboolean       close)
{
  g_autoptr(GString) head = g_string_new (NULL);
  gsize len = body != NULL ? g_bytes_get_size (body) : 0;

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", status, status_text (status));
  g_string_append (head, "Content-Type: application/json\r\n");
  g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n", len);
  if (close)
    g_string_append (head, "Connection: close\r\n");
  if (extra_headers != NULL)
    g_string_append (head, extra_headers);
  g_string_append (head, "\r\n");
  if (!g_output_stream_write_all (output, head->str, head->len, NULL, NULL, NULL))
    return FALSE;
  if (len > 0 && !g_output_stream_write_all (output, g_bytes_get_data (body, NULL), len, NULL, NULL, NULL))
    return FALSE;
  return g_output_stream_flush (output, NULL, NULL);
}

static GBytes *
json_message (const char *error_type,
              const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_begin_object (builder);
  if (error_type != NULL)
    {
      json_builder_set_member_name (builder, "errorMessage");
      json_builder_add_string_value (builder, message);
      json_builder_set_member_name (builder, "errorType");
      json_builder_add_string_value (builder, error_type);
    }
  else
    {
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, message);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

/* --- invocations ---------------------------------------------------- */

static char *
trace_id (void)
{
  g_autofree char *a = g_uuid_string_random ();
  g_autofree char *b = g_uuid_string_random ();
  g_autofree char *root = NULL;

  /* Root=1-<epoch seconds, 8 hex>-<24 hex>;Parent=<16 hex>;Sampled=0 */
  root = g_strdup_printf ("%.8s%.4s%.12s", a, a + 9, a + 24);
  return g_strdup_printf ("Root=1-%08x-%s;Parent=%.8s%.8s;Sampled=0",
                          (guint) (g_get_real_time () / G_USEC_PER_SEC), root, b, b + 24);
}

/* With server->lock held. */
static void
finish_current (DbtRuntimeServer   *server,
                DbtInvocationStatus status,
                GBytes             *payload,
                const char         *error_type,
                const char         *error_message)
{
  Invocation *invocation = server->current;

  if (invocation == NULL || invocation->state == STATE_DONE)
    return;
  invocation->state = STATE_DONE;
  invocation->result->status = status;
  invocation->result->payload = payload != NULL ? g_bytes_ref (payload) : NULL;
  invocation->result->error_type = g_strdup (error_type);
  invocation->result->error_message = g_strdup (error_message);
  if (invocation->taken_at_us > 0)
    invocation->result->duration_ms = (g_get_monotonic_time () - invocation->taken_at_us) / 1000;
  g_cond_broadcast (&server->cond);
}

static void
read_error_body (GBytes *body,
                 char  **error_type,
                 char  **error_message)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root;

  if (len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  *error_type = g_strdup (json_object_get_string_member_with_default (json_node_get_object (root), "errorType", NULL));
  *error_message = g_strdup (json_object_get_string_member_with_default (json_node_get_object (root), "errorMessage", NULL));
}

/* GET next: blocks; FALSE when the connection should close instead. */
static gboolean
serve_next (DbtRuntimeServer *server,
            GOutputStream    *output,
            guint             connection_generation,
            gboolean          close)
{
  Invocation *invocation;
  g_autofree char *headers = NULL;
  g_autofree char *trace = trace_id ();
  g_autoptr(GBytes) event = NULL;

  g_mutex_lock (&server->lock);
  while (!server->stopping && server->generation == connection_generation &&
         (server->current == NULL || server->current->state != STATE_QUEUED))
    g_cond_wait (&server->cond, &server->lock);
  if (server->stopping || server->generation != connection_generation)
    {
      g_mutex_unlock (&server->lock);
      return FALSE;
    }
  invocation = server->current;
  invocation->state = STATE_TAKEN;
  invocation->taken_at_us = g_get_monotonic_time ();
  event = g_bytes_ref (invocation->event);
  headers = g_strdup_printf ("Lambda-Runtime-Aws-Request-Id: %s\r\n"
                             "Lambda-Runtime-Deadline-Ms: %" G_GINT64_FORMAT "\r\n"
                             "Lambda-Runtime-Invoked-Function-Arn: %s\r\n"
                             "Lambda-Runtime-Trace-Id: %s\r\n",
                             invocation->result->request_id,
                             g_get_real_time () / 1000 + invocation->timeout_ms,
                             server->function_arn, trace);
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);

  if (write_response (output, 200, headers, event, close))
    return TRUE;

  /* The runtime went away before it got the event: hand it to the next. */
  g_mutex_lock (&server->lock);
  if (server->current == invocation && invocation->state == STATE_TAKEN)
    {
      invocation->state = STATE_QUEUED;
      invocation->taken_at_us = 0;
      g_cond_broadcast (&server->cond);
    }
  g_mutex_unlock (&server->lock);
  return FALSE;
}

/* POST invocation/<id>/response|error: the status to answer. */
static guint
serve_outcome (DbtRuntimeServer *server,
               const char       *request_id,
               gboolean          is_error,
               Request          *request,
               GBytes          **reply)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&server->lock);
  Invocation *invocation = server->current;

  if (invocation == NULL || invocation->state != STATE_TAKEN ||
      g_strcmp0 (invocation->result->request_id, request_id) != 0)
    {
      *reply = json_message ("InvalidRequestID", "Invalid request ID");
      return 400;
    }
  if (request->too_large)
    {
      finish_current (server, DBT_INVOCATION_FUNCTION_ERROR, NULL, "Function.ResponseSizeTooLarge",
                      "Response payload size exceeded maximum allowed payload size (6291556 bytes).");
      *reply = json_message ("RequestEntityTooLarge", "Exceeded maximum allowed payload size (6291556 bytes).");
      return 413;
    }
  if (is_error)
    {
      g_autofree char *error_type = NULL;
      g_autofree char *error_message = NULL;

      read_error_body (request->body, &error_type, &error_message);
      finish_current (server, DBT_INVOCATION_FUNCTION_ERROR, request->body,
                      request->error_type_header != NULL ? request->error_type_header
                        : error_type != NULL ? error_type : "Unhandled",
                      error_message != NULL ? error_message : "");
    }
  else
    finish_current (server, DBT_INVOCATION_SUCCEEDED, request->body, NULL, NULL);
  *reply = json_message (NULL, "OK");
  return 202;
}

static guint
serve_init_error (DbtRuntimeServer *server,
                  Request          *request,
                  GBytes          **reply)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&server->lock);
  g_autofree char *error_type = NULL;
  g_autofree char *error_message = NULL;
  g_autofree char *text = NULL;

  read_error_body (request->body, &error_type, &error_message);
  text = g_strdup_printf ("%s: %s", error_type != NULL ? error_type : "Runtime.InitError",
                          error_message != NULL ? error_message : "init failed");
  if (server->current != NULL && server->current->state != STATE_DONE)
    {
      server->current->result->init_failed = TRUE;
      finish_current (server, DBT_INVOCATION_FUNCTION_ERROR, request->body,
                      request->error_type_header != NULL ? request->error_type_header : "Runtime.InitError",
                      text);
    }
  else
    {
      g_free (server->pending_init_error);
      server->pending_init_error = g_steal_pointer (&text);
    }
  *reply = json_message (NULL, "OK");
  return 202;
}

static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source_object,
        gpointer                user_data)
{
  DbtRuntimeServer *server = user_data;
  g_autoptr(GDataInputStream) input =
    g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  guint generation;

  g_data_input_stream_set_newline_type (input, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (input), FALSE);
  g_mutex_lock (&server->lock);
  generation = server->generation;
  server->active_connections++;
  g_mutex_unlock (&server->lock);

  for (;;)
    {
      Request request = { 0 };
      g_autoptr(GBytes) reply = NULL;
      guint status = 404;
      const char *route;
      gboolean keep_going;

      if (!read_request (input, &request, NULL))
        {
          request_clear (&request);
          break;
        }
      route = g_str_has_prefix (request.path, API_PREFIX) ? request.path + strlen (API_PREFIX) : NULL;

      if (route != NULL && g_str_equal (request.method, "GET") && g_str_equal (route, "invocation/next"))
        {
          keep_going = serve_next (server, output, generation, request.close) && !request.close;
          request_clear (&request);
          if (!keep_going)
            break;
          continue;
        }

      if (route != NULL && g_str_equal (request.method, "POST") && g_str_has_prefix (route, "invocation/"))
        {
          const char *id = route + strlen ("invocation/");
          const char *slash = strchr (id, '/');

          if (slash != NULL && (g_str_equal (slash, "/response") || g_str_equal (slash, "/error")))
            {
              g_autofree char *request_id = g_strndup (id, slash - id);

              status = serve_outcome (server, request_id, g_str_equal (slash, "/error"), &request, &reply);
            }
        }
      else if (route != NULL && g_str_equal (request.method, "POST") && g_str_equal (route, "init/error"))
        status = serve_init_error (server, &request, &reply);

      if (status == 404)
        reply = json_message ("NotFound", "no such Runtime API route");
      keep_going = write_response (output, status, NULL, reply, request.close) && !request.close;
      request_clear (&request);
      if (!keep_going)
        break;
    }
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_mutex_lock (&server->lock);
  server->active_connections--;
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);
  return TRUE;
}

/* --- public ----------------------------------------------------------- */

DbtRuntimeServer *
dbt_runtime_server_new (const char *function_arn,
                        GError    **error)
{
  DbtRuntimeServer *server = g_new0 (DbtRuntimeServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_mutex_init (&server->invoke_lock);
  g_mutex_init (&server->lock);
  g_cond_init (&server->cond);
  server->function_arn = g_strdup (function_arn);
  /* Threads: the runtime's connection(s), plus stale ones closing. */
  server->service = g_threaded_socket_service_new (16);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &bound, error))
    {
      dbt_runtime_server_free (server);
      return NULL;
    }
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (server->service, "run", G_CALLBACK (on_run), server);
  g_socket_service_start (server->service);
  return server;
}

void
dbt_runtime_server_free (DbtRuntimeServer *server)
{
  gint64 deadline;
  gboolean idle;

  if (server == NULL)
    return;
  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));

  g_mutex_lock (&server->lock);
  server->stopping = TRUE;
  finish_current (server, DBT_INVOCATION_CANCELLED, NULL, "Runtime.Shutdown", "the runner is stopping");
  g_cond_broadcast (&server->cond);
  /* Connections waiting for work leave at once; one still reading from a
   * process ends when that process does (the host stops it first). */
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (server->active_connections > 0)
    if (!g_cond_wait_until (&server->cond, &server->lock, deadline))
      break;
  idle = server->active_connections == 0;
  g_mutex_unlock (&server->lock);

  g_signal_handlers_disconnect_by_data (server->service, server);
  g_clear_object (&server->service);
  if (!idle)
    {
      /* A connection thread still holds the server: leave it allocated
       * rather than pull it from under that thread. */
      g_debug ("runtime server on port %u: a connection is still open; not freed", server->port);
      return;
    }
  g_mutex_clear (&server->invoke_lock);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->cond);
  g_free (server->function_arn);
  g_free (server->pending_init_error);
  g_free (server);
}

guint16
dbt_runtime_server_get_port (DbtRuntimeServer *server)
{
  return server->port;
}

void
dbt_runtime_server_reset (DbtRuntimeServer *server)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&server->lock);

  server->generation++;
  g_clear_pointer (&server->pending_init_error, g_free);
  /* An event handed to the old process is lost with it. */
  if (server->current != NULL && server->current->state == STATE_TAKEN)
    finish_current (server, DBT_INVOCATION_RUNTIME_EXITED, NULL, "Runtime.ExitError",
                    "the runtime was replaced during the invocation");
  g_cond_broadcast (&server->cond);
}

void
dbt_runtime_server_fail_current (DbtRuntimeServer *server,
                                 const char       *error_type,
                                 const char       *message)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&server->lock);

  finish_current (server, DBT_INVOCATION_RUNTIME_EXITED, NULL, error_type, message);
}

DbtInvocationResult *
dbt_runtime_server_invoke (DbtRuntimeServer *server,
                           const char       *request_id,
                           GBytes           *event,
                           guint             timeout_ms,
                           guint             start_timeout_ms,
                           GCancellable     *cancellable)
{
  g_autoptr(GMutexLocker) invoke_locker G_GNUC_UNUSED = g_mutex_locker_new (&server->invoke_lock);
  Invocation invocation = { 0 };
  gint64 queued_at = g_get_monotonic_time ();

  invocation.state = STATE_QUEUED;
  invocation.event = event;
  invocation.timeout_ms = timeout_ms;
  invocation.result = g_new0 (DbtInvocationResult, 1);
  invocation.result->request_id = request_id != NULL ? g_strdup (request_id) : g_uuid_string_random ();

  g_mutex_lock (&server->lock);
  server->current = &invocation;
  if (server->stopping)
    finish_current (server, DBT_INVOCATION_CANCELLED, NULL, "Runtime.Shutdown", "the runner is stopping");
  else if (server->pending_init_error != NULL)
    {
      invocation.result->init_failed = TRUE;
      finish_current (server, DBT_INVOCATION_FUNCTION_ERROR, NULL, "Runtime.InitError", server->pending_init_error);
      g_clear_pointer (&server->pending_init_error, g_free);
    }
  g_cond_broadcast (&server->cond);

  while (invocation.state != STATE_DONE)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 deadline = invocation.state == STATE_QUEUED
                        ? queued_at + (gint64) start_timeout_ms * 1000
                        : invocation.taken_at_us + (gint64) timeout_ms * 1000;

      if (g_cancellable_is_cancelled (cancellable))
        {
          finish_current (server, DBT_INVOCATION_CANCELLED, NULL, "Runtime.Shutdown", "cancelled");
          break;
        }
      if (now >= deadline)
        {
          g_autofree char *message =
            invocation.state == STATE_QUEUED
            ? g_strdup_printf ("the runtime did not ask for the event within %u ms", start_timeout_ms)
            : g_strdup_printf ("Task timed out after %.2f seconds", timeout_ms / 1000.0);

          finish_current (server, DBT_INVOCATION_TIMED_OUT, NULL, "Sandbox.Timedout", message);
          break;
        }
      /* Wake at least every 100 ms to notice a cancellation. */
      g_cond_wait_until (&server->cond, &server->lock, MIN (deadline, now + 100 * 1000));
    }
  server->current = NULL;
  g_mutex_unlock (&server->lock);
  return invocation.result;
}
