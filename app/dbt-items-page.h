/* dbt-items-page.h — the Items page of the main window. */
#pragma once

#include <adwaita.h>

#include "dbt-page.h"

G_BEGIN_DECLS

#define DBT_TYPE_ITEMS_PAGE (dbt_items_page_get_type ())
G_DECLARE_FINAL_TYPE (DbtItemsPage, dbt_items_page, DBT, ITEMS_PAGE, GtkWidget)

GtkWidget *dbt_items_page_new (void);

G_END_DECLS
