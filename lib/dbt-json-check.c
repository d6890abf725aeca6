/* dbt-json-check.c — strict JSON syntax (RFC 8259), read in one pass.
 *
 * json-glib 1.6 is lenient and, on some malformed input, leaks or loses
 * data: it accepts raw control characters and text after the value, cuts
 * strings at \u0000, recurses without limit, and leaks in its scanner's
 * error paths. Checking the text first means json-glib only ever sees
 * valid JSON, and errors can give the byte offset.
 *
 * The same scanner is a pull reader (dbt-json-reader.h): the one-pass
 * parsers walk the text with it, so they and the check agree on every
 * rule and every message.
 */
#include "dbt-json-reader.h"
#include "dbt-error.h"

#include <string.h>

static gboolean
fail (DbtJsonReader *scan,
      const char    *what)
{
  if (scan->pos >= scan->len)
    dbt_aws_set_error (scan->error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                       "JSON text ends early: expected %s", what);
  else
    dbt_aws_set_error (scan->error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                       "JSON text is malformed at offset %" G_GSIZE_FORMAT ": expected %s",
                       scan->pos, what);
  return FALSE;
}

static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline void
skip_space (DbtJsonReader *scan)
{
  while (scan->pos < scan->len && is_space (scan->text[scan->pos]))
    scan->pos++;
}

static inline gboolean
peek (DbtJsonReader *scan,
      char           c)
{
  return scan->pos < scan->len && scan->text[scan->pos] == c;
}

static gboolean
read_hex4 (const char *json,
           gsize       len,
           gsize       pos,
           guint      *code)
{
  gsize k;

  *code = 0;
  if (pos + 4 > len)
    return FALSE;
  for (k = pos; k < pos + 4; k++)
    {
      if (!g_ascii_isxdigit (json[k]))
        return FALSE;
      *code = *code * 16 + g_ascii_xdigit_value (json[k]);
    }
  return TRUE;
}

/* Checks the escape starting at the backslash at *@i, moves *@i to its
 * last character and gives the character it stands for. \u0000 is refused
 * because json-glib cuts strings there. */
static gboolean
check_escape (const char *json,
              gsize       len,
              gsize      *i,
              gunichar   *decoded,
              GError    **error)
{
  static const char simple[] = "\"\\/bfnrt";
  static const char meaning[] = "\"\\/\b\f\n\r\t";
  const char *found;
  gsize at = *i;
  guint code, low;

  if (json[at + 1] != '\0' && (found = strchr (simple, json[at + 1])) != NULL)
    {
      *decoded = (gunichar) meaning[found - simple];
      *i = at + 1;
      return TRUE;
    }
  if (json[at + 1] != 'u')
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "JSON text has an invalid escape at offset %" G_GSIZE_FORMAT, at);
      return FALSE;
    }
  if (!read_hex4 (json, len, at + 2, &code))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "JSON text has an invalid \\u escape at offset %" G_GSIZE_FORMAT, at);
      return FALSE;
    }
  if (code == 0)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "JSON text has a \\u0000 character in a string at offset %"
                         G_GSIZE_FORMAT " (not supported)", at);
      return FALSE;
    }
  if (code >= 0xd800 && code <= 0xdbff)
    {
      /* A high surrogate must be followed by a low one. */
      if (at + 7 < len && json[at + 6] == '\\' && json[at + 7] == 'u'
          && read_hex4 (json, len, at + 8, &low) && low >= 0xdc00 && low <= 0xdfff)
        {
          *decoded = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          *i = at + 11;
          return TRUE;
        }
    }
  if (code >= 0xd800 && code <= 0xdfff)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "JSON text has an unpaired UTF-16 surrogate \\u%04x at offset %"
                         G_GSIZE_FORMAT, code, at);
      return FALSE;
    }
  *decoded = code;
  *i = at + 5;
  return TRUE;
}

/* At the opening quote. With @out, the unescaped text replaces its content. */
static gboolean
scan_string (DbtJsonReader *scan,
             GString       *out)
{
  const char *text = scan->text;
  gsize run = scan->pos + 1;
  gsize i;

  if (out != NULL)
    g_string_truncate (out, 0);

  for (i = run; i < scan->len; i++)
    {
      guchar c = (guchar) text[i];
      gunichar decoded;

      /* Most bytes are none of these: one test for all three. */
      if (G_LIKELY (c > '\\' || (c >= 0x20 && c != '"' && c != '\\')))
        continue;

      if (c == '"')
        {
          if (out != NULL)
            g_string_append_len (out, text + run, i - run);
          scan->pos = i + 1;
          return TRUE;
        }
      if (c < 0x20)
        {
          scan->pos = i;
          return fail (scan, "an escape (\\n, \\u0001...) instead of a raw control character");
        }
      /* A backslash. */
      if (i + 1 >= scan->len)
        break;   /* unterminated */
      if (out != NULL)
        g_string_append_len (out, text + run, i - run);
      if (!check_escape (text, scan->len, &i, &decoded, scan->error))
        return FALSE;
      if (out != NULL)
        g_string_append_unichar (out, decoded);
      run = i + 1;
    }
  scan->pos = scan->len;
  return fail (scan, "the end of a string");
}

static gboolean
scan_digits (DbtJsonReader *scan)
{
  gsize start = scan->pos;

  while (scan->pos < scan->len && g_ascii_isdigit (scan->text[scan->pos]))
    scan->pos++;
  return scan->pos > start;
}

static gboolean
scan_number (DbtJsonReader *scan)
{
  if (peek (scan, '-'))
    scan->pos++;
  if (peek (scan, '0'))
    scan->pos++;
  else if (!scan_digits (scan))
    return fail (scan, "a value");
  if (peek (scan, '.'))
    {
      scan->pos++;
      if (!scan_digits (scan))
        return fail (scan, "digits after the decimal point");
    }
  if (peek (scan, 'e') || peek (scan, 'E'))
    {
      scan->pos++;
      if (peek (scan, '+') || peek (scan, '-'))
        scan->pos++;
      if (!scan_digits (scan))
        return fail (scan, "exponent digits");
    }
  return TRUE;
}

static gboolean
scan_word (DbtJsonReader *scan,
           const char    *word)
{
  gsize n = strlen (word);

  if (scan->len - scan->pos < n || memcmp (scan->text + scan->pos, word, n) != 0)
    return fail (scan, "a value");
  scan->pos += n;
  return TRUE;
}

/* ---- the reader -------------------------------------------------------- */

gboolean
dbt_json_reader_init (DbtJsonReader *reader,
                      const char    *json,
                      gsize          len,
                      guint          max_depth,
                      GString       *string,
                      GError       **error)
{
  const char *end;

  *reader = (DbtJsonReader) { json, len, 0, 0, max_depth, error, string };

  /* json-glib refuses invalid UTF-8 too, but without saying where. */
  if (!g_utf8_validate (json, len, &end))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "JSON text is not valid UTF-8 (bad byte 0x%02x at offset %" G_GSIZE_FORMAT ")",
                         (guint) (guchar) *end, (gsize) (end - json));
      return FALSE;
    }

  skip_space (reader);
  if (reader->pos == len)
    return TRUE;   /* empty: the caller says so */
  if (!peek (reader, '{') && !peek (reader, '['))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "JSON text must be an object, not %s", peek (reader, '"') ? "a string" : "a scalar");
      return FALSE;
    }
  return TRUE;
}

DbtJsonKind
dbt_json_reader_peek (DbtJsonReader *reader)
{
  if (reader->pos >= reader->len)
    return DBT_JSON_END;

  switch (reader->text[reader->pos])
    {
    case '{':
      return DBT_JSON_OBJECT;
    case '[':
      return DBT_JSON_ARRAY;
    case '"':
      return DBT_JSON_STRING;
    case 't':
      return DBT_JSON_TRUE;
    case 'f':
      return DBT_JSON_FALSE;
    case 'n':
      return DBT_JSON_NULL;
    default:
      return DBT_JSON_NUMBER;
    }
}

gboolean
dbt_json_reader_enter (DbtJsonReader *reader,
                       char           close,
                       gboolean      *more)
{
  if (++reader->depth > reader->max_depth)
    {
      dbt_aws_set_error (reader->error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "JSON text nests deeper than %u levels (offset %" G_GSIZE_FORMAT ")",
                         reader->max_depth, reader->pos);
      return FALSE;
    }
  reader->pos++;
  skip_space (reader);
  *more = !peek (reader, close);
  if (!*more)
    {
      reader->pos++;
      reader->depth--;
    }
  return TRUE;
}

/* A member name and its ':'; with @out, the name goes there. */
static gboolean
scan_name (DbtJsonReader *reader,
           GString       *out)
{
  if (!peek (reader, '"'))
    return fail (reader, "a member name in quotes");
  if (!scan_string (reader, out))
    return FALSE;
  skip_space (reader);
  if (!peek (reader, ':'))
    return fail (reader, "':'");
  reader->pos++;
  skip_space (reader);
  return TRUE;
}

gboolean
dbt_json_reader_read_name (DbtJsonReader *reader)
{
  return scan_name (reader, reader->string);
}

gboolean
dbt_json_reader_next (DbtJsonReader *reader,
                      char           close,
                      gboolean      *more)
{
  skip_space (reader);
  if (peek (reader, close))
    {
      reader->pos++;
      reader->depth--;
      *more = FALSE;
      return TRUE;
    }
  if (!peek (reader, ','))
    return fail (reader, close == '}' ? "',' or '}'" : "',' or ']'");
  reader->pos++;
  skip_space (reader);
  *more = TRUE;
  return TRUE;
}

gboolean
dbt_json_reader_read_string (DbtJsonReader *reader)
{
  return scan_string (reader, reader->string);
}

gboolean
dbt_json_reader_read_number (DbtJsonReader *reader,
                             gsize         *start)
{
  *start = reader->pos;
  return scan_number (reader);
}

gboolean
dbt_json_reader_read_word (DbtJsonReader *reader,
                           DbtJsonKind    kind)
{
  return scan_word (reader, kind == DBT_JSON_TRUE ? "true" : kind == DBT_JSON_FALSE ? "false" : "null");
}

gboolean
dbt_json_reader_skip (DbtJsonReader *reader)
{
  DbtJsonKind kind = dbt_json_reader_peek (reader);
  char close = kind == DBT_JSON_OBJECT ? '}' : ']';
  gboolean more;
  gsize start;

  switch (kind)
    {
    case DBT_JSON_END:
      return fail (reader, "a value");
    case DBT_JSON_STRING:
      return scan_string (reader, NULL);
    case DBT_JSON_NUMBER:
      return dbt_json_reader_read_number (reader, &start);
    case DBT_JSON_TRUE:
    case DBT_JSON_FALSE:
    case DBT_JSON_NULL:
      return dbt_json_reader_read_word (reader, kind);
    case DBT_JSON_OBJECT:
    case DBT_JSON_ARRAY:
    default:
      break;
    }

  if (!dbt_json_reader_enter (reader, close, &more))
    return FALSE;
  while (more)
    {
      /* Names are checked, not kept. */
      if (kind == DBT_JSON_OBJECT && !scan_name (reader, NULL))
        return FALSE;
      if (!dbt_json_reader_skip (reader) || !dbt_json_reader_next (reader, close, &more))
        return FALSE;
    }
  return TRUE;
}

gboolean
dbt_json_reader_finish (DbtJsonReader *reader)
{
  skip_space (reader);
  if (reader->pos < reader->len)
    {
      dbt_aws_set_error (reader->error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "JSON text has data after its end, at offset %" G_GSIZE_FORMAT, reader->pos);
      return FALSE;
    }
  return TRUE;
}

gboolean
dbt_json_check (const char *json,
                gsize       len,
                guint       max_depth,
                GError    **error)
{
  DbtJsonReader reader;

  if (!dbt_json_reader_init (&reader, json, len, max_depth, NULL, error))
    return FALSE;
  if (dbt_json_reader_peek (&reader) == DBT_JSON_END)
    return TRUE;   /* empty: the caller says so */
  return dbt_json_reader_skip (&reader) && dbt_json_reader_finish (&reader);
}
