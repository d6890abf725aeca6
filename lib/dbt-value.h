/* dbt-value.h — the DynamoDB value model.
 *
 * Every DynamoDB type: S, N, B, BOOL, NULL, SS, NS, BS, L, M. Numbers are
 * kept as the exact decimal strings DynamoDB sent (up to 38 significant
 * digits), never converted to double; sets stay sets (members unique, order
 * as received); binary stays bytes. Values are immutable and refcounted.
 *
 * A DbtItem is an ordered map from attribute name to value (insertion order
 * kept, names unique); it is both a table item and the content of an M.
 *
 * DynamoDB-JSON: {"S":"x"}, {"N":"1.5"}, {"B":"<base64>"}, {"SS":[...]}...
 * Serialising the parse of canonical input gives back the same bytes.
 * "Canonical" is what dbt_item_serialize() writes: compact JSON, members in
 * item order, numbers exactly as given, base64 with padding, and json-glib's
 * string escaping (\" \\ \b \f \n \r \t, other control characters and
 * DEL as \u00xx, everything else as UTF-8).
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  DBT_VALUE_S,
  DBT_VALUE_N,
  DBT_VALUE_B,
  DBT_VALUE_BOOL,
  DBT_VALUE_NULL,
  DBT_VALUE_SS,
  DBT_VALUE_NS,
  DBT_VALUE_BS,
  DBT_VALUE_L,
  DBT_VALUE_M,
} DbtValueType;

typedef struct _DbtValue DbtValue;
typedef struct _DbtItem  DbtItem;

#define DBT_ITEM_MAX_BYTES (400 * 1024)
#define DBT_NUMBER_MAX_DIGITS 38

/* "S", "N", ... "M"; and back (returns FALSE for an unknown tag). */
const char *dbt_value_type_to_string   (DbtValueType type);
gboolean    dbt_value_type_from_string (const char *tag, DbtValueType *type);

/* Constructors. Those that validate fail with DBT_AWS_ERROR_INVALID_INPUT
 * and a message that quotes the value ("\"1e\" is not a number").
 * None of them consumes its arguments: strings are copied, arrays are
 * copied (taking refs of their members), GBytes and DbtItem are reffed.
 *
 * Numbers: an optional '-', digits with an optional fraction (".5" and "5."
 * are fine), an optional exponent (e/E, optional sign, digits). At most 38
 * significant digits (leading and trailing zeros do not count); magnitude
 * 1E-130 to 9.9999999999999999999999999999999999999E+125, or zero. No '+'
 * sign, no spaces, no NaN/Infinity. The text is kept exactly as given. */
DbtValue *dbt_value_new_string  (const char *utf8, GError **error);       /* valid UTF-8; "" allowed */
DbtValue *dbt_value_new_number  (const char *decimal, GError **error);
DbtValue *dbt_value_new_binary  (GBytes *bytes);                          /* empty allowed */
DbtValue *dbt_value_new_bool    (gboolean value);
DbtValue *dbt_value_new_null    (void);
/* SS and NS from strings, BS from GBytes*: non-empty, members unique (NS by
 * value: "1" and "1.0" collide), member order kept. Empty strings and empty
 * binary are valid members. */
DbtValue *dbt_value_new_set     (DbtValueType set_type, GPtrArray *members, GError **error);
DbtValue *dbt_value_new_list    (GPtrArray *values);   /* DbtValue*, refs taken; empty allowed */
/* The value shares @map (a ref is taken): do not change the item afterwards. */
DbtValue *dbt_value_new_map     (DbtItem *map);

DbtValue    *dbt_value_ref        (DbtValue *value);
void         dbt_value_unref      (DbtValue *value);
DbtValueType dbt_value_get_kind   (const DbtValue *value);

const char  *dbt_value_get_string (const DbtValue *value);  /* S and N */
GBytes      *dbt_value_get_binary (const DbtValue *value);  /* B, not a new ref */
gboolean     dbt_value_get_bool   (const DbtValue *value);
guint        dbt_value_get_length (const DbtValue *value);  /* members of a set, elements of an L, entries of an M */
const char  *dbt_value_get_member_string (const DbtValue *value, guint i); /* SS, NS */
GBytes      *dbt_value_get_member_binary (const DbtValue *value, guint i); /* BS */
DbtValue    *dbt_value_get_element       (const DbtValue *value, guint i); /* L */
DbtItem     *dbt_value_get_map           (const DbtValue *value);          /* M */

/* DynamoDB equality: numbers by value ("1.0" == "1"), sets ignoring order,
 * maps ignoring entry order, lists in order, binary by bytes. */
gboolean     dbt_value_equal      (const DbtValue *a, const DbtValue *b);
/* Numbers: canonical form for comparison ("-1.50E+2" → "-150", "1.5E-3" →
 * "0.0015", "-0" → "0"): plain positional notation, no exponent, no
 * redundant zeros. Exact. NULL when @decimal is not a valid number. */
char        *dbt_number_normalize (const char *decimal);
/* Numeric comparison of two valid numbers: <0, 0, >0. Exact (38 digits).
 * Should an invalid one slip in, it sorts after every number, by bytes. */
int          dbt_number_compare   (const char *a, const char *b);

/* Items. Lookups are linear for small items and hashed past 16 attributes,
 * so building and reading big items stays linear overall. An item is not
 * safe to change from two threads at once; reading is. */
DbtItem  *dbt_item_new        (void);
DbtItem  *dbt_item_ref        (DbtItem *item);
void      dbt_item_unref      (DbtItem *item);
/* Sets (replaces in place or appends); takes a ref of @value. */
void      dbt_item_set        (DbtItem *item, const char *name, DbtValue *value);
gboolean  dbt_item_remove     (DbtItem *item, const char *name);
DbtValue *dbt_item_get        (const DbtItem *item, const char *name);   /* NULL when absent */
guint     dbt_item_get_size   (const DbtItem *item);
const char *dbt_item_get_name (const DbtItem *item, guint i);
DbtValue *dbt_item_get_value  (const DbtItem *item, guint i);
gboolean  dbt_item_equal      (const DbtItem *a, const DbtItem *b);      /* order-insensitive */
DbtItem  *dbt_item_copy       (const DbtItem *item);                     /* shallow: values shared */

/* DynamoDB's size accounting in bytes: per attribute the UTF-8 length of its
 * name plus its value: S its UTF-8 length, N (significant digits + 1) / 2 + 1,
 * B its length, BOOL and NULL 1, sets the sum of their members, L and M
 * 3 + their elements (M: names too) + 1 per element. */
gsize     dbt_item_size_bytes (const DbtItem *item);
/* Everything DynamoDB would refuse that can be seen locally: size > 400 KB
 * (DBT_ITEM_MAX_BYTES, the message gives the size), empty names, more than
 * 32 L/M containers nested inside each other. Message names the attribute. */
gboolean  dbt_item_validate   (const DbtItem *item, GError **error);

/* DynamoDB-JSON. Parse errors are DBT_AWS_ERROR_INVALID_INPUT naming the
 * path ("address.lines[2]: NS member \"x\" is not a number"). Refused: a
 * value object without exactly one known type tag, a tag with the wrong JSON
 * type (numbers must be JSON strings: {"N": 1} is refused), "NULL": false,
 * B/BS that is not strict padded base64, empty or duplicate sets, empty
 * attribute names, more than 32 nested L/M. dbt_item_parse() also refuses
 * invalid UTF-8, "\u0000", unpaired surrogates and data after the object,
 * each with its byte offset; @len -1 means NUL-terminated. The input is
 * never modified. */
DbtValue *dbt_value_from_json (JsonNode *node, GError **error);
DbtItem  *dbt_item_from_json  (JsonNode *node, GError **error);
DbtItem  *dbt_item_parse      (const char *json, gssize len, GError **error);
JsonNode *dbt_value_to_json   (const DbtValue *value);
JsonNode *dbt_item_to_json    (const DbtItem *item);
char     *dbt_item_serialize  (const DbtItem *item);   /* canonical compact JSON */
char     *dbt_value_serialize (const DbtValue *value);

/* Human rendering for notifications and the console: "hello" quoted (with
 * \" \\ \n \r \t and \u00xx for other control characters), numbers verbatim,
 * <binary 3 bytes AQID>, {"a", "b"} sets, [..] lists, {name: value} maps
 * (names quoted unless made of letters, digits, '_' and '-'), true/false,
 * null. Long strings are not cut; binary over 64 bytes shows its first 48
 * bytes then "…" (the size says the rest). */
char     *dbt_value_render    (const DbtValue *value);
/* "id=\"a-1\", sk=7" — key attributes in item order. */
char     *dbt_item_render_key (const DbtItem *keys);

/* Diff of two items. Paths are "name", "name.sub", "name[2]". Maps are
 * compared member by member; lists of equal length element by element; any
 * other difference is a change of the whole value. Top-level attribute names
 * in @ignored (NULL-terminated, may be NULL) are skipped. Changes come in
 * the new item's order, then removed attributes in the old item's order. */
typedef enum
{
  DBT_CHANGE_ADDED,
  DBT_CHANGE_REMOVED,
  DBT_CHANGE_MODIFIED,
} DbtChangeKind;

typedef struct
{
  DbtChangeKind kind;
  char         *path;
  DbtValue     *old_value;   /* NULL when added */
  DbtValue     *new_value;   /* NULL when removed */
} DbtChange;

GPtrArray *dbt_item_diff (const DbtItem *old_item,      /* NULL: empty */
                          const DbtItem *new_item,      /* NULL: empty */
                          const char *const *ignored);  /* DbtChange*, freeing */
void       dbt_change_free (DbtChange *change);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtValue, dbt_value_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtItem, dbt_item_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtChange, dbt_change_free)

G_END_DECLS
