/* test-diff.c — item diff: kinds, nested paths, ignored attributes,
 * DynamoDB equality, order. */
#include "dbt-value.h"
#include "dbt-error.h"

#include <string.h>

static DbtItem *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  DbtItem *item = dbt_item_parse (json, -1, &error);

  g_assert_no_error (error);
  return item;
}

/* The changes as one line each: "+path new", "-path old", "~path old -> new",
 * values in DynamoDB-JSON, so a test states the whole outcome. */
static char *
describe (GPtrArray *changes)
{
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < changes->len; i++)
    {
      DbtChange *change = g_ptr_array_index (changes, i);
      g_autofree char *old_text = change->old_value ? dbt_value_serialize (change->old_value) : NULL;
      g_autofree char *new_text = change->new_value ? dbt_value_serialize (change->new_value) : NULL;

      switch (change->kind)
        {
        case DBT_CHANGE_ADDED:
          g_assert_null (change->old_value);
          g_string_append_printf (out, "+%s %s\n", change->path, new_text);
          break;
        case DBT_CHANGE_REMOVED:
          g_assert_null (change->new_value);
          g_string_append_printf (out, "-%s %s\n", change->path, old_text);
          break;
        case DBT_CHANGE_MODIFIED:
          g_assert_nonnull (change->old_value);
          g_assert_nonnull (change->new_value);
          g_string_append_printf (out, "~%s %s -> %s\n", change->path, old_text, new_text);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return g_string_free (out, FALSE);
}

static void
check_diff (const char        *old_json,
            const char        *new_json,
            const char *const *ignored,
            const char        *expected)
{
  g_autoptr(DbtItem) old_item = old_json ? parse (old_json) : NULL;
  g_autoptr(DbtItem) new_item = new_json ? parse (new_json) : NULL;
  g_autoptr(GPtrArray) changes = dbt_item_diff (old_item, new_item, ignored);
  g_autofree char *text = describe (changes);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_diff_identical (void)
{
  const char *item = "{\"id\":{\"S\":\"a\"},\"m\":{\"M\":{\"x\":{\"L\":[{\"N\":\"1\"}]}}},\"s\":{\"SS\":[\"a\",\"b\"]}}";

  check_diff (item, item, NULL, "");
  check_diff (NULL, NULL, NULL, "");
  check_diff ("{}", "{}", NULL, "");
}

static void
test_diff_insert_and_remove (void)
{
  check_diff (NULL, "{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"1\"}}", NULL,
              "+id {\"S\":\"a\"}\n+n {\"N\":\"1\"}\n");
  check_diff ("{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"1\"}}", NULL, NULL,
              "-id {\"S\":\"a\"}\n-n {\"N\":\"1\"}\n");
}

static void
test_diff_kinds_and_order (void)
{
  /* New item's order first, then removals in the old item's order. */
  check_diff ("{\"gone1\":{\"S\":\"x\"},\"id\":{\"S\":\"a\"},\"v\":{\"N\":\"1\"},\"gone2\":{\"BOOL\":true}}",
              "{\"added\":{\"NULL\":true},\"v\":{\"N\":\"2\"},\"id\":{\"S\":\"a\"},\"also\":{\"S\":\"y\"}}",
              NULL,
              "+added {\"NULL\":true}\n"
              "~v {\"N\":\"1\"} -> {\"N\":\"2\"}\n"
              "+also {\"S\":\"y\"}\n"
              "-gone1 {\"S\":\"x\"}\n"
              "-gone2 {\"BOOL\":true}\n");
}

static void
test_diff_dynamodb_equality (void)
{
  /* Numbers by value, sets in any order: no change. */
  check_diff ("{\"n\":{\"N\":\"1.0\"},\"ns\":{\"NS\":[\"1\",\"2\"]},\"ss\":{\"SS\":[\"a\",\"b\"]},\"bs\":{\"BS\":[\"AQ==\",\"Ag==\"]}}",
              "{\"n\":{\"N\":\"1\"},\"ns\":{\"NS\":[\"2.00\",\"1E0\"]},\"ss\":{\"SS\":[\"b\",\"a\"]},\"bs\":{\"BS\":[\"Ag==\",\"AQ==\"]}}",
              NULL, "");
  /* A set that changes is one change of the whole set. */
  check_diff ("{\"ss\":{\"SS\":[\"a\",\"b\"]}}", "{\"ss\":{\"SS\":[\"a\",\"c\"]}}", NULL,
              "~ss {\"SS\":[\"a\",\"b\"]} -> {\"SS\":[\"a\",\"c\"]}\n");
  /* Type changes are changes even when the text is the same. */
  check_diff ("{\"v\":{\"S\":\"1\"}}", "{\"v\":{\"N\":\"1\"}}", NULL,
              "~v {\"S\":\"1\"} -> {\"N\":\"1\"}\n");
  check_diff ("{\"v\":{\"SS\":[\"1\"]}}", "{\"v\":{\"NS\":[\"1\"]}}", NULL,
              "~v {\"SS\":[\"1\"]} -> {\"NS\":[\"1\"]}\n");
  /* 38 digits are compared exactly. */
  check_diff ("{\"n\":{\"N\":\"12345678901234567890123456789012345678\"}}",
              "{\"n\":{\"N\":\"12345678901234567890123456789012345679\"}}", NULL,
              "~n {\"N\":\"12345678901234567890123456789012345678\"} -> {\"N\":\"12345678901234567890123456789012345679\"}\n");
  check_diff ("{\"b\":{\"B\":\"AQI=\"}}", "{\"b\":{\"B\":\"AQM=\"}}", NULL,
              "~b {\"B\":\"AQI=\"} -> {\"B\":\"AQM=\"}\n");
}

static void
test_diff_nested (void)
{
  check_diff ("{\"address\":{\"M\":{\"city\":{\"S\":\"Paris\"},\"zip\":{\"N\":\"75001\"},\"geo\":{\"M\":{\"lat\":{\"N\":\"48.8\"}}}}}}",
              "{\"address\":{\"M\":{\"city\":{\"S\":\"Lyon\"},\"geo\":{\"M\":{\"lat\":{\"N\":\"45.7\"},\"lon\":{\"N\":\"4.8\"}}},\"zip\":{\"N\":\"75001.0\"}}}}",
              NULL,
              "~address.city {\"S\":\"Paris\"} -> {\"S\":\"Lyon\"}\n"
              "~address.geo.lat {\"N\":\"48.8\"} -> {\"N\":\"45.7\"}\n"
              "+address.geo.lon {\"N\":\"4.8\"}\n");

  /* Lists of equal length: element by element, into maps inside. */
  check_diff ("{\"lines\":{\"L\":[{\"S\":\"a\"},{\"M\":{\"k\":{\"N\":\"1\"}}},{\"S\":\"c\"}]}}",
              "{\"lines\":{\"L\":[{\"S\":\"a\"},{\"M\":{\"k\":{\"N\":\"2\"}}},{\"S\":\"C\"}]}}",
              NULL,
              "~lines[1].k {\"N\":\"1\"} -> {\"N\":\"2\"}\n"
              "~lines[2] {\"S\":\"c\"} -> {\"S\":\"C\"}\n");

  /* Lists that change length: the whole list. */
  check_diff ("{\"l\":{\"L\":[{\"S\":\"a\"}]}}",
              "{\"l\":{\"L\":[{\"S\":\"a\"},{\"S\":\"b\"}]}}",
              NULL,
              "~l {\"L\":[{\"S\":\"a\"}]} -> {\"L\":[{\"S\":\"a\"},{\"S\":\"b\"}]}\n");

  /* Map became a list: the whole value. */
  check_diff ("{\"x\":{\"M\":{\"a\":{\"S\":\"1\"}}}}", "{\"x\":{\"L\":[{\"S\":\"1\"}]}}", NULL,
              "~x {\"M\":{\"a\":{\"S\":\"1\"}}} -> {\"L\":[{\"S\":\"1\"}]}\n");

  /* Removal deep inside a map. */
  check_diff ("{\"m\":{\"M\":{\"a\":{\"S\":\"1\"},\"b\":{\"S\":\"2\"}}}}",
              "{\"m\":{\"M\":{\"a\":{\"S\":\"1\"}}}}", NULL,
              "-m.b {\"S\":\"2\"}\n");
}

static void
test_diff_ignored (void)
{
  const char *ignored[] = { "updatedAt", "version", NULL };

  check_diff ("{\"id\":{\"S\":\"a\"},\"updatedAt\":{\"S\":\"2024-01-01\"},\"version\":{\"N\":\"1\"}}",
              "{\"id\":{\"S\":\"a\"},\"updatedAt\":{\"S\":\"2024-01-02\"},\"version\":{\"N\":\"2\"}}",
              ignored, "");
  /* Ignored when added or removed too. */
  check_diff ("{\"id\":{\"S\":\"a\"},\"version\":{\"N\":\"1\"}}",
              "{\"id\":{\"S\":\"a\"},\"updatedAt\":{\"S\":\"now\"}}",
              ignored, "");
  /* Only top-level names are ignored: a nested "updatedAt" is data. */
  check_diff ("{\"m\":{\"M\":{\"updatedAt\":{\"S\":\"1\"}}}}",
              "{\"m\":{\"M\":{\"updatedAt\":{\"S\":\"2\"}}}}",
              ignored,
              "~m.updatedAt {\"S\":\"1\"} -> {\"S\":\"2\"}\n");
  /* Other changes still show. */
  check_diff ("{\"id\":{\"S\":\"a\"},\"updatedAt\":{\"S\":\"1\"},\"owner\":{\"S\":\"A\"}}",
              "{\"id\":{\"S\":\"a\"},\"updatedAt\":{\"S\":\"2\"},\"owner\":{\"S\":\"B\"}}",
              ignored,
              "~owner {\"S\":\"A\"} -> {\"S\":\"B\"}\n");
}

static void
test_diff_values_are_shared (void)
{
  g_autoptr(DbtItem) old_item = parse ("{\"a\":{\"S\":\"x\"}}");
  g_autoptr(DbtItem) new_item = parse ("{\"a\":{\"S\":\"y\"}}");
  g_autoptr(GPtrArray) changes = dbt_item_diff (old_item, new_item, NULL);
  DbtChange *change;

  g_assert_cmpuint (changes->len, ==, 1);
  change = g_ptr_array_index (changes, 0);
  g_assert_cmpint (change->kind, ==, DBT_CHANGE_MODIFIED);
  g_assert_cmpstr (change->path, ==, "a");
  /* The very values of the items, held by reference. */
  g_assert_true (change->old_value == dbt_item_get (old_item, "a"));
  g_assert_true (change->new_value == dbt_item_get (new_item, "a"));

  /* Changes outlive the items. */
  g_clear_pointer (&old_item, dbt_item_unref);
  g_clear_pointer (&new_item, dbt_item_unref);
  g_assert_cmpstr (dbt_value_get_string (change->old_value), ==, "x");
}

/* Large items diff in linear time (the index makes lookups O(1)). */
static void
test_diff_large (void)
{
  g_autoptr(DbtItem) old_item = dbt_item_new ();
  g_autoptr(DbtItem) new_item = dbt_item_new ();
  g_autoptr(GPtrArray) changes = NULL;
  guint i;

  for (i = 0; i < 50000; i++)
    {
      g_autofree char *name = g_strdup_printf ("a%u", i);
      g_autofree char *text = g_strdup_printf ("%u", i);
      g_autofree char *changed = g_strdup_printf ("%u", i % 1000 == 0 ? i + 1 : i);
      g_autoptr(DbtValue) old_value = dbt_value_new_number (text, NULL);
      g_autoptr(DbtValue) new_value = dbt_value_new_number (changed, NULL);

      dbt_item_set (old_item, name, old_value);
      dbt_item_set (new_item, name, new_value);
    }
  changes = dbt_item_diff (old_item, new_item, NULL);
  g_assert_cmpuint (changes->len, ==, 50);
  g_assert_cmpstr (((DbtChange *) g_ptr_array_index (changes, 1))->path, ==, "a1000");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/diff/identical", test_diff_identical);
  g_test_add_func ("/diff/insert-and-remove", test_diff_insert_and_remove);
  g_test_add_func ("/diff/kinds-and-order", test_diff_kinds_and_order);
  g_test_add_func ("/diff/dynamodb-equality", test_diff_dynamodb_equality);
  g_test_add_func ("/diff/nested", test_diff_nested);
  g_test_add_func ("/diff/ignored", test_diff_ignored);
  g_test_add_func ("/diff/values-are-shared", test_diff_values_are_shared);
  g_test_add_func ("/diff/large", test_diff_large);

  return g_test_run ();
}
