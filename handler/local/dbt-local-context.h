/* dbt-local-context.h — what the parts of dbtrigger-local share: the
 * stack, a client for it, the checkpoints, the mode, and the Terraform
 * outputs last read (refreshed by the supervisor, read by everyone).
 */
#pragma once

#include <glib.h>
#include "dbt-aws-client.h"
#include "dbt-checkpoints.h"
#include "dbt-local-config.h"

G_BEGIN_DECLS

typedef struct
{
  DbtLocalConfig *config;
  DbtAwsClient   *client;
  DbtCheckpoints *checkpoints;
  char           *outbox_dir;
  gboolean        once;         /* process what is there, then stop */

  GMutex          lock;
  GHashTable     *outputs;      /* guarded by lock */
} DbtLocalContext;

DbtLocalContext *dbt_local_context_new  (DbtLocalConfig *config,      /* taken */
                                         const char     *outbox_dir,
                                         gboolean        once,
                                         GError        **error);
void             dbt_local_context_free (DbtLocalContext *context);

/* Re-reads terraform-outputs.json (kept as it was when that fails). */
gboolean         dbt_local_context_reload_outputs (DbtLocalContext *context,
                                                   GError         **error);
/* A copy of an output's value, or NULL. */
char            *dbt_local_context_dup_output     (DbtLocalContext *context,
                                                   const char      *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtLocalContext, dbt_local_context_free)

G_END_DECLS
