/* dbt-session.c — a resolved connection, its client and its resources. */
#include "dbt-config.h"


#include "dbt-lambda.h"
#include "dbt-session.h"
#include "dbt-sqs.h"

#define DEFAULT_FUNCTION_NAME "dbtrigger-handler"
#define DEFAULT_OWNER_ATTRIBUTE "owner"

typedef struct
{
  DbtSession session;
  gatomicrefcount ref_count;
} DbtSessionReal;

DbtSession *
dbt_session_ref (DbtSession *session)
{
  g_atomic_ref_count_inc (&((DbtSessionReal *) session)->ref_count);
  return session;
}

void
dbt_session_unref (DbtSession *session)
{
  if (session == NULL || !g_atomic_ref_count_dec (&((DbtSessionReal *) session)->ref_count))
    return;

  g_free (session->connection_id);
  g_free (session->connection_name);
  g_clear_pointer (&session->client, dbt_aws_client_unref);
  g_free (session->region);
  g_free (session->table_name);
  g_free (session->stream_arn);
  g_free (session->owner_attribute);
  g_free (session->log_table_name);
  g_free (session->log_owner_index);
  g_free (session->topic_arn);
  g_free (session->function_name);
  g_free (session->queue_url);
  g_free (session->code_bucket);
  g_free (session->stack_dir);
  g_free (session);
}

/* Terraform writes empty strings for absent outputs. */
static char *
dup_output (GHashTable *outputs,
            const char *name)
{
  const char *value = g_hash_table_lookup (outputs, name);

  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

/* "arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL" → NAME */
static char *
table_from_stream_arn (const char *stream_arn)
{
  const char *table = strstr (stream_arn, ":table/");
  const char *end;

  if (table == NULL)
    return NULL;
  table += strlen (":table/");
  end = strchr (table, '/');
  return end != NULL ? g_strndup (table, end - table) : g_strdup (table);
}

/* Everything the handler function knows about its deployment. A missing
 * function is not an error here: the pages that need its names say so. */
static void
discover_from_function (DbtSession   *session,
                        GCancellable *cancellable)
{
  g_autoptr(DbtFunctionConfiguration) configuration = NULL;
  g_autoptr(GPtrArray) mappings = NULL;
  g_autoptr(GError) error = NULL;

  configuration = dbt_lambda_get_function_configuration (session->client, session->function_name,
                                                         cancellable, &error);
  if (configuration == NULL)
    {
      g_debug ("no handler function %s: %s", session->function_name, error->message);
      return;
    }

#define TAKE_ENV(field, variable) \
  if (session->field == NULL && g_hash_table_lookup (configuration->environment, variable) != NULL) \
    session->field = g_strdup (g_hash_table_lookup (configuration->environment, variable))
  TAKE_ENV (topic_arn, "TOPIC_ARN");
  TAKE_ENV (log_table_name, "LOG_TABLE");
  TAKE_ENV (table_name, "TABLE_NAME");
  TAKE_ENV (owner_attribute, "OWNER_ATTRIBUTE");
#undef TAKE_ENV

  /* By ARN: every Lambda implementation filters mappings by it (some only by it). */
  mappings = dbt_lambda_list_all_event_source_mappings (session->client,
                                                         configuration->function_arn != NULL
                                                         ? configuration->function_arn
                                                         : session->function_name,
                                                         NULL, cancellable, &error);
  if (mappings == NULL)
    {
      g_debug ("no stream mapping for %s: %s", session->function_name, error->message);
      return;
    }
  for (guint i = 0; i < mappings->len; i++)
    {
      DbtEventSourceMapping *mapping = g_ptr_array_index (mappings, i);

      if (mapping->event_source_arn == NULL || strstr (mapping->event_source_arn, ":dynamodb:") == NULL)
        continue;
      if (session->stream_arn == NULL)
        session->stream_arn = g_strdup (mapping->event_source_arn);
      if (session->table_name == NULL)
        session->table_name = table_from_stream_arn (mapping->event_source_arn);
      if (session->queue_url == NULL && mapping->on_failure_destination != NULL)
        {
          const char *queue_name = strrchr (mapping->on_failure_destination, ':');

          if (queue_name != NULL)
            session->queue_url = dbt_sqs_get_queue_url (session->client, queue_name + 1,
                                                        cancellable, NULL);
        }
      break;
    }
}

DbtSession *
dbt_session_load (DbtConnectionSnapshot  *snapshot,
                  GCancellable           *cancellable,
                  GError                **error)
{
  g_autoptr(DbtResolvedConnection) resolved = NULL;
  DbtSessionReal *real;
  DbtSession *session;
  const char *function_name = g_getenv ("DBT_FUNCTION_NAME");

  resolved = dbt_connection_snapshot_resolve (snapshot, cancellable, error);
  if (resolved == NULL)
    return NULL;

  real = g_new0 (DbtSessionReal, 1);
  g_atomic_ref_count_init (&real->ref_count);
  session = &real->session;
  session->connection_id = g_strdup (resolved->connection_id);
  session->connection_name = g_strdup (resolved->connection_name);
  session->is_local_stack = g_strcmp0 (resolved->connection_id, DBT_CONNECTION_LOCAL_STACK_ID) == 0;
  session->client = dbt_aws_client_new (resolved->config);
  session->region = g_strdup (resolved->config->region);

  /* The local stack's Terraform outputs name everything. */
  session->table_name = dup_output (resolved->outputs, "table_name");
  session->stream_arn = dup_output (resolved->outputs, "table_stream_arn");
  session->owner_attribute = dup_output (resolved->outputs, "owner_attribute");
  session->log_table_name = dup_output (resolved->outputs, "log_table_name");
  session->log_owner_index = dup_output (resolved->outputs, "log_table_owner_index");
  session->topic_arn = dup_output (resolved->outputs, "topic_arn");
  session->function_name = dup_output (resolved->outputs, "function_name");
  session->queue_url = dup_output (resolved->outputs, "queue_url");
  session->code_bucket = dup_output (resolved->outputs, "code_bucket");
  session->stack_dir = g_strdup (resolved->stack_dir);

  if (session->function_name == NULL)
    session->function_name = g_strdup (function_name != NULL && *function_name != '\0'
                                       ? function_name : DEFAULT_FUNCTION_NAME);

  if (session->table_name == NULL || session->topic_arn == NULL || session->log_table_name == NULL
      || session->stream_arn == NULL || session->queue_url == NULL)
    discover_from_function (session, cancellable);

  if (session->owner_attribute == NULL)
    session->owner_attribute = g_strdup (DEFAULT_OWNER_ATTRIBUTE);

  return session;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  DbtSession *session = dbt_session_load (task_data, cancellable, &error);

  if (session == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, session, (GDestroyNotify) dbt_session_unref);
}

void
dbt_session_load_async (DbtConnection       *connection,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DBT_IS_CONNECTION (connection));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dbt_session_load_async);
  g_task_set_task_data (task, dbt_connection_snapshot_new (connection),
                        (GDestroyNotify) dbt_connection_snapshot_free);
  g_task_run_in_thread (task, load_thread);
}

DbtSession *
dbt_session_load_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dbt_session_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
