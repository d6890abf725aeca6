/* dbt-items-page.c — the Items page of the main window.
 *
 * For now it says what it will show and which connection is active.
 */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-items-page.h"

struct _DbtItemsPage
{
  GtkWidget parent_instance;

  DbtConnection  *connection;

  AdwStatusPage  *status_page;
  GtkButton      *refresh_button;
  GtkSearchBar   *search_bar;
  GtkSearchEntry *search_entry;
};

static void dbt_items_page_page_init (DbtPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DbtItemsPage, dbt_items_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (DBT_TYPE_PAGE, dbt_items_page_page_init))

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static void
dbt_items_page_update (DbtItemsPage *self)
{
  dbt_page_describe_connection (self->status_page,
                                _("The items of the connection’s table will be listed here, with every DynamoDB type and exact numbers. You will edit them and add new ones."),
                                self->connection);
}

static void
dbt_items_page_refresh (DbtPage *page)
{
  dbt_items_page_update (DBT_ITEMS_PAGE (page));
}

static gboolean
dbt_items_page_search (DbtPage *page)
{
  DbtItemsPage *self = DBT_ITEMS_PAGE (page);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return TRUE;
}

static void
dbt_items_page_new_item (DbtPage *page)
{
  DbtItemsPage *self = DBT_ITEMS_PAGE (page);

  /* Nothing to create items in until the table is listed; show where it will be. */
  gtk_widget_grab_focus (GTK_WIDGET (self->refresh_button));
}

static void
dbt_items_page_page_init (DbtPageInterface *iface)
{
  iface->refresh = dbt_items_page_refresh;
  iface->search = dbt_items_page_search;
  iface->new_item = dbt_items_page_new_item;
}

static void
dbt_items_page_dispose (GObject *object)
{
  DbtItemsPage *self = DBT_ITEMS_PAGE (object);

  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DBT_TYPE_ITEMS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (dbt_items_page_parent_class)->dispose (object);
}

static void
dbt_items_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DbtItemsPage *self = DBT_ITEMS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_items_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DbtItemsPage *self = DBT_ITEMS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      if (g_set_object (&self->connection, g_value_get_object (value)))
        {
          dbt_items_page_update (self);
          g_object_notify (object, "connection");
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_items_page_class_init (DbtItemsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbt_items_page_dispose;
  object_class->get_property = dbt_items_page_get_property;
  object_class->set_property = dbt_items_page_set_property;
  dbt_page_install_properties (object_class, PROP_CONNECTION);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/dbt-items-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, search_entry);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dbtitemspage");
}

static void
dbt_items_page_init (DbtItemsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  dbt_items_page_update (self);
}

GtkWidget *
dbt_items_page_new (void)
{
  return g_object_new (DBT_TYPE_ITEMS_PAGE, NULL);
}
