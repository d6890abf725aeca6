/* dbt-connection-store.c — the connections, in GSettings and the keyring. */
#include "dbt-config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "dbt-connection-store.h"

struct _DbtConnectionStore
{
  GObject parent_instance;

  GSettings     *settings;
  GPtrArray     *connections;   /* DbtConnection*, [0] is the local stack */
  DbtConnection *active;
};

static void dbt_connection_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DbtConnectionStore, dbt_connection_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      dbt_connection_store_list_model_init))

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const SecretSchema *
dbt_credentials_schema (void)
{
  static const SecretSchema schema = {
    "io.github.dbtrigger.Console.Credentials", SECRET_SCHEMA_NONE,
    {
      { "connection-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

static GType
dbt_connection_store_get_item_type (GListModel *model)
{
  return DBT_TYPE_CONNECTION;
}

static guint
dbt_connection_store_get_n_items (GListModel *model)
{
  return DBT_CONNECTION_STORE (model)->connections->len;
}

static gpointer
dbt_connection_store_get_item (GListModel *model,
                               guint       position)
{
  DbtConnectionStore *self = DBT_CONNECTION_STORE (model);

  if (position >= self->connections->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->connections, position));
}

static void
dbt_connection_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = dbt_connection_store_get_item_type;
  iface->get_n_items = dbt_connection_store_get_n_items;
  iface->get_item = dbt_connection_store_get_item;
}

static void
dbt_connection_store_load (DbtConnectionStore *self)
{
  g_autoptr(GVariant) list = g_settings_get_value (self->settings, "connections");
  g_autofree char *active_id = g_settings_get_string (self->settings, "active-connection");
  GVariantIter iter;
  GVariant *child;
  DbtConnection *active;

  g_variant_iter_init (&iter, list);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GVariant) owned = child;
      g_autoptr(GError) error = NULL;
      g_autoptr(DbtConnection) connection = dbt_connection_new_from_variant (owned, &error);

      if (connection == NULL)
        {
          g_message ("Skipping a stored connection: %s", error->message);
          continue;
        }
      if (dbt_connection_store_lookup (self, dbt_connection_get_id (connection)) != NULL)
        continue;
      g_ptr_array_add (self->connections, g_steal_pointer (&connection));
    }

  active = dbt_connection_store_lookup (self, active_id);
  self->active = g_object_ref (active != NULL ? active : g_ptr_array_index (self->connections, 0));
}

static void
dbt_connection_store_constructed (GObject *object)
{
  DbtConnectionStore *self = DBT_CONNECTION_STORE (object);

  G_OBJECT_CLASS (dbt_connection_store_parent_class)->constructed (object);

  g_assert (self->settings != NULL);
  dbt_connection_store_load (self);
}

static void
dbt_connection_store_dispose (GObject *object)
{
  DbtConnectionStore *self = DBT_CONNECTION_STORE (object);

  g_clear_object (&self->active);
  g_clear_object (&self->settings);
  if (self->connections != NULL)
    g_ptr_array_set_size (self->connections, 0);

  G_OBJECT_CLASS (dbt_connection_store_parent_class)->dispose (object);
}

static void
dbt_connection_store_finalize (GObject *object)
{
  DbtConnectionStore *self = DBT_CONNECTION_STORE (object);

  g_clear_pointer (&self->connections, g_ptr_array_unref);

  G_OBJECT_CLASS (dbt_connection_store_parent_class)->finalize (object);
}

static void
dbt_connection_store_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DbtConnectionStore *self = DBT_CONNECTION_STORE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_ACTIVE:
      g_value_set_object (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_connection_store_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DbtConnectionStore *self = DBT_CONNECTION_STORE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_ACTIVE:
      dbt_connection_store_set_active (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_connection_store_class_init (DbtConnectionStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dbt_connection_store_constructed;
  object_class->dispose = dbt_connection_store_dispose;
  object_class->finalize = dbt_connection_store_finalize;
  object_class->get_property = dbt_connection_store_get_property;
  object_class->set_property = dbt_connection_store_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTIVE] =
    g_param_spec_object ("active", NULL, NULL, DBT_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbt_connection_store_init (DbtConnectionStore *self)
{
  self->connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->connections, dbt_connection_new_local_stack ());
}

DbtConnectionStore *
dbt_connection_store_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (DBT_TYPE_CONNECTION_STORE, "settings", settings, NULL);
}

DbtConnection *
dbt_connection_store_lookup (DbtConnectionStore *self,
                             const char         *id)
{
  g_return_val_if_fail (DBT_IS_CONNECTION_STORE (self), NULL);

  if (id == NULL)
    return NULL;
  for (guint i = 0; i < self->connections->len; i++)
    {
      DbtConnection *connection = g_ptr_array_index (self->connections, i);

      if (g_str_equal (dbt_connection_get_id (connection), id))
        return connection;
    }
  return NULL;
}

DbtConnection *
dbt_connection_store_find_by_name (DbtConnectionStore *self,
                                   const char         *name)
{
  g_return_val_if_fail (DBT_IS_CONNECTION_STORE (self), NULL);

  if (name == NULL)
    return NULL;
  for (guint i = 0; i < self->connections->len; i++)
    {
      DbtConnection *connection = g_ptr_array_index (self->connections, i);
      g_autofree char *a = g_utf8_casefold (dbt_connection_get_name (connection), -1);
      g_autofree char *b = g_utf8_casefold (name, -1);

      if (g_str_equal (a, b))
        return connection;
    }
  return NULL;
}

guint
dbt_connection_store_get_position (DbtConnectionStore *self,
                                   DbtConnection      *connection)
{
  guint position;

  g_return_val_if_fail (DBT_IS_CONNECTION_STORE (self), G_MAXUINT);

  if (connection != NULL && g_ptr_array_find (self->connections, connection, &position))
    return position;
  return G_MAXUINT;
}

DbtConnection *
dbt_connection_store_get_active (DbtConnectionStore *self)
{
  g_return_val_if_fail (DBT_IS_CONNECTION_STORE (self), NULL);
  return self->active;
}

void
dbt_connection_store_set_active (DbtConnectionStore *self,
                                 DbtConnection      *connection)
{
  g_return_if_fail (DBT_IS_CONNECTION_STORE (self));

  if (connection == NULL || !g_ptr_array_find (self->connections, connection, NULL))
    connection = g_ptr_array_index (self->connections, 0);

  if (g_set_object (&self->active, connection))
    {
      g_settings_set_string (self->settings, "active-connection",
                             dbt_connection_get_id (connection));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
    }
}

void
dbt_connection_store_save (DbtConnectionStore *self)
{
  GVariantBuilder builder;

  g_return_if_fail (DBT_IS_CONNECTION_STORE (self));

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < self->connections->len; i++)
    {
      DbtConnection *connection = g_ptr_array_index (self->connections, i);

      if (!dbt_connection_is_local_stack (connection))
        g_variant_builder_add_value (&builder, dbt_connection_to_variant (connection));
    }
  g_settings_set_value (self->settings, "connections", g_variant_builder_end (&builder));
}

void
dbt_connection_store_add (DbtConnectionStore *self,
                          DbtConnection      *connection)
{
  g_return_if_fail (DBT_IS_CONNECTION_STORE (self));
  g_return_if_fail (DBT_IS_CONNECTION (connection));
  g_return_if_fail (dbt_connection_store_lookup (self, dbt_connection_get_id (connection)) == NULL);

  g_ptr_array_add (self->connections, g_object_ref (connection));
  dbt_connection_store_save (self);
  g_list_model_items_changed (G_LIST_MODEL (self), self->connections->len - 1, 0, 1);
}

static void
clear_secret_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) &&
      error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not remove a secret from the keyring: %s", error->message);
}

void
dbt_connection_store_remove (DbtConnectionStore *self,
                             DbtConnection      *connection)
{
  g_autoptr(DbtConnection) removed = NULL;
  guint position;

  g_return_if_fail (DBT_IS_CONNECTION_STORE (self));
  g_return_if_fail (DBT_IS_CONNECTION (connection));
  g_return_if_fail (!dbt_connection_is_local_stack (connection));

  if (!g_ptr_array_find (self->connections, connection, &position))
    return;

  removed = g_object_ref (connection);
  g_ptr_array_remove_index (self->connections, position);
  dbt_connection_store_save (self);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);

  if (self->active == removed)
    dbt_connection_store_set_active (self, NULL);

  if (dbt_connection_get_auth (removed) == DBT_CONNECTION_AUTH_KEYRING)
    secret_password_clear (dbt_credentials_schema (), NULL, clear_secret_cb, NULL,
                           "connection-id", dbt_connection_get_id (removed),
                           NULL);
}

gboolean
dbt_connection_store_validate_name (DbtConnectionStore  *self,
                                    const char          *name,
                                    DbtConnection       *connection,
                                    GError             **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name != NULL ? name : ""));
  DbtConnection *other;

  g_return_val_if_fail (DBT_IS_CONNECTION_STORE (self), FALSE);

  if (*stripped == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A connection needs a name"));
      return FALSE;
    }

  other = dbt_connection_store_find_by_name (self, stripped);
  if (other != NULL && other != connection)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("There is already a connection named “%s”"), stripped);
      return FALSE;
    }

  return TRUE;
}

static void
store_secret_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
clear_for_store_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to clear. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
dbt_connection_store_store_secret_async (DbtConnectionStore  *self,
                                         DbtConnection       *connection,
                                         const char          *secret,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (DBT_IS_CONNECTION_STORE (self));
  g_return_if_fail (DBT_IS_CONNECTION (connection));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dbt_connection_store_store_secret_async);

  if (secret == NULL || *secret == '\0')
    {
      secret_password_clear (dbt_credentials_schema (), cancellable,
                             clear_for_store_cb, g_steal_pointer (&task),
                             "connection-id", dbt_connection_get_id (connection),
                             NULL);
      return;
    }

  /* Translators: the label of a secret in the keyring; %s is the connection's name. */
  label = g_strdup_printf (_("AWS secret access key for “%s” (dbtrigger)"),
                           dbt_connection_get_name (connection));
  secret_password_store (dbt_credentials_schema (), SECRET_COLLECTION_DEFAULT,
                         label, secret, cancellable,
                         store_secret_cb, g_steal_pointer (&task),
                         "connection-id", dbt_connection_get_id (connection),
                         NULL);
}

gboolean
dbt_connection_store_store_secret_finish (DbtConnectionStore  *self,
                                          GAsyncResult        *result,
                                          GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dbt_connection_store_store_secret_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
}

void
dbt_connection_store_lookup_secret_async (DbtConnectionStore  *self,
                                          DbtConnection       *connection,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DBT_IS_CONNECTION_STORE (self));
  g_return_if_fail (DBT_IS_CONNECTION (connection));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dbt_connection_store_lookup_secret_async);

  secret_password_lookup (dbt_credentials_schema (), cancellable,
                          lookup_secret_cb, g_steal_pointer (&task),
                          "connection-id", dbt_connection_get_id (connection),
                          NULL);
}

char *
dbt_connection_store_lookup_secret_finish (DbtConnectionStore  *self,
                                           GAsyncResult        *result,
                                           GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dbt_connection_store_lookup_secret_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
dbt_connection_store_lookup_secret_sync (DbtConnection  *connection,
                                         GCancellable   *cancellable,
                                         GError        **error)
{
  g_return_val_if_fail (DBT_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (!g_main_context_is_owner (g_main_context_default ()), NULL);

  return secret_password_lookup_sync (dbt_credentials_schema (), cancellable, error,
                                      "connection-id", dbt_connection_get_id (connection),
                                      NULL);
}

void
dbt_connection_store_free_secret (char *secret)
{
  secret_password_free (secret);
}
