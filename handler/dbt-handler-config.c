/* dbt-handler-config.c — the handler's configuration from the environment. */
#include "dbt-handler-config.h"

#include <string.h>

#include "dbt-error.h"

/* An unset and an empty variable mean the same: Terraform writes "" for
 * optional settings it has no value for. */
static const char *
config_get (char *const *envp,
            const char  *name)
{
  const char *value = g_environ_getenv ((char **) envp, name);

  if (value == NULL || *value == '\0')
    return NULL;
  return value;
}

static gboolean
is_topic_arn (const char *value)
{
  g_auto(GStrv) parts = g_strsplit (value, ":", 6);

  return g_strv_length (parts) == 6 &&
         g_str_equal (parts[0], "arn") &&
         *parts[1] != '\0' &&
         g_str_equal (parts[2], "sns") &&
         *parts[3] != '\0' &&
         *parts[4] != '\0' &&
         *parts[5] != '\0' &&
         strchr (parts[5], ':') == NULL;
}

/* DynamoDB's rule for table names: 3 to 255 of [A-Za-z0-9_.-]. */
static gboolean
is_table_name (const char *value)
{
  gsize len = strlen (value);

  if (len < 3 || len > 255)
    return FALSE;
  for (const char *p = value; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.' && *p != '-')
      return FALSE;
  return TRUE;
}

static gboolean
config_get_uint (char *const *envp,
                 const char  *name,
                 guint        fallback,
                 guint        min,
                 guint        max,
                 guint       *out,
                 GError     **error)
{
  const char *text = config_get (envp, name);
  guint64 value = 0;

  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "%s must be a whole number from %u to %u, not “%s”",
                         name, min, max, text);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

static char **
split_attribute_list (const char *text)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_ptr_array_add (names, g_strdup (parts[i]));
    }
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

DbtHandlerConfig *
dbt_handler_config_new_from_environ (char *const *envp,
                                     GError     **error)
{
  g_autoptr(DbtHandlerConfig) config = g_new0 (DbtHandlerConfig, 1);
  const char *topic_arn = config_get (envp, "TOPIC_ARN");
  const char *log_table = config_get (envp, "LOG_TABLE");
  const char *owner_attribute = config_get (envp, "OWNER_ATTRIBUTE");
  const char *table_name = config_get (envp, "TABLE_NAME");
  const char *ignored = g_environ_getenv ((char **) envp, "IGNORED_ATTRIBUTES");

  if (topic_arn == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "TOPIC_ARN is not set: it must name the SNS topic to publish to");
      return NULL;
    }
  if (!is_topic_arn (topic_arn))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "TOPIC_ARN is not an SNS topic ARN (arn:PARTITION:sns:REGION:ACCOUNT:NAME): “%s”",
                         topic_arn);
      return NULL;
    }
  if (log_table == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "LOG_TABLE is not set: it must name the notification log table");
      return NULL;
    }
  if (!is_table_name (log_table))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "LOG_TABLE is not a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -): “%s”",
                         log_table);
      return NULL;
    }
  if (table_name != NULL && !is_table_name (table_name))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_CONFIG, NULL, 0, NULL,
                         "TABLE_NAME is not a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -): “%s”",
                         table_name);
      return NULL;
    }
  if (!config_get_uint (envp, "NOTIFICATION_TTL_DAYS", DBT_HANDLER_DEFAULT_TTL_DAYS,
                        1, 3650, &config->notification_ttl_days, error) ||
      !config_get_uint (envp, "FUNCTION_TIMEOUT_SECONDS", DBT_HANDLER_DEFAULT_TIMEOUT_SECONDS,
                        1, 900, &config->function_timeout_seconds, error))
    return NULL;

  config->topic_arn = g_strdup (topic_arn);
  config->log_table = g_strdup (log_table);
  config->owner_attribute = g_strdup (owner_attribute ? owner_attribute
                                                      : DBT_HANDLER_DEFAULT_OWNER_ATTRIBUTE);
  config->table_name = g_strdup (table_name);
  /* Unset means the default; set but empty means "ignore nothing". */
  config->ignored_attributes = split_attribute_list (ignored ? ignored
                                                             : DBT_HANDLER_DEFAULT_IGNORED_ATTRIBUTES);

  return g_steal_pointer (&config);
}

void
dbt_handler_config_free (DbtHandlerConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->topic_arn);
  g_free (config->log_table);
  g_free (config->owner_attribute);
  g_strfreev (config->ignored_attributes);
  g_free (config->table_name);
  g_free (config);
}

char *
dbt_table_name_from_arn (const char *arn)
{
  g_auto(GStrv) parts = NULL;
  const char *resource;
  const char *slash;

  if (arn == NULL)
    return NULL;

  /* arn:PARTITION:dynamodb:REGION:ACCOUNT:table/NAME[/stream/LABEL] */
  parts = g_strsplit (arn, ":", 6);
  if (g_strv_length (parts) != 6 ||
      !g_str_equal (parts[0], "arn") ||
      !g_str_equal (parts[2], "dynamodb") ||
      !g_str_has_prefix (parts[5], "table/"))
    return NULL;

  resource = parts[5] + strlen ("table/");
  slash = strchr (resource, '/');
  if (slash == NULL)
    slash = resource + strlen (resource);
  if (slash == resource)
    return NULL;
  return g_strndup (resource, slash - resource);
}

char *
dbt_handler_config_table_for_record (const DbtHandlerConfig *config,
                                     const char             *event_source_arn)
{
  if (config->table_name != NULL)
    return g_strdup (config->table_name);
  return dbt_table_name_from_arn (event_source_arn);
}
