/* live-stack.h — what the integration tests share: a client for the local
 * stack that build-aux/local-stack exported into the environment, unique
 * resource names, and a client that cannot reach anything (to prove that
 * bad input is refused before sending).
 */
#pragma once

#include <glib.h>
#include "dbt-aws-client.h"

/* A client for the stack in the environment, or NULL after g_test_skip()
 * when the test runs outside `local-stack with`. */
static inline DbtAwsClient *
live_client_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) config = NULL;
  DbtAwsClient *client;

  if (g_getenv ("AWS_ENDPOINT_URL") == NULL)
    {
      g_test_skip ("no local stack (run under build-aux/local-stack with)");
      return NULL;
    }
  config = dbt_aws_config_load (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->endpoint_urls[DBT_SERVICE_DYNAMODB], ==, g_getenv ("AWS_ENDPOINT_URL"));
  client = dbt_aws_client_new (config);
  dbt_aws_client_set_timeouts (client, 5000, 60000);
  return client;
}

/* A client whose endpoint refuses connections (port 1 on loopback), with a
 * single attempt: any request it really sends fails with
 * DBT_AWS_ERROR_CONNECT, so an INVALID_INPUT from it was decided locally. */
static inline DbtAwsClient *
live_unreachable_client_new (void)
{
  static const char *const environ_[] = {
    "AWS_REGION=us-east-1",
    "AWS_ACCESS_KEY_ID=testing",
    "AWS_SECRET_ACCESS_KEY=testing",
    "AWS_ENDPOINT_URL=http://127.0.0.1:1",
    "AWS_CONFIG_FILE=/nonexistent/config",
    "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/credentials",
    NULL
  };
  DbtAwsConfigOptions options = { .environ = (char **) environ_ };
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) config = dbt_aws_config_load (&options, &error);
  DbtAwsClient *client;

  g_assert_no_error (error);
  client = dbt_aws_client_new (config);
  dbt_aws_client_set_max_attempts (client, 1);
  dbt_aws_client_set_timeouts (client, 1000, 2000);
  return client;
}

/* "<prefix>-<random>": names that never collide between test cases. */
static inline char *
live_unique_name (const char *prefix)
{
  return g_strdup_printf ("%s-%08x", prefix, g_random_int ());
}
