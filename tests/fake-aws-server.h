/* fake-aws-server.h — a scripted HTTP server on 127.0.0.1 for the transport
 * and retry tests.
 *
 * This is a mock at a boundary the local stack cannot provide: moto answers
 * correctly, so it can never send a 500, a throttling error, a truncated body
 * or a page of HTML on cue. The server answers each request with the next
 * scripted response (the last one repeats once the script runs out) and
 * records every request it got, so tests can check what was sent.
 */
#pragma once

#include <gio/gio.h>
#include "dbt-sigv4.h"

G_BEGIN_DECLS

typedef struct _FakeAwsServer FakeAwsServer;

typedef struct
{
  char      *method;
  char      *path;       /* with the query, as on the request line */
  GPtrArray *headers;    /* DbtHttpHeader* */
  GBytes    *body;
  guint      connection; /* 1 for the first connection accepted, 2... */
} FakeRequest;

typedef enum
{
  FAKE_KEEP_OPEN,        /* keep-alive: wait for the next request */
  FAKE_CLOSE,            /* close the connection after the response */
  FAKE_HANG,             /* send nothing, hold the connection until stopped */
} FakeAction;

FakeAwsServer *fake_aws_server_new    (void);
void           fake_aws_server_free   (FakeAwsServer *server);
/* "http://127.0.0.1:<port>" */
const char    *fake_aws_server_get_url (FakeAwsServer *server);

/* Queues raw bytes to send as one response, exactly as given. */
void fake_aws_server_add_raw (FakeAwsServer *server,
                              const char    *raw,
                              FakeAction     action);
/* Queues a well-formed response; @headers is "Name: value\r\n" lines or NULL. */
void fake_aws_server_add     (FakeAwsServer *server,
                              guint          status,
                              const char    *headers,
                              const char    *body);

/* Requests received so far (FakeRequest*, owned by the server). */
guint              fake_aws_server_get_n_requests (FakeAwsServer *server);
const FakeRequest *fake_aws_server_get_request    (FakeAwsServer *server,
                                                   guint          index);
guint              fake_aws_server_get_n_connections (FakeAwsServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeAwsServer, fake_aws_server_free)

G_END_DECLS
