/* dbt-diff.c — what changed between two versions of an item.
 *
 * Maps are walked member by member and lists of equal length element by
 * element, so a change deep inside reports its own path instead of the
 * whole attribute. Anything else that differs (a type change, a set, a list
 * that grew) is one change of the whole value. Equality is DynamoDB's:
 * "1.0" equals "1", sets ignore order.
 */
#include "dbt-value-private.h"

#include <string.h>

static void
add_change (GPtrArray     *changes,
            DbtChangeKind  kind,
            const GString *path,
            DbtValue      *old_value,
            DbtValue      *new_value)
{
  DbtChange *change = g_new0 (DbtChange, 1);

  change->kind = kind;
  change->path = g_strndup (path->str, path->len);
  change->old_value = old_value != NULL ? dbt_value_ref (old_value) : NULL;
  change->new_value = new_value != NULL ? dbt_value_ref (new_value) : NULL;
  g_ptr_array_add (changes, change);
}

static gboolean
is_ignored (const char        *name,
            const char *const *ignored)
{
  return ignored != NULL && g_strv_contains (ignored, name);
}

static void diff_maps (GPtrArray *changes, GString *path, const DbtItem *old_map,
                       const DbtItem *new_map, const char *const *ignored);

/* @path names both values; it is restored before returning. */
static void
diff_values (GPtrArray *changes,
             GString   *path,
             DbtValue  *old_value,
             DbtValue  *new_value)
{
  DbtValueType kind = dbt_value_get_kind (new_value);
  gsize path_len = path->len;
  guint i, n;

  if (dbt_value_get_kind (old_value) == kind && kind == DBT_VALUE_M)
    {
      diff_maps (changes, path, dbt_value_get_map (old_value), dbt_value_get_map (new_value), NULL);
      return;
    }

  n = dbt_value_get_length (new_value);
  if (dbt_value_get_kind (old_value) == kind && kind == DBT_VALUE_L
      && dbt_value_get_length (old_value) == n)
    {
      for (i = 0; i < n; i++)
        {
          g_string_append_printf (path, "[%u]", i);
          diff_values (changes, path, dbt_value_get_element (old_value, i),
                       dbt_value_get_element (new_value, i));
          g_string_truncate (path, path_len);
        }
      return;
    }

  if (!dbt_value_equal (old_value, new_value))
    add_change (changes, DBT_CHANGE_MODIFIED, path, old_value, new_value);
}

static void
append_name (GString    *path,
             gsize       parent_len,
             const char *name)
{
  if (parent_len > 0)
    g_string_append_c (path, '.');
  g_string_append (path, name);
}

static void
diff_maps (GPtrArray         *changes,
           GString           *path,
           const DbtItem     *old_map,
           const DbtItem     *new_map,
           const char *const *ignored)
{
  gsize path_len = path->len;
  guint i;

  for (i = 0; new_map != NULL && i < dbt_item_get_size (new_map); i++)
    {
      const char *name = dbt_item_get_name (new_map, i);
      DbtValue *new_value = dbt_item_get_value (new_map, i);
      DbtValue *old_value = old_map != NULL ? dbt_item_get (old_map, name) : NULL;

      if (is_ignored (name, ignored))
        continue;

      append_name (path, path_len, name);
      if (old_value == NULL)
        add_change (changes, DBT_CHANGE_ADDED, path, NULL, new_value);
      else
        diff_values (changes, path, old_value, new_value);
      g_string_truncate (path, path_len);
    }

  for (i = 0; old_map != NULL && i < dbt_item_get_size (old_map); i++)
    {
      const char *name = dbt_item_get_name (old_map, i);

      if (is_ignored (name, ignored))
        continue;
      if (new_map != NULL && dbt_item_get (new_map, name) != NULL)
        continue;

      append_name (path, path_len, name);
      add_change (changes, DBT_CHANGE_REMOVED, path, dbt_item_get_value (old_map, i), NULL);
      g_string_truncate (path, path_len);
    }
}

GPtrArray *
dbt_item_diff (const DbtItem     *old_item,
               const DbtItem     *new_item,
               const char *const *ignored)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_change_free);
  g_autoptr(GString) path = g_string_new (NULL);

  diff_maps (changes, path, old_item, new_item, ignored);
  return changes;
}

void
dbt_change_free (DbtChange *change)
{
  if (change == NULL)
    return;

  g_free (change->path);
  g_clear_pointer (&change->old_value, dbt_value_unref);
  g_clear_pointer (&change->new_value, dbt_value_unref);
  g_free (change);
}
