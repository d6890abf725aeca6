/* dbt-window-actions.c — the window's actions and their keyboard shortcuts. */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-owners-page.h"
#include "dbt-page.h"
#include "dbt-window-private.h"

static void
dbt_window_actions_search (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  DbtWindow *self = DBT_WINDOW (widget);
  GtkWidget *page = dbt_window_get_visible_page (self);

  if (DBT_IS_PAGE (page) && dbt_page_search (DBT_PAGE (page)))
    return;

  /* Pages without a search start one on the items. */
  dbt_window_set_page_name (self, "items");
  page = dbt_window_get_visible_page (self);
  if (DBT_IS_PAGE (page))
    dbt_page_search (DBT_PAGE (page));
}

static void
dbt_window_actions_new_item (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  DbtWindow *self = DBT_WINDOW (widget);
  GtkWidget *page;

  dbt_window_set_page_name (self, "items");
  page = dbt_window_get_visible_page (self);
  if (DBT_IS_PAGE (page))
    dbt_page_new_item (DBT_PAGE (page));
}

static void
dbt_window_actions_refresh (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  GtkWidget *page = dbt_window_get_visible_page (DBT_WINDOW (widget));

  if (DBT_IS_PAGE (page))
    dbt_page_refresh (DBT_PAGE (page));
}

/* The owner-facing sign-up lives on the Owners page. */
static void
dbt_window_actions_subscribe_me (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  DbtWindow *self = DBT_WINDOW (widget);
  GtkWidget *page;

  dbt_window_set_page_name (self, "owners");
  page = dbt_window_get_page (self, "owners");
  if (DBT_IS_OWNERS_PAGE (page))
    dbt_owners_page_subscribe_me (DBT_OWNERS_PAGE (page));
}

static void
dbt_window_actions_show_page (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  guint32 number = g_variant_get_uint32 (param);

  /* Ctrl+1 is the first page. */
  if (number >= 1)
    dbt_window_show_page_at (DBT_WINDOW (widget), number - 1);
}

void
dbt_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.search", NULL, dbt_window_actions_search);
  gtk_widget_class_install_action (widget_class, "win.new-item", NULL, dbt_window_actions_new_item);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, dbt_window_actions_refresh);
  gtk_widget_class_install_action (widget_class, "win.show-page", "u", dbt_window_actions_show_page);
  gtk_widget_class_install_action (widget_class, "win.subscribe-me", NULL, dbt_window_actions_subscribe_me);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-item", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);

  for (guint i = 1; i <= 9; i++)
    {
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + i, GDK_CONTROL_MASK,
                                           "win.show-page", "u", i);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0 + i, GDK_CONTROL_MASK,
                                           "win.show-page", "u", i);
    }
}
