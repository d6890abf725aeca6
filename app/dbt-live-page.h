/* dbt-live-page.h — the Live page of the main window. */
#pragma once

#include <adwaita.h>

#include "dbt-page.h"

G_BEGIN_DECLS

#define DBT_TYPE_LIVE_PAGE (dbt_live_page_get_type ())
G_DECLARE_FINAL_TYPE (DbtLivePage, dbt_live_page, DBT, LIVE_PAGE, GtkWidget)

GtkWidget *dbt_live_page_new (void);

G_END_DECLS
