/* dbt-connection-resolve.h — a connection turned into what the AWS calls need.
 *
 * Resolving reads files (stack.env, terraform-outputs.json, ~/.aws) and the
 * keyring, so it runs on a worker thread; the pages call the async form and
 * build their DbtAwsClient from the result's config.
 */
#pragma once

#include <gio/gio.h>

#include "dbt-connection.h"
#include "dbt-credentials.h"

G_BEGIN_DECLS

typedef struct
{
  char         *connection_id;
  char         *connection_name;
  DbtAwsConfig *config;
  /* Terraform outputs of the local stack ("table_name" → "..."); empty for
   * other connections and when the stack has no outputs file. */
  GHashTable   *outputs;
  /* The local stack's folder (stack.env, outbox, runner); NULL for other connections. */
  char         *stack_dir;
} DbtResolvedConnection;

void                   dbt_connection_resolve_async  (DbtConnection       *connection,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
DbtResolvedConnection *dbt_connection_resolve_finish (GAsyncResult        *result,
                                                      GError             **error);

void                   dbt_resolved_connection_free  (DbtResolvedConnection *resolved);

/* The same in two steps, for code that already runs on a worker thread:
 * take the snapshot on the main thread (DbtConnection is not thread-safe),
 * resolve it on any thread. */
typedef struct _DbtConnectionSnapshot DbtConnectionSnapshot;

DbtConnectionSnapshot *dbt_connection_snapshot_new     (DbtConnection          *connection);
DbtResolvedConnection *dbt_connection_snapshot_resolve (DbtConnectionSnapshot  *snapshot,
                                                        GCancellable           *cancellable,
                                                        GError                **error);
void                   dbt_connection_snapshot_free    (DbtConnectionSnapshot  *snapshot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtResolvedConnection, dbt_resolved_connection_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtConnectionSnapshot, dbt_connection_snapshot_free)

G_END_DECLS
