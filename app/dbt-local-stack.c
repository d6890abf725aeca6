/* dbt-local-stack.c — reads stack.env and terraform-outputs.json. */
#include "dbt-config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dbt-local-stack.h"

char *
dbt_local_stack_dup_default_dir (char **envp)
{
  g_auto(GStrv) own_envp = NULL;
  const char *dir;
  const char *state_home;

  if (envp == NULL)
    envp = own_envp = g_get_environ ();

  dir = g_environ_getenv (envp, "DBT_STACK_DIR");
  if (dir != NULL && *dir != '\0')
    return g_strdup (dir);

  state_home = g_environ_getenv (envp, "XDG_STATE_HOME");
  if (state_home != NULL && *state_home != '\0')
    return g_build_filename (state_home, "dbtrigger", "local-stack", NULL);

  return g_build_filename (g_get_home_dir (), ".local", "state", "dbtrigger", "local-stack", NULL);
}

void
dbt_local_stack_free (DbtLocalStack *stack)
{
  if (stack == NULL)
    return;
  g_free (stack->dir);
  g_free (stack->endpoint_url);
  g_free (stack->region);
  g_free (stack->access_key_id);
  if (stack->secret_access_key != NULL)
    memset (stack->secret_access_key, 0, strlen (stack->secret_access_key));
  g_free (stack->secret_access_key);
  g_clear_pointer (&stack->outputs, g_hash_table_unref);
  g_free (stack);
}

/* KEY=VALUE lines as a shell would source them: comments, blank lines, an
 * optional "export ", values optionally in single or double quotes. */
static GHashTable *
parse_env_file (const char  *contents)
{
  g_autoptr(GHashTable) vars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *eq;
      char *value;
      gsize len;

      if (*line == '\0' || *line == '#')
        continue;
      if (g_str_has_prefix (line, "export "))
        line = g_strchug (line + strlen ("export "));
      eq = strchr (line, '=');
      if (eq == NULL || eq == line)
        continue;
      *eq = '\0';
      value = eq + 1;
      len = strlen (value);
      if (len >= 2 && (value[0] == '"' || value[0] == '\'') && value[len - 1] == value[0])
        {
          value[len - 1] = '\0';
          value++;
        }
      g_hash_table_replace (vars, g_strdup (g_strstrip (line)), g_strdup (value));
    }

  return g_steal_pointer (&vars);
}

static GHashTable *
parse_outputs (const char  *path,
               GError     **error)
{
  g_autoptr(GHashTable) outputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (!json_parser_load_from_mapped_file (parser, path, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&outputs);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Cannot read the Terraform outputs %s: %s"), path, local_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The Terraform outputs %s are not a JSON object"), path);
      return NULL;
    }

  /* `terraform output -json`: {"name": {"value": ..., "type": ..., "sensitive": ...}} */
  root = json_node_get_object (json_parser_get_root (parser));
  json_object_iter_init (&iter, root);
  while (json_object_iter_next (&iter, &name, &member))
    {
      JsonNode *value = member;

      if (JSON_NODE_HOLDS_OBJECT (member) &&
          json_object_has_member (json_node_get_object (member), "value"))
        value = json_object_get_member (json_node_get_object (member), "value");

      if (JSON_NODE_HOLDS_VALUE (value))
        {
          if (json_node_get_value_type (value) == G_TYPE_STRING)
            g_hash_table_replace (outputs, g_strdup (name), g_strdup (json_node_get_string (value)));
          else
            g_hash_table_replace (outputs, g_strdup (name), json_to_string (value, FALSE));
        }
    }

  return g_steal_pointer (&outputs);
}

DbtLocalStack *
dbt_local_stack_load (const char  *dir,
                      GError     **error)
{
  g_autofree char *env_path = g_build_filename (dir, "stack.env", NULL);
  g_autofree char *outputs_path = g_build_filename (dir, "terraform-outputs.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GHashTable) vars = NULL;
  g_autoptr(DbtLocalStack) stack = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *region;

  if (!g_file_get_contents (env_path, &contents, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("The local stack is not running (no %s). Start it with: build-aux/local-stack start"),
                     env_path);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("Cannot read %s: %s"), env_path, local_error->message);
      return NULL;
    }

  vars = parse_env_file (contents);
  region = g_hash_table_lookup (vars, "AWS_REGION");
  if (region == NULL)
    region = g_hash_table_lookup (vars, "AWS_DEFAULT_REGION");

  if (g_hash_table_lookup (vars, "AWS_ENDPOINT_URL") == NULL || region == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s names no endpoint or no region"), env_path);
      return NULL;
    }

  stack = g_new0 (DbtLocalStack, 1);
  stack->dir = g_strdup (dir);
  stack->endpoint_url = g_strdup (g_hash_table_lookup (vars, "AWS_ENDPOINT_URL"));
  stack->region = g_strdup (region);
  stack->access_key_id = g_strdup (g_hash_table_lookup (vars, "AWS_ACCESS_KEY_ID"));
  stack->secret_access_key = g_strdup (g_hash_table_lookup (vars, "AWS_SECRET_ACCESS_KEY"));
  stack->outputs = parse_outputs (outputs_path, error);
  if (stack->outputs == NULL)
    return NULL;

  return g_steal_pointer (&stack);
}

const char *
dbt_local_stack_get_output (const DbtLocalStack *stack,
                            const char          *name)
{
  g_return_val_if_fail (stack != NULL, NULL);
  return g_hash_table_lookup (stack->outputs, name);
}
