/* test-handler-config.c — the handler's configuration from the environment. */
#include "dbt-error.h"
#include "dbt-handler-config.h"

static DbtHandlerConfig *
load (const char *const *envp,
      GError           **error)
{
  return dbt_handler_config_new_from_environ ((char *const *) envp, error);
}

static void
test_defaults (void)
{
  const char *envp[] = {
    "TOPIC_ARN=arn:aws:sns:us-east-1:123456789012:notify",
    "LOG_TABLE=notification-log",
    "PATH=/usr/bin",
    NULL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtHandlerConfig) config = load (envp, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (config->topic_arn, ==, "arn:aws:sns:us-east-1:123456789012:notify");
  g_assert_cmpstr (config->log_table, ==, "notification-log");
  g_assert_cmpstr (config->owner_attribute, ==, "owner");
  g_assert_cmpuint (g_strv_length (config->ignored_attributes), ==, 1);
  g_assert_cmpstr (config->ignored_attributes[0], ==, "updatedAt");
  g_assert_null (config->table_name);
  g_assert_cmpuint (config->notification_ttl_days, ==, 30);
  g_assert_cmpuint (config->function_timeout_seconds, ==, 900);
}

static void
test_all_set (void)
{
  const char *envp[] = {
    "TOPIC_ARN=arn:aws:sns:eu-west-1:000000000000:t",
    "LOG_TABLE=log.table_1",
    "OWNER_ATTRIBUTE=assignee",
    "IGNORED_ATTRIBUTES= updatedAt , ,version,",
    "TABLE_NAME=orders",
    "NOTIFICATION_TTL_DAYS=7",
    "FUNCTION_TIMEOUT_SECONDS=60",
    NULL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtHandlerConfig) config = load (envp, &error);
  g_autofree char *table = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (config->owner_attribute, ==, "assignee");
  g_assert_cmpuint (g_strv_length (config->ignored_attributes), ==, 2);
  g_assert_cmpstr (config->ignored_attributes[0], ==, "updatedAt");
  g_assert_cmpstr (config->ignored_attributes[1], ==, "version");
  g_assert_cmpuint (config->notification_ttl_days, ==, 7);
  g_assert_cmpuint (config->function_timeout_seconds, ==, 60);
  /* TABLE_NAME wins over the ARN. */
  table = dbt_handler_config_table_for_record (config,
                                               "arn:aws:dynamodb:eu-west-1:1:table/other/stream/x");
  g_assert_cmpstr (table, ==, "orders");
}

static void
test_empty_ignored_list (void)
{
  const char *envp[] = {
    "TOPIC_ARN=arn:aws:sns:us-east-1:123456789012:notify",
    "LOG_TABLE=notification-log",
    "IGNORED_ATTRIBUTES=",
    NULL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtHandlerConfig) config = load (envp, &error);

  g_assert_no_error (error);
  g_assert_nonnull (config->ignored_attributes);
  g_assert_cmpuint (g_strv_length (config->ignored_attributes), ==, 0);
}

typedef struct
{
  const char *envp[4];
  const char *variable;   /* the name the error must mention */
} BadCase;

static void
test_errors_name_the_variable (void)
{
  const BadCase cases[] = {
    { { "LOG_TABLE=log", NULL }, "TOPIC_ARN" },
    { { "TOPIC_ARN=", "LOG_TABLE=log", NULL }, "TOPIC_ARN" },
    { { "TOPIC_ARN=arn:aws:sqs:us-east-1:1:q", "LOG_TABLE=log", NULL }, "TOPIC_ARN" },
    { { "TOPIC_ARN=not-an-arn", "LOG_TABLE=log", NULL }, "TOPIC_ARN" },
    { { "TOPIC_ARN=arn:aws:sns:us-east-1:1:t", NULL }, "LOG_TABLE" },
    { { "TOPIC_ARN=arn:aws:sns:us-east-1:1:t", "LOG_TABLE=a b", NULL }, "LOG_TABLE" },
    { { "TOPIC_ARN=arn:aws:sns:us-east-1:1:t", "LOG_TABLE=log", "NOTIFICATION_TTL_DAYS=0" }, "NOTIFICATION_TTL_DAYS" },
    { { "TOPIC_ARN=arn:aws:sns:us-east-1:1:t", "LOG_TABLE=log", "NOTIFICATION_TTL_DAYS=30d" }, "NOTIFICATION_TTL_DAYS" },
    { { "TOPIC_ARN=arn:aws:sns:us-east-1:1:t", "LOG_TABLE=log", "FUNCTION_TIMEOUT_SECONDS=901" }, "FUNCTION_TIMEOUT_SECONDS" },
    { { "TOPIC_ARN=arn:aws:sns:us-east-1:1:t", "LOG_TABLE=log", "TABLE_NAME=x" }, "TABLE_NAME" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DbtHandlerConfig) config = load (cases[i].envp, &error);

      g_assert_null (config);
      g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONFIG);
      g_assert_nonnull (strstr (error->message, cases[i].variable));
    }
}

static void
test_table_from_arn (void)
{
  const struct { const char *arn; const char *table; } cases[] = {
    { "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000", "orders" },
    { "arn:aws:dynamodb:us-east-1:123456789012:table/my.table-1", "my.table-1" },
    { "arn:aws-cn:dynamodb:cn-north-1:1:table/t_1/stream/x", "t_1" },
    { "arn:aws:sns:us-east-1:1:table/orders", NULL },
    { "arn:aws:dynamodb:us-east-1:1:index/orders", NULL },
    { "arn:aws:dynamodb:us-east-1:1:table/", NULL },
    { "arn:aws:dynamodb:us-east-1:1:table//stream/x", NULL },
    { "orders", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *table = dbt_table_name_from_arn (cases[i].arn);

      g_assert_cmpstr (table, ==, cases[i].table);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/handler-config/defaults", test_defaults);
  g_test_add_func ("/handler-config/all-set", test_all_set);
  g_test_add_func ("/handler-config/empty-ignored-list", test_empty_ignored_list);
  g_test_add_func ("/handler-config/errors-name-the-variable", test_errors_name_the_variable);
  g_test_add_func ("/handler-config/table-from-arn", test_table_from_arn);

  return g_test_run ();
}
