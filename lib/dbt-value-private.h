/* dbt-value-private.h — what the value-model modules share among themselves.
 *
 * Not installed and not for callers outside lib/dbt-value*.c, dbt-number.c,
 * dbt-item-json.c, dbt-diff.c, dbt-render.c, dbt-stream-record.c and
 * dbt-json-check.c.
 */
#pragma once

#include "dbt-value.h"

G_BEGIN_DECLS

/* A DynamoDB number taken apart: value = 0.DIGITS × 10^(exponent + 1),
 * i.e. @exponent is the power of ten of the first significant digit
 * ("1.5E3" → digits "15", exponent 3). Zero has n_digits == 0. */
typedef struct
{
  gboolean negative;
  guint    n_digits;
  gint64   exponent;
  char     digits[DBT_NUMBER_MAX_DIGITS + 1];
} DbtDecimal;

/* Parses and checks DynamoDB's number rules. The message of @error quotes
 * the value ("\"x\" is not a number") so callers can prefix a path. */
gboolean dbt_decimal_parse (const char *text, DbtDecimal *out, GError **error);
int      dbt_decimal_compare (const DbtDecimal *a, const DbtDecimal *b);
char    *dbt_decimal_to_string (const DbtDecimal *d);

/* Appends @s (@len bytes, -1: NUL-terminated) as a quoted string for people:
 * quotes, backslashes and control characters escaped, valid UTF-8 kept,
 * invalid bytes as \xNN. When @max_chars > 0 longer text is cut with "…". */
void     dbt_append_quoted (GString *out, const char *s, gssize len, gsize max_chars);
/* dbt_append_quoted() into a new string, cut at 64 characters: for error messages. */
char    *dbt_quote_for_message (const char *s);

/* Constructors that take ownership instead of copying (for the parser). */
DbtValue *dbt_value_new_text        (DbtValueType kind,            /* S or N, validated by the caller */
                                     const char  *text);          /* copied */
DbtValue *dbt_value_new_text_len    (DbtValueType kind,
                                     const char  *text,           /* @len bytes, copied */
                                     gsize        len);
DbtValue *dbt_value_new_binary_take (GBytes *bytes);              /* ref consumed */
DbtValue *dbt_value_new_set_take    (DbtValueType set_type,
                                     GPtrArray   *members,        /* consumed, even on error */
                                     GError     **error);
DbtValue *dbt_value_new_list_take   (GPtrArray *values);          /* consumed */
DbtValue *dbt_value_new_map_take    (DbtItem *map);               /* consumed */
void      dbt_item_set_take         (DbtItem *item, const char *name, DbtValue *value);
void      dbt_item_set_take_name    (DbtItem *item, char *name, DbtValue *value);   /* @name consumed too */
DbtItem  *dbt_item_new_sized        (guint reserved);             /* room for @reserved attributes */

/* dbt_item_from_json() with errors named from @path ("Records[2].dynamodb.NewImage"). */
DbtItem  *dbt_item_from_json_at     (JsonNode *node, const char *path, GError **error);

/* Significant digits of a valid number, for size accounting. */
guint     dbt_number_significant_digits (const char *decimal);

/* Strict JSON syntax (RFC 8259) over @len bytes, refusing with the byte
 * offset: invalid UTF-8; a top level that is not an object or array;
 * nesting deeper than @max_depth; raw control characters in strings;
 * "\u0000" (json-glib cuts strings there); malformed escapes and unpaired
 * surrogates; data after the value. Empty text passes (callers report it). */
gboolean    dbt_json_check     (const char *json, gsize len, guint max_depth, GError **error);
/* dbt_json_check(), then json-glib. Errors that json-glib finds start with
 * @what ("item", "event"). Duplicate member names are not detected:
 * json-glib keeps the last. */
JsonParser *dbt_json_parse     (const char *json, gssize len, const char *what, GError **error);
/* "an object", "a string", "null"...: for messages. */
const char *dbt_json_kind_name (JsonNode *node);

/* How deep json text may nest: an item is at most 32 L/M levels, each two
 * JSON levels deep, inside a stream event's few envelope levels. */
#define DBT_JSON_MAX_DEPTH (2 * 32 + 16)
/* DynamoDB's limit on L/M nesting. */
#define DBT_VALUE_MAX_DEPTH 32

G_END_DECLS
