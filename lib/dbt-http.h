/* dbt-http.h — one HTTP exchange over libcurl, nothing AWS-specific.
 *
 * A DbtHttpConnection wraps one curl easy handle (so keep-alive connections
 * are reused). It is not thread-safe: use one per thread, or borrow one from
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

/* One attempt. FALSE only for transport failures (DBT_AWS_ERROR_CONNECT,
 * DBT_AWS_ERROR_TIMEOUT, a truncated body); any HTTP status is a success here.
 * Cancelling @cancellable aborts the transfer promptly. */
gboolean dbt_http_connection_send (DbtHttpConnection    *connection,
                                   const DbtHttpRequest *request,
                                   DbtHttpResponse      *response,
                                   GCancellable         *cancellable,
                                   GError              **error);

void     dbt_http_response_clear  (DbtHttpResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtHttpConnection, dbt_http_connection_free)

G_END_DECLS
