/* dbt-owners-page.c — the Owners page of the main window.
 *
 * For now it says what it will show and which connection is active.
 */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-owners-page.h"

struct _DbtOwnersPage
{
  GtkWidget parent_instance;

  DbtConnection  *connection;

  AdwStatusPage  *status_page;
  GtkButton      *refresh_button;
  GtkSearchBar   *search_bar;
  GtkSearchEntry *search_entry;
};

static void dbt_owners_page_page_init (DbtPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DbtOwnersPage, dbt_owners_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (DBT_TYPE_PAGE, dbt_owners_page_page_init))

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static void
dbt_owners_page_update (DbtOwnersPage *self)
{
  dbt_page_describe_connection (self->status_page,
                                _("The owners of the items and their email subscriptions will be managed here. An owner is notified once their subscription is confirmed."),
                                self->connection);
}

static void
dbt_owners_page_refresh (DbtPage *page)
{
  dbt_owners_page_update (DBT_OWNERS_PAGE (page));
}

static gboolean
dbt_owners_page_search (DbtPage *page)
{
  DbtOwnersPage *self = DBT_OWNERS_PAGE (page);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return TRUE;
}

static void
dbt_owners_page_page_init (DbtPageInterface *iface)
{
  iface->refresh = dbt_owners_page_refresh;
  iface->search = dbt_owners_page_search;
}

static void
dbt_owners_page_dispose (GObject *object)
{
  DbtOwnersPage *self = DBT_OWNERS_PAGE (object);

  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DBT_TYPE_OWNERS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (dbt_owners_page_parent_class)->dispose (object);
}

static void
dbt_owners_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DbtOwnersPage *self = DBT_OWNERS_PAGE (object);

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
dbt_owners_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DbtOwnersPage *self = DBT_OWNERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      if (g_set_object (&self->connection, g_value_get_object (value)))
        {
          dbt_owners_page_update (self);
          g_object_notify (object, "connection");
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_owners_page_class_init (DbtOwnersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbt_owners_page_dispose;
  object_class->get_property = dbt_owners_page_get_property;
  object_class->set_property = dbt_owners_page_set_property;
  dbt_page_install_properties (object_class, PROP_CONNECTION);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/dbt-owners-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, search_entry);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dbtownerspage");
}

static void
dbt_owners_page_init (DbtOwnersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  dbt_owners_page_update (self);
}

GtkWidget *
dbt_owners_page_new (void)
{
  return g_object_new (DBT_TYPE_OWNERS_PAGE, NULL);
}
