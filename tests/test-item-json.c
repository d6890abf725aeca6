/* test-item-json.c — DynamoDB-JSON: parse, refuse bad shapes, serialise,
 * round-trip byte for byte. */
#include "dbt-value.h"
#include "dbt-error.h"

#include <string.h>

static char *
load_fixture (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  char *contents = NULL;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  /* Editors like a final newline; the canonical text has none. */
  while (len > 0 && contents[len - 1] == '\n')
    contents[--len] = '\0';
  return contents;
}

static DbtItem *
parse_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  DbtItem *item = dbt_item_parse (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (item);
  return item;
}

static void
assert_round_trip (const char *json)
{
  g_autoptr(DbtItem) item = parse_ok (json);
  g_autofree char *out = dbt_item_serialize (item);
  g_autoptr(DbtItem) again = parse_ok (out);

  g_assert_cmpstr (out, ==, json);
  g_assert_true (dbt_item_equal (item, again));
}

static void
test_round_trip_rich (void)
{
  g_autofree char *json = load_fixture ("item-rich.json");
  g_autoptr(DbtItem) item = parse_ok (json);
  DbtValue *value;
  DbtItem *address;

  assert_round_trip (json);

  /* What the parse holds, not just that it comes back. */
  g_assert_cmpuint (dbt_item_get_size (item), ==, 21);
  g_assert_cmpstr (dbt_item_get_name (item, 0), ==, "id");
  g_assert_cmpstr (dbt_item_get_name (item, 20), ==, "a.b[0]");
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (item, "n38")), ==,
                   "12345678901234567890123456789012345678");
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (item, "price")), ==, "1.50");
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (item, "text")), ==,
                   "héllo wörld ✓ 😀 \"quoted\" back\\slash\ttab\nnewline\r\b\f\001\037\177/ </script>");
  value = dbt_item_get (item, "bin");
  g_assert_cmpint (dbt_value_get_kind (value), ==, DBT_VALUE_B);
  g_assert_cmpmem (g_bytes_get_data (dbt_value_get_binary (value), NULL),
                   g_bytes_get_size (dbt_value_get_binary (value)), "\x01\x02\x03\xff", 4);
  g_assert_cmpuint (g_bytes_get_size (dbt_value_get_binary (dbt_item_get (item, "nobin"))), ==, 0);
  g_assert_cmpint (dbt_value_get_kind (dbt_item_get (item, "nothing")), ==, DBT_VALUE_NULL);
  g_assert_false (dbt_value_get_bool (dbt_item_get (item, "no")));
  value = dbt_item_get (item, "tags");
  g_assert_cmpuint (dbt_value_get_length (value), ==, 4);
  g_assert_cmpstr (dbt_value_get_member_string (value, 3), ==, "");
  value = dbt_item_get (item, "list");
  g_assert_cmpint (dbt_value_get_kind (dbt_value_get_element (value, 2)), ==, DBT_VALUE_L);
  g_assert_cmpuint (dbt_value_get_length (dbt_value_get_element (value, 3)), ==, 0);
  address = dbt_value_get_map (dbt_item_get (item, "address"));
  g_assert_cmpstr (dbt_value_get_string (dbt_value_get_element (dbt_item_get (address, "lines"), 1)), ==,
                   "Apt 2");
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (item, "ключ")), ==, "значение");
}

static void
test_round_trip_each_type (void)
{
  const char *cases[] = {
    "{}",
    "{\"s\":{\"S\":\"plain\"}}",
    "{\"s\":{\"S\":\"\"}}",
    "{\"s\":{\"S\":\"日本語 🎉 \\\"q\\\" \\\\ \\b\\f\\n\\r\\t \\u0002\\u001b\\u001f\\u007f é\"}}",
    "{\"n\":{\"N\":\"12345678901234567890123456789012345678\"}}",
    "{\"n\":{\"N\":\"-1.2345678901234567890123456789012345678E-130\"}}",
    "{\"n\":{\"N\":\"9.9999999999999999999999999999999999999E+125\"}}",
    "{\"n\":{\"N\":\"-0.000\"}}",
    "{\"n\":{\"N\":\"1e5\"}}",
    "{\"b\":{\"B\":\"AQIDBAU=\"}}",
    "{\"b\":{\"B\":\"AA==\"}}",
    "{\"b\":{\"B\":\"\"}}",
    "{\"t\":{\"BOOL\":true},\"f\":{\"BOOL\":false}}",
    "{\"z\":{\"NULL\":true}}",
    "{\"ss\":{\"SS\":[\"b\",\"a\",\"ü\"]}}",
    "{\"ns\":{\"NS\":[\"3\",\"1.5\",\"-2E+3\"]}}",
    "{\"bs\":{\"BS\":[\"AQ==\",\"AgM=\"]}}",
    "{\"l\":{\"L\":[]}}",
    "{\"l\":{\"L\":[{\"S\":\"x\"},{\"L\":[{\"N\":\"1\"}]},{\"M\":{\"k\":{\"NULL\":true}}}]}}",
    "{\"m\":{\"M\":{}}}",
    "{\"m\":{\"M\":{\"z\":{\"N\":\"1\"},\"a\":{\"M\":{\"deep\":{\"BOOL\":false}}}}}}",
    "{\"ключ\":{\"S\":\"v\"},\"with \\\"quote\\\"\":{\"S\":\"v\"},\"tab\\there\":{\"S\":\"v\"}}",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("round trip: %s", cases[i]);
      assert_round_trip (cases[i]);
    }
}

/* Non-canonical input parses to the same value; its serialisation is the
 * canonical form. */
static void
test_canonical_form (void)
{
  g_autoptr(DbtItem) item = parse_ok ("  {\n  \"b\" : { \"S\" : \"\\u00e9\\/\" } ,\n \"a\":{\"NS\":[ \"1\" ]}}  \n");
  g_autofree char *out = dbt_item_serialize (item);

  g_assert_cmpstr (out, ==, "{\"b\":{\"S\":\"é/\"},\"a\":{\"NS\":[\"1\"]}}");

  {
    g_autoptr(DbtItem) pair = parse_ok ("{\"s\":{\"S\":\"\\ud83d\\ude00\\u00E9\"}}");

    g_assert_cmpstr (dbt_value_get_string (dbt_item_get (pair, "s")), ==, "😀é");
  }
}

/* The direct writer and the JsonNode route say the same thing. */
static void
test_tree_matches_text (void)
{
  g_autofree char *json = load_fixture ("item-rich.json");
  g_autoptr(DbtItem) item = parse_ok (json);
  g_autoptr(JsonNode) tree = dbt_item_to_json (item);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtItem) from_tree = dbt_item_from_json (tree, &error);
  g_autoptr(DbtItem) plain = parse_ok ("{\"a\":{\"S\":\"x\\n\\\"y\\\" \\u0001 é\"},\"b\":{\"L\":[{\"N\":\"1.0\"},{\"BS\":[\"AQ==\"]}]},"
                                       "\"c\":{\"M\":{\"d\":{\"NULL\":true},\"e\":{\"BOOL\":false}}}}");
  g_autoptr(JsonNode) plain_tree = dbt_item_to_json (plain);
  g_autofree char *via_glib = json_to_string (plain_tree, FALSE);
  g_autofree char *direct = dbt_item_serialize (plain);

  g_assert_no_error (error);
  g_assert_true (dbt_item_equal (item, from_tree));
  g_assert_cmpstr (via_glib, ==, direct);

  {
    DbtValue *value = dbt_item_get (plain, "b");
    g_autofree char *text = dbt_value_serialize (value);
    g_autoptr(JsonNode) node = dbt_value_to_json (value);
    g_autoptr(DbtValue) back = dbt_value_from_json (node, &error);

    g_assert_cmpstr (text, ==, "{\"L\":[{\"N\":\"1.0\"},{\"BS\":[\"AQ==\"]}]}");
    g_assert_no_error (error);
    g_assert_true (dbt_value_equal (value, back));
  }
}

typedef struct
{
  const char *json;
  const char *message;   /* exact, or a substring when it starts with '~' */
} BadCase;

static void
check_bad (const BadCase *cases,
           guint          n)
{
  guint i;

  for (i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *copy = g_strdup (cases[i].json);
      g_autoptr(DbtItem) item = dbt_item_parse (copy, -1, &error);
      g_autofree char *shown = g_strescape (cases[i].json, NULL);

      g_test_message ("bad: %s", shown);
      g_assert_null (item);
      g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
      if (cases[i].message[0] == '~')
        {
          if (strstr (error->message, cases[i].message + 1) == NULL)
            g_error ("%s: message \"%s\" lacks \"%s\"", cases[i].json, error->message, cases[i].message + 1);
        }
      else
        g_assert_cmpstr (error->message, ==, cases[i].message);
      /* The caller's text is untouched. */
      g_assert_cmpstr (copy, ==, cases[i].json);
    }
}

static void
test_bad_shapes (void)
{
  static const BadCase cases[] = {
    { "[]", "item: expected a JSON object of attributes, got an array" },
    { "\"x\"", "JSON text must be an object, not a string" },
    { "null", "JSON text must be an object, not a scalar" },
    { " 12{\"a\":{\"S\":\"x\"}}", "JSON text must be an object, not a scalar" },
    { "", "item is empty" },
    { " \n ", "item is empty" },
    { "{\"a\":{\"S\":5}}", "a: S value must be a JSON string, got a number" },
    { "{\"a\":{\"S\":null}}", "a: S value must be a JSON string, got null" },
    { "{\"a\":{\"N\":1}}", "a: N value must be a JSON string, got a number" },
    { "{\"a\":{\"N\":1.5}}", "a: N value must be a JSON string, got a number" },
    { "{\"a\":{\"N\":\"x\"}}", "a: N value \"x\" is not a number" },
    { "{\"a\":{\"N\":\"NaN\"}}", "a: N value \"NaN\" is not a number" },
    { "{\"a\":{\"N\":\"1e200\"}}", "~a: N value \"1e200\" is out of range" },
    { "{\"a\":{\"S\":\"x\",\"N\":\"1\"}}", "a: value has 2 type tags (\"S\", \"N\"), expected exactly one" },
    { "{\"a\":{}}", "~a: value has no type tag" },
    { "{\"a\":{\"STRING\":\"x\"}}", "~a: unknown type tag \"STRING\"" },
    { "{\"a\":{\"s\":\"x\"}}", "~a: unknown type tag \"s\"" },
    { "{\"a\":\"x\"}", "~a: expected a DynamoDB-JSON value such as {\"S\": \"text\"}, got a string" },
    { "{\"a\":[]}", "~a: expected a DynamoDB-JSON value such as {\"S\": \"text\"}, got an array" },
    { "{\"a\":{\"NULL\":false}}", "a: NULL value must be true, got false" },
    { "{\"a\":{\"NULL\":\"true\"}}", "a: NULL value must be true, got a string" },
    { "{\"a\":{\"BOOL\":\"true\"}}", "a: BOOL value must be true or false, got a string" },
    { "{\"a\":{\"BOOL\":1}}", "a: BOOL value must be true or false, got a number" },
    { "{\"a\":{\"B\":\"AQI\"}}", "a: B value \"AQI\" is not valid base64" },
    { "{\"a\":{\"B\":\"A=QI\"}}", "a: B value \"A=QI\" is not valid base64" },
    { "{\"a\":{\"B\":\"AQ I=\"}}", "a: B value \"AQ I=\" is not valid base64" },
    { "{\"a\":{\"B\":\"A===\"}}", "a: B value \"A===\" is not valid base64" },
    { "{\"a\":{\"B\":\"AQ-_\"}}", "a: B value \"AQ-_\" is not valid base64" },
    { "{\"a\":{\"B\":1}}", "a: B value must be a JSON string, got a number" },
    { "{\"a\":{\"SS\":[]}}", "a: SS set is empty (DynamoDB sets need at least one member)" },
    { "{\"a\":{\"NS\":[]}}", "a: NS set is empty (DynamoDB sets need at least one member)" },
    { "{\"a\":{\"BS\":[]}}", "a: BS set is empty (DynamoDB sets need at least one member)" },
    { "{\"a\":{\"SS\":\"x\"}}", "a: SS value must be a JSON array, got a string" },
    { "{\"a\":{\"SS\":[\"x\",\"x\"]}}", "a: SS member \"x\" is a duplicate (set members must be unique)" },
    { "{\"a\":{\"NS\":[\"1\",\"1.0\"]}}", "a: NS member \"1.0\" is a duplicate (set members must be unique)" },
    { "{\"a\":{\"BS\":[\"AQ==\",\"AQ==\"]}}", "a: BS member \"AQ==\" is a duplicate (set members must be unique)" },
    { "{\"a\":{\"NS\":[1]}}", "a: NS member 0 must be a JSON string, got a number" },
    { "{\"a\":{\"SS\":[\"x\",null]}}", "a: SS member 1 must be a JSON string, got null" },
    { "{\"a\":{\"BS\":[\"!!!!\"]}}", "a: BS member \"!!!!\" is not valid base64" },
    { "{\"a\":{\"L\":{}}}", "a: L value must be a JSON array, got an object" },
    { "{\"a\":{\"M\":[]}}", "a: M value must be a JSON object, got an array" },
    { "{\"\":{\"S\":\"x\"}}", "item: attribute 0 has an empty name" },
    { "{\"a\":{\"M\":{\"\":{\"S\":\"x\"}}}}", "a: attribute 0 has an empty name" },
    /* The path names where the fault is. */
    { "{\"address\":{\"M\":{\"lines\":{\"L\":[{\"S\":\"a\"},{\"S\":\"b\"},{\"NS\":[\"1\",\"x\"]}]}}}}",
      "address.lines[2]: NS member \"x\" is not a number" },
    { "{\"ok\":{\"S\":\"a\"},\"l\":{\"L\":[{\"M\":{\"k\":{\"N\":\"--1\"}}}]}}",
      "l[0].k: N value \"--1\" is not a number" },
    /* JSON-level faults. */
    { "{\"a\":{\"S\":\"x\"}", "JSON text ends early: expected ',' or '}'" },
    { "{\"a\":{\"S\":\"x\"},}", "JSON text is malformed at offset 15: expected a member name in quotes" },
    { "{\"a\":{\"L\":[{\"S\":\"x\"},]}}", "JSON text is malformed at offset 21: expected a value" },
    { "{'a':{\"S\":\"x\"}}", "JSON text is malformed at offset 1: expected a member name in quotes" },
    { "{\"a\" {\"S\":\"x\"}}", "JSON text is malformed at offset 5: expected ':'" },
    { "{\"a\":{\"S\":\"x\"} /* note */}", "JSON text is malformed at offset 15: expected ',' or '}'" },
    { "{\"a\":{\"S\":\"tab\there\"}}", "~JSON text is malformed at offset 14: expected an escape" },
    { "{\"a\":{\"L\":[01]}}", "JSON text is malformed at offset 12: expected ',' or ']'" },
    { "{\"a\":{\"L\":[-]}}", "JSON text is malformed at offset 12: expected a value" },
    { "{\"a\":{\"L\":[1.]}}", "JSON text is malformed at offset 13: expected digits after the decimal point" },
    { "{\"a\":{\"L\":[NaN]}}", "JSON text is malformed at offset 11: expected a value" },
    { "{\"a\":{\"BOOL\":tru}}", "JSON text is malformed at offset 13: expected a value" },
    { "{\"a\":{\"S\":\"x\"}} {}", "~JSON text has data after its end, at offset 16" },
    { "{\"a\":{\"S\":\"x\"}}]", "~JSON text has data after its end" },
    { "{\"a\":{\"S\":\"x\\u0000y\"}}", "~\\u0000 character in a string at offset 12" },
    { "{\"a\":{\"S\":\"\xff\"}}", "JSON text is not valid UTF-8 (bad byte 0xff at offset 11)" },
    { "{\"a\":{\"S\":\"\xc3\"}}", "~JSON text is not valid UTF-8" },
    { "{\"a\":{\"S\":\"\\ud800\"}}", "JSON text has an unpaired UTF-16 surrogate \\ud800 at offset 11" },
    { "{\"a\":{\"S\":\"\\udc00\\ud83d\"}}", "JSON text has an unpaired UTF-16 surrogate \\udc00 at offset 11" },
    { "{\"a\":{\"S\":\"\\ud83d\\udl00\"}}", "JSON text has an unpaired UTF-16 surrogate \\ud83d at offset 11" },
    { "{\"a\":{\"S\":\"\\ud83dx\"}}", "JSON text has an unpaired UTF-16 surrogate \\ud83d at offset 11" },
    { "{\"a\":{\"S\":\"\\u12\"}}", "JSON text has an invalid \\u escape at offset 11" },
    { "{\"a\":{\"S\":\"\\x41\"}}", "JSON text has an invalid escape at offset 11" },
    { "{\"a\":{\"S\":\"\\", "JSON text ends early: expected the end of a string" },
  };

  check_bad (cases, G_N_ELEMENTS (cases));
}

static void
test_length_argument (void)
{
  const char *json = "{\"a\":{\"S\":\"x\"}}garbage";
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtItem) item = dbt_item_parse (json, 15, &error);
  g_autoptr(DbtItem) with_nul = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (item, "a")), ==, "x");

  /* A NUL inside the given length is refused, not taken as the end. */
  with_nul = dbt_item_parse ("{\"a\":{\"S\":\"x\"}}\0{", 17, &error);
  g_assert_null (with_nul);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
}

static char *
nested_lists (guint levels)
{
  GString *json = g_string_new ("{\"a\":");
  guint i;

  for (i = 0; i < levels; i++)
    g_string_append (json, "{\"L\":[");
  g_string_append (json, "{\"S\":\"leaf\"}");
  for (i = 0; i < levels; i++)
    g_string_append (json, "]}");
  g_string_append_c (json, '}');
  return g_string_free (json, FALSE);
}

static void
test_depth (void)
{
  g_autofree char *ok_json = nested_lists (32);
  g_autofree char *deep_json = nested_lists (33);
  g_autoptr(DbtItem) ok = parse_ok (ok_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtItem) deep = dbt_item_parse (deep_json, -1, &error);
  g_autofree char *serialized = dbt_item_serialize (ok);

  g_assert_true (dbt_item_validate (ok, NULL));
  g_assert_cmpstr (serialized, ==, ok_json);

  g_assert_null (deep);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "nested more than 32 levels deep"));
  /* Path of the 33rd container: a then 32 times [0]. */
  g_assert_true (g_str_has_prefix (error->message, "a[0][0]"));
  g_clear_error (&error);

  /* Far deeper text is refused before json-glib recurses into it. */
  {
    gsize n = 200000;
    char *brackets = g_malloc (n + 1);
    g_autoptr(DbtItem) none = NULL;

    memset (brackets, '[', n);
    brackets[n] = '\0';
    none = dbt_item_parse (brackets, -1, &error);
    g_free (brackets);
    g_assert_null (none);
    g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "nests deeper than"));
  }
}

static void
test_value_from_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string ("{\"NS\":[\"1\",\"2\"]}", &error);
  g_autoptr(JsonNode) bad_node = json_from_string ("{\"NS\":[\"1\",\"y\"]}", &error);
  g_autoptr(DbtValue) value = dbt_value_from_json (node, &error);
  g_autoptr(DbtValue) bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (dbt_value_get_kind (value), ==, DBT_VALUE_NS);
  g_assert_cmpuint (dbt_value_get_length (value), ==, 2);

  bad = dbt_value_from_json (bad_node, &error);
  g_assert_null (bad);
  g_assert_cmpstr (error->message, ==, "NS member \"y\" is not a number");
}

/* A big item parses and serialises in linear time: 20,000 attributes and a
 * 20,000-member set, far above anything quadratic could do in the time limit. */
static void
test_big_item (void)
{
  GString *json = g_string_new ("{");
  g_autoptr(DbtItem) item = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  guint i;

  for (i = 0; i < 20000; i++)
    g_string_append_printf (json, "\"attr%u\":{\"N\":\"%u\"},", i, i);
  g_string_append (json, "\"set\":{\"NS\":[");
  for (i = 0; i < 20000; i++)
    g_string_append_printf (json, "%s\"%u.5\"", i > 0 ? "," : "", i);
  g_string_append (json, "]}}");

  item = parse_ok (json->str);
  out = dbt_item_serialize (item);
  g_assert_cmpstr (out, ==, json->str);
  g_assert_cmpuint (dbt_item_get_size (item), ==, 20001);
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (item, "attr19999")), ==, "19999");
  g_test_message ("20,001 attributes: %.3f s", g_timer_elapsed (timer, NULL));
  g_string_free (json, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/item-json/round-trip-rich", test_round_trip_rich);
  g_test_add_func ("/item-json/round-trip-each-type", test_round_trip_each_type);
  g_test_add_func ("/item-json/canonical-form", test_canonical_form);
  g_test_add_func ("/item-json/tree-matches-text", test_tree_matches_text);
  g_test_add_func ("/item-json/bad-shapes", test_bad_shapes);
  g_test_add_func ("/item-json/length-argument", test_length_argument);
  g_test_add_func ("/item-json/depth", test_depth);
  g_test_add_func ("/item-json/value-from-json", test_value_from_json);
  g_test_add_func ("/item-json/big-item", test_big_item);

  return g_test_run ();
}
