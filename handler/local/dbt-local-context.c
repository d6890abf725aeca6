/* dbt-local-context.c — the runner's shared state. */
#include "dbt-local-context.h"

DbtLocalContext *
dbt_local_context_new (DbtLocalConfig *config,
                       const char     *outbox_dir,
                       gboolean        once,
                       GError        **error)
{
  g_autoptr(DbtLocalContext) context = g_new0 (DbtLocalContext, 1);
  g_autofree char *checkpoints = NULL;

  g_mutex_init (&context->lock);
  context->config = config;
  context->once = once;
  context->outbox_dir = outbox_dir != NULL ? g_canonicalize_filename (outbox_dir, NULL)
                                           : g_build_filename (config->stack_dir, "outbox", NULL);
  context->outputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  context->client = dbt_local_config_new_client (config, error);
  if (context->client == NULL)
    return NULL;
  /* A batch waits for the answers: short, bounded exchanges. */
  dbt_aws_client_set_timeouts (context->client, 5000, 30000);
  checkpoints = g_build_filename (config->stack_dir, "checkpoints.json", NULL);
  context->checkpoints = dbt_checkpoints_open (checkpoints);
  return g_steal_pointer (&context);
}

void
dbt_local_context_free (DbtLocalContext *context)
{
  if (context == NULL)
    return;
  g_clear_pointer (&context->client, dbt_aws_client_unref);
  g_clear_pointer (&context->checkpoints, dbt_checkpoints_free);
  g_clear_pointer (&context->config, dbt_local_config_free);
  g_clear_pointer (&context->outputs, g_hash_table_unref);
  g_free (context->outbox_dir);
  g_mutex_clear (&context->lock);
  g_free (context);
}

gboolean
dbt_local_context_reload_outputs (DbtLocalContext *context,
                                  GError         **error)
{
  GHashTable *outputs = dbt_local_outputs_load (context->config->stack_dir, error);

  if (outputs == NULL)
    return FALSE;
  g_mutex_lock (&context->lock);
  g_hash_table_unref (context->outputs);
  context->outputs = outputs;
  g_mutex_unlock (&context->lock);
  return TRUE;
}

char *
dbt_local_context_dup_output (DbtLocalContext *context,
                              const char      *name)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&context->lock);
  const char *value = g_hash_table_lookup (context->outputs, name);

  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}
