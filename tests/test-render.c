/* test-render.c — values as people read them. */
#include "dbt-value.h"
#include "dbt-error.h"

#include <string.h>

static char *
render_json (const char *value_json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *item_json = g_strdup_printf ("{\"v\":%s}", value_json);
  g_autoptr(DbtItem) item = dbt_item_parse (item_json, -1, &error);

  g_assert_no_error (error);
  return dbt_value_render (dbt_item_get (item, "v"));
}

static void
check (const char *value_json,
       const char *expected)
{
  g_autofree char *text = render_json (value_json);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_render_scalars (void)
{
  check ("{\"S\":\"hello\"}", "\"hello\"");
  check ("{\"S\":\"\"}", "\"\"");
  check ("{\"S\":\"a \\\"b\\\" c\\\\d\"}", "\"a \\\"b\\\" c\\\\d\"");
  check ("{\"S\":\"line\\nnext\\ttab\\r\\u0001\\u007f\"}", "\"line\\nnext\\ttab\\r\\u0001\\u007f\"");
  check ("{\"S\":\"héllo ✓ 😀\"}", "\"héllo ✓ 😀\"");
  /* Numbers exactly as stored, type visible by the missing quotes. */
  check ("{\"N\":\"1.50\"}", "1.50");
  check ("{\"N\":\"-1.2345678901234567890123456789012345678E-130\"}",
         "-1.2345678901234567890123456789012345678E-130");
  check ("{\"BOOL\":true}", "true");
  check ("{\"BOOL\":false}", "false");
  check ("{\"NULL\":true}", "null");
  check ("{\"B\":\"AQID\"}", "<binary 3 bytes AQID>");
  check ("{\"B\":\"AQ==\"}", "<binary 1 byte AQ==>");
  check ("{\"B\":\"\"}", "<binary 0 bytes>");
}

static void
test_render_long (void)
{
  g_autofree char *long_text = g_strnfill (5000, 'x');
  g_autofree char *json = g_strdup_printf ("{\"S\":\"%s\"}", long_text);
  g_autofree char *rendered = render_json (json);
  guint8 data[100];
  guint i;

  /* Long strings are not cut. */
  g_assert_cmpuint (strlen (rendered), ==, 5002);

  for (i = 0; i < sizeof data; i++)
    data[i] = (guint8) i;

  /* 64 bytes: whole. 65 and more: the first 48 bytes and the size. */
  {
    g_autofree char *b64 = g_base64_encode (data, 64);
    g_autofree char *value = g_strdup_printf ("{\"B\":\"%s\"}", b64);
    g_autofree char *expected = g_strdup_printf ("<binary 64 bytes %s>", b64);

    check (value, expected);
  }
  {
    g_autofree char *b64 = g_base64_encode (data, 100);
    g_autofree char *shown = g_base64_encode (data, 48);
    g_autofree char *value = g_strdup_printf ("{\"B\":\"%s\"}", b64);
    g_autofree char *expected = g_strdup_printf ("<binary 100 bytes %s…>", shown);

    check (value, expected);
  }
}

static void
test_render_containers (void)
{
  check ("{\"SS\":[\"a\",\"b c\"]}", "{\"a\", \"b c\"}");
  check ("{\"NS\":[\"1\",\"2.50\"]}", "{1, 2.50}");
  check ("{\"BS\":[\"AQ==\",\"AgM=\"]}", "{<binary 1 byte AQ==>, <binary 2 bytes AgM=>}");
  check ("{\"L\":[]}", "[]");
  check ("{\"M\":{}}", "{}");
  check ("{\"L\":[{\"S\":\"a\"},{\"N\":\"1\"},{\"NULL\":true},{\"L\":[{\"BOOL\":false}]}]}",
         "[\"a\", 1, null, [false]]");
  check ("{\"M\":{\"city\":{\"S\":\"Paris\"},\"zip\":{\"N\":\"75001\"},\"geo\":{\"M\":{\"lat\":{\"N\":\"48.8\"}}}}}",
         "{city: \"Paris\", zip: 75001, geo: {lat: 48.8}}");
  /* Names that could be misread are quoted. */
  check ("{\"M\":{\"a b\":{\"N\":\"1\"},\"x:y\":{\"N\":\"2\"},\"snake_case-1\":{\"N\":\"3\"}}}",
         "{\"a b\": 1, \"x:y\": 2, snake_case-1: 3}");
}

static void
test_render_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtItem) keys = dbt_item_parse ("{\"id\":{\"S\":\"a-1\"},\"sk\":{\"N\":\"7\"}}", -1, &error);
  g_autoptr(DbtItem) one = dbt_item_parse ("{\"pk\":{\"B\":\"AQI=\"}}", -1, &error);
  g_autoptr(DbtItem) empty = dbt_item_new ();
  g_autofree char *text = NULL;
  g_autofree char *text_one = NULL;
  g_autofree char *text_empty = NULL;

  g_assert_no_error (error);
  text = dbt_item_render_key (keys);
  g_assert_cmpstr (text, ==, "id=\"a-1\", sk=7");
  text_one = dbt_item_render_key (one);
  g_assert_cmpstr (text_one, ==, "pk=<binary 2 bytes AQI=>");
  text_empty = dbt_item_render_key (empty);
  g_assert_cmpstr (text_empty, ==, "");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/scalars", test_render_scalars);
  g_test_add_func ("/render/long", test_render_long);
  g_test_add_func ("/render/containers", test_render_containers);
  g_test_add_func ("/render/key", test_render_key);

  return g_test_run ();
}
