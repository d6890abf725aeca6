/* dbt-application.h — the dbtrigger console application. */
#pragma once

#include <adwaita.h>

#include "dbt-connection-store.h"

G_BEGIN_DECLS

#define DBT_TYPE_APPLICATION (dbt_application_get_type ())
G_DECLARE_FINAL_TYPE (DbtApplication, dbt_application, DBT, APPLICATION, AdwApplication)

/* Binds the message catalogue: $DBT_LOCALEDIR (the build tree's po/ when
 * running uninstalled, and in tests), else the installed locale dir. Call
 * once, before any string is translated. */
void                dbt_application_init_i18n            (void);

DbtApplication     *dbt_application_new                  (GApplicationFlags flags);
GSettings          *dbt_application_get_settings         (DbtApplication *self);
DbtConnectionStore *dbt_application_get_connection_store (DbtApplication *self);

/* Opens the Connections window over the active window. */
GtkWindow          *dbt_application_show_connections     (DbtApplication *self);

G_END_DECLS
