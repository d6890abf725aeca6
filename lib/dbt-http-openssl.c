/* dbt-http-openssl.c — dbt-http.h over POSIX sockets and OpenSSL.
 *
 * The lean transport the Lambda handler links: Debian's libcurl brings
 * GnuTLS, Kerberos, LDAP, SSH and RTMP into the package, this brings only
 * libssl beside the libcrypto the signer already needs. Same API, same
 * errors, same messages as the libcurl transport (dbt-http.c); the
 * transport tests run against both.
 *
 * A connection keeps a few sockets (each with its TLS session for https)
 * alive between exchanges, one per scheme, host and port. Every wait is a
 * poll() on the socket and on the GCancellable's fd, bounded by the
 * request's deadlines, so a cancellation wakes it at once. (Linux only:
 * EWOULDBLOCK is EAGAIN there, MSG_NOSIGNAL and SOCK_CLOEXEC exist.)
 */
#include "dbt-http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "dbt-error.h"
#include "dbt-http-private.h"

/* libcurl's defaults, so both transports give up at the same points. */
#define DEFAULT_CONNECT_TIMEOUT_MS (300 * 1000)
#define MAX_HEADER_LINE            (100 * 1024)
#define MAX_HEADER_BYTES           (300 * 1024)
#define READ_BUFFER_SIZE           (16 * 1024)
#define MAX_LINKS                  4
/* Bodies up to this size go out in the same write as the head. */
#define COALESCE_BODY_SIZE         (64 * 1024)

/* One socket, kept alive between exchanges with its peer. */
typedef struct
{
  int     fd;            /* -1: not connected */
  SSL    *ssl;           /* NULL for http:// */
  char   *peer;          /* "https://host:port" the socket goes to */
  gint64  last_used;     /* monotonic, µs */
  guint8  buffer[READ_BUFFER_SIZE];
  gsize   buffer_start;  /* unread bytes are buffer[buffer_start, buffer_end) */
  gsize   buffer_end;
} Link;

/* A few links, one per peer: the handler alternates between DynamoDB and
 * SNS, and each should keep its TLS session (libcurl's connection cache
 * does the same). */
struct _DbtHttpConnection
{
  Link *links[MAX_LINKS];
};

typedef struct
{
  gboolean  tls;
  char     *host;        /* without the brackets of an IPv6 literal */
  guint16   port;
  char     *authority;   /* for Host: host, [v6] and a port other than the scheme's */
  char     *target;      /* path and query, "/" at least */
} Url;

/* One call of dbt_http_connection_send(). */
typedef struct
{
  Link              *link;
  const char        *origin;      /* for messages */
  GCancellable      *cancellable;
  int                cancel_fd;   /* -1: no cancellable */
  gint64             start;       /* monotonic, µs */
  gint64             deadline;    /* of the whole exchange; G_MAXINT64: none */
  gboolean           connecting;  /* a timeout now is a connect timeout */
  gsize              received;    /* bytes of the response so far */
  gboolean           too_large;
} Exchange;

/* --- URLs ------------------------------------------------------------------ */

static void
url_clear (Url *url)
{
  g_clear_pointer (&url->host, g_free);
  g_clear_pointer (&url->authority, g_free);
  g_clear_pointer (&url->target, g_free);
}

/* scheme://[userinfo@]host[:port][/path][?query][#fragment], as libcurl
 * takes it: the fragment is not sent, userinfo is ignored (we never put
 * credentials in URLs), the path goes out exactly as given. */
static gboolean
url_parse (const char  *text,
           Url         *url,
           GError     **error)
{
  const char *authority = strstr (text, "://");
  const char *host_start, *host_end, *port_start, *end, *at;
  g_autofree char *scheme = NULL;
  gsize target_len;

  memset (url, 0, sizeof *url);
  if (authority == NULL || authority == text)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "invalid endpoint URL \"%s\": URL using bad/illegal format or missing URL",
                         text);
      return FALSE;
    }
  scheme = g_ascii_strdown (text, authority - text);
  if (strcmp (scheme, "http") != 0 && strcmp (scheme, "https") != 0)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "invalid endpoint URL \"%s\": Protocol \"%s\" not supported",
                         text, scheme);
      return FALSE;
    }
  url->tls = strcmp (scheme, "https") == 0;
  url->port = url->tls ? 443 : 80;

  authority += 3;
  end = authority + strcspn (authority, "/?#");
  at = g_strstr_len (authority, end - authority, "@");
  host_start = at != NULL ? at + 1 : authority;
  if (host_start < end && host_start[0] == '[')
    {
      host_end = memchr (host_start, ']', end - host_start);
      if (host_end == NULL)
        goto malformed;
      port_start = host_end + 1;
      host_start++;
    }
  else
    {
      host_end = memchr (host_start, ':', end - host_start);
      if (host_end == NULL)
        host_end = end;
      port_start = host_end;
    }
  if (host_end == host_start)
    goto malformed;

  if (port_start < end)
    {
      guint64 port = 0;

      if (port_start[0] != ':')
        goto malformed;
      for (const char *p = port_start + 1; p < end; p++)
        {
          if (!g_ascii_isdigit (*p) || (port = port * 10 + (*p - '0')) > G_MAXUINT16)
            goto malformed;
        }
      if (port_start + 1 < end)
        {
          if (port == 0)
            goto malformed;
          url->port = (guint16) port;
        }
    }

  url->host = g_strndup (host_start, host_end - host_start);
  {
    gboolean v6 = strchr (url->host, ':') != NULL;
    g_autofree char *host_part = v6 ? g_strdup_printf ("[%s]", url->host) : g_strdup (url->host);

    url->authority = url->port == (url->tls ? 443 : 80)
                     ? g_steal_pointer (&host_part)
                     : g_strdup_printf ("%s:%u", host_part, url->port);
  }

  target_len = strcspn (end, "#");
  url->target = g_strdup_printf ("%s%.*s", end[0] == '/' ? "" : "/", (int) target_len, end);
  return TRUE;

malformed:
  url_clear (url);
  dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                     "invalid endpoint URL \"%s\": URL using bad/illegal format or missing URL",
                     text);
  return FALSE;
}

/* --- TLS setup ------------------------------------------------------------- */

/* A socket BIO that sends with MSG_NOSIGNAL: OpenSSL's own writes with
 * write(), and a peer that hung up would kill the process with SIGPIPE. */
static int
socket_bio_write (BIO        *bio,
                  const char *data,
                  int         len)
{
  int fd = GPOINTER_TO_INT (BIO_get_data (bio));
  ssize_t n;

  BIO_clear_retry_flags (bio);
  do
    n = send (fd, data, (size_t) len, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0 && errno == EAGAIN)
    BIO_set_retry_write (bio);
  return (int) n;
}

static int
socket_bio_read (BIO  *bio,
                 char *data,
                 int   len)
{
  int fd = GPOINTER_TO_INT (BIO_get_data (bio));
  ssize_t n;

  BIO_clear_retry_flags (bio);
  do
    n = recv (fd, data, (size_t) len, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0 && errno == EAGAIN)
    BIO_set_retry_read (bio);
  return (int) n;
}

static long
socket_bio_ctrl (BIO  *bio,
                 int   command,
                 long  number,
                 void *pointer)
{
  return command == BIO_CTRL_FLUSH ? 1 : 0;
}

static gpointer
create_bio_method (gpointer data)
{
  BIO_METHOD *method = BIO_meth_new (BIO_get_new_index () | BIO_TYPE_SOURCE_SINK,
                                     "dbtrigger socket");

  if (method == NULL ||
      !BIO_meth_set_write (method, socket_bio_write) ||
      !BIO_meth_set_read (method, socket_bio_read) ||
      !BIO_meth_set_ctrl (method, socket_bio_ctrl))
    g_error ("OpenSSL could not allocate a BIO method");
  return method;
}

static gpointer
create_ssl_context (gpointer data)
{
  SSL_CTX *context = SSL_CTX_new (TLS_client_method ());
  const char *builtin_bundle = X509_get_default_cert_file ();
  g_autofree char *bundle = NULL;

  if (context == NULL)
    g_error ("OpenSSL could not allocate a TLS context");
  SSL_CTX_set_min_proto_version (context, TLS1_2_VERSION);
  SSL_CTX_set_verify (context, SSL_VERIFY_PEER, NULL);
  /* A peer that closes without close_notify: the body's framing
   * (Content-Length, chunks) tells whether anything is missing. */
  SSL_CTX_set_options (context, SSL_OP_IGNORE_UNEXPECTED_EOF);

  /* SSL_CERT_FILE, SSL_CERT_DIR, then OpenSSL's own folder (Debian:
   * /usr/lib/ssl/certs). Where that folder does not exist, as on Lambda's
   * Amazon Linux for a libcrypto built on Debian, the system's bundle. */
  SSL_CTX_set_default_verify_paths (context);
  if (g_file_test (X509_get_default_cert_dir (), G_FILE_TEST_IS_DIR))
    builtin_bundle = NULL;
  bundle = dbt_http_find_ca_bundle (builtin_bundle);
  if (bundle != NULL && g_strcmp0 (bundle, g_getenv ("SSL_CERT_FILE")) != 0)
    SSL_CTX_load_verify_locations (context, bundle, NULL);
  ERR_clear_error ();
  return context;
}

/* --- waiting and errors ------------------------------------------------------ */

static void
set_timeout_error (Exchange  *exchange,
                   GError   **error)
{
  gint64 elapsed_ms = (g_get_monotonic_time () - exchange->start) / 1000;

  if (exchange->connecting)
    dbt_aws_set_error (error, DBT_AWS_ERROR_TIMEOUT, NULL, 0, NULL,
                       "%s did not answer in time: Connection timed out after %" G_GINT64_FORMAT
                       " milliseconds", exchange->origin, elapsed_ms);
  else
    dbt_aws_set_error (error, DBT_AWS_ERROR_TIMEOUT, NULL, 0, NULL,
                       "%s did not answer in time: Operation timed out after %" G_GINT64_FORMAT
                       " milliseconds with %" G_GSIZE_FORMAT " bytes received",
                       exchange->origin, elapsed_ms, exchange->received);
}

/* TLS failures, resets, a connection closed before any answer. */
static void
set_connection_error (Exchange    *exchange,
                      GError     **error,
                      const char  *format,
                      ...) G_GNUC_PRINTF (3, 4);

static void
set_connection_error (Exchange    *exchange,
                      GError     **error,
                      const char  *format,
                      ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  dbt_aws_set_error (error, DBT_AWS_ERROR_CONNECT, NULL, 0, NULL,
                     "connection to %s failed: %s", exchange->origin, reason);
}

/* Waits until the socket is ready for @events; FALSE when @deadline passes
 * (a timeout) or the cancellable fires. */
static gboolean
wait_for (Exchange  *exchange,
          short      events,
          gint64     deadline,
          GError   **error)
{
  for (;;)
    {
      struct pollfd fds[2] = {
        { exchange->link->fd, events, 0 },
        { exchange->cancel_fd, POLLIN, 0 },
      };
      int timeout_ms = -1;
      int ready;

      if (deadline != G_MAXINT64)
        {
          gint64 left = deadline - g_get_monotonic_time ();

          if (left <= 0)
            {
              set_timeout_error (exchange, error);
              return FALSE;
            }
          timeout_ms = (int) MIN ((left + 999) / 1000, G_MAXINT);
        }

      ready = poll (fds, exchange->cancel_fd >= 0 ? 2 : 1, timeout_ms);
      if (ready < 0 && errno != EINTR)
        {
          set_connection_error (exchange, error, "poll: %s", g_strerror (errno));
          return FALSE;
        }
      if (g_cancellable_set_error_if_cancelled (exchange->cancellable, error))
        return FALSE;
      if (ready > 0 && fds[0].revents != 0)
        return TRUE;
    }
}

/* Why a TLS call failed, in OpenSSL's words. */
static char *
tls_reason (SSL *ssl,
            int  ssl_error,
            int  saved_errno)
{
  unsigned long code = ERR_peek_last_error ();
  long verify = SSL_get_verify_result (ssl);
  char buffer[256];

  ERR_clear_error ();
  if (verify != X509_V_OK)
    return g_strdup_printf ("SSL certificate problem: %s", X509_verify_cert_error_string (verify));
  if (code != 0)
    {
      ERR_error_string_n (code, buffer, sizeof buffer);
      return g_strdup (buffer);
    }
  if (ssl_error == SSL_ERROR_SYSCALL)
    return g_strdup (saved_errno != 0 ? g_strerror (saved_errno)
                                      : "SSL_ERROR_SYSCALL: the connection was closed");
  return g_strdup_printf ("SSL error %d", ssl_error);
}

/* --- the connection ------------------------------------------------------------ */

static void
link_close (Link *link)
{
  if (link->ssl != NULL)
    {
      SSL_shutdown (link->ssl);   /* a close_notify if it fits, no wait */
      SSL_free (link->ssl);
      link->ssl = NULL;
      ERR_clear_error ();
    }
  if (link->fd >= 0)
    {
      close (link->fd);
      link->fd = -1;
    }
  g_clear_pointer (&link->peer, g_free);
  link->buffer_start = link->buffer_end = 0;
}

/* An idle kept-alive connection to @peer that the server has not closed:
 * anything readable on an idle connection is its end (or garbage). */
static gboolean
link_is_reusable (Link       *link,
                  const char *peer)
{
  struct pollfd fd = { link->fd, POLLIN, 0 };

  if (link->fd < 0 || g_strcmp0 (link->peer, peer) != 0)
    return FALSE;
  if (link->buffer_start != link->buffer_end ||
      (link->ssl != NULL && SSL_pending (link->ssl) > 0))
    return FALSE;
  return poll (&fd, 1, 0) == 0;
}

static gboolean
handshake (Exchange    *exchange,
           const Url   *url,
           gint64       deadline,
           GError     **error)
{
  static GOnce context_once = G_ONCE_INIT;
  static GOnce method_once = G_ONCE_INIT;
  static const unsigned char alpn[] = "\x08http/1.1";
  Link *link = exchange->link;
  SSL_CTX *context = g_once (&context_once, create_ssl_context, NULL);
  BIO *bio;
  guint8 address[sizeof (struct in6_addr)];

  link->ssl = SSL_new (context);
  bio = BIO_new (g_once (&method_once, create_bio_method, NULL));
  if (link->ssl == NULL || bio == NULL)
    g_error ("OpenSSL could not allocate a TLS session");
  BIO_set_data (bio, GINT_TO_POINTER (link->fd));
  BIO_set_init (bio, 1);
  SSL_set_bio (link->ssl, bio, bio);
  SSL_set_alpn_protos (link->ssl, alpn, sizeof alpn - 1);

  /* SNI and the name check for a name; the address check for an address
   * (SNI carries names only). */
  if (inet_pton (AF_INET, url->host, address) == 1 || inet_pton (AF_INET6, url->host, address) == 1)
    X509_VERIFY_PARAM_set1_ip_asc (SSL_get0_param (link->ssl), url->host);
  else if (!SSL_set_tlsext_host_name (link->ssl, url->host) ||
           !SSL_set1_host (link->ssl, url->host))
    {
      g_autofree char *reason = tls_reason (link->ssl, SSL_ERROR_SSL, 0);

      set_connection_error (exchange, error, "%s", reason);
      return FALSE;
    }
  SSL_set_connect_state (link->ssl);

  for (;;)
    {
      int result, ssl_error;

      ERR_clear_error ();
      errno = 0;
      result = SSL_do_handshake (link->ssl);
      if (result == 1)
        return TRUE;
      ssl_error = SSL_get_error (link->ssl, result);
      if (ssl_error == SSL_ERROR_WANT_READ || ssl_error == SSL_ERROR_WANT_WRITE)
        {
          if (!wait_for (exchange, ssl_error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT,
                         deadline, error))
            return FALSE;
          continue;
        }
      {
        g_autofree char *reason = tls_reason (link->ssl, ssl_error, errno);

        set_connection_error (exchange, error, "%s", reason);
        return FALSE;
      }
    }
}

/* A non-blocking connect to each address in turn, within @deadline. */
static gboolean
connect_socket (Exchange         *exchange,
                struct addrinfo  *addresses,
                gint64            deadline,
                GError          **error)
{
  Link *link = exchange->link;
  int last_errno = ECONNREFUSED;

  for (struct addrinfo *ai = addresses; ai != NULL; ai = ai->ai_next)
    {
      int fd = socket (ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                       ai->ai_protocol);
      int so_error = 0;
      socklen_t len = sizeof so_error;

      if (fd < 0)
        {
          last_errno = errno;
          continue;
        }
      link->fd = fd;
      if (connect (fd, ai->ai_addr, ai->ai_addrlen) == 0)
        return TRUE;
      if (errno != EINPROGRESS)
        so_error = errno;
      else if (!wait_for (exchange, POLLOUT, deadline, error))
        {
          link_close (link);
          return FALSE;
        }
      else if (getsockopt (fd, SOL_SOCKET, SO_ERROR, &so_error, &len) < 0)
        so_error = errno;
      if (so_error == 0)
        return TRUE;
      last_errno = so_error;
      link_close (link);
    }

  dbt_aws_set_error (error, DBT_AWS_ERROR_CONNECT, NULL, 0, NULL,
                     "cannot connect to %s: %s", exchange->origin, g_strerror (last_errno));
  return FALSE;
}

static gboolean
link_open (Exchange     *exchange,
                 const Url    *url,
                 const char   *peer,
                 guint         connect_timeout_ms,
                 GError      **error)
{
  Link *link = exchange->link;
  struct addrinfo hints = { 0 };
  struct addrinfo *addresses = NULL;
  char service[8];
  gint64 deadline;
  int one = 1;
  int status;

  link_close (link);
  exchange->connecting = TRUE;
  deadline = exchange->start + (gint64) (connect_timeout_ms != 0 ? connect_timeout_ms
                                                                 : DEFAULT_CONNECT_TIMEOUT_MS) * 1000;
  deadline = MIN (deadline, exchange->deadline);

  /* Resolving blocks (no timeout, no cancellation): getaddrinfo() has no
   * other form that is safe to abandon. */
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  g_snprintf (service, sizeof service, "%u", url->port);
  status = getaddrinfo (url->host, service, &hints, &addresses);
  if (status != 0)
    {
      g_autofree char *host = dbt_http_url_host (exchange->origin);

      dbt_aws_set_error (error, DBT_AWS_ERROR_CONNECT, NULL, 0, NULL,
                         "cannot connect to %s: unknown host \"%s\"", exchange->origin, host);
      return FALSE;
    }
  if (!connect_socket (exchange, addresses, deadline, error))
    {
      freeaddrinfo (addresses);
      return FALSE;
    }
  freeaddrinfo (addresses);

  /* As libcurl: no Nagle delay for small requests, TCP keep-alive probes. */
  setsockopt (link->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt (link->fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);

  if (url->tls && !handshake (exchange, url, deadline, error))
    {
      link_close (link);
      return FALSE;
    }
  link->peer = g_strdup (peer);
  exchange->connecting = FALSE;
  return TRUE;
}

/* --- reading and writing ------------------------------------------------------- */

static gboolean
write_all (Exchange      *exchange,
           const guint8  *data,
           gsize          len,
           GError       **error)
{
  Link *link = exchange->link;

  while (len > 0)
    {
      gsize written = 0;
      short wait_events;

      if (link->ssl != NULL)
        {
          int ssl_error;

          ERR_clear_error ();
          errno = 0;
          if (SSL_write_ex (link->ssl, data, len, &written) == 1)
            {
              data += written;
              len -= written;
              continue;
            }
          ssl_error = SSL_get_error (link->ssl, 0);
          if (ssl_error != SSL_ERROR_WANT_READ && ssl_error != SSL_ERROR_WANT_WRITE)
            {
              g_autofree char *reason = tls_reason (link->ssl, ssl_error, errno);

              set_connection_error (exchange, error, "Send failure: %s", reason);
              return FALSE;
            }
          wait_events = ssl_error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
        }
      else
        {
          ssize_t n = send (link->fd, data, len, MSG_NOSIGNAL);

          if (n > 0)
            {
              data += n;
              len -= (gsize) n;
              continue;
            }
          if (n < 0 && errno == EINTR)
            continue;
          if (n == 0 || errno != EAGAIN)
            {
              set_connection_error (exchange, error, "Send failure: %s",
                                    g_strerror (n == 0 ? EPIPE : errno));
              return FALSE;
            }
          wait_events = POLLOUT;
        }
      if (!wait_for (exchange, wait_events, exchange->deadline, error))
        return FALSE;
    }
  return TRUE;
}

/* Reads what the peer sent next into the connection's buffer, after what
 * is left there. *eof at the end of the stream. */
static gboolean
fill_buffer (Exchange  *exchange,
             gboolean  *eof,
             GError   **error)
{
  Link *link = exchange->link;
  guint8 *space;
  gsize room;
  gsize n_read = 0;

  *eof = FALSE;
  if (link->buffer_start > 0)
    {
      memmove (link->buffer, link->buffer + link->buffer_start,
               link->buffer_end - link->buffer_start);
      link->buffer_end -= link->buffer_start;
      link->buffer_start = 0;
    }
  space = link->buffer + link->buffer_end;
  room = sizeof link->buffer - link->buffer_end;
  g_assert (room > 0);

  for (;;)
    {
      short wait_events;

      if (link->ssl != NULL)
        {
          int ssl_error;

          ERR_clear_error ();
          errno = 0;
          if (SSL_read_ex (link->ssl, space, room, &n_read) == 1)
            break;
          ssl_error = SSL_get_error (link->ssl, 0);
          if (ssl_error == SSL_ERROR_ZERO_RETURN)
            {
              *eof = TRUE;
              return TRUE;
            }
          if (ssl_error != SSL_ERROR_WANT_READ && ssl_error != SSL_ERROR_WANT_WRITE)
            {
              g_autofree char *reason = tls_reason (link->ssl, ssl_error, errno);

              set_connection_error (exchange, error, "Recv failure: %s", reason);
              return FALSE;
            }
          wait_events = ssl_error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
        }
      else
        {
          ssize_t n = recv (link->fd, space, room, 0);

          if (n > 0)
            {
              n_read = (gsize) n;
              break;
            }
          if (n == 0)
            {
              *eof = TRUE;
              return TRUE;
            }
          if (errno == EINTR)
            continue;
          if (errno != EAGAIN)
            {
              set_connection_error (exchange, error, "Recv failure: %s", g_strerror (errno));
              return FALSE;
            }
          wait_events = POLLIN;
        }
      if (!wait_for (exchange, wait_events, exchange->deadline, error))
        return FALSE;
    }

  link->buffer_end += n_read;
  exchange->received += n_read;
  return TRUE;
}

/* As libcurl, which fails the receive (its message is "Out of memory"). */
static void
set_line_too_long_error (Exchange  *exchange,
                         gsize      max_len,
                         GError   **error)
{
  set_connection_error (exchange, error, "a header line longer than %" G_GSIZE_FORMAT " bytes",
                        max_len);
}

/* One line without its CRLF (or LF). NULL with *eof when the stream ended
 * first, NULL with @error set on a failure or a line over @max_len. */
static char *
read_line (Exchange  *exchange,
           gsize      max_len,
           gboolean  *eof,
           GError   **error)
{
  Link *link = exchange->link;
  g_autoptr(GString) line = g_string_new (NULL);

  *eof = FALSE;
  for (;;)
    {
      const guint8 *start = link->buffer + link->buffer_start;
      gsize available = link->buffer_end - link->buffer_start;
      const guint8 *newline = memchr (start, '\n', available);
      gsize take = newline != NULL ? (gsize) (newline - start) + 1 : available;

      g_string_append_len (line, (const char *) start, (gssize) take);
      link->buffer_start += take;
      if (newline != NULL)
        break;
      if (line->len > max_len)
        {
          set_line_too_long_error (exchange, max_len, error);
          return NULL;
        }
      if (!fill_buffer (exchange, eof, error))
        return NULL;
      if (*eof)
        return NULL;
    }

  g_string_truncate (line, line->len - 1);
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  if (line->len > max_len)
    {
      set_line_too_long_error (exchange, max_len, error);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static gboolean
append_body (Exchange    *exchange,
             GByteArray  *body,
             gsize        len,
             GError     **error)
{
  if (body->len + len > DBT_HTTP_MAX_BODY_SIZE)
    {
      exchange->too_large = TRUE;
      dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                         "response from %s is larger than %u bytes",
                         exchange->origin, DBT_HTTP_MAX_BODY_SIZE);
      return FALSE;
    }
  g_byte_array_append (body, exchange->link->buffer + exchange->link->buffer_start,
                       (guint) len);
  exchange->link->buffer_start += len;
  return TRUE;
}

/* @len body bytes, or (@len G_MAXUINT64) everything until the peer closes. */
static gboolean
read_body (Exchange    *exchange,
           GByteArray  *body,
           guint64      len,
           GError     **error)
{
  Link *link = exchange->link;
  guint64 left = len;

  while (left > 0)
    {
      gsize available = link->buffer_end - link->buffer_start;
      gboolean eof;

      if (available > 0)
        {
          gsize take = (gsize) MIN ((guint64) available, left);

          if (!append_body (exchange, body, take, error))
            return FALSE;
          if (len != G_MAXUINT64)
            left -= take;
          continue;
        }
      if (!fill_buffer (exchange, &eof, error))
        return FALSE;
      if (eof)
        {
          if (len == G_MAXUINT64)
            return TRUE;
          dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                             "truncated response from %s: transfer closed with %" G_GUINT64_FORMAT
                             " bytes remaining to read", exchange->origin, left);
          return FALSE;
        }
    }
  return TRUE;
}

static void
set_truncated_error (Exchange  *exchange,
                     GError   **error)
{
  dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                     "truncated response from %s: transfer closed with outstanding read data remaining",
                     exchange->origin);
}

static void
set_not_http_error (Exchange    *exchange,
                    const char  *what,
                    GError     **error)
{
  dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                     "%s did not answer in HTTP: %s", exchange->origin, what);
}

/* Header lines up to the empty one, added to @headers (trailers too, as
 * libcurl hands them over). As with libcurl, a line without a colon (an
 * obsolete folded continuation among them) is ignored. */
static gboolean
read_header_lines (Exchange   *exchange,
                   GPtrArray  *headers,
                   GError    **error)
{
  gsize total = 0;

  for (;;)
    {
      gboolean eof;
      g_autofree char *line = read_line (exchange, MAX_HEADER_LINE, &eof, error);
      char *colon;

      if (line == NULL)
        {
          if (eof)
            set_truncated_error (exchange, error);
          return FALSE;
        }
      if (line[0] == '\0')
        return TRUE;
      total += strlen (line);
      if (total > MAX_HEADER_BYTES)
        {
          set_connection_error (exchange, error, "headers longer than %u bytes", MAX_HEADER_BYTES);
          return FALSE;
        }

      colon = strchr (line, ':');
      if (colon != NULL)
        {
          *colon = '\0';
          dbt_http_headers_add (headers, g_strstrip (line), g_strstrip (colon + 1));
        }
    }
}

/* "HTTP/1.1 200 OK": the status, and whether it is HTTP/1.0. */
static gboolean
parse_status_line (const char *line,
                   guint      *status,
                   gboolean   *http_1_0)
{
  const char *code;

  if (!g_str_has_prefix (line, "HTTP/"))
    return FALSE;
  code = strchr (line, ' ');
  if (code == NULL)
    return FALSE;
  while (*code == ' ')
    code++;
  if (!g_ascii_isdigit (code[0]) || !g_ascii_isdigit (code[1]) || !g_ascii_isdigit (code[2]) ||
      (code[3] != '\0' && code[3] != ' ' && code[3] != '\r'))
    return FALSE;
  *status = (guint) ((code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0'));
  *http_1_0 = g_str_has_prefix (line, "HTTP/1.0 ");
  return TRUE;
}

/* Does the comma-separated header @name hold @token (case-insensitive)?
 * @last: only as its last element. */
static gboolean
header_has_token (GPtrArray  *headers,
                  const char *name,
                  const char *token,
                  gboolean    last)
{
  gboolean found = FALSE;

  for (guint i = 0; i < headers->len; i++)
    {
      const DbtHttpHeader *header = g_ptr_array_index (headers, i);
      g_auto(GStrv) tokens = NULL;

      if (g_ascii_strcasecmp (header->name, name) != 0)
        continue;
      tokens = g_strsplit (header->value, ",", -1);
      for (guint j = 0; tokens[j] != NULL; j++)
        {
          gboolean match = g_ascii_strcasecmp (g_strstrip (tokens[j]), token) == 0;

          if (last)
            found = match;
          else if (match)
            return TRUE;
        }
    }
  return found;
}

/* As libcurl: a receive error, in its words. */
static void
set_bad_chunk_error (Exchange  *exchange,
                     GError   **error)
{
  set_connection_error (exchange, error,
                        "Illegal or missing hexadecimal sequence in chunked-encoding");
}

static gboolean
read_chunked_body (Exchange    *exchange,
                   GByteArray  *body,
                   GPtrArray   *headers,
                   GError     **error)
{
  for (;;)
    {
      gboolean eof;
      g_autofree char *line = read_line (exchange, MAX_HEADER_LINE, &eof, error);
      guint64 size = 0;
      const char *p;

      if (line == NULL)
        {
          if (eof)
            set_truncated_error (exchange, error);
          return FALSE;
        }
      for (p = line; g_ascii_isxdigit (*p); p++)
        {
          if (size > DBT_HTTP_MAX_BODY_SIZE)
            break;
          size = size * 16 + (guint64) g_ascii_xdigit_value (*p);
        }
      if (p == line || (*p != '\0' && *p != ';' && *p != ' ' && *p != '\t'))
        {
          set_bad_chunk_error (exchange, error);
          return FALSE;
        }
      if (size == 0)
        return read_header_lines (exchange, headers, error);
      if (size > DBT_HTTP_MAX_BODY_SIZE)
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                             "response from %s is larger than %u bytes",
                             exchange->origin, DBT_HTTP_MAX_BODY_SIZE);
          return FALSE;
        }
      if (!read_body (exchange, body, size, error))
        {
          if (g_error_matches (*error, DBT_AWS_ERROR, DBT_AWS_ERROR_MALFORMED_RESPONSE) &&
              !exchange->too_large)
            {
              g_clear_error (error);
              set_truncated_error (exchange, error);
            }
          return FALSE;
        }
      g_free (g_steal_pointer (&line));
      line = read_line (exchange, MAX_HEADER_LINE, &eof, error);
      if (line == NULL)
        {
          if (eof)
            set_truncated_error (exchange, error);
          return FALSE;
        }
      if (line[0] != '\0')
        {
          set_bad_chunk_error (exchange, error);
          return FALSE;
        }
    }
}

/* The status line, headers and body of the answer to @method; *keep_alive
 * says whether the connection can carry another exchange. */
static gboolean
read_response (Exchange         *exchange,
               const char       *method,
               DbtHttpResponse  *response,
               gboolean         *keep_alive,
               GError          **error)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  gboolean http_1_0 = FALSE;
  const char *content_length;
  gboolean no_body;

  *keep_alive = FALSE;

  /* Interim 1xx responses ("100 Continue") come first: skip them. */
  do
    {
      gboolean eof;
      g_autofree char *line = read_line (exchange, MAX_HEADER_LINE, &eof, error);

      if (line == NULL)
        {
          if (eof && exchange->received == 0)
            set_connection_error (exchange, error, "Empty reply from server");
          else if (eof)
            set_truncated_error (exchange, error);
          return FALSE;
        }
      if (!parse_status_line (line, &response->status, &http_1_0))
        {
          set_not_http_error (exchange, "not an HTTP status line", error);
          return FALSE;
        }
      g_ptr_array_set_size (response->headers, 0);
      if (!read_header_lines (exchange, response->headers, error))
        return FALSE;
    }
  while (response->status >= 100 && response->status < 200);

  *keep_alive = http_1_0 ? header_has_token (response->headers, "Connection", "keep-alive", FALSE)
                         : !header_has_token (response->headers, "Connection", "close", FALSE);

  no_body = g_ascii_strcasecmp (method, "HEAD") == 0 ||
            response->status == 204 || response->status == 304;
  content_length = dbt_http_headers_get (response->headers, "Content-Length");

  if (no_body)
    ;
  else if (dbt_http_headers_get (response->headers, "Transfer-Encoding") != NULL)
    {
      /* No Accept-Encoding goes out, so "chunked" is the only coding
       * that may come back. */
      if (!header_has_token (response->headers, "Transfer-Encoding", "chunked", TRUE))
        {
          set_not_http_error (exchange, "unsupported transfer coding", error);
          return FALSE;
        }
      else if (!read_chunked_body (exchange, body, response->headers, error))
        return FALSE;
    }
  else if (content_length != NULL)
    {
      guint64 len;

      if (!g_ascii_string_to_unsigned (content_length, 10, 0, G_MAXUINT64, &len, NULL))
        {
          set_not_http_error (exchange, "Invalid Content-Length: value", error);
          return FALSE;
        }
      if (len > DBT_HTTP_MAX_BODY_SIZE)
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                             "response from %s is larger than %u bytes",
                             exchange->origin, DBT_HTTP_MAX_BODY_SIZE);
          return FALSE;
        }
      if (!read_body (exchange, body, len, error))
        return FALSE;
    }
  else
    {
      *keep_alive = FALSE;
      if (!read_body (exchange, body, G_MAXUINT64, error))
        return FALSE;
    }

  response->body = g_byte_array_free_to_bytes (g_steal_pointer (&body));
  return TRUE;
}

/* The request line, Host unless given, the headers as given, and the
 * framing: Content-Length for a body, and for POST and PUT (as libcurl). */
static GString *
format_request_head (const DbtHttpRequest *request,
                     const Url            *url,
                     const char           *method,
                     gsize                 body_len)
{
  GString *head = g_string_new (NULL);
  GPtrArray *headers = request->headers;

  g_string_append_printf (head, "%s %s HTTP/1.1\r\n", method, url->target);
  if (headers == NULL || dbt_http_headers_get (headers, "Host") == NULL)
    g_string_append_printf (head, "Host: %s\r\n", url->authority);
  for (guint i = 0; headers != NULL && i < headers->len; i++)
    {
      const DbtHttpHeader *header = g_ptr_array_index (headers, i);

      if (header->value == NULL || header->value[0] == '\0')
        g_string_append_printf (head, "%s:\r\n", header->name);
      else
        g_string_append_printf (head, "%s: %s\r\n", header->name, header->value);
    }
  if ((body_len > 0 || g_ascii_strcasecmp (method, "POST") == 0 ||
       g_ascii_strcasecmp (method, "PUT") == 0) &&
      (headers == NULL || dbt_http_headers_get (headers, "Content-Length") == NULL))
    g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n", body_len);
  g_string_append (head, "\r\n");
  return head;
}

/* One request and its response on the open connection. */
static gboolean
exchange_once (Exchange              *exchange,
               const DbtHttpRequest  *request,
               const Url             *url,
               const char            *method,
               DbtHttpResponse       *response,
               GError               **error)
{
  g_autoptr(GString) head = NULL;
  gsize body_len = 0;
  const guint8 *body_data = NULL;
  gboolean keep_alive;

  if (request->body != NULL)
    body_data = g_bytes_get_data (request->body, &body_len);

  head = format_request_head (request, url, method, body_len);
  if (body_len > 0 && body_len <= COALESCE_BODY_SIZE)
    {
      g_string_append_len (head, (const char *) body_data, (gssize) body_len);
      body_len = 0;
    }
  if (!write_all (exchange, (const guint8 *) head->str, head->len, error) ||
      !write_all (exchange, body_data, body_len, error) ||
      !read_response (exchange, method, response, &keep_alive, error))
    return FALSE;

  /* Bytes after the response were never asked for: do not reuse. */
  if (!keep_alive ||
      exchange->link->buffer_start != exchange->link->buffer_end)
    link_close (exchange->link);
  return TRUE;
}

/* --- API ------------------------------------------------------------------------ */

DbtHttpConnection *
dbt_http_connection_new (void)
{
  return g_new0 (DbtHttpConnection, 1);
}

void
dbt_http_connection_free (DbtHttpConnection *connection)
{
  if (connection == NULL)
    return;
  for (guint i = 0; i < MAX_LINKS; i++)
    {
      if (connection->links[i] != NULL)
        link_close (connection->links[i]);
      g_free (connection->links[i]);
    }
  g_free (connection);
}

/* The link to @peer if one is open, else a free one, else the least
 * recently used, closed. */
static Link *
choose_link (DbtHttpConnection *connection,
             const char        *peer)
{
  Link *chosen = NULL;

  for (guint i = 0; i < MAX_LINKS; i++)
    {
      Link *link = connection->links[i];

      if (link == NULL)
        {
          link = connection->links[i] = g_new0 (Link, 1);
          link->fd = -1;
        }
      if (link->fd >= 0 && g_strcmp0 (link->peer, peer) == 0)
        return link;
      if (chosen == NULL || (chosen->fd >= 0 && (link->fd < 0 || link->last_used < chosen->last_used)))
        chosen = link;
    }
  link_close (chosen);
  return chosen;
}

gboolean
dbt_http_connection_send (DbtHttpConnection    *connection,
                          const DbtHttpRequest *request,
                          DbtHttpResponse      *response,
                          GCancellable         *cancellable,
                          GError              **error)
{
  const char *method;
  g_autofree char *origin = NULL;
  g_autofree char *peer = NULL;
  Url url;
  Exchange exchange = { 0 };
  GPollFD cancel_pollfd = { .fd = -1 };
  gboolean has_pollfd = FALSE;
  gboolean ok = FALSE;

  g_return_val_if_fail (connection != NULL, FALSE);
  g_return_val_if_fail (request != NULL && request->url != NULL, FALSE);
  g_return_val_if_fail (response != NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  response->status = 0;
  response->headers = dbt_http_headers_new ();
  response->body = NULL;

  if (!url_parse (request->url, &url, error))
    {
      dbt_http_response_clear (response);
      return FALSE;
    }
  method = request->method != NULL ? request->method : "GET";
  origin = dbt_http_url_origin (request->url);
  peer = g_strdup_printf ("%s://%s:%u", url.tls ? "https" : "http", url.host, url.port);

  if (cancellable != NULL)
    has_pollfd = g_cancellable_make_pollfd (cancellable, &cancel_pollfd);

  exchange.link = choose_link (connection, peer);
  exchange.origin = origin;
  exchange.cancellable = cancellable;
  exchange.cancel_fd = has_pollfd ? cancel_pollfd.fd : -1;
  exchange.start = g_get_monotonic_time ();
  exchange.deadline = request->timeout_ms != 0
                      ? exchange.start + (gint64) request->timeout_ms * 1000 : G_MAXINT64;

  for (guint round = 0; ; round++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean reused = link_is_reusable (exchange.link, peer);

      if (!reused &&
          !link_open (&exchange, &url, peer, request->connect_timeout_ms, &local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          break;
        }

      exchange.received = 0;
      if (exchange_once (&exchange, request, &url, method, response, &local_error))
        {
          exchange.link->last_used = g_get_monotonic_time ();
          ok = TRUE;
          break;
        }
      link_close (exchange.link);

      /* A kept-alive connection the server closed as we sent on it: once,
       * as libcurl does, try again on a fresh one. Not after any byte of
       * an answer, a timeout or a cancellation. */
      if (reused && round == 0 && exchange.received == 0 &&
          g_error_matches (local_error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONNECT))
        {
          g_ptr_array_set_size (response->headers, 0);
          continue;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      break;
    }

  if (has_pollfd)
    g_cancellable_release_fd (cancellable);
  url_clear (&url);
  if (!ok)
    dbt_http_response_clear (response);
  return ok;
}
