/* dbt-handler-config.h — the Lambda handler's configuration.
 *
 * Read once at start-up from the process environment (the function's
 * environment variables, set by Terraform):
 *
 *   TOPIC_ARN                 required; the SNS topic notifications go to
 *   LOG_TABLE                 required; the notification log (idempotency) table
 *   OWNER_ATTRIBUTE           optional, default "owner"; the item attribute that
 *                             names the owner. Owner ids are strings: only an
 *                             attribute of type S with a non-empty value is an
 *                             owner (see dbt-processor.h)
 *   IGNORED_ATTRIBUTES        optional, comma-separated, default "updatedAt";
 *                             top-level attributes whose changes alone notify
 *                             nobody. Blanks around names are dropped; an empty
 *                             value means "ignore nothing"
 *   TABLE_NAME                optional; the table named in messages. When
 *                             unset, it is taken from each record's
 *                             eventSourceARN ("arn:aws:dynamodb:REGION:ACCOUNT:
 *                             table/NAME/stream/LABEL")
 *   NOTIFICATION_TTL_DAYS     optional, default 30, 1..3650; how long entries
 *                             in the notification log live (DynamoDB TTL)
 *   FUNCTION_TIMEOUT_SECONDS  optional, default 900 (Lambda's maximum), 1..900;
 *                             a claim in the notification log older than this
 *                             belongs to an attempt that cannot still be
 *                             running, so its message may be sent again (see
 *                             dbt-delivery.h). Set it to the function's timeout.
 *
 * Errors are DBT_AWS_ERROR_CONFIG and name the variable at fault.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DBT_HANDLER_DEFAULT_OWNER_ATTRIBUTE     "owner"
#define DBT_HANDLER_DEFAULT_IGNORED_ATTRIBUTES  "updatedAt"
#define DBT_HANDLER_DEFAULT_TTL_DAYS            30
#define DBT_HANDLER_DEFAULT_TIMEOUT_SECONDS     900

typedef struct
{
  char  *topic_arn;
  char  *log_table;
  char  *owner_attribute;
  char **ignored_attributes;        /* NULL-terminated, possibly empty; never NULL */
  char  *table_name;                /* NULL: derive from eventSourceARN */
  guint  notification_ttl_days;
  guint  function_timeout_seconds;
} DbtHandlerConfig;

/* Reads the variables above from @envp (an environ-style, NULL-terminated
 * array of "NAME=value"; pass g_get_environ() in the handler, a literal
 * array in tests). */
DbtHandlerConfig *dbt_handler_config_new_from_environ (char *const *envp,
                                                       GError     **error);
void              dbt_handler_config_free             (DbtHandlerConfig *config);

/* The table for a record: TABLE_NAME when set, else the NAME part of
 * @event_source_arn, else NULL (no ARN, or one that does not name a table). */
char             *dbt_handler_config_table_for_record (const DbtHandlerConfig *config,
                                                       const char             *event_source_arn);

/* "arn:aws:dynamodb:us-east-1:123:table/orders/stream/2024-01-01T00:00:00.000"
 * → "orders"; NULL when @arn is not a DynamoDB table or stream ARN. */
char             *dbt_table_name_from_arn             (const char *arn);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtHandlerConfig, dbt_handler_config_free)

G_END_DECLS
