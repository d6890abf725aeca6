/* dbt-credentials.c — the SDK configuration chain: credentials, region and
 * endpoints from explicit options, the environment and the shared
 * ~/.aws/config and ~/.aws/credentials files.
 *
 * The shared files are read with a small INI parser of our own, with the
 * rules botocore applies (configparser plus its nested sub-sections):
 * '#' and ';' comment lines, whitespace around '=', case-insensitive keys,
 * indented "key = value" lines under an empty "parent =" belong to a nested
 * sub-section and are kept as "parent.key" so they never shadow top-level
 * keys. Error messages give a file and line, never a line's content: it may
 * hold a secret.
 */
#include "dbt-credentials.h"
#include "dbt-error.h"

#include <string.h>

#define MAX_REGION_LEN 50

static const struct
{
  const char *signing_name;
  const char *env_name;
  const char *host_prefix;
} services[DBT_N_SERVICES] = {
  [DBT_SERVICE_DYNAMODB] = { "dynamodb", "DYNAMODB", "dynamodb" },
  [DBT_SERVICE_STREAMS] = { "dynamodb", "DYNAMODB_STREAMS", "streams.dynamodb" },
  [DBT_SERVICE_SNS] = { "sns", "SNS", "sns" },
  [DBT_SERVICE_SQS] = { "sqs", "SQS", "sqs" },
  [DBT_SERVICE_LAMBDA] = { "lambda", "LAMBDA", "lambda" },
  [DBT_SERVICE_S3] = { "s3", "S3", "s3" },
};

const char *
dbt_service_signing_name (DbtService service)
{
  g_return_val_if_fail (service < DBT_N_SERVICES, NULL);
  return services[service].signing_name;
}

const char *
dbt_service_env_name (DbtService service)
{
  g_return_val_if_fail (service < DBT_N_SERVICES, NULL);
  return services[service].env_name;
}

/* --- DbtCredentials ------------------------------------------------------ */

DbtCredentials *
dbt_credentials_new (const char *access_key_id,
                     const char *secret_access_key,
                     const char *session_token,
                     const char *source)
{
  DbtCredentials *credentials = g_new0 (DbtCredentials, 1);

  credentials->access_key_id = g_strdup (access_key_id);
  credentials->secret_access_key = g_strdup (secret_access_key);
  credentials->session_token = session_token != NULL && *session_token != '\0'
                               ? g_strdup (session_token) : NULL;
  credentials->source = g_strdup (source != NULL ? source : "explicit");
  return credentials;
}

DbtCredentials *
dbt_credentials_copy (const DbtCredentials *credentials)
{
  if (credentials == NULL)
    return NULL;
  return dbt_credentials_new (credentials->access_key_id,
                              credentials->secret_access_key,
                              credentials->session_token,
                              credentials->source);
}

/* Secrets do not linger in freed memory. */
static void
free_secret (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

void
dbt_credentials_free (DbtCredentials *credentials)
{
  if (credentials == NULL)
    return;
  g_free (credentials->access_key_id);
  free_secret (credentials->secret_access_key);
  free_secret (credentials->session_token);
  g_free (credentials->source);
  g_free (credentials);
}

/* --- environment ----------------------------------------------------------- */

/* An empty variable counts as unset, as in botocore. */
static const char *
env_get (char       **envp,
         const char  *name)
{
  const char *value = envp != NULL ? g_environ_getenv (envp, name) : g_getenv (name);

  return value != NULL && *value != '\0' ? value : NULL;
}

static char *
expand_home (char       **envp,
             const char  *path)
{
  const char *home = env_get (envp, "HOME");

  if (home == NULL && envp == NULL)
    home = g_get_home_dir ();
  if (path[0] == '~' && (path[1] == '/' || path[1] == '\0'))
    return home != NULL ? g_build_filename (home, path + 1, NULL) : NULL;
  return g_strdup (path);
}

/* AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/<name>;
 * NULL when there is no home to look in. */
static char *
shared_file_path (char       **envp,
                  const char  *variable,
                  const char  *name)
{
  const char *path = env_get (envp, variable);
  g_autofree char *default_path = NULL;

  if (path != NULL)
    return expand_home (envp, path);
  default_path = g_build_filename ("~", ".aws", name, NULL);
  return expand_home (envp, default_path);
}

/* --- the INI parser -------------------------------------------------------- */

typedef struct
{
  char       *path;
  GHashTable *sections;   /* section name → GHashTable (lowercase key → value) */
} IniFile;

static void
ini_file_free (IniFile *ini)
{
  if (ini == NULL)
    return;
  g_free (ini->path);
  g_hash_table_unref (ini->sections);
  g_free (ini);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IniFile, ini_file_free)

static void
free_values (gpointer values)
{
  g_hash_table_unref (values);
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* A '#' or ';' after whitespace starts a comment at the end of a line. */
static void
strip_inline_comment (char *text)
{
  for (char *p = text; *p != '\0'; p++)
    {
      if ((*p == '#' || *p == ';') && p > text && is_blank (p[-1]))
        {
          *p = '\0';
          break;
        }
    }
  g_strstrip (text);
}

static void
set_parse_error (GError     **error,
                 const char  *path,
                 guint        line_number,
                 const char  *what)
{
  dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                     "%s:%u: %s", path, line_number, what);
}

static IniFile *
ini_parse (const char  *path,
           const char  *text,
           GError     **error)
{
  g_autoptr(IniFile) ini = g_new0 (IniFile, 1);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GHashTable *section = NULL;
  g_autofree char *nested_parent = NULL;   /* "s3" after "s3 =" with no value */
  gboolean in_value = FALSE;               /* indented lines continue a value */

  ini->path = g_strdup (path);
  ini->sections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_values);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint line_number = i + 1;
      gboolean indented = is_blank (lines[i][0]);
      char *line = g_strstrip (lines[i]);
      char *equals;
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (*line == '\0' || *line == '#' || *line == ';')
        continue;

      if (indented && section != NULL && in_value)
        {
          /* Nested sub-section entries are kept under "parent.key"; other
           * continuation lines belong to a multi-line value we never use. */
          equals = strchr (line, '=');
          if (nested_parent != NULL && equals != NULL)
            {
              *equals = '\0';
              key = g_ascii_strdown (g_strstrip (line), -1);
              value = g_strdup (equals + 1);
              strip_inline_comment (value);
              if (*key != '\0')
                g_hash_table_replace (section,
                                      g_strdup_printf ("%s.%s", nested_parent, key),
                                      g_steal_pointer (&value));
            }
          continue;
        }

      g_clear_pointer (&nested_parent, g_free);
      in_value = FALSE;

      if (*line == '[')
        {
          char *close = strchr (line, ']');
          char *rest;
          char *name;

          if (close == NULL)
            {
              set_parse_error (error, path, line_number, "section header without ']'");
              return NULL;
            }
          rest = close + 1;
          while (is_blank (*rest))
            rest++;
          if (*rest != '\0' && *rest != '#' && *rest != ';')
            {
              set_parse_error (error, path, line_number, "text after a section header");
              return NULL;
            }
          *close = '\0';
          name = g_strstrip (line + 1);
          if (*name == '\0')
            {
              set_parse_error (error, path, line_number, "empty section name");
              return NULL;
            }
          section = g_hash_table_lookup (ini->sections, name);
          if (section == NULL)
            {
              section = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
              g_hash_table_insert (ini->sections, g_strdup (name), section);
            }
          continue;
        }

      equals = strchr (line, '=');
      if (equals == NULL)
        {
          set_parse_error (error, path, line_number, "expected \"name = value\" or a [section]");
          return NULL;
        }
      if (section == NULL)
        {
          set_parse_error (error, path, line_number, "setting before the first [section]");
          return NULL;
        }
      *equals = '\0';
      key = g_ascii_strdown (g_strstrip (line), -1);
      if (*key == '\0')
        {
          set_parse_error (error, path, line_number, "setting without a name");
          return NULL;
        }
      value = g_strdup (equals + 1);
      strip_inline_comment (value);
      in_value = TRUE;
      if (*value == '\0')
        nested_parent = g_strdup (key);
      g_hash_table_replace (section, g_steal_pointer (&key), g_steal_pointer (&value));
    }
  return g_steal_pointer (&ini);
}

/* NULL with no error when the file does not exist. */
static IniFile *
ini_load (const char  *path,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *display = NULL;
  const char *bad = NULL;
  gsize len = 0;

  if (path == NULL)
    return NULL;
  if (!g_file_get_contents (path, &text, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return NULL;
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "cannot read AWS shared file: %s", local_error->message);
      return NULL;
    }

  /* Names from the file end up in messages, which must be UTF-8; a NUL
   * byte would silently end the text. */
  display = g_filename_display_name (path);
  if (!g_utf8_validate (text, (gssize) len, &bad))
    {
      guint line_number = 1;

      for (const char *p = text; p < bad; p++)
        line_number += *p == '\n';
      set_parse_error (error, display, line_number, "not UTF-8 text (or a NUL byte)");
      return NULL;
    }
  return ini_parse (display, text, error);
}

/* "[profile NAME]" and "[default]" in the config file; the profile name may
 * be quoted. NULL for other sections ("[services x]", "[sso-session y]"). */
static char *
config_section_profile (const char *section)
{
  const char *rest;
  gsize len;

  if (strcmp (section, "default") == 0)
    return g_strdup ("default");
  if (!g_str_has_prefix (section, "profile") || !is_blank (section[7]))
    return NULL;
  rest = section + 7;
  while (is_blank (*rest))
    rest++;
  len = strlen (rest);
  if (len >= 2 && (rest[0] == '"' || rest[0] == '\'') && rest[len - 1] == rest[0])
    return g_strndup (rest + 1, len - 2);
  return len > 0 ? g_strdup (rest) : NULL;
}

static GHashTable *
config_profile (IniFile    *config,
                const char *profile)
{
  GHashTableIter iter;
  gpointer name;
  gpointer values;
  GHashTable *found = NULL;

  if (config == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, config->sections);
  while (g_hash_table_iter_next (&iter, &name, &values))
    {
      g_autofree char *section_profile = config_section_profile (name);

      /* "[profile default]" wins over "[default]", as in botocore. */
      if (section_profile != NULL && strcmp (section_profile, profile) == 0
          && (found == NULL || strcmp (name, "default") != 0))
        found = values;
    }
  return found;
}

static GHashTable *
credentials_profile (IniFile    *credentials,
                     const char *profile)
{
  return credentials != NULL ? g_hash_table_lookup (credentials->sections, profile) : NULL;
}

/* --- validation ------------------------------------------------------------- */

/* How a value appears in a message: escaped, and cut when long. */
static char *
quote_for_message (const char *value)
{
  g_autofree char *escaped = g_strescape (value, NULL);

  if (strlen (escaped) > 64)
    return g_strdup_printf ("\"%.64s…\"", escaped);
  return g_strdup_printf ("\"%s\"", escaped);
}

static gboolean
check_region (const char  *region,
              const char  *source,
              GError     **error)
{
  gsize len = strlen (region);
  gboolean ok = len > 0 && len <= MAX_REGION_LEN
                && region[0] != '-' && region[len - 1] != '-'
                && strstr (region, "--") == NULL;

  for (const char *p = region; ok && *p != '\0'; p++)
    ok = g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-';
  if (!ok)
    {
      g_autofree char *quoted = quote_for_message (region);

      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "invalid AWS region %s from %s: expected lowercase letters, digits and single '-', like us-east-1",
                         quoted, source);
    }
  return ok;
}

/* http(s)://host[:port][/path], returned without a trailing '/'. The URL is
 * not repeated in the message when it may carry a password. */
static char *
check_endpoint (const char  *url,
                const char  *source,
                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *quoted = NULL;
  const char *problem = NULL;
  char *normalized;
  gsize len;

  if (strchr (url, '@') != NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "invalid endpoint URL from %s: it must not hold a user name or password ('@')",
                         source);
      return NULL;
    }

  quoted = quote_for_message (url);
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    problem = "not a URL";
  else if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0
           && g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0)
    problem = "the scheme must be http or https";
  else if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    problem = "no host";
  else if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    problem = "an endpoint has no query or fragment";

  if (problem != NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "invalid endpoint URL %s from %s: %s", quoted, source, problem);
      return NULL;
    }

  normalized = g_uri_to_string (uri);
  len = strlen (normalized);
  while (len > 0 && normalized[len - 1] == '/')
    normalized[--len] = '\0';
  return normalized;
}

static char *
public_endpoint (DbtService  service,
                 const char *region)
{
  /* The China partition has its own domain. */
  const char *domain = g_str_has_prefix (region, "cn-") ? "amazonaws.com.cn" : "amazonaws.com";

  return g_strdup_printf ("https://%s.%s.%s", services[service].host_prefix, region, domain);
}

static gboolean
is_true (const char *value)
{
  return value != NULL && g_ascii_strcasecmp (value, "true") == 0;
}

/* --- the chain ------------------------------------------------------------------ */

typedef struct
{
  char       **envp;
  const char  *profile;
  IniFile     *config;
  IniFile     *credentials;
  GHashTable  *config_values;       /* the profile's section in config, or NULL */
  GHashTable  *credentials_values;  /* the profile's section in credentials, or NULL */
} Chain;

static const char *
describe_path (IniFile    *ini,
               const char *fallback)
{
  return ini != NULL ? ini->path : fallback;
}

/* A setting of the profile: the credentials file wins over the config file,
 * as botocore merges them. source gets where it was found. */
static const char *
profile_get (Chain       *chain,
             const char  *key,
             char       **source)
{
  const char *value = NULL;
  IniFile *from = NULL;

  if (chain->credentials_values != NULL
      && (value = g_hash_table_lookup (chain->credentials_values, key)) != NULL)
    from = chain->credentials;
  else if (chain->config_values != NULL
           && (value = g_hash_table_lookup (chain->config_values, key)) != NULL)
    from = chain->config;

  if (value == NULL || *value == '\0')
    return NULL;
  if (source != NULL)
    *source = g_strdup_printf ("%s of profile \"%s\" in %s", key, chain->profile, from->path);
  return value;
}

static DbtCredentials *
credentials_from_section (Chain       *chain,
                          IniFile     *ini,
                          GHashTable  *values,
                          GError     **error)
{
  const char *key_id = g_hash_table_lookup (values, "aws_access_key_id");
  const char *secret = g_hash_table_lookup (values, "aws_secret_access_key");
  const char *token = g_hash_table_lookup (values, "aws_session_token");
  g_autofree char *source = NULL;

  if (key_id != NULL && *key_id == '\0')
    key_id = NULL;
  if (secret != NULL && *secret == '\0')
    secret = NULL;
  if (key_id == NULL && secret == NULL)
    return NULL;
  if (key_id == NULL || secret == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "incomplete AWS credentials: profile \"%s\" in %s has %s but no %s",
                         chain->profile, ini->path,
                         key_id != NULL ? "aws_access_key_id" : "aws_secret_access_key",
                         key_id != NULL ? "aws_secret_access_key" : "aws_access_key_id");
      return NULL;
    }
  source = g_strdup_printf ("profile \"%s\" in %s", chain->profile, ini->path);
  return dbt_credentials_new (key_id, secret, token, source);
}

static DbtCredentials *
resolve_credentials (Chain                     *chain,
                     const DbtAwsConfigOptions *options,
                     gboolean                   profile_missing,
                     GError                   **error)
{
  GError *local_error = NULL;
  DbtCredentials *credentials;

  if (options->credentials != NULL)
    {
      if (options->credentials->access_key_id == NULL || *options->credentials->access_key_id == '\0'
          || options->credentials->secret_access_key == NULL || *options->credentials->secret_access_key == '\0')
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                             "incomplete AWS credentials given: both an access key id and a secret access key are needed");
          return NULL;
        }
      return dbt_credentials_copy (options->credentials);
    }

  /* A profile chosen explicitly beats the environment's keys, as in
   * botocore: the user asked for that profile. */
  if (options->profile == NULL)
    {
      const char *key_id = env_get (chain->envp, "AWS_ACCESS_KEY_ID");
      const char *secret = env_get (chain->envp, "AWS_SECRET_ACCESS_KEY");

      if (key_id != NULL && secret != NULL)
        return dbt_credentials_new (key_id, secret,
                                    env_get (chain->envp, "AWS_SESSION_TOKEN"),
                                    "environment");
      if (key_id != NULL || secret != NULL)
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                             "incomplete AWS credentials in the environment: %s is set but %s is not",
                             key_id != NULL ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                             key_id != NULL ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
          return NULL;
        }
    }

  if (profile_missing)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "AWS profile \"%s\" not found in %s or %s",
                         chain->profile,
                         describe_path (chain->credentials, "the shared credentials file"),
                         describe_path (chain->config, "the shared config file"));
      return NULL;
    }

  if (chain->credentials_values != NULL)
    {
      credentials = credentials_from_section (chain, chain->credentials,
                                              chain->credentials_values, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (credentials != NULL)
        return credentials;
    }
  if (chain->config_values != NULL)
    {
      credentials = credentials_from_section (chain, chain->config,
                                              chain->config_values, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (credentials != NULL)
        return credentials;
    }

  dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                     "no AWS credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                     "or add profile \"%s\" with aws_access_key_id and aws_secret_access_key to %s",
                     chain->profile,
                     describe_path (chain->credentials, "~/.aws/credentials"));
  return NULL;
}

static char *
resolve_region (Chain                     *chain,
                const DbtAwsConfigOptions *options,
                gboolean                   profile_missing,
                GError                   **error)
{
  const char *region;
  g_autofree char *source = NULL;

  if (options->region != NULL)
    {
      region = options->region;
      source = g_strdup ("the region option");
    }
  else if ((region = env_get (chain->envp, "AWS_REGION")) != NULL)
    source = g_strdup ("AWS_REGION");
  else if ((region = env_get (chain->envp, "AWS_DEFAULT_REGION")) != NULL)
    source = g_strdup ("AWS_DEFAULT_REGION");
  else if (profile_missing)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "AWS profile \"%s\" not found in %s or %s",
                         chain->profile,
                         describe_path (chain->config, "the shared config file"),
                         describe_path (chain->credentials, "the shared credentials file"));
      return NULL;
    }
  else if ((region = profile_get (chain, "region", &source)) == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "no AWS region: set AWS_REGION, or add \"region = ...\" to profile \"%s\" in %s",
                         chain->profile,
                         describe_path (chain->config, "~/.aws/config"));
      return NULL;
    }

  if (!check_region (region, source, error))
    return NULL;
  return g_strdup (region);
}

/* explicit → AWS_ENDPOINT_URL_<SERVICE> → AWS_ENDPOINT_URL → the service's
 * entry in the profile's [services NAME] section → the profile's
 * endpoint_url → the public endpoint. */
static gboolean
resolve_endpoint (Chain                     *chain,
                  const DbtAwsConfigOptions *options,
                  DbtService                 service,
                  DbtAwsConfig              *config,
                  GError                   **error)
{
  const char *url = NULL;
  g_autofree char *source = NULL;
  gboolean ignore_configured = is_true (env_get (chain->envp, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))
                               || is_true (profile_get (chain, "ignore_configured_endpoint_urls", NULL));

  if (options->endpoint_url != NULL)
    {
      url = options->endpoint_url;
      source = g_strdup ("the endpoint_url option");
    }
  else if (!ignore_configured)
    {
      g_autofree char *variable = g_strconcat ("AWS_ENDPOINT_URL_", services[service].env_name, NULL);
      const char *services_name = profile_get (chain, "services", NULL);

      if ((url = env_get (chain->envp, variable)) != NULL)
        source = g_steal_pointer (&variable);
      else if ((url = env_get (chain->envp, "AWS_ENDPOINT_URL")) != NULL)
        source = g_strdup ("AWS_ENDPOINT_URL");

      if (url == NULL && services_name != NULL && chain->config != NULL)
        {
          g_autofree char *section_name = g_strdup_printf ("services %s", services_name);
          g_autofree char *service_key = g_ascii_strdown (services[service].env_name, -1);
          g_autofree char *key = g_strconcat (service_key, ".endpoint_url", NULL);
          GHashTable *section = g_hash_table_lookup (chain->config->sections, section_name);

          if (section != NULL && (url = g_hash_table_lookup (section, key)) != NULL && *url != '\0')
            source = g_strdup_printf ("%s in [services %s] of %s", key, services_name,
                                      chain->config->path);
          else
            url = NULL;
        }
      if (url == NULL)
        url = profile_get (chain, "endpoint_url", &source);
    }

  if (url == NULL)
    {
      config->endpoint_urls[service] = public_endpoint (service, config->region);
      config->endpoint_is_custom[service] = FALSE;
      return TRUE;
    }

  config->endpoint_urls[service] = check_endpoint (url, source, error);
  config->endpoint_is_custom[service] = TRUE;
  return config->endpoint_urls[service] != NULL;
}

static void
chain_clear (Chain *chain)
{
  g_clear_pointer (&chain->config, ini_file_free);
  g_clear_pointer (&chain->credentials, ini_file_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Chain, chain_clear)

static gboolean
chain_load_files (Chain   *chain,
                  GError **error)
{
  g_autofree char *config_path = shared_file_path (chain->envp, "AWS_CONFIG_FILE", "config");
  g_autofree char *credentials_path = shared_file_path (chain->envp, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
  GError *local_error = NULL;

  chain->config = ini_load (config_path, &local_error);
  if (local_error == NULL)
    chain->credentials = ini_load (credentials_path, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

DbtAwsConfig *
dbt_aws_config_load (const DbtAwsConfigOptions *options,
                     GError                   **error)
{
  static const DbtAwsConfigOptions no_options = { 0 };
  g_auto(Chain) chain = { 0 };
  g_autoptr(DbtAwsConfig) config = NULL;
  gboolean profile_named;
  gboolean profile_missing;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    options = &no_options;

  chain.envp = options->environ;
  chain.profile = options->profile;
  if (chain.profile == NULL)
    chain.profile = env_get (chain.envp, "AWS_PROFILE");
  if (chain.profile == NULL)
    chain.profile = env_get (chain.envp, "AWS_DEFAULT_PROFILE");
  profile_named = chain.profile != NULL;
  if (chain.profile == NULL)
    chain.profile = "default";
  if (!g_utf8_validate (chain.profile, -1, NULL))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "the AWS profile name is not valid UTF-8");
      return NULL;
    }

  if (!chain_load_files (&chain, error))
    return NULL;
  chain.config_values = config_profile (chain.config, chain.profile);
  chain.credentials_values = credentials_profile (chain.credentials, chain.profile);
  /* A profile asked for by name must exist once something is read from it;
   * a missing "default" just means "nothing configured there". */
  profile_missing = profile_named && chain.config_values == NULL && chain.credentials_values == NULL;

  config = g_new0 (DbtAwsConfig, 1);
  config->profile = g_strdup (chain.profile);
  config->credentials = resolve_credentials (&chain, options, profile_missing, error);
  if (config->credentials == NULL)
    return NULL;
  config->region = resolve_region (&chain, options, profile_missing, error);
  if (config->region == NULL)
    return NULL;
  for (int service = 0; service < DBT_N_SERVICES; service++)
    if (!resolve_endpoint (&chain, options, service, config, error))
      return NULL;

  return g_steal_pointer (&config);
}

DbtAwsConfig *
dbt_aws_config_copy (const DbtAwsConfig *config)
{
  DbtAwsConfig *copy;

  if (config == NULL)
    return NULL;
  copy = g_new0 (DbtAwsConfig, 1);
  copy->profile = g_strdup (config->profile);
  copy->region = g_strdup (config->region);
  copy->credentials = dbt_credentials_copy (config->credentials);
  for (int service = 0; service < DBT_N_SERVICES; service++)
    {
      copy->endpoint_urls[service] = g_strdup (config->endpoint_urls[service]);
      copy->endpoint_is_custom[service] = config->endpoint_is_custom[service];
    }
  return copy;
}

void
dbt_aws_config_free (DbtAwsConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->profile);
  g_free (config->region);
  dbt_credentials_free (config->credentials);
  for (int service = 0; service < DBT_N_SERVICES; service++)
    g_free (config->endpoint_urls[service]);
  g_free (config);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char **
dbt_aws_list_profiles (char **envp)
{
  g_auto(Chain) chain = { 0 };
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer name;
  char **result;

  chain.envp = envp;
  {
    g_autofree char *config_path = shared_file_path (envp, "AWS_CONFIG_FILE", "config");
    g_autofree char *credentials_path = shared_file_path (envp, "AWS_SHARED_CREDENTIALS_FILE", "credentials");

    /* A broken file lists nothing rather than failing the whole list:
     * loading that profile will report the exact line. */
    chain.config = ini_load (config_path, NULL);
    chain.credentials = ini_load (credentials_path, NULL);
  }

  if (chain.config != NULL)
    {
      g_hash_table_iter_init (&iter, chain.config->sections);
      while (g_hash_table_iter_next (&iter, &name, NULL))
        {
          char *profile = config_section_profile (name);

          if (profile != NULL)
            g_hash_table_add (names, profile);
        }
    }
  if (chain.credentials != NULL)
    {
      g_hash_table_iter_init (&iter, chain.credentials->sections);
      while (g_hash_table_iter_next (&iter, &name, NULL))
        g_hash_table_add (names, g_strdup (name));
    }

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    g_ptr_array_add (sorted, name);
  g_ptr_array_sort (sorted, compare_strings);

  result = g_new0 (char *, sorted->len + 1);
  for (guint i = 0; i < sorted->len; i++)
    result[i] = g_strdup (g_ptr_array_index (sorted, i));
  return result;
}
