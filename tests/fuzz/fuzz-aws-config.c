/* fuzz-aws-config.c — the shared-file parser and the chain on arbitrary bytes.
 *
 * The input is written to a scratch file used as both AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE (the parser only reads files). Loading either
 * fails with DBT_AWS_ERROR_CONFIG or yields a complete configuration: a
 * region, credentials and an endpoint for every service; the same for every
 * profile dbt_aws_list_profiles() finds.
 */
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "dbt-credentials.h"
#include "dbt-error.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_load (char       **envp,
            const char  *profile)
{
  g_autoptr(DbtAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  DbtAwsConfigOptions options = { 0 };

  options.environ = envp;
  options.profile = profile;
  config = dbt_aws_config_load (&options, &error);
  if (config == NULL)
    {
      g_assert (g_error_matches (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONFIG));
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  g_assert (config->region != NULL && *config->region != '\0');
  g_assert (config->credentials != NULL);
  g_assert (config->credentials->access_key_id != NULL && config->credentials->secret_access_key != NULL);
  for (int service = 0; service < DBT_N_SERVICES; service++)
    g_assert (g_str_has_prefix (config->endpoint_urls[service], "http"));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  /* One scratch file for the whole run. */
  static char *path = NULL;
  g_auto(GStrv) envp = NULL;
  g_auto(GStrv) profiles = NULL;

  if (path == NULL)
    {
      int fd = g_file_open_tmp ("fuzz-aws-config-XXXXXX", &path, NULL);

      g_assert (fd >= 0);
      close (fd);
    }
  g_assert (g_file_set_contents (path, (const char *) data, (gssize) size, NULL));

  envp = g_environ_setenv (NULL, "HOME", "/nonexistent", TRUE);
  envp = g_environ_setenv (envp, "AWS_CONFIG_FILE", path, TRUE);
  envp = g_environ_setenv (envp, "AWS_SHARED_CREDENTIALS_FILE", path, TRUE);

  check_load (envp, NULL);
  profiles = dbt_aws_list_profiles (envp);
  g_assert (profiles != NULL);
  for (guint i = 0; profiles[i] != NULL && i < 8; i++)
    check_load (envp, profiles[i]);
  return 0;
}
