/* dbt-owners-page.h — the Owners page of the main window. */
#pragma once

#include <adwaita.h>

#include "dbt-page.h"

G_BEGIN_DECLS

#define DBT_TYPE_OWNERS_PAGE (dbt_owners_page_get_type ())
G_DECLARE_FINAL_TYPE (DbtOwnersPage, dbt_owners_page, DBT, OWNERS_PAGE, GtkWidget)

GtkWidget *dbt_owners_page_new (void);

G_END_DECLS
