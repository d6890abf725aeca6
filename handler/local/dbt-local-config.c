/* dbt-local-config.c — reads the stack directory. */
#include "dbt-local-config.h"

#include <json-glib/json-glib.h>
#include "dbt-credentials.h"
#include "dbt-error.h"

GHashTable *
dbt_local_parse_env (const char *text,
                     GError    **error)
{
  g_autoptr(GHashTable) env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      const char *eq;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      gsize len;

      if (*line == '\0' || *line == '#')
        continue;
      if (g_str_has_prefix (line, "export "))
        line = g_strchug (line + strlen ("export "));
      eq = strchr (line, '=');
      if (eq == NULL || eq == line)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE,
                       "line %u: expected NAME=value", i + 1);
          return NULL;
        }
      name = g_strndup (line, eq - line);
      value = g_strdup (eq + 1);
      len = strlen (value);
      if (len >= 2 && (value[0] == '"' || value[0] == '\'') && value[len - 1] == value[0])
        {
          value[len - 1] = '\0';
          memmove (value, value + 1, len - 1);
        }
      g_hash_table_replace (env, g_steal_pointer (&name), g_steal_pointer (&value));
    }
  return g_steal_pointer (&env);
}

static char *
env_take (GHashTable *env,
          const char *name)
{
  const char *value = g_hash_table_lookup (env, name);

  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

DbtLocalConfig *
dbt_local_config_load (const char *stack_dir,
                       GError    **error)
{
  g_autoptr(DbtLocalConfig) config = g_new0 (DbtLocalConfig, 1);
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GHashTable) env = NULL;
  g_autoptr(GError) local_error = NULL;

  config->stack_dir = g_canonicalize_filename (stack_dir, NULL);
  path = g_build_filename (config->stack_dir, "stack.env", NULL);
  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  env = dbt_local_parse_env (text, &local_error);
  if (env == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
      return NULL;
    }
  config->endpoint_url = env_take (env, "AWS_ENDPOINT_URL");
  config->region = env_take (env, "AWS_REGION");
  if (config->region == NULL)
    config->region = env_take (env, "AWS_DEFAULT_REGION");
  config->access_key_id = env_take (env, "AWS_ACCESS_KEY_ID");
  config->secret_access_key = env_take (env, "AWS_SECRET_ACCESS_KEY");
  if (config->endpoint_url == NULL || config->region == NULL ||
      config->access_key_id == NULL || config->secret_access_key == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "%s must set AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
                         path);
      return NULL;
    }
  return g_steal_pointer (&config);
}

void
dbt_local_config_free (DbtLocalConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->stack_dir);
  g_free (config->endpoint_url);
  g_free (config->region);
  g_free (config->access_key_id);
  g_free (config->secret_access_key);
  g_free (config);
}

DbtAwsClient *
dbt_local_config_new_client (const DbtLocalConfig *config,
                             GError              **error)
{
  /* An environment of our own: nothing of the runner's (profiles, other
   * endpoints) leaks into which stack it talks to. */
  const char *const environ_[] = {
    "AWS_CONFIG_FILE=/nonexistent/dbtrigger-local/config",
    "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/dbtrigger-local/credentials",
    "HOME=/nonexistent",
    NULL
  };
  g_autoptr(DbtCredentials) credentials =
    dbt_credentials_new (config->access_key_id, config->secret_access_key, NULL, "stack.env");
  DbtAwsConfigOptions options = {
    .region = config->region,
    .endpoint_url = config->endpoint_url,
    .credentials = credentials,
    .environ = (char **) environ_,
  };
  g_autoptr(DbtAwsConfig) aws_config = dbt_aws_config_load (&options, error);

  if (aws_config == NULL)
    return NULL;
  return dbt_aws_client_new (aws_config);
}

GHashTable *
dbt_local_outputs_load (const char *stack_dir,
                        GError    **error)
{
  g_autoptr(GHashTable) outputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *path = g_build_filename (stack_dir, "terraform-outputs.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&outputs);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: not a JSON object", path);
      return NULL;
    }
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &name, &member))
    {
      JsonNode *value;

      /* terraform output -json: {"name": {"value": ..., "type": ...}} */
      if (!JSON_NODE_HOLDS_OBJECT (member))
        continue;
      value = json_object_get_member (json_node_get_object (member), "value");
      if (value == NULL)
        continue;
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        g_hash_table_replace (outputs, g_strdup (name), g_strdup (json_node_get_string (value)));
      else
        g_hash_table_replace (outputs, g_strdup (name), json_to_string (value, FALSE));
    }
  return g_steal_pointer (&outputs);
}
