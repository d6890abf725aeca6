/* dbt-connection-editor.h — the form that adds or edits one connection.
 *
 * Shown as a subpage of the Connections window. Validates at the field
 * (empty or duplicate name, malformed endpoint URL or region, missing
 * access key), saves the connection in the store and its secret access key
 * in the keyring, then emits "done".
 */
#pragma once

#include <adwaita.h>

#include "dbt-connection-store.h"

G_BEGIN_DECLS

#define DBT_TYPE_CONNECTION_EDITOR (dbt_connection_editor_get_type ())
G_DECLARE_FINAL_TYPE (DbtConnectionEditor, dbt_connection_editor, DBT, CONNECTION_EDITOR, AdwBin)

/* @connection NULL: a new connection. */
GtkWidget     *dbt_connection_editor_new            (DbtConnectionStore *store,
                                                     DbtConnection      *connection);
/* The connection edited, or NULL for a new one not saved yet. */
DbtConnection *dbt_connection_editor_get_connection (DbtConnectionEditor *self);

G_END_DECLS
