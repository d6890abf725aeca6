/* dbt-window.c — the main window. Actions are in dbt-window-actions.c. */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-deploy-page.h"
#include "dbt-items-page.h"
#include "dbt-live-page.h"
#include "dbt-owners-page.h"
#include "dbt-page.h"
#include "dbt-window-private.h"

G_DEFINE_FINAL_TYPE (DbtWindow, dbt_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dbt_window_update_title (DbtWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);
  DbtConnection *active = dbt_connection_store_get_active (self->store);

  if (child != NULL)
    adw_window_title_set_title (self->window_title,
                                gtk_stack_page_get_title (gtk_stack_get_page (self->stack, child)));
  adw_window_title_set_subtitle (self->window_title, dbt_connection_get_name (active));
}

/* The sidebar lists the stack's pages. Activating a row (click, Enter,
 * Space) shows its page; moving the focus through the rows does not, so Tab
 * passes the sidebar without switching pages. */
static GtkWidget *
create_sidebar_row (gpointer item,
                    gpointer user_data)
{
  GtkStackPage *page = item;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  g_object_bind_property (page, "icon-name", icon, "icon-name", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page, "title", label, "label", G_BINDING_SYNC_CREATE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  -1);
  g_object_set_data_full (G_OBJECT (row), "page", g_object_ref (page), g_object_unref);

  return row;
}

static void
sidebar_row_activated_cb (DbtWindow     *self,
                          GtkListBoxRow *row)
{
  GtkStackPage *page = g_object_get_data (G_OBJECT (row), "page");

  if (page != NULL)
    gtk_stack_set_visible_child (self->stack, gtk_stack_page_get_child (page));
  /* Folded: choosing a page in the sidebar shows it. */
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

static void
dbt_window_update_sidebar (DbtWindow *self)
{
  GtkWidget *visible = gtk_stack_get_visible_child (self->stack);

  for (int i = 0; ; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->sidebar, i);
      GtkStackPage *page;
      gboolean current;

      if (row == NULL)
        break;
      page = g_object_get_data (G_OBJECT (row), "page");
      current = page != NULL && gtk_stack_page_get_child (page) == visible;
      if (current)
        gtk_widget_set_state_flags (GTK_WIDGET (row), GTK_STATE_FLAG_SELECTED, FALSE);
      else
        gtk_widget_unset_state_flags (GTK_WIDGET (row), GTK_STATE_FLAG_SELECTED);
      gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_STATE_SELECTED, current,
                                   -1);
    }
}

static void
stack_visible_child_cb (DbtWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  if (self->store == NULL)
    return;

  dbt_window_update_title (self);
  dbt_window_update_sidebar (self);
  if (name != NULL)
    g_settings_set_string (self->settings, "last-page", name);
}

static void
back_button_clicked_cb (DbtWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
active_connection_changed_cb (DbtWindow *self)
{
  DbtConnection *active = dbt_connection_store_get_active (self->store);
  guint position = dbt_connection_store_get_position (self->store, active);

  if (gtk_drop_down_get_selected (self->connection_dropdown) != position)
    gtk_drop_down_set_selected (self->connection_dropdown, position);
  dbt_window_update_title (self);
}

static void
dropdown_selected_cb (DbtWindow *self)
{
  DbtConnection *selected = gtk_drop_down_get_selected_item (self->connection_dropdown);

  if (selected != NULL)
    dbt_connection_store_set_active (self->store, selected);
}

static void
connections_changed_cb (DbtWindow *self)
{
  /* A removal or insertion may have moved the active connection's row. */
  active_connection_changed_cb (self);
}

static gboolean
dbt_window_close_request (GtkWindow *window)
{
  DbtWindow *self = DBT_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (dbt_window_parent_class)->close_request (window);
}

static void
dbt_window_constructed (GObject *object)
{
  DbtWindow *self = DBT_WINDOW (object);
  g_autofree char *last_page = NULL;
  g_autoptr(GtkExpression) name_expression = NULL;
  g_autoptr(GtkSelectionModel) pages = NULL;

  G_OBJECT_CLASS (dbt_window_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  g_object_get (self->store, "settings", &self->settings, NULL);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* The connection selector lists the store by name. */
  name_expression = gtk_property_expression_new (DBT_TYPE_CONNECTION, NULL, "name");
  gtk_drop_down_set_expression (self->connection_dropdown, name_expression);
  gtk_drop_down_set_model (self->connection_dropdown, G_LIST_MODEL (self->store));
  g_signal_connect_object (self->store, "notify::active",
                           G_CALLBACK (active_connection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "items-changed",
                           G_CALLBACK (connections_changed_cb), self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->connection_dropdown, "notify::selected",
                           G_CALLBACK (dropdown_selected_cb), self, G_CONNECT_SWAPPED);
  active_connection_changed_cb (self);

  /* Every page follows the active connection. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (DBT_IS_PAGE (child))
      g_object_bind_property (self->store, "active", child, "connection", G_BINDING_SYNC_CREATE);

  pages = gtk_stack_get_pages (self->stack);
  gtk_list_box_bind_model (self->sidebar, G_LIST_MODEL (pages), create_sidebar_row, self, NULL);

  last_page = g_settings_get_string (self->settings, "last-page");
  if (gtk_stack_get_child_by_name (self->stack, last_page) != NULL)
    gtk_stack_set_visible_child_name (self->stack, last_page);
  dbt_window_update_title (self);
  dbt_window_update_sidebar (self);
}

static void
dbt_window_dispose (GObject *object)
{
  DbtWindow *self = DBT_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DBT_TYPE_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dbt_window_parent_class)->dispose (object);
}

static void
dbt_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DbtWindow *self = DBT_WINDOW (object);

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
dbt_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DbtWindow *self = DBT_WINDOW (object);

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
dbt_window_class_init (DbtWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = dbt_window_constructed;
  object_class->dispose = dbt_window_dispose;
  object_class->get_property = dbt_window_get_property;
  object_class->set_property = dbt_window_set_property;
  window_class->close_request = dbt_window_close_request;

  g_type_ensure (DBT_TYPE_ITEMS_PAGE);
  g_type_ensure (DBT_TYPE_OWNERS_PAGE);
  g_type_ensure (DBT_TYPE_LIVE_PAGE);
  g_type_ensure (DBT_TYPE_DEPLOY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/dbt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DbtWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DbtWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DbtWindow, sidebar_box);
  gtk_widget_class_bind_template_child (widget_class, DbtWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, DbtWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, DbtWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, DbtWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DbtWindow, connection_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DbtWindow, stack);
  gtk_widget_class_bind_template_callback (widget_class, stack_visible_child_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DBT_TYPE_CONNECTION_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  dbt_window_class_actions_init (widget_class);
}

static void
dbt_window_init (DbtWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

DbtWindow *
dbt_window_new (DbtApplication *application)
{
  g_return_val_if_fail (DBT_IS_APPLICATION (application), NULL);

  return g_object_new (DBT_TYPE_WINDOW,
                       "application", application,
                       "store", dbt_application_get_connection_store (application),
                       NULL);
}

GtkWidget *
dbt_window_get_page (DbtWindow  *self,
                     const char *name)
{
  g_return_val_if_fail (DBT_IS_WINDOW (self), NULL);
  return gtk_stack_get_child_by_name (self->stack, name);
}

const char *
dbt_window_get_page_name (DbtWindow *self)
{
  g_return_val_if_fail (DBT_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

void
dbt_window_set_page_name (DbtWindow  *self,
                          const char *name)
{
  g_return_if_fail (DBT_IS_WINDOW (self));
  if (gtk_stack_get_child_by_name (self->stack, name) != NULL)
    gtk_stack_set_visible_child_name (self->stack, name);
}

GtkWidget *
dbt_window_get_visible_page (DbtWindow *self)
{
  return gtk_stack_get_visible_child (self->stack);
}

void
dbt_window_show_page_at (DbtWindow *self,
                         guint      position)
{
  guint i = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child), i++)
    if (i == position)
      {
        gtk_stack_set_visible_child (self->stack, child);
        return;
      }
}

void
dbt_window_show_toast (DbtWindow  *self,
                       const char *message)
{
  g_return_if_fail (DBT_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

void
dbt_window_show_error (DbtWindow    *self,
                       const GError *error)
{
  AdwToast *toast;

  g_return_if_fail (DBT_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  toast = adw_toast_new (error->message);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

DbtWindow *
dbt_window_for_widget (GtkWidget *widget)
{
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  root = gtk_widget_get_root (widget);
  return DBT_IS_WINDOW (root) ? DBT_WINDOW (root) : NULL;
}
