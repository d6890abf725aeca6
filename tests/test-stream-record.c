/* test-stream-record.c — stream records from GetRecords (a real moto
 * response) and from Lambda events; writing them back; refusing bad ones. */
#include "dbt-stream-record.h"
#include "dbt-error.h"

#include <string.h>

static char *
load_fixture (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static GPtrArray *
parse_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = dbt_stream_event_parse (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (records);
  return records;
}

static void
assert_json_round_trip (const DbtStreamRecord *record)
{
  g_autoptr(JsonNode) node = dbt_stream_record_to_json (record);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtStreamRecord) back = NULL;
  g_autofree char *text = json_to_string (node, FALSE);
  g_autofree char *event = g_strdup_printf ("{\"Records\":[%s]}", text);
  g_autoptr(GPtrArray) reparsed = parse_ok (event);

  back = dbt_stream_record_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_true (dbt_stream_record_equal (record, back));
  /* And through text, as the runner hands it to the handler. */
  g_assert_cmpuint (reparsed->len, ==, 1);
  g_assert_true (dbt_stream_record_equal (record, g_ptr_array_index (reparsed, 0)));

  /* The Lambda shape. */
  g_assert_true (strstr (text, "\"eventSource\":\"aws:dynamodb\"") != NULL);
  g_assert_true (strstr (text, "\"eventVersion\":\"1.1\"") != NULL);
}

static void
test_moto_get_records (void)
{
  g_autofree char *json = load_fixture ("stream-getrecords-moto.json");
  g_autoptr(GPtrArray) records = parse_ok (json);
  DbtStreamRecord *insert, *modify, *removal;
  g_autoptr(GPtrArray) changes = NULL;
  guint i;

  g_assert_cmpuint (records->len, ==, 3);
  insert = g_ptr_array_index (records, 0);
  modify = g_ptr_array_index (records, 1);
  removal = g_ptr_array_index (records, 2);

  g_assert_cmpint (insert->event_name, ==, DBT_EVENT_INSERT);
  g_assert_cmpint (modify->event_name, ==, DBT_EVENT_MODIFY);
  g_assert_cmpint (removal->event_name, ==, DBT_EVENT_REMOVE);
  g_assert_cmpstr (insert->event_id, ==, "8e9ba4d87b9443a8bcc609a6ea409b16");
  g_assert_cmpstr (insert->sequence_number, ==, "1100000000017454423009");
  g_assert_cmpstr (insert->aws_region, ==, "us-east-1");
  g_assert_null (insert->event_source_arn);
  g_assert_cmpstr (insert->stream_view_type, ==, "NEW_AND_OLD_IMAGES");
  g_assert_cmpint (insert->size_bytes, ==, 477);
  /* 1795594674.358 s, to the millisecond. */
  g_assert_cmpint (insert->approximate_creation_ms, ==, G_GINT64_CONSTANT (1795594674358));

  g_assert_nonnull (insert->new_image);
  g_assert_null (insert->old_image);
  g_assert_nonnull (modify->new_image);
  g_assert_nonnull (modify->old_image);
  g_assert_null (removal->new_image);
  g_assert_nonnull (removal->old_image);

  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (insert->keys, "id")), ==, "a-1");
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (insert->new_image, "n")), ==,
                   "12345678901234567890123456789012345678");
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (modify->new_image, "n")), ==, "-1.5E-3");
  g_assert_cmpint (dbt_value_get_kind (dbt_item_get (insert->new_image, "bs")), ==, DBT_VALUE_BS);

  /* What the handler will do with it. */
  changes = dbt_item_diff (modify->old_image, modify->new_image, NULL);
  g_assert_cmpuint (changes->len, ==, 7);   /* owner, n modified; tags, bin, m, ns, bs removed */
  g_assert_cmpstr (((DbtChange *) g_ptr_array_index (changes, 0))->path, ==, "owner");

  for (i = 0; i < records->len; i++)
    assert_json_round_trip (g_ptr_array_index (records, i));
}

static void
test_lambda_event (void)
{
  g_autofree char *json = load_fixture ("stream-event-lambda.json");
  g_autoptr(GPtrArray) records = parse_ok (json);
  DbtStreamRecord *first, *second;
  guint i;

  g_assert_cmpuint (records->len, ==, 3);
  first = g_ptr_array_index (records, 0);
  second = g_ptr_array_index (records, 1);
  g_assert_cmpstr (first->event_source_arn, ==,
                   "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000");
  g_assert_cmpstr (first->aws_region, ==, "eu-west-1");
  g_assert_cmpint (first->approximate_creation_ms, ==, G_GINT64_CONSTANT (1700000000000));
  g_assert_cmpint (second->approximate_creation_ms, ==, G_GINT64_CONSTANT (1700000001500));
  /* Long sequence numbers stay exact strings. */
  g_assert_cmpstr (first->sequence_number, ==, "4421584500000000017450439091");
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (first->new_image, "total")), ==, "12.50");

  for (i = 0; i < records->len; i++)
    assert_json_round_trip (g_ptr_array_index (records, i));
}

static void
test_minimal_and_empty (void)
{
  g_autoptr(GPtrArray) none = parse_ok ("{\"Records\":[]}");
  g_autoptr(GPtrArray) one = parse_ok ("{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"REMOVE\","
                                       "\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}},\"SequenceNumber\":\"1\"}}]}");
  DbtStreamRecord *record;

  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (one->len, ==, 1);
  record = g_ptr_array_index (one, 0);
  g_assert_null (record->aws_region);
  g_assert_null (record->stream_view_type);
  g_assert_null (record->new_image);
  g_assert_cmpint (record->size_bytes, ==, 0);
  g_assert_cmpint (record->approximate_creation_ms, ==, 0);
  assert_json_round_trip (record);
}

static void
test_equal (void)
{
  const char *json = "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}},"
                     "\"NewImage\":{\"k\":{\"N\":\"1\"}},\"SequenceNumber\":\"10\",\"SizeBytes\":5}}]}";
  g_autoptr(GPtrArray) a = parse_ok (json);
  g_autoptr(GPtrArray) b = parse_ok (json);
  DbtStreamRecord *ra = g_ptr_array_index (a, 0);
  DbtStreamRecord *rb = g_ptr_array_index (b, 0);

  g_assert_true (dbt_stream_record_equal (ra, rb));
  rb->size_bytes = 6;
  g_assert_false (dbt_stream_record_equal (ra, rb));
  rb->size_bytes = 5;
  g_clear_pointer (&rb->new_image, dbt_item_unref);
  g_assert_false (dbt_stream_record_equal (ra, rb));
  g_assert_false (dbt_stream_record_equal (ra, NULL));
}

static void
test_bad_records (void)
{
  static const struct { const char *json; const char *message; } cases[] = {
    { "[]", "event must be a JSON object with a \"Records\" array" },
    { "{}", "Records: missing" },
    { "{\"Records\":{}}", "Records: must be an array" },
    { "{\"Records\":[1]}", "Records[0].record must be a JSON object, got a number" },
    { "{\"Records\":[{\"eventName\":\"INSERT\"}]}", "Records[0].eventID: missing" },
    { "{\"Records\":[{\"eventID\":5}]}", "Records[0].eventID: must be a string, got a number" },
    { "{\"Records\":[{\"eventID\":\"\"}]}", "Records[0].eventID: is empty" },
    { "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"UPSERT\"}]}",
      "Records[0].eventName: \"UPSERT\" is not INSERT, MODIFY or REMOVE" },
    { "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"eventSource\":\"aws:sqs\"}]}",
      "Records[0].eventSource: \"aws:sqs\" is not aws:dynamodb" },
    { "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"INSERT\"}]}", "Records[0].dynamodb: missing" },
    { "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":[]}]}",
      "Records[0].dynamodb: must be an object, got an array" },
    { "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"SequenceNumber\":\"1\"}}]}",
      "Records[0].dynamodb.Keys: missing" },
    { "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}}}}]}",
      "Records[0].dynamodb.SequenceNumber: missing" },
    { "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}},\"SequenceNumber\":100}}]}",
      "Records[0].dynamodb.SequenceNumber: must be a string, got a number" },
    { "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}},\"SequenceNumber\":\"12a\"}}]}",
      "Records[0].dynamodb.SequenceNumber: \"12a\" is not a decimal sequence number" },
    { "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}},\"SequenceNumber\":\"1\",\"SizeBytes\":\"5\"}}]}",
      "Records[0].dynamodb.SizeBytes: must be a whole number of bytes ≥ 0" },
    { "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}},\"SequenceNumber\":\"1\",\"SizeBytes\":-1}}]}",
      "Records[0].dynamodb.SizeBytes: must be a whole number of bytes ≥ 0" },
    { "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}},\"SequenceNumber\":\"1\",\"ApproximateCreationDateTime\":\"2024\"}}]}",
      "Records[0].dynamodb.ApproximateCreationDateTime: must be a number of seconds since the epoch, got a string" },
    { "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}},\"SequenceNumber\":\"1\",\"ApproximateCreationDateTime\":-5}}]}",
      "Records[0].dynamodb.ApproximateCreationDateTime: -5 is not a time in seconds since the epoch" },
    { "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":[],\"SequenceNumber\":\"1\"}}]}",
      "Records[0].dynamodb.Keys: expected a JSON object of attributes, got an array" },
    /* The second record is the bad one, deep in its image. */
    { "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}},\"SequenceNumber\":\"1\"}},"
      "{\"eventID\":\"f\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}},\"SequenceNumber\":\"2\","
      "\"NewImage\":{\"address\":{\"M\":{\"lines\":{\"L\":[{\"S\":\"a\"},{\"S\":\"b\"},{\"NS\":[\"x\"]}]}}}}}}]}",
      "Records[1].dynamodb.NewImage.address.lines[2]: NS member \"x\" is not a number" },
    { "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"k\":{\"N\":\"1\"}},\"SequenceNumber\":\"1\","
      "\"OldImage\":{\"p\":{\"N\":12}}}}]}",
      "Records[0].dynamodb.OldImage.p: N value must be a JSON string, got a number" },
    { "{\"Records\":[", "JSON text ends early: expected a value" },
    { "{\"Records\":[]} x", "~data after its end" },
    { "22{\"Records\":[]}", "JSON text must be an object, not a scalar" },
    { "{\"Records\":[{\"eventID\":\"\\ud800\"}]}", "~unpaired UTF-16 surrogate" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) records = dbt_stream_event_parse (cases[i].json, -1, &error);

      g_test_message ("bad: %s", cases[i].json);
      g_assert_null (records);
      g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
      if (cases[i].message[0] == '~')
        g_assert_nonnull (strstr (error->message, cases[i].message + 1));
      else
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_record_from_json_names_field (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string ("{\"eventID\":\"e\",\"eventName\":\"MODIFY\",\"dynamodb\":"
                                               "{\"Keys\":{\"k\":{\"S\":\"1\"}},\"SequenceNumber\":\"1\","
                                               "\"NewImage\":{\"price\":{\"N\":\"x\"}}}}", &error);
  g_autoptr(DbtStreamRecord) record = NULL;

  g_assert_no_error (error);
  record = dbt_stream_record_from_json (node, &error);
  g_assert_null (record);
  g_assert_cmpstr (error->message, ==, "dynamodb.NewImage.price: N value \"x\" is not a number");
}

/* A 1,000-record batch, as Lambda may deliver. */
static void
test_big_batch (void)
{
  GString *json = g_string_new ("{\"Records\":[");
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  guint i;

  for (i = 0; i < 1000; i++)
    g_string_append_printf (json,
                            "%s{\"eventID\":\"id-%u\",\"eventName\":\"MODIFY\",\"eventSource\":\"aws:dynamodb\","
                            "\"awsRegion\":\"us-east-1\",\"dynamodb\":{\"ApproximateCreationDateTime\":1700000000,"
                            "\"Keys\":{\"id\":{\"S\":\"item-%u\"}},"
                            "\"NewImage\":{\"id\":{\"S\":\"item-%u\"},\"owner\":{\"S\":\"bob\"},\"n\":{\"N\":\"%u\"},"
                            "\"tags\":{\"SS\":[\"a\",\"b\",\"c\"]},\"m\":{\"M\":{\"x\":{\"L\":[{\"N\":\"1\"},{\"BOOL\":true}]}}}},"
                            "\"OldImage\":{\"id\":{\"S\":\"item-%u\"},\"owner\":{\"S\":\"alice\"},\"n\":{\"N\":\"%u\"}},"
                            "\"SequenceNumber\":\"%u\",\"SizeBytes\":100,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},"
                            "\"eventSourceARN\":\"arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x\"}",
                            i > 0 ? "," : "", i, i, i, i, i, i, 1000000 + i);
  g_string_append (json, "]}");

  records = parse_ok (json->str);
  g_assert_cmpuint (records->len, ==, 1000);
  g_assert_cmpstr (((DbtStreamRecord *) g_ptr_array_index (records, 999))->sequence_number, ==, "1000999");
  g_test_message ("1,000 records (%" G_GSIZE_FORMAT " bytes): %.1f ms", json->len,
                  g_timer_elapsed (timer, NULL) * 1000);
  g_string_free (json, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stream-record/moto-get-records", test_moto_get_records);
  g_test_add_func ("/stream-record/lambda-event", test_lambda_event);
  g_test_add_func ("/stream-record/minimal-and-empty", test_minimal_and_empty);
  g_test_add_func ("/stream-record/equal", test_equal);
  g_test_add_func ("/stream-record/bad-records", test_bad_records);
  g_test_add_func ("/stream-record/record-from-json-names-field", test_record_from_json_names_field);
  g_test_add_func ("/stream-record/big-batch", test_big_batch);

  return g_test_run ();
}
