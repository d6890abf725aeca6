/* dbt-value.c — values, items, equality, DynamoDB size accounting. */
#include "dbt-value-private.h"
#include "dbt-error.h"

#include <string.h>

struct _DbtValue
{
  gatomicrefcount ref_count;
  DbtValueType    kind;
  union
  {
    char      *string;    /* S, N: points just past the struct */
    GBytes    *binary;    /* B */
    gboolean   boolean;   /* BOOL */
    GPtrArray *members;   /* SS, NS: char*; BS: GBytes*; L: DbtValue* */
    DbtItem   *map;       /* M */
  };
};

typedef struct
{
  char     *name;
  DbtValue *value;
} DbtItemEntry;

/* Items with more attributes than this get a name → position hash so that
 * lookups (and so parsing and diffing) stay linear overall. */
#define ITEM_INDEX_THRESHOLD 16

struct _DbtItem
{
  gatomicrefcount ref_count;
  GArray         *entries;   /* DbtItemEntry */
  GHashTable     *index;     /* entry name → GUINT_TO_POINTER (position + 1), or NULL */
};

static const char *const type_tags[] = {
  [DBT_VALUE_S] = "S",
  [DBT_VALUE_N] = "N",
  [DBT_VALUE_B] = "B",
  [DBT_VALUE_BOOL] = "BOOL",
  [DBT_VALUE_NULL] = "NULL",
  [DBT_VALUE_SS] = "SS",
  [DBT_VALUE_NS] = "NS",
  [DBT_VALUE_BS] = "BS",
  [DBT_VALUE_L] = "L",
  [DBT_VALUE_M] = "M",
};

const char *
dbt_value_type_to_string (DbtValueType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (type_tags), NULL);

  return type_tags[type];
}

gboolean
dbt_value_type_from_string (const char   *tag,
                            DbtValueType *type)
{
  guint i;

  if (tag == NULL)
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (type_tags); i++)
    {
      if (strcmp (tag, type_tags[i]) == 0)
        {
          if (type != NULL)
            *type = (DbtValueType) i;
          return TRUE;
        }
    }
  return FALSE;
}

static DbtValue *
value_alloc (DbtValueType kind)
{
  DbtValue *value = g_new0 (DbtValue, 1);

  g_atomic_ref_count_init (&value->ref_count);
  value->kind = kind;
  return value;
}

static gboolean
is_set_kind (DbtValueType kind)
{
  return kind == DBT_VALUE_SS || kind == DBT_VALUE_NS || kind == DBT_VALUE_BS;
}

/* ---- constructors ------------------------------------------------------ */

/* S and N keep their text right after the struct: one allocation per
 * value, which matters when a batch holds hundreds of thousands of them. */
DbtValue *
dbt_value_new_text_len (DbtValueType kind,
                        const char  *text,
                        gsize        len)
{
  DbtValue *value = g_malloc (sizeof (DbtValue) + len + 1);

  g_atomic_ref_count_init (&value->ref_count);
  value->kind = kind;
  value->string = (char *) (value + 1);
  memcpy (value->string, text, len);
  value->string[len] = '\0';
  return value;
}

DbtValue *
dbt_value_new_text (DbtValueType kind,
                    const char  *text)
{
  return dbt_value_new_text_len (kind, text, strlen (text));
}

DbtValue *
dbt_value_new_string (const char *utf8,
                      GError    **error)
{
  const char *end;

  g_return_val_if_fail (utf8 != NULL, NULL);

  if (!g_utf8_validate (utf8, -1, &end))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "string is not valid UTF-8 (bad byte 0x%02x at offset %"
                         G_GSIZE_FORMAT ")",
                         (guint) (guchar) *end, (gsize) (end - utf8));
      return NULL;
    }
  return dbt_value_new_text (DBT_VALUE_S, utf8);
}

DbtValue *
dbt_value_new_number (const char *decimal,
                      GError    **error)
{
  DbtDecimal parsed;

  g_return_val_if_fail (decimal != NULL, NULL);

  if (!dbt_decimal_parse (decimal, &parsed, error))
    return NULL;
  return dbt_value_new_text (DBT_VALUE_N, decimal);
}

DbtValue *
dbt_value_new_binary_take (GBytes *bytes)
{
  DbtValue *value = value_alloc (DBT_VALUE_B);

  value->binary = bytes;
  return value;
}

DbtValue *
dbt_value_new_binary (GBytes *bytes)
{
  g_return_val_if_fail (bytes != NULL, NULL);

  return dbt_value_new_binary_take (g_bytes_ref (bytes));
}

DbtValue *
dbt_value_new_bool (gboolean boolean)
{
  DbtValue *value = value_alloc (DBT_VALUE_BOOL);

  value->boolean = !!boolean;
  return value;
}

DbtValue *
dbt_value_new_null (void)
{
  return value_alloc (DBT_VALUE_NULL);
}

/* Sets up to this size are checked for duplicates pairwise, without
 * allocating; bigger ones through a hash set, so they cost O(n). */
#define SMALL_SET 16

static gboolean
duplicate_error (DbtValueType set_type,
                 gpointer     member,
                 GError     **error)
{
  g_autofree char *quoted = NULL;

  if (set_type == DBT_VALUE_BS)
    {
      g_autofree char *b64 = g_base64_encode (g_bytes_get_data (member, NULL),
                                              g_bytes_get_size (member));
      quoted = dbt_quote_for_message (b64);
    }
  else
    quoted = dbt_quote_for_message (member);
  dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                     "%s member %s is a duplicate (set members must be unique)",
                     dbt_value_type_to_string (set_type), quoted);
  return FALSE;
}

/* Checks each member (UTF-8, number syntax) and their uniqueness; numbers
 * are compared by value. */
static gboolean
check_set_members (DbtValueType set_type,
                   GPtrArray   *members,
                   GError     **error)
{
  g_autoptr(GHashTable) seen = NULL;
  DbtDecimal small_numbers[SMALL_SET];
  const char *tag = dbt_value_type_to_string (set_type);
  gboolean small = members->len <= SMALL_SET;
  guint i, j;

  if (members->len == 0)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "%s set is empty (DynamoDB sets need at least one member)", tag);
      return FALSE;
    }

  if (!small && set_type == DBT_VALUE_BS)
    seen = g_hash_table_new (g_bytes_hash, g_bytes_equal);
  else if (!small && set_type == DBT_VALUE_NS)
    seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  else if (!small)
    seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (i = 0; i < members->len; i++)
    {
      gpointer member = g_ptr_array_index (members, i);
      DbtDecimal number;
      gboolean duplicate = FALSE;

      if (member == NULL)
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                             "%s member %u is missing", tag, i);
          return FALSE;
        }

      if (set_type == DBT_VALUE_SS)
        {
          const char *end;

          if (!g_utf8_validate (member, -1, &end))
            {
              dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                                 "SS member %u is not valid UTF-8 (bad byte 0x%02x at offset %"
                                 G_GSIZE_FORMAT ")", i, (guint) (guchar) *end,
                                 (gsize) (end - (const char *) member));
              return FALSE;
            }
        }
      else if (set_type == DBT_VALUE_NS)
        {
          if (!dbt_decimal_parse (member, &number, error))
            {
              g_prefix_error (error, "NS member ");
              return FALSE;
            }
        }

      if (small)
        {
          for (j = 0; j < i && !duplicate; j++)
            {
              gconstpointer other = g_ptr_array_index (members, j);

              if (set_type == DBT_VALUE_NS)
                duplicate = dbt_decimal_compare (&number, &small_numbers[j]) == 0;
              else if (set_type == DBT_VALUE_BS)
                duplicate = g_bytes_equal (member, other);
              else
                duplicate = strcmp (member, other) == 0;
            }
          if (set_type == DBT_VALUE_NS)
            small_numbers[i] = number;
        }
      else
        {
          /* g_hash_table_add() is FALSE when the key was there already. */
          duplicate = !g_hash_table_add (seen, set_type == DBT_VALUE_NS
                                               ? dbt_decimal_to_string (&number) : member);
        }

      if (duplicate)
        return duplicate_error (set_type, member, error);
    }

  return TRUE;
}

DbtValue *
dbt_value_new_set_take (DbtValueType set_type,
                        GPtrArray   *members,
                        GError     **error)
{
  g_autoptr(GPtrArray) owned = members;
  DbtValue *value;

  g_return_val_if_fail (is_set_kind (set_type), NULL);
  g_return_val_if_fail (members != NULL, NULL);

  if (!check_set_members (set_type, owned, error))
    return NULL;

  value = value_alloc (set_type);
  value->members = g_steal_pointer (&owned);
  return value;
}

DbtValue *
dbt_value_new_set (DbtValueType set_type,
                   GPtrArray   *members,
                   GError     **error)
{
  GPtrArray *copy;
  guint i;

  g_return_val_if_fail (is_set_kind (set_type), NULL);
  g_return_val_if_fail (members != NULL, NULL);

  if (set_type == DBT_VALUE_BS)
    copy = g_ptr_array_new_full (members->len, (GDestroyNotify) g_bytes_unref);
  else
    copy = g_ptr_array_new_full (members->len, g_free);

  for (i = 0; i < members->len; i++)
    {
      gpointer member = g_ptr_array_index (members, i);

      if (member == NULL)
        g_ptr_array_add (copy, NULL);
      else if (set_type == DBT_VALUE_BS)
        g_ptr_array_add (copy, g_bytes_ref (member));
      else
        g_ptr_array_add (copy, g_strdup (member));
    }

  return dbt_value_new_set_take (set_type, copy, error);
}

DbtValue *
dbt_value_new_list_take (GPtrArray *values)
{
  DbtValue *value = value_alloc (DBT_VALUE_L);

  g_ptr_array_set_free_func (values, (GDestroyNotify) dbt_value_unref);
  value->members = values;
  return value;
}

DbtValue *
dbt_value_new_list (GPtrArray *values)
{
  GPtrArray *copy;
  guint i;

  g_return_val_if_fail (values != NULL, NULL);

  copy = g_ptr_array_new_full (values->len, (GDestroyNotify) dbt_value_unref);
  for (i = 0; i < values->len; i++)
    {
      DbtValue *element = g_ptr_array_index (values, i);

      g_return_val_if_fail (element != NULL, (g_ptr_array_unref (copy), NULL));
      g_ptr_array_add (copy, dbt_value_ref (element));
    }
  return dbt_value_new_list_take (copy);
}

DbtValue *
dbt_value_new_map_take (DbtItem *map)
{
  DbtValue *value = value_alloc (DBT_VALUE_M);

  value->map = map;
  return value;
}

DbtValue *
dbt_value_new_map (DbtItem *map)
{
  g_return_val_if_fail (map != NULL, NULL);

  return dbt_value_new_map_take (dbt_item_ref (map));
}

/* ---- refcounting and accessors ----------------------------------------- */

DbtValue *
dbt_value_ref (DbtValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  g_atomic_ref_count_inc (&value->ref_count);
  return value;
}

void
dbt_value_unref (DbtValue *value)
{
  g_return_if_fail (value != NULL);

  if (!g_atomic_ref_count_dec (&value->ref_count))
    return;

  switch (value->kind)
    {
    case DBT_VALUE_B:
      g_bytes_unref (value->binary);
      break;
    case DBT_VALUE_SS:
    case DBT_VALUE_NS:
    case DBT_VALUE_BS:
    case DBT_VALUE_L:
      g_ptr_array_unref (value->members);
      break;
    case DBT_VALUE_M:
      dbt_item_unref (value->map);
      break;
    case DBT_VALUE_S:      /* text stored inline */
    case DBT_VALUE_N:
    case DBT_VALUE_BOOL:
    case DBT_VALUE_NULL:
    default:
      break;
    }
  g_free (value);
}

DbtValueType
dbt_value_get_kind (const DbtValue *value)
{
  g_return_val_if_fail (value != NULL, DBT_VALUE_NULL);

  return value->kind;
}

const char *
dbt_value_get_string (const DbtValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (value->kind == DBT_VALUE_S || value->kind == DBT_VALUE_N, NULL);

  return value->string;
}

GBytes *
dbt_value_get_binary (const DbtValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (value->kind == DBT_VALUE_B, NULL);

  return value->binary;
}

gboolean
dbt_value_get_bool (const DbtValue *value)
{
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (value->kind == DBT_VALUE_BOOL, FALSE);

  return value->boolean;
}

guint
dbt_value_get_length (const DbtValue *value)
{
  g_return_val_if_fail (value != NULL, 0);

  switch (value->kind)
    {
    case DBT_VALUE_SS:
    case DBT_VALUE_NS:
    case DBT_VALUE_BS:
    case DBT_VALUE_L:
      return value->members->len;
    case DBT_VALUE_M:
      return dbt_item_get_size (value->map);
    case DBT_VALUE_S:
    case DBT_VALUE_N:
    case DBT_VALUE_B:
    case DBT_VALUE_BOOL:
    case DBT_VALUE_NULL:
    default:
      return 0;
    }
}

const char *
dbt_value_get_member_string (const DbtValue *value,
                             guint           i)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (value->kind == DBT_VALUE_SS || value->kind == DBT_VALUE_NS, NULL);
  g_return_val_if_fail (i < value->members->len, NULL);

  return g_ptr_array_index (value->members, i);
}

GBytes *
dbt_value_get_member_binary (const DbtValue *value,
                             guint           i)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (value->kind == DBT_VALUE_BS, NULL);
  g_return_val_if_fail (i < value->members->len, NULL);

  return g_ptr_array_index (value->members, i);
}

DbtValue *
dbt_value_get_element (const DbtValue *value,
                       guint           i)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (value->kind == DBT_VALUE_L, NULL);
  g_return_val_if_fail (i < value->members->len, NULL);

  return g_ptr_array_index (value->members, i);
}

DbtItem *
dbt_value_get_map (const DbtValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (value->kind == DBT_VALUE_M, NULL);

  return value->map;
}

/* ---- equality ---------------------------------------------------------- */

static gboolean
numbers_equal (const char *a,
               const char *b)
{
  if (strcmp (a, b) == 0)
    return TRUE;
  return dbt_number_compare (a, b) == 0;
}

/* Sets are equal when they have the same members in any order. Small sets
 * are compared pairwise; big ones through a hash set of one side. */
static gboolean
sets_equal (const DbtValue *a,
            const DbtValue *b)
{
  GPtrArray *ma = a->members;
  GPtrArray *mb = b->members;
  g_autoptr(GHashTable) index = NULL;
  guint i, j;

  if (ma->len != mb->len)
    return FALSE;

  if (ma->len <= 8)
    {
      /* Members are unique on both sides, so "every member of a is in b"
       * with equal sizes means equal sets. */
      for (i = 0; i < ma->len; i++)
        {
          gboolean found = FALSE;

          for (j = 0; j < mb->len && !found; j++)
            {
              gconstpointer x = g_ptr_array_index (ma, i);
              gconstpointer y = g_ptr_array_index (mb, j);

              if (a->kind == DBT_VALUE_BS)
                found = g_bytes_equal (x, y);
              else if (a->kind == DBT_VALUE_NS)
                found = numbers_equal (x, y);
              else
                found = strcmp (x, y) == 0;
            }
          if (!found)
            return FALSE;
        }
      return TRUE;
    }

  if (a->kind == DBT_VALUE_BS)
    index = g_hash_table_new (g_bytes_hash, g_bytes_equal);
  else
    index = g_hash_table_new_full (g_str_hash, g_str_equal,
                                   a->kind == DBT_VALUE_NS ? g_free : NULL, NULL);

  for (i = 0; i < mb->len; i++)
    {
      gpointer member = g_ptr_array_index (mb, i);

      g_hash_table_add (index, a->kind == DBT_VALUE_NS ? dbt_number_normalize (member) : member);
    }
  for (i = 0; i < ma->len; i++)
    {
      gpointer member = g_ptr_array_index (ma, i);
      gboolean found;

      if (a->kind == DBT_VALUE_NS)
        {
          g_autofree char *normal = dbt_number_normalize (member);

          found = normal != NULL && g_hash_table_contains (index, normal);
        }
      else
        found = g_hash_table_contains (index, member);
      if (!found)
        return FALSE;
    }
  return TRUE;
}

gboolean
dbt_value_equal (const DbtValue *a,
                 const DbtValue *b)
{
  guint i;

  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || a->kind != b->kind)
    return FALSE;

  switch (a->kind)
    {
    case DBT_VALUE_S:
      return strcmp (a->string, b->string) == 0;
    case DBT_VALUE_N:
      return numbers_equal (a->string, b->string);
    case DBT_VALUE_B:
      return g_bytes_equal (a->binary, b->binary);
    case DBT_VALUE_BOOL:
      return a->boolean == b->boolean;
    case DBT_VALUE_NULL:
      return TRUE;
    case DBT_VALUE_SS:
    case DBT_VALUE_NS:
    case DBT_VALUE_BS:
      return sets_equal (a, b);
    case DBT_VALUE_L:
      if (a->members->len != b->members->len)
        return FALSE;
      for (i = 0; i < a->members->len; i++)
        if (!dbt_value_equal (g_ptr_array_index (a->members, i),
                              g_ptr_array_index (b->members, i)))
          return FALSE;
      return TRUE;
    case DBT_VALUE_M:
      return dbt_item_equal (a->map, b->map);
    default:
      return FALSE;
    }
}

/* ---- items ------------------------------------------------------------- */

static void
entry_clear (gpointer data)
{
  DbtItemEntry *entry = data;

  g_free (entry->name);
  dbt_value_unref (entry->value);
}

DbtItem *
dbt_item_new_sized (guint reserved)
{
  DbtItem *item = g_new0 (DbtItem, 1);

  g_atomic_ref_count_init (&item->ref_count);
  item->entries = g_array_sized_new (FALSE, FALSE, sizeof (DbtItemEntry), reserved);
  g_array_set_clear_func (item->entries, entry_clear);
  return item;
}

DbtItem *
dbt_item_new (void)
{
  return dbt_item_new_sized (0);
}

DbtItem *
dbt_item_ref (DbtItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);

  g_atomic_ref_count_inc (&item->ref_count);
  return item;
}

void
dbt_item_unref (DbtItem *item)
{
  g_return_if_fail (item != NULL);

  if (!g_atomic_ref_count_dec (&item->ref_count))
    return;

  g_clear_pointer (&item->index, g_hash_table_unref);
  g_array_unref (item->entries);
  g_free (item);
}

static void
index_rebuild (DbtItem *item)
{
  guint i;

  g_clear_pointer (&item->index, g_hash_table_unref);
  if (item->entries->len <= ITEM_INDEX_THRESHOLD)
    return;

  item->index = g_hash_table_new (g_str_hash, g_str_equal);
  for (i = 0; i < item->entries->len; i++)
    {
      DbtItemEntry *entry = &g_array_index (item->entries, DbtItemEntry, i);

      g_hash_table_insert (item->index, entry->name, GUINT_TO_POINTER (i + 1));
    }
}

static gint
item_find (const DbtItem *item,
           const char    *name)
{
  guint i;

  if (item->index != NULL)
    return (gint) GPOINTER_TO_UINT (g_hash_table_lookup (item->index, name)) - 1;

  for (i = 0; i < item->entries->len; i++)
    if (strcmp (g_array_index (item->entries, DbtItemEntry, i).name, name) == 0)
      return (gint) i;
  return -1;
}

void
dbt_item_set_take_name (DbtItem  *item,
                        char     *name,
                        DbtValue *value)
{
  gint position = item_find (item, name);
  DbtItemEntry entry;

  if (position >= 0)
    {
      DbtItemEntry *existing = &g_array_index (item->entries, DbtItemEntry, position);

      dbt_value_unref (existing->value);
      existing->value = value;
      g_free (name);
      return;
    }

  entry.name = name;
  entry.value = value;
  g_array_append_val (item->entries, entry);

  if (item->index != NULL)
    g_hash_table_insert (item->index, entry.name, GUINT_TO_POINTER (item->entries->len));
  else if (item->entries->len > ITEM_INDEX_THRESHOLD)
    index_rebuild (item);
}

void
dbt_item_set_take (DbtItem    *item,
                   const char *name,
                   DbtValue   *value)
{
  dbt_item_set_take_name (item, g_strdup (name), value);
}

void
dbt_item_set (DbtItem    *item,
              const char *name,
              DbtValue   *value)
{
  g_return_if_fail (item != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  dbt_item_set_take (item, name, dbt_value_ref (value));
}

gboolean
dbt_item_remove (DbtItem    *item,
                 const char *name)
{
  gint position;

  g_return_val_if_fail (item != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  position = item_find (item, name);
  if (position < 0)
    return FALSE;

  /* The index points at entry names; drop it before they are freed. */
  g_clear_pointer (&item->index, g_hash_table_unref);
  g_array_remove_index (item->entries, position);
  index_rebuild (item);
  return TRUE;
}

DbtValue *
dbt_item_get (const DbtItem *item,
              const char    *name)
{
  gint position;

  g_return_val_if_fail (item != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  position = item_find (item, name);
  if (position < 0)
    return NULL;
  return g_array_index (item->entries, DbtItemEntry, position).value;
}

guint
dbt_item_get_size (const DbtItem *item)
{
  g_return_val_if_fail (item != NULL, 0);

  return item->entries->len;
}

const char *
dbt_item_get_name (const DbtItem *item,
                   guint          i)
{
  g_return_val_if_fail (item != NULL, NULL);
  g_return_val_if_fail (i < item->entries->len, NULL);

  return g_array_index (item->entries, DbtItemEntry, i).name;
}

DbtValue *
dbt_item_get_value (const DbtItem *item,
                    guint          i)
{
  g_return_val_if_fail (item != NULL, NULL);
  g_return_val_if_fail (i < item->entries->len, NULL);

  return g_array_index (item->entries, DbtItemEntry, i).value;
}

gboolean
dbt_item_equal (const DbtItem *a,
                const DbtItem *b)
{
  guint i;

  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || a->entries->len != b->entries->len)
    return FALSE;

  /* Names are unique on both sides, so equal sizes and every attribute of
   * a found equal in b means equal items. */
  for (i = 0; i < a->entries->len; i++)
    {
      DbtItemEntry *entry = &g_array_index (a->entries, DbtItemEntry, i);
      DbtValue *other = dbt_item_get (b, entry->name);

      if (other == NULL || !dbt_value_equal (entry->value, other))
        return FALSE;
    }
  return TRUE;
}

DbtItem *
dbt_item_copy (const DbtItem *item)
{
  DbtItem *copy;
  guint i;

  g_return_val_if_fail (item != NULL, NULL);

  copy = dbt_item_new_sized (item->entries->len);
  g_array_set_size (copy->entries, item->entries->len);
  for (i = 0; i < item->entries->len; i++)
    {
      DbtItemEntry *from = &g_array_index (item->entries, DbtItemEntry, i);
      DbtItemEntry *to = &g_array_index (copy->entries, DbtItemEntry, i);

      to->name = g_strdup (from->name);
      to->value = dbt_value_ref (from->value);
    }
  index_rebuild (copy);
  return copy;
}

/* ---- size accounting and validation ------------------------------------ */

static gsize
number_size (const char *decimal)
{
  /* "approximately 1 byte per two significant digits, plus 1 byte";
   * zero still takes a digit. */
  guint digits = MAX (dbt_number_significant_digits (decimal), 1);

  return (digits + 1) / 2 + 1;
}

static gsize item_content_size (const DbtItem *item);

static gsize
value_size (const DbtValue *value)
{
  gsize size = 0;
  guint i;

  switch (value->kind)
    {
    case DBT_VALUE_S:
      return strlen (value->string);
    case DBT_VALUE_N:
      return number_size (value->string);
    case DBT_VALUE_B:
      return g_bytes_get_size (value->binary);
    case DBT_VALUE_BOOL:
    case DBT_VALUE_NULL:
      return 1;
    case DBT_VALUE_SS:
      for (i = 0; i < value->members->len; i++)
        size += strlen (g_ptr_array_index (value->members, i));
      return size;
    case DBT_VALUE_NS:
      for (i = 0; i < value->members->len; i++)
        size += number_size (g_ptr_array_index (value->members, i));
      return size;
    case DBT_VALUE_BS:
      for (i = 0; i < value->members->len; i++)
        size += g_bytes_get_size (g_ptr_array_index (value->members, i));
      return size;
    case DBT_VALUE_L:
      /* 3 bytes of overhead plus 1 byte per element. */
      size = 3;
      for (i = 0; i < value->members->len; i++)
        size += value_size (g_ptr_array_index (value->members, i)) + 1;
      return size;
    case DBT_VALUE_M:
      return 3 + item_content_size (value->map) + value->map->entries->len;
    default:
      return 0;
    }
}

static gsize
item_content_size (const DbtItem *item)
{
  gsize size = 0;
  guint i;

  for (i = 0; i < item->entries->len; i++)
    {
      DbtItemEntry *entry = &g_array_index (item->entries, DbtItemEntry, i);

      size += strlen (entry->name) + value_size (entry->value);
    }
  return size;
}

gsize
dbt_item_size_bytes (const DbtItem *item)
{
  g_return_val_if_fail (item != NULL, 0);

  return item_content_size (item);
}

static gboolean validate_map (const DbtItem *map, const char *path, guint depth, GError **error);

static gboolean
validate_value (const DbtValue *value,
                const char     *path,
                guint           depth,
                GError        **error)
{
  guint i;

  if (value->kind != DBT_VALUE_L && value->kind != DBT_VALUE_M)
    return TRUE;

  if (depth > DBT_VALUE_MAX_DEPTH)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "%s: nested more than %d levels deep (DynamoDB's limit)",
                         path, DBT_VALUE_MAX_DEPTH);
      return FALSE;
    }

  if (value->kind == DBT_VALUE_M)
    return validate_map (value->map, path, depth, error);

  for (i = 0; i < value->members->len; i++)
    {
      g_autofree char *element_path = g_strdup_printf ("%s[%u]", path, i);

      if (!validate_value (g_ptr_array_index (value->members, i), element_path, depth + 1, error))
        return FALSE;
    }
  return TRUE;
}

/* @depth counts the L/M containers around @map's values (0 for an item). */
static gboolean
validate_map (const DbtItem *map,
              const char    *path,
              guint          depth,
              GError       **error)
{
  guint i;

  for (i = 0; i < map->entries->len; i++)
    {
      DbtItemEntry *entry = &g_array_index (map->entries, DbtItemEntry, i);
      g_autofree char *entry_path = NULL;

      if (entry->name[0] == '\0')
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                             "%s%sattribute %u has an empty name",
                             path != NULL ? path : "", path != NULL ? ": " : "", i);
          return FALSE;
        }
      entry_path = path != NULL ? g_strconcat (path, ".", entry->name, NULL)
                                : g_strdup (entry->name);
      if (!validate_value (entry->value, entry_path, depth + 1, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
dbt_item_validate (const DbtItem *item,
                   GError       **error)
{
  gsize size;

  g_return_val_if_fail (item != NULL, FALSE);

  if (!validate_map (item, NULL, 0, error))
    return FALSE;

  size = dbt_item_size_bytes (item);
  if (size > DBT_ITEM_MAX_BYTES)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "item is %" G_GSIZE_FORMAT " bytes, over DynamoDB's limit of %d bytes (400 KB)",
                         size, DBT_ITEM_MAX_BYTES);
      return FALSE;
    }
  return TRUE;
}
