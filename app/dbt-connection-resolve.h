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
} DbtResolvedConnection;

void                   dbt_connection_resolve_async  (DbtConnection       *connection,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
DbtResolvedConnection *dbt_connection_resolve_finish (GAsyncResult        *result,
                                                      GError             **error);

void                   dbt_resolved_connection_free  (DbtResolvedConnection *resolved);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtResolvedConnection, dbt_resolved_connection_free)

G_END_DECLS
