/* dbt-json-reader.h — strict JSON read in one pass, and the routes built on it.
 *
 * Private to lib/. The reader is dbt_json_check()'s scanner opened up: the
 * caller walks the text value by value, and every rule of dbt_json_check()
 * holds (UTF-8, escapes, surrogate pairs, no "\u0000", the nesting limit,
 * no data after the value) with the same messages and offsets, because
 * dbt_json_check() is this reader skipping the whole text.
 *
 * dbt_item_parse() and dbt_stream_event_parse() read their text with it
 * straight into values, with no json-glib tree in between. The tree route
 * (dbt_json_parse() → dbt_item_from_json()) stays the reference for the
 * shape rules: whenever the one-pass route sees something it would not
 * accept, it stops and the tree route decides, and words the error. So
 * errors are the tree route's by construction, and tests/fuzz/
 * fuzz-item-json-diff.c checks that whatever the one-pass route accepts,
 * the tree route accepts as the same value.
 */
#pragma once

#include "dbt-value-private.h"

G_BEGIN_DECLS

/* What the next value is, from its first character. Anything that cannot
 * start a value is DBT_JSON_NUMBER: reading it as one gives the error. */
typedef enum
{
  DBT_JSON_END,
  DBT_JSON_OBJECT,
  DBT_JSON_ARRAY,
  DBT_JSON_STRING,
  DBT_JSON_NUMBER,
  DBT_JSON_TRUE,
  DBT_JSON_FALSE,
  DBT_JSON_NULL,
} DbtJsonKind;

typedef struct
{
  const char *text;
  gsize       len;
  gsize       pos;
  guint       depth;
  guint       max_depth;
  GError    **error;
  GString    *string;   /* the last string read, unescaped; NULL: strings are only checked */
} DbtJsonReader;

/* Checks the UTF-8 of the whole text (first, as dbt_json_check() does) and
 * that it starts with an object or an array; empty text passes. @string may
 * be NULL when no string will be read. Errors of every function below go
 * to @error and are final: the text is not valid JSON. */
gboolean    dbt_json_reader_init        (DbtJsonReader *reader,
                                         const char    *json,
                                         gsize          len,
                                         guint          max_depth,
                                         GString       *string,
                                         GError       **error);
DbtJsonKind dbt_json_reader_peek        (DbtJsonReader *reader);
/* At '{' (@close '}') or '[' (@close ']'): *@more is FALSE when it is empty. */
gboolean    dbt_json_reader_enter       (DbtJsonReader *reader,
                                         char           close,
                                         gboolean      *more);
/* In an object, before a member: its name into reader->string, and the ':'. */
gboolean    dbt_json_reader_read_name   (DbtJsonReader *reader);
/* After a member or element: ',' (*@more TRUE) or @close (*@more FALSE). */
gboolean    dbt_json_reader_next        (DbtJsonReader *reader,
                                         char           close,
                                         gboolean      *more);
gboolean    dbt_json_reader_read_string (DbtJsonReader *reader);
/* A number's text is @reader->text[*@start, reader->pos). */
gboolean    dbt_json_reader_read_number (DbtJsonReader *reader,
                                         gsize         *start);
/* true, false or null, as peeked. */
gboolean    dbt_json_reader_read_word   (DbtJsonReader *reader,
                                         DbtJsonKind    kind);
gboolean    dbt_json_reader_skip        (DbtJsonReader *reader);
/* Only white space left. */
gboolean    dbt_json_reader_finish      (DbtJsonReader *reader);

/* The one-pass routes, without falling back to the tree route. */
typedef enum
{
  DBT_JSON_READ_OK,
  DBT_JSON_READ_INVALID,    /* not valid JSON: @error says why, as the tree route would */
  DBT_JSON_READ_DECLINED,   /* the tree route decides (a refusal, or repeated member names) */
} DbtJsonReadOutcome;

/* The attributes object at the reader (peeked DBT_JSON_OBJECT); NULL when
 * declined (no error set) or on an error of the reader. */
DbtItem   *dbt_item_read              (DbtJsonReader *reader);
DbtItem   *dbt_item_parse_one_pass    (const char *json, gsize len,
                                       DbtJsonReadOutcome *outcome, GError **error);
GPtrArray *dbt_stream_event_parse_one_pass (const char *json, gsize len,
                                            DbtJsonReadOutcome *outcome, GError **error);

/* The tree routes, as they were: the reference. */
DbtItem   *dbt_item_parse_tree         (const char *json, gssize len, GError **error);
GPtrArray *dbt_stream_event_parse_tree (const char *json, gssize len, GError **error);

G_END_DECLS
