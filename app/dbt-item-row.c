/* dbt-item-row.c — one table item as a list model row. */
#include "dbt-config.h"

#include <string.h>

#include "dbt-item-row.h"

struct _DbtItemRow
{
  GObject     parent_instance;

  DbtItem    *item;
  char       *key;

  /* Sorting by a column compares each row about log2(n) times: the text
   * key of the attribute last sorted by (a collation key for strings, the
   * rendering for sets, lists and maps) is computed once. */
  const char *sort_key_name;   /* interned */
  char       *sort_key;
};

G_DEFINE_FINAL_TYPE (DbtItemRow, dbt_item_row, G_TYPE_OBJECT)

static void
dbt_item_row_finalize (GObject *object)
{
  DbtItemRow *self = DBT_ITEM_ROW (object);

  g_clear_pointer (&self->item, dbt_item_unref);
  g_free (self->key);
  g_free (self->sort_key);

  G_OBJECT_CLASS (dbt_item_row_parent_class)->finalize (object);
}

static void
dbt_item_row_class_init (DbtItemRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dbt_item_row_finalize;
}

static void
dbt_item_row_init (DbtItemRow *self)
{
}

DbtItemRow *
dbt_item_row_new (DbtItem    *item,
                  const char *key)
{
  DbtItemRow *self;

  g_return_val_if_fail (item != NULL, NULL);

  self = g_object_new (DBT_TYPE_ITEM_ROW, NULL);
  self->item = dbt_item_ref (item);
  self->key = g_strdup (key);
  return self;
}

DbtItem *
dbt_item_row_get_item (DbtItemRow *self)
{
  g_return_val_if_fail (DBT_IS_ITEM_ROW (self), NULL);
  return self->item;
}

const char *
dbt_item_row_get_key (DbtItemRow *self)
{
  g_return_val_if_fail (DBT_IS_ITEM_ROW (self), NULL);
  return self->key;
}

static gboolean
append_key_value (GString    *out,
                  const char *name,
                  const DbtItem *item)
{
  DbtValue *value = dbt_item_get (item, name);
  g_autofree char *text = NULL;

  if (value == NULL)
    return FALSE;

  if (dbt_value_get_kind (value) == DBT_VALUE_N)
    text = dbt_number_normalize (dbt_value_get_string (value));
  if (text == NULL)
    text = dbt_value_serialize (value);
  g_string_append (out, text);
  return TRUE;
}

char *
dbt_item_row_key_for_item (const DbtTableDescription *description,
                           const DbtItem             *item)
{
  g_autoptr(GString) key = g_string_new (NULL);

  g_return_val_if_fail (description != NULL && description->hash_key_name != NULL, NULL);
  g_return_val_if_fail (item != NULL, NULL);

  if (!append_key_value (key, description->hash_key_name, item))
    return NULL;
  if (description->range_key_name != NULL)
    {
      /* A newline cannot occur in compact JSON outside a string's escapes. */
      g_string_append_c (key, '\n');
      if (!append_key_value (key, description->range_key_name, item))
        return NULL;
    }
  return g_string_free (g_steal_pointer (&key), FALSE);
}

static int
type_rank (DbtValueType type)
{
  switch (type)
    {
    case DBT_VALUE_N: return 0;
    case DBT_VALUE_S: return 1;
    case DBT_VALUE_B: return 2;
    case DBT_VALUE_BOOL: return 3;
    case DBT_VALUE_NULL: return 4;
    case DBT_VALUE_SS: return 5;
    case DBT_VALUE_NS: return 6;
    case DBT_VALUE_BS: return 7;
    case DBT_VALUE_L: return 8;
    case DBT_VALUE_M: return 9;
    default: return 10;
    }
}

static const char *
row_sort_key (DbtItemRow *self,
              const char *name,
              DbtValue   *value)
{
  if (self->sort_key_name != name)
    {
      g_free (self->sort_key);
      if (dbt_value_get_kind (value) == DBT_VALUE_S)
        self->sort_key = g_utf8_collate_key (dbt_value_get_string (value), -1);
      else
        {
          g_autofree char *rendered = dbt_value_render (value);

          self->sort_key = g_utf8_collate_key (rendered, -1);
        }
      self->sort_key_name = name;
    }
  return self->sort_key;
}

static int
sign (int value)
{
  return (value > 0) - (value < 0);
}

int
dbt_item_row_compare_attribute (DbtItemRow *a,
                                DbtItemRow *b,
                                const char *name)
{
  DbtValue *va = dbt_item_get (a->item, name);
  DbtValue *vb = dbt_item_get (b->item, name);
  DbtValueType ta, tb;

  if (va == NULL || vb == NULL)
    return (va == NULL) - (vb == NULL);

  ta = dbt_value_get_kind (va);
  tb = dbt_value_get_kind (vb);
  if (ta != tb)
    return sign (type_rank (ta) - type_rank (tb));

  switch (ta)
    {
    case DBT_VALUE_N:
      return dbt_number_compare (dbt_value_get_string (va), dbt_value_get_string (vb));
    case DBT_VALUE_B:
      return sign (g_bytes_compare (dbt_value_get_binary (va), dbt_value_get_binary (vb)));
    case DBT_VALUE_BOOL:
      return (int) dbt_value_get_bool (va) - (int) dbt_value_get_bool (vb);
    case DBT_VALUE_NULL:
      return 0;
    case DBT_VALUE_S:
    case DBT_VALUE_SS:
    case DBT_VALUE_NS:
    case DBT_VALUE_BS:
    case DBT_VALUE_L:
    case DBT_VALUE_M:
    default:
      return sign (strcmp (row_sort_key (a, name, va), row_sort_key (b, name, vb)));
    }
}
