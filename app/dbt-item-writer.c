/* dbt-item-writer.c — conditional writes and deletes of one item. */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-error.h"
#include "dbt-item-writer.h"

/* DynamoDB's limit for each expression string. */
#define MAX_EXPRESSION_BYTES 4096

/* ---- schema ------------------------------------------------------------- */

DbtItemSchema *
dbt_item_schema_new_from_description (const DbtTableDescription *description)
{
  DbtItemSchema *schema = g_new0 (DbtItemSchema, 1);

  schema->table_name = g_strdup (description->table_name);
  schema->hash_key_name = g_strdup (description->hash_key_name);
  schema->hash_key_type = description->hash_key_type;
  schema->range_key_name = g_strdup (description->range_key_name);
  schema->range_key_type = description->range_key_type;
  return schema;
}

DbtItemSchema *
dbt_item_schema_copy (const DbtItemSchema *schema)
{
  DbtItemSchema *copy = g_memdup2 (schema, sizeof *schema);

  copy->table_name = g_strdup (schema->table_name);
  copy->hash_key_name = g_strdup (schema->hash_key_name);
  copy->range_key_name = g_strdup (schema->range_key_name);
  return copy;
}

void
dbt_item_schema_free (DbtItemSchema *schema)
{
  if (schema == NULL)
    return;
  g_free (schema->table_name);
  g_free (schema->hash_key_name);
  g_free (schema->range_key_name);
  g_free (schema);
}

static gboolean
schema_is_key (const DbtItemSchema *schema,
               const char          *name)
{
  return g_strcmp0 (name, schema->hash_key_name) == 0 ||
         (schema->range_key_name != NULL && g_strcmp0 (name, schema->range_key_name) == 0);
}

DbtItem *
dbt_item_schema_extract_key (const DbtItemSchema *schema,
                             const DbtItem       *item)
{
  g_autoptr(DbtItem) key = dbt_item_new ();
  DbtValue *hash = dbt_item_get (item, schema->hash_key_name);

  if (hash == NULL)
    return NULL;
  dbt_item_set (key, schema->hash_key_name, hash);
  if (schema->range_key_name != NULL)
    {
      DbtValue *range = dbt_item_get (item, schema->range_key_name);

      if (range == NULL)
        return NULL;
      dbt_item_set (key, schema->range_key_name, range);
    }
  return g_steal_pointer (&key);
}

void
dbt_item_write_outcome_free (DbtItemWriteOutcome *outcome)
{
  if (outcome == NULL)
    return;
  g_clear_pointer (&outcome->current, dbt_item_unref);
  g_strfreev (outcome->appeared);
  g_free (outcome);
}

/* Names in @now that are not in @before (both may be NULL), or NULL. */
static GStrv
appeared_names (const DbtItem *before,
                const DbtItem *now)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean any = FALSE;

  if (now == NULL)
    return NULL;
  for (guint i = 0; i < dbt_item_get_size (now); i++)
    {
      const char *name = dbt_item_get_name (now, i);

      if (before == NULL || dbt_item_get (before, name) == NULL)
        {
          g_strv_builder_add (builder, name);
          any = TRUE;
        }
    }
  return any ? g_strv_builder_end (builder) : NULL;
}

/* ---- expressions -------------------------------------------------------- */

/* Placeholders of one request: "#c3" → name, ":c3" → value. */
typedef struct
{
  GPtrArray *names;    /* "#p", "name", ..., NULL */
  DbtItem   *values;
} Placeholders;

static void
placeholders_init (Placeholders *p)
{
  p->names = g_ptr_array_new_with_free_func (g_free);
  p->values = dbt_item_new ();
}

static void
placeholders_clear (Placeholders *p)
{
  g_clear_pointer (&p->names, g_ptr_array_unref);
  g_clear_pointer (&p->values, dbt_item_unref);
}

static const char *
placeholders_name (Placeholders *p,
                   const char   *prefix,
                   guint         index,
                   const char   *name)
{
  char *placeholder = g_strdup_printf ("#%s%u", prefix, index);

  g_ptr_array_add (p->names, placeholder);
  g_ptr_array_add (p->names, g_strdup (name));
  return placeholder;
}

static char *
placeholders_value (Placeholders *p,
                    const char   *prefix,
                    guint         index,
                    DbtValue     *value)
{
  char *placeholder = g_strdup_printf (":%s%u", prefix, index);

  dbt_item_set (p->values, placeholder, value);
  return placeholder;
}

static const char *const *
placeholders_names (Placeholders *p)
{
  if (p->names->len == 0 || g_ptr_array_index (p->names, p->names->len - 1) != NULL)
    g_ptr_array_add (p->names, NULL);
  return (const char *const *) p->names->pdata;
}

static void
append_clause (GString    *expression,
               const char *separator,
               const char *format,
               ...) G_GNUC_PRINTF (3, 4);

static void
append_clause (GString    *expression,
               const char *separator,
               const char *format,
               ...)
{
  va_list args;

  if (expression->len > 0)
    g_string_append (expression, separator);
  va_start (args, format);
  g_string_append_vprintf (expression, format, args);
  va_end (args);
}

/* "#c0 = :c0 AND #c1 = :c1 ...": every attribute of @expected as it was.
 * The placeholders of attribute i are "#c<i>" and ":c<i>". */
static void
condition_equals (GString       *condition,
                  Placeholders  *p,
                  const DbtItem *expected)
{
  for (guint i = 0; i < dbt_item_get_size (expected); i++)
    {
      const char *name = placeholders_name (p, "c", i, dbt_item_get_name (expected, i));
      g_autofree char *value = placeholders_value (p, "c", i, dbt_item_get_value (expected, i));

      append_clause (condition, " AND ", "%s = %s", name, value);
    }
}

static gboolean
check_expression (const GString *expression,
                  GError       **error)
{
  if (expression->len <= MAX_EXPRESSION_BYTES)
    return TRUE;
  dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                     _("The item has too many attributes to be written safely: its condition would take %u bytes, DynamoDB allows 4096"),
                     (guint) expression->len);
  return FALSE;
}

/* ---- writes -------------------------------------------------------------- */

static DbtItemWriteOutcome *
conflict_outcome (DbtItem *current)
{
  DbtItemWriteOutcome *outcome = g_new0 (DbtItemWriteOutcome, 1);

  outcome->conflict = TRUE;
  outcome->current = current;
  return outcome;
}

static DbtItemWriteOutcome *
save_new (DbtAwsClient        *client,
          const DbtItemSchema *schema,
          DbtItem             *item,
          GCancellable        *cancellable,
          GError             **error)
{
  const char *names[] = { "#k", schema->hash_key_name, NULL };
  DbtWriteOptions options = {
    .condition_expression = "attribute_not_exists(#k)",
    .expression_attribute_names = names,
    .return_current_on_condition_failure = TRUE,
  };
  g_autoptr(DbtItem) current = NULL;
  g_autoptr(GError) local_error = NULL;
  DbtItemWriteOutcome *outcome;

  if (!dbt_dynamodb_put_item (client, schema->table_name, item, &options, NULL, &current,
                              cancellable, &local_error))
    {
      if (g_error_matches (local_error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONDITION_FAILED))
        return conflict_outcome (g_steal_pointer (&current));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  outcome = g_new0 (DbtItemWriteOutcome, 1);
  outcome->current = dbt_item_ref (item);
  return outcome;
}

/* Nothing to write: just make sure the table still holds @expected. */
static DbtItemWriteOutcome *
save_unchanged (DbtAwsClient        *client,
                const DbtItemSchema *schema,
                DbtItem             *key,
                DbtItem             *expected,
                GCancellable        *cancellable,
                GError             **error)
{
  g_autoptr(DbtItem) current = NULL;
  DbtItemWriteOutcome *outcome;

  if (!dbt_dynamodb_get_item (client, schema->table_name, key, TRUE, &current, cancellable, error))
    return NULL;

  if (current == NULL)
    return conflict_outcome (NULL);
  for (guint i = 0; i < dbt_item_get_size (expected); i++)
    {
      DbtValue *now = dbt_item_get (current, dbt_item_get_name (expected, i));

      if (now == NULL || !dbt_value_equal (now, dbt_item_get_value (expected, i)))
        return conflict_outcome (g_steal_pointer (&current));
    }

  outcome = g_new0 (DbtItemWriteOutcome, 1);
  outcome->appeared = appeared_names (expected, current);
  outcome->current = g_steal_pointer (&current);
  return outcome;
}

DbtItemWriteOutcome *
dbt_item_writer_save (DbtAwsClient        *client,
                      const DbtItemSchema *schema,
                      DbtItem             *expected,
                      DbtItem             *item,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autoptr(DbtItem) key = NULL;
  g_autoptr(DbtItem) expected_key = NULL;
  g_autoptr(GString) condition = g_string_new (NULL);
  g_autoptr(GString) set = g_string_new (NULL);
  g_autoptr(GString) remove = g_string_new (NULL);
  g_autoptr(GString) update = NULL;
  g_autoptr(DbtItem) attributes = NULL;
  g_autoptr(DbtItem) current = NULL;
  g_autoptr(GError) local_error = NULL;
  Placeholders p;
  DbtWriteOptions options = { 0 };
  DbtItemWriteOutcome *outcome;
  gboolean written;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (item != NULL, NULL);

  key = dbt_item_schema_extract_key (schema, item);
  if (key == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         _("The item has no key"));
      return NULL;
    }
  if (!dbt_item_validate (item, error))
    return NULL;

  if (expected == NULL)
    return save_new (client, schema, item, cancellable, error);

  expected_key = dbt_item_schema_extract_key (schema, expected);
  if (expected_key == NULL || !dbt_item_equal (key, expected_key))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         _("The key of an item cannot change; duplicate the item instead"));
      return NULL;
    }

  placeholders_init (&p);
  condition_equals (condition, &p, expected);

  /* SET what is new or different, with the name placeholder of the
   * condition when the attribute was there; new attributes must still be
   * absent, or someone else's value would be overwritten unseen. */
  for (guint i = 0; i < dbt_item_get_size (item); i++)
    {
      const char *name = dbt_item_get_name (item, i);
      DbtValue *value = dbt_item_get_value (item, i);
      DbtValue *before = dbt_item_get (expected, name);
      g_autofree char *name_placeholder = NULL;
      g_autofree char *value_placeholder = NULL;

      if (schema_is_key (schema, name) || (before != NULL && dbt_value_equal (before, value)))
        continue;

      if (before != NULL)
        {
          for (guint j = 0; j < dbt_item_get_size (expected); j++)
            if (g_str_equal (dbt_item_get_name (expected, j), name))
              name_placeholder = g_strdup_printf ("#c%u", j);
        }
      else
        {
          name_placeholder = g_strdup (placeholders_name (&p, "n", i, name));
          append_clause (condition, " AND ", "attribute_not_exists(%s)", name_placeholder);
        }
      value_placeholder = placeholders_value (&p, "s", i, value);
      append_clause (set, ", ", "%s = %s", name_placeholder, value_placeholder);
    }

  for (guint j = 0; j < dbt_item_get_size (expected); j++)
    if (dbt_item_get (item, dbt_item_get_name (expected, j)) == NULL)
      append_clause (remove, ", ", "#c%u", j);

  if (set->len == 0 && remove->len == 0)
    {
      placeholders_clear (&p);
      return save_unchanged (client, schema, key, expected, cancellable, error);
    }

  update = g_string_new (NULL);
  if (set->len > 0)
    g_string_append_printf (update, "SET %s", set->str);
  if (remove->len > 0)
    g_string_append_printf (update, "%sREMOVE %s", update->len > 0 ? " " : "", remove->str);

  if (!check_expression (condition, error) || !check_expression (update, error))
    {
      placeholders_clear (&p);
      return NULL;
    }

  options.condition_expression = condition->str;
  options.expression_attribute_names = placeholders_names (&p);
  options.expression_attribute_values = p.values;
  options.return_values = DBT_RETURN_VALUES_ALL_NEW;
  options.return_current_on_condition_failure = TRUE;

  written = dbt_dynamodb_update_item (client, schema->table_name, key, update->str, &options,
                                      &attributes, &current, cancellable, &local_error);
  placeholders_clear (&p);

  if (!written)
    {
      if (g_error_matches (local_error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONDITION_FAILED))
        return conflict_outcome (g_steal_pointer (&current));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  outcome = g_new0 (DbtItemWriteOutcome, 1);
  outcome->current = attributes != NULL ? g_steal_pointer (&attributes) : dbt_item_ref (item);
  outcome->appeared = appeared_names (item, outcome->current);
  return outcome;
}

DbtItemWriteOutcome *
dbt_item_writer_delete (DbtAwsClient        *client,
                        const DbtItemSchema *schema,
                        DbtItem             *expected,
                        GCancellable        *cancellable,
                        GError             **error)
{
  g_autoptr(DbtItem) key = NULL;
  g_autoptr(GString) condition = g_string_new (NULL);
  g_autoptr(DbtItem) old = NULL;
  g_autoptr(DbtItem) current = NULL;
  g_autoptr(GError) local_error = NULL;
  Placeholders p;
  DbtWriteOptions options = { 0 };
  DbtItemWriteOutcome *outcome;
  gboolean deleted;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (expected != NULL, NULL);

  key = dbt_item_schema_extract_key (schema, expected);
  if (key == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         _("The item has no key"));
      return NULL;
    }

  placeholders_init (&p);
  condition_equals (condition, &p, expected);
  if (!check_expression (condition, error))
    {
      placeholders_clear (&p);
      return NULL;
    }

  options.condition_expression = condition->str;
  options.expression_attribute_names = placeholders_names (&p);
  options.expression_attribute_values = p.values;
  options.return_values = DBT_RETURN_VALUES_ALL_OLD;
  options.return_current_on_condition_failure = TRUE;

  deleted = dbt_dynamodb_delete_item (client, schema->table_name, key, &options,
                                      &old, &current, cancellable, &local_error);
  placeholders_clear (&p);

  if (!deleted)
    {
      if (g_error_matches (local_error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONDITION_FAILED))
        return conflict_outcome (g_steal_pointer (&current));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  outcome = g_new0 (DbtItemWriteOutcome, 1);
  outcome->appeared = appeared_names (expected, old);
  return outcome;
}

/* ---- on a worker thread ------------------------------------------------ */

typedef struct
{
  DbtSession    *session;
  DbtItemSchema *schema;
  DbtItem       *expected;
  DbtItem       *item;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_clear_pointer (&data->session, dbt_session_unref);
  g_clear_pointer (&data->schema, dbt_item_schema_free);
  g_clear_pointer (&data->expected, dbt_item_unref);
  g_clear_pointer (&data->item, dbt_item_unref);
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  DbtItemWriteOutcome *outcome;
  GError *error = NULL;

  if (data->item != NULL)
    outcome = dbt_item_writer_save (data->session->client, data->schema, data->expected,
                                    data->item, cancellable, &error);
  else
    outcome = dbt_item_writer_delete (data->session->client, data->schema, data->expected,
                                      cancellable, &error);
  if (outcome == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, outcome, (GDestroyNotify) dbt_item_write_outcome_free);
}

static void
start_write (DbtSession          *session,
             const DbtItemSchema *schema,
             DbtItem             *expected,
             DbtItem             *item,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  WriteData *data = g_new0 (WriteData, 1);

  data->session = dbt_session_ref (session);
  data->schema = dbt_item_schema_copy (schema);
  data->expected = expected != NULL ? dbt_item_ref (expected) : NULL;
  data->item = item != NULL ? dbt_item_ref (item) : NULL;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_thread);
}

void
dbt_item_writer_save_async (DbtSession          *session,
                            const DbtItemSchema *schema,
                            DbtItem             *expected,
                            DbtItem             *item,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (session != NULL);
  g_return_if_fail (schema != NULL);
  g_return_if_fail (item != NULL);

  start_write (session, schema, expected, item, dbt_item_writer_save_async,
               cancellable, callback, user_data);
}

DbtItemWriteOutcome *
dbt_item_writer_save_finish (GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dbt_item_writer_save_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dbt_item_writer_delete_async (DbtSession          *session,
                              const DbtItemSchema *schema,
                              DbtItem             *expected,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (session != NULL);
  g_return_if_fail (schema != NULL);
  g_return_if_fail (expected != NULL);

  start_write (session, schema, expected, NULL, dbt_item_writer_delete_async,
               cancellable, callback, user_data);
}

DbtItemWriteOutcome *
dbt_item_writer_delete_finish (GAsyncResult *result,
                               GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dbt_item_writer_delete_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
load_schema_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  DbtSession *session = task_data;
  g_autoptr(DbtTableDescription) description = NULL;
  GError *error = NULL;

  if (session->table_name == NULL)
    {
      g_task_return_new_error (task, DBT_AWS_ERROR, DBT_AWS_ERROR_CONFIG, "%s",
                               _("The connection names no items table"));
      return;
    }

  description = dbt_dynamodb_describe_table (session->client, session->table_name, cancellable, &error);
  if (description == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, dbt_item_schema_new_from_description (description),
                         (GDestroyNotify) dbt_item_schema_free);
}

void
dbt_item_writer_load_schema_async (DbtSession          *session,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (session != NULL);

  g_task_set_source_tag (task, dbt_item_writer_load_schema_async);
  g_task_set_task_data (task, dbt_session_ref (session), (GDestroyNotify) dbt_session_unref);
  g_task_run_in_thread (task, load_schema_thread);
}

DbtItemSchema *
dbt_item_writer_load_schema_finish (GAsyncResult *result,
                                    GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
