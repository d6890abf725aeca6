/* dbt-runtime-server.h — the Lambda Runtime API, served on loopback for
 * one function's bootstrap process.
 *
 *   GET  /2018-06-01/runtime/invocation/next           blocks until an
 *        invocation is queued; the event is the body, with the headers
 *        Lambda-Runtime-Aws-Request-Id, Lambda-Runtime-Deadline-Ms,
 *        Lambda-Runtime-Invoked-Function-Arn, Lambda-Runtime-Trace-Id
 *   POST /2018-06-01/runtime/invocation/<id>/response  the result (202)
 *   POST /2018-06-01/runtime/invocation/<id>/error     a function error (202)
 *   POST /2018-06-01/runtime/init/error                the runtime could not
 *        start (202); the invocation waiting for it fails
 *
 * A small HTTP/1.1 server (GThreadedSocketService: one thread per
 * connection, keep-alive, Content-Length or chunked bodies). One invocation
 * at a time, as one Lambda execution environment handles them.
 * dbt_runtime_server_invoke() queues an event and waits for its outcome;
 * the function host (dbt-function-host.h) runs the process that serves it
 * and tells the server when that process is replaced or exits.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Lambda's limit on a synchronous response. */
#define DBT_RUNTIME_MAX_RESPONSE_BYTES (6 * 1024 * 1024)

typedef struct _DbtRuntimeServer DbtRuntimeServer;

typedef enum
{
  DBT_INVOCATION_SUCCEEDED,        /* the runtime posted a response */
  DBT_INVOCATION_FUNCTION_ERROR,   /* it posted an error (or init/error, or a response too large) */
  DBT_INVOCATION_TIMED_OUT,        /* no outcome by the deadline */
  DBT_INVOCATION_RUNTIME_EXITED,   /* the process ended first */
  DBT_INVOCATION_CANCELLED,
} DbtInvocationStatus;

typedef struct
{
  DbtInvocationStatus status;
  char               *request_id;
  GBytes             *payload;        /* the response or error body as posted; NULL when none */
  char               *error_type;     /* NULL on success */
  char               *error_message;  /* NULL on success */
  gboolean            init_failed;    /* the runtime reported init/error: replace the process */
  gint64              duration_ms;    /* from handing the event over to the outcome */
} DbtInvocationResult;

void dbt_invocation_result_free (DbtInvocationResult *result);

/* Listens on 127.0.0.1, a free port. @function_arn is sent as
 * Lambda-Runtime-Invoked-Function-Arn. */
DbtRuntimeServer *dbt_runtime_server_new      (const char *function_arn,
                                               GError    **error);
/* Stops listening and wakes every waiting connection. */
void              dbt_runtime_server_free     (DbtRuntimeServer *server);
guint16           dbt_runtime_server_get_port (DbtRuntimeServer *server);

/* A new process is about to start: connections of the previous one stop
 * waiting for work (they are closed), so an event is never handed to a
 * process that is gone. */
void              dbt_runtime_server_reset    (DbtRuntimeServer *server);

/* Queues @event and waits until the runtime posts its outcome, at most
 * @start_timeout_ms for the runtime to ask for it and then @timeout_ms
 * (the function's timeout, sent as the deadline) for the outcome.
 * Thread-safe; calls are served one after the other. */
DbtInvocationResult *dbt_runtime_server_invoke (DbtRuntimeServer *server,
                                                const char       *request_id,  /* NULL: a new UUID */
                                                GBytes           *event,
                                                guint             timeout_ms,
                                                guint             start_timeout_ms,
                                                GCancellable     *cancellable);

/* The process serving the current invocation ended: it fails with
 * DBT_INVOCATION_RUNTIME_EXITED, @error_type and @message. No-op when no
 * invocation is waiting. */
void              dbt_runtime_server_fail_current (DbtRuntimeServer *server,
                                                   const char       *error_type,
                                                   const char       *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtInvocationResult, dbt_invocation_result_free)

G_END_DECLS
