/* dbt-connections-window.c — the Connections window (the preferences). */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-connection-editor.h"
#include "dbt-connections-window.h"

struct _DbtConnectionsWindow
{
  AdwPreferencesWindow parent_instance;

  DbtConnectionStore *store;

  GtkListBox         *list_box;
};

G_DEFINE_FINAL_TYPE (DbtConnectionsWindow, dbt_connections_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  DbtConnection *connection = item;
  GtkWidget *row = adw_action_row_new ();

  g_object_bind_property (connection, "name", row, "title", G_BINDING_SYNC_CREATE);
  g_object_bind_property (connection, "summary", row, "subtitle", G_BINDING_SYNC_CREATE);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  g_object_set_data_full (G_OBJECT (row), "connection", g_object_ref (connection), g_object_unref);

  if (dbt_connection_is_local_stack (connection))
    {
      GtkWidget *label = gtk_label_new (_("Built in"));

      gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
    }
  else
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
    }

  return row;
}

static void
editor_done_cb (DbtConnectionsWindow *self,
                DbtConnection        *saved)
{
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));

  if (saved != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Connection “%s” saved"),
                                                  dbt_connection_get_name (saved));

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
    }
}

GtkWidget *
dbt_connections_window_edit (DbtConnectionsWindow *self,
                             DbtConnection        *connection)
{
  GtkWidget *editor;

  g_return_val_if_fail (DBT_IS_CONNECTIONS_WINDOW (self), NULL);

  editor = dbt_connection_editor_new (self->store, connection);
  g_signal_connect_object (editor, "done", G_CALLBACK (editor_done_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), editor);
  return editor;
}

static void
row_activated_cb (DbtConnectionsWindow *self,
                  GtkListBoxRow        *row)
{
  DbtConnection *connection = g_object_get_data (G_OBJECT (row), "connection");

  if (connection != NULL && !dbt_connection_is_local_stack (connection))
    dbt_connections_window_edit (self, connection);
}

static void
dbt_connections_window_add (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  dbt_connections_window_edit (DBT_CONNECTIONS_WINDOW (widget), NULL);
}

static void
dbt_connections_window_constructed (GObject *object)
{
  DbtConnectionsWindow *self = DBT_CONNECTIONS_WINDOW (object);

  G_OBJECT_CLASS (dbt_connections_window_parent_class)->constructed (object);

  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->store), create_row, NULL, NULL);
}

static void
dbt_connections_window_dispose (GObject *object)
{
  DbtConnectionsWindow *self = DBT_CONNECTIONS_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DBT_TYPE_CONNECTIONS_WINDOW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dbt_connections_window_parent_class)->dispose (object);
}

static void
dbt_connections_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  DbtConnectionsWindow *self = DBT_CONNECTIONS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_connections_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  DbtConnectionsWindow *self = DBT_CONNECTIONS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_connections_window_class_init (DbtConnectionsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dbt_connections_window_constructed;
  object_class->dispose = dbt_connections_window_dispose;
  object_class->get_property = dbt_connections_window_get_property;
  object_class->set_property = dbt_connections_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DBT_TYPE_CONNECTION_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/dbt-connections-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DbtConnectionsWindow, list_box);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "connections.add", NULL, dbt_connections_window_add);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "connections.add", NULL);
}

static void
dbt_connections_window_init (DbtConnectionsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dbt_connections_window_new (DbtConnectionStore *store)
{
  g_return_val_if_fail (DBT_IS_CONNECTION_STORE (store), NULL);

  return g_object_new (DBT_TYPE_CONNECTIONS_WINDOW, "store", store, NULL);
}
