/* dbt-connections-window.h — the Connections window (the preferences). */
#pragma once

#include <adwaita.h>

#include "dbt-connection-store.h"

G_BEGIN_DECLS

#define DBT_TYPE_CONNECTIONS_WINDOW (dbt_connections_window_get_type ())
G_DECLARE_FINAL_TYPE (DbtConnectionsWindow, dbt_connections_window, DBT, CONNECTIONS_WINDOW, AdwPreferencesWindow)

GtkWidget *dbt_connections_window_new  (DbtConnectionStore *store);

/* Opens the form for @connection (NULL: a new one). */
GtkWidget *dbt_connections_window_edit (DbtConnectionsWindow *self,
                                        DbtConnection        *connection);

G_END_DECLS
