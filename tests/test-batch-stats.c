/* test-batch-stats.c — the log line and the EMF document, parsed back. */
#include <string.h>

#include <json-glib/json-glib.h>

#include "dbt-batch-stats.h"

static const DbtBatchStats sample = {
  .records = 17,
  .notified = 5,
  .changes_delivered = 9,
  .skipped_no_owner = 2,
  .skipped_no_change = 3,
  .skipped_no_image = 1,
  .failed = 0,
  .duplicates = 2,
  .log_write_failures = 0,
};

static JsonObject *
parse_object (const char *json,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_null (strchr (json, '\n'));
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}

static void
test_log_line (void)
{
  g_autofree char *line = dbt_batch_stats_to_log_line (&sample, "req-123", 42);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = parse_object (line, parser);

  g_assert_cmpstr (json_object_get_string_member (object, "level"), ==, "INFO");
  g_assert_cmpstr (json_object_get_string_member (object, "requestId"), ==, "req-123");
  g_assert_cmpint (json_object_get_int_member (object, "durationMs"), ==, 42);
  g_assert_cmpint (json_object_get_int_member (object, "records"), ==, 17);
  g_assert_cmpint (json_object_get_int_member (object, "notified"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (object, "changesDelivered"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (object, "skipped"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (object, "skippedNoOwner"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "skippedNoChange"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (object, "skippedNoImage"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "failed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "duplicatesSuppressed"), ==, 2);
}

static void
test_log_line_warns_on_failure (void)
{
  DbtBatchStats stats = sample;
  g_autofree char *line = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  stats.failed = 4;
  line = dbt_batch_stats_to_log_line (&stats, NULL, 7);
  object = parse_object (line, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "level"), ==, "WARN");
  g_assert_false (json_object_has_member (object, "requestId"));
  g_assert_cmpint (json_object_get_int_member (object, "failed"), ==, 4);
}

static void
test_emf (void)
{
  g_autofree char *doc = dbt_batch_stats_to_emf (&sample, "dbtrigger-handler", "req-9",
                                                 G_GINT64_CONSTANT (1700000000123), 250);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = parse_object (doc, parser);
  JsonObject *aws = json_object_get_object_member (root, "_aws");
  JsonArray *directives;
  JsonObject *directive;
  JsonArray *dimensions;
  JsonArray *metrics;
  guint n_metrics;

  g_assert_nonnull (aws);
  g_assert_cmpint (json_object_get_int_member (aws, "Timestamp"), ==, G_GINT64_CONSTANT (1700000000123));
  directives = json_object_get_array_member (aws, "CloudWatchMetrics");
  g_assert_cmpuint (json_array_get_length (directives), ==, 1);
  directive = json_array_get_object_element (directives, 0);
  g_assert_cmpstr (json_object_get_string_member (directive, "Namespace"), ==, "dbtrigger");

  dimensions = json_object_get_array_member (directive, "Dimensions");
  g_assert_cmpuint (json_array_get_length (dimensions), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_array_get_array_element (dimensions, 0)), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (dimensions, 0), 0),
                   ==, "FunctionName");
  g_assert_cmpstr (json_object_get_string_member (root, "FunctionName"), ==, "dbtrigger-handler");
  g_assert_cmpstr (json_object_get_string_member (root, "requestId"), ==, "req-9");

  /* Every declared metric is a number on the root (the EMF rule), with a
   * unit; counts are the stats. */
  metrics = json_object_get_array_member (directive, "Metrics");
  n_metrics = json_array_get_length (metrics);
  g_assert_cmpuint (n_metrics, >=, 7);
  for (guint i = 0; i < n_metrics; i++)
    {
      JsonObject *metric = json_array_get_object_element (metrics, i);
      const char *name = json_object_get_string_member (metric, "Name");
      const char *unit = json_object_get_string_member (metric, "Unit");
      JsonNode *value = json_object_get_member (root, name);

      g_assert_nonnull (value);
      g_assert_true (JSON_NODE_HOLDS_VALUE (value));
      g_assert_cmpint (json_node_get_value_type (value), ==, G_TYPE_INT64);
      g_assert_cmpstr (unit, ==, g_str_equal (name, "Duration") ? "Milliseconds" : "Count");
    }
  g_assert_cmpint (json_object_get_int_member (root, "Records"), ==, 17);
  g_assert_cmpint (json_object_get_int_member (root, "Notified"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (root, "ChangesDelivered"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (root, "Skipped"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (root, "Failed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "DuplicatesSuppressed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (root, "Duration"), ==, 250);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/batch-stats/log-line", test_log_line);
  g_test_add_func ("/batch-stats/log-line-warns", test_log_line_warns_on_failure);
  g_test_add_func ("/batch-stats/emf", test_emf);

  return g_test_run ();
}
