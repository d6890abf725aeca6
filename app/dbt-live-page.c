/* dbt-live-page.c — the Live page of the main window.
 *
 * For now it says what it will show and which connection is active.
 */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-live-page.h"

struct _DbtLivePage
{
  GtkWidget parent_instance;

  DbtConnection  *connection;

  AdwStatusPage  *status_page;
  GtkButton      *refresh_button;
};

static void dbt_live_page_page_init (DbtPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DbtLivePage, dbt_live_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (DBT_TYPE_PAGE, dbt_live_page_page_init))

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static void
dbt_live_page_update (DbtLivePage *self)
{
  dbt_page_describe_connection (self->status_page,
                                _("Changes read from the table’s stream and the notifications delivered for them will appear here as they happen."),
                                self->connection);
}

static void
dbt_live_page_refresh (DbtPage *page)
{
  dbt_live_page_update (DBT_LIVE_PAGE (page));
}

static void
dbt_live_page_page_init (DbtPageInterface *iface)
{
  iface->refresh = dbt_live_page_refresh;
}

static void
dbt_live_page_dispose (GObject *object)
{
  DbtLivePage *self = DBT_LIVE_PAGE (object);

  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DBT_TYPE_LIVE_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (dbt_live_page_parent_class)->dispose (object);
}

static void
dbt_live_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DbtLivePage *self = DBT_LIVE_PAGE (object);

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
dbt_live_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DbtLivePage *self = DBT_LIVE_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      if (g_set_object (&self->connection, g_value_get_object (value)))
        {
          dbt_live_page_update (self);
          g_object_notify (object, "connection");
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_live_page_class_init (DbtLivePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbt_live_page_dispose;
  object_class->get_property = dbt_live_page_get_property;
  object_class->set_property = dbt_live_page_set_property;
  dbt_page_install_properties (object_class, PROP_CONNECTION);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/dbt-live-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, refresh_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dbtlivepage");
}

static void
dbt_live_page_init (DbtLivePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  dbt_live_page_update (self);
}

GtkWidget *
dbt_live_page_new (void)
{
  return g_object_new (DBT_TYPE_LIVE_PAGE, NULL);
}
