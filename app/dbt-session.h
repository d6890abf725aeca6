/* dbt-session.h — a connection made ready for the pages: its AWS client and
 * the names of the deployment's resources.
 *
 * Loading resolves the connection (dbt-connection-resolve.h), builds one
 * DbtAwsClient, and finds the resources:
 *  - on the local stack, from the Terraform outputs (terraform-outputs.json);
 *  - elsewhere, from the handler function itself: its environment names the
 *    topic, log table, items table and owner attribute; its stream mapping
 *    names the stream and the dead-letter queue. The function is
 *    "dbtrigger-handler" unless DBT_FUNCTION_NAME says otherwise.
 * A name that cannot be found stays NULL; the page that needs it says so.
 *
 * Loading runs on a worker thread; a DbtSession is immutable afterwards and
 * may be used from any thread (the client is thread-safe).
 */
#pragma once

#include <gio/gio.h>

#include "dbt-aws-client.h"
#include "dbt-connection.h"
#include "dbt-connection-resolve.h"

G_BEGIN_DECLS

typedef struct
{
  char         *connection_id;
  char         *connection_name;
  gboolean      is_local_stack;
  DbtAwsClient *client;
  char         *region;
  char         *table_name;         /* the items table */
  char         *stream_arn;
  char         *owner_attribute;    /* "owner" unless configured */
  char         *log_table_name;     /* the notification log */
  char         *log_owner_index;    /* its owner + sentAt index, or NULL */
  char         *topic_arn;
  char         *function_name;
  char         *queue_url;          /* the dead-letter queue */
  char         *code_bucket;        /* where deployed zips live (local stack), or NULL */
  char         *stack_dir;          /* the local stack's folder (outbox, runner), or NULL */
} DbtSession;

DbtSession *dbt_session_ref          (DbtSession *session);
void        dbt_session_unref        (DbtSession *session);

void        dbt_session_load_async   (DbtConnection       *connection,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
DbtSession *dbt_session_load_finish  (GAsyncResult        *result,
                                      GError             **error);

/* Blocking form, for worker threads and tests; the snapshot is taken on
 * the main thread (dbt_connection_snapshot_new). */
DbtSession *dbt_session_load         (DbtConnectionSnapshot *snapshot,
                                      GCancellable          *cancellable,
                                      GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtSession, dbt_session_unref)

G_END_DECLS
