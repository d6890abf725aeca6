/* dbt-local-stack.h — what the built-in "Local stack" connection points at.
 *
 * build-aux/local-stack writes DIR/stack.env (endpoint, region, test
 * credentials) and Terraform leaves DIR/terraform-outputs.json beside it
 * (`terraform output -json`: names of the table, topic, function, queue).
 * DIR is $DBT_STACK_DIR, else $XDG_STATE_HOME/dbtrigger/local-stack (with
 * XDG_STATE_HOME defaulting to ~/.local/state), as in build-aux/local-stack.
 *
 * Reading blocks on the file system: call it from a worker thread.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char       *dir;
  char       *endpoint_url;
  char       *region;
  char       *access_key_id;
  char       *secret_access_key;
  GHashTable *outputs;        /* output name → value as a string; empty when no outputs file */
} DbtLocalStack;

/* The stack directory for @environ (NULL: the process environment). */
char          *dbt_local_stack_dup_default_dir (char **envp);

/* G_IO_ERROR_NOT_FOUND when stack.env is absent (the stack is not running),
 * G_IO_ERROR_INVALID_DATA when it lacks the endpoint or the region. An
 * unreadable outputs file is an error too; a missing one is not. */
DbtLocalStack *dbt_local_stack_load            (const char *dir,
                                                GError    **error);
void           dbt_local_stack_free            (DbtLocalStack *stack);

/* A Terraform output ("table_name"), or NULL. */
const char    *dbt_local_stack_get_output      (const DbtLocalStack *stack,
                                                const char          *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtLocalStack, dbt_local_stack_free)

G_END_DECLS
