/* dbt-window-private.h — shared between dbt-window.c and dbt-window-actions.c. */
#pragma once

#include "dbt-connection-store.h"
#include "dbt-window.h"

G_BEGIN_DECLS

struct _DbtWindow
{
  AdwApplicationWindow parent_instance;

  DbtConnectionStore  *store;
  GSettings           *settings;

  /* template children */
  AdwToastOverlay     *toast_overlay;
  AdwLeaflet          *leaflet;
  GtkWidget           *sidebar_box;
  GtkListBox          *sidebar;
  GtkWidget           *content_box;
  GtkButton           *back_button;
  AdwWindowTitle      *window_title;
  GtkDropDown         *connection_dropdown;
  GtkStack            *stack;
};

void     dbt_window_class_actions_init (GtkWidgetClass *widget_class);
GtkWidget *dbt_window_get_visible_page  (DbtWindow *self);
void     dbt_window_show_page_at        (DbtWindow *self,
                                         guint      position);

G_END_DECLS
