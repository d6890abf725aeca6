/* dbt-connection-store.h — the connections the console knows, and which is active.
 *
 * A GListModel of DbtConnection: first the built-in "Local stack", then the
 * user's connections in the order they were added. They are kept in the
 * GSettings key "connections" (without secrets); the active one in
 * "active-connection". Secret access keys go to the keyring through
 * libsecret (schema "io.github.dbtrigger.Console.Credentials", attribute
 * "connection-id"), always asynchronously; they are never logged.
 */
#pragma once

#include <gio/gio.h>

#include "dbt-connection.h"

G_BEGIN_DECLS

#define DBT_TYPE_CONNECTION_STORE (dbt_connection_store_get_type ())
G_DECLARE_FINAL_TYPE (DbtConnectionStore, dbt_connection_store, DBT, CONNECTION_STORE, GObject)

DbtConnectionStore *dbt_connection_store_new            (GSettings *settings);

DbtConnection      *dbt_connection_store_lookup         (DbtConnectionStore *self,
                                                         const char         *id);
DbtConnection      *dbt_connection_store_find_by_name   (DbtConnectionStore *self,
                                                         const char         *name);
/* Position of @connection in the model, or G_MAXUINT. */
guint               dbt_connection_store_get_position   (DbtConnectionStore *self,
                                                         DbtConnection      *connection);

/* Never NULL: falls back to the local stack. */
DbtConnection      *dbt_connection_store_get_active     (DbtConnectionStore *self);
void                dbt_connection_store_set_active     (DbtConnectionStore *self,
                                                         DbtConnection      *connection);

/* Appends and saves. */
void                dbt_connection_store_add            (DbtConnectionStore *self,
                                                         DbtConnection      *connection);
/* Saves after a connection's fields changed. */
void                dbt_connection_store_save           (DbtConnectionStore *self);
/* Removes, saves, and forgets the connection's secret in the keyring. */
void                dbt_connection_store_remove         (DbtConnectionStore *self,
                                                         DbtConnection      *connection);

/* A name the user may give @connection (NULL: a new one): not empty, not
 * another connection's. The error is in words for the user. */
gboolean            dbt_connection_store_validate_name  (DbtConnectionStore *self,
                                                         const char         *name,
                                                         DbtConnection      *connection,
                                                         GError            **error);

/* The keyring. @secret NULL or empty clears it. */
void                dbt_connection_store_store_secret_async  (DbtConnectionStore  *self,
                                                              DbtConnection       *connection,
                                                              const char          *secret,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean            dbt_connection_store_store_secret_finish (DbtConnectionStore  *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
/* Returns the secret (NULL with no error when there is none); free it with
 * dbt_connection_store_free_secret. */
void                dbt_connection_store_lookup_secret_async  (DbtConnectionStore  *self,
                                                               DbtConnection       *connection,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
char               *dbt_connection_store_lookup_secret_finish (DbtConnectionStore  *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
/* Worker threads only. */
char               *dbt_connection_store_lookup_secret_sync   (DbtConnection       *connection,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
void                dbt_connection_store_free_secret          (char *secret);

G_END_DECLS
