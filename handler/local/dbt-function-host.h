/* dbt-function-host.h — one function's execution environment: its deployed
 * code, its bootstrap process and the Runtime API that process talks to.
 *
 * Before every invocation the host reads the function's configuration
 * (GetFunctionConfiguration); when CodeSha256, the environment, the
 * handler, the memory size or the timeout changed since the process
 * started (a deploy), the old process is stopped and the next one runs the
 * new code, resolved through dbt-code-cache.h. The process is started on
 * demand, restarted after it exits, and killed when an invocation times
 * out or its runtime reports an init error.
 *
 * The process sees only Lambda's environment: the function's variables,
 * then AWS_LAMBDA_RUNTIME_API, AWS_LAMBDA_FUNCTION_NAME,
 * AWS_LAMBDA_FUNCTION_MEMORY_SIZE, AWS_LAMBDA_FUNCTION_VERSION ($LATEST),
 * AWS_LAMBDA_LOG_GROUP_NAME, AWS_LAMBDA_LOG_STREAM_NAME, AWS_EXECUTION_ENV,
 * LAMBDA_TASK_ROOT, _HANDLER, AWS_REGION, AWS_DEFAULT_REGION, the stack's
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_ENDPOINT_URL, TZ=:UTC,
 * LANG, and Lambda's PATH and LD_LIBRARY_PATH (with the task root for
 * /var/task) — nothing of the runner's own environment. Its stdout and
 * stderr, with START/END/REPORT lines per invocation, go to
 * STACK_DIR/logs/<function name>.log, as CloudWatch Logs would keep them.
 *
 * Invocations of one host are served one at a time. Thread-safe.
 */
#pragma once

#include <gio/gio.h>
#include "dbt-aws-client.h"
#include "dbt-local-config.h"
#include "dbt-runtime-server.h"

G_BEGIN_DECLS

typedef struct _DbtFunctionHost DbtFunctionHost;

/* @config must outlive the host. Fails when no Runtime API port can be
 * opened. */
DbtFunctionHost *dbt_function_host_new   (DbtAwsClient         *client,
                                          const DbtLocalConfig *config,
                                          const char           *function_arn,
                                          GError              **error);
DbtFunctionHost *dbt_function_host_ref   (DbtFunctionHost *host);
void             dbt_function_host_unref (DbtFunctionHost *host);

/* Invokes with @event. An error means the function could not be invoked
 * at all (its configuration or code could not be read, the process could
 * not start): nothing ran. Outcomes of running code (success, function
 * error, timeout, crash) are in the result. */
DbtInvocationResult *dbt_function_host_invoke (DbtFunctionHost *host,
                                               const char      *code_bucket,
                                               GBytes          *event,
                                               GCancellable    *cancellable,
                                               GError         **error);

const char      *dbt_function_host_get_function_arn (DbtFunctionHost *host);

/* Kills the process, if any (the next invocation starts a new one). */
void             dbt_function_host_stop   (DbtFunctionHost *host);
/* TRUE while a process of this host has not been reaped yet. */
gboolean         dbt_function_host_has_process (DbtFunctionHost *host);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtFunctionHost, dbt_function_host_unref)

G_END_DECLS
