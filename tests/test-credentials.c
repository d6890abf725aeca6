/* test-credentials.c — every link of the configuration chain, with a private
 * environment and HOME per test (never the machine's own ~/.aws). */
#include <string.h>
#include <glib/gstdio.h>

#include "dbt-credentials.h"
#include "dbt-error.h"

typedef struct
{
  char  *home;
  char **env;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->home = g_dir_make_tmp ("dbt-credentials-XXXXXX", &error);
  g_assert_no_error (error);
  /* An environment of our own: nothing leaks in from the machine. */
  fx->env = g_environ_setenv (NULL, "HOME", fx->home, TRUE);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_remove (path);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  remove_tree (fx->home);
  g_free (fx->home);
  g_strfreev (fx->env);
}

static void
fixture_setenv (Fixture    *fx,
                const char *name,
                const char *value)
{
  fx->env = g_environ_setenv (fx->env, name, value, TRUE);
}

/* Writes HOME/relative and returns its full path. */
static char *
fixture_write (Fixture    *fx,
               const char *relative,
               const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fx->home, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static DbtAwsConfig *
load (Fixture                   *fx,
      const DbtAwsConfigOptions *base,
      GError                   **error)
{
  DbtAwsConfigOptions options = { 0 };

  if (base != NULL)
    options = *base;
  options.environ = fx->env;
  return dbt_aws_config_load (&options, error);
}

static void
assert_config_error (GError     *error,
                     const char *part)
{
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONFIG);
  if (strstr (error->message, part) == NULL)
    g_error ("message \"%s\" lacks \"%s\"", error->message, part);
}

/* --- credentials ---------------------------------------------------------- */

static void
test_environment (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) config = NULL;

  fixture_setenv (fx, "AWS_ACCESS_KEY_ID", "AKIDENV");
  fixture_setenv (fx, "AWS_SECRET_ACCESS_KEY", "secretenv");
  fixture_setenv (fx, "AWS_SESSION_TOKEN", "tokenenv");
  fixture_setenv (fx, "AWS_REGION", "eu-west-1");

  config = load (fx, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->credentials->access_key_id, ==, "AKIDENV");
  g_assert_cmpstr (config->credentials->secret_access_key, ==, "secretenv");
  g_assert_cmpstr (config->credentials->session_token, ==, "tokenenv");
  g_assert_cmpstr (config->credentials->source, ==, "environment");
  g_assert_cmpstr (config->region, ==, "eu-west-1");
  g_assert_cmpstr (config->profile, ==, "default");
}

static void
test_explicit_wins (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) config = NULL;
  g_autoptr(DbtCredentials) given = dbt_credentials_new ("AKIDUI", "secretui", NULL, "the keyring");
  DbtAwsConfigOptions options = { 0 };

  fixture_setenv (fx, "AWS_ACCESS_KEY_ID", "AKIDENV");
  fixture_setenv (fx, "AWS_SECRET_ACCESS_KEY", "secretenv");
  fixture_setenv (fx, "AWS_REGION", "eu-west-1");
  fixture_setenv (fx, "AWS_ENDPOINT_URL", "http://127.0.0.1:1111");
  g_free (fixture_write (fx, ".aws/credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = secretfile\n"));

  options.credentials = given;
  options.region = "ap-south-1";
  options.endpoint_url = "http://localhost:5000/";
  config = load (fx, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->credentials->access_key_id, ==, "AKIDUI");
  g_assert_cmpstr (config->credentials->source, ==, "the keyring");
  g_assert_null (config->credentials->session_token);
  g_assert_cmpstr (config->region, ==, "ap-south-1");
  for (int service = 0; service < DBT_N_SERVICES; service++)
    {
      g_assert_cmpstr (config->endpoint_urls[service], ==, "http://localhost:5000");
      g_assert_true (config->endpoint_is_custom[service]);
    }
  /* The options were copied, not kept. */
  g_assert_true (config->credentials != given);
}

static void
test_shared_files (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) config = NULL;
  g_autofree char *credentials_path =
    fixture_write (fx, ".aws/credentials",
                   "# comment line\n"
                   "; another comment\n"
                   "[default]\n"
                   "aws_access_key_id=AKIDDEFAULT\n"
                   "  \n"
                   "AWS_Secret_Access_Key   =   secretdefault   \n"
                   "aws_session_token = tok  # inline comment\n");
  g_autofree char *expected_source = NULL;

  g_free (fixture_write (fx, ".aws/config", "[default]\nregion = us-west-2 ; comment\n"));

  config = load (fx, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->credentials->access_key_id, ==, "AKIDDEFAULT");
  g_assert_cmpstr (config->credentials->secret_access_key, ==, "secretdefault");
  g_assert_cmpstr (config->credentials->session_token, ==, "tok");
  expected_source = g_strdup_printf ("profile \"default\" in %s", credentials_path);
  g_assert_cmpstr (config->credentials->source, ==, expected_source);
  g_assert_cmpstr (config->region, ==, "us-west-2");
}

static void
test_profile_from_env (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) config = NULL;

  g_free (fixture_write (fx, ".aws/credentials",
                         "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n"
                         "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s2\n"));
  g_free (fixture_write (fx, ".aws/config",
                         "[default]\nregion = us-east-1\n"
                         "[profile dev]\nregion = eu-central-1\n"
                         "[dev]\nregion = not-this-one\n"));
  fixture_setenv (fx, "AWS_PROFILE", "dev");

  config = load (fx, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->profile, ==, "dev");
  g_assert_cmpstr (config->credentials->access_key_id, ==, "AKIDDEV");
  /* In the config file only "[profile dev]" names the profile. */
  g_assert_cmpstr (config->region, ==, "eu-central-1");
}

static void
test_config_only_profile (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) config = NULL;
  g_autofree char *config_path =
    fixture_write (fx, "elsewhere/my config",
                   "[profile \"ops team\"]\n"
                   "region = sa-east-1\n"
                   "aws_access_key_id = AKIDOPS\n"
                   "aws_secret_access_key = secretops\n");
  DbtAwsConfigOptions options = { 0 };

  /* "~/" in the variable means HOME, as the SDKs expand it. */
  fixture_setenv (fx, "AWS_CONFIG_FILE", "~/elsewhere/my config");
  fixture_setenv (fx, "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials");
  options.profile = "ops team";
  config = load (fx, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->credentials->access_key_id, ==, "AKIDOPS");
  g_assert_nonnull (strstr (config->credentials->source, config_path));
  g_assert_cmpstr (config->region, ==, "sa-east-1");
}

static void
test_credentials_file_wins_over_config (Fixture       *fx,
                                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) config = NULL;

  g_free (fixture_write (fx, ".aws/config",
                         "[default]\nregion = us-east-1\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = sc\n"));
  g_free (fixture_write (fx, ".aws/credentials",
                         "[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = scr\n"));
  config = load (fx, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->credentials->access_key_id, ==, "AKIDCREDS");
  g_assert_cmpstr (config->credentials->secret_access_key, ==, "scr");
}

static void
test_env_beats_profile_unless_explicit (Fixture       *fx,
                                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) from_env = NULL;
  g_autoptr(DbtAwsConfig) from_profile = NULL;
  DbtAwsConfigOptions options = { 0 };

  g_free (fixture_write (fx, ".aws/credentials",
                         "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = sdev\n"));
  fixture_setenv (fx, "AWS_ACCESS_KEY_ID", "AKIDENV");
  fixture_setenv (fx, "AWS_SECRET_ACCESS_KEY", "senv");
  fixture_setenv (fx, "AWS_DEFAULT_REGION", "us-east-2");

  /* AWS_PROFILE only picks the profile the files are read for: the
   * environment's keys still come first. */
  fixture_setenv (fx, "AWS_PROFILE", "dev");
  from_env = load (fx, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_env->credentials->access_key_id, ==, "AKIDENV");

  /* A profile chosen explicitly (the console's profile picker) wins. */
  options.profile = "dev";
  from_profile = load (fx, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_profile->credentials->access_key_id, ==, "AKIDDEV");
  g_assert_cmpstr (from_profile->region, ==, "us-east-2");
}

static void
test_missing_profile (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) config = NULL;
  g_autofree char *credentials_path =
    fixture_write (fx, ".aws/credentials", "[default]\naws_access_key_id = AKID\naws_secret_access_key = s\n");

  fixture_setenv (fx, "AWS_PROFILE", "nosuch");
  fixture_setenv (fx, "AWS_REGION", "us-east-1");
  config = load (fx, NULL, &error);
  g_assert_null (config);
  assert_config_error (error, "profile \"nosuch\" not found");
  assert_config_error (error, credentials_path);
}

static void
test_no_credentials (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) config = NULL;
  DbtAwsConfigOptions options = { 0 };

  /* Another profile's secret sits in the file; it must not leak into the
   * message about this one. */
  g_free (fixture_write (fx, ".aws/credentials",
                         "[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = SECRETOTHER\n"
                         "[x]\nregion = us-east-1\n"));
  options.profile = "x";
  config = load (fx, &options, &error);
  g_assert_null (config);
  assert_config_error (error, "no AWS credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
  assert_config_error (error, "profile \"x\"");
  g_assert_null (strstr (error->message, "SECRETOTHER"));
  g_assert_null (strstr (error->message, "AKIDOTHER"));
}

static void
test_partial_credentials (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(GError) env_error = NULL;
  g_autoptr(GError) file_error = NULL;
  g_autoptr(DbtAwsConfig) config = NULL;

  fixture_setenv (fx, "AWS_REGION", "us-east-1");
  fixture_setenv (fx, "AWS_SECRET_ACCESS_KEY", "SECRETONLY");
  config = load (fx, NULL, &env_error);
  g_assert_null (config);
  assert_config_error (env_error, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
  g_assert_null (strstr (env_error->message, "SECRETONLY"));

  fx->env = g_environ_unsetenv (fx->env, "AWS_SECRET_ACCESS_KEY");
  g_free (fixture_write (fx, ".aws/credentials", "[default]\naws_secret_access_key = SECRETFILE\n"));
  config = load (fx, NULL, &file_error);
  g_assert_null (config);
  assert_config_error (file_error, "has aws_secret_access_key but no aws_access_key_id");
  g_assert_null (strstr (file_error->message, "SECRETFILE"));
}

/* --- region ------------------------------------------------------------------- */

static void
test_region_precedence (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DbtAwsConfigOptions options = { 0 };
  DbtAwsConfig *config;

  fixture_setenv (fx, "AWS_ACCESS_KEY_ID", "AKID");
  fixture_setenv (fx, "AWS_SECRET_ACCESS_KEY", "s");
  g_free (fixture_write (fx, ".aws/config", "[default]\nregion = from-profile-1\n"));

  config = load (fx, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->region, ==, "from-profile-1");
  dbt_aws_config_free (config);

  fixture_setenv (fx, "AWS_DEFAULT_REGION", "default-region-1");
  config = load (fx, NULL, &error);
  g_assert_cmpstr (config->region, ==, "default-region-1");
  dbt_aws_config_free (config);

  fixture_setenv (fx, "AWS_REGION", "region-1");
  config = load (fx, NULL, &error);
  g_assert_cmpstr (config->region, ==, "region-1");
  dbt_aws_config_free (config);

  options.region = "explicit-1";
  config = load (fx, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->region, ==, "explicit-1");
  dbt_aws_config_free (config);
}

static void
test_region_errors (Fixture       *fx,
                    gconstpointer  data)
{
  static const char *bad[] = { "US-EAST-1", "us east 1", "-us", "us--east", "us-east-1/", "", };
  g_autoptr(GError) missing = NULL;
  DbtAwsConfig *config;

  fixture_setenv (fx, "AWS_ACCESS_KEY_ID", "AKID");
  fixture_setenv (fx, "AWS_SECRET_ACCESS_KEY", "s");
  config = load (fx, NULL, &missing);
  g_assert_null (config);
  assert_config_error (missing, "no AWS region: set AWS_REGION");

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      DbtAwsConfigOptions options = { 0 };

      options.region = bad[i];
      config = load (fx, &options, &error);
      g_assert_null (config);
      assert_config_error (error, *bad[i] != '\0' ? "invalid AWS region" : "invalid AWS region \"\"");
      assert_config_error (error, "the region option");
    }
}

/* --- endpoints ----------------------------------------------------------------- */

static void
set_basic_env (Fixture    *fx,
               const char *region)
{
  fixture_setenv (fx, "AWS_ACCESS_KEY_ID", "AKID");
  fixture_setenv (fx, "AWS_SECRET_ACCESS_KEY", "s");
  fixture_setenv (fx, "AWS_REGION", region);
}

static void
test_public_endpoints (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) config = NULL;
  g_autoptr(DbtAwsConfig) china = NULL;
  DbtAwsConfigOptions options = { 0 };

  set_basic_env (fx, "eu-north-1");
  config = load (fx, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->endpoint_urls[DBT_SERVICE_DYNAMODB], ==, "https://dynamodb.eu-north-1.amazonaws.com");
  g_assert_cmpstr (config->endpoint_urls[DBT_SERVICE_STREAMS], ==, "https://streams.dynamodb.eu-north-1.amazonaws.com");
  g_assert_cmpstr (config->endpoint_urls[DBT_SERVICE_SNS], ==, "https://sns.eu-north-1.amazonaws.com");
  g_assert_cmpstr (config->endpoint_urls[DBT_SERVICE_SQS], ==, "https://sqs.eu-north-1.amazonaws.com");
  g_assert_cmpstr (config->endpoint_urls[DBT_SERVICE_LAMBDA], ==, "https://lambda.eu-north-1.amazonaws.com");
  g_assert_cmpstr (config->endpoint_urls[DBT_SERVICE_S3], ==, "https://s3.eu-north-1.amazonaws.com");
  for (int service = 0; service < DBT_N_SERVICES; service++)
    g_assert_false (config->endpoint_is_custom[service]);

  options.region = "cn-north-1";
  china = load (fx, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (china->endpoint_urls[DBT_SERVICE_SQS], ==, "https://sqs.cn-north-1.amazonaws.com.cn");
}

static void
test_endpoint_overrides (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DbtAwsConfig *config;

  set_basic_env (fx, "us-east-1");
  g_free (fixture_write (fx, ".aws/config",
                         "[default]\n"
                         "endpoint_url = http://profile-endpoint:4000\n"
                         "services = local\n"
                         "[services local]\n"
                         "lambda =\n"
                         "  endpoint_url = http://lambda-from-services:9001/\n"
                         "  # comment inside the sub-section\n"
                         "s3 =\n"
                         "  addressing_style = path\n"));

  /* Profile: the services section for Lambda, endpoint_url for the rest. */
  config = load (fx, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->endpoint_urls[DBT_SERVICE_LAMBDA], ==, "http://lambda-from-services:9001");
  g_assert_cmpstr (config->endpoint_urls[DBT_SERVICE_DYNAMODB], ==, "http://profile-endpoint:4000");
  g_assert_cmpstr (config->endpoint_urls[DBT_SERVICE_S3], ==, "http://profile-endpoint:4000");
  g_assert_true (config->endpoint_is_custom[DBT_SERVICE_S3]);
  dbt_aws_config_free (config);

  /* The global variable beats the profile, the service's own beats both. */
  fixture_setenv (fx, "AWS_ENDPOINT_URL", "http://127.0.0.1:5000");
  fixture_setenv (fx, "AWS_ENDPOINT_URL_DYNAMODB_STREAMS", "https://streams.local:8443/");
  fixture_setenv (fx, "AWS_ENDPOINT_URL_SQS", "http://[::1]:9324");
  config = load (fx, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->endpoint_urls[DBT_SERVICE_DYNAMODB], ==, "http://127.0.0.1:5000");
  g_assert_cmpstr (config->endpoint_urls[DBT_SERVICE_STREAMS], ==, "https://streams.local:8443");
  g_assert_cmpstr (config->endpoint_urls[DBT_SERVICE_SQS], ==, "http://[::1]:9324");
  g_assert_cmpstr (config->endpoint_urls[DBT_SERVICE_LAMBDA], ==, "http://127.0.0.1:5000");
  g_assert_cmpstr (config->endpoint_urls[DBT_SERVICE_SNS], ==, "http://127.0.0.1:5000");
  dbt_aws_config_free (config);

  /* AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns all of it off. */
  fixture_setenv (fx, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
  config = load (fx, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->endpoint_urls[DBT_SERVICE_SQS], ==, "https://sqs.us-east-1.amazonaws.com");
  g_assert_false (config->endpoint_is_custom[DBT_SERVICE_SQS]);
  dbt_aws_config_free (config);
}

static void
test_invalid_endpoints (Fixture       *fx,
                        gconstpointer  data)
{
  static const struct
  {
    const char *url;
    const char *message_part;
  } cases[] = {
    { "ftp://example.com", "scheme must be http or https" },
    { "localhost:4566", "scheme must be http or https" },
    { "http://", "no host" },
    { "http://host:4566/?x=1", "no query or fragment" },
    { "not a url", "not a URL" },
    { "http://user:hunter2@host", "must not hold a user name or password" },
  };

  set_basic_env (fx, "us-east-1");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      DbtAwsConfig *config;

      fixture_setenv (fx, "AWS_ENDPOINT_URL_SNS", cases[i].url);
      config = load (fx, NULL, &error);
      g_assert_null (config);
      assert_config_error (error, cases[i].message_part);
      assert_config_error (error, "AWS_ENDPOINT_URL_SNS");
      g_assert_null (strstr (error->message, "hunter2"));
    }
}

/* --- the INI parser ------------------------------------------------------------- */

static void
test_nested_sections_skipped (Fixture       *fx,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) config = NULL;

  set_basic_env (fx, "us-east-1");
  fx->env = g_environ_unsetenv (fx->env, "AWS_REGION");
  g_free (fixture_write (fx, ".aws/config",
                         "[default]\n"
                         "s3 =\n"
                         "  region = nested-region-1\n"
                         "  endpoint_url = http://nested:1\n"
                         "cli_pager = less\n"
                         "  -R\n"
                         "region = top-region-1\n"));
  config = load (fx, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->region, ==, "top-region-1");
  g_assert_false (config->endpoint_is_custom[DBT_SERVICE_S3]);
}

static void
test_malformed_files (Fixture       *fx,
                      gconstpointer  data)
{
  static const struct
  {
    const char *text;
    const char *message_part;
  } cases[] = {
    { "[default]\nregion us-east-1 SECRETLINE\n", ":2: expected \"name = value\"" },
    { "aws_secret_access_key = SECRETLINE\n[default]\n", ":1: setting before the first [section]" },
    { "[default\nregion = x\n", ":1: section header without ']'" },
    { "[]\n", ":1: empty section name" },
    { "[default]\n= SECRETLINE\n", ":2: setting without a name" },
    { "[default] SECRETLINE\n", ":1: text after a section header" },
    { "[default]\nregion = \xff SECRETLINE\n", ":2: not UTF-8 text" },
  };

  set_basic_env (fx, "us-east-1");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = fixture_write (fx, ".aws/credentials", cases[i].text);
      DbtAwsConfig *config;

      config = load (fx, NULL, &error);
      g_assert_null (config);
      assert_config_error (error, path);
      assert_config_error (error, cases[i].message_part);
      g_assert_null (strstr (error->message, "SECRETLINE"));
    }
}

/* --- the rest -------------------------------------------------------------------- */

static void
test_list_profiles (Fixture       *fx,
                    gconstpointer  data)
{
  g_auto(GStrv) none = NULL;
  g_auto(GStrv) profiles = NULL;
  const char *expected[] = { "ci", "default", "dev", "my team", "prod", NULL };

  none = dbt_aws_list_profiles (fx->env);
  g_assert_nonnull (none);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  g_free (fixture_write (fx, ".aws/config",
                         "[default]\nregion = us-east-1\n"
                         "[profile dev]\nregion = eu-west-1\n"
                         "[profile   \"my team\"]\n"
                         "[services local]\nsqs =\n  endpoint_url = http://x\n"
                         "[sso-session corp]\nsso_region = us-east-1\n"
                         "[profile prod]\n"));
  g_free (fixture_write (fx, ".aws/credentials",
                         "[dev]\naws_access_key_id = a\naws_secret_access_key = b\n"
                         "[ci]\naws_access_key_id = a\naws_secret_access_key = b\n"));
  profiles = dbt_aws_list_profiles (fx->env);
  g_assert_cmpstrv (profiles, expected);
}

static void
test_copy_and_names (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) config = NULL;
  g_autoptr(DbtAwsConfig) copy = NULL;
  g_autoptr(DbtCredentials) no_token = dbt_credentials_new ("a", "b", "", NULL);

  set_basic_env (fx, "us-east-1");
  fixture_setenv (fx, "AWS_SESSION_TOKEN", "tok");
  fixture_setenv (fx, "AWS_ENDPOINT_URL_S3", "http://s3.local:9000");
  config = load (fx, NULL, &error);
  g_assert_no_error (error);
  copy = dbt_aws_config_copy (config);
  g_assert_cmpstr (copy->profile, ==, config->profile);
  g_assert_cmpstr (copy->region, ==, config->region);
  g_assert_cmpstr (copy->credentials->session_token, ==, "tok");
  g_assert_true (copy->credentials != config->credentials);
  for (int service = 0; service < DBT_N_SERVICES; service++)
    {
      g_assert_cmpstr (copy->endpoint_urls[service], ==, config->endpoint_urls[service]);
      g_assert_cmpint (copy->endpoint_is_custom[service], ==, config->endpoint_is_custom[service]);
    }
  g_assert_true (copy->endpoint_is_custom[DBT_SERVICE_S3]);
  g_assert_null (dbt_aws_config_copy (NULL));
  g_assert_null (dbt_credentials_copy (NULL));
  g_assert_null (no_token->session_token);
  g_assert_cmpstr (no_token->source, ==, "explicit");

  g_assert_cmpstr (dbt_service_signing_name (DBT_SERVICE_STREAMS), ==, "dynamodb");
  g_assert_cmpstr (dbt_service_signing_name (DBT_SERVICE_LAMBDA), ==, "lambda");
  g_assert_cmpstr (dbt_service_env_name (DBT_SERVICE_STREAMS), ==, "DYNAMODB_STREAMS");
  g_assert_cmpstr (dbt_service_env_name (DBT_SERVICE_S3), ==, "S3");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/credentials/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("chain/environment", test_environment);
  ADD ("chain/explicit-wins", test_explicit_wins);
  ADD ("chain/shared-files", test_shared_files);
  ADD ("chain/profile-from-env", test_profile_from_env);
  ADD ("chain/config-only-profile", test_config_only_profile);
  ADD ("chain/credentials-file-wins", test_credentials_file_wins_over_config);
  ADD ("chain/env-beats-profile-unless-explicit", test_env_beats_profile_unless_explicit);
  ADD ("errors/missing-profile", test_missing_profile);
  ADD ("errors/no-credentials", test_no_credentials);
  ADD ("errors/partial-credentials", test_partial_credentials);
  ADD ("region/precedence", test_region_precedence);
  ADD ("region/errors", test_region_errors);
  ADD ("endpoint/public", test_public_endpoints);
  ADD ("endpoint/overrides", test_endpoint_overrides);
  ADD ("endpoint/invalid", test_invalid_endpoints);
  ADD ("ini/nested-sections-skipped", test_nested_sections_skipped);
  ADD ("ini/malformed", test_malformed_files);
  ADD ("profiles/list", test_list_profiles);
  ADD ("copy-and-names", test_copy_and_names);

#undef ADD

  return g_test_run ();
}
