/* dbt-render.c — values as people read them in notifications and the console.
 *
 * The type of every value stays visible: strings are quoted, numbers are
 * bare and verbatim, binary says so, sets use braces, lists brackets.
 */
#include "dbt-value-private.h"

#include <string.h>

/* Binary up to this size is shown whole; longer values show their first
 * BINARY_SHOWN_BYTES and the size, which says what was left out. */
#define BINARY_MAX_WHOLE 64
#define BINARY_SHOWN_BYTES 48

void
dbt_append_quoted (GString    *out,
                   const char *s,
                   gssize      len,
                   gsize       max_chars)
{
  const char *p = s;
  const char *end = s + (len < 0 ? strlen (s) : (gsize) len);
  gsize chars = 0;

  g_string_append_c (out, '"');
  while (p < end)
    {
      gunichar c;
      const char *next;

      if (max_chars > 0 && chars == max_chars)
        {
          g_string_append (out, "…");
          break;
        }
      chars++;

      c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Not UTF-8: show the byte rather than hide or drop it. */
          g_string_append_printf (out, "\\x%02x", (guint) (guchar) *p);
          p++;
          continue;
        }
      next = g_utf8_next_char (p);

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || (c >= 0x7f && c < 0xa0))
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_len (out, p, next - p);
          break;
        }
      p = next;
    }
  g_string_append_c (out, '"');
}

char *
dbt_quote_for_message (const char *s)
{
  GString *out = g_string_new (NULL);

  dbt_append_quoted (out, s, -1, 64);
  return g_string_free (out, FALSE);
}

static void
append_binary (GString *out,
               GBytes  *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autofree char *b64 = NULL;
  gboolean cut = size > BINARY_MAX_WHOLE;

  b64 = g_base64_encode (data, cut ? BINARY_SHOWN_BYTES : size);
  g_string_append_printf (out, "<binary %" G_GSIZE_FORMAT " %s%s%s%s>",
                          size, size == 1 ? "byte" : "bytes",
                          size > 0 ? " " : "", b64, cut ? "…" : "");
}

/* Attribute names print bare when that cannot be misread. */
static void
append_name (GString    *out,
             const char *name)
{
  const char *p;
  gboolean bare = name[0] != '\0';

  for (p = name; *p != '\0' && bare; p++)
    bare = g_ascii_isalnum (*p) || *p == '_' || *p == '-';

  if (bare)
    g_string_append (out, name);
  else
    dbt_append_quoted (out, name, -1, 0);
}

static void
append_value (GString        *out,
              const DbtValue *value)
{
  DbtValueType kind = dbt_value_get_kind (value);
  guint length = dbt_value_get_length (value);
  DbtItem *map;
  guint i;

  switch (kind)
    {
    case DBT_VALUE_S:
      dbt_append_quoted (out, dbt_value_get_string (value), -1, 0);
      break;
    case DBT_VALUE_N:
      g_string_append (out, dbt_value_get_string (value));
      break;
    case DBT_VALUE_B:
      append_binary (out, dbt_value_get_binary (value));
      break;
    case DBT_VALUE_BOOL:
      g_string_append (out, dbt_value_get_bool (value) ? "true" : "false");
      break;
    case DBT_VALUE_NULL:
      g_string_append (out, "null");
      break;
    case DBT_VALUE_SS:
    case DBT_VALUE_NS:
    case DBT_VALUE_BS:
      g_string_append_c (out, '{');
      for (i = 0; i < length; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          if (kind == DBT_VALUE_SS)
            dbt_append_quoted (out, dbt_value_get_member_string (value, i), -1, 0);
          else if (kind == DBT_VALUE_NS)
            g_string_append (out, dbt_value_get_member_string (value, i));
          else
            append_binary (out, dbt_value_get_member_binary (value, i));
        }
      g_string_append_c (out, '}');
      break;
    case DBT_VALUE_L:
      g_string_append_c (out, '[');
      for (i = 0; i < length; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_value (out, dbt_value_get_element (value, i));
        }
      g_string_append_c (out, ']');
      break;
    case DBT_VALUE_M:
      map = dbt_value_get_map (value);
      g_string_append_c (out, '{');
      for (i = 0; i < length; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_name (out, dbt_item_get_name (map, i));
          g_string_append (out, ": ");
          append_value (out, dbt_item_get_value (map, i));
        }
      g_string_append_c (out, '}');
      break;
    default:
      g_assert_not_reached ();
    }
}

char *
dbt_value_render (const DbtValue *value)
{
  GString *out;

  g_return_val_if_fail (value != NULL, NULL);

  out = g_string_new (NULL);
  append_value (out, value);
  return g_string_free (out, FALSE);
}

char *
dbt_item_render_key (const DbtItem *keys)
{
  GString *out;
  guint i;

  g_return_val_if_fail (keys != NULL, NULL);

  out = g_string_new (NULL);
  for (i = 0; i < dbt_item_get_size (keys); i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      append_name (out, dbt_item_get_name (keys, i));
      g_string_append_c (out, '=');
      append_value (out, dbt_item_get_value (keys, i));
    }
  return g_string_free (out, FALSE);
}
