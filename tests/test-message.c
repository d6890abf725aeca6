/* test-message.c — the text an owner receives. */
#include <stdlib.h>
#include <string.h>

#include "dbt-message.h"
#include "dbt-processor.h"
#include "handler-fixtures.h"

/* Runs the processor on one record and returns its notifications. */
static GPtrArray *
notify (DbtEventName event,
        const char  *keys,
        const char  *old_json,
        const char  *new_json)
{
  g_autoptr(DbtHandlerConfig) config = fixture_config (NULL);
  g_autoptr(GPtrArray) records = fixture_records_new ();
  DbtBatchStats stats = { 0 };

  g_ptr_array_add (records, fixture_record (event, "4200", keys, old_json, new_json));
  return dbt_processor_run (config, records, &stats);
}

static DbtMessage *
single (GPtrArray *notifications,
        guint      i,
        gsize      max_bytes)
{
  g_assert_cmpuint (i, <, notifications->len);
  return dbt_message_new_single (g_ptr_array_index (notifications, i), max_bytes);
}

static void
assert_valid_subject (const char *subject)
{
  g_assert_nonnull (subject);
  g_assert_cmpuint (strlen (subject), >, 0);
  g_assert_cmpuint (strlen (subject), <, 100);
  g_assert_true (g_ascii_isalnum (subject[0]) || g_ascii_ispunct (subject[0]));
  for (const char *p = subject; *p; p++)
    g_assert_true (g_ascii_isprint (*p));
}

static void
test_insert_message (void)
{
  g_autofree char *item = fixture_item_json ("a-1", "alice",
                                             "\"total\":{\"N\":\"12.50\"},\"paid\":{\"BOOL\":false}");
  g_autoptr(GPtrArray) notifications = notify (DBT_EVENT_INSERT, "{\"id\":{\"S\":\"a-1\"}}", NULL, item);
  g_autoptr(DbtMessage) message = single (notifications, 0, DBT_MESSAGE_MAX_BYTES);

  g_assert_cmpstr (message->subject, ==, "Item created in orders: id=\"a-1\"");
  g_assert_cmpstr (message->owner, ==, "alice");
  g_assert_cmpstr (message->table_name, ==, "orders");
  g_assert_cmpstr (message->event, ==, "INSERT");
  g_assert_cmpuint (message->part, ==, 1);
  g_assert_cmpuint (message->parts, ==, 1);
  g_assert_cmpuint (message->notifications->len, ==, 1);
  g_assert_true (g_ptr_array_index (message->notifications, 0) == g_ptr_array_index (notifications, 0));

  g_assert_true (g_str_has_prefix (message->body, "Item created in orders.\n"));
  g_assert_nonnull (strstr (message->body, "\nTable: orders\n"));
  g_assert_nonnull (strstr (message->body, "\nEvent: INSERT\n"));
  g_assert_nonnull (strstr (message->body, "\nKey: id=\"a-1\"\n"));
  g_assert_nonnull (strstr (message->body, "\nAttributes:\n"));
  g_assert_nonnull (strstr (message->body, "\n  total: 12.50\n"));
  g_assert_nonnull (strstr (message->body, "\n  paid: false\n"));
  g_assert_nonnull (strstr (message->body, "\n  owner: \"alice\"\n"));
  g_assert_true (g_utf8_validate (message->body, -1, NULL));

  /* body + subject + three String attributes */
  g_assert_cmpuint (dbt_message_size_bytes (message), ==,
                    strlen (message->body) + strlen (message->subject) +
                    strlen ("owner") + 6 + strlen ("alice") +
                    strlen ("table") + 6 + strlen ("orders") +
                    strlen ("event") + 6 + strlen ("INSERT"));
}

static void
test_modify_exact_types (void)
{
  const char *digits38 = "12345678901234567890123456789012345678";
  g_autofree char *old_extra = g_strdup_printf (
    "\"big\":{\"N\":\"1\"},\"status\":{\"S\":\"new\"},\"tags\":{\"SS\":[\"a\"]},"
    "\"blob\":{\"B\":\"AQID\"},\"gone\":{\"S\":\"x\"}");
  g_autofree char *new_extra = g_strdup_printf (
    "\"big\":{\"N\":\"%s\"},\"status\":{\"S\":\"paid\"},\"tags\":{\"SS\":[\"a\",\"b\"]},"
    "\"blob\":{\"B\":\"BAUG\"},\"added\":{\"NS\":[\"1.5\",\"-2E+3\"]}", digits38);
  g_autofree char *old_item = fixture_item_json ("a-1", "alice", old_extra);
  g_autofree char *new_item = fixture_item_json ("a-1", "alice", new_extra);
  g_autoptr(GPtrArray) notifications = notify (DBT_EVENT_MODIFY, "{\"id\":{\"S\":\"a-1\"}}", old_item, new_item);
  g_autoptr(DbtMessage) message = single (notifications, 0, DBT_MESSAGE_MAX_BYTES);
  DbtNotification *notification = g_ptr_array_index (notifications, 0);

  g_assert_cmpstr (message->subject, ==, "Item changed in orders: id=\"a-1\"");
  g_assert_cmpstr (message->event, ==, "MODIFY");
  g_assert_nonnull (strstr (message->body, "\nChanges:\n"));

  /* A number verbatim, never through double; a string quoted. */
  {
    g_autofree char *line = g_strdup_printf ("\n  big: 1 → %s\n", digits38);
    g_assert_nonnull (strstr (message->body, line));
  }
  g_assert_nonnull (strstr (message->body, "\n  status: \"new\" → \"paid\"\n"));
  g_assert_nonnull (strstr (message->body, "\n  gone: \"x\" → (absent)\n"));
  g_assert_nonnull (strstr (message->body, "\n  added: (absent) → "));
  g_assert_null (strstr (message->body, "updatedAt"));

  /* Sets and binary as the value model renders them: each old → new line
   * is exactly the rendered values of the change. */
  for (guint i = 0; i < notification->changes->len; i++)
    {
      const DbtChange *change = g_ptr_array_index (notification->changes, i);
      g_autofree char *old_text = change->old_value ? dbt_value_render (change->old_value) : g_strdup ("(absent)");
      g_autofree char *new_text = change->new_value ? dbt_value_render (change->new_value) : g_strdup ("(absent)");
      g_autofree char *line = g_strdup_printf ("\n  %s: %s → %s\n", change->path, old_text, new_text);

      g_assert_nonnull (strstr (message->body, line));
    }
  g_assert_cmpuint (notification->changes->len, ==, 6);
  g_assert_nonnull (strstr (message->body, "{\"a\", \"b\"}"));
  g_assert_nonnull (strstr (message->body, "1.5"));
  g_assert_nonnull (strstr (message->body, "-2E+3"));
}

static void
test_remove_message (void)
{
  g_autofree char *item = fixture_item_json ("a-1", "alice", "\"total\":{\"N\":\"3\"}");
  g_autoptr(GPtrArray) notifications = notify (DBT_EVENT_REMOVE, "{\"id\":{\"S\":\"a-1\"}}", item, NULL);
  g_autoptr(DbtMessage) message = single (notifications, 0, DBT_MESSAGE_MAX_BYTES);

  g_assert_cmpstr (message->subject, ==, "Item removed from orders: id=\"a-1\"");
  g_assert_cmpstr (message->event, ==, "REMOVE");
  g_assert_nonnull (strstr (message->body, "\nAttributes before removal:\n"));
  g_assert_nonnull (strstr (message->body, "\n  total: 3\n"));
}

static void
test_owner_change_messages (void)
{
  g_autofree char *old_item = fixture_item_json ("a-1", "alice", NULL);
  g_autofree char *new_item = fixture_item_json ("a-1", "bob", NULL);
  g_autoptr(GPtrArray) notifications = notify (DBT_EVENT_MODIFY, "{\"id\":{\"S\":\"a-1\"}}", old_item, new_item);
  g_autoptr(DbtMessage) to_bob = single (notifications, 0, DBT_MESSAGE_MAX_BYTES);
  g_autoptr(DbtMessage) to_alice = single (notifications, 1, DBT_MESSAGE_MAX_BYTES);

  g_assert_cmpstr (to_bob->owner, ==, "bob");
  g_assert_cmpstr (to_bob->subject, ==, "Item assigned to you in orders: id=\"a-1\"");
  g_assert_nonnull (strstr (to_bob->body, "Assigned to you; previous owner: alice."));
  g_assert_cmpstr (to_alice->owner, ==, "alice");
  g_assert_cmpstr (to_alice->subject, ==, "Item reassigned away from you in orders: id=\"a-1\"");
  g_assert_nonnull (strstr (to_alice->body, "Reassigned away from you; new owner: bob."));
  g_assert_nonnull (strstr (to_alice->body, "\n  owner: \"alice\" → \"bob\"\n"));
}

static void
test_subject_long_unicode_key (void)
{
  /* 120 × "é" and a CJK tail: non-ASCII in the key, far too long. */
  g_autoptr(GString) id = g_string_new (NULL);
  g_autofree char *keys = NULL;
  g_autofree char *item = NULL;
  g_autoptr(GPtrArray) notifications = NULL;
  g_autoptr(DbtMessage) message = NULL;

  for (guint i = 0; i < 120; i++)
    g_string_append (id, "é");
  g_string_append (id, "日本語");
  keys = g_strdup_printf ("{\"id\":{\"S\":\"%s\"}}", id->str);
  item = fixture_item_json (id->str, "alice", NULL);
  notifications = notify (DBT_EVENT_INSERT, keys, NULL, item);
  message = single (notifications, 0, DBT_MESSAGE_MAX_BYTES);

  assert_valid_subject (message->subject);
  g_assert_cmpuint (strlen (message->subject), ==, DBT_MESSAGE_SUBJECT_MAX_CHARS);
  g_assert_true (g_str_has_prefix (message->subject, "Item created in orders: id=\"eeee"));
  g_assert_true (g_str_has_suffix (message->subject, "..."));
  /* The body keeps the key as it is. */
  g_assert_nonnull (strstr (message->body, id->str));
}

static void
test_sanitize_subject (void)
{
  g_autofree char *controls = dbt_message_sanitize_subject ("Line one\nline\ttwo\x7f", NULL);
  g_autofree char *leading = dbt_message_sanitize_subject ("  \n Item", NULL);
  g_autofree char *empty = dbt_message_sanitize_subject ("\n\n", NULL);
  g_autofree char *unicode = dbt_message_sanitize_subject ("Größe → 日本", NULL);
  g_autofree char *invalid = dbt_message_sanitize_subject ("bad \xff\xfe byte", NULL);
  g_autoptr(GString) longer = g_string_new (NULL);
  g_autofree char *with_suffix = NULL;

  g_assert_cmpstr (controls, ==, "Line one line two");
  g_assert_cmpstr (leading, ==, "Item");
  g_assert_cmpstr (empty, ==, "Notification");
  assert_valid_subject (unicode);
  g_assert_true (g_str_has_prefix (unicode, "Gro"));
  assert_valid_subject (invalid);
  g_assert_true (g_str_has_prefix (invalid, "bad "));

  for (guint i = 0; i < 30; i++)
    g_string_append (longer, "word ");
  with_suffix = dbt_message_sanitize_subject (longer->str, " (part 2 of 3)");
  assert_valid_subject (with_suffix);
  g_assert_cmpuint (strlen (with_suffix), <=, DBT_MESSAGE_SUBJECT_MAX_CHARS);
  g_assert_true (g_str_has_suffix (with_suffix, "... (part 2 of 3)"));
  /* No dangling blank before the ellipsis. */
  g_assert_null (strstr (with_suffix, " ..."));
}

/* Finds every "[... N bytes cut]" in @body; returns the sum of N. */
static gsize
sum_cut_markers (const char *body,
                 guint      *n_markers)
{
  gsize total = 0;

  *n_markers = 0;
  for (const char *p = strstr (body, "[... "); p != NULL; p = strstr (p + 1, "[... "))
    {
      char *end = NULL;
      guint64 n = g_ascii_strtoull (p + 5, &end, 10);

      if (end != NULL && g_str_has_prefix (end, " bytes cut]"))
        {
          total += n;
          (*n_markers)++;
        }
    }
  return total;
}

static void
test_too_big_values_are_shortened (void)
{
  /* An item near DynamoDB's 400 KB whose old and new values together are
   * far beyond one SNS message. */
  gsize big = 300 * 1000;
  g_autofree char *old_value = g_strnfill (big, 'a');
  g_autofree char *new_value = g_strnfill (big, 'b');
  g_autofree char *old_extra = g_strdup_printf ("\"doc\":{\"S\":\"%s\"},\"n\":{\"N\":\"1\"}", old_value);
  g_autofree char *new_extra = g_strdup_printf ("\"doc\":{\"S\":\"%s\"},\"n\":{\"N\":\"2\"}", new_value);
  g_autofree char *old_item = fixture_item_json ("a-1", "alice", old_extra);
  g_autofree char *new_item = fixture_item_json ("a-1", "alice", new_extra);
  g_autoptr(GPtrArray) notifications = notify (DBT_EVENT_MODIFY, "{\"id\":{\"S\":\"a-1\"}}", old_item, new_item);
  g_autoptr(DbtMessage) message = single (notifications, 0, DBT_MESSAGE_MAX_BYTES);
  guint n_markers = 0;
  gsize cut = sum_cut_markers (message->body, &n_markers);
  gsize kept_a = fixture_count (message->body, "a");
  gsize kept_b = fixture_count (message->body, "b");

  g_assert_cmpuint (dbt_message_size_bytes (message), <=, DBT_MESSAGE_MAX_BYTES);
  g_assert_cmpuint (dbt_message_size_bytes (message), <=, DBT_SNS_MESSAGE_MAX_BYTES);
  /* Both long values shortened, the short one untouched, and the markers
   * account for every byte removed: rendered value = quote + 300,000 + quote. */
  g_assert_cmpuint (n_markers, ==, 2);
  g_assert_nonnull (strstr (message->body, "\n  n: 1 → 2\n"));
  g_assert_cmpuint (cut, >, 0);
  /* Runs of 'a' and 'b' kept (within a few letters of the text around them). */
  g_assert_cmpuint (kept_a + kept_b, >, 200000);
  g_assert_cmpuint (kept_a + kept_b + cut, >=, 2 * big);
  g_assert_cmpuint (kept_a + kept_b + cut, <=, 2 * big + 60);
  /* The budget is used, not wasted: within 1 % of the limit. */
  g_assert_cmpuint (dbt_message_size_bytes (message), >, DBT_MESSAGE_MAX_BYTES * 99 / 100);
}

static void
test_shortening_keeps_utf8 (void)
{
  g_autoptr(GString) value = g_string_new (NULL);
  g_autofree char *extra = NULL;
  g_autofree char *item = NULL;
  g_autoptr(GPtrArray) notifications = NULL;
  g_autoptr(DbtMessage) message = NULL;
  guint n_markers = 0;

  for (guint i = 0; i < 2000; i++)
    g_string_append (value, "日本語€");
  extra = g_strdup_printf ("\"text\":{\"S\":\"%s\"}", value->str);
  item = fixture_item_json ("a-1", "alice", extra);
  notifications = notify (DBT_EVENT_INSERT, "{\"id\":{\"S\":\"a-1\"}}", NULL, item);
  message = single (notifications, 0, 4001);

  g_assert_cmpuint (dbt_message_size_bytes (message), <=, 4001);
  g_assert_true (g_utf8_validate (message->body, -1, NULL));
  sum_cut_markers (message->body, &n_markers);
  g_assert_cmpuint (n_markers, ==, 1);
}

static void
test_too_many_attributes_are_listed_up_to_the_limit (void)
{
  g_autoptr(GString) extra = g_string_new (NULL);
  g_autofree char *item = NULL;
  g_autoptr(GPtrArray) notifications = NULL;
  g_autoptr(DbtMessage) message = NULL;
  char *end = NULL;
  const char *marker;
  guint64 omitted;

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (extra, "%s\"attribute_%03u\":{\"N\":\"%u\"}", i ? "," : "", i, i);
  item = fixture_item_json ("a-1", "alice", extra->str);
  notifications = notify (DBT_EVENT_INSERT, "{\"id\":{\"S\":\"a-1\"}}", NULL, item);
  message = single (notifications, 0, 3000);

  g_assert_cmpuint (dbt_message_size_bytes (message), <=, 3000);
  marker = strstr (message->body, "[... ");
  g_assert_nonnull (marker);
  omitted = g_ascii_strtoull (marker + 5, &end, 10);
  g_assert_true (g_str_has_prefix (end, " more changes not shown, "));
  /* Lines shown + lines omitted = every attribute (500 + id + owner). */
  g_assert_cmpuint (fixture_count (message->body, "\n  ") - 1 + omitted, ==, 502);
  g_assert_nonnull (strstr (message->body, "\n  attribute_000: 0\n"));
  g_assert_null (strstr (message->body, "attribute_499"));
}

static void
test_many_attributes_fit_quickly (void)
{
  /* An item at DynamoDB's size limit made of 30,000 small attributes:
   * listing them all would take ~360 KB. */
  g_autoptr(GString) extra = g_string_new (NULL);
  g_autofree char *item = NULL;
  g_autoptr(GPtrArray) notifications = NULL;
  g_autoptr(DbtMessage) message = NULL;
  gint64 start;

  for (guint i = 0; i < 30000; i++)
    g_string_append_printf (extra, "%s\"a%05u\":{\"N\":\"1\"}", i ? "," : "", i);
  item = fixture_item_json ("a-1", "alice", extra->str);
  notifications = notify (DBT_EVENT_INSERT, "{\"id\":{\"S\":\"a-1\"}}", NULL, item);

  start = g_get_monotonic_time ();
  message = single (notifications, 0, DBT_MESSAGE_MAX_BYTES);
  /* Linear, not quadratic, in the number of attributes. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  g_assert_cmpuint (dbt_message_size_bytes (message), <=, DBT_MESSAGE_MAX_BYTES);
  g_assert_cmpuint (dbt_message_size_bytes (message), >, DBT_MESSAGE_MAX_BYTES - 200);
  g_assert_nonnull (strstr (message->body, " more changes not shown, "));
  g_assert_nonnull (strstr (message->body, "\n  a00000: 1\n"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/message/insert", test_insert_message);
  g_test_add_func ("/message/modify-exact-types", test_modify_exact_types);
  g_test_add_func ("/message/remove", test_remove_message);
  g_test_add_func ("/message/owner-change", test_owner_change_messages);
  g_test_add_func ("/message/subject/long-unicode-key", test_subject_long_unicode_key);
  g_test_add_func ("/message/subject/sanitize", test_sanitize_subject);
  g_test_add_func ("/message/size/values-shortened", test_too_big_values_are_shortened);
  g_test_add_func ("/message/size/utf8-boundaries", test_shortening_keeps_utf8);
  g_test_add_func ("/message/size/lines-omitted", test_too_many_attributes_are_listed_up_to_the_limit);
  g_test_add_func ("/message/size/many-attributes", test_many_attributes_fit_quickly);

  return g_test_run ();
}
