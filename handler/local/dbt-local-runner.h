/* dbt-local-runner.h — the supervisor of dbtrigger-local: every few
 * seconds it re-reads the Terraform outputs and the event source mappings
 * (ListEventSourceMappings), starts a dbt-mapping-runner.h for each
 * enabled mapping on a DynamoDB stream, replaces one whose settings
 * changed, stops one that is gone, and keeps one dbt-function-host.h per
 * function. It also runs the outbox (dbt-outbox.h). It writes
 * STACK_DIR/runner-status.json ({"pid", "state", "updated", "outbox",
 * "mappings": [{"uuid", "functionArn", "eventSourceArn"}]}) on every
 * change, for the console and scripts.
 */
#pragma once

#include <glib.h>
#include "dbt-local-context.h"

G_BEGIN_DECLS

/* How often mappings and outputs are read again. */
#define DBT_LOCAL_REFRESH_MS 5000

typedef struct _DbtLocalRunner DbtLocalRunner;

/* Starts the supervisor thread. In --once mode @on_done is called (from
 * the main context, once) when everything there was got processed. */
DbtLocalRunner *dbt_local_runner_start (DbtLocalContext *context,
                                        GSourceFunc      on_done,
                                        gpointer         user_data);
/* Stops every thread and kills the bootstrap processes; then waits (up
 * to 2 s, iterating the main context) for them to be reaped. */
void            dbt_local_runner_stop  (DbtLocalRunner *runner);
void            dbt_local_runner_free  (DbtLocalRunner *runner);

G_END_DECLS
