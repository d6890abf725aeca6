/* dbt-window.h — the main window: a sidebar of pages, the active connection,
 * and a toast overlay that every page reports through. */
#pragma once

#include <adwaita.h>

#include "dbt-application.h"

G_BEGIN_DECLS

#define DBT_TYPE_WINDOW (dbt_window_get_type ())
G_DECLARE_FINAL_TYPE (DbtWindow, dbt_window, DBT, WINDOW, AdwApplicationWindow)

DbtWindow  *dbt_window_new             (DbtApplication *application);

/* The page named @name ("items", "owners", "live", "deploy"), or NULL. */
GtkWidget  *dbt_window_get_page        (DbtWindow  *self,
                                        const char *name);
const char *dbt_window_get_page_name   (DbtWindow  *self);
void        dbt_window_set_page_name   (DbtWindow  *self,
                                        const char *name);

/* A short message at the bottom of the window. */
void        dbt_window_show_toast      (DbtWindow  *self,
                                        const char *message);
/* An error, as the user should read it: stays until dismissed. */
void        dbt_window_show_error      (DbtWindow    *self,
                                        const GError *error);

/* The window containing @widget, or NULL. For pages. */
DbtWindow  *dbt_window_for_widget      (GtkWidget *widget);

G_END_DECLS
