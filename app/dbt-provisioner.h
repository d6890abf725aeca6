/* dbt-provisioner.h — applying the project's Terraform from the console.
 *
 * The command: on the local stack, build-aux/terraform-local.sh apply
 * --dir <stack dir> (the script finds the stack's endpoint and keeps its
 * state there); elsewhere, terraform apply in the project's terraform/
 * folder, with the credentials and region of the environment. Both are given
 * the bundled handler zip, so the function is created with it.
 *
 * The project folder is $DBT_SOURCE_DIR, else the source tree the console
 * was built from.
 *
 * The command runs in its own process group; its output (stdout and stderr
 * merged) arrives line by line through the "output" signal on the main
 * context it was started from. Cancelling interrupts the whole group
 * (SIGINT, as Ctrl+C would: Terraform stops cleanly), terminates it (SIGTERM)
 * if it is still running 3 seconds later, and kills it 15 seconds after the
 * cancel.
 */
#pragma once

#include <gio/gio.h>

#include "dbt-session.h"

G_BEGIN_DECLS

#define DBT_TYPE_PROVISIONER (dbt_provisioner_get_type ())
G_DECLARE_FINAL_TYPE (DbtProvisioner, dbt_provisioner, DBT, PROVISIONER, GObject)

/* Runs @argv (NULL-terminated, argv[0] looked up in PATH) in @cwd (NULL:
 * the current folder). */
DbtProvisioner     *dbt_provisioner_new              (const char *const *argv,
                                                      const char        *cwd);
/* The provisioning command for @session, or NULL when the project's
 * scripts cannot be found (the error says where they were looked for). */
DbtProvisioner     *dbt_provisioner_new_for_session  (DbtSession  *session,
                                                      const char  *zip_path,
                                                      GError     **error);

const char *const  *dbt_provisioner_get_argv         (DbtProvisioner *self);
/* The command as one line, for people. */
char               *dbt_provisioner_dup_command_line (DbtProvisioner *self);

/* Starts the command; completes when it has exited and its output is read.
 * A provisioner runs once. */
void                dbt_provisioner_run_async        (DbtProvisioner      *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* TRUE when the command ran to its end, with *@exit_status its exit
 * status (0: success), or -1 when a signal ended it. FALSE when it could
 * not start, or when it was cancelled (G_IO_ERROR_CANCELLED, after it
 * exited). */
gboolean            dbt_provisioner_run_finish       (DbtProvisioner  *self,
                                                      GAsyncResult    *result,
                                                      int             *exit_status,
                                                      GError         **error);

G_END_DECLS
