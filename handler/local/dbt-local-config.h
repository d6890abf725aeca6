/* dbt-local-config.h — where the local runner talks to: the stack directory
 * written by build-aux/local-stack (stack.env) and build-aux/terraform-local.sh
 * (terraform-outputs.json).
 *
 * stack.env is read once: the endpoint, region and test credentials of the
 * stack. The outputs are read again whenever asked, because Terraform may be
 * applied (or re-applied) while the runner is up.
 */
#pragma once

#include <glib.h>
#include "dbt-aws-client.h"

G_BEGIN_DECLS

typedef struct
{
  char  *stack_dir;            /* absolute */
  char  *endpoint_url;
  char  *region;
  char  *access_key_id;
  char  *secret_access_key;
} DbtLocalConfig;

/* Fails with G_FILE_ERROR when DIR/stack.env is missing or unreadable, and
 * DBT_AWS_ERROR_CONFIG when it sets no AWS_ENDPOINT_URL, region or keys. */
DbtLocalConfig *dbt_local_config_load       (const char *stack_dir,
                                             GError    **error);
void            dbt_local_config_free       (DbtLocalConfig *config);

/* A client for the stack: its endpoint, region and keys only (no profile
 * or variable of the runner's own environment is consulted). */
DbtAwsClient   *dbt_local_config_new_client (const DbtLocalConfig *config,
                                             GError              **error);

/* DIR/terraform-outputs.json as output name → value: strings as they are,
 * other values as compact JSON. Empty (not an error) when the file does
 * not exist yet; an error when it exists but does not parse. */
GHashTable     *dbt_local_outputs_load      (const char *stack_dir,
                                             GError    **error);

/* NAME=value lines ('#' comments and blank lines skipped; an optional
 * "export " prefix and one level of quotes are removed) → name → value. */
GHashTable     *dbt_local_parse_env         (const char *text,
                                             GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtLocalConfig, dbt_local_config_free)

G_END_DECLS
