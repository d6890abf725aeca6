/* test-value.c — values, sets, items, equality, size accounting, validation. */
#include "dbt-value.h"
#include "dbt-error.h"

#include <stdarg.h>
#include <string.h>

static DbtValue *
str (const char *text)
{
  g_autoptr(GError) error = NULL;
  DbtValue *value = dbt_value_new_string (text, &error);

  g_assert_no_error (error);
  return value;
}

static DbtValue *
num (const char *text)
{
  g_autoptr(GError) error = NULL;
  DbtValue *value = dbt_value_new_number (text, &error);

  g_assert_no_error (error);
  return value;
}

static DbtValue *
string_set (DbtValueType kind, const char *first, ...)
{
  g_autoptr(GPtrArray) members = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *member;
  DbtValue *value;
  va_list args;

  va_start (args, first);
  for (member = first; member != NULL; member = va_arg (args, const char *))
    g_ptr_array_add (members, (gpointer) member);
  va_end (args);

  value = dbt_value_new_set (kind, members, &error);
  g_assert_no_error (error);
  return value;
}

static void
test_type_tags (void)
{
  const char *tags[] = { "S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M" };
  DbtValueType type;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (tags); i++)
    {
      g_assert_true (dbt_value_type_from_string (tags[i], &type));
      g_assert_cmpint (type, ==, (DbtValueType) i);
      g_assert_cmpstr (dbt_value_type_to_string (type), ==, tags[i]);
    }
  g_assert_false (dbt_value_type_from_string ("s", &type));
  g_assert_false (dbt_value_type_from_string ("", &type));
  g_assert_false (dbt_value_type_from_string ("STRING", &type));
}

static void
test_scalars (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new ("\x01\x02\x03", 3);
  g_autoptr(DbtValue) s = str ("héllo");
  g_autoptr(DbtValue) n = num ("-1.5E3");
  g_autoptr(DbtValue) b = dbt_value_new_binary (bytes);
  g_autoptr(DbtValue) t = dbt_value_new_bool (TRUE);
  g_autoptr(DbtValue) f = dbt_value_new_bool (FALSE);
  g_autoptr(DbtValue) null = dbt_value_new_null ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtValue) bad = NULL;

  g_assert_cmpint (dbt_value_get_kind (s), ==, DBT_VALUE_S);
  g_assert_cmpstr (dbt_value_get_string (s), ==, "héllo");
  g_assert_cmpstr (dbt_value_get_string (n), ==, "-1.5E3");
  g_assert_true (g_bytes_equal (dbt_value_get_binary (b), bytes));
  g_assert_true (dbt_value_get_bool (t));
  g_assert_false (dbt_value_get_bool (f));
  g_assert_cmpint (dbt_value_get_kind (null), ==, DBT_VALUE_NULL);
  g_assert_false (dbt_value_equal (t, f));
  g_assert_false (dbt_value_equal (s, n));
  g_assert_true (dbt_value_equal (null, null));

  bad = dbt_value_new_string ("ab\xff", &error);
  g_assert_null (bad);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "not valid UTF-8"));
  g_assert_nonnull (strstr (error->message, "offset 2"));

  /* Refcounting: a value outlives the first owner. */
  {
    DbtValue *shared = dbt_value_ref (s);

    dbt_value_unref (shared);
    g_assert_cmpstr (dbt_value_get_string (s), ==, "héllo");
  }
}

static void
test_sets (void)
{
  g_autoptr(DbtValue) ss = string_set (DBT_VALUE_SS, "a", "b", "c", NULL);
  g_autoptr(DbtValue) ss2 = string_set (DBT_VALUE_SS, "c", "a", "b", NULL);
  g_autoptr(DbtValue) ss3 = string_set (DBT_VALUE_SS, "c", "a", "d", NULL);
  g_autoptr(DbtValue) ns = string_set (DBT_VALUE_NS, "1", "2.5", "-3", NULL);
  g_autoptr(DbtValue) ns2 = string_set (DBT_VALUE_NS, "-3.0", "1.00", "25E-1", NULL);
  g_autoptr(GPtrArray) members = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtValue) bad = NULL;

  g_assert_cmpuint (dbt_value_get_length (ss), ==, 3);
  /* Order as received. */
  g_assert_cmpstr (dbt_value_get_member_string (ss, 0), ==, "a");
  g_assert_cmpstr (dbt_value_get_member_string (ss2, 0), ==, "c");
  g_assert_true (dbt_value_equal (ss, ss2));
  g_assert_false (dbt_value_equal (ss, ss3));
  g_assert_true (dbt_value_equal (ns, ns2));
  g_assert_cmpstr (dbt_value_get_member_string (ns2, 2), ==, "25E-1");

  /* Empty sets are refused. */
  bad = dbt_value_new_set (DBT_VALUE_SS, members, &error);
  g_assert_null (bad);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "SS set is empty"));
  g_clear_error (&error);

  /* Duplicates: strings by bytes, numbers by value. */
  g_ptr_array_add (members, (gpointer) "x");
  g_ptr_array_add (members, (gpointer) "y");
  g_ptr_array_add (members, (gpointer) "x");
  bad = dbt_value_new_set (DBT_VALUE_SS, members, &error);
  g_assert_null (bad);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "SS member \"x\" is a duplicate"));
  g_clear_error (&error);

  g_ptr_array_set_size (members, 0);
  g_ptr_array_add (members, (gpointer) "1.0");
  g_ptr_array_add (members, (gpointer) "1");
  bad = dbt_value_new_set (DBT_VALUE_NS, members, &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "NS member \"1\" is a duplicate"));
  g_clear_error (&error);

  g_ptr_array_set_size (members, 0);
  g_ptr_array_add (members, (gpointer) "1");
  g_ptr_array_add (members, (gpointer) "x");
  bad = dbt_value_new_set (DBT_VALUE_NS, members, &error);
  g_assert_null (bad);
  g_assert_cmpstr (error->message, ==, "NS member \"x\" is not a number");
  g_clear_error (&error);

  g_ptr_array_set_size (members, 0);
  g_ptr_array_add (members, (gpointer) "ok");
  g_ptr_array_add (members, (gpointer) "\xc3\x28");
  bad = dbt_value_new_set (DBT_VALUE_SS, members, &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "not valid UTF-8"));
  g_clear_error (&error);

  /* Binary sets. */
  {
    g_autoptr(GPtrArray) bins = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
    g_autoptr(DbtValue) bs = NULL;
    g_autoptr(DbtValue) dup = NULL;

    g_ptr_array_add (bins, g_bytes_new ("\x00", 1));
    g_ptr_array_add (bins, g_bytes_new ("\xff\xfe", 2));
    bs = dbt_value_new_set (DBT_VALUE_BS, bins, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (dbt_value_get_length (bs), ==, 2);
    g_assert_cmpuint (g_bytes_get_size (dbt_value_get_member_binary (bs, 1)), ==, 2);

    g_ptr_array_add (bins, g_bytes_new ("\x00", 1));
    dup = dbt_value_new_set (DBT_VALUE_BS, bins, &error);
    g_assert_null (dup);
    g_assert_nonnull (strstr (error->message, "BS member \"AA==\" is a duplicate"));
  }
}

static void
test_big_sets_equal (void)
{
  g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) b = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DbtValue) sa = NULL;
  g_autoptr(DbtValue) sb = NULL;
  g_autoptr(DbtValue) sc = NULL;
  guint i;

  for (i = 0; i < 1000; i++)
    {
      g_ptr_array_add (a, g_strdup_printf ("%u", i));
      g_ptr_array_add (b, g_strdup_printf ("%u.0E0", 999 - i));
    }
  sa = dbt_value_new_set (DBT_VALUE_NS, a, NULL);
  sb = dbt_value_new_set (DBT_VALUE_NS, b, NULL);
  g_assert_nonnull (sa);
  g_assert_nonnull (sb);
  g_assert_true (dbt_value_equal (sa, sb));

  g_free (g_ptr_array_index (b, 500));
  g_ptr_array_index (b, 500) = g_strdup ("1000");
  sc = dbt_value_new_set (DBT_VALUE_NS, b, NULL);
  g_assert_false (dbt_value_equal (sa, sc));
}

static void
test_lists_and_maps (void)
{
  g_autoptr(GPtrArray) elements = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_value_unref);
  g_autoptr(DbtItem) map = dbt_item_new ();
  g_autoptr(DbtItem) map2 = dbt_item_new ();
  g_autoptr(DbtValue) list = NULL;
  g_autoptr(DbtValue) list2 = NULL;
  g_autoptr(DbtValue) m = NULL;
  g_autoptr(DbtValue) m2 = NULL;
  g_autoptr(DbtValue) one = num ("1");
  g_autoptr(DbtValue) x = str ("x");

  g_ptr_array_add (elements, num ("1"));
  g_ptr_array_add (elements, str ("two"));
  list = dbt_value_new_list (elements);
  g_assert_cmpuint (dbt_value_get_length (list), ==, 2);
  g_assert_cmpstr (dbt_value_get_string (dbt_value_get_element (list, 1)), ==, "two");

  /* Order matters in lists. */
  g_ptr_array_remove_index (elements, 0);
  g_ptr_array_add (elements, num ("1.0"));
  list2 = dbt_value_new_list (elements);
  g_assert_false (dbt_value_equal (list, list2));

  dbt_item_set (map, "a", one);
  dbt_item_set (map, "b", x);
  dbt_item_set (map2, "b", x);
  dbt_item_set (map2, "a", one);
  m = dbt_value_new_map (map);
  m2 = dbt_value_new_map (map2);
  g_assert_true (dbt_value_get_map (m) == map);
  g_assert_cmpuint (dbt_value_get_length (m), ==, 2);
  /* Maps are order-insensitive. */
  g_assert_true (dbt_value_equal (m, m2));
  g_assert_true (dbt_item_equal (map, map2));
}

static void
test_item_basics (void)
{
  g_autoptr(DbtItem) item = dbt_item_new ();
  g_autoptr(DbtItem) copy = NULL;
  g_autoptr(DbtValue) a = str ("a");
  g_autoptr(DbtValue) b = str ("b");
  g_autoptr(DbtValue) c = num ("3");

  g_assert_cmpuint (dbt_item_get_size (item), ==, 0);
  g_assert_null (dbt_item_get (item, "x"));
  dbt_item_set (item, "x", a);
  dbt_item_set (item, "y", b);
  dbt_item_set (item, "z", c);
  g_assert_cmpuint (dbt_item_get_size (item), ==, 3);

  /* Replacing keeps the position. */
  dbt_item_set (item, "x", c);
  g_assert_cmpuint (dbt_item_get_size (item), ==, 3);
  g_assert_cmpstr (dbt_item_get_name (item, 0), ==, "x");
  g_assert_true (dbt_item_get_value (item, 0) == c);

  copy = dbt_item_copy (item);
  g_assert_true (dbt_item_equal (item, copy));
  g_assert_true (dbt_item_remove (item, "y"));
  g_assert_false (dbt_item_remove (item, "y"));
  g_assert_cmpuint (dbt_item_get_size (item), ==, 2);
  g_assert_cmpstr (dbt_item_get_name (item, 1), ==, "z");
  g_assert_null (dbt_item_get (item, "y"));
  g_assert_false (dbt_item_equal (item, copy));
  /* The copy is independent. */
  g_assert_cmpuint (dbt_item_get_size (copy), ==, 3);
  g_assert_true (dbt_item_get (copy, "y") == b);
}

/* Past 16 attributes lookups go through a hash index: check that it
 * follows appends, replacements and removals. */
static void
test_item_index (void)
{
  g_autoptr(DbtItem) item = dbt_item_new ();
  g_autoptr(DbtItem) copy = NULL;
  guint i;

  for (i = 0; i < 100; i++)
    {
      g_autofree char *name = g_strdup_printf ("attr%u", i);
      g_autofree char *text = g_strdup_printf ("%u", i);
      g_autoptr(DbtValue) value = num (text);

      dbt_item_set (item, name, value);
    }
  g_assert_cmpuint (dbt_item_get_size (item), ==, 100);

  for (i = 0; i < 100; i += 2)
    {
      g_autofree char *name = g_strdup_printf ("attr%u", i);

      g_assert_true (dbt_item_remove (item, name));
    }
  g_assert_cmpuint (dbt_item_get_size (item), ==, 50);

  for (i = 0; i < 100; i++)
    {
      g_autofree char *name = g_strdup_printf ("attr%u", i);
      DbtValue *value = dbt_item_get (item, name);

      if (i % 2 == 0)
        g_assert_null (value);
      else
        {
          g_autofree char *text = g_strdup_printf ("%u", i);

          g_assert_nonnull (value);
          g_assert_cmpstr (dbt_value_get_string (value), ==, text);
        }
    }
  g_assert_cmpstr (dbt_item_get_name (item, 0), ==, "attr1");

  copy = dbt_item_copy (item);
  {
    g_autoptr(DbtValue) value = str ("new");

    dbt_item_set (copy, "attr51", value);
    g_assert_cmpuint (dbt_item_get_size (copy), ==, 50);
    g_assert_true (dbt_item_get (copy, "attr51") == value);
    g_assert_false (dbt_item_equal (item, copy));
  }

  /* Shrinking back under the threshold still finds everything. */
  for (i = 1; i < 90; i += 2)
    {
      g_autofree char *name = g_strdup_printf ("attr%u", i);

      dbt_item_remove (item, name);
    }
  g_assert_cmpuint (dbt_item_get_size (item), ==, 5);
  g_assert_nonnull (dbt_item_get (item, "attr99"));
  g_assert_null (dbt_item_get (item, "attr89"));
}

static void
test_size_bytes (void)
{
  g_autoptr(DbtItem) item = dbt_item_new ();
  g_autoptr(DbtItem) inner = dbt_item_new ();
  g_autoptr(GPtrArray) elements = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_value_unref);
  g_autoptr(GBytes) bytes = g_bytes_new ("12345", 5);
  g_autoptr(DbtValue) s = str ("héllo");                  /* 6 bytes */
  g_autoptr(DbtValue) n = num ("123.45");                 /* 5 digits: 3 + 1 */
  g_autoptr(DbtValue) n0 = num ("0");                     /* 1 + 1 */
  g_autoptr(DbtValue) b = dbt_value_new_binary (bytes);   /* 5 */
  g_autoptr(DbtValue) t = dbt_value_new_bool (TRUE);      /* 1 */
  g_autoptr(DbtValue) null = dbt_value_new_null ();       /* 1 */
  g_autoptr(DbtValue) ss = string_set (DBT_VALUE_SS, "ab", "cde", NULL);       /* 5 */
  g_autoptr(DbtValue) ns = string_set (DBT_VALUE_NS, "1", "1000", "12", NULL);  /* 2 + 2 + 2 */
  g_autoptr(DbtValue) list = NULL;
  g_autoptr(DbtValue) map = NULL;

  dbt_item_set (item, "s", s);
  g_assert_cmpuint (dbt_item_size_bytes (item), ==, 1 + 6);
  dbt_item_set (item, "n", n);
  g_assert_cmpuint (dbt_item_size_bytes (item), ==, 7 + 1 + 4);
  dbt_item_set (item, "zero", n0);
  g_assert_cmpuint (dbt_item_size_bytes (item), ==, 12 + 4 + 2);
  dbt_item_set (item, "b", b);
  dbt_item_set (item, "t", t);
  dbt_item_set (item, "nu", null);
  g_assert_cmpuint (dbt_item_size_bytes (item), ==, 18 + 6 + 2 + 3);
  dbt_item_set (item, "ss", ss);
  dbt_item_set (item, "ns", ns);
  g_assert_cmpuint (dbt_item_size_bytes (item), ==, 29 + 7 + 8);

  /* L: 3 + per element (size + 1). */
  g_ptr_array_add (elements, dbt_value_ref (s));
  g_ptr_array_add (elements, dbt_value_ref (t));
  list = dbt_value_new_list (elements);
  dbt_item_set (item, "l", list);
  g_assert_cmpuint (dbt_item_size_bytes (item), ==, 44 + 1 + 3 + 7 + 2);

  /* M: 3 + per entry (name + size + 1). */
  dbt_item_set (inner, "k", s);
  map = dbt_value_new_map (inner);
  dbt_item_set (item, "m", map);
  g_assert_cmpuint (dbt_item_size_bytes (item), ==, 57 + 1 + 3 + 1 + 6 + 1);
}

static DbtItem *
item_of_size (gsize total)
{
  DbtItem *item = dbt_item_new ();
  gsize fill = total - 2;     /* name "id" */
  char *text = g_malloc (fill + 1);
  g_autoptr(DbtValue) value = NULL;

  memset (text, 'x', fill);
  text[fill] = '\0';
  value = dbt_value_new_string (text, NULL);
  g_free (text);
  dbt_item_set (item, "id", value);
  return item;
}

static void
test_validate_size (void)
{
  g_autoptr(DbtItem) at_limit = item_of_size (DBT_ITEM_MAX_BYTES);
  g_autoptr(DbtItem) just_under = item_of_size (DBT_ITEM_MAX_BYTES - 1);
  g_autoptr(DbtItem) over = item_of_size (DBT_ITEM_MAX_BYTES + 1);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (dbt_item_size_bytes (at_limit), ==, 409600);
  g_assert_true (dbt_item_validate (just_under, &error));
  g_assert_no_error (error);
  g_assert_true (dbt_item_validate (at_limit, &error));
  g_assert_no_error (error);

  g_assert_false (dbt_item_validate (over, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "409601 bytes"));
  g_assert_nonnull (strstr (error->message, "400 KB"));
}

static DbtValue *
nest_lists (guint levels)
{
  DbtValue *value = str ("leaf");
  guint i;

  for (i = 0; i < levels; i++)
    {
      g_autoptr(GPtrArray) elements = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_value_unref);

      g_ptr_array_add (elements, value);
      value = dbt_value_new_list (elements);
    }
  return value;
}

static void
test_validate_depth_and_names (void)
{
  g_autoptr(DbtItem) ok = dbt_item_new ();
  g_autoptr(DbtItem) deep = dbt_item_new ();
  g_autoptr(DbtItem) unnamed = dbt_item_new ();
  g_autoptr(DbtItem) inner = dbt_item_new ();
  g_autoptr(DbtValue) v32 = nest_lists (32);
  g_autoptr(DbtValue) v33 = nest_lists (33);
  g_autoptr(DbtValue) s = str ("s");
  g_autoptr(DbtValue) m = NULL;
  g_autoptr(GError) error = NULL;

  dbt_item_set (ok, "a", v32);
  g_assert_true (dbt_item_validate (ok, &error));
  g_assert_no_error (error);

  dbt_item_set (deep, "a", v33);
  g_assert_false (dbt_item_validate (deep, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "a[0][0]"));
  g_assert_nonnull (strstr (error->message, "32 levels"));
  g_clear_error (&error);

  dbt_item_set (inner, "", s);
  m = dbt_value_new_map (inner);
  dbt_item_set (unnamed, "outer", m);
  g_assert_false (dbt_item_validate (unnamed, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "outer: attribute 0 has an empty name");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/value/type-tags", test_type_tags);
  g_test_add_func ("/value/scalars", test_scalars);
  g_test_add_func ("/value/sets", test_sets);
  g_test_add_func ("/value/big-sets-equal", test_big_sets_equal);
  g_test_add_func ("/value/lists-and-maps", test_lists_and_maps);
  g_test_add_func ("/item/basics", test_item_basics);
  g_test_add_func ("/item/index", test_item_index);
  g_test_add_func ("/item/size-bytes", test_size_bytes);
  g_test_add_func ("/item/validate-size", test_validate_size);
  g_test_add_func ("/item/validate-depth-and-names", test_validate_depth_and_names);

  return g_test_run ();
}
