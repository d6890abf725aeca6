/* test-streams-live.c — DynamoDB Streams against the local stack: the
 * records read back from a table's stream match the writes made to it,
 * event by event, image by image, digit by digit. */
#include <string.h>
#include "dbt-dynamodb.h"
#include "dbt-streams.h"
#include "live-stack.h"

#define BIG_NUMBER "-98765432109876543210987654321098765432"
#define MAX_POLLS 50

static DbtItem *
parse_item (const char *json)
{
  g_autoptr(GError) error = NULL;
  DbtItem *item = dbt_item_parse (json, -1, &error);

  g_assert_no_error (error);
  return item;
}

typedef struct
{
  DbtAwsClient *client;
  char         *table;
  char         *stream_arn;
  /* What was written, in order; what the stream must give back. */
  DbtEventName  events[8];
  DbtItem      *keys[8];
  DbtItem      *old_images[8];
  DbtItem      *new_images[8];
  guint         n_writes;
} Fixture;

static void
put (Fixture    *fixture,
     const char *json,
     DbtItem    *old_image)
{
  g_autoptr(GError) error = NULL;
  DbtItem *item = parse_item (json);
  guint i = fixture->n_writes++;

  g_assert_true (dbt_dynamodb_put_item (fixture->client, fixture->table, item, NULL, NULL, NULL,
                                        NULL, &error));
  g_assert_no_error (error);
  fixture->events[i] = old_image != NULL ? DBT_EVENT_MODIFY : DBT_EVENT_INSERT;
  fixture->keys[i] = dbt_item_new ();
  dbt_item_set (fixture->keys[i], "id", dbt_item_get (item, "id"));
  fixture->old_images[i] = old_image != NULL ? dbt_item_ref (old_image) : NULL;
  fixture->new_images[i] = item;
}

static void
delete_item (Fixture *fixture,
             DbtItem *old_image)
{
  g_autoptr(GError) error = NULL;
  DbtItem *key = dbt_item_new ();
  guint i = fixture->n_writes++;

  dbt_item_set (key, "id", dbt_item_get (old_image, "id"));
  g_assert_true (dbt_dynamodb_delete_item (fixture->client, fixture->table, key, NULL, NULL, NULL,
                                           NULL, &error));
  g_assert_no_error (error);
  fixture->events[i] = DBT_EVENT_REMOVE;
  fixture->keys[i] = key;
  fixture->old_images[i] = dbt_item_ref (old_image);
  fixture->new_images[i] = NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtTableDescription) description = NULL;
  g_autoptr(DbtItem) failing = NULL;
  DbtTableSpec spec = {
    .hash_key_name = "id",
    .hash_key_type = DBT_VALUE_S,
    .stream_view_type = "NEW_AND_OLD_IMAGES",
  };

  fixture->client = live_client_new ();
  if (fixture->client == NULL)
    return;
  fixture->table = live_unique_name ("streamed");
  spec.table_name = fixture->table;
  description = dbt_dynamodb_create_table (fixture->client, &spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (description->stream_enabled);
  fixture->stream_arn = g_strdup (description->latest_stream_arn);

  put (fixture, "{\"id\":{\"S\":\"a\"},\"owner\":{\"S\":\"alice\"},\"n\":{\"N\":\"" BIG_NUMBER "\"}}",
       NULL);
  put (fixture, "{\"id\":{\"S\":\"b\"},\"owner\":{\"S\":\"bob\"},\"tags\":{\"SS\":[\"t1\",\"t2\"]}}",
       NULL);
  put (fixture, "{\"id\":{\"S\":\"a\"},\"owner\":{\"S\":\"bob\"},\"n\":{\"N\":\"0.5\"},"
                "\"raw\":{\"B\":\"3q2+7w==\"}}",
       fixture->new_images[0]);
  delete_item (fixture, fixture->new_images[1]);
  put (fixture, "{\"id\":{\"S\":\"c\"},\"m\":{\"M\":{\"deep\":{\"L\":[{\"N\":\"1E+5\"},{\"NULL\":true}]}}}}",
       NULL);

  /* A write refused by its condition leaves no record. */
  failing = parse_item ("{\"id\":{\"S\":\"c\"}}");
  g_assert_false (dbt_dynamodb_put_item (fixture->client, fixture->table, failing,
                                         &(DbtWriteOptions) {
                                           .condition_expression = "attribute_not_exists(id)",
                                         },
                                         NULL, NULL, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONDITION_FAILED);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = 0; i < fixture->n_writes; i++)
    {
      g_clear_pointer (&fixture->keys[i], dbt_item_unref);
      g_clear_pointer (&fixture->old_images[i], dbt_item_unref);
      g_clear_pointer (&fixture->new_images[i], dbt_item_unref);
    }
  g_clear_pointer (&fixture->client, dbt_aws_client_unref);
  g_free (fixture->table);
  g_free (fixture->stream_arn);
}

/* Every record from @iterator on, polling until a batch comes back empty
 * (an open shard never ends) or the shard is closed. */
static GPtrArray *
drain (DbtAwsClient *client,
       char         *iterator)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_stream_record_free);
  g_autofree char *current = iterator;

  for (guint polls = 0; current != NULL; polls++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DbtRecordBatch) batch = dbt_streams_get_records (client, current, 2, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (polls, <, MAX_POLLS);
      g_assert_cmpuint (batch->records->len, <=, 2);
      if (batch->records->len == 0)
        break;
      g_ptr_array_extend_and_steal (records, g_steal_pointer (&batch->records));
      g_free (current);
      current = g_steal_pointer (&batch->next_shard_iterator);
    }
  return g_steal_pointer (&records);
}

/* Sequence numbers are decimal strings of any length: compare as numbers. */
static int
compare_sequence (const char *a,
                  const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);

  if (la != lb)
    return la < lb ? -1 : 1;
  return strcmp (a, b);
}

static void
test_read_back (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) streams = NULL;
  g_autoptr(DbtStreamDescription) description = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_stream_record_free);
  g_autoptr(GHashTable) event_ids = g_hash_table_new (g_str_hash, g_str_equal);
  DbtStreamSummary *summary;

  if (fixture->client == NULL)
    return;

  streams = dbt_streams_list_streams (fixture->client, fixture->table, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (streams->len, ==, 1);
  summary = g_ptr_array_index (streams, 0);
  g_assert_cmpstr (summary->stream_arn, ==, fixture->stream_arn);
  g_assert_cmpstr (summary->table_name, ==, fixture->table);
  g_assert_nonnull (summary->stream_label);

  description = dbt_streams_describe_stream_all (fixture->client, fixture->stream_arn, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (description->stream_arn, ==, fixture->stream_arn);
  g_assert_cmpstr (description->table_name, ==, fixture->table);
  g_assert_cmpstr (description->stream_view_type, ==, "NEW_AND_OLD_IMAGES");
  g_assert_cmpstr (description->stream_status, ==, "ENABLED");
  g_assert_null (description->last_evaluated_shard_id);
  g_assert_cmpuint (description->shards->len, >=, 1);

  /* DescribeStream lists parents before their children: read in order. */
  for (guint i = 0; i < description->shards->len; i++)
    {
      DbtShard *shard = g_ptr_array_index (description->shards, i);
      char *iterator;
      g_autoptr(GPtrArray) shard_records = NULL;

      g_assert_nonnull (shard->starting_sequence_number);
      iterator = dbt_streams_get_shard_iterator (fixture->client, fixture->stream_arn,
                                                 shard->shard_id, DBT_SHARD_ITERATOR_TRIM_HORIZON,
                                                 NULL, NULL, &error);
      g_assert_no_error (error);
      shard_records = drain (fixture->client, iterator);
      g_ptr_array_extend_and_steal (records, g_steal_pointer (&shard_records));
    }

  g_assert_cmpuint (records->len, ==, fixture->n_writes);
  for (guint i = 0; i < records->len; i++)
    {
      DbtStreamRecord *record = g_ptr_array_index (records, i);

      g_test_message ("record %u: %s %s", i, dbt_event_name_to_string (record->event_name),
                      record->sequence_number);
      g_assert_cmpint (record->event_name, ==, fixture->events[i]);
      g_assert_true (dbt_item_equal (record->keys, fixture->keys[i]));
      if (fixture->old_images[i] != NULL)
        g_assert_true (dbt_item_equal (record->old_image, fixture->old_images[i]));
      else
        g_assert_null (record->old_image);
      if (fixture->new_images[i] != NULL)
        g_assert_true (dbt_item_equal (record->new_image, fixture->new_images[i]));
      else
        g_assert_null (record->new_image);
      g_assert_cmpstr (record->stream_view_type, ==, "NEW_AND_OLD_IMAGES");
      g_assert_true (g_hash_table_add (event_ids, record->event_id));
      if (i > 0)
        g_assert_cmpint (compare_sequence (((DbtStreamRecord *) g_ptr_array_index (records, i - 1))->sequence_number,
                                           record->sequence_number), <, 0);
    }

  /* The 38-digit number came through digit for digit, not via a double. */
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (((DbtStreamRecord *) g_ptr_array_index (records, 0))->new_image, "n")),
                   ==, BIG_NUMBER);
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (((DbtStreamRecord *) g_ptr_array_index (records, 2))->old_image, "n")),
                   ==, BIG_NUMBER);
}

static DbtShard *
first_shard (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtStreamDescription) description =
    dbt_streams_describe_stream (fixture->client, fixture->stream_arn, NULL, 1, NULL, &error);
  DbtShard *shard;

  g_assert_no_error (error);
  g_assert_cmpuint (description->shards->len, ==, 1);
  shard = g_ptr_array_steal_index (description->shards, 0);
  g_assert_false (dbt_shard_is_closed (shard));
  return shard;
}

static void
test_iterator_types (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtShard) shard = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) at = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) latest = NULL;
  g_autoptr(DbtItem) late = NULL;
  const char *third;
  char *iterator;

  if (fixture->client == NULL)
    return;
  shard = first_shard (fixture);

  iterator = dbt_streams_get_shard_iterator (fixture->client, fixture->stream_arn, shard->shard_id,
                                             DBT_SHARD_ITERATOR_TRIM_HORIZON, NULL, NULL, &error);
  g_assert_no_error (error);
  all = drain (fixture->client, iterator);
  g_assert_cmpuint (all->len, ==, fixture->n_writes);
  third = ((DbtStreamRecord *) g_ptr_array_index (all, 2))->sequence_number;

  iterator = dbt_streams_get_shard_iterator (fixture->client, fixture->stream_arn, shard->shard_id,
                                             DBT_SHARD_ITERATOR_AT_SEQUENCE_NUMBER, third,
                                             NULL, &error);
  g_assert_no_error (error);
  at = drain (fixture->client, iterator);
  g_assert_cmpuint (at->len, ==, fixture->n_writes - 2);
  g_assert_cmpstr (((DbtStreamRecord *) g_ptr_array_index (at, 0))->sequence_number, ==, third);
  g_assert_cmpint (((DbtStreamRecord *) g_ptr_array_index (at, 0))->event_name, ==, DBT_EVENT_MODIFY);

  iterator = dbt_streams_get_shard_iterator (fixture->client, fixture->stream_arn, shard->shard_id,
                                             DBT_SHARD_ITERATOR_AFTER_SEQUENCE_NUMBER, third,
                                             NULL, &error);
  g_assert_no_error (error);
  after = drain (fixture->client, iterator);
  g_assert_cmpuint (after->len, ==, fixture->n_writes - 3);
  g_assert_cmpint (((DbtStreamRecord *) g_ptr_array_index (after, 0))->event_name, ==, DBT_EVENT_REMOVE);

  /* LATEST: nothing old, only what is written afterwards. */
  iterator = dbt_streams_get_shard_iterator (fixture->client, fixture->stream_arn, shard->shard_id,
                                             DBT_SHARD_ITERATOR_LATEST, NULL, NULL, &error);
  g_assert_no_error (error);
  late = parse_item ("{\"id\":{\"S\":\"late\"}}");
  g_assert_true (dbt_dynamodb_put_item (fixture->client, fixture->table, late, NULL, NULL, NULL,
                                        NULL, &error));
  g_assert_no_error (error);
  latest = drain (fixture->client, iterator);
  g_assert_cmpuint (latest->len, ==, 1);
  g_assert_true (dbt_item_equal (((DbtStreamRecord *) g_ptr_array_index (latest, 0))->new_image, late));
}

static void
test_errors (void)
{
  g_autoptr(DbtAwsClient) unreachable = live_unreachable_client_new ();
  g_autoptr(DbtAwsClient) client = live_client_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtStreamDescription) description = NULL;
  g_autoptr(GPtrArray) streams = NULL;
  char *iterator;

  iterator = dbt_streams_get_shard_iterator (unreachable, "arn:aws:dynamodb:us-east-1:1:table/t/stream/x",
                                             "shardId-1", DBT_SHARD_ITERATOR_AT_SEQUENCE_NUMBER,
                                             NULL, NULL, &error);
  g_assert_null (iterator);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_assert_true (strstr (error->message, "sequence number") != NULL);
  g_clear_error (&error);

  g_assert_null (dbt_streams_get_records (unreachable, "", 0, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  if (client == NULL)
    return;

  /* A table without streams lists none. */
  streams = dbt_streams_list_streams (client, "no-such-table", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (streams->len, ==, 0);

  description = dbt_streams_describe_stream (client,
                                             "arn:aws:dynamodb:us-east-1:123456789012:table/none/stream/2020-01-01T00:00:00.000",
                                             NULL, 0, NULL, &error);
  g_assert_null (description);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_true (strstr (error->message, "table/none/stream") != NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/streams/read-back", Fixture, NULL, fixture_set_up, test_read_back, fixture_tear_down);
  g_test_add ("/streams/iterator-types", Fixture, NULL, fixture_set_up, test_iterator_types,
              fixture_tear_down);
  g_test_add_func ("/streams/errors", test_errors);

  return g_test_run ();
}
