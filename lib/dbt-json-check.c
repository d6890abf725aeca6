/* dbt-json-check.c — strict JSON syntax (RFC 8259) before json-glib.
 *
 * json-glib 1.6 is lenient and, on some malformed input, leaks or loses
 * data: it accepts raw control characters and text after the value, cuts
 * strings at \u0000, recurses without limit, and leaks in its scanner's
 * error paths. Checking the text first means json-glib only ever sees
 * valid JSON, and errors can give the byte offset.
 */
#include "dbt-value-private.h"
#include "dbt-error.h"

#include <string.h>

typedef struct
{
  const char *text;
  gsize       len;
  gsize       pos;
  guint       depth;
  guint       max_depth;
  GError    **error;
} Scan;

static gboolean
fail (Scan       *scan,
      const char *what)
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

static void
skip_space (Scan *scan)
{
  while (scan->pos < scan->len && strchr (" \t\n\r", scan->text[scan->pos]) != NULL
         && scan->text[scan->pos] != '\0')
    scan->pos++;
}

static gboolean
peek (Scan *scan,
      char  c)
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

/* Checks the escape starting at the backslash at *@i and moves *@i to its
 * last character. \u0000 is refused because json-glib cuts strings there. */
static gboolean
check_escape (const char *json,
              gsize       len,
              gsize      *i,
              GError    **error)
{
  gsize at = *i;
  guint code, low;

  if (at + 1 >= len)
    return TRUE;   /* unterminated: the parser says so */

  if (strchr ("\"\\/bfnrt", json[at + 1]) != NULL && json[at + 1] != '\0')
    {
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
  *i = at + 5;
  return TRUE;
}

static gboolean
scan_string (Scan *scan)
{
  gsize i;

  /* At the opening quote. */
  for (i = scan->pos + 1; i < scan->len; i++)
    {
      guchar c = (guchar) scan->text[i];

      if (c == '"')
        {
          scan->pos = i + 1;
          return TRUE;
        }
      if (c < 0x20)
        {
          scan->pos = i;
          return fail (scan, "an escape (\\n, \\u0001...) instead of a raw control character");
        }
      if (c == '\\')
        {
          if (i + 1 >= scan->len)
            break;
          if (!check_escape (scan->text, scan->len, &i, scan->error))
            return FALSE;
        }
    }
  scan->pos = scan->len;
  return fail (scan, "the end of a string");
}

static gboolean
scan_digits (Scan *scan)
{
  gsize start = scan->pos;

  while (scan->pos < scan->len && g_ascii_isdigit (scan->text[scan->pos]))
    scan->pos++;
  return scan->pos > start;
}

static gboolean
scan_number (Scan *scan)
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
scan_word (Scan       *scan,
           const char *word)
{
  gsize n = strlen (word);

  if (scan->len - scan->pos < n || memcmp (scan->text + scan->pos, word, n) != 0)
    return fail (scan, "a value");
  scan->pos += n;
  return TRUE;
}

static gboolean scan_value (Scan *scan);

/* An object or array; @close is '}' or ']'. */
static gboolean
scan_container (Scan *scan,
                char  close)
{
  gboolean object = close == '}';

  if (++scan->depth > scan->max_depth)
    {
      dbt_aws_set_error (scan->error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "JSON text nests deeper than %u levels (offset %" G_GSIZE_FORMAT ")",
                         scan->max_depth, scan->pos);
      return FALSE;
    }
  scan->pos++;
  skip_space (scan);
  if (peek (scan, close))
    {
      scan->pos++;
      scan->depth--;
      return TRUE;
    }

  for (;;)
    {
      if (object)
        {
          if (!peek (scan, '"'))
            return fail (scan, "a member name in quotes");
          if (!scan_string (scan))
            return FALSE;
          skip_space (scan);
          if (!peek (scan, ':'))
            return fail (scan, "':'");
          scan->pos++;
          skip_space (scan);
        }
      if (!scan_value (scan))
        return FALSE;
      skip_space (scan);
      if (peek (scan, close))
        {
          scan->pos++;
          scan->depth--;
          return TRUE;
        }
      if (!peek (scan, ','))
        return fail (scan, object ? "',' or '}'" : "',' or ']'");
      scan->pos++;
      skip_space (scan);
    }
}

static gboolean
scan_value (Scan *scan)
{
  if (scan->pos >= scan->len)
    return fail (scan, "a value");

  switch (scan->text[scan->pos])
    {
    case '{':
      return scan_container (scan, '}');
    case '[':
      return scan_container (scan, ']');
    case '"':
      return scan_string (scan);
    case 't':
      return scan_word (scan, "true");
    case 'f':
      return scan_word (scan, "false");
    case 'n':
      return scan_word (scan, "null");
    default:
      return scan_number (scan);
    }
}

gboolean
dbt_json_check (const char *json,
                gsize       len,
                guint       max_depth,
                GError    **error)
{
  Scan scan = { json, len, 0, 0, max_depth, error };
  const char *end;

  /* json-glib refuses invalid UTF-8 too, but without saying where. */
  if (!g_utf8_validate (json, len, &end))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "JSON text is not valid UTF-8 (bad byte 0x%02x at offset %" G_GSIZE_FORMAT ")",
                         (guint) (guchar) *end, (gsize) (end - json));
      return FALSE;
    }

  skip_space (&scan);
  if (scan.pos == len)
    return TRUE;   /* empty: the caller says so */
  if (!peek (&scan, '{') && !peek (&scan, '['))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "JSON text must be an object, not %s", peek (&scan, '"') ? "a string" : "a scalar");
      return FALSE;
    }
  if (!scan_value (&scan))
    return FALSE;
  skip_space (&scan);
  if (scan.pos < len)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "JSON text has data after its end, at offset %" G_GSIZE_FORMAT, scan.pos);
      return FALSE;
    }
  return TRUE;
}
