/* dbt-item-json.c — DynamoDB-JSON in and out.
 *
 * From a json-glib tree, every shape DynamoDB checks is checked and errors
 * name the attribute path: that route is the reference. From text, the
 * one-pass reader (dbt-json-reader.h) builds the values directly and hands
 * anything it would not accept to the reference route. Serialising writes
 * the text directly (no intermediate tree), in item order, so that
 * canonical input comes back byte for byte.
 */
#include "dbt-json-reader.h"
#include "dbt-error.h"

#include <stdarg.h>
#include <string.h>

/* ---- errors ------------------------------------------------------------ */

static gboolean path_error (GError **error, GString *path, const char *format, ...) G_GNUC_PRINTF (3, 4);

/* "address.lines[2]: <message>"; no prefix for the item itself. */
static gboolean
path_error (GError    **error,
            GString    *path,
            const char *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (path->len > 0)
    dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                       "%s: %s", path->str, message);
  else
    dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                       "item: %s", message);
  return FALSE;
}

const char *
dbt_json_kind_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a number";
    }
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_boolean (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

/* ---- base64 ------------------------------------------------------------ */

/* g_base64_decode() skips what it does not understand; DynamoDB refuses it,
 * and so must we, or a typo would silently change the bytes. */
static GBytes *
base64_decode_strict (const char *text)
{
  gsize len = strlen (text);
  gsize i;
  gsize padding = 0;
  guchar *data;
  gsize out_len;

  if (len % 4 != 0)
    return NULL;
  for (i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '=')
        {
          if (i < len - 2)
            return NULL;
          padding++;
        }
      else if (padding > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        return NULL;
    }

  if (len == 0)
    return g_bytes_new (NULL, 0);
  data = g_base64_decode (text, &out_len);
  return g_bytes_new_take (data, out_len);
}

/* ---- JSON → values ----------------------------------------------------- */

static DbtItem  *map_from_json   (JsonObject *object, GString *path, guint depth, GError **error);
static DbtValue *value_from_json (JsonNode *node, GString *path, guint depth, GError **error);

/* "S value" or "SS member 3", for messages. */
static char *
describe_string (DbtValueType kind,
                 gint         member)
{
  const char *tag = dbt_value_type_to_string (kind);

  if (member < 0)
    return g_strdup_printf ("%s value", tag);
  return g_strdup_printf ("%s member %d", tag, member);
}

/* The string inside a tag, borrowed from @node; @member is the set
 * member's index, or -1 for the tag's own value. */
static const char *
string_from_json (JsonNode    *node,
                  GString     *path,
                  DbtValueType kind,
                  gint         member,
                  GError     **error)
{
  g_autofree char *what = NULL;
  const char *text;
  const char *end;

  if (!node_is_string (node))
    {
      what = describe_string (kind, member);
      path_error (error, path, "%s must be a JSON string, got %s", what, dbt_json_kind_name (node));
      return NULL;
    }
  text = json_node_get_string (node);
  if (!g_utf8_validate (text, -1, &end))
    {
      what = describe_string (kind, member);
      path_error (error, path, "%s is not valid UTF-8 (bad byte 0x%02x at offset %" G_GSIZE_FORMAT ")",
                  what, (guint) (guchar) *end, (gsize) (end - text));
      return NULL;
    }
  return text;
}

static DbtValue *
set_from_json (DbtValueType kind,
               JsonNode    *node,
               GString     *path,
               GError     **error)
{
  const char *tag = dbt_value_type_to_string (kind);
  g_autoptr(GPtrArray) members = NULL;
  JsonArray *array;
  guint n, i;
  DbtValue *value;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      path_error (error, path, "%s value must be a JSON array, got %s", tag, dbt_json_kind_name (node));
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  members = g_ptr_array_new_full (n, kind == DBT_VALUE_BS ? (GDestroyNotify) g_bytes_unref : g_free);

  for (i = 0; i < n; i++)
    {
      JsonNode *member = json_array_get_element (array, i);
      const char *text = string_from_json (member, path, kind, (gint) i, error);

      if (text == NULL)
        return NULL;

      if (kind == DBT_VALUE_BS)
        {
          GBytes *bytes = base64_decode_strict (text);

          if (bytes == NULL)
            {
              g_autofree char *quoted = dbt_quote_for_message (text);

              path_error (error, path, "BS member %s is not valid base64", quoted);
              return NULL;
            }
          g_ptr_array_add (members, bytes);
        }
      else
        g_ptr_array_add (members, g_strdup (text));
    }

  /* Number syntax, uniqueness and emptiness are checked there. */
  value = dbt_value_new_set_take (kind, g_steal_pointer (&members), error);
  if (value == NULL && path->len > 0)
    g_prefix_error (error, "%s: ", path->str);
  return value;
}

static DbtValue *
list_from_json (JsonNode *node,
                GString  *path,
                guint     depth,
                GError  **error)
{
  g_autoptr(GPtrArray) elements = NULL;
  JsonArray *array;
  gsize path_len = path->len;
  guint n, i;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      path_error (error, path, "L value must be a JSON array, got %s", dbt_json_kind_name (node));
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  elements = g_ptr_array_new_full (n, (GDestroyNotify) dbt_value_unref);

  for (i = 0; i < n; i++)
    {
      DbtValue *element;

      g_string_append_printf (path, "[%u]", i);
      element = value_from_json (json_array_get_element (array, i), path, depth, error);
      g_string_truncate (path, path_len);
      if (element == NULL)
        return NULL;
      g_ptr_array_add (elements, element);
    }

  return dbt_value_new_list_take (g_steal_pointer (&elements));
}

/* @depth: L/M containers around @node. */
static DbtValue *
value_from_json (JsonNode *node,
                 GString  *path,
                 guint     depth,
                 GError  **error)
{
  JsonObject *object;
  JsonObjectIter iter;
  const char *tag;
  JsonNode *inner;
  DbtValueType kind;
  guint n_tags;
  const char *text;
  GBytes *bytes;
  DbtItem *map;
  DbtDecimal decimal;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      path_error (error, path, "expected a DynamoDB-JSON value such as {\"S\": \"text\"}, got %s",
                  dbt_json_kind_name (node));
      return NULL;
    }

  object = json_node_get_object (node);
  n_tags = json_object_get_size (object);
  if (n_tags != 1)
    {
      g_autoptr(GString) tags = g_string_new (NULL);

      json_object_iter_init_ordered (&iter, object);
      while (json_object_iter_next_ordered (&iter, &tag, NULL))
        {
          g_autofree char *quoted = dbt_quote_for_message (tag);

          if (tags->len > 0)
            g_string_append (tags, ", ");
          g_string_append (tags, quoted);
        }
      if (n_tags == 0)
        path_error (error, path, "value has no type tag (expected one of S, N, B, BOOL, NULL, SS, NS, BS, L, M)");
      else
        path_error (error, path, "value has %u type tags (%s), expected exactly one", n_tags, tags->str);
      return NULL;
    }

  json_object_iter_init_ordered (&iter, object);
  json_object_iter_next_ordered (&iter, &tag, &inner);

  if (!dbt_value_type_from_string (tag, &kind))
    {
      g_autofree char *quoted = dbt_quote_for_message (tag);

      path_error (error, path, "unknown type tag %s (expected one of S, N, B, BOOL, NULL, SS, NS, BS, L, M)",
                  quoted);
      return NULL;
    }

  if ((kind == DBT_VALUE_L || kind == DBT_VALUE_M) && depth + 1 > DBT_VALUE_MAX_DEPTH)
    {
      path_error (error, path, "nested more than %d levels deep (DynamoDB's limit)", DBT_VALUE_MAX_DEPTH);
      return NULL;
    }

  switch (kind)
    {
    case DBT_VALUE_S:
      text = string_from_json (inner, path, kind, -1, error);
      return text != NULL ? dbt_value_new_text (DBT_VALUE_S, text) : NULL;

    case DBT_VALUE_N:
      text = string_from_json (inner, path, kind, -1, error);
      if (text == NULL)
        return NULL;
      if (!dbt_decimal_parse (text, &decimal, error))
        {
          if (path->len > 0)
            g_prefix_error (error, "%s: N value ", path->str);
          else
            g_prefix_error (error, "N value ");
          return NULL;
        }
      return dbt_value_new_text (DBT_VALUE_N, text);

    case DBT_VALUE_B:
      text = string_from_json (inner, path, kind, -1, error);
      if (text == NULL)
        return NULL;
      bytes = base64_decode_strict (text);
      if (bytes == NULL)
        {
          g_autofree char *quoted = dbt_quote_for_message (text);

          path_error (error, path, "B value %s is not valid base64", quoted);
          return NULL;
        }
      return dbt_value_new_binary_take (bytes);

    case DBT_VALUE_BOOL:
      if (!node_is_boolean (inner))
        {
          path_error (error, path, "BOOL value must be true or false, got %s", dbt_json_kind_name (inner));
          return NULL;
        }
      return dbt_value_new_bool (json_node_get_boolean (inner));

    case DBT_VALUE_NULL:
      if (!node_is_boolean (inner) || !json_node_get_boolean (inner))
        {
          path_error (error, path, "NULL value must be true, got %s",
                      node_is_boolean (inner) ? "false" : dbt_json_kind_name (inner));
          return NULL;
        }
      return dbt_value_new_null ();

    case DBT_VALUE_SS:
    case DBT_VALUE_NS:
    case DBT_VALUE_BS:
      return set_from_json (kind, inner, path, error);

    case DBT_VALUE_L:
      return list_from_json (inner, path, depth + 1, error);

    case DBT_VALUE_M:
      if (!JSON_NODE_HOLDS_OBJECT (inner))
        {
          path_error (error, path, "M value must be a JSON object, got %s", dbt_json_kind_name (inner));
          return NULL;
        }
      map = map_from_json (json_node_get_object (inner), path, depth + 1, error);
      return map != NULL ? dbt_value_new_map_take (map) : NULL;

    default:
      g_assert_not_reached ();
    }
}

static DbtItem *
map_from_json (JsonObject *object,
               GString    *path,
               guint       depth,
               GError    **error)
{
  g_autoptr(DbtItem) map = dbt_item_new_sized (json_object_get_size (object));
  gsize path_len = path->len;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  guint i = 0;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      DbtValue *value;

      if (name[0] == '\0')
        return path_error (error, path, "attribute %u has an empty name", i), NULL;
      if (!g_utf8_validate (name, -1, NULL))
        return path_error (error, path, "attribute %u has a name that is not valid UTF-8", i), NULL;

      if (path_len > 0)
        g_string_append_c (path, '.');
      g_string_append (path, name);
      value = value_from_json (node, path, depth, error);
      g_string_truncate (path, path_len);
      if (value == NULL)
        return NULL;

      /* Names of a JSON object are unique, so this always appends. */
      dbt_item_set_take (map, name, value);
      i++;
    }

  return g_steal_pointer (&map);
}

DbtValue *
dbt_value_from_json (JsonNode *node,
                     GError  **error)
{
  g_autoptr(GString) path = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  return value_from_json (node, path, 0, error);
}

DbtItem *
dbt_item_from_json (JsonNode *node,
                    GError  **error)
{
  g_return_val_if_fail (node != NULL, NULL);

  return dbt_item_from_json_at (node, NULL, error);
}

DbtItem *
dbt_item_from_json_at (JsonNode   *node,
                       const char *prefix,
                       GError    **error)
{
  g_autoptr(GString) path = g_string_new (prefix);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      path_error (error, path, "expected a JSON object of attributes, got %s", dbt_json_kind_name (node));
      return NULL;
    }
  return map_from_json (json_node_get_object (node), path, 0, error);
}

JsonParser *
dbt_json_parse (const char *json,
                gssize      len,
                const char *what,
                GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = len < 0 ? strlen (json) : (gsize) len;

  if (!dbt_json_check (json, length, DBT_JSON_MAX_DEPTH, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "%s is not valid JSON: %s", what, local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "%s is empty", what);
      return NULL;
    }
  return g_steal_pointer (&parser);
}

DbtItem *
dbt_item_parse_tree (const char *json,
                     gssize      len,
                     GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;

  parser = dbt_json_parse (json, len, "item", error);
  if (parser == NULL)
    return NULL;
  return dbt_item_from_json (json_parser_get_root (parser), error);
}

/* ---- text → values in one pass ----------------------------------------- */

/* Each function below accepts exactly what the tree route accepts and
 * builds the same value, or returns NULL: with the reader's error set when
 * the text is not JSON, else "declined" (the tree route then decides and
 * words the refusal). Repeated member names are declined where json-glib's
 * rule (the last value, at the first one's place) could differ: in value
 * objects; in items the rule is the same (dbt_item_set_take_name()
 * replaces in place) unless an earlier value is refused. */

static DbtValue *read_value (DbtJsonReader *reader, guint depth);

static DbtValue *
read_set (DbtJsonReader *reader,
          DbtValueType   kind)
{
  g_autoptr(GPtrArray) members = NULL;
  gboolean more;

  if (dbt_json_reader_peek (reader) != DBT_JSON_ARRAY
      || !dbt_json_reader_enter (reader, ']', &more))
    return NULL;

  members = g_ptr_array_new_full (4, kind == DBT_VALUE_BS ? (GDestroyNotify) g_bytes_unref : g_free);
  while (more)
    {
      GString *text = reader->string;

      if (dbt_json_reader_peek (reader) != DBT_JSON_STRING || !dbt_json_reader_read_string (reader))
        return NULL;
      if (kind == DBT_VALUE_BS)
        {
          GBytes *bytes = base64_decode_strict (text->str);

          if (bytes == NULL)
            return NULL;
          g_ptr_array_add (members, bytes);
        }
      else
        g_ptr_array_add (members, g_strndup (text->str, text->len));
      if (!dbt_json_reader_next (reader, ']', &more))
        return NULL;
    }

  /* Number syntax, uniqueness and emptiness; the message is not needed. */
  return dbt_value_new_set_take (kind, g_steal_pointer (&members), NULL);
}

static DbtValue *
read_list (DbtJsonReader *reader,
           guint          depth)
{
  g_autoptr(GPtrArray) elements = NULL;
  gboolean more;

  if (dbt_json_reader_peek (reader) != DBT_JSON_ARRAY
      || !dbt_json_reader_enter (reader, ']', &more))
    return NULL;

  elements = g_ptr_array_new_full (4, (GDestroyNotify) dbt_value_unref);
  while (more)
    {
      DbtValue *element = read_value (reader, depth);

      if (element == NULL)
        return NULL;
      g_ptr_array_add (elements, element);
      if (!dbt_json_reader_next (reader, ']', &more))
        return NULL;
    }
  return dbt_value_new_list_take (g_steal_pointer (&elements));
}

static DbtItem *
read_map (DbtJsonReader *reader,
          guint          depth)
{
  g_autoptr(DbtItem) map = NULL;
  gboolean more;

  if (!dbt_json_reader_enter (reader, '}', &more))
    return NULL;

  map = dbt_item_new_sized (8);
  while (more)
    {
      char *name;
      DbtValue *value;

      if (!dbt_json_reader_read_name (reader))
        return NULL;
      if (reader->string->len == 0)
        return NULL;   /* an empty name */
      name = g_strndup (reader->string->str, reader->string->len);
      value = read_value (reader, depth);
      if (value == NULL)
        {
          g_free (name);
          return NULL;
        }
      dbt_item_set_take_name (map, name, value);
      if (!dbt_json_reader_next (reader, '}', &more))
        return NULL;
    }
  return g_steal_pointer (&map);
}

/* The value of tag @kind, at the reader. */
static DbtValue *
read_tagged (DbtJsonReader *reader,
             DbtValueType   kind,
             guint          depth)
{
  DbtJsonKind json_kind = dbt_json_reader_peek (reader);
  GString *text = reader->string;
  DbtDecimal decimal;
  GBytes *bytes;
  DbtItem *map;

  switch (kind)
    {
    case DBT_VALUE_S:
    case DBT_VALUE_N:
    case DBT_VALUE_B:
      if (json_kind != DBT_JSON_STRING || !dbt_json_reader_read_string (reader))
        return NULL;
      if (kind == DBT_VALUE_S)
        return dbt_value_new_text_len (DBT_VALUE_S, text->str, text->len);
      if (kind == DBT_VALUE_N)
        {
          if (!dbt_decimal_parse (text->str, &decimal, NULL))
            return NULL;
          return dbt_value_new_text_len (DBT_VALUE_N, text->str, text->len);
        }
      bytes = base64_decode_strict (text->str);
      return bytes != NULL ? dbt_value_new_binary_take (bytes) : NULL;

    case DBT_VALUE_BOOL:
      if ((json_kind != DBT_JSON_TRUE && json_kind != DBT_JSON_FALSE)
          || !dbt_json_reader_read_word (reader, json_kind))
        return NULL;
      return dbt_value_new_bool (json_kind == DBT_JSON_TRUE);

    case DBT_VALUE_NULL:
      if (json_kind != DBT_JSON_TRUE || !dbt_json_reader_read_word (reader, json_kind))
        return NULL;
      return dbt_value_new_null ();

    case DBT_VALUE_SS:
    case DBT_VALUE_NS:
    case DBT_VALUE_BS:
      return read_set (reader, kind);

    case DBT_VALUE_L:
      return read_list (reader, depth + 1);

    case DBT_VALUE_M:
      if (json_kind != DBT_JSON_OBJECT)
        return NULL;
      map = read_map (reader, depth + 1);
      return map != NULL ? dbt_value_new_map_take (map) : NULL;

    default:
      g_assert_not_reached ();
    }
}

/* {"<tag>": <value>}; @depth: L/M containers around it. */
static DbtValue *
read_value (DbtJsonReader *reader,
            guint          depth)
{
  g_autoptr(DbtValue) value = NULL;
  DbtValueType kind;
  gboolean more;

  if (dbt_json_reader_peek (reader) != DBT_JSON_OBJECT
      || !dbt_json_reader_enter (reader, '}', &more) || !more
      || !dbt_json_reader_read_name (reader)
      || !dbt_value_type_from_string (reader->string->str, &kind))
    return NULL;
  if ((kind == DBT_VALUE_L || kind == DBT_VALUE_M) && depth + 1 > DBT_VALUE_MAX_DEPTH)
    return NULL;

  value = read_tagged (reader, kind, depth);
  /* A second tag, even the same one again, is for the tree route. */
  if (value == NULL || !dbt_json_reader_next (reader, '}', &more) || more)
    return NULL;
  return g_steal_pointer (&value);
}

DbtItem *
dbt_item_read (DbtJsonReader *reader)
{
  return read_map (reader, 0);
}

DbtItem *
dbt_item_parse_one_pass (const char         *json,
                         gsize               len,
                         DbtJsonReadOutcome *outcome,
                         GError            **error)
{
  g_autoptr(GString) string = g_string_sized_new (256);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DbtItem) item = NULL;
  DbtJsonReader reader;

  *outcome = DBT_JSON_READ_DECLINED;
  if (!dbt_json_reader_init (&reader, json, len, DBT_JSON_MAX_DEPTH, string, &local_error))
    goto invalid;
  if (dbt_json_reader_peek (&reader) != DBT_JSON_OBJECT)
    return NULL;   /* empty, or an array */
  item = dbt_item_read (&reader);
  if (item == NULL && local_error == NULL)
    return NULL;
  if (item == NULL || !dbt_json_reader_finish (&reader))
    goto invalid;

  *outcome = DBT_JSON_READ_OK;
  return g_steal_pointer (&item);

invalid:
  *outcome = DBT_JSON_READ_INVALID;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

DbtItem *
dbt_item_parse (const char *json,
                gssize      len,
                GError    **error)
{
  DbtJsonReadOutcome outcome;
  DbtItem *item;

  g_return_val_if_fail (json != NULL, NULL);

  item = dbt_item_parse_one_pass (json, len < 0 ? strlen (json) : (gsize) len, &outcome, error);
  if (outcome != DBT_JSON_READ_DECLINED)
    return item;
  return dbt_item_parse_tree (json, len, error);
}

/* ---- values → JSON tree ------------------------------------------------ */

static JsonNode *
string_node (const char *text)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return node;
}

static JsonNode *
binary_node (GBytes *bytes)
{
  gsize size;
  const guchar *data = g_bytes_get_data (bytes, &size);
  g_autofree char *b64 = g_base64_encode (data, size);

  return string_node (b64);
}

JsonNode *
dbt_value_to_json (const DbtValue *value)
{
  DbtValueType kind;
  JsonObject *object;
  JsonArray *array;
  JsonNode *inner;
  JsonNode *node;
  guint i, n;

  g_return_val_if_fail (value != NULL, NULL);

  kind = dbt_value_get_kind (value);
  n = dbt_value_get_length (value);

  switch (kind)
    {
    case DBT_VALUE_S:
    case DBT_VALUE_N:
      inner = string_node (dbt_value_get_string (value));
      break;
    case DBT_VALUE_B:
      inner = binary_node (dbt_value_get_binary (value));
      break;
    case DBT_VALUE_BOOL:
      inner = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (inner, dbt_value_get_bool (value));
      break;
    case DBT_VALUE_NULL:
      inner = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (inner, TRUE);
      break;
    case DBT_VALUE_SS:
    case DBT_VALUE_NS:
    case DBT_VALUE_BS:
    case DBT_VALUE_L:
      array = json_array_sized_new (n);
      for (i = 0; i < n; i++)
        {
          if (kind == DBT_VALUE_L)
            json_array_add_element (array, dbt_value_to_json (dbt_value_get_element (value, i)));
          else if (kind == DBT_VALUE_BS)
            json_array_add_element (array, binary_node (dbt_value_get_member_binary (value, i)));
          else
            json_array_add_string_element (array, dbt_value_get_member_string (value, i));
        }
      inner = json_node_init_array (json_node_alloc (), array);
      json_array_unref (array);
      break;
    case DBT_VALUE_M:
      inner = dbt_item_to_json (dbt_value_get_map (value));
      break;
    default:
      g_assert_not_reached ();
    }

  object = json_object_new ();
  json_object_set_member (object, dbt_value_type_to_string (kind), inner);
  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return node;
}

JsonNode *
dbt_item_to_json (const DbtItem *item)
{
  JsonObject *object;
  JsonNode *node;
  guint i;

  g_return_val_if_fail (item != NULL, NULL);

  object = json_object_new ();
  for (i = 0; i < dbt_item_get_size (item); i++)
    json_object_set_member (object, dbt_item_get_name (item, i),
                            dbt_value_to_json (dbt_item_get_value (item, i)));
  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return node;
}

/* ---- values → canonical text ------------------------------------------- */

/* json-glib's escaping (so the tree route and this one agree), except that
 * U+001F is escaped too: json-glib 1.6 writes it raw, which is not JSON. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  const char *p;
  const char *run = text;

  g_string_append_c (out, '"');
  for (p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      const char *escape = NULL;

      if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
        continue;

      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        default: break;
        }
      if (escape != NULL)
        g_string_append (out, escape);
      else
        g_string_append_printf (out, "\\u%04x", (guint) c);
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

static void
append_binary_json (GString *out,
                    GBytes  *bytes)
{
  gsize size;
  const guchar *data = g_bytes_get_data (bytes, &size);
  g_autofree char *b64 = g_base64_encode (data, size);

  g_string_append_c (out, '"');
  g_string_append (out, b64);
  g_string_append_c (out, '"');
}

static void append_item_json (GString *out, const DbtItem *item);

static void
append_value_json (GString        *out,
                   const DbtValue *value)
{
  DbtValueType kind = dbt_value_get_kind (value);
  guint n = dbt_value_get_length (value);
  guint i;

  g_string_append (out, "{\"");
  g_string_append (out, dbt_value_type_to_string (kind));
  g_string_append (out, "\":");

  switch (kind)
    {
    case DBT_VALUE_S:
    case DBT_VALUE_N:
      append_json_string (out, dbt_value_get_string (value));
      break;
    case DBT_VALUE_B:
      append_binary_json (out, dbt_value_get_binary (value));
      break;
    case DBT_VALUE_BOOL:
      g_string_append (out, dbt_value_get_bool (value) ? "true" : "false");
      break;
    case DBT_VALUE_NULL:
      g_string_append (out, "true");
      break;
    case DBT_VALUE_SS:
    case DBT_VALUE_NS:
    case DBT_VALUE_BS:
    case DBT_VALUE_L:
      g_string_append_c (out, '[');
      for (i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          if (kind == DBT_VALUE_L)
            append_value_json (out, dbt_value_get_element (value, i));
          else if (kind == DBT_VALUE_BS)
            append_binary_json (out, dbt_value_get_member_binary (value, i));
          else
            append_json_string (out, dbt_value_get_member_string (value, i));
        }
      g_string_append_c (out, ']');
      break;
    case DBT_VALUE_M:
      append_item_json (out, dbt_value_get_map (value));
      break;
    default:
      g_assert_not_reached ();
    }

  g_string_append_c (out, '}');
}

static void
append_item_json (GString       *out,
                  const DbtItem *item)
{
  guint i;

  g_string_append_c (out, '{');
  for (i = 0; i < dbt_item_get_size (item); i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_json_string (out, dbt_item_get_name (item, i));
      g_string_append_c (out, ':');
      append_value_json (out, dbt_item_get_value (item, i));
    }
  g_string_append_c (out, '}');
}

char *
dbt_item_serialize (const DbtItem *item)
{
  GString *out;

  g_return_val_if_fail (item != NULL, NULL);

  out = g_string_sized_new (256);
  append_item_json (out, item);
  return g_string_free (out, FALSE);
}

char *
dbt_value_serialize (const DbtValue *value)
{
  GString *out;

  g_return_val_if_fail (value != NULL, NULL);

  out = g_string_sized_new (64);
  append_value_json (out, value);
  return g_string_free (out, FALSE);
}
