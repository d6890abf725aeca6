/* test-processor.c — which owners a batch of stream records concerns. */
#include <string.h>

#include "dbt-processor.h"
#include "handler-fixtures.h"

#define KEY(id) "{\"id\":{\"S\":\"" id "\"}}"

typedef struct
{
  DbtHandlerConfig *config;
  GPtrArray        *records;
  GPtrArray        *notifications;
  DbtBatchStats     stats;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->config = fixture_config (NULL);
  fixture->records = fixture_records_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->notifications, g_ptr_array_unref);
  g_ptr_array_unref (fixture->records);
  dbt_handler_config_free (fixture->config);
}

static void
add (Fixture     *fixture,
     DbtEventName event,
     const char  *seq,
     const char  *keys,
     const char  *old_json,
     const char  *new_json)
{
  g_ptr_array_add (fixture->records, fixture_record (event, seq, keys, old_json, new_json));
}

static void
run (Fixture *fixture)
{
  memset (&fixture->stats, 0, sizeof fixture->stats);
  g_clear_pointer (&fixture->notifications, g_ptr_array_unref);
  fixture->notifications = dbt_processor_run (fixture->config, fixture->records, &fixture->stats);
  g_assert_nonnull (fixture->notifications);
  g_assert_cmpuint (fixture->stats.records, ==, fixture->records->len);
}

static DbtNotification *
nth (Fixture *fixture,
     guint    i)
{
  g_assert_cmpuint (i, <, fixture->notifications->len);
  return g_ptr_array_index (fixture->notifications, i);
}

static const DbtChange *
change_at (const DbtNotification *notification,
           const char            *path)
{
  for (guint i = 0; i < notification->changes->len; i++)
    {
      const DbtChange *change = g_ptr_array_index (notification->changes, i);

      if (g_str_equal (change->path, path))
        return change;
    }
  return NULL;
}

static void
test_insert (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *item = fixture_item_json ("a-1", "alice", "\"total\":{\"N\":\"12.50\"}");
  DbtNotification *notification;
  g_autofree char *log_key = NULL;

  add (fixture, DBT_EVENT_INSERT, "100", KEY ("a-1"), NULL, item);
  run (fixture);

  g_assert_cmpuint (fixture->notifications->len, ==, 1);
  notification = nth (fixture, 0);
  g_assert_cmpstr (notification->owner, ==, "alice");
  g_assert_null (notification->other_owner);
  g_assert_cmpint (notification->role, ==, DBT_NOTIFICATION_CHANGED);
  g_assert_cmpint (notification->event_name, ==, DBT_EVENT_INSERT);
  g_assert_cmpstr (notification->table_name, ==, "orders");
  g_assert_cmpstr (notification->sequence_number, ==, "100");
  g_assert_cmpstr (notification->event_id, ==, "ev-100");
  g_assert_cmpuint (notification->record_index, ==, 0);
  /* Every attribute of the new item, as added. */
  g_assert_cmpuint (notification->changes->len, ==, 3);
  g_assert_nonnull (change_at (notification, "id"));
  g_assert_nonnull (change_at (notification, "owner"));
  g_assert_cmpint (change_at (notification, "total")->kind, ==, DBT_CHANGE_ADDED);
  g_assert_cmpstr (dbt_value_get_string (change_at (notification, "total")->new_value), ==, "12.50");
  log_key = dbt_notification_get_log_key (notification);
  g_assert_cmpstr (log_key, ==, "ev-100#alice");
  g_assert_cmpuint (fixture->stats.skipped_no_owner + fixture->stats.skipped_no_change +
                    fixture->stats.skipped_no_image, ==, 0);
}

static void
test_modify_same_owner (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *old_item = fixture_item_json ("a-1", "alice", "\"status\":{\"S\":\"new\"},\"updatedAt\":{\"N\":\"1\"}");
  g_autofree char *new_item = fixture_item_json ("a-1", "alice", "\"status\":{\"S\":\"paid\"},\"updatedAt\":{\"N\":\"2\"}");
  DbtNotification *notification;
  const DbtChange *status;

  add (fixture, DBT_EVENT_MODIFY, "200", KEY ("a-1"), old_item, new_item);
  run (fixture);

  g_assert_cmpuint (fixture->notifications->len, ==, 1);
  notification = nth (fixture, 0);
  g_assert_cmpstr (notification->owner, ==, "alice");
  g_assert_cmpint (notification->role, ==, DBT_NOTIFICATION_CHANGED);
  /* updatedAt is ignored by default: only status is reported. */
  g_assert_cmpuint (notification->changes->len, ==, 1);
  status = change_at (notification, "status");
  g_assert_nonnull (status);
  g_assert_cmpint (status->kind, ==, DBT_CHANGE_MODIFIED);
  g_assert_cmpstr (dbt_value_get_string (status->old_value), ==, "new");
  g_assert_cmpstr (dbt_value_get_string (status->new_value), ==, "paid");
}

static void
test_modify_owner_change (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *old_item = fixture_item_json ("a-1", "alice", NULL);
  g_autofree char *new_item = fixture_item_json ("a-1", "bob", NULL);
  DbtNotification *first, *second;

  add (fixture, DBT_EVENT_MODIFY, "300", KEY ("a-1"), old_item, new_item);
  run (fixture);

  g_assert_cmpuint (fixture->notifications->len, ==, 2);
  first = nth (fixture, 0);
  second = nth (fixture, 1);
  g_assert_cmpstr (first->owner, ==, "bob");
  g_assert_cmpint (first->role, ==, DBT_NOTIFICATION_ASSIGNED);
  g_assert_cmpstr (first->other_owner, ==, "alice");
  g_assert_cmpstr (second->owner, ==, "alice");
  g_assert_cmpint (second->role, ==, DBT_NOTIFICATION_UNASSIGNED);
  g_assert_cmpstr (second->other_owner, ==, "bob");
  /* Both come from the same record. */
  g_assert_cmpstr (first->event_id, ==, second->event_id);
  g_assert_cmpuint (first->record_index, ==, second->record_index);
  g_assert_nonnull (change_at (first, "owner"));
}

static void
test_modify_owner_added_and_removed (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autofree char *unowned = fixture_item_json ("a-1", NULL, NULL);
  g_autofree char *owned = fixture_item_json ("a-1", "carol", NULL);

  add (fixture, DBT_EVENT_MODIFY, "1", KEY ("a-1"), unowned, owned);
  add (fixture, DBT_EVENT_MODIFY, "2", KEY ("a-1"), owned, unowned);
  run (fixture);

  g_assert_cmpuint (fixture->notifications->len, ==, 2);
  g_assert_cmpstr (nth (fixture, 0)->owner, ==, "carol");
  g_assert_cmpint (nth (fixture, 0)->role, ==, DBT_NOTIFICATION_ASSIGNED);
  g_assert_null (nth (fixture, 0)->other_owner);
  g_assert_cmpstr (nth (fixture, 1)->owner, ==, "carol");
  g_assert_cmpint (nth (fixture, 1)->role, ==, DBT_NOTIFICATION_UNASSIGNED);
  g_assert_null (nth (fixture, 1)->other_owner);
}

static void
test_modify_nothing_changed (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *item = fixture_item_json ("a-1", "alice", "\"n\":{\"N\":\"1.0\"}");
  g_autofree char *same_number = fixture_item_json ("a-1", "alice", "\"n\":{\"N\":\"1\"}");
  g_autofree char *old_stamp = fixture_item_json ("a-1", "alice", "\"updatedAt\":{\"N\":\"1\"}");
  g_autofree char *new_stamp = fixture_item_json ("a-1", "alice", "\"updatedAt\":{\"N\":\"2\"}");

  add (fixture, DBT_EVENT_MODIFY, "1", KEY ("a-1"), item, item);
  add (fixture, DBT_EVENT_MODIFY, "2", KEY ("a-1"), item, same_number);   /* 1.0 == 1 */
  add (fixture, DBT_EVENT_MODIFY, "3", KEY ("a-1"), old_stamp, new_stamp);
  run (fixture);

  g_assert_cmpuint (fixture->notifications->len, ==, 0);
  g_assert_cmpuint (fixture->stats.skipped_no_change, ==, 3);
  g_assert_cmpuint (fixture->stats.skipped_no_owner, ==, 0);
}

static void
test_ignored_list_is_configurable (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(DbtHandlerConfig) config = fixture_config ("IGNORED_ATTRIBUTES=version, owner", NULL);
  g_autofree char *v1 = fixture_item_json ("a-1", "alice", "\"version\":{\"N\":\"1\"},\"updatedAt\":{\"N\":\"1\"}");
  g_autofree char *v2 = fixture_item_json ("a-1", "alice", "\"version\":{\"N\":\"2\"},\"updatedAt\":{\"N\":\"1\"}");
  g_autofree char *v3 = fixture_item_json ("a-1", "alice", "\"version\":{\"N\":\"2\"},\"updatedAt\":{\"N\":\"2\"}");
  g_autofree char *v4 = fixture_item_json ("a-1", "bob", "\"version\":{\"N\":\"2\"},\"updatedAt\":{\"N\":\"2\"}");

  dbt_handler_config_free (fixture->config);
  fixture->config = g_steal_pointer (&config);

  add (fixture, DBT_EVENT_MODIFY, "1", KEY ("a-1"), v1, v2);  /* only version: ignored */
  add (fixture, DBT_EVENT_MODIFY, "2", KEY ("a-1"), v2, v3);  /* updatedAt is no longer ignored */
  add (fixture, DBT_EVENT_MODIFY, "3", KEY ("a-1"), v3, v4);  /* the owner attribute is never ignored */
  run (fixture);

  g_assert_cmpuint (fixture->stats.skipped_no_change, ==, 1);
  g_assert_cmpuint (fixture->notifications->len, ==, 3);
  g_assert_cmpstr (nth (fixture, 0)->sequence_number, ==, "2");
  g_assert_nonnull (change_at (nth (fixture, 0), "updatedAt"));
  g_assert_cmpstr (nth (fixture, 1)->owner, ==, "bob");
  g_assert_cmpstr (nth (fixture, 2)->owner, ==, "alice");
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *item = fixture_item_json ("a-1", "alice", "\"tags\":{\"SS\":[\"x\",\"y\"]}");
  DbtNotification *notification;

  add (fixture, DBT_EVENT_REMOVE, "400", KEY ("a-1"), item, NULL);
  run (fixture);

  g_assert_cmpuint (fixture->notifications->len, ==, 1);
  notification = nth (fixture, 0);
  g_assert_cmpstr (notification->owner, ==, "alice");
  g_assert_cmpint (notification->event_name, ==, DBT_EVENT_REMOVE);
  g_assert_cmpuint (notification->changes->len, ==, 3);
  g_assert_cmpint (change_at (notification, "tags")->kind, ==, DBT_CHANGE_REMOVED);
  g_assert_null (change_at (notification, "tags")->new_value);
}

static void
test_no_owner (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *absent = fixture_item_json ("a-1", NULL, NULL);
  g_autofree char *empty = fixture_item_json ("a-2", "", NULL);
  const char *number = "{\"id\":{\"S\":\"a-3\"},\"owner\":{\"N\":\"42\"}}";
  const char *set = "{\"id\":{\"S\":\"a-4\"},\"owner\":{\"SS\":[\"alice\"]}}";
  g_autofree char *number_changed = g_strdup ("{\"id\":{\"S\":\"a-3\"},\"owner\":{\"N\":\"43\"}}");

  add (fixture, DBT_EVENT_INSERT, "1", KEY ("a-1"), NULL, absent);
  add (fixture, DBT_EVENT_INSERT, "2", KEY ("a-2"), NULL, empty);
  add (fixture, DBT_EVENT_INSERT, "3", KEY ("a-3"), NULL, number);
  add (fixture, DBT_EVENT_REMOVE, "4", KEY ("a-4"), set, NULL);
  add (fixture, DBT_EVENT_MODIFY, "5", KEY ("a-3"), number, number_changed);
  run (fixture);

  g_assert_cmpuint (fixture->notifications->len, ==, 0);
  g_assert_cmpuint (fixture->stats.skipped_no_owner, ==, 5);
  g_assert_cmpuint (dbt_batch_stats_get_skipped (&fixture->stats), ==, 5);
}

static void
test_no_image (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *item = fixture_item_json ("a-1", "alice", NULL);

  /* KEYS_ONLY: no images at all. */
  add (fixture, DBT_EVENT_INSERT, "1", KEY ("a-1"), NULL, NULL);
  add (fixture, DBT_EVENT_MODIFY, "2", KEY ("a-1"), NULL, NULL);
  add (fixture, DBT_EVENT_REMOVE, "3", KEY ("a-1"), NULL, NULL);
  /* NEW_IMAGE: MODIFY cannot be diffed, REMOVE has nothing. */
  add (fixture, DBT_EVENT_MODIFY, "4", KEY ("a-1"), NULL, item);
  add (fixture, DBT_EVENT_REMOVE, "5", KEY ("a-1"), NULL, NULL);
  /* and one that is fine */
  add (fixture, DBT_EVENT_INSERT, "6", KEY ("a-1"), NULL, item);
  run (fixture);

  g_assert_cmpuint (fixture->stats.skipped_no_image, ==, 5);
  g_assert_cmpuint (fixture->notifications->len, ==, 1);
  g_assert_cmpstr (nth (fixture, 0)->sequence_number, ==, "6");
  g_assert_cmpuint (nth (fixture, 0)->record_index, ==, 5);
}

static void
test_custom_owner_attribute (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(DbtHandlerConfig) config = fixture_config ("OWNER_ATTRIBUTE=assignee", NULL);
  g_autofree char *item = fixture_item_json ("a-1", "alice", "\"assignee\":{\"S\":\"dave\"}");

  dbt_handler_config_free (fixture->config);
  fixture->config = g_steal_pointer (&config);
  add (fixture, DBT_EVENT_INSERT, "1", KEY ("a-1"), NULL, item);
  run (fixture);

  g_assert_cmpuint (fixture->notifications->len, ==, 1);
  g_assert_cmpstr (nth (fixture, 0)->owner, ==, "dave");
}

static void
test_stream_order (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *owners[] = { "carol", "alice", "bob", "alice", "carol" };
  const char *seqs[] = { "10", "11", "12", "13", "14" };

  for (guint i = 0; i < G_N_ELEMENTS (owners); i++)
    {
      g_autofree char *id = g_strdup_printf ("k-%u", i);
      g_autofree char *keys = g_strdup_printf ("{\"id\":{\"S\":\"%s\"}}", id);
      g_autofree char *item = fixture_item_json (id, owners[i], NULL);

      add (fixture, DBT_EVENT_INSERT, seqs[i], keys, NULL, item);
    }
  run (fixture);

  g_assert_cmpuint (fixture->notifications->len, ==, G_N_ELEMENTS (owners));
  for (guint i = 0; i < G_N_ELEMENTS (owners); i++)
    {
      g_autofree char *key_text = g_strdup_printf ("id=\"k-%u\"", i);

      g_assert_cmpuint (nth (fixture, i)->record_index, ==, i);
      g_assert_cmpstr (nth (fixture, i)->owner, ==, owners[i]);
      g_assert_cmpstr (nth (fixture, i)->sequence_number, ==, seqs[i]);
      g_assert_cmpstr (nth (fixture, i)->key_text, ==, key_text);
    }
}

static void
test_table_name (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(DbtHandlerConfig) config = fixture_config ("TABLE_NAME=invoices", NULL);
  g_autofree char *item = fixture_item_json ("a-1", "alice", NULL);
  DbtStreamRecord *no_arn;

  add (fixture, DBT_EVENT_INSERT, "1", KEY ("a-1"), NULL, item);
  no_arn = fixture_record (DBT_EVENT_INSERT, "2", KEY ("a-1"), NULL, item);
  g_clear_pointer (&no_arn->event_source_arn, g_free);
  g_ptr_array_add (fixture->records, no_arn);
  run (fixture);
  g_assert_cmpstr (nth (fixture, 0)->table_name, ==, "orders");
  g_assert_cmpstr (nth (fixture, 1)->table_name, ==, "unknown");

  dbt_handler_config_free (fixture->config);
  fixture->config = g_steal_pointer (&config);
  run (fixture);
  g_assert_cmpstr (nth (fixture, 0)->table_name, ==, "invoices");
  g_assert_cmpstr (nth (fixture, 1)->table_name, ==, "invoices");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/processor/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("insert", test_insert);
  ADD ("modify/same-owner", test_modify_same_owner);
  ADD ("modify/owner-change", test_modify_owner_change);
  ADD ("modify/owner-added-and-removed", test_modify_owner_added_and_removed);
  ADD ("modify/nothing-changed", test_modify_nothing_changed);
  ADD ("modify/ignored-list", test_ignored_list_is_configurable);
  ADD ("remove", test_remove);
  ADD ("no-owner", test_no_owner);
  ADD ("no-image", test_no_image);
  ADD ("custom-owner-attribute", test_custom_owner_attribute);
  ADD ("stream-order", test_stream_order);
  ADD ("table-name", test_table_name);

#undef ADD

  return g_test_run ();
}
