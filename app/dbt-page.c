/* dbt-page.c — the page interface of the main window. */
#include "dbt-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dbt-page.h"

G_DEFINE_INTERFACE (DbtPage, dbt_page, GTK_TYPE_WIDGET)

static void
dbt_page_default_init (DbtPageInterface *iface)
{
  g_object_interface_install_property (iface,
    g_param_spec_object ("connection", NULL, NULL, DBT_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
}

void
dbt_page_install_properties (GObjectClass *klass,
                             guint         connection_prop_id)
{
  g_object_class_override_property (klass, connection_prop_id, "connection");
}

void
dbt_page_set_connection_property (DbtPage        *self,
                                  DbtConnection **connection,
                                  const GValue   *value)
{
  g_return_if_fail (DBT_IS_PAGE (self));

  if (!g_set_object (connection, g_value_get_object (value)))
    return;
  if (DBT_PAGE_GET_IFACE (self)->connection_changed != NULL)
    DBT_PAGE_GET_IFACE (self)->connection_changed (self);
  g_object_notify (G_OBJECT (self), "connection");
}

void
dbt_page_dispose_widgets (DbtPage        *self,
                          GType           page_type,
                          DbtConnection **connection)
{
  GtkWidget *child;

  g_return_if_fail (DBT_IS_PAGE (self));

  gtk_widget_dispose_template (GTK_WIDGET (self), page_type);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (connection);
}

DbtConnection *
dbt_page_get_connection (DbtPage *self)
{
  g_autoptr(DbtConnection) connection = NULL;

  g_return_val_if_fail (DBT_IS_PAGE (self), NULL);

  /* Pages hold a reference; return it borrowed. */
  g_object_get (self, "connection", &connection, NULL);
  return connection;
}

void
dbt_page_set_connection (DbtPage       *self,
                         DbtConnection *connection)
{
  g_return_if_fail (DBT_IS_PAGE (self));
  g_object_set (self, "connection", connection, NULL);
}

void
dbt_page_refresh (DbtPage *self)
{
  g_return_if_fail (DBT_IS_PAGE (self));
  if (DBT_PAGE_GET_IFACE (self)->refresh != NULL)
    DBT_PAGE_GET_IFACE (self)->refresh (self);
}

gboolean
dbt_page_search (DbtPage *self)
{
  g_return_val_if_fail (DBT_IS_PAGE (self), FALSE);
  if (DBT_PAGE_GET_IFACE (self)->search != NULL)
    return DBT_PAGE_GET_IFACE (self)->search (self);
  return FALSE;
}

void
dbt_page_new_item (DbtPage *self)
{
  g_return_if_fail (DBT_IS_PAGE (self));
  if (DBT_PAGE_GET_IFACE (self)->new_item != NULL)
    DBT_PAGE_GET_IFACE (self)->new_item (self);
}

void
dbt_page_describe_connection (AdwStatusPage *status_page,
                              const char    *what,
                              DbtConnection *connection)
{
  g_autofree char *escaped_what = g_markup_escape_text (what, -1);
  g_autofree char *description = NULL;

  if (connection == NULL)
    description = g_strdup_printf ("%s\n\n%s", escaped_what, _("No connection is active."));
  else
    {
      g_autofree char *summary = dbt_connection_dup_summary (connection);
      g_autofree char *bold_name = g_markup_printf_escaped ("<b>%s</b>", dbt_connection_get_name (connection));
      g_autofree char *escaped_summary = g_markup_escape_text (summary, -1);
      /* Translators: %s is the name of the active connection. */
      g_autofree char *line = g_strdup_printf (_("Connection: %s"), bold_name);

      description = g_strdup_printf ("%s\n\n%s\n<small>%s</small>", escaped_what, line, escaped_summary);
    }

  adw_status_page_set_description (status_page, description);
}
