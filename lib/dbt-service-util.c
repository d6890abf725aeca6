/* dbt-service-util.c — helpers shared by the typed service calls. */
#include "dbt-service-private.h"

#include <string.h>
#include "dbt-sigv4.h"

static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  if (object == NULL)
    return NULL;
  return json_object_get_member (object, name);
}

const char *
dbt_json_get_string (JsonObject *object,
                     const char *name)
{
  JsonNode *node = get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
dbt_json_get_int (JsonObject *object,
                  const char *name,
                  gint64      default_value)
{
  JsonNode *node = get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return default_value;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return default_value;
}

gboolean
dbt_json_get_bool (JsonObject *object,
                   const char *name,
                   gboolean    default_value)
{
  JsonNode *node = get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return default_value;
  return json_node_get_boolean (node);
}

JsonObject *
dbt_json_get_object (JsonObject *object,
                     const char *name)
{
  JsonNode *node = get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

JsonArray *
dbt_json_get_array (JsonObject *object,
                    const char *name)
{
  JsonNode *node = get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

char **
dbt_json_get_strv (JsonObject *object,
                   const char *name)
{
  JsonArray *array = dbt_json_get_array (object, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element)
          && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

GHashTable *
dbt_string_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

GHashTable *
dbt_json_get_string_map (JsonObject *object,
                         const char *name)
{
  JsonObject *map = dbt_json_get_object (object, name);
  GHashTable *table = dbt_string_table_new ();
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (map == NULL)
    return table;

  json_object_iter_init (&iter, map);
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (JSON_NODE_HOLDS_VALUE (value)
          && json_node_get_value_type (value) == G_TYPE_STRING)
        g_hash_table_insert (table, g_strdup (key),
                             g_strdup (json_node_get_string (value)));
    }
  return table;
}

JsonObject *
dbt_json_response_object (JsonNode   *response,
                          const char *operation,
                          GError    **error)
{
  if (response == NULL || !JSON_NODE_HOLDS_OBJECT (response))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                         "%s: the response is not a JSON object", operation);
      return NULL;
    }
  return json_node_get_object (response);
}

void
dbt_service_prefix_error (GError    **error,
                          const char *op,
                          const char *subject)
{
  if (subject != NULL)
    g_prefix_error (error, "%s on %s: ", op, subject);
  else
    g_prefix_error (error, "%s: ", op);
}

JsonNode *
dbt_service_call_json (DbtAwsClient *client,
                       DbtService    service,
                       const char   *target_prefix,
                       const char   *op,
                       const char   *subject,
                       JsonBuilder  *builder,
                       GCancellable *cancellable,
                       GError      **error)
{
  g_autoptr(JsonNode) request = json_builder_get_root (builder);
  g_autoptr(JsonNode) response = NULL;
  g_autofree char *target = g_strconcat (target_prefix, op, NULL);

  response = dbt_aws_client_call_json (client, service, target, request, cancellable, error);
  if (response == NULL)
    {
      dbt_service_prefix_error (error, op, subject);
      return NULL;
    }
  if (dbt_json_response_object (response, op, error) == NULL)
    return NULL;
  return g_steal_pointer (&response);
}

void
dbt_json_builder_add_string (JsonBuilder *builder,
                             const char  *name,
                             const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

void
dbt_json_builder_add_int (JsonBuilder *builder,
                          const char  *name,
                          gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
dbt_json_builder_add_bool (JsonBuilder *builder,
                           const char  *name,
                           gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

void
dbt_json_builder_add_pairs (JsonBuilder       *builder,
                            const char        *name,
                            const char *const *pairs)
{
  if (pairs == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    {
      json_builder_set_member_name (builder, pairs[i]);
      json_builder_add_string_value (builder, pairs[i + 1]);
    }
  json_builder_end_object (builder);
}

gboolean
dbt_require_string (const char *value,
                    const char *what,
                    GError    **error)
{
  if (value != NULL && value[0] != '\0')
    return TRUE;

  dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                     "%s must not be empty", what);
  return FALSE;
}

gboolean
dbt_require_pairs (const char *const *pairs,
                   const char        *what,
                   GError           **error)
{
  if (pairs == NULL || g_strv_length ((char **) pairs) % 2 == 0)
    return TRUE;

  dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                     "%s: expected name, value pairs, got an odd number of strings", what);
  return FALSE;
}

char *
dbt_uri_escape_segment (const char *segment)
{
  return dbt_uri_encode (segment, strlen (segment), FALSE);
}

char *
dbt_uri_escape_path (const char *path)
{
  return dbt_uri_encode (path, strlen (path), TRUE);
}

void
dbt_query_string_append (GString    *query,
                         const char *name,
                         const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL)
    return;
  escaped = dbt_uri_escape_segment (value);
  g_string_append_printf (query, "%s%s=%s", query->len > 0 ? "&" : "", name, escaped);
}

GPtrArray *
dbt_query_params_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

void
dbt_query_params_add (GPtrArray  *params,
                      const char *name,
                      const char *value)
{
  g_ptr_array_add (params, g_strdup (name));
  g_ptr_array_add (params, g_strdup (value));
}

void
dbt_query_params_add_printf (GPtrArray  *params,
                             const char *value,
                             const char *name_format,
                             ...)
{
  va_list args;

  va_start (args, name_format);
  g_ptr_array_add (params, g_strdup_vprintf (name_format, args));
  va_end (args);
  g_ptr_array_add (params, g_strdup (value));
}

void
dbt_query_params_add_map (GPtrArray         *params,
                          const char        *name,
                          const char *const *pairs)
{
  guint n = 1;

  if (pairs == NULL)
    return;

  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2, n++)
    {
      dbt_query_params_add_printf (params, pairs[i], "%s.entry.%u.key", name, n);
      dbt_query_params_add_printf (params, pairs[i + 1], "%s.entry.%u.value", name, n);
    }
}

const char *const *
dbt_query_params_end (GPtrArray *params)
{
  g_ptr_array_add (params, NULL);
  return (const char *const *) params->pdata;
}

gboolean
dbt_sleep_cancellable (guint         ms,
                       GCancellable *cancellable,
                       GError      **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (MIN (50 * 1000, MAX (0, deadline - g_get_monotonic_time ())));
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

