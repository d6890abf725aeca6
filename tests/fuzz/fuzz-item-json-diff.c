/* fuzz-item-json-diff.c — the one-pass parsers against the json-glib tree route.
 *
 * Every input goes through dbt_item_parse_one_pass() and dbt_item_parse_tree(),
 * and through dbt_stream_event_parse_one_pass() and
 * dbt_stream_event_parse_tree(). Outcomes must agree:
 *
 *   one pass OK        the tree route succeeds too, with equal items (or
 *                      records) and the same canonical serialisation;
 *   one pass INVALID   the tree route fails with the same code and message;
 *   one pass DECLINED  the tree route decides: it must fail, unless the text
 *                      repeats a member name in an object (json-glib keeps
 *                      the last) or, for events, holds a number json-glib
 *                      may type its own way (a sign, more than 18 digits).
 *
 * The public functions (one pass, then the tree route when declined) must
 * give exactly the tree route's outcome.
 */
#include "dbt-json-reader.h"
#include "dbt-stream-record.h"
#include "dbt-error.h"

#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* As in fuzz-item-json.c: GLib's slice allocator would hide frees. */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  if (g_getenv ("G_SLICE") == NULL)
    {
      g_setenv ("G_SLICE", "always-malloc", TRUE);
      execv ("/proc/self/exe", *argv);
    }
  return 0;
}

typedef struct
{
  gboolean repeated_name;
  gboolean odd_number;
} Quirks;

/* Walks valid JSON with the reader, noting what json-glib treats its own way. */
static gboolean
find_quirks (DbtJsonReader *reader,
             Quirks        *quirks)
{
  DbtJsonKind kind = dbt_json_reader_peek (reader);
  g_autoptr(GHashTable) names = NULL;
  gboolean more;
  gsize start;

  switch (kind)
    {
    case DBT_JSON_NUMBER:
      if (!dbt_json_reader_read_number (reader, &start))
        return FALSE;
      if (reader->text[start] == '-' || reader->pos - start > 18)
        quirks->odd_number = TRUE;
      return TRUE;
    case DBT_JSON_OBJECT:
      names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      if (!dbt_json_reader_enter (reader, '}', &more))
        return FALSE;
      while (more)
        {
          if (!dbt_json_reader_read_name (reader))
            return FALSE;
          if (!g_hash_table_add (names, g_strdup (reader->string->str)))
            quirks->repeated_name = TRUE;
          if (!find_quirks (reader, quirks) || !dbt_json_reader_next (reader, '}', &more))
            return FALSE;
        }
      return TRUE;
    case DBT_JSON_ARRAY:
      if (!dbt_json_reader_enter (reader, ']', &more))
        return FALSE;
      while (more)
        if (!find_quirks (reader, quirks) || !dbt_json_reader_next (reader, ']', &more))
          return FALSE;
      return TRUE;
    case DBT_JSON_END:
    case DBT_JSON_STRING:
    case DBT_JSON_TRUE:
    case DBT_JSON_FALSE:
    case DBT_JSON_NULL:
    default:
      return dbt_json_reader_skip (reader);
    }
}

static Quirks
quirks_of (const char *json,
           gsize       len)
{
  g_autoptr(GString) string = g_string_new (NULL);
  DbtJsonReader reader;
  Quirks quirks = { FALSE, FALSE };

  if (!dbt_json_reader_init (&reader, json, len, DBT_JSON_MAX_DEPTH, string, NULL)
      || !find_quirks (&reader, &quirks))
    g_error ("the tree route accepted text the reader refuses");
  return quirks;
}

static void
assert_same_error (const GError *a,
                   const GError *b,
                   const char   *what)
{
  g_assert (a != NULL && b != NULL);
  if (a->domain != b->domain || a->code != b->code || strcmp (a->message, b->message) != 0)
    g_error ("%s: the routes fail differently:\n  %s\n  %s", what, a->message, b->message);
}

static void
assert_same_items (const DbtItem *a,
                   const DbtItem *b,
                   const char    *what)
{
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;

  if (a == NULL || b == NULL)
    {
      if (a != b)
        g_error ("%s: an image is missing on one route only", what);
      return;
    }
  text_a = dbt_item_serialize (a);
  text_b = dbt_item_serialize (b);
  if (!dbt_item_equal (a, b) || strcmp (text_a, text_b) != 0)
    g_error ("%s: the routes give different items:\n  %s\n  %s", what, text_a, text_b);
}

static void
diff_item (const char *json,
           gsize       len)
{
  g_autoptr(GError) tree_error = NULL;
  g_autoptr(GError) one_error = NULL;
  g_autoptr(GError) public_error = NULL;
  g_autoptr(DbtItem) tree = dbt_item_parse_tree (json, (gssize) len, &tree_error);
  g_autoptr(DbtItem) public = dbt_item_parse (json, (gssize) len, &public_error);
  g_autoptr(DbtItem) one = NULL;
  DbtJsonReadOutcome outcome;

  one = dbt_item_parse_one_pass (json, len, &outcome, &one_error);
  switch (outcome)
    {
    case DBT_JSON_READ_OK:
      if (tree == NULL)
        g_error ("item: the one-pass route accepts what the tree route refuses: %s", tree_error->message);
      assert_same_items (one, tree, "item");
      break;
    case DBT_JSON_READ_INVALID:
      g_assert (one == NULL);
      assert_same_error (one_error, tree_error, "item");
      break;
    case DBT_JSON_READ_DECLINED:
    default:
      g_assert (one == NULL && one_error == NULL);
      if (tree != NULL && !quirks_of (json, len).repeated_name)
        g_error ("item: the one-pass route declines what the tree route accepts");
      break;
    }

  if (tree != NULL)
    assert_same_items (public, tree, "item (public)");
  else
    assert_same_error (public_error, tree_error, "item (public)");
}

static void
diff_event (const char *json,
            gsize       len)
{
  g_autoptr(GError) tree_error = NULL;
  g_autoptr(GError) one_error = NULL;
  g_autoptr(GError) public_error = NULL;
  g_autoptr(GPtrArray) tree = dbt_stream_event_parse_tree (json, (gssize) len, &tree_error);
  g_autoptr(GPtrArray) public = dbt_stream_event_parse (json, (gssize) len, &public_error);
  g_autoptr(GPtrArray) one = NULL;
  DbtJsonReadOutcome outcome;
  Quirks quirks;
  guint i;

  one = dbt_stream_event_parse_one_pass (json, len, &outcome, &one_error);
  switch (outcome)
    {
    case DBT_JSON_READ_OK:
      if (tree == NULL)
        g_error ("event: the one-pass route accepts what the tree route refuses: %s", tree_error->message);
      if (one->len != tree->len)
        g_error ("event: %u records against %u", one->len, tree->len);
      for (i = 0; i < one->len; i++)
        {
          DbtStreamRecord *a = one->pdata[i];
          DbtStreamRecord *b = tree->pdata[i];

          assert_same_items (a->keys, b->keys, "event keys");
          assert_same_items (a->new_image, b->new_image, "event new image");
          assert_same_items (a->old_image, b->old_image, "event old image");
          if (!dbt_stream_record_equal (a, b))
            g_error ("event: record %u differs between the routes", i);
        }
      break;
    case DBT_JSON_READ_INVALID:
      g_assert (one == NULL);
      assert_same_error (one_error, tree_error, "event");
      break;
    case DBT_JSON_READ_DECLINED:
    default:
      g_assert (one == NULL && one_error == NULL);
      if (tree != NULL)
        {
          quirks = quirks_of (json, len);
          if (!quirks.repeated_name && !quirks.odd_number)
            g_error ("event: the one-pass route declines what the tree route accepts");
        }
      break;
    }

  if (tree == NULL)
    assert_same_error (public_error, tree_error, "event (public)");
  else if (public == NULL || public->len != tree->len)
    g_error ("event (public): the outcome differs from the tree route's");
  else
    for (i = 0; i < tree->len; i++)
      if (!dbt_stream_record_equal (public->pdata[i], tree->pdata[i]))
        g_error ("event (public): record %u differs from the tree route's", i);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  diff_item ((const char *) data, size);
  diff_event ((const char *) data, size);
  return 0;
}
