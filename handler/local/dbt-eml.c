/* dbt-eml.c — RFC 5322 rendering. */
#include "dbt-eml.h"

#include <string.h>

static gboolean
is_plain_ascii (const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || (guchar) *p > 0x7e)
      return FALSE;
  return TRUE;
}

char *
dbt_eml_encode_header (const char *value,
                       gsize       name_len)
{
  GString *out;
  const char *p;
  gsize line_len = name_len;

  if (value == NULL)
    return g_strdup ("");
  if (is_plain_ascii (value))
    return g_strdup (value);

  /* Encoded-words of whole UTF-8 characters (RFC 2047), at most 39 bytes
   * of text each: "=?UTF-8?B?" + 52 characters of base64 + "?=" is 64, so
   * even the first word after a header name like "Subject: " stays within
   * 78 characters a line. */
  out = g_string_new (NULL);
  p = g_utf8_validate (value, -1, NULL) ? value : NULL;
  if (p == NULL)
    {
      g_autofree char *fixed = g_utf8_make_valid (value, -1);
      g_string_free (out, TRUE);
      return dbt_eml_encode_header (fixed, name_len);
    }
  while (*p != '\0')
    {
      const char *end = p;
      g_autofree char *encoded = NULL;
      gsize word_len;

      while (*end != '\0')
        {
          const char *next = g_utf8_next_char (end);

          if (next - p > 39)
            break;
          end = next;
        }
      encoded = g_base64_encode ((const guchar *) p, end - p);
      word_len = strlen (encoded) + 12;
      if (out->len > 0)
        {
          /* Folding whitespace between encoded-words is not displayed. */
          if (line_len + 1 + word_len > 78)
            {
              g_string_append (out, "\r\n ");
              line_len = 1;
            }
          else
            {
              g_string_append_c (out, ' ');
              line_len++;
            }
        }
      g_string_append_printf (out, "=?UTF-8?B?%s?=", encoded);
      line_len += word_len;
      p = end;
    }
  return g_string_free (out, FALSE);
}

char *
dbt_eml_format_date (GDateTime *date)
{
  static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) utc = g_date_time_to_utc (date);

  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d +0000",
                          days[g_date_time_get_day_of_week (utc) - 1],
                          g_date_time_get_day_of_month (utc),
                          months[g_date_time_get_month (utc) - 1],
                          g_date_time_get_year (utc),
                          g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc),
                          g_date_time_get_second (utc));
}

static void
append_header (GString    *out,
               const char *name,
               const char *value)
{
  g_autofree char *encoded = dbt_eml_encode_header (value, strlen (name) + 2);

  g_string_append_printf (out, "%s: %s\r\n", name, encoded);
}

/* The body with every line end as CRLF. */
static GString *
crlf_body (const char *body)
{
  GString *out = g_string_new (NULL);

  for (const char *p = body != NULL ? body : ""; *p != '\0'; p++)
    {
      if (*p == '\r' && p[1] == '\n')
        continue;
      if (*p == '\n' || *p == '\r')
        g_string_append (out, "\r\n");
      else
        g_string_append_c (out, *p);
    }
  if (out->len == 0 || !g_str_has_suffix (out->str, "\r\n"))
    g_string_append (out, "\r\n");
  return out;
}

static gboolean
has_long_line (const GString *body)
{
  const char *line = body->str;
  const char *end;

  while ((end = strstr (line, "\r\n")) != NULL)
    {
      if (end - line > 998)
        return TRUE;
      line = end + 2;
    }
  return strlen (line) > 998;
}

char *
dbt_eml_render (const DbtEml *eml)
{
  GString *out = g_string_new (NULL);
  g_autofree char *date = dbt_eml_format_date (eml->date);
  g_autoptr(GString) body = crlf_body (eml->body);

  if (eml->from_name != NULL && *eml->from_name != '\0')
    {
      g_autofree char *name = is_plain_ascii (eml->from_name)
                              ? g_strdup_printf ("\"%s\"", eml->from_name)
                              : dbt_eml_encode_header (eml->from_name, 6);
      g_autofree char *from = g_strdup_printf ("%s <%s>", name, eml->from_address);

      g_string_append_printf (out, "From: %s\r\n", from);
    }
  else
    g_string_append_printf (out, "From: %s\r\n", eml->from_address);
  append_header (out, "To", eml->to);
  append_header (out, "Subject", eml->subject);
  g_string_append_printf (out, "Date: %s\r\n", date);
  g_string_append_printf (out, "Message-ID: <%s>\r\n", eml->message_id);
  g_string_append (out, "MIME-Version: 1.0\r\n");
  g_string_append (out, "Content-Type: text/plain; charset=UTF-8\r\n");
  for (guint i = 0; eml->extra_headers != NULL && eml->extra_headers[i] != NULL && eml->extra_headers[i + 1] != NULL; i += 2)
    append_header (out, eml->extra_headers[i], eml->extra_headers[i + 1]);

  if (has_long_line (body))
    {
      g_autofree char *encoded = g_base64_encode ((const guchar *) body->str, body->len);
      gsize len = strlen (encoded);

      g_string_append (out, "Content-Transfer-Encoding: base64\r\n\r\n");
      for (gsize i = 0; i < len; i += 76)
        {
          g_string_append_len (out, encoded + i, MIN (76, len - i));
          g_string_append (out, "\r\n");
        }
    }
  else
    {
      g_string_append (out, "Content-Transfer-Encoding: 8bit\r\n\r\n");
      g_string_append_len (out, body->str, body->len);
    }
  return g_string_free (out, FALSE);
}
