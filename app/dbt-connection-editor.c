/* dbt-connection-editor.c — the form that adds or edits one connection. */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-connection-editor.h"
#include "dbt-credentials.h"

/* The order of auth_row's items. */
static const DbtConnectionAuth auth_choices[] = {
  DBT_CONNECTION_AUTH_PROFILE,
  DBT_CONNECTION_AUTH_KEYRING,
  DBT_CONNECTION_AUTH_ENVIRONMENT,
};

typedef enum
{
  FIELD_NAME,
  FIELD_ENDPOINT,
  FIELD_REGION,
  FIELD_ACCESS_KEY,
  FIELD_SECRET,
  N_FIELDS
} Field;

struct _DbtConnectionEditor
{
  AdwBin parent_instance;

  DbtConnectionStore  *store;
  DbtConnection       *connection;   /* NULL: new */
  GCancellable        *cancellable;

  AdwWindowTitle      *title;
  GtkButton           *save_button;
  AdwEntryRow         *name_row;
  AdwEntryRow         *endpoint_row;
  AdwEntryRow         *region_row;
  AdwComboRow         *auth_row;
  AdwComboRow         *profile_row;
  GtkStringList       *profiles;
  AdwEntryRow         *access_key_row;
  AdwEntryRow         *secret_row;
  GtkWidget           *remove_group;

  GtkWidget           *error_rows[N_FIELDS];
  GtkLabel            *error_labels[N_FIELDS];
};

G_DEFINE_FINAL_TYPE (DbtConnectionEditor, dbt_connection_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CONNECTION,
  N_PROPS
};

enum {
  DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GtkWidget *
field_row (DbtConnectionEditor *self,
           Field                field)
{
  switch (field)
    {
    case FIELD_NAME:       return GTK_WIDGET (self->name_row);
    case FIELD_ENDPOINT:   return GTK_WIDGET (self->endpoint_row);
    case FIELD_REGION:     return GTK_WIDGET (self->region_row);
    case FIELD_ACCESS_KEY: return GTK_WIDGET (self->access_key_row);
    case FIELD_SECRET:     return GTK_WIDGET (self->secret_row);
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

static void
set_field_error (DbtConnectionEditor *self,
                 Field                field,
                 const char          *message)
{
  GtkWidget *row = field_row (self, field);

  if (message != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_label_set_text (self->error_labels[field], message);
      gtk_widget_set_visible (self->error_rows[field], TRUE);
      gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_set_visible (self->error_rows[field], FALSE);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static char *
row_dup_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static DbtConnectionAuth
dbt_connection_editor_get_auth (DbtConnectionEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->auth_row);

  if (selected >= G_N_ELEMENTS (auth_choices))
    return DBT_CONNECTION_AUTH_ENVIRONMENT;
  return auth_choices[selected];
}

static void
auth_changed_cb (DbtConnectionEditor *self)
{
  DbtConnectionAuth auth = dbt_connection_editor_get_auth (self);

  gtk_widget_set_visible (GTK_WIDGET (self->profile_row), auth == DBT_CONNECTION_AUTH_PROFILE);
  gtk_widget_set_visible (GTK_WIDGET (self->access_key_row), auth == DBT_CONNECTION_AUTH_KEYRING);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_row), auth == DBT_CONNECTION_AUTH_KEYRING);
  if (auth != DBT_CONNECTION_AUTH_KEYRING)
    {
      set_field_error (self, FIELD_ACCESS_KEY, NULL);
      set_field_error (self, FIELD_SECRET, NULL);
    }
}

static void
row_changed_cb (DbtConnectionEditor *self,
                GtkEditable         *row)
{
  for (Field field = 0; field < N_FIELDS; field++)
    if (field_row (self, field) == GTK_WIDGET (row))
      set_field_error (self, field, NULL);
}

static void
entry_activated_cb (DbtConnectionEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.save", NULL);
}

/* "eu-central-1", "us-gov-west-1", "cn-north-1", "local" for emulators. */
static gboolean
region_is_valid (const char *region)
{
  return g_regex_match_simple ("^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$|^[a-z][a-z0-9-]{0,30}$",
                               region, 0, 0);
}

static gboolean
dbt_connection_editor_validate (DbtConnectionEditor *self)
{
  g_autofree char *name = row_dup_text (self->name_row);
  g_autofree char *endpoint = row_dup_text (self->endpoint_row);
  g_autofree char *region = row_dup_text (self->region_row);
  g_autofree char *access_key = row_dup_text (self->access_key_row);
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  g_autoptr(GError) name_error = NULL;
  g_autoptr(GError) endpoint_error = NULL;
  gboolean valid[N_FIELDS] = { TRUE, TRUE, TRUE, TRUE, TRUE };

  if (!dbt_connection_store_validate_name (self->store, name, self->connection, &name_error))
    {
      set_field_error (self, FIELD_NAME, name_error->message);
      valid[FIELD_NAME] = FALSE;
    }

  if (!dbt_connection_validate_endpoint_url (endpoint, &endpoint_error))
    {
      set_field_error (self, FIELD_ENDPOINT, endpoint_error->message);
      valid[FIELD_ENDPOINT] = FALSE;
    }

  if (*region != '\0' && !region_is_valid (region))
    {
      set_field_error (self, FIELD_REGION, _("Not a region name, such as eu-central-1"));
      valid[FIELD_REGION] = FALSE;
    }

  if (dbt_connection_editor_get_auth (self) == DBT_CONNECTION_AUTH_KEYRING)
    {
      gboolean had_secret = self->connection != NULL &&
                            dbt_connection_get_auth (self->connection) == DBT_CONNECTION_AUTH_KEYRING;

      if (*access_key == '\0')
        {
          set_field_error (self, FIELD_ACCESS_KEY, _("Enter the access key ID"));
          valid[FIELD_ACCESS_KEY] = FALSE;
        }
      else if (!g_regex_match_simple ("^[A-Za-z0-9]{4,128}$", access_key, 0, 0))
        {
          set_field_error (self, FIELD_ACCESS_KEY, _("An access key ID has only letters and digits"));
          valid[FIELD_ACCESS_KEY] = FALSE;
        }

      /* An existing key stays in the keyring when the field is left empty. */
      if (*secret == '\0' && !had_secret)
        {
          set_field_error (self, FIELD_SECRET, _("Enter the secret access key"));
          valid[FIELD_SECRET] = FALSE;
        }
    }

  for (Field field = 0; field < N_FIELDS; field++)
    if (!valid[field])
      {
        gtk_widget_grab_focus (field_row (self, field));
        return FALSE;
      }
  return TRUE;
}

static void
dbt_connection_editor_set_busy (DbtConnectionEditor *self,
                                gboolean             busy)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.remove", !busy && self->connection != NULL);
}

static void
dbt_connection_editor_report (DbtConnectionEditor *self,
                              const GError        *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  message = g_strdup_printf (_("Could not keep the secret access key in the keyring: %s"),
                             error->message);
  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (message));
  else
    g_warning ("%s", message);
}

static void
store_secret_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DbtConnectionEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dbt_connection_store_store_secret_finish (DBT_CONNECTION_STORE (object), result, &error))
    {
      dbt_connection_editor_set_busy (self, FALSE);
      dbt_connection_editor_report (self, error);
      return;
    }

  dbt_connection_editor_set_busy (self, FALSE);
  g_signal_emit (self, signals[DONE], 0, self->connection);
}

static void
dbt_connection_editor_save (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  DbtConnectionEditor *self = DBT_CONNECTION_EDITOR (widget);
  g_autofree char *name = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *region = NULL;
  g_autofree char *access_key = NULL;
  DbtConnectionAuth auth;
  DbtConnectionAuth previous_auth;
  const char *secret;
  gboolean is_new;

  if (!dbt_connection_editor_validate (self))
    return;

  name = row_dup_text (self->name_row);
  endpoint = row_dup_text (self->endpoint_row);
  region = row_dup_text (self->region_row);
  access_key = row_dup_text (self->access_key_row);
  secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  auth = dbt_connection_editor_get_auth (self);

  is_new = self->connection == NULL;
  if (is_new)
    self->connection = dbt_connection_new (name);
  previous_auth = dbt_connection_get_auth (self->connection);

  dbt_connection_set_name (self->connection, name);
  dbt_connection_set_endpoint_url (self->connection, endpoint);
  dbt_connection_set_region (self->connection, region);
  dbt_connection_set_auth (self->connection, auth);
  dbt_connection_set_profile (self->connection,
                              auth == DBT_CONNECTION_AUTH_PROFILE
                                ? gtk_string_object_get_string (adw_combo_row_get_selected_item (self->profile_row))
                                : NULL);
  dbt_connection_set_access_key_id (self->connection,
                                    auth == DBT_CONNECTION_AUTH_KEYRING ? access_key : NULL);

  if (is_new)
    dbt_connection_store_add (self->store, self->connection);
  else
    dbt_connection_store_save (self->store);

  if (auth == DBT_CONNECTION_AUTH_KEYRING && *secret != '\0')
    {
      dbt_connection_editor_set_busy (self, TRUE);
      dbt_connection_store_store_secret_async (self->store, self->connection, secret,
                                               self->cancellable, store_secret_cb,
                                               g_object_ref (self));
      return;
    }

  if (auth != DBT_CONNECTION_AUTH_KEYRING && previous_auth == DBT_CONNECTION_AUTH_KEYRING)
    {
      /* No key any more: forget the one in the keyring. */
      dbt_connection_editor_set_busy (self, TRUE);
      dbt_connection_store_store_secret_async (self->store, self->connection, NULL,
                                               self->cancellable, store_secret_cb,
                                               g_object_ref (self));
      return;
    }

  g_signal_emit (self, signals[DONE], 0, self->connection);
}

static void
dbt_connection_editor_cancel (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  g_signal_emit (widget, signals[DONE], 0, NULL);
}

static void
remove_response_cb (DbtConnectionEditor *self,
                    const char          *response)
{
  if (g_strcmp0 (response, "remove") != 0 || self->connection == NULL)
    return;

  dbt_connection_store_remove (self->store, self->connection);
  g_signal_emit (self, signals[DONE], 0, NULL);
}

static void
dbt_connection_editor_remove (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  DbtConnectionEditor *self = DBT_CONNECTION_EDITOR (widget);
  GtkWidget *dialog;

  if (self->connection == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Remove the Connection?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” and its secret access key in the keyring will be forgotten."),
                                  dbt_connection_get_name (self->connection));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Profiles come from files: read them on a worker thread. */
static void
list_profiles_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  g_task_return_pointer (task, dbt_aws_list_profiles (NULL), (GDestroyNotify) g_strfreev);
}

static void
list_profiles_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DbtConnectionEditor *self = DBT_CONNECTION_EDITOR (object);
  g_auto(GStrv) names = g_task_propagate_pointer (G_TASK (result), NULL);
  const char *current = self->connection != NULL ? dbt_connection_get_profile (self->connection) : NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) all = NULL;
  guint selected = 0;

  if (g_task_had_error (G_TASK (result)))
    return;

  /* "default" always, the profile of the connection even if its file is gone. */
  g_strv_builder_add (builder, "default");
  if (current != NULL && !g_str_equal (current, "default") &&
      (names == NULL || !g_strv_contains ((const char * const *) names, current)))
    g_strv_builder_add (builder, current);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (!g_str_equal (names[i], "default"))
      g_strv_builder_add (builder, names[i]);
  all = g_strv_builder_end (builder);

  gtk_string_list_splice (self->profiles, 0, g_list_model_get_n_items (G_LIST_MODEL (self->profiles)),
                          (const char * const *) all);
  for (guint i = 0; all[i] != NULL; i++)
    if (g_strcmp0 (all[i], current) == 0)
      selected = i;
  adw_combo_row_set_selected (self->profile_row, selected);
}

static void
dbt_connection_editor_constructed (GObject *object)
{
  DbtConnectionEditor *self = DBT_CONNECTION_EDITOR (object);
  g_autoptr(GTask) task = NULL;
  static const char *default_profile[] = { "default", NULL };

  G_OBJECT_CLASS (dbt_connection_editor_parent_class)->constructed (object);

  gtk_string_list_splice (self->profiles, 0, 0, default_profile);

  if (self->connection == NULL)
    {
      adw_window_title_set_title (self->title, _("New Connection"));
      adw_combo_row_set_selected (self->auth_row, 0);
      gtk_widget_set_visible (self->remove_group, FALSE);
    }
  else
    {
      DbtConnectionAuth auth = dbt_connection_get_auth (self->connection);

      adw_window_title_set_title (self->title, _("Edit Connection"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), dbt_connection_get_name (self->connection));
      gtk_editable_set_text (GTK_EDITABLE (self->endpoint_row),
                             dbt_connection_get_endpoint_url (self->connection) ?: "");
      gtk_editable_set_text (GTK_EDITABLE (self->region_row),
                             dbt_connection_get_region (self->connection) ?: "");
      gtk_editable_set_text (GTK_EDITABLE (self->access_key_row),
                             dbt_connection_get_access_key_id (self->connection) ?: "");
      for (guint i = 0; i < G_N_ELEMENTS (auth_choices); i++)
        if (auth_choices[i] == auth)
          adw_combo_row_set_selected (self->auth_row, i);
      if (auth == DBT_CONNECTION_AUTH_KEYRING)
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row),
                                       _("Secret access key (empty: keep the stored one)"));
    }

  auth_changed_cb (self);
  for (Field field = 0; field < N_FIELDS; field++)
    set_field_error (self, field, NULL);
  dbt_connection_editor_set_busy (self, FALSE);

  task = g_task_new (self, self->cancellable, list_profiles_cb, NULL);
  g_task_set_source_tag (task, dbt_connection_editor_constructed);
  g_task_run_in_thread (task, list_profiles_thread);
}

static void
dbt_connection_editor_dispose (GObject *object)
{
  DbtConnectionEditor *self = DBT_CONNECTION_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DBT_TYPE_CONNECTION_EDITOR);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dbt_connection_editor_parent_class)->dispose (object);
}

static void
dbt_connection_editor_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DbtConnectionEditor *self = DBT_CONNECTION_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_connection_editor_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  DbtConnectionEditor *self = DBT_CONNECTION_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_connection_editor_class_init (DbtConnectionEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dbt_connection_editor_constructed;
  object_class->dispose = dbt_connection_editor_dispose;
  object_class->get_property = dbt_connection_editor_get_property;
  object_class->set_property = dbt_connection_editor_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DBT_TYPE_CONNECTION_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, DBT_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DbtConnectionEditor::done:
   * @connection: (nullable): the connection saved, or NULL when cancelled or removed
   */
  signals[DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DBT_TYPE_CONNECTION);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/dbt-connection-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, DbtConnectionEditor, title);
  gtk_widget_class_bind_template_child (widget_class, DbtConnectionEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, DbtConnectionEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, DbtConnectionEditor, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, DbtConnectionEditor, region_row);
  gtk_widget_class_bind_template_child (widget_class, DbtConnectionEditor, auth_row);
  gtk_widget_class_bind_template_child (widget_class, DbtConnectionEditor, profile_row);
  gtk_widget_class_bind_template_child (widget_class, DbtConnectionEditor, profiles);
  gtk_widget_class_bind_template_child (widget_class, DbtConnectionEditor, access_key_row);
  gtk_widget_class_bind_template_child (widget_class, DbtConnectionEditor, secret_row);
  gtk_widget_class_bind_template_child (widget_class, DbtConnectionEditor, remove_group);
  gtk_widget_class_bind_template_child_full (widget_class, "name_error_row", FALSE,
                                             G_STRUCT_OFFSET (DbtConnectionEditor, error_rows[FIELD_NAME]));
  gtk_widget_class_bind_template_child_full (widget_class, "endpoint_error_row", FALSE,
                                             G_STRUCT_OFFSET (DbtConnectionEditor, error_rows[FIELD_ENDPOINT]));
  gtk_widget_class_bind_template_child_full (widget_class, "region_error_row", FALSE,
                                             G_STRUCT_OFFSET (DbtConnectionEditor, error_rows[FIELD_REGION]));
  gtk_widget_class_bind_template_child_full (widget_class, "access_key_error_row", FALSE,
                                             G_STRUCT_OFFSET (DbtConnectionEditor, error_rows[FIELD_ACCESS_KEY]));
  gtk_widget_class_bind_template_child_full (widget_class, "secret_error_row", FALSE,
                                             G_STRUCT_OFFSET (DbtConnectionEditor, error_rows[FIELD_SECRET]));
  gtk_widget_class_bind_template_child_full (widget_class, "name_error_label", FALSE,
                                             G_STRUCT_OFFSET (DbtConnectionEditor, error_labels[FIELD_NAME]));
  gtk_widget_class_bind_template_child_full (widget_class, "endpoint_error_label", FALSE,
                                             G_STRUCT_OFFSET (DbtConnectionEditor, error_labels[FIELD_ENDPOINT]));
  gtk_widget_class_bind_template_child_full (widget_class, "region_error_label", FALSE,
                                             G_STRUCT_OFFSET (DbtConnectionEditor, error_labels[FIELD_REGION]));
  gtk_widget_class_bind_template_child_full (widget_class, "access_key_error_label", FALSE,
                                             G_STRUCT_OFFSET (DbtConnectionEditor, error_labels[FIELD_ACCESS_KEY]));
  gtk_widget_class_bind_template_child_full (widget_class, "secret_error_label", FALSE,
                                             G_STRUCT_OFFSET (DbtConnectionEditor, error_labels[FIELD_SECRET]));
  gtk_widget_class_bind_template_callback (widget_class, auth_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, dbt_connection_editor_save);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, dbt_connection_editor_cancel);
  gtk_widget_class_install_action (widget_class, "editor.remove", NULL, dbt_connection_editor_remove);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
dbt_connection_editor_init (DbtConnectionEditor *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dbt_connection_editor_new (DbtConnectionStore *store,
                           DbtConnection      *connection)
{
  g_return_val_if_fail (DBT_IS_CONNECTION_STORE (store), NULL);
  g_return_val_if_fail (connection == NULL || DBT_IS_CONNECTION (connection), NULL);

  return g_object_new (DBT_TYPE_CONNECTION_EDITOR,
                       "store", store,
                       "connection", connection,
                       NULL);
}

DbtConnection *
dbt_connection_editor_get_connection (DbtConnectionEditor *self)
{
  g_return_val_if_fail (DBT_IS_CONNECTION_EDITOR (self), NULL);
  return self->connection;
}
