/* dbt-connection-resolve.c — a connection turned into a DbtAwsConfig, off the main thread. */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-connection-resolve.h"
#include "dbt-connection-store.h"
#include "dbt-local-stack.h"

/* What the worker needs, copied on the main thread: DbtConnection is not
 * thread-safe. */
struct _DbtConnectionSnapshot
{
  DbtConnection     *connection;   /* only for the keyring lookup's id */
  char              *id;
  char              *name;
  char              *endpoint_url;
  char              *region;
  char              *profile;
  char              *access_key_id;
  DbtConnectionAuth  auth;
};

void
dbt_connection_snapshot_free (DbtConnectionSnapshot *data)
{
  if (data == NULL)
    return;
  g_clear_object (&data->connection);
  g_free (data->id);
  g_free (data->name);
  g_free (data->endpoint_url);
  g_free (data->region);
  g_free (data->profile);
  g_free (data->access_key_id);
  g_free (data);
}

void
dbt_resolved_connection_free (DbtResolvedConnection *resolved)
{
  if (resolved == NULL)
    return;
  g_free (resolved->connection_id);
  g_free (resolved->connection_name);
  g_clear_pointer (&resolved->config, dbt_aws_config_free);
  g_clear_pointer (&resolved->outputs, g_hash_table_unref);
  g_free (resolved->stack_dir);
  g_free (resolved);
}

static GHashTable *
empty_outputs (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

DbtResolvedConnection *
dbt_connection_snapshot_resolve (DbtConnectionSnapshot  *data,
                                 GCancellable           *cancellable,
                                 GError                **error)
{
  g_autoptr(DbtResolvedConnection) resolved = g_new0 (DbtResolvedConnection, 1);
  g_autoptr(DbtCredentials) credentials = NULL;
  g_autoptr(DbtLocalStack) stack = NULL;
  DbtAwsConfigOptions options = { 0 };

  resolved->connection_id = g_strdup (data->id);
  resolved->connection_name = g_strdup (data->name);
  options.endpoint_url = data->endpoint_url;
  options.region = data->region;

  switch (data->auth)
    {
    case DBT_CONNECTION_AUTH_LOCAL_STACK:
      {
        g_autofree char *dir = dbt_local_stack_dup_default_dir (NULL);

        stack = dbt_local_stack_load (dir, error);
        if (stack == NULL)
          return NULL;
        options.endpoint_url = stack->endpoint_url;
        options.region = stack->region;
        if (stack->access_key_id != NULL && stack->secret_access_key != NULL)
          credentials = dbt_credentials_new (stack->access_key_id, stack->secret_access_key,
                                             NULL, "local stack");
        resolved->outputs = g_hash_table_ref (stack->outputs);
        resolved->stack_dir = g_strdup (stack->dir);
      }
      break;

    case DBT_CONNECTION_AUTH_PROFILE:
      options.profile = data->profile != NULL ? data->profile : "default";
      break;

    case DBT_CONNECTION_AUTH_KEYRING:
      {
        g_autoptr(GError) local_error = NULL;
        char *secret = dbt_connection_store_lookup_secret_sync (data->connection, cancellable, &local_error);

        if (secret == NULL)
          {
            if (local_error != NULL)
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                          _("Cannot read the keyring: "));
            else
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The keyring holds no secret access key for “%s”. Edit the connection to enter it."),
                           data->name);
            return NULL;
          }
        credentials = dbt_credentials_new (data->access_key_id, secret, NULL, "keyring");
        dbt_connection_store_free_secret (secret);
      }
      break;

    case DBT_CONNECTION_AUTH_ENVIRONMENT:
      break;

    default:
      g_assert_not_reached ();
    }

  options.credentials = credentials;
  resolved->config = dbt_aws_config_load (&options, error);
  if (resolved->config == NULL)
    return NULL;
  if (resolved->outputs == NULL)
    resolved->outputs = empty_outputs ();

  return g_steal_pointer (&resolved);
}

static void
resolve_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  DbtResolvedConnection *resolved = dbt_connection_snapshot_resolve (task_data, cancellable, &error);

  if (resolved == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, resolved, (GDestroyNotify) dbt_resolved_connection_free);
}

DbtConnectionSnapshot *
dbt_connection_snapshot_new (DbtConnection *connection)
{
  DbtConnectionSnapshot *data;

  g_return_val_if_fail (DBT_IS_CONNECTION (connection), NULL);

  data = g_new0 (DbtConnectionSnapshot, 1);
  data->connection = g_object_ref (connection);
  data->id = g_strdup (dbt_connection_get_id (connection));
  data->name = g_strdup (dbt_connection_get_name (connection));
  data->endpoint_url = g_strdup (dbt_connection_get_endpoint_url (connection));
  data->region = g_strdup (dbt_connection_get_region (connection));
  data->profile = g_strdup (dbt_connection_get_profile (connection));
  data->access_key_id = g_strdup (dbt_connection_get_access_key_id (connection));
  data->auth = dbt_connection_get_auth (connection);
  return data;
}

void
dbt_connection_resolve_async (DbtConnection       *connection,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DBT_IS_CONNECTION (connection));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dbt_connection_resolve_async);
  g_task_set_task_data (task, dbt_connection_snapshot_new (connection),
                        (GDestroyNotify) dbt_connection_snapshot_free);
  g_task_run_in_thread (task, resolve_thread);
}

DbtResolvedConnection *
dbt_connection_resolve_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dbt_connection_resolve_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
