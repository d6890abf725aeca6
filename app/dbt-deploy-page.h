/* dbt-deploy-page.h — the Deploy page of the main window. */
#pragma once

#include <adwaita.h>

#include "dbt-page.h"

G_BEGIN_DECLS

#define DBT_TYPE_DEPLOY_PAGE (dbt_deploy_page_get_type ())
G_DECLARE_FINAL_TYPE (DbtDeployPage, dbt_deploy_page, DBT, DEPLOY_PAGE, GtkWidget)

GtkWidget *dbt_deploy_page_new (void);

G_END_DECLS
