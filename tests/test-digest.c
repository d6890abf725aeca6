/* test-digest.c — one message per owner per invocation. */
#include <string.h>

#include "dbt-digest.h"
#include "dbt-processor.h"
#include "handler-fixtures.h"

typedef struct
{
  DbtHandlerConfig *config;
  GPtrArray        *records;
  GPtrArray        *notifications;
  GPtrArray        *messages;
  guint             next_seq;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->config = fixture_config (NULL);
  fixture->records = fixture_records_new ();
  fixture->next_seq = 1000;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->messages, g_ptr_array_unref);
  g_clear_pointer (&fixture->notifications, g_ptr_array_unref);
  g_ptr_array_unref (fixture->records);
  dbt_handler_config_free (fixture->config);
}

/* A MODIFY of item @id owned by @owner, setting "note" from @before to @after. */
static void
add_change (Fixture    *fixture,
            const char *id,
            const char *owner,
            const char *before,
            const char *after)
{
  g_autofree char *seq = g_strdup_printf ("%u", fixture->next_seq++);
  g_autofree char *keys = g_strdup_printf ("{\"id\":{\"S\":\"%s\"}}", id);
  g_autofree char *old_extra = g_strdup_printf ("\"note\":{\"S\":\"%s\"}", before);
  g_autofree char *new_extra = g_strdup_printf ("\"note\":{\"S\":\"%s\"}", after);
  g_autofree char *old_item = fixture_item_json (id, owner, old_extra);
  g_autofree char *new_item = fixture_item_json (id, owner, new_extra);

  g_ptr_array_add (fixture->records,
                   fixture_record (DBT_EVENT_MODIFY, seq, keys, old_item, new_item));
}

static void
build (Fixture *fixture,
       gsize    max_bytes)
{
  DbtBatchStats stats = { 0 };

  fixture->notifications = dbt_processor_run (fixture->config, fixture->records, &stats);
  fixture->messages = dbt_digest_build (fixture->notifications, max_bytes);
  for (guint i = 0; i < fixture->messages->len; i++)
    {
      DbtMessage *message = g_ptr_array_index (fixture->messages, i);

      g_assert_cmpuint (dbt_message_size_bytes (message), <=, max_bytes);
      g_assert_cmpuint (strlen (message->subject), <, 100);
      g_assert_true (g_utf8_validate (message->body, -1, NULL));
    }
}

static DbtMessage *
message_at (Fixture *fixture,
            guint    i)
{
  g_assert_cmpuint (i, <, fixture->messages->len);
  return g_ptr_array_index (fixture->messages, i);
}

/* Every notification is in exactly one message, and each message's
 * notifications belong to its owner and are in stream order. */
static void
assert_each_once (Fixture *fixture)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < fixture->messages->len; i++)
    {
      DbtMessage *message = message_at (fixture, i);

      for (guint j = 0; j < message->notifications->len; j++)
        {
          DbtNotification *notification = g_ptr_array_index (message->notifications, j);

          g_assert_false (g_hash_table_contains (seen, notification));
          g_hash_table_add (seen, notification);
          g_assert_cmpstr (notification->owner, ==, message->owner);
          if (j > 0)
            {
              DbtNotification *previous = g_ptr_array_index (message->notifications, j - 1);

              g_assert_cmpuint (previous->record_index, <, notification->record_index);
            }
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, fixture->notifications->len);
}

static void
test_grouping_by_owner (Fixture       *fixture,
                        gconstpointer  data)
{
  DbtMessage *alice, *bob, *carol;
  const char *one, *two, *three;

  add_change (fixture, "k-1", "alice", "x", "y");
  add_change (fixture, "k-2", "bob", "x", "y");
  add_change (fixture, "k-3", "alice", "x", "y");
  add_change (fixture, "k-4", "carol", "x", "y");
  add_change (fixture, "k-5", "alice", "x", "y");
  add_change (fixture, "k-6", "carol", "x", "y");
  build (fixture, DBT_MESSAGE_MAX_BYTES);

  /* In order of each owner's first change. */
  g_assert_cmpuint (fixture->messages->len, ==, 3);
  alice = message_at (fixture, 0);
  bob = message_at (fixture, 1);
  carol = message_at (fixture, 2);
  g_assert_cmpstr (alice->owner, ==, "alice");
  g_assert_cmpstr (bob->owner, ==, "bob");
  g_assert_cmpstr (carol->owner, ==, "carol");
  assert_each_once (fixture);

  /* One change: the single-change message. */
  g_assert_cmpuint (bob->notifications->len, ==, 1);
  g_assert_cmpstr (bob->subject, ==, "Item changed in orders: id=\"k-2\"");

  /* Several: one digest counting the changes, in stream order. */
  g_assert_cmpuint (alice->notifications->len, ==, 3);
  g_assert_cmpstr (alice->subject, ==, "3 items changed in orders");
  g_assert_cmpstr (alice->event, ==, "MODIFY");
  g_assert_cmpstr (alice->table_name, ==, "orders");
  g_assert_cmpuint (alice->parts, ==, 1);
  g_assert_true (g_str_has_prefix (alice->body, "3 changes to your items in orders"));
  one = strstr (alice->body, "\n1. MODIFY id=\"k-1\"\n");
  two = strstr (alice->body, "\n2. MODIFY id=\"k-3\"\n");
  three = strstr (alice->body, "\n3. MODIFY id=\"k-5\"\n");
  g_assert_nonnull (one);
  g_assert_nonnull (two);
  g_assert_nonnull (three);
  g_assert_true (one < two && two < three);
  g_assert_cmpuint (fixture_count (alice->body, "  note: \"x\" → \"y\"\n"), ==, 3);
  g_assert_null (strstr (alice->body, "k-2"));

  g_assert_cmpstr (carol->subject, ==, "2 items changed in orders");
}

static void
test_same_item_three_times (Fixture       *fixture,
                            gconstpointer  data)
{
  DbtMessage *message;
  const char *first, *second, *third;

  add_change (fixture, "k-1", "alice", "v1", "v2");
  add_change (fixture, "k-1", "alice", "v2", "v3");
  add_change (fixture, "k-1", "alice", "v3", "v4");
  build (fixture, DBT_MESSAGE_MAX_BYTES);

  g_assert_cmpuint (fixture->messages->len, ==, 1);
  message = message_at (fixture, 0);
  g_assert_cmpstr (message->subject, ==, "3 items changed in orders");
  g_assert_cmpuint (fixture_count (message->body, "MODIFY id=\"k-1\"\n"), ==, 3);
  first = strstr (message->body, "note: \"v1\" → \"v2\"");
  second = strstr (message->body, "note: \"v2\" → \"v3\"");
  third = strstr (message->body, "note: \"v3\" → \"v4\"");
  g_assert_true (first != NULL && second != NULL && third != NULL);
  g_assert_true (first < second && second < third);
  assert_each_once (fixture);
}

static void
test_mixed_events (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *item = fixture_item_json ("k-9", "alice", NULL);
  DbtMessage *message;

  add_change (fixture, "k-1", "alice", "a", "b");
  g_ptr_array_add (fixture->records,
                   fixture_record (DBT_EVENT_INSERT, "5000", "{\"id\":{\"S\":\"k-9\"}}", NULL, item));
  g_ptr_array_add (fixture->records,
                   fixture_record (DBT_EVENT_REMOVE, "5001", "{\"id\":{\"S\":\"k-9\"}}", item, NULL));
  build (fixture, DBT_MESSAGE_MAX_BYTES);

  g_assert_cmpuint (fixture->messages->len, ==, 1);
  message = message_at (fixture, 0);
  g_assert_cmpstr (message->event, ==, DBT_MESSAGE_EVENT_MIXED);
  g_assert_nonnull (strstr (message->body, "\n2. INSERT id=\"k-9\"\n"));
  g_assert_nonnull (strstr (message->body, "\n3. REMOVE id=\"k-9\"\n"));
}

static void
test_split_large_digest (Fixture       *fixture,
                         gconstpointer  data)
{
  const guint n_changes = 2000;
  g_autofree char *before = g_strnfill (500, 'o');
  g_autofree char *after = g_strnfill (500, 'n');
  g_autoptr(GHashTable) numbers = g_hash_table_new (NULL, NULL);
  gsize entries_bytes = 0;
  guint parts;

  for (guint i = 0; i < n_changes; i++)
    {
      g_autofree char *id = g_strdup_printf ("item-%04u", i);

      add_change (fixture, id, "alice", before, after);
    }
  build (fixture, DBT_MESSAGE_MAX_BYTES);
  assert_each_once (fixture);

  parts = fixture->messages->len;
  g_assert_cmpuint (parts, >, 1);
  for (guint i = 0; i < parts; i++)
    {
      DbtMessage *message = message_at (fixture, i);
      g_autofree char *suffix = g_strdup_printf (" (part %u of %u)", i + 1, parts);
      const DbtNotification *first = g_ptr_array_index (message->notifications, 0);
      const DbtNotification *last = g_ptr_array_index (message->notifications, message->notifications->len - 1);
      g_autofree char *range = g_strdup_printf ("Part %u of %u: changes %u to %u of %u ",
                                                i + 1, parts, first->record_index + 1,
                                                last->record_index + 1, n_changes);

      g_assert_cmpuint (message->part, ==, i + 1);
      g_assert_cmpuint (message->parts, ==, parts);
      g_assert_cmpstr (message->owner, ==, "alice");
      g_assert_true (g_str_has_prefix (message->subject, "2000 items changed in orders"));
      g_assert_true (g_str_has_suffix (message->subject, suffix));
      g_assert_true (g_str_has_prefix (message->body, range));
      g_assert_cmpuint (dbt_message_size_bytes (message), <=, DBT_SNS_MESSAGE_MAX_BYTES);
      /* Nothing shortened: each change fits a part on its own. */
      g_assert_null (strstr (message->body, "bytes cut]"));

      /* Each change's entry is numbered by its place in the digest, once. */
      for (guint j = 0; j < message->notifications->len; j++)
        {
          const DbtNotification *notification = g_ptr_array_index (message->notifications, j);
          g_autofree char *heading = g_strdup_printf ("\n%u. MODIFY %s\n",
                                                      notification->record_index + 1,
                                                      notification->key_text);

          g_assert_nonnull (strstr (message->body, heading));
          g_hash_table_add (numbers, GUINT_TO_POINTER (notification->record_index + 1));
        }
      g_assert_cmpuint (fixture_count (message->body, "  note: \""), ==, message->notifications->len);

      /* Greedy: the next part's first change would not have fit here. */
      if (i + 1 < parts)
        {
          DbtMessage *next = message_at (fixture, i + 1);
          const DbtNotification *next_first = g_ptr_array_index (next->notifications, 0);
          g_autofree char *next_entry = dbt_message_render_digest_entry (next_first,
                                                                         next_first->record_index + 1,
                                                                         G_MAXSIZE);

          g_assert_cmpuint (dbt_message_size_bytes (message) + strlen (next_entry), >,
                            DBT_MESSAGE_MAX_BYTES - 300);
        }
      entries_bytes += dbt_message_size_bytes (message);
    }
  g_assert_cmpuint (g_hash_table_size (numbers), ==, n_changes);

  /* As few messages as fit: no split into messages within
   * DBT_MESSAGE_MAX_BYTES (256 KB less the safety margin) can do with fewer. */
  g_assert_cmpuint (entries_bytes, >, 2000 * 1000);
  g_assert_cmpuint (parts, ==, (entries_bytes + DBT_MESSAGE_MAX_BYTES - 1) / DBT_MESSAGE_MAX_BYTES);
}

static void
test_huge_change_in_digest (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *huge = g_strnfill (390 * 1000, 'h');
  DbtMessage *message;
  char *end = NULL;
  const char *marker;
  guint64 cut;

  add_change (fixture, "k-1", "alice", "a", "b");
  add_change (fixture, "k-2", "alice", "small", huge);
  add_change (fixture, "k-3", "alice", "c", "d");
  build (fixture, DBT_MESSAGE_MAX_BYTES);
  assert_each_once (fixture);

  /* k-1 fits beside the shortened k-2? Only if there is room; either way
   * every change is listed once and k-2 carries the marker. */
  g_assert_cmpuint (fixture->messages->len, >=, 1);
  for (guint i = 0; i < fixture->messages->len; i++)
    {
      message = message_at (fixture, i);
      marker = strstr (message->body, "[... ");
      if (strstr (message->body, "MODIFY id=\"k-2\"") == NULL)
        {
          g_assert_null (marker);
          continue;
        }
      g_assert_nonnull (marker);
      cut = g_ascii_strtoull (marker + 5, &end, 10);
      g_assert_true (g_str_has_prefix (end, " bytes cut]"));
      /* kept + cut = the rendered value: 390,000 letters and two quotes. */
      g_assert_cmpuint (fixture_count (message->body, "h") + cut, >=, 390 * 1000 + 1);
      g_assert_cmpuint (fixture_count (message->body, "h") + cut, <=, 390 * 1000 + 2 + 20);
      g_assert_nonnull (strstr (message->body, "note: \"small\" → \"hhhh"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/digest/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("grouping-by-owner", test_grouping_by_owner);
  ADD ("same-item-three-times", test_same_item_three_times);
  ADD ("mixed-events", test_mixed_events);
  ADD ("split-large-digest", test_split_large_digest);
  ADD ("huge-change", test_huge_change_in_digest);

#undef ADD

  return g_test_run ();
}
