/* dbt-http.h — one HTTP exchange, nothing AWS-specific. Two transports
 * implement it: libcurl (lib/dbt-http.c; the console, the runner, the tests)
 * and a small HTTP/1.1 client on OpenSSL (lib/dbt-http-openssl.c; the Lambda
 * package, which then needs no libcurl and its 27 extra libraries).
 *
 * A DbtHttpConnection keeps its connections open between requests
 * (keep-alive; a curl easy handle, or up to four sockets, one per host). It is not thread-safe: use one per thread, or borrow one from
 * a DbtAwsClient's pool. TLS peers are always verified.
 */
#pragma once

#include <gio/gio.h>
#include "dbt-sigv4.h"

G_BEGIN_DECLS

typedef struct _DbtHttpConnection DbtHttpConnection;

typedef struct
{
  const char *method;
  const char *url;
  GPtrArray  *headers;      /* DbtHttpHeader* */
  GBytes     *body;         /* NULL: empty */
  guint       connect_timeout_ms;
  guint       timeout_ms;   /* whole exchange */
} DbtHttpRequest;

typedef struct
{
  guint      status;
  GPtrArray *headers;       /* DbtHttpHeader*, names as received */
  GBytes    *body;
} DbtHttpResponse;

DbtHttpConnection *dbt_http_connection_new  (void);
void               dbt_http_connection_free (DbtHttpConnection *connection);

/* One attempt. FALSE only for transport failures; any HTTP status is a
 * success here, with @response filled (dbt_http_response_clear it). Failures:
 *   DBT_AWS_ERROR_CONNECT   refused, unknown host, TLS failure, connection
 *                           reset or closed before any answer; the message
 *                           names the endpoint ("cannot connect to
 *                           http://127.0.0.1:1: Connection refused")
 *   DBT_AWS_ERROR_TIMEOUT   connect_timeout_ms or timeout_ms passed (0: none
 *                           for the exchange, libcurl's 300 s to connect)
 *   DBT_AWS_ERROR_MALFORMED_RESPONSE  a truncated body (fewer bytes than
 *                           Content-Length, then closed), a peer that does
 *                           not speak HTTP, a body over 512 MiB
 *   DBT_AWS_ERROR_CONFIG    a URL curl cannot use (malformed, not http(s))
 *   G_IO_ERROR_CANCELLED    @cancellable was cancelled: the transfer stops at
 *                           once (the wait is woken, not polled)
 * Requests go out as HTTP/1.1 with exactly the given headers plus framing:
 * no "Expect: 100-continue", no default Accept or Content-Type. Redirects are
 * not followed. */
gboolean dbt_http_connection_send (DbtHttpConnection    *connection,
                                   const DbtHttpRequest *request,
                                   DbtHttpResponse      *response,
                                   GCancellable         *cancellable,
                                   GError              **error);

void     dbt_http_response_clear  (DbtHttpResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtHttpConnection, dbt_http_connection_free)

G_END_DECLS
