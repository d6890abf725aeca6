/* dbt-items-page.h — the Items page of the main window. */
#pragma once

#include <adwaita.h>

#include "dbt-page.h"

G_BEGIN_DECLS

#define DBT_TYPE_ITEMS_PAGE (dbt_items_page_get_type ())
G_DECLARE_FINAL_TYPE (DbtItemsPage, dbt_items_page, DBT, ITEMS_PAGE, GtkWidget)

GtkWidget *dbt_items_page_new           (void);

/* TRUE while the session or a batch of items is on its way ("loading"). */
gboolean   dbt_items_page_get_loading   (DbtItemsPage *self);
/* TRUE once the table (or the filter's scan) has been read to its end. */
gboolean   dbt_items_page_get_complete  (DbtItemsPage *self);
/* Items per Scan or Query request, from the next request on (default 200). */
void       dbt_items_page_set_page_size (DbtItemsPage *self,
                                         guint         page_size);

G_END_DECLS
