/* dbt-filter-policy.c — SNS filter policy matching. */
#include "dbt-filter-policy.h"

#include <gio/gio.h>
#include <stdlib.h>

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
node_is_bool (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

static double
node_number (JsonNode *node)
{
  return json_node_get_value_type (node) == G_TYPE_INT64
         ? (double) json_node_get_int (node) : json_node_get_double (node);
}

static gboolean
invalid (GError    **error,
         const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "filter policy: %s", what);
  return FALSE;
}

/* A literal (string, number, bool, null) against one value. */
static gboolean
literal_matches (JsonNode *literal,
                 JsonNode *value)
{
  if (node_is_string (literal))
    return node_is_string (value) && g_strcmp0 (json_node_get_string (literal), json_node_get_string (value)) == 0;
  if (node_is_number (literal))
    return node_is_number (value) && node_number (literal) == node_number (value);
  if (node_is_bool (literal))
    return node_is_bool (value) && json_node_get_boolean (literal) == json_node_get_boolean (value);
  if (JSON_NODE_HOLDS_NULL (literal))
    return JSON_NODE_HOLDS_NULL (value);
  return FALSE;
}

static gboolean
numeric_compare (const char *op,
                 double      a,
                 double      b,
                 gboolean   *result)
{
  if (g_str_equal (op, "="))
    *result = a == b;
  else if (g_str_equal (op, "<"))
    *result = a < b;
  else if (g_str_equal (op, "<="))
    *result = a <= b;
  else if (g_str_equal (op, ">"))
    *result = a > b;
  else if (g_str_equal (op, ">="))
    *result = a >= b;
  else
    return FALSE;
  return TRUE;
}

static gboolean condition_matches (JsonNode  *condition,
                                   GPtrArray *values,
                                   gboolean  *matches,
                                   GError   **error);

/* An operator object against one value (exists is handled by the caller). */
static gboolean
operator_matches (const char *op,
                  JsonNode   *arg,
                  JsonNode   *value,
                  gboolean   *matches,
                  GError    **error)
{
  *matches = FALSE;
  if (g_str_equal (op, "prefix") || g_str_equal (op, "suffix") || g_str_equal (op, "equals-ignore-case"))
    {
      const char *text;
      const char *pattern;

      if (!node_is_string (arg))
        return invalid (error, "prefix, suffix and equals-ignore-case take a string");
      if (!node_is_string (value))
        return TRUE;
      text = json_node_get_string (value);
      pattern = json_node_get_string (arg);
      if (g_str_equal (op, "prefix"))
        *matches = g_str_has_prefix (text, pattern);
      else if (g_str_equal (op, "suffix"))
        *matches = g_str_has_suffix (text, pattern);
      else
        *matches = g_ascii_strcasecmp (text, pattern) == 0;
      return TRUE;
    }
  if (g_str_equal (op, "numeric"))
    {
      JsonArray *terms;
      guint n;

      if (!JSON_NODE_HOLDS_ARRAY (arg))
        return invalid (error, "numeric takes a list");
      terms = json_node_get_array (arg);
      n = json_array_get_length (terms);
      if (n != 2 && n != 4)
        return invalid (error, "numeric takes one or two comparisons");
      if (!node_is_number (value))
        return TRUE;
      *matches = TRUE;
      for (guint i = 0; i < n; i += 2)
        {
          JsonNode *op_node = json_array_get_element (terms, i);
          JsonNode *bound = json_array_get_element (terms, i + 1);
          gboolean ok;

          if (!node_is_string (op_node) || !node_is_number (bound) ||
              !numeric_compare (json_node_get_string (op_node), node_number (value), node_number (bound), &ok))
            return invalid (error, "bad numeric comparison");
          *matches = *matches && ok;
        }
      return TRUE;
    }
  if (g_str_equal (op, "anything-but"))
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new ();
      gboolean excluded = FALSE;

      g_ptr_array_add (one, value);
      if (JSON_NODE_HOLDS_ARRAY (arg))
        {
          JsonArray *list = json_node_get_array (arg);

          for (guint i = 0; i < json_array_get_length (list) && !excluded; i++)
            excluded = literal_matches (json_array_get_element (list, i), value);
        }
      else if (JSON_NODE_HOLDS_OBJECT (arg))
        {
          if (!condition_matches (arg, one, &excluded, error))
            return FALSE;
        }
      else
        excluded = literal_matches (arg, value);
      *matches = !excluded;
      return TRUE;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "filter policy: unsupported operator “%s”", op);
  return FALSE;
}

/* One condition against the key's values (empty: the key is absent). */
static gboolean
condition_matches (JsonNode  *condition,
                   GPtrArray *values,
                   gboolean  *matches,
                   GError   **error)
{
  JsonObject *object;
  JsonObjectIter iter;
  const char *op;
  JsonNode *arg;

  *matches = FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (condition))
    {
      for (guint i = 0; i < values->len && !*matches; i++)
        *matches = literal_matches (condition, g_ptr_array_index (values, i));
      return TRUE;
    }
  object = json_node_get_object (condition);
  if (json_object_get_size (object) != 1)
    return invalid (error, "an operator object has exactly one member");
  json_object_iter_init (&iter, object);
  json_object_iter_next (&iter, &op, &arg);
  if (g_str_equal (op, "exists"))
    {
      if (!node_is_bool (arg))
        return invalid (error, "exists takes true or false");
      *matches = (values->len > 0) == json_node_get_boolean (arg);
      return TRUE;
    }
  for (guint i = 0; i < values->len; i++)
    {
      if (!operator_matches (op, arg, g_ptr_array_index (values, i), matches, error))
        return FALSE;
      if (*matches)
        return TRUE;
    }
  /* Validate the operator even when there is nothing to match. */
  if (values->len == 0)
    {
      g_autoptr(JsonNode) probe = json_node_new (JSON_NODE_NULL);
      gboolean ignored;

      return operator_matches (op, arg, probe, &ignored, error);
    }
  return TRUE;
}

/* The values of one message attribute, as JSON scalars (owned by @keep). */
static void
attribute_values (JsonObject *attribute,
                  GPtrArray  *values,
                  GPtrArray  *keep)
{
  const char *type = json_object_get_string_member_with_default (attribute, "Type", "String");
  const char *text = json_object_get_string_member_with_default (attribute, "Value", NULL);
  JsonNode *node;

  if (text == NULL)
    return;
  if (g_str_has_prefix (type, "Number"))
    {
      char *end = NULL;
      double number = g_ascii_strtod (text, &end);

      node = json_node_new (JSON_NODE_VALUE);
      if (end != text && *end == '\0')
        json_node_set_double (node, number);
      else
        json_node_set_string (node, text);
    }
  else if (g_str_equal (type, "String.Array"))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, text, -1, NULL) &&
          JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
        {
          JsonArray *array = json_node_get_array (json_parser_get_root (parser));

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_node_copy (json_array_get_element (array, i));

              g_ptr_array_add (keep, element);
              g_ptr_array_add (values, element);
            }
        }
      return;
    }
  else
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, text);
    }
  g_ptr_array_add (keep, node);
  g_ptr_array_add (values, node);
}

static gboolean
key_matches (JsonArray *conditions,
             GPtrArray *values,
             gboolean  *matches,
             GError   **error)
{
  *matches = FALSE;
  for (guint i = 0; i < json_array_get_length (conditions) && !*matches; i++)
    if (!condition_matches (json_array_get_element (conditions, i), values, matches, error))
      return FALSE;
  return TRUE;
}

/* Body scope: @policy's keys against @body's, nested objects recursing. */
static gboolean
body_matches (JsonObject *policy,
              JsonNode   *body,
              gboolean   *matches,
              GError    **error)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *rule;

  *matches = TRUE;
  json_object_iter_init (&iter, policy);
  while (*matches && json_object_iter_next (&iter, &key, &rule))
    {
      JsonNode *member = body != NULL && JSON_NODE_HOLDS_OBJECT (body)
                         ? json_object_get_member (json_node_get_object (body), key) : NULL;

      if (JSON_NODE_HOLDS_OBJECT (rule))
        {
          if (!body_matches (json_node_get_object (rule), member, matches, error))
            return FALSE;
        }
      else if (JSON_NODE_HOLDS_ARRAY (rule))
        {
          g_autoptr(GPtrArray) values = g_ptr_array_new ();

          if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
            for (guint i = 0; i < json_array_get_length (json_node_get_array (member)); i++)
              g_ptr_array_add (values, json_array_get_element (json_node_get_array (member), i));
          else if (member != NULL)
            g_ptr_array_add (values, member);
          if (!key_matches (json_node_get_array (rule), values, matches, error))
            return FALSE;
        }
      else
        return invalid (error, "each key takes a list of conditions");
    }
  return TRUE;
}

gboolean
dbt_filter_policy_matches (const char *policy_json,
                           const char *scope,
                           JsonObject *message_attributes,
                           const char *message,
                           gboolean   *matches,
                           GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *policy;
  JsonObjectIter iter;
  const char *key;
  JsonNode *rule;

  *matches = TRUE;
  if (policy_json == NULL || *policy_json == '\0')
    return TRUE;
  if (!json_parser_load_from_data (parser, policy_json, -1, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return invalid (error, "not a JSON object");
  policy = json_node_get_object (json_parser_get_root (parser));

  if (g_strcmp0 (scope, "MessageBody") == 0)
    {
      g_autoptr(JsonParser) body_parser = json_parser_new ();
      JsonNode *body = NULL;

      if (message != NULL && json_parser_load_from_data (body_parser, message, -1, NULL))
        body = json_parser_get_root (body_parser);
      return body_matches (policy, body, matches, error);
    }

  json_object_iter_init (&iter, policy);
  while (*matches && json_object_iter_next (&iter, &key, &rule))
    {
      g_autoptr(GPtrArray) values = g_ptr_array_new ();
      g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      JsonNode *attribute = message_attributes != NULL ? json_object_get_member (message_attributes, key) : NULL;

      if (!JSON_NODE_HOLDS_ARRAY (rule))
        return invalid (error, "each key takes a list of conditions");
      if (attribute != NULL && JSON_NODE_HOLDS_OBJECT (attribute))
        attribute_values (json_node_get_object (attribute), values, keep);
      if (!key_matches (json_node_get_array (rule), values, matches, error))
        return FALSE;
    }
  return TRUE;
}
