/* dbt-runtime.h — the Lambda Runtime API client (version 2018-06-01).
 *
 * A custom runtime asks Lambda for work and hands back results over plain
 * HTTP on the address in AWS_LAMBDA_RUNTIME_API ("host:port"):
 *
 *   GET  /2018-06-01/runtime/invocation/next          the next event (blocks,
 *                                                     no timeout: the
 *                                                     environment may be
 *                                                     frozen in between)
 *   POST /2018-06-01/runtime/invocation/ID/response   the invocation's result
 *   POST /2018-06-01/runtime/invocation/ID/error      the invocation failed
 *   POST /2018-06-01/runtime/init/error               start-up failed
 *
 * Errors are posted as {"errorMessage": ..., "errorType": ...} with the
 * header Lambda-Runtime-Function-Error-Type set to the type. One HTTP
 * connection is kept for the life of the process. Not thread-safe.
 *
 * Failures are DBT_AWS_ERROR errors: CONNECT / TIMEOUT for transport
 * failures, SERVER for a 5xx (the Runtime API's "container error": the
 * runtime should exit), CLIENT for another unexpected status,
 * MALFORMED_RESPONSE for a next without a request id, CONFIG when
 * AWS_LAMBDA_RUNTIME_API is missing or malformed.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DBT_RUNTIME_API_VERSION "2018-06-01"

typedef struct _DbtRuntime DbtRuntime;

typedef struct
{
  char   *request_id;            /* Lambda-Runtime-Aws-Request-Id */
  gint64  deadline_ms;           /* Lambda-Runtime-Deadline-Ms, epoch ms; 0 when absent */
  char   *invoked_function_arn;  /* Lambda-Runtime-Invoked-Function-Arn, or NULL */
  char   *trace_id;              /* Lambda-Runtime-Trace-Id, or NULL */
  GBytes *event;                 /* the payload, as received */
} DbtInvocation;

/* @api_address is "host:port" as in AWS_LAMBDA_RUNTIME_API. */
DbtRuntime    *dbt_runtime_new              (const char  *api_address,
                                             GError     **error);
/* Reads AWS_LAMBDA_RUNTIME_API from @envp (environ-style, NULL-terminated). */
DbtRuntime    *dbt_runtime_new_from_environ (char *const *envp,
                                             GError     **error);
void           dbt_runtime_free             (DbtRuntime *runtime);
const char    *dbt_runtime_get_address      (DbtRuntime *runtime);

/* Waits for the next invocation. Also sets _X_AMZN_TRACE_ID in the process
 * environment to its trace id (unsets it when there is none), as the
 * Runtime API asks of runtimes; call it between invocations only. */
DbtInvocation *dbt_runtime_next             (DbtRuntime  *runtime,
                                             GError     **error);

gboolean       dbt_runtime_respond          (DbtRuntime  *runtime,
                                             const char  *request_id,
                                             const char  *body,
                                             gsize        body_len,
                                             GError     **error);

/* @error_type: "Runtime.InvalidEvent" and the like; @message: for people. */
gboolean       dbt_runtime_report_error     (DbtRuntime  *runtime,
                                             const char  *request_id,
                                             const char  *error_type,
                                             const char  *message,
                                             GError     **error);

gboolean       dbt_runtime_report_init_error (DbtRuntime  *runtime,
                                              const char  *error_type,
                                              const char  *message,
                                              GError     **error);

/* The error document posted by the two calls above (compact JSON). */
char          *dbt_runtime_render_error     (const char  *error_type,
                                             const char  *message);

/* Milliseconds left before @invocation's deadline at @now_ms (epoch ms);
 * G_MAXINT64 when the invocation has no deadline, negative once past. */
gint64         dbt_invocation_get_remaining_ms (const DbtInvocation *invocation,
                                                gint64               now_ms);
void           dbt_invocation_free          (DbtInvocation *invocation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtRuntime, dbt_runtime_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtInvocation, dbt_invocation_free)

G_END_DECLS
