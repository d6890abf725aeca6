/* fake-aws-server.c — a scripted HTTP/1.1 server for the failure tests (a
 * mock at a boundary the local stack cannot provide; see the header). One
 * thread accepts, one thread serves each connection. */
#include "fake-aws-server.h"

#include <string.h>

typedef struct
{
  char       *raw;
  FakeAction  action;
} FakeResponse;

struct _FakeAwsServer
{
  GSocketListener *listener;
  GCancellable    *cancellable;
  GThread         *accept_thread;
  char            *url;

  GMutex           lock;        /* guards everything below */
  GPtrArray       *script;      /* FakeResponse* */
  guint            next;        /* index of the next scripted response */
  GPtrArray       *requests;    /* FakeRequest* */
  GPtrArray       *workers;     /* GThread* */
  GPtrArray       *sockets;     /* GSocket* being served, to shut them down */
  guint            n_connections;
};

typedef struct
{
  FakeAwsServer     *server;
  GSocketConnection *connection;
  guint              number;
} Worker;

static void
fake_response_free (FakeResponse *response)
{
  g_free (response->raw);
  g_free (response);
}

static void
fake_request_free (FakeRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_ptr_array_unref (request->headers);
  g_bytes_unref (request->body);
  g_free (request);
}

/* Reads one request; NULL when the peer closed or on a malformed request. */
static FakeRequest *
read_request (GInputStream *input,
              GByteArray   *buffer)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) request_line = NULL;
  FakeRequest *request;
  const char *content_length;
  gsize head_len, body_len = 0;
  guint8 chunk[4096];
  char *end = NULL;

  /* Headers first, then as many body bytes as Content-Length says. */
  while (buffer->len == 0 ||
         (end = g_strstr_len ((const char *) buffer->data, buffer->len, "\r\n\r\n")) == NULL)
    {
      gssize n = g_input_stream_read (input, chunk, sizeof chunk, NULL, &error);

      if (n <= 0)
        return NULL;
      g_byte_array_append (buffer, chunk, n);
    }
  head_len = end + 4 - (const char *) buffer->data;

  {
    g_autofree char *head = g_strndup ((const char *) buffer->data, head_len - 4);

    lines = g_strsplit (head, "\r\n", -1);
  }
  request_line = g_strsplit (lines[0], " ", 3);
  if (g_strv_length (request_line) != 3)
    return NULL;

  request = g_new0 (FakeRequest, 1);
  request->method = g_strdup (request_line[0]);
  request->path = g_strdup (request_line[1]);
  request->headers = dbt_http_headers_new ();
  for (guint i = 1; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');

      if (colon == NULL)
        continue;
      *colon = '\0';
      dbt_http_headers_add (request->headers, g_strstrip (lines[i]), g_strstrip (colon + 1));
    }

  content_length = dbt_http_headers_get (request->headers, "Content-Length");
  if (content_length != NULL)
    body_len = g_ascii_strtoull (content_length, NULL, 10);
  while (buffer->len < head_len + body_len)
    {
      gssize n = g_input_stream_read (input, chunk, sizeof chunk, NULL, &error);

      if (n <= 0)
        {
          fake_request_free (request);
          return NULL;
        }
      g_byte_array_append (buffer, chunk, n);
    }
  request->body = g_bytes_new (buffer->data + head_len, body_len);
  g_byte_array_remove_range (buffer, 0, head_len + body_len);
  return request;
}

static gpointer
serve_connection (gpointer data)
{
  Worker *worker = data;
  FakeAwsServer *server = worker->server;
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (worker->connection));
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (worker->connection));
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  FakeRequest *request;

  while ((request = read_request (input, buffer)) != NULL)
    {
      FakeResponse *response;
      g_autofree char *raw = NULL;
      FakeAction action;

      request->connection = worker->number;
      g_mutex_lock (&server->lock);
      g_ptr_array_add (server->requests, request);
      g_assert (server->script->len > 0);
      response = g_ptr_array_index (server->script, MIN (server->next, server->script->len - 1));
      server->next++;
      raw = g_strdup (response->raw);
      action = response->action;
      g_mutex_unlock (&server->lock);

      if (action == FAKE_HANG)
        {
          guint8 sink[256];

          /* Hold the connection until the peer gives up or the server
           * shuts the socket down. */
          while (g_input_stream_read (input, sink, sizeof sink, NULL, NULL) > 0)
            ;
          break;
        }

      if (!g_output_stream_write_all (output, raw, strlen (raw), NULL, NULL, NULL) ||
          action == FAKE_CLOSE)
        break;
    }

  g_io_stream_close (G_IO_STREAM (worker->connection), NULL, NULL);
  g_mutex_lock (&server->lock);
  g_ptr_array_remove (server->sockets, g_socket_connection_get_socket (worker->connection));
  g_mutex_unlock (&server->lock);
  g_object_unref (worker->connection);
  g_free (worker);
  return NULL;
}

static gpointer
accept_connections (gpointer data)
{
  FakeAwsServer *server = data;
  GSocketConnection *connection;

  while ((connection = g_socket_listener_accept (server->listener, NULL,
                                                 server->cancellable, NULL)) != NULL)
    {
      Worker *worker = g_new0 (Worker, 1);

      worker->server = server;
      worker->connection = connection;
      g_mutex_lock (&server->lock);
      worker->number = ++server->n_connections;
      g_ptr_array_add (server->sockets, g_object_ref (g_socket_connection_get_socket (connection)));
      g_ptr_array_add (server->workers, g_thread_new ("fake-aws-connection", serve_connection, worker));
      g_mutex_unlock (&server->lock);
    }
  return NULL;
}

FakeAwsServer *
fake_aws_server_new (void)
{
  FakeAwsServer *server = g_new0 (FakeAwsServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&server->lock);
  server->script = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_response_free);
  server->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_request_free);
  server->workers = g_ptr_array_new ();
  server->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  server->cancellable = g_cancellable_new ();
  server->listener = g_socket_listener_new ();
  g_socket_listener_add_address (server->listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  server->url = g_strdup_printf ("http://127.0.0.1:%u",
                                 g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  server->accept_thread = g_thread_new ("fake-aws-accept", accept_connections, server);
  return server;
}

void
fake_aws_server_free (FakeAwsServer *server)
{
  GPtrArray *workers;

  g_cancellable_cancel (server->cancellable);
  g_thread_join (server->accept_thread);
  g_socket_listener_close (server->listener);

  /* Wake every worker still blocked in a read, then wait for them. */
  g_mutex_lock (&server->lock);
  for (guint i = 0; i < server->sockets->len; i++)
    g_socket_shutdown (g_ptr_array_index (server->sockets, i), TRUE, TRUE, NULL);
  workers = g_steal_pointer (&server->workers);
  g_mutex_unlock (&server->lock);
  for (guint i = 0; i < workers->len; i++)
    g_thread_join (g_ptr_array_index (workers, i));
  g_ptr_array_unref (workers);

  g_object_unref (server->listener);
  g_object_unref (server->cancellable);
  g_ptr_array_unref (server->script);
  g_ptr_array_unref (server->requests);
  g_ptr_array_unref (server->sockets);
  g_mutex_clear (&server->lock);
  g_free (server->url);
  g_free (server);
}

const char *
fake_aws_server_get_url (FakeAwsServer *server)
{
  return server->url;
}

void
fake_aws_server_add_raw (FakeAwsServer *server,
                         const char    *raw,
                         FakeAction     action)
{
  FakeResponse *response = g_new0 (FakeResponse, 1);

  response->raw = g_strdup (raw);
  response->action = action;
  g_mutex_lock (&server->lock);
  g_ptr_array_add (server->script, response);
  g_mutex_unlock (&server->lock);
}

static const char *
reason_phrase (guint status)
{
  switch (status)
    {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default:  return "Status";
    }
}

void
fake_aws_server_add (FakeAwsServer *server,
                     guint          status,
                     const char    *headers,
                     const char    *body)
{
  g_autofree char *raw = NULL;

  body = body != NULL ? body : "";
  raw = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                         "Content-Length: %zu\r\n"
                         "%s"
                         "\r\n"
                         "%s",
                         status, reason_phrase (status), strlen (body),
                         headers != NULL ? headers : "", body);
  fake_aws_server_add_raw (server, raw, FAKE_KEEP_OPEN);
}

guint
fake_aws_server_get_n_requests (FakeAwsServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = server->requests->len;
  g_mutex_unlock (&server->lock);
  return n;
}

const FakeRequest *
fake_aws_server_get_request (FakeAwsServer *server,
                             guint          index)
{
  const FakeRequest *request = NULL;

  g_mutex_lock (&server->lock);
  if (index < server->requests->len)
    request = g_ptr_array_index (server->requests, index);
  g_mutex_unlock (&server->lock);
  return request;
}

guint
fake_aws_server_get_n_connections (FakeAwsServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = server->n_connections;
  g_mutex_unlock (&server->lock);
  return n;
}
