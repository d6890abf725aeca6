/* test-dynamodb-live.c — the typed DynamoDB calls against the local stack:
 * tables, item writes and reads, conditions, Query/Scan pagination, and
 * input refused before sending. */
#include <string.h>
#include "dbt-dynamodb.h"
#include "live-stack.h"

#define BIG_NUMBER "12345678901234567890123456789012345678"

static DbtValue *
s (const char *text)
{
  g_autoptr(GError) error = NULL;
  DbtValue *value = dbt_value_new_string (text, &error);

  g_assert_no_error (error);
  return value;
}

static DbtValue *
n (const char *decimal)
{
  g_autoptr(GError) error = NULL;
  DbtValue *value = dbt_value_new_number (decimal, &error);

  g_assert_no_error (error);
  return value;
}

static DbtItem *
parse_item (const char *json)
{
  g_autoptr(GError) error = NULL;
  DbtItem *item = dbt_item_parse (json, -1, &error);

  g_assert_no_error (error);
  return item;
}

/* { pk: S @pk, sk: N @sk } */
static DbtItem *
make_key (const char *pk,
          guint       sk)
{
  DbtItem *key = dbt_item_new ();
  g_autoptr(DbtValue) pk_value = s (pk);
  g_autofree char *sk_text = g_strdup_printf ("%u", sk);
  g_autoptr(DbtValue) sk_value = n (sk_text);

  dbt_item_set (key, "pk", pk_value);
  dbt_item_set (key, "sk", sk_value);
  return key;
}

/* A table keyed (pk S, sk N) with a NEW_AND_OLD_IMAGES stream. */
static char *
create_table (DbtAwsClient *client)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = live_unique_name ("items");
  DbtTableSpec spec = {
    .table_name = name,
    .hash_key_name = "pk",
    .hash_key_type = DBT_VALUE_S,
    .range_key_name = "sk",
    .range_key_type = DBT_VALUE_N,
    .stream_view_type = "NEW_AND_OLD_IMAGES",
  };
  g_autoptr(DbtTableDescription) created = dbt_dynamodb_create_table (client, &spec, NULL, &error);
  g_autoptr(DbtTableDescription) active = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (created->table_name, ==, name);
  active = dbt_dynamodb_wait_for_table (client, name, 100, 10000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (active->table_status, ==, "ACTIVE");
  return g_steal_pointer (&name);
}

static void
test_table_describe_and_list (void)
{
  g_autoptr(DbtAwsClient) client = live_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autoptr(DbtTableDescription) description = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) all = NULL;
  g_autofree char *start = NULL;
  g_autofree char *hash_only = live_unique_name ("hash-only");
  DbtTableSpec hash_only_spec = {
    .table_name = hash_only,
    .hash_key_name = "id",
    .hash_key_type = DBT_VALUE_B,
  };
  g_autoptr(DbtTableDescription) hash_only_description = NULL;
  guint pages = 0;

  if (client == NULL)
    return;

  name = create_table (client);
  description = dbt_dynamodb_describe_table (client, name, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (description->table_name, ==, name);
  g_assert_cmpstr (description->hash_key_name, ==, "pk");
  g_assert_cmpint (description->hash_key_type, ==, DBT_VALUE_S);
  g_assert_cmpstr (description->range_key_name, ==, "sk");
  g_assert_cmpint (description->range_key_type, ==, DBT_VALUE_N);
  g_assert_true (description->stream_enabled);
  g_assert_cmpstr (description->stream_view_type, ==, "NEW_AND_OLD_IMAGES");
  g_assert_nonnull (description->latest_stream_arn);
  g_assert_true (g_str_has_suffix (description->table_arn, name));
  g_assert_true (strstr (description->latest_stream_arn, name) != NULL);
  g_assert_cmpint (description->item_count, ==, 0);

  /* A hash-only table without stream reads back as such. */
  hash_only_description = dbt_dynamodb_create_table (client, &hash_only_spec, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&hash_only_description, dbt_table_description_free);
  hash_only_description = dbt_dynamodb_describe_table (client, hash_only, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hash_only_description->hash_key_name, ==, "id");
  g_assert_cmpint (hash_only_description->hash_key_type, ==, DBT_VALUE_B);
  g_assert_null (hash_only_description->range_key_name);
  g_assert_false (hash_only_description->stream_enabled);
  g_assert_null (hash_only_description->stream_view_type);

  /* Paging one name at a time meets both tables, each once. */
  do
    {
      g_autofree char *next = NULL;
      g_auto(GStrv) names = dbt_dynamodb_list_tables (client, start, 1, &next, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (g_strv_length (names), <=, 1);
      for (guint i = 0; names[i] != NULL; i++)
        g_assert_true (g_hash_table_add (seen, g_strdup (names[i])));
      g_free (start);
      start = g_steal_pointer (&next);
      g_assert_cmpuint (++pages, <, 10);
    }
  while (start != NULL);
  g_assert_true (g_hash_table_contains (seen, name));
  g_assert_true (g_hash_table_contains (seen, hash_only));
  g_assert_cmpuint (pages, >=, 2);

  all = dbt_dynamodb_list_all_tables (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (all), ==, g_hash_table_size (seen));
  g_assert_true (g_strv_contains ((const char *const *) all, name));

  g_assert_true (dbt_dynamodb_delete_table (client, hash_only, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&all, g_strfreev);
  all = dbt_dynamodb_list_all_tables (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_strv_contains ((const char *const *) all, hash_only));
}

static void
test_item_round_trip (void)
{
  g_autoptr(DbtAwsClient) client = live_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *table = NULL;
  g_autoptr(DbtItem) item = NULL;
  g_autoptr(DbtItem) key = NULL;
  g_autoptr(DbtItem) read_back = NULL;
  g_autoptr(DbtItem) attributes = NULL;
  g_autoptr(DbtItem) values = NULL;
  g_autoptr(DbtItem) expected = NULL;
  static const char *const names[] = { "#c", "count", "#o", "owner", NULL };
  DbtWriteOptions options = { 0 };

  if (client == NULL)
    return;
  table = create_table (client);

  item = parse_item ("{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},"
                     "\"big\":{\"N\":\"" BIG_NUMBER "\"},"
                     "\"tiny\":{\"N\":\"-0.000000000000000000000000000000000001\"},"
                     "\"tags\":{\"SS\":[\"x\",\"y\"]},\"nums\":{\"NS\":[\"1\",\"2.5\"]},"
                     "\"blob\":{\"B\":\"AAEC/w==\"},\"ok\":{\"BOOL\":true},\"nothing\":{\"NULL\":true},"
                     "\"list\":{\"L\":[{\"S\":\"e\"},{\"N\":\"7\"}]},"
                     "\"map\":{\"M\":{\"inner\":{\"S\":\"v\"}}},"
                     "\"owner\":{\"S\":\"alice\"},\"count\":{\"N\":\"1\"}}");
  g_assert_true (dbt_dynamodb_put_item (client, table, item, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  key = make_key ("a", 1);
  g_assert_true (dbt_dynamodb_get_item (client, table, key, TRUE, &read_back, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (read_back);
  g_assert_true (dbt_item_equal (read_back, item));
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (read_back, "big")), ==, BIG_NUMBER);
  g_clear_pointer (&read_back, dbt_item_unref);

  /* UpdateItem with names, values, ReturnValues=ALL_NEW. */
  values = parse_item ("{\":one\":{\"N\":\"1\"},\":bob\":{\"S\":\"bob\"}}");
  options.expression_attribute_names = names;
  options.expression_attribute_values = values;
  options.return_values = DBT_RETURN_VALUES_ALL_NEW;
  g_assert_true (dbt_dynamodb_update_item (client, table, key, "SET #c = #c + :one, #o = :bob",
                                           &options, &attributes, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (attributes);
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (attributes, "count")), ==, "2");
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (attributes, "owner")), ==, "bob");
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (attributes, "big")), ==, BIG_NUMBER);
  g_clear_pointer (&attributes, dbt_item_unref);

  /* UPDATED_OLD gives only the changed attributes, before the change.
   * (DynamoDB refuses unused names and values, so both are used.) */
  g_clear_pointer (&values, dbt_item_unref);
  values = parse_item ("{\":one\":{\"N\":\"1\"},\":carol\":{\"S\":\"carol\"}}");
  options.expression_attribute_values = values;
  options.return_values = DBT_RETURN_VALUES_UPDATED_OLD;
  g_assert_true (dbt_dynamodb_update_item (client, table, key, "SET #c = #c + :one, #o = :carol",
                                           &options, &attributes, NULL, NULL, &error));
  g_assert_no_error (error);
  expected = parse_item ("{\"count\":{\"N\":\"2\"},\"owner\":{\"S\":\"bob\"}}");
  g_assert_true (dbt_item_equal (attributes, expected));
  g_clear_pointer (&attributes, dbt_item_unref);

  /* DeleteItem with ALL_OLD hands back the last version. */
  options = (DbtWriteOptions) { .return_values = DBT_RETURN_VALUES_ALL_OLD };
  g_assert_true (dbt_dynamodb_delete_item (client, table, key, &options, &attributes, NULL,
                                           NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (attributes);
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (attributes, "count")), ==, "3");
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (attributes, "owner")), ==, "carol");

  g_assert_true (dbt_dynamodb_get_item (client, table, key, TRUE, &read_back, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (read_back);
}

static void
test_condition_failed (void)
{
  g_autoptr(DbtAwsClient) client = live_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *table = NULL;
  g_autoptr(DbtItem) first = NULL;
  g_autoptr(DbtItem) second = NULL;
  g_autoptr(DbtItem) key = NULL;
  g_autoptr(DbtItem) current = NULL;
  g_autoptr(DbtItem) attributes = NULL;
  g_autoptr(DbtItem) stale = NULL;
  g_autoptr(DbtItem) fresh = NULL;
  g_autoptr(DbtItem) read_back = NULL;
  static const char *const names[] = { "#v", "version", NULL };
  DbtWriteOptions create_only = {
    .condition_expression = "attribute_not_exists(pk)",
    .return_current_on_condition_failure = TRUE,
  };
  DbtWriteOptions if_version = {
    .condition_expression = "#v = :expected",
    .expression_attribute_names = names,
    .return_current_on_condition_failure = TRUE,
  };

  if (client == NULL)
    return;
  table = create_table (client);
  first = parse_item ("{\"pk\":{\"S\":\"c\"},\"sk\":{\"N\":\"5\"},\"version\":{\"N\":\"1\"},"
                      "\"owner\":{\"S\":\"alice\"}}");
  second = parse_item ("{\"pk\":{\"S\":\"c\"},\"sk\":{\"N\":\"5\"},\"version\":{\"N\":\"9\"}}");
  key = make_key ("c", 5);

  /* The first create-only put succeeds, the second fails and shows the
   * version it collided with. */
  g_assert_true (dbt_dynamodb_put_item (client, table, first, &create_only, NULL, &current,
                                        NULL, &error));
  g_assert_no_error (error);
  g_assert_null (current);

  g_assert_false (dbt_dynamodb_put_item (client, table, second, &create_only, &attributes,
                                         &current, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONDITION_FAILED);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "ConditionalCheckFailedException");
  g_assert_cmpuint (dbt_aws_error_get_http_status (error), ==, 400);
  g_assert_true (strstr (error->message, table) != NULL);
  g_assert_null (attributes);
  g_assert_nonnull (current);
  g_assert_true (dbt_item_equal (current, first));
  g_clear_error (&error);
  g_clear_pointer (&current, dbt_item_unref);

  /* An optimistic-locking update with a stale version fails the same way. */
  stale = parse_item ("{\":expected\":{\"N\":\"0\"},\":next\":{\"N\":\"2\"}}");
  if_version.expression_attribute_values = stale;
  g_assert_false (dbt_dynamodb_update_item (client, table, key, "SET #v = :next", &if_version,
                                            NULL, &current, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONDITION_FAILED);
  g_assert_true (dbt_item_equal (current, first));
  g_clear_error (&error);
  g_clear_pointer (&current, dbt_item_unref);

  /* With the right version it goes through. */
  fresh = parse_item ("{\":expected\":{\"N\":\"1.0\"},\":next\":{\"N\":\"2\"}}");
  if_version.expression_attribute_values = fresh;
  if_version.return_values = DBT_RETURN_VALUES_ALL_NEW;
  g_assert_true (dbt_dynamodb_update_item (client, table, key, "SET #v = :next", &if_version,
                                           &attributes, &current, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (current);
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (attributes, "version")), ==, "2");

  /* A conditional delete of an absent item: the failure has no current item. */
  g_clear_pointer (&key, dbt_item_unref);
  key = make_key ("absent", 1);
  g_assert_false (dbt_dynamodb_delete_item (client, table, key,
                                            &(DbtWriteOptions) {
                                              .condition_expression = "attribute_exists(pk)",
                                              .return_current_on_condition_failure = TRUE,
                                            },
                                            NULL, &current, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONDITION_FAILED);
  g_assert_null (current);
  g_clear_error (&error);

  /* Without the option the current item is not looked up. */
  g_assert_false (dbt_dynamodb_put_item (client, table, second,
                                         &(DbtWriteOptions) {
                                           .condition_expression = "attribute_not_exists(pk)",
                                         },
                                         NULL, &current, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONDITION_FAILED);
  g_assert_null (current);
  g_clear_error (&error);

  /* Nothing of the failed writes landed. */
  g_clear_pointer (&key, dbt_item_unref);
  key = make_key ("c", 5);
  g_assert_true (dbt_dynamodb_get_item (client, table, key, TRUE, &read_back, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (read_back, "version")), ==, "2");
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (read_back, "owner")), ==, "alice");
}

/* Pagination: 250 items in partition "p" (sk 0..249, every third owned by
 * alice) and 10 in partition "q". */
#define N_ITEMS 250
#define PAGE_LIMIT 40

typedef struct
{
  GArray *sks;        /* guint, in the order received */
  guint   pages;
  guint   stop_after; /* 0: never stop */
  guint   other;      /* items not in partition "p" */
} Collected;

static gboolean
collect_page (const DbtItemPage *page,
              gpointer           user_data)
{
  Collected *collected = user_data;

  collected->pages++;
  g_assert_cmpuint (page->items->len, ==, page->count);
  g_assert_cmpuint (page->items->len, <=, PAGE_LIMIT);
  for (guint i = 0; i < page->items->len; i++)
    {
      DbtItem *item = g_ptr_array_index (page->items, i);
      guint sk = (guint) g_ascii_strtoull (dbt_value_get_string (dbt_item_get (item, "sk")), NULL, 10);

      if (g_strcmp0 (dbt_value_get_string (dbt_item_get (item, "pk")), "p") != 0)
        {
          collected->other++;
          continue;
        }
      g_array_append_val (collected->sks, sk);
    }
  return collected->stop_after == 0 || collected->pages < collected->stop_after;
}

static void
fill_table (DbtAwsClient *client,
            const char   *table)
{
  for (guint i = 0; i < N_ITEMS + 10; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean in_p = i < N_ITEMS;
      g_autoptr(DbtItem) item = make_key (in_p ? "p" : "q", in_p ? i : i - N_ITEMS);
      g_autoptr(DbtValue) owner = s (i % 3 == 0 ? "alice" : "bob");

      dbt_item_set (item, "owner", owner);
      g_assert_true (dbt_dynamodb_put_item (client, table, item, NULL, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }
}

static void
test_query_scan_pages (void)
{
  g_autoptr(DbtAwsClient) client = live_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *table = NULL;
  g_autoptr(DbtItem) values = NULL;
  g_autoptr(DbtItem) alice = NULL;
  static const char *const names[] = { "#o", "owner", NULL };
  Collected collected = { 0 };
  DbtReadOptions query = {
    .key_condition_expression = "pk = :p",
    .limit = PAGE_LIMIT,
    .consistent_read = TRUE,
  };
  DbtReadOptions scan = { .limit = PAGE_LIMIT };
  g_autoptr(GHashTable) scanned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(DbtItem) start = NULL;
  guint scan_pages = 0;
  guint filtered = 0;
  guint evaluated = 0;

  if (client == NULL)
    return;
  table = create_table (client);
  fill_table (client, table);

  /* Query, page after page: every sk of "p" once, ascending. */
  values = parse_item ("{\":p\":{\"S\":\"p\"}}");
  query.expression_attribute_values = values;
  collected.sks = g_array_new (FALSE, FALSE, sizeof (guint));
  g_assert_true (dbt_dynamodb_query_pages (client, table, &query, collect_page, &collected,
                                           NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (collected.sks->len, ==, N_ITEMS);
  g_assert_cmpuint (collected.other, ==, 0);
  for (guint i = 0; i < N_ITEMS; i++)
    g_assert_cmpuint (g_array_index (collected.sks, guint, i), ==, i);
  g_assert_cmpuint (collected.pages, >=, (N_ITEMS + PAGE_LIMIT - 1) / PAGE_LIMIT);
  g_assert_cmpuint (collected.pages, <=, (N_ITEMS + PAGE_LIMIT - 1) / PAGE_LIMIT + 1);

  /* Descending, stopped by the callback after two pages. */
  g_array_set_size (collected.sks, 0);
  collected.pages = 0;
  collected.stop_after = 2;
  query.descending = TRUE;
  g_assert_true (dbt_dynamodb_query_pages (client, table, &query, collect_page, &collected,
                                           NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (collected.pages, ==, 2);
  g_assert_cmpuint (collected.sks->len, ==, 2 * PAGE_LIMIT);
  for (guint i = 0; i < collected.sks->len; i++)
    g_assert_cmpuint (g_array_index (collected.sks, guint, i), ==, N_ITEMS - 1 - i);
  g_array_unref (collected.sks);

  /* Scan by hand with ExclusiveStartKey: all 260 items, each once. */
  do
    {
      g_autoptr(DbtItemPage) page = NULL;

      scan.exclusive_start_key = start;
      page = dbt_dynamodb_scan (client, table, &scan, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->items->len, <=, PAGE_LIMIT);
      for (guint i = 0; i < page->items->len; i++)
        g_assert_true (g_hash_table_add (scanned,
                                         dbt_item_render_key (g_ptr_array_index (page->items, i))));
      g_clear_pointer (&start, dbt_item_unref);
      if (page->last_evaluated_key != NULL)
        start = dbt_item_ref (page->last_evaluated_key);
      g_assert_cmpuint (++scan_pages, <, 20);
    }
  while (start != NULL);
  g_assert_cmpuint (g_hash_table_size (scanned), ==, N_ITEMS + 10);
  g_assert_cmpuint (scan_pages, >=, (N_ITEMS + 10 + PAGE_LIMIT - 1) / PAGE_LIMIT);

  /* Scan with a filter: only alice's items come back, every item is
   * still evaluated. */
  alice = parse_item ("{\":alice\":{\"S\":\"alice\"}}");
  scan = (DbtReadOptions) {
    .filter_expression = "#o = :alice",
    .expression_attribute_names = names,
    .expression_attribute_values = alice,
    .limit = PAGE_LIMIT,
  };
  do
    {
      g_autoptr(DbtItemPage) page = NULL;

      scan.exclusive_start_key = start;
      page = dbt_dynamodb_scan (client, table, &scan, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->scanned_count, >=, page->count);
      for (guint i = 0; i < page->items->len; i++)
        g_assert_cmpstr (dbt_value_get_string (dbt_item_get (g_ptr_array_index (page->items, i),
                                                             "owner")), ==, "alice");
      filtered += page->count;
      evaluated += page->scanned_count;
      g_clear_pointer (&start, dbt_item_unref);
      if (page->last_evaluated_key != NULL)
        start = dbt_item_ref (page->last_evaluated_key);
    }
  while (start != NULL);
  g_assert_cmpuint (filtered, ==, (N_ITEMS + 10 + 2) / 3);  /* i % 3 == 0 for i < 260 */
  g_assert_cmpuint (evaluated, ==, N_ITEMS + 10);
}

static void
test_not_found (void)
{
  g_autoptr(DbtAwsClient) client = live_client_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtTableDescription) description = NULL;
  g_autoptr(DbtItem) key = NULL;
  g_autoptr(DbtItem) item = NULL;

  if (client == NULL)
    return;

  description = dbt_dynamodb_describe_table (client, "no-such-table", NULL, &error);
  g_assert_null (description);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (dbt_aws_error_get_aws_code (error), ==, "ResourceNotFoundException");
  g_assert_true (strstr (error->message, "no-such-table") != NULL);
  g_clear_error (&error);

  key = make_key ("a", 1);
  g_assert_false (dbt_dynamodb_get_item (client, "no-such-table", key, FALSE, &item, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_true (strstr (error->message, "GetItem on table “no-such-table”") != NULL);
  g_assert_null (item);
  g_clear_error (&error);

  g_assert_false (dbt_dynamodb_put_item (client, "no-such-table", key, NULL, NULL, NULL, NULL,
                                         &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_true (strstr (error->message, "no-such-table") != NULL);
}

static void
assert_refused (GError     *error,
                const char *fragment)
{
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, fragment);
}

static void
test_refused_before_sending (void)
{
  g_autoptr(DbtAwsClient) client = live_unreachable_client_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtItem) key = make_key ("a", 1);
  g_autoptr(DbtItem) big = make_key ("a", 2);
  g_autoptr(DbtItem) parsed = NULL;
  g_autoptr(DbtItem) item = NULL;
  g_autoptr(DbtValue) empty_set = NULL;
  g_autoptr(GPtrArray) no_members = g_ptr_array_new ();
  g_autofree char *filler = g_strnfill (DBT_ITEM_MAX_BYTES, 'x');
  g_autoptr(DbtValue) filler_value = s (filler);
  g_autoptr(DbtItemPage) page = NULL;
  static const char *const odd_names[] = { "#a", NULL };

  /* The unreachable endpoint really is unreachable: a valid request fails
   * with a connection error, so the refusals below were local. */
  g_assert_false (dbt_dynamodb_get_item (client, "t", key, FALSE, &item, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONNECT);
  g_clear_error (&error);

  /* Empty sets cannot be built or parsed. */
  empty_set = dbt_value_new_set (DBT_VALUE_SS, no_members, &error);
  g_assert_null (empty_set);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  parsed = dbt_item_parse ("{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"tags\":{\"SS\":[]}}", -1,
                           &error);
  g_assert_null (parsed);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* An item over 400 KB. */
  dbt_item_set (big, "payload", filler_value);
  g_assert_false (dbt_dynamodb_put_item (client, "t", big, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_false (dbt_dynamodb_put_item (client, "", key, NULL, NULL, NULL, NULL, &error));
  assert_refused (error, "table name");
  g_clear_error (&error);

  g_assert_false (dbt_dynamodb_delete_item (client, "t", NULL, NULL, NULL, NULL, NULL, &error));
  assert_refused (error, "key");
  g_clear_error (&error);

  g_assert_false (dbt_dynamodb_update_item (client, "t", key, "", NULL, NULL, NULL, NULL, &error));
  assert_refused (error, "update expression");
  g_clear_error (&error);

  g_assert_false (dbt_dynamodb_update_item (client, "t", key, "SET #a = :b",
                                            &(DbtWriteOptions) {
                                              .expression_attribute_names = odd_names,
                                            },
                                            NULL, NULL, NULL, &error));
  assert_refused (error, "ExpressionAttributeNames");
  g_clear_error (&error);

  page = dbt_dynamodb_query (client, "t", &(DbtReadOptions) { 0 }, NULL, &error);
  g_assert_null (page);
  assert_refused (error, "key condition");
  g_clear_error (&error);

  g_assert_null (dbt_dynamodb_create_table (client,
                                            &(DbtTableSpec) {
                                              .table_name = "t",
                                              .hash_key_name = "id",
                                              .hash_key_type = DBT_VALUE_BOOL,
                                            },
                                            NULL, &error));
  assert_refused (error, "S, N or B");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dynamodb/table/describe-and-list", test_table_describe_and_list);
  g_test_add_func ("/dynamodb/item/round-trip", test_item_round_trip);
  g_test_add_func ("/dynamodb/item/condition-failed", test_condition_failed);
  g_test_add_func ("/dynamodb/read/query-scan-pages", test_query_scan_pages);
  g_test_add_func ("/dynamodb/errors/not-found", test_not_found);
  g_test_add_func ("/dynamodb/errors/refused-before-sending", test_refused_before_sending);

  return g_test_run ();
}
