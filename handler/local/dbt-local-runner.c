/* dbt-local-runner.c — keeps the mapping runners in line with the mappings. */
#include "dbt-local-runner.h"

#include <json-glib/json-glib.h>
#include <unistd.h>
#include "dbt-failure-record.h"
#include "dbt-function-host.h"
#include "dbt-lambda.h"
#include "dbt-mapping-runner.h"
#include "dbt-outbox.h"
#include "dbt-shard-poller.h"

struct _DbtLocalRunner
{
  DbtLocalContext *context;
  GCancellable    *cancellable;
  GThread         *thread;
  GSourceFunc      on_done;
  gpointer         on_done_data;
  GHashTable      *runners;    /* mapping uuid → DbtMappingRunner* */
  GHashTable      *hosts;      /* function ARN → DbtFunctionHost* */
  DbtOutbox       *outbox;
  char            *status;     /* the last runner-status.json written */
};

static gboolean
is_stream_mapping (const DbtEventSourceMapping *mapping)
{
  return g_strcmp0 (mapping->state, "Enabled") == 0 &&
         mapping->event_source_arn != NULL &&
         g_str_has_prefix (mapping->event_source_arn, "arn:aws:dynamodb:") &&
         strstr (mapping->event_source_arn, "/stream/") != NULL &&
         mapping->function_arn != NULL;
}

static void
write_status (DbtLocalRunner *runner,
              const char     *state)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *updated = dbt_iso8601_ms (now);
  g_autofree char *path = g_build_filename (runner->context->config->stack_dir, "runner-status.json", NULL);
  g_autofree char *text = NULL;
  g_autofree char *compare = NULL;
  g_autoptr(GList) uuids = g_hash_table_get_keys (runner->runners);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, getpid ());
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, state);
  json_builder_set_member_name (builder, "outbox");
  json_builder_add_string_value (builder, runner->context->outbox_dir);
  json_builder_set_member_name (builder, "mappings");
  json_builder_begin_array (builder);
  uuids = g_list_sort (uuids, (GCompareFunc) g_strcmp0);
  {
    g_autoptr(GString) key = g_string_new (state);

    for (GList *l = uuids; l != NULL; l = l->next)
      g_string_append_printf (key, "|%s", (char *) l->data);
    compare = g_string_free (g_steal_pointer (&key), FALSE);
  }
  for (GList *l = uuids; l != NULL; l = l->next)
    {
      g_auto(GStrv) parts = g_strsplit (dbt_mapping_runner_get_signature (g_hash_table_lookup (runner->runners, l->data)), "|", 4);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "uuid");
      json_builder_add_string_value (builder, parts[0]);
      json_builder_set_member_name (builder, "functionArn");
      json_builder_add_string_value (builder, parts[1]);
      json_builder_set_member_name (builder, "eventSourceArn");
      json_builder_add_string_value (builder, parts[2]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "updated");
  json_builder_add_string_value (builder, updated);
  json_builder_end_object (builder);

  /* Rewritten only when something but the time changed. */
  if (g_strcmp0 (compare, runner->status) == 0)
    return;
  g_free (runner->status);
  runner->status = g_steal_pointer (&compare);
  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  g_file_set_contents (path, text, -1, NULL);
}

static void
reconcile (DbtLocalRunner *runner,
           GPtrArray      *mappings)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) used_hosts = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < mappings->len; i++)
    {
      DbtEventSourceMapping *mapping = g_ptr_array_index (mappings, i);

      if (is_stream_mapping (mapping))
        g_hash_table_insert (wanted, mapping->uuid, mapping);
    }

  /* Stop what is gone or changed. */
  g_hash_table_iter_init (&iter, runner->runners);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      DbtEventSourceMapping *mapping = g_hash_table_lookup (wanted, key);
      g_autofree char *signature = mapping != NULL ? dbt_mapping_signature (mapping) : NULL;

      if (g_strcmp0 (signature, dbt_mapping_runner_get_signature (value)) != 0)
        {
          g_message ("mapping %s %s", (char *) key, mapping != NULL ? "changed" : "is gone or disabled");
          g_hash_table_iter_remove (&iter);
        }
    }

  /* Start what is new. */
  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      DbtEventSourceMapping *mapping = value;
      DbtFunctionHost *host;

      g_hash_table_add (used_hosts, mapping->function_arn);
      if (g_hash_table_contains (runner->runners, key))
        continue;
      host = g_hash_table_lookup (runner->hosts, mapping->function_arn);
      if (host == NULL)
        {
          g_autoptr(GError) error = NULL;

          host = dbt_function_host_new (runner->context->client, runner->context->config,
                                        mapping->function_arn, &error);
          if (host == NULL)
            {
              g_warning ("cannot host %s: %s", mapping->function_arn, error->message);
              continue;
            }
          g_hash_table_insert (runner->hosts, g_strdup (mapping->function_arn), host);
        }
      g_hash_table_insert (runner->runners, g_strdup (mapping->uuid),
                           dbt_mapping_runner_start (runner->context, mapping, host));
    }

  /* Functions no mapping feeds any more: their process goes. */
  g_hash_table_iter_init (&iter, runner->hosts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (used_hosts, key))
      {
        dbt_function_host_stop (value);
        g_hash_table_iter_remove (&iter);
      }
}

static gboolean
all_done (DbtLocalRunner *runner)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, runner->runners);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!dbt_mapping_runner_is_done (value))
      return FALSE;
  return TRUE;
}

static gpointer
supervisor_thread (gpointer data)
{
  DbtLocalRunner *runner = data;
  DbtLocalContext *context = runner->context;

  runner->outbox = dbt_outbox_new (context);
  while (!g_cancellable_is_cancelled (runner->cancellable))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) mappings = NULL;

      if (!dbt_local_context_reload_outputs (context, &error))
        {
          g_warning ("%s", error->message);
          g_clear_error (&error);
        }
      /* Subscribed before anything is invoked: no notification is missed. */
      dbt_outbox_refresh (runner->outbox, !context->once, runner->cancellable);
      mappings = dbt_lambda_list_all_event_source_mappings (context->client, NULL, NULL,
                                                            runner->cancellable, &error);
      if (mappings == NULL)
        {
          if (g_cancellable_is_cancelled (runner->cancellable))
            break;
          g_warning ("ListEventSourceMappings failed: %s", error->message);
          g_clear_error (&error);
        }
      else
        reconcile (runner, mappings);
      write_status (runner, "running");

      if (context->once)
        {
          if (mappings != NULL)
            {
              /* Wait for the mappings, then deliver what they caused. */
              while (!all_done (runner) && dbt_local_sleep (100, runner->cancellable))
                ;
              if (!g_cancellable_is_cancelled (runner->cancellable))
                dbt_outbox_run_once (runner->outbox, runner->cancellable);
              break;
            }
          if (!dbt_local_sleep (1000, runner->cancellable))
            break;
          continue;
        }

      if (!dbt_local_sleep (DBT_LOCAL_REFRESH_MS, runner->cancellable))
        break;
    }
  if (context->once && !g_cancellable_is_cancelled (runner->cancellable) && runner->on_done != NULL)
    g_idle_add (runner->on_done, runner->on_done_data);
  return NULL;
}

DbtLocalRunner *
dbt_local_runner_start (DbtLocalContext *context,
                        GSourceFunc      on_done,
                        gpointer         user_data)
{
  DbtLocalRunner *runner = g_new0 (DbtLocalRunner, 1);

  runner->context = context;
  runner->cancellable = g_cancellable_new ();
  runner->on_done = on_done;
  runner->on_done_data = user_data;
  runner->runners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) dbt_mapping_runner_free);
  runner->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) dbt_function_host_unref);
  runner->thread = g_thread_new ("dbt-supervisor", supervisor_thread, runner);
  return runner;
}

void
dbt_local_runner_stop (DbtLocalRunner *runner)
{
  g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_function_host_unref);
  GHashTableIter iter;
  gpointer value;
  gint64 deadline;

  if (runner->thread == NULL)
    return;
  g_cancellable_cancel (runner->cancellable);
  g_thread_join (g_steal_pointer (&runner->thread));
  g_hash_table_remove_all (runner->runners);   /* joins their threads */
  g_clear_pointer (&runner->outbox, dbt_outbox_free);

  g_hash_table_iter_init (&iter, runner->hosts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      dbt_function_host_stop (value);
      g_ptr_array_add (hosts, dbt_function_host_ref (value));
    }
  g_hash_table_remove_all (runner->hosts);

  /* Let the child watches reap the processes. */
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  for (guint i = 0; i < hosts->len && g_get_monotonic_time () < deadline; )
    {
      if (!dbt_function_host_has_process (g_ptr_array_index (hosts, i)))
        {
          i++;
          continue;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  write_status (runner, "stopped");
}

void
dbt_local_runner_free (DbtLocalRunner *runner)
{
  if (runner == NULL)
    return;
  dbt_local_runner_stop (runner);
  g_hash_table_unref (runner->runners);
  g_hash_table_unref (runner->hosts);
  g_object_unref (runner->cancellable);
  g_free (runner->status);
  g_free (runner);
}
