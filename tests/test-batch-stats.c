/* test-batch-stats.c — the log line and the EMF document, parsed back. */
#include <string.h>

#include <json-glib/json-glib.h>

#include "dbt-batch-stats.h"
#include "dbt-error.h"

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
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (object, "failures")), ==, 0);
}

static void
test_log_line_warns_on_failure (void)
{
  DbtBatchStats stats = sample;
  g_autofree char *line = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonObject *failures;

  stats.failed = 4;
  dbt_batch_stats_add_failure (&stats, "InvalidClientTokenId");
  dbt_batch_stats_add_failure (&stats, DBT_FAILURE_DEADLINE_REACHED);
  dbt_batch_stats_add_failure (&stats, "InvalidClientTokenId");
  dbt_batch_stats_add_failure (&stats, "Throttling");
  line = dbt_batch_stats_to_log_line (&stats, NULL, 7);
  object = parse_object (line, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "level"), ==, "WARN");
  g_assert_false (json_object_has_member (object, "requestId"));
  g_assert_cmpint (json_object_get_int_member (object, "failed"), ==, 4);
  failures = json_object_get_object_member (object, "failures");
  g_assert_cmpuint (json_object_get_size (failures), ==, 3);
  g_assert_cmpint (json_object_get_int_member (failures, "InvalidClientTokenId"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (failures, "DeadlineReached"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (failures, "Throttling"), ==, 1);
}

/* Causes are codes: what is not one, and what finds no room, is "Other". */
static void
test_failure_causes (void)
{
  DbtBatchStats stats = { 0 };
  g_autofree char *line = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *failures;
  guint total = 0;

  dbt_batch_stats_add_failure (&stats, "Item \"owner=alice\" is bad");
  dbt_batch_stats_add_failure (&stats, NULL);
  dbt_batch_stats_add_failure (&stats, "");
  for (guint i = 0; i < DBT_BATCH_STATS_MAX_CAUSES + 2; i++)
    {
      g_autofree char *code = g_strdup_printf ("Code%u", i);

      dbt_batch_stats_add_failure (&stats, code);
      dbt_batch_stats_add_failure (&stats, "Code0");
    }
  line = dbt_batch_stats_to_log_line (&stats, NULL, 1);
  g_assert_null (strstr (line, "alice"));
  failures = json_object_get_object_member (parse_object (line, parser), "failures");
  g_assert_cmpuint (json_object_get_size (failures), ==, DBT_BATCH_STATS_MAX_CAUSES);
  g_assert_cmpint (json_object_get_int_member (failures, "Code0"), ==, DBT_BATCH_STATS_MAX_CAUSES + 3);
  g_assert_true (json_object_has_member (failures, "Code6"));
  g_assert_false (json_object_has_member (failures, "Code7"));
  /* 3 without a code, Code7 to Code9 without room */
  g_assert_cmpint (json_object_get_int_member (failures, "Other"), ==, 6);
  for (guint i = 0; i < DBT_BATCH_STATS_MAX_CAUSES; i++)
    total += stats.failure_causes[i].count;
  g_assert_cmpuint (total, ==, 3 + 2 * (DBT_BATCH_STATS_MAX_CAUSES + 2));
}

static void
test_error_cause (void)
{
  g_autoptr(GError) with_code = NULL;
  g_autoptr(GError) without_code = NULL;
  g_autoptr(GError) message_as_code = NULL;
  g_autoptr(GError) other_domain = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "k-1");

  dbt_aws_set_error (&with_code, DBT_AWS_ERROR_AUTH, "InvalidClientTokenId", 403, "req",
                     "The security token included in the request is invalid");
  dbt_aws_set_error (&without_code, DBT_AWS_ERROR_CONNECT, NULL, 0, NULL, "refused");
  dbt_aws_set_error (&message_as_code, DBT_AWS_ERROR_CLIENT, "owner alice", 400, NULL, "bad");

  g_assert_cmpstr (dbt_batch_stats_error_cause (with_code), ==, "InvalidClientTokenId");
  g_assert_cmpstr (dbt_batch_stats_error_cause (without_code), ==, "Connect");
  g_assert_cmpstr (dbt_batch_stats_error_cause (message_as_code), ==, "Client");
  g_assert_cmpstr (dbt_batch_stats_error_cause (other_domain), ==, "Other");
  g_assert_cmpstr (dbt_batch_stats_error_cause (NULL), ==, "Other");
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
  g_test_add_func ("/batch-stats/failure-causes", test_failure_causes);
  g_test_add_func ("/batch-stats/error-cause", test_error_cause);
  g_test_add_func ("/batch-stats/emf", test_emf);

  return g_test_run ();
}
