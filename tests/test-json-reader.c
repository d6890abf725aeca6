/* test-json-reader.c — the one-pass JSON reader and the parsers built on it:
 * the same rules and messages as dbt_json_check(), unescaped strings, and
 * outcomes that agree with the json-glib tree route. */
#include "dbt-json-reader.h"
#include "dbt-stream-record.h"
#include "dbt-error.h"

#include <string.h>

static char *
load_fixture (const char *name,
              gsize      *len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  char *contents = NULL;

  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);
  return contents;
}

/* Every string value of the text, unescaped, joined with '|'. */
static char *
read_strings (const char *json,
              GError    **error)
{
  g_autoptr(GString) string = g_string_new (NULL);
  g_autoptr(GString) joined = g_string_new (NULL);
  DbtJsonReader reader;
  gboolean more;

  if (!dbt_json_reader_init (&reader, json, strlen (json), 8, string, error)
      || !dbt_json_reader_enter (&reader, ']', &more))
    return NULL;
  while (more)
    {
      if (dbt_json_reader_peek (&reader) != DBT_JSON_STRING)
        {
          if (!dbt_json_reader_skip (&reader))
            return NULL;
        }
      else
        {
          if (!dbt_json_reader_read_string (&reader))
            return NULL;
          if (joined->len > 0)
            g_string_append_c (joined, '|');
          g_string_append_len (joined, string->str, string->len);
        }
      if (!dbt_json_reader_next (&reader, ']', &more))
        return NULL;
    }
  if (!dbt_json_reader_finish (&reader))
    return NULL;
  return g_strdup (joined->str);
}

static void
test_unescaping (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *strings = NULL;

  strings = read_strings ("[\"plain\", \"caf\\u00e9\", \"\\ud83d\\ude00\", \"\\\"\\\\\\/\\b\\f\\n\\r\\t\","
                          " 1, true, null, {\"a\": [\"skipped\"]}, \"Zürich\", \"\"]", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (strings, ==, "plain|café|\xf0\x9f\x98\x80|\"\\/\b\f\n\r\t|Zürich|");
}

/* The reader fails where dbt_json_check() fails, with the same message. */
static void
test_same_errors_as_check (void)
{
  static const struct
  {
    const char *json;
    const char *message;
  } cases[] = {
    { "[\"a\\u0000\"]", "JSON text has a \\u0000 character in a string at offset 3 (not supported)" },
    { "[\"\\ud800x\"]", "JSON text has an unpaired UTF-16 surrogate \\ud800 at offset 2" },
    { "[\"\\udc00\"]", "JSON text has an unpaired UTF-16 surrogate \\udc00 at offset 2" },
    { "[\"\\x\"]", "JSON text has an invalid escape at offset 2" },
    { "[\"\\u12\"]", "JSON text has an invalid \\u escape at offset 2" },
    { "[\"a\tb\"]", "JSON text is malformed at offset 3: expected an escape (\\n, \\u0001...) instead of a raw control character" },
    { "[\"abc", "JSON text ends early: expected the end of a string" },
    { "[\"abc\\", "JSON text ends early: expected the end of a string" },
    { "[1,]", "JSON text is malformed at offset 3: expected a value" },
    { "[1.]", "JSON text is malformed at offset 3: expected digits after the decimal point" },
    { "[1e+]", "JSON text is malformed at offset 4: expected exponent digits" },
    { "[tru]", "JSON text is malformed at offset 1: expected a value" },
    { "[1 2]", "JSON text is malformed at offset 3: expected ',' or ']'" },
    { "[\"a\" ", "JSON text ends early: expected ',' or ']'" },
    { "[\xff]", "JSON text is not valid UTF-8 (bad byte 0xff at offset 1)" },
    { "[1] x", "JSON text has data after its end, at offset 4" },
    { "\"a\"", "JSON text must be an object, not a string" },
    { "[[[[[[[[[1]]]]]]]]]", "JSON text nests deeper than 8 levels (offset 8)" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) check_error = NULL;
      g_autoptr(GError) reader_error = NULL;
      g_autofree char *strings = NULL;

      g_assert_false (dbt_json_check (cases[i].json, strlen (cases[i].json), 8, &check_error));
      g_assert_error (check_error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
      g_assert_cmpstr (check_error->message, ==, cases[i].message);

      strings = read_strings (cases[i].json, &reader_error);
      g_assert_null (strings);
      g_assert_nonnull (reader_error);
      g_assert_cmpstr (reader_error->message, ==, cases[i].message);
    }

  /* Object grammar, through the check (the reader's only walker here). */
  {
    static const struct
    {
      const char *json;
      const char *message;
    } objects[] = {
      { "{\"a\" 1}", "JSON text is malformed at offset 5: expected ':'" },
      { "{\"a\":1,}", "JSON text is malformed at offset 7: expected a member name in quotes" },
      { "{\"a\":1 \"b\"}", "JSON text is malformed at offset 7: expected ',' or '}'" },
      { "{", "JSON text ends early: expected a member name in quotes" },
    };

    for (i = 0; i < G_N_ELEMENTS (objects); i++)
      {
        g_autoptr(GError) error = NULL;

        g_assert_false (dbt_json_check (objects[i].json, strlen (objects[i].json), 8, &error));
        g_assert_cmpstr (error->message, ==, objects[i].message);
      }
  }
}

static void
assert_item_outcome (const char        *json,
                     DbtJsonReadOutcome expected)
{
  g_autoptr(GError) one_error = NULL;
  g_autoptr(GError) tree_error = NULL;
  g_autoptr(GError) public_error = NULL;
  g_autoptr(DbtItem) one = NULL;
  g_autoptr(DbtItem) tree = dbt_item_parse_tree (json, -1, &tree_error);
  g_autoptr(DbtItem) public = dbt_item_parse (json, -1, &public_error);
  DbtJsonReadOutcome outcome;

  one = dbt_item_parse_one_pass (json, strlen (json), &outcome, &one_error);
  if (outcome != expected)
    g_error ("%s: outcome %d, expected %d", json, outcome, expected);

  if (tree != NULL)
    {
      g_autofree char *tree_text = dbt_item_serialize (tree);
      g_autofree char *public_text = dbt_item_serialize (public);

      g_assert_cmpstr (public_text, ==, tree_text);
      if (one != NULL)
        {
          g_autofree char *one_text = dbt_item_serialize (one);

          g_assert_cmpstr (one_text, ==, tree_text);
          g_assert_true (dbt_item_equal (one, tree));
        }
    }
  else
    {
      g_assert_null (one);
      g_assert_null (public);
      g_assert_cmpstr (public_error->message, ==, tree_error->message);
      if (one_error != NULL)
        g_assert_cmpstr (one_error->message, ==, tree_error->message);
    }
}

static void
test_item_outcomes (void)
{
  g_autofree char *rich = load_fixture ("item-rich.json", NULL);

  assert_item_outcome (rich, DBT_JSON_READ_OK);
  assert_item_outcome ("{}", DBT_JSON_READ_OK);
  assert_item_outcome ("{\"s\":{\"S\":\"caf\\u00e9\"},\"e\":{\"S\":\"\"},\"n\":{\"N\":\"-1.5E3\"},"
                       "\"b\":{\"B\":\"AQI=\"},\"t\":{\"BOOL\":true},\"z\":{\"NULL\":true},"
                       "\"ss\":{\"SS\":[\"a\",\"\"]},\"ns\":{\"NS\":[\"1\",\"2.5\"]},\"bs\":{\"BS\":[\"\",\"AA==\"]},"
                       "\"l\":{\"L\":[]},\"m\":{\"M\":{}}}", DBT_JSON_READ_OK);
  /* Repeated attributes: the last value, at the first one's place. */
  assert_item_outcome ("{\"a\":{\"S\":\"x\"},\"b\":{\"N\":\"2\"},\"a\":{\"N\":\"1\"}}", DBT_JSON_READ_OK);

  /* Refusals go to the tree route, which words them. */
  assert_item_outcome ("{\"a\":{\"N\":\"1e\"}}", DBT_JSON_READ_DECLINED);
  assert_item_outcome ("{\"a\":{\"N\":1}}", DBT_JSON_READ_DECLINED);
  assert_item_outcome ("{\"a\":{\"S\":\"x\",\"N\":\"1\"}}", DBT_JSON_READ_DECLINED);
  assert_item_outcome ("{\"a\":{}}", DBT_JSON_READ_DECLINED);
  assert_item_outcome ("{\"a\":{\"X\":1}}", DBT_JSON_READ_DECLINED);
  assert_item_outcome ("{\"a\":{\"NULL\":false}}", DBT_JSON_READ_DECLINED);
  assert_item_outcome ("{\"a\":{\"SS\":[]}}", DBT_JSON_READ_DECLINED);
  assert_item_outcome ("{\"a\":{\"NS\":[\"1\",\"1.0\"]}}", DBT_JSON_READ_DECLINED);
  assert_item_outcome ("{\"a\":{\"B\":\"AQI\"}}", DBT_JSON_READ_DECLINED);
  assert_item_outcome ("{\"\":{\"S\":\"x\"}}", DBT_JSON_READ_DECLINED);
  assert_item_outcome ("[]", DBT_JSON_READ_DECLINED);
  assert_item_outcome ("  ", DBT_JSON_READ_DECLINED);
  /* json-glib keeps the last of repeated tags and attributes. */
  assert_item_outcome ("{\"a\":{\"S\":1,\"S\":\"x\"}}", DBT_JSON_READ_DECLINED);
  assert_item_outcome ("{\"a\":{\"S\":1},\"a\":{\"S\":\"x\"}}", DBT_JSON_READ_DECLINED);

  /* Not JSON: the reader's own error, the check's message. */
  assert_item_outcome ("{\"a\":{\"S\":\"x\"}} {", DBT_JSON_READ_INVALID);
  assert_item_outcome ("{\"a\":{\"S\":\"\\u0000\"}}", DBT_JSON_READ_INVALID);
  assert_item_outcome ("{\"a\":{\"S\":\"x\"}", DBT_JSON_READ_INVALID);
}

/* A refusal early in the text and a syntax error later: the syntax error
 * wins, as when the whole text was checked first. */
static void
test_syntax_error_wins (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtItem) item = dbt_item_parse ("{\"a\":{\"N\":\"x\"},\"b\":[1,]}", -1, &error);

  g_assert_null (item);
  g_assert_cmpstr (error->message, ==, "JSON text is malformed at offset 22: expected a value");
}

static void
assert_records_equal (GPtrArray *a,
                      GPtrArray *b)
{
  guint i;

  g_assert_cmpuint (a->len, ==, b->len);
  for (i = 0; i < a->len; i++)
    g_assert_true (dbt_stream_record_equal (a->pdata[i], b->pdata[i]));
}

static void
test_event_outcomes (void)
{
  static const char *const fixtures[] = { "stream-event-lambda.json", "stream-getrecords-moto.json" };
  static const struct
  {
    const char        *json;
    DbtJsonReadOutcome outcome;
  } cases[] = {
    { "{\"Records\":[]}", DBT_JSON_READ_OK },
    { "{\"x\":[1,{\"y\":null}],\"Records\":[{\"eventID\":\"1\",\"eventName\":\"INSERT\",\"eventSource\":null,"
      "\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}},\"SequenceNumber\":\"12\",\"NewImage\":null,"
      "\"SizeBytes\":12,\"ApproximateCreationDateTime\":1.7145216005E9,\"Other\":{}}}]}", DBT_JSON_READ_OK },
    { "{\"Records\":[{\"eventID\":\"1\",\"eventName\":\"INSERT\","
      "\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}},\"SequenceNumber\":\"12\",\"SizeBytes\":-0}}]}",
      DBT_JSON_READ_DECLINED },
    { "{\"Records\":[{\"eventID\":\"1\",\"eventName\":\"INSERT\",\"eventID\":\"2\","
      "\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}},\"SequenceNumber\":\"12\"}}]}", DBT_JSON_READ_DECLINED },
    { "{\"Records\":[{\"eventID\":\"1\",\"eventName\":\"UPSERT\","
      "\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}},\"SequenceNumber\":\"12\"}}]}", DBT_JSON_READ_DECLINED },
    { "{\"Records\":[{\"eventID\":\"1\",\"eventName\":\"INSERT\","
      "\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}},\"SequenceNumber\":\"1x\"}}]}", DBT_JSON_READ_DECLINED },
    { "{\"Records\":[{\"eventID\":\"1\",\"eventName\":\"INSERT\","
      "\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"x\"}},\"SequenceNumber\":\"1\"}}]}", DBT_JSON_READ_DECLINED },
    { "{\"Records\":{}}", DBT_JSON_READ_DECLINED },
    { "{\"Records\":[], \"Records\":[]}", DBT_JSON_READ_DECLINED },
    { "{}", DBT_JSON_READ_DECLINED },
    { "{\"Records\":[]}]", DBT_JSON_READ_INVALID },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) one = NULL;
      g_autoptr(GPtrArray) tree = NULL;
      DbtJsonReadOutcome outcome;
      gsize len;
      g_autofree char *json = load_fixture (fixtures[i], &len);

      one = dbt_stream_event_parse_one_pass (json, len, &outcome, &error);
      g_assert_no_error (error);
      g_assert_cmpint (outcome, ==, DBT_JSON_READ_OK);
      tree = dbt_stream_event_parse_tree (json, (gssize) len, &error);
      g_assert_no_error (error);
      assert_records_equal (one, tree);
    }

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) one_error = NULL;
      g_autoptr(GError) tree_error = NULL;
      g_autoptr(GError) public_error = NULL;
      gsize len = strlen (cases[i].json);
      DbtJsonReadOutcome outcome;
      g_autoptr(GPtrArray) one = dbt_stream_event_parse_one_pass (cases[i].json, len, &outcome, &one_error);
      g_autoptr(GPtrArray) tree = dbt_stream_event_parse_tree (cases[i].json, -1, &tree_error);
      g_autoptr(GPtrArray) public = dbt_stream_event_parse (cases[i].json, -1, &public_error);

      if (outcome != cases[i].outcome)
        g_error ("%s: outcome %d, expected %d", cases[i].json, outcome, cases[i].outcome);
      if (tree != NULL)
        {
          assert_records_equal (public, tree);
          if (one != NULL)
            assert_records_equal (one, tree);
        }
      else
        {
          g_assert_null (public);
          g_assert_cmpstr (public_error->message, ==, tree_error->message);
          if (one_error != NULL)
            g_assert_cmpstr (one_error->message, ==, tree_error->message);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-reader/unescaping", test_unescaping);
  g_test_add_func ("/json-reader/same-errors-as-check", test_same_errors_as_check);
  g_test_add_func ("/json-reader/item-outcomes", test_item_outcomes);
  g_test_add_func ("/json-reader/syntax-error-wins", test_syntax_error_wins);
  g_test_add_func ("/json-reader/event-outcomes", test_event_outcomes);

  return g_test_run ();
}
