/* test-delivery.c — effectively-once delivery through an in-memory sink. */
#include <string.h>

#include <json-glib/json-glib.h>

#include "dbt-delivery.h"
#include "dbt-error.h"
#include "dbt-processor.h"
#include "handler-fixtures.h"

#define NOW_MS G_GINT64_CONSTANT (1700000000000)

/* ------------------------------------------------------------------ */
/* The fake sink: a notification log in a hash table and a recorder   */
/* for publish requests, with failures to order.                       */

typedef enum
{
  ENTRY_CLAIMED,
  ENTRY_SENT,
} EntryState;

typedef struct
{
  EntryState state;
  gint64     claimed_at;
  gint64     expires_at;
  char      *message_id;
} LogEntry;

typedef struct
{
  guint      call;          /* which publish_batch request */
  char      *owner;
  char      *subject;
  gsize      size;
  GPtrArray *log_keys;      /* char* */
  GPtrArray *key_ids;       /* char* */
  GArray    *records;       /* guint record indices */
} Published;

typedef struct
{
  GHashTable *log;              /* log_key → LogEntry* */
  GPtrArray  *published;        /* Published*, every run */
  guint       calls;
  GHashTable *failing_owners;   /* owner set: publish fails */
  GHashTable *failing_claims;   /* log_key set: claim fails */
  gboolean    fail_all_publishes;
  const char *publish_error_code;   /* the failing publishes' AWS code, or none */
  gboolean    fail_mark_sent;
  guint       next_message_id;
  DbtDeliverySink sink;
} FakeSink;

static void
log_entry_free (gpointer data)
{
  LogEntry *entry = data;

  g_free (entry->message_id);
  g_free (entry);
}

static void
published_free (gpointer data)
{
  Published *published = data;

  g_free (published->owner);
  g_free (published->subject);
  g_ptr_array_unref (published->log_keys);
  g_ptr_array_unref (published->key_ids);
  g_array_unref (published->records);
  g_free (published);
}

static gboolean
fake_claim (gpointer               user_data,
            const char            *log_key,
            const DbtNotification *notification,
            gint64                 now_ms,
            gint64                 expires_at_s,
            DbtClaimOutcome       *outcome,
            gint64                *claimed_at_ms,
            GError               **error)
{
  FakeSink *fake = user_data;
  LogEntry *entry;
  g_autofree char *expected_key = dbt_notification_get_log_key (notification);

  g_assert_cmpstr (log_key, ==, expected_key);
  if (g_hash_table_contains (fake->failing_claims, log_key))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_THROTTLED, "ProvisionedThroughputExceededException",
                         400, NULL, "throttled");
      return FALSE;
    }
  entry = g_hash_table_lookup (fake->log, log_key);
  if (entry != NULL)
    {
      *outcome = entry->state == ENTRY_SENT ? DBT_CLAIM_SENT : DBT_CLAIM_PENDING;
      *claimed_at_ms = entry->claimed_at;
      return TRUE;
    }
  entry = g_new0 (LogEntry, 1);
  entry->state = ENTRY_CLAIMED;
  entry->claimed_at = now_ms;
  entry->expires_at = expires_at_s;
  g_hash_table_insert (fake->log, g_strdup (log_key), entry);
  *outcome = DBT_CLAIM_ACQUIRED;
  return TRUE;
}

static LogEntry *
claimed_entry (FakeSink   *fake,
               const char *log_key,
               gint64      claimed_at,
               GError    **error)
{
  LogEntry *entry = g_hash_table_lookup (fake->log, log_key);

  if (entry == NULL || entry->state != ENTRY_CLAIMED || entry->claimed_at != claimed_at)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONDITION_FAILED, "ConditionalCheckFailedException",
                         400, NULL, "The conditional request failed");
      return NULL;
    }
  return entry;
}

static gboolean
fake_reclaim (gpointer    user_data,
              const char *log_key,
              gint64      stale_claimed_at_ms,
              gint64      now_ms,
              GError    **error)
{
  LogEntry *entry = claimed_entry (user_data, log_key, stale_claimed_at_ms, error);

  if (entry == NULL)
    return FALSE;
  entry->claimed_at = now_ms;
  return TRUE;
}

static void
fake_publish_batch (gpointer           user_data,
                    DbtMessage *const *messages,
                    guint              n_messages,
                    DbtPublishResult  *results)
{
  FakeSink *fake = user_data;

  g_assert_cmpuint (n_messages, >=, 1);
  g_assert_cmpuint (n_messages, <=, DBT_PUBLISH_BATCH_MAX_ENTRIES);
  fake->calls++;

  for (guint i = 0; i < n_messages; i++)
    {
      const DbtMessage *message = messages[i];
      Published *published;

      if (fake->fail_all_publishes || g_hash_table_contains (fake->failing_owners, message->owner))
        {
          if (fake->publish_error_code != NULL)
            dbt_aws_set_error (&results[i].error, DBT_AWS_ERROR_TIMEOUT, fake->publish_error_code,
                               0, NULL, "publish to %s not started", message->owner);
          else
            results[i].error = g_error_new (DBT_AWS_ERROR, DBT_AWS_ERROR_SERVER, "InternalError");
          continue;
        }
      results[i].message_id = g_strdup_printf ("msg-%u", ++fake->next_message_id);

      published = g_new0 (Published, 1);
      published->call = fake->calls;
      published->owner = g_strdup (message->owner);
      published->subject = g_strdup (message->subject);
      published->size = dbt_message_size_bytes (message);
      published->log_keys = g_ptr_array_new_with_free_func (g_free);
      published->key_ids = g_ptr_array_new_with_free_func (g_free);
      published->records = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint j = 0; j < message->notifications->len; j++)
        {
          const DbtNotification *notification = g_ptr_array_index (message->notifications, j);

          g_ptr_array_add (published->log_keys, dbt_notification_get_log_key (notification));
          g_ptr_array_add (published->key_ids, g_strdup (notification->key_id));
          g_array_append_val (published->records, notification->record_index);
        }
      g_ptr_array_add (fake->published, published);
    }
}

static gboolean
fake_mark_sent (gpointer    user_data,
                const char *log_key,
                gint64      claimed_at_ms,
                const char *message_id,
                gint64      sent_at_ms,
                GError    **error)
{
  FakeSink *fake = user_data;
  LogEntry *entry;

  if (fake->fail_mark_sent)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_SERVER, "InternalServerError", 500, NULL, "down");
      return FALSE;
    }
  entry = claimed_entry (fake, log_key, claimed_at_ms, error);
  if (entry == NULL)
    return FALSE;
  entry->state = ENTRY_SENT;
  entry->message_id = g_strdup (message_id);
  return TRUE;
}

static gboolean
fake_release (gpointer    user_data,
              const char *log_key,
              gint64      claimed_at_ms,
              GError    **error)
{
  FakeSink *fake = user_data;

  if (claimed_entry (fake, log_key, claimed_at_ms, error) == NULL)
    return FALSE;
  g_hash_table_remove (fake->log, log_key);
  return TRUE;
}

static gint64
fake_now (gpointer user_data)
{
  return NOW_MS;
}

/* ------------------------------------------------------------------ */

typedef struct
{
  FakeSink           fake;
  DbtHandlerConfig  *config;
  DbtDeliveryOptions options;
  GPtrArray         *records;
  DbtBatchStats      stats;
  DbtDeliveryResult *result;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  FakeSink *fake = &fixture->fake;

  fake->log = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, log_entry_free);
  fake->published = g_ptr_array_new_with_free_func (published_free);
  fake->failing_owners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fake->failing_claims = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fake->sink.claim = fake_claim;
  fake->sink.reclaim = fake_reclaim;
  fake->sink.publish_batch = fake_publish_batch;
  fake->sink.mark_sent = fake_mark_sent;
  fake->sink.release = fake_release;
  fake->sink.now_ms = fake_now;
  fake->sink.user_data = fake;

  fixture->config = fixture_config ("FUNCTION_TIMEOUT_SECONDS=60", "NOTIFICATION_TTL_DAYS=2", NULL);
  dbt_delivery_options_init (&fixture->options, fixture->config);
  fixture->records = fixture_records_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->result, dbt_delivery_result_free);
  g_ptr_array_unref (fixture->records);
  dbt_handler_config_free (fixture->config);
  g_hash_table_unref (fixture->fake.log);
  g_ptr_array_unref (fixture->fake.published);
  g_hash_table_unref (fixture->fake.failing_owners);
  g_hash_table_unref (fixture->fake.failing_claims);
}

/* A MODIFY of @id (note: seq) moving it from @old_owner to @new_owner. */
static void
add (Fixture    *fixture,
     const char *seq,
     const char *id,
     const char *old_owner,
     const char *new_owner)
{
  g_autofree char *keys = g_strdup_printf ("{\"id\":{\"S\":\"%s\"}}", id);
  g_autofree char *old_extra = g_strdup_printf ("\"note\":{\"S\":\"before %s\"}", seq);
  g_autofree char *new_extra = g_strdup_printf ("\"note\":{\"S\":\"after %s\"}", seq);
  g_autofree char *old_item = fixture_item_json (id, old_owner, old_extra);
  g_autofree char *new_item = fixture_item_json (id, new_owner, new_extra);

  g_ptr_array_add (fixture->records,
                   fixture_record (DBT_EVENT_MODIFY, seq, keys, old_item, new_item));
}

/* Processes and delivers the records from @first on (Lambda retries from
 * the first failed record). Returns how many messages were published. */
static guint
deliver_from (Fixture *fixture,
              guint    first)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new ();
  g_autoptr(GPtrArray) notifications = NULL;
  guint published_before = fixture->fake.published->len;

  for (guint i = first; i < fixture->records->len; i++)
    g_ptr_array_add (records, g_ptr_array_index (fixture->records, i));

  memset (&fixture->stats, 0, sizeof fixture->stats);
  g_clear_pointer (&fixture->result, dbt_delivery_result_free);
  notifications = dbt_processor_run (fixture->config, records, &fixture->stats);
  fixture->result = dbt_delivery_run (&fixture->options, notifications,
                                      &fixture->fake.sink, &fixture->stats);
  g_assert_nonnull (fixture->result);
  g_assert_cmpuint (fixture->stats.failed, ==, fixture->result->failed_records->len);
  /* Every failed record has one cause. */
  {
    guint causes = 0;

    for (guint i = 0; i < DBT_BATCH_STATS_MAX_CAUSES; i++)
      causes += fixture->stats.failure_causes[i].count;
    g_assert_cmpuint (causes, ==, fixture->stats.failed);
  }
  return fixture->fake.published->len - published_before;
}

/* How many failed records the log line puts down to @cause (0 when
 * it names no such cause). */
static gint64
failures_of (Fixture    *fixture,
             const char *cause)
{
  g_autofree char *line = dbt_batch_stats_to_log_line (&fixture->stats, NULL, 0);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *failures;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  failures = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                            "failures");
  g_assert_nonnull (failures);
  return json_object_get_int_member_with_default (failures, cause, 0);
}

static guint
n_failure_causes (Fixture *fixture)
{
  guint n = 0;

  for (guint i = 0; i < DBT_BATCH_STATS_MAX_CAUSES; i++)
    n += fixture->stats.failure_causes[i].cause[0] != '\0';
  return n;
}

static guint
deliver (Fixture *fixture)
{
  return deliver_from (fixture, 0);
}

static Published *
published_at (Fixture *fixture,
              guint    i)
{
  g_assert_cmpuint (i, <, fixture->fake.published->len);
  return g_ptr_array_index (fixture->fake.published, i);
}

static LogEntry *
log_entry (Fixture    *fixture,
           const char *log_key)
{
  return g_hash_table_lookup (fixture->fake.log, log_key);
}

/* The batch response, parsed: the itemIdentifier it names or NULL. */
static char *
response_identifier (Fixture *fixture)
{
  g_autofree char *json = dbt_batch_response_render (fixture->result->first_failed_sequence_number);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *failures;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  failures = json_object_get_array_member (root, "batchItemFailures");
  g_assert_nonnull (failures);
  g_assert_cmpuint (json_object_get_size (root), ==, 1);
  if (json_array_get_length (failures) == 0)
    return NULL;
  g_assert_cmpuint (json_array_get_length (failures), ==, 1);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (failures, 0),
                                                  "itemIdentifier"));
}

static void
assert_failed_records (Fixture     *fixture,
                       const guint *expected,
                       guint        n_expected)
{
  GArray *failed = fixture->result->failed_records;

  g_assert_cmpuint (failed->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpuint (g_array_index (failed, guint, i), ==, expected[i]);
}

/* ------------------------------------------------------------------ */

static void
test_deliver_then_retry_sends_nothing (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autofree char *identifier = NULL;
  LogEntry *entry;

  add (fixture, "101", "k-1", "alice", "alice");
  add (fixture, "102", "k-2", "bob", "bob");
  add (fixture, "103", "k-3", "alice", "alice");
  add (fixture, "104", "k-4", "carol", "carol");
  add (fixture, "105", "k-2", "bob", "bob");

  g_assert_cmpuint (deliver (fixture), ==, 3);
  g_assert_cmpuint (fixture->fake.calls, ==, 1);
  g_assert_cmpuint (fixture->stats.notified, ==, 3);
  g_assert_cmpuint (fixture->stats.changes_delivered, ==, 5);
  g_assert_cmpuint (fixture->stats.failed, ==, 0);
  g_assert_cmpuint (fixture->stats.duplicates, ==, 0);
  g_assert_null (fixture->result->first_failed_sequence_number);
  identifier = response_identifier (fixture);
  g_assert_null (identifier);
  g_assert_cmpuint (fixture->result->messages_built, ==, 3);

  /* Every pair is SENT with its message id and expires after the TTL. */
  g_assert_cmpuint (g_hash_table_size (fixture->fake.log), ==, 5);
  entry = log_entry (fixture, "ev-103#alice");
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->state, ==, ENTRY_SENT);
  g_assert_true (g_str_has_prefix (entry->message_id, "msg-"));
  g_assert_cmpint (entry->expires_at, ==, NOW_MS / 1000 + 2 * 24 * 3600);
  g_assert_cmpstr (log_entry (fixture, "ev-101#alice")->message_id, ==, entry->message_id);

  /* Lambda delivers the same batch again: nothing new goes out. */
  g_assert_cmpuint (deliver (fixture), ==, 0);
  g_assert_cmpuint (fixture->fake.calls, ==, 1);
  g_assert_cmpuint (fixture->stats.duplicates, ==, 5);
  g_assert_cmpuint (fixture->stats.notified, ==, 0);
  g_assert_cmpuint (fixture->stats.failed, ==, 0);
}

static void
test_failed_owner_is_resent_alone (Fixture       *fixture,
                                   gconstpointer  data)
{
  const guint expected_failed[] = { 1 };
  g_autofree char *identifier = NULL;
  Published *retry;

  add (fixture, "201", "k-1", "alice", "alice");
  add (fixture, "202", "k-2", "bob", "bob");
  add (fixture, "203", "k-3", "alice", "alice");
  add (fixture, "204", "k-4", "carol", "carol");
  g_hash_table_add (fixture->fake.failing_owners, g_strdup ("bob"));

  g_assert_cmpuint (deliver (fixture), ==, 2);
  assert_failed_records (fixture, expected_failed, G_N_ELEMENTS (expected_failed));
  g_assert_cmpstr (fixture->result->first_failed_sequence_number, ==, "202");
  identifier = response_identifier (fixture);
  g_assert_cmpstr (identifier, ==, "202");
  g_assert_cmpuint (fixture->stats.failed, ==, 1);
  /* No AWS code: the error's own code names the cause. */
  g_assert_cmpint (failures_of (fixture, "Server"), ==, 1);
  g_assert_cmpuint (n_failure_causes (fixture), ==, 1);
  g_assert_cmpuint (fixture->stats.notified, ==, 2);
  /* bob's claim was released so the retry can send at once. */
  g_assert_null (log_entry (fixture, "ev-202#bob"));

  /* Lambda retries from 202; bob's publish works this time. */
  g_hash_table_remove_all (fixture->fake.failing_owners);
  g_assert_cmpuint (deliver_from (fixture, 1), ==, 1);
  retry = published_at (fixture, fixture->fake.published->len - 1);
  g_assert_cmpstr (retry->owner, ==, "bob");
  g_assert_cmpuint (retry->log_keys->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (retry->log_keys, 0), ==, "ev-202#bob");
  g_assert_cmpuint (fixture->stats.duplicates, ==, 2);
  g_assert_cmpuint (fixture->stats.failed, ==, 0);
  g_assert_cmpuint (n_failure_causes (fixture), ==, 0);
  g_assert_cmpint (log_entry (fixture, "ev-202#bob")->state, ==, ENTRY_SENT);
}

static void
test_same_key_order_is_kept (Fixture       *fixture,
                             gconstpointer  data)
{
  const guint expected_failed[] = { 1, 2, 4 };
  g_autofree char *identifier = NULL;

  add (fixture, "301", "k-0", "dave", "dave");   /* another item, fine */
  add (fixture, "302", "k-1", "alice", "alice"); /* fails */
  add (fixture, "303", "k-1", "bob", "bob");     /* same item, later: held */
  add (fixture, "304", "k-2", "carol", "carol"); /* another item: sent */
  add (fixture, "305", "k-1", "erin", "erin");   /* same item, later: held */
  g_hash_table_add (fixture->fake.failing_owners, g_strdup ("alice"));

  g_assert_cmpuint (deliver (fixture), ==, 2);
  assert_failed_records (fixture, expected_failed, G_N_ELEMENTS (expected_failed));
  identifier = response_identifier (fixture);
  g_assert_cmpstr (identifier, ==, "302");
  g_assert_cmpint (failures_of (fixture, "Server"), ==, 1);
  g_assert_cmpint (failures_of (fixture, "EarlierRecordFailed"), ==, 2);
  for (guint i = 0; i < fixture->fake.published->len; i++)
    {
      Published *published = published_at (fixture, i);

      g_assert_cmpstr (published->owner, !=, "bob");
      g_assert_cmpstr (published->owner, !=, "erin");
    }
  /* Nothing of the held records is left claimed. */
  g_assert_null (log_entry (fixture, "ev-302#alice"));
  g_assert_null (log_entry (fixture, "ev-303#bob"));
  g_assert_null (log_entry (fixture, "ev-305#erin"));

  /* The retry (from 302) sends the three k-1 changes, each in a request
   * after the previous one, and nothing twice. */
  g_hash_table_remove_all (fixture->fake.failing_owners);
  g_assert_cmpuint (deliver_from (fixture, 1), ==, 3);
  g_assert_cmpuint (fixture->stats.duplicates, ==, 1);
  {
    guint n = fixture->fake.published->len;
    Published *alice = published_at (fixture, n - 3);
    Published *bob = published_at (fixture, n - 2);
    Published *erin = published_at (fixture, n - 1);

    g_assert_cmpstr (alice->owner, ==, "alice");
    g_assert_cmpstr (bob->owner, ==, "bob");
    g_assert_cmpstr (erin->owner, ==, "erin");
    g_assert_cmpuint (alice->call, <, bob->call);
    g_assert_cmpuint (bob->call, <, erin->call);
  }
}

static void
test_requests_hold_ten_and_no_shared_key (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(GHashTable) calls_seen = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *seq = g_strdup_printf ("%u", 400 + i);
      g_autofree char *id = g_strdup_printf ("k-%u", i);
      g_autofree char *owner = g_strdup_printf ("owner-%02u", i);

      add (fixture, seq, id, owner, owner);
    }
  /* Two more owners on item k-3, already covered in the first request. */
  add (fixture, "500", "k-3", "zoe", "zoe");
  add (fixture, "501", "k-3", "yann", "yann");

  g_assert_cmpuint (deliver (fixture), ==, 27);
  g_assert_cmpuint (fixture->stats.failed, ==, 0);
  /* 27 messages, 10 per request at most, k-3 never twice in one request. */
  g_assert_cmpuint (fixture->fake.calls, >=, 3);
  for (guint i = 0; i < fixture->fake.published->len; i++)
    {
      Published *a = published_at (fixture, i);
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (calls_seen, GUINT_TO_POINTER (a->call)));

      g_hash_table_insert (calls_seen, GUINT_TO_POINTER (a->call), GUINT_TO_POINTER (count + 1));
      for (guint j = i + 1; j < fixture->fake.published->len; j++)
        {
          Published *b = published_at (fixture, j);

          g_assert_cmpuint (a->call, <=, b->call);   /* stream order */
          if (g_str_equal (g_ptr_array_index (a->key_ids, 0), g_ptr_array_index (b->key_ids, 0)))
            g_assert_cmpuint (a->call, <, b->call);
        }
    }
  for (guint call = 1; call <= fixture->fake.calls; call++)
    g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (calls_seen, GUINT_TO_POINTER (call))), <=, 10);
}

static void
test_request_size_limit (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GHashTable) bytes_per_call = g_hash_table_new (NULL, NULL);
  g_autofree char *long_note = g_strnfill (3000, 'x');

  fixture->options.max_message_bytes = 8000;
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *seq = g_strdup_printf ("%u", 600 + i);
      g_autofree char *id = g_strdup_printf ("k-%u", i);
      g_autofree char *owner = g_strdup_printf ("owner-%u", i);
      g_autofree char *keys = g_strdup_printf ("{\"id\":{\"S\":\"%s\"}}", id);
      g_autofree char *extra = g_strdup_printf ("\"note\":{\"S\":\"%s\"}", long_note);
      g_autofree char *item = fixture_item_json (id, owner, extra);

      g_ptr_array_add (fixture->records, fixture_record (DBT_EVENT_INSERT, seq, keys, NULL, item));
    }

  g_assert_cmpuint (deliver (fixture), ==, 6);
  /* ~3 KB each: two fit in 8,000 bytes, three do not. */
  g_assert_cmpuint (fixture->fake.calls, ==, 3);
  for (guint i = 0; i < fixture->fake.published->len; i++)
    {
      Published *published = published_at (fixture, i);
      gsize bytes = GPOINTER_TO_SIZE (g_hash_table_lookup (bytes_per_call, GUINT_TO_POINTER (published->call)));

      g_assert_cmpuint (published->size, >, 3000);
      g_hash_table_insert (bytes_per_call, GUINT_TO_POINTER (published->call),
                           GSIZE_TO_POINTER (bytes + published->size));
    }
  for (guint call = 1; call <= fixture->fake.calls; call++)
    g_assert_cmpuint (GPOINTER_TO_SIZE (g_hash_table_lookup (bytes_per_call, GUINT_TO_POINTER (call))),
                      <=, 8000);
}

static void
insert_claim (Fixture    *fixture,
              const char *log_key,
              gint64      claimed_at)
{
  LogEntry *entry = g_new0 (LogEntry, 1);

  entry->state = ENTRY_CLAIMED;
  entry->claimed_at = claimed_at;
  g_hash_table_insert (fixture->fake.log, g_strdup (log_key), entry);
}

static void
test_pending_claims (Fixture       *fixture,
                     gconstpointer  data)
{
  const guint expected_failed[] = { 0 };
  gint64 young = NOW_MS - 5 * 1000;
  gint64 stale = NOW_MS - 61 * 1000;    /* FUNCTION_TIMEOUT_SECONDS=60 */
  LogEntry *entry;

  add (fixture, "701", "k-1", "alice", "alice");
  add (fixture, "702", "k-2", "bob", "bob");
  insert_claim (fixture, "ev-701#alice", young);
  insert_claim (fixture, "ev-702#bob", stale);

  g_assert_cmpuint (deliver (fixture), ==, 1);
  /* A young claim may belong to an attempt still running: retry later. */
  assert_failed_records (fixture, expected_failed, 1);
  g_assert_cmpint (failures_of (fixture, "ClaimPending"), ==, 1);
  entry = log_entry (fixture, "ev-701#alice");
  g_assert_cmpint (entry->state, ==, ENTRY_CLAIMED);
  g_assert_cmpint (entry->claimed_at, ==, young);
  /* A stale one is taken over and sent. */
  g_assert_cmpstr (published_at (fixture, 0)->owner, ==, "bob");
  entry = log_entry (fixture, "ev-702#bob");
  g_assert_cmpint (entry->state, ==, ENTRY_SENT);
  g_assert_cmpint (entry->claimed_at, ==, NOW_MS);
}

static void
test_claim_error_holds_later_changes (Fixture       *fixture,
                                      gconstpointer  data)
{
  const guint expected_failed[] = { 0, 2 };

  add (fixture, "801", "k-1", "alice", "alice");
  add (fixture, "802", "k-2", "bob", "bob");
  add (fixture, "803", "k-1", "alice", "alice");
  g_hash_table_add (fixture->fake.failing_claims, g_strdup ("ev-801#alice"));

  g_assert_cmpuint (deliver (fixture), ==, 1);
  assert_failed_records (fixture, expected_failed, G_N_ELEMENTS (expected_failed));
  g_assert_cmpstr (fixture->result->first_failed_sequence_number, ==, "801");
  g_assert_cmpint (failures_of (fixture, "ProvisionedThroughputExceededException"), ==, 1);
  g_assert_cmpint (failures_of (fixture, "EarlierRecordFailed"), ==, 1);
  g_assert_cmpuint (n_failure_causes (fixture), ==, 2);
  g_assert_cmpstr (published_at (fixture, 0)->owner, ==, "bob");
  /* The held record was never claimed. */
  g_assert_null (log_entry (fixture, "ev-803#alice"));
}

static void
test_mark_sent_failure (Fixture       *fixture,
                        gconstpointer  data)
{
  add (fixture, "901", "k-1", "alice", "alice");
  add (fixture, "902", "k-2", "alice", "alice");
  fixture->fake.fail_mark_sent = TRUE;

  g_assert_cmpuint (deliver (fixture), ==, 1);
  /* The owner was told: nothing fails, the log writes are counted. */
  g_assert_cmpuint (fixture->stats.failed, ==, 0);
  g_assert_cmpuint (n_failure_causes (fixture), ==, 0);
  g_assert_null (fixture->result->first_failed_sequence_number);
  g_assert_cmpuint (fixture->stats.notified, ==, 1);
  g_assert_cmpuint (fixture->stats.changes_delivered, ==, 2);
  g_assert_cmpuint (fixture->stats.log_write_failures, ==, 2);
  g_assert_cmpint (log_entry (fixture, "ev-901#alice")->state, ==, ENTRY_CLAIMED);
}

static void
test_owner_change_partial (Fixture       *fixture,
                           gconstpointer  data)
{
  const guint expected_failed[] = { 0 };
  Published *retry;

  add (fixture, "1001", "k-1", "alice", "bob");
  g_hash_table_add (fixture->fake.failing_owners, g_strdup ("alice"));

  /* bob hears of it, alice's message fails. */
  g_assert_cmpuint (deliver (fixture), ==, 1);
  g_assert_cmpstr (published_at (fixture, 0)->owner, ==, "bob");
  assert_failed_records (fixture, expected_failed, 1);
  g_assert_cmpstr (fixture->result->first_failed_sequence_number, ==, "1001");

  /* The retry sends alice's message only. */
  g_hash_table_remove_all (fixture->fake.failing_owners);
  g_assert_cmpuint (deliver (fixture), ==, 1);
  retry = published_at (fixture, 1);
  g_assert_cmpstr (retry->owner, ==, "alice");
  g_assert_true (g_str_has_prefix (retry->subject, "Item reassigned away from you"));
  g_assert_cmpuint (fixture->stats.duplicates, ==, 1);
}

static void
test_whole_request_fails (Fixture       *fixture,
                          gconstpointer  data)
{
  const guint expected_failed[] = { 0, 1, 2 };

  add (fixture, "1101", "k-1", "alice", "alice");
  add (fixture, "1102", "k-2", "bob", "bob");
  add (fixture, "1103", "k-3", "carol", "carol");
  fixture->fake.fail_all_publishes = TRUE;

  g_assert_cmpuint (deliver (fixture), ==, 0);
  assert_failed_records (fixture, expected_failed, G_N_ELEMENTS (expected_failed));
  g_assert_cmpstr (fixture->result->first_failed_sequence_number, ==, "1101");
  g_assert_cmpuint (g_hash_table_size (fixture->fake.log), ==, 0);
  g_assert_cmpuint (fixture->stats.notified, ==, 0);
  g_assert_cmpint (failures_of (fixture, "Server"), ==, 3);
}

/* The log line says why records failed, one cause a record, by code:
 * never a message, which may name a key or an owner. */
static void
test_failure_causes (Fixture       *fixture,
                     gconstpointer  data)
{
  const guint expected_failed[] = { 0, 1, 2, 3 };
  g_autofree char *line = NULL;

  add (fixture, "1201", "k-1", "alice", "alice");  /* claim throttled */
  add (fixture, "1202", "k-2", "bob", "bob");      /* publish refused: deadline */
  add (fixture, "1203", "k-1", "carol", "carol");  /* held behind 1201 */
  add (fixture, "1204", "k-3", "dave", "dave");    /* claimed by another attempt */
  add (fixture, "1205", "k-4", "erin", "erin");    /* sent */
  g_hash_table_add (fixture->fake.failing_claims, g_strdup ("ev-1201#alice"));
  g_hash_table_add (fixture->fake.failing_owners, g_strdup ("bob"));
  fixture->fake.publish_error_code = "DeadlineReached";
  insert_claim (fixture, "ev-1204#dave", NOW_MS - 1000);

  g_assert_cmpuint (deliver (fixture), ==, 1);
  assert_failed_records (fixture, expected_failed, G_N_ELEMENTS (expected_failed));
  g_assert_cmpuint (n_failure_causes (fixture), ==, 4);
  g_assert_cmpint (failures_of (fixture, "ProvisionedThroughputExceededException"), ==, 1);
  g_assert_cmpint (failures_of (fixture, "DeadlineReached"), ==, 1);
  g_assert_cmpint (failures_of (fixture, "EarlierRecordFailed"), ==, 1);
  g_assert_cmpint (failures_of (fixture, "ClaimPending"), ==, 1);

  line = dbt_batch_stats_to_log_line (&fixture->stats, NULL, 0);
  g_assert_null (strstr (line, "bob"));
  g_assert_null (strstr (line, "not started"));
  g_assert_null (strstr (line, "throttled"));
}

static void
test_batch_response (void)
{
  g_autofree char *empty = dbt_batch_response_render (NULL);
  g_autofree char *one = dbt_batch_response_render ("4000000000000000000012345");

  g_assert_cmpstr (empty, ==, "{\"batchItemFailures\":[]}");
  g_assert_cmpstr (one, ==,
                   "{\"batchItemFailures\":[{\"itemIdentifier\":\"4000000000000000000012345\"}]}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/delivery/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("retry-sends-nothing", test_deliver_then_retry_sends_nothing);
  ADD ("failed-owner-resent-alone", test_failed_owner_is_resent_alone);
  ADD ("same-key-order", test_same_key_order_is_kept);
  ADD ("requests/ten-and-no-shared-key", test_requests_hold_ten_and_no_shared_key);
  ADD ("requests/size-limit", test_request_size_limit);
  ADD ("pending-claims", test_pending_claims);
  ADD ("claim-error", test_claim_error_holds_later_changes);
  ADD ("mark-sent-failure", test_mark_sent_failure);
  ADD ("owner-change-partial", test_owner_change_partial);
  ADD ("whole-request-fails", test_whole_request_fails);
  ADD ("failure-causes", test_failure_causes);
  g_test_add_func ("/delivery/batch-response", test_batch_response);

#undef ADD

  return g_test_run ();
}
