/* dbt-retry-policy.c — Lambda's stream retry rules. */
#include "dbt-retry-policy.h"

#include <json-glib/json-glib.h>

static gboolean
retries_exhausted (const DbtRetrySettings *settings,
                   guint                   retries)
{
  return settings->maximum_retry_attempts >= 0 &&
         (gint64) retries > settings->maximum_retry_attempts;
}

DbtRetryDecision
dbt_retry_decide (const DbtRetrySettings *settings,
                  const DbtSegment       *batch,
                  DbtBatchOutcome         outcome,
                  guint                   failed_index)
{
  DbtRetryDecision decision = { 0 };
  guint rest;

  switch (outcome)
    {
    case DBT_BATCH_SUCCEEDED:
      decision.n_done = batch->n_records;
      return decision;

    case DBT_BATCH_PARTIALLY_FAILED:
      g_return_val_if_fail (failed_index < batch->n_records, decision);
      decision.n_done = failed_index;
      rest = batch->n_records - failed_index;
      if (retries_exhausted (settings, batch->retries + 1))
        decision.n_given_up = rest;
      else
        decision.retry[decision.n_retry++] = (DbtSegment) { rest, batch->retries + 1 };
      return decision;

    case DBT_BATCH_FAILED:
      if (settings->bisect_on_function_error && batch->n_records >= 2)
        {
          guint first = batch->n_records / 2;

          decision.retry[decision.n_retry++] = (DbtSegment) { first, batch->retries };
          decision.retry[decision.n_retry++] = (DbtSegment) { batch->n_records - first, batch->retries };
        }
      else if (retries_exhausted (settings, batch->retries + 1))
        decision.n_given_up = batch->n_records;
      else
        decision.retry[decision.n_retry++] = (DbtSegment) { batch->n_records, batch->retries + 1 };
      return decision;

    default:
      g_return_val_if_reached (decision);
    }
}

static gboolean
is_blank (const char *body,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (body[i]))
      return FALSE;
  return TRUE;
}

DbtBatchOutcome
dbt_retry_read_response (const DbtRetrySettings *settings,
                         const char             *body,
                         gsize                   body_len,
                         const char *const      *sequence_numbers,
                         guint                   n_records,
                         guint                  *failed_index,
                         char                  **reason)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonNode *failures_node;
  JsonArray *failures;
  guint lowest = G_MAXUINT;

  *failed_index = 0;
  *reason = NULL;
  if (!settings->report_batch_item_failures || body == NULL || is_blank (body, body_len))
    return DBT_BATCH_SUCCEEDED;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, body, body_len, &error))
    {
      *reason = g_strdup_printf ("the response is not JSON: %s", error->message);
      return DBT_BATCH_FAILED;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || JSON_NODE_HOLDS_NULL (root))
    return DBT_BATCH_SUCCEEDED;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      *reason = g_strdup ("the response is not a JSON object");
      return DBT_BATCH_FAILED;
    }
  failures_node = json_object_get_member (json_node_get_object (root), "batchItemFailures");
  if (failures_node == NULL || JSON_NODE_HOLDS_NULL (failures_node))
    return DBT_BATCH_SUCCEEDED;
  if (!JSON_NODE_HOLDS_ARRAY (failures_node))
    {
      *reason = g_strdup ("batchItemFailures is not a list");
      return DBT_BATCH_FAILED;
    }
  failures = json_node_get_array (failures_node);
  if (json_array_get_length (failures) == 0)
    return DBT_BATCH_SUCCEEDED;

  for (guint i = 0; i < json_array_get_length (failures); i++)
    {
      JsonNode *entry = json_array_get_element (failures, i);
      JsonNode *id_node;
      const char *id;
      guint index;

      id_node = JSON_NODE_HOLDS_OBJECT (entry)
                ? json_object_get_member (json_node_get_object (entry), "itemIdentifier")
                : NULL;
      if (id_node == NULL || !JSON_NODE_HOLDS_VALUE (id_node) ||
          json_node_get_value_type (id_node) != G_TYPE_STRING ||
          *(id = json_node_get_string (id_node)) == '\0')
        {
          *reason = g_strdup_printf ("batchItemFailures[%u] has no itemIdentifier string", i);
          return DBT_BATCH_FAILED;
        }
      for (index = 0; index < n_records; index++)
        if (g_strcmp0 (sequence_numbers[index], id) == 0)
          break;
      if (index == n_records)
        {
          *reason = g_strdup_printf ("batchItemFailures[%u]: “%s” is not a sequence number of the batch", i, id);
          return DBT_BATCH_FAILED;
        }
      lowest = MIN (lowest, index);
    }
  *failed_index = lowest;
  return DBT_BATCH_PARTIALLY_FAILED;
}

guint
dbt_retry_count_expired (const gint64 *creation_ms,
                         guint         n_records,
                         gint64        maximum_record_age_seconds,
                         gint64        now_ms)
{
  guint n = 0;

  if (maximum_record_age_seconds < 0)
    return 0;
  while (n < n_records && creation_ms[n] > 0 &&
         now_ms - creation_ms[n] > maximum_record_age_seconds * 1000)
    n++;
  return n;
}
