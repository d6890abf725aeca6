/* dbt-provisioner.c — Terraform apply in a subprocess, its output line by line. */
#include "dbt-config.h"

#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "dbt-provisioner.h"

#define TERMINATE_AFTER_SECONDS 3
#define KILL_AFTER_SECONDS 15

struct _DbtProvisioner
{
  GObject           parent_instance;

  GStrv             argv;
  char             *cwd;

  GTask            *task;           /* while running */
  GSubprocess      *subprocess;
  GDataInputStream *output;
  GCancellable     *cancellable;
  gulong            cancelled_id;
  GSource          *kill_source;
  int               next_signal;    /* what the kill timer sends next */
  GPid              pid;
  gboolean          exited;
  gboolean          output_done;
  gboolean          interrupted;
};

G_DEFINE_FINAL_TYPE (DbtProvisioner, dbt_provisioner, G_TYPE_OBJECT)

enum {
  OUTPUT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
dbt_provisioner_finalize (GObject *object)
{
  DbtProvisioner *self = DBT_PROVISIONER (object);

  g_assert (self->task == NULL);
  g_strfreev (self->argv);
  g_free (self->cwd);
  g_clear_object (&self->subprocess);
  g_clear_object (&self->output);

  G_OBJECT_CLASS (dbt_provisioner_parent_class)->finalize (object);
}

static void
dbt_provisioner_class_init (DbtProvisionerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbt_provisioner_finalize;

  /**
   * DbtProvisioner::output:
   * @line: one line of the command's output, UTF-8, without its newline
   */
  signals[OUTPUT] = g_signal_new ("output", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
dbt_provisioner_init (DbtProvisioner *self)
{
}

DbtProvisioner *
dbt_provisioner_new (const char *const *argv,
                     const char        *cwd)
{
  DbtProvisioner *self;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  self = g_object_new (DBT_TYPE_PROVISIONER, NULL);
  self->argv = g_strdupv ((char **) argv);
  self->cwd = g_strdup (cwd);
  return self;
}

static const char *
project_dir (void)
{
  const char *from_env = g_getenv ("DBT_SOURCE_DIR");

  return from_env != NULL && *from_env != '\0' ? from_env : DBT_SOURCE_DIR;
}

DbtProvisioner *
dbt_provisioner_new_for_session (DbtSession  *session,
                                 const char  *zip_path,
                                 GError     **error)
{
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  gboolean have_zip = zip_path != NULL && g_file_test (zip_path, G_FILE_TEST_IS_REGULAR);

  g_return_val_if_fail (session != NULL, NULL);

  if (session->is_local_stack && session->stack_dir != NULL)
    {
      g_autofree char *script = g_build_filename (project_dir (), "build-aux", "terraform-local.sh", NULL);

      if (!g_file_test (script, G_FILE_TEST_IS_EXECUTABLE))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       /* Translators: %s is a file path */
                       _("The provisioning script %s is missing (set DBT_SOURCE_DIR to the project folder)"),
                       script);
          return NULL;
        }
      g_strv_builder_add_many (argv, script, "apply", "--dir", session->stack_dir, NULL);
      if (have_zip)
        g_strv_builder_add_many (argv, "--zip", zip_path, NULL);
      g_strv_builder_add_many (argv, "--", "-no-color", NULL);
    }
  else
    {
      g_autofree char *terraform_dir = g_build_filename (project_dir (), "terraform", NULL);
      g_autofree char *chdir_arg = g_strconcat ("-chdir=", terraform_dir, NULL);

      if (!g_file_test (terraform_dir, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("The Terraform folder %s is missing (set DBT_SOURCE_DIR to the project folder)"),
                       terraform_dir);
          return NULL;
        }
      g_strv_builder_add_many (argv, "terraform", chdir_arg, "apply", "-input=false",
                               "-auto-approve", "-no-color", NULL);
      if (session->region != NULL)
        {
          g_autofree char *region = g_strconcat ("region=", session->region, NULL);

          g_strv_builder_add_many (argv, "-var", region, NULL);
        }
      if (have_zip)
        {
          g_autofree char *zip = g_strconcat ("handler_zip=", zip_path, NULL);

          g_strv_builder_add_many (argv, "-var", zip, NULL);
        }
    }

  args = g_strv_builder_end (argv);
  return dbt_provisioner_new ((const char *const *) args, NULL);
}

const char *const *
dbt_provisioner_get_argv (DbtProvisioner *self)
{
  g_return_val_if_fail (DBT_IS_PROVISIONER (self), NULL);

  return (const char *const *) self->argv;
}

char *
dbt_provisioner_dup_command_line (DbtProvisioner *self)
{
  GString *line = g_string_new (NULL);

  g_return_val_if_fail (DBT_IS_PROVISIONER (self), NULL);

  for (guint i = 0; self->argv[i] != NULL; i++)
    {
      g_autofree char *quoted = g_shell_quote (self->argv[i]);

      if (i > 0)
        g_string_append_c (line, ' ');
      /* Plain words stay plain. */
      if (strpbrk (self->argv[i], " \t\n'\"\\$`*?[]{}()<>|&;#~") == NULL && *self->argv[i] != '\0')
        g_string_append (line, self->argv[i]);
      else
        g_string_append (line, quoted);
    }
  return g_string_free (line, FALSE);
}

/* Terraform colours its output unless told otherwise; drop what slips through. */
static char *
clean_line (const char *raw,
            gsize       length)
{
  g_autofree char *valid = g_utf8_make_valid (raw, length);
  GString *clean = g_string_sized_new (length);

  for (const char *p = valid; *p != '\0'; p++)
    {
      if (*p == '\033' && p[1] == '[')
        {
          p += 2;
          while (*p != '\0' && !g_ascii_isalpha (*p))
            p++;
          if (*p == '\0')
            break;
          continue;
        }
      if (*p == '\r')
        continue;
      g_string_append_c (clean, *p);
    }
  return g_string_free (clean, FALSE);
}

static void
signal_group (DbtProvisioner *self,
              int             signum)
{
  if (self->pid > 0 && !self->exited)
    kill (-self->pid, signum);
}

static void schedule_signal (DbtProvisioner *self, int signum, guint seconds);

/* SIGINT first (Terraform stops cleanly), SIGTERM a few seconds later (a
 * shell that took the SIGINT between two commands waits for its next child
 * instead of dying), SIGKILL last. */
static gboolean
escalate (gpointer user_data)
{
  DbtProvisioner *self = user_data;
  int signum = self->next_signal;

  g_clear_pointer (&self->kill_source, g_source_unref);
  signal_group (self, signum);
  if (signum == SIGTERM)
    schedule_signal (self, SIGKILL, KILL_AFTER_SECONDS - TERMINATE_AFTER_SECONDS);
  return G_SOURCE_REMOVE;
}

static void
schedule_signal (DbtProvisioner *self,
                 int             signum,
                 guint           seconds)
{
  self->next_signal = signum;
  self->kill_source = g_timeout_source_new_seconds (seconds);
  g_source_set_callback (self->kill_source, escalate, self, NULL);
  g_source_attach (self->kill_source, g_task_get_context (self->task));
}

/* From the thread that cancelled; kill() is fine anywhere, the timer is
 * attached to the task's context. */
static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  DbtProvisioner *self = user_data;

  if (self->interrupted || self->task == NULL)
    return;
  self->interrupted = TRUE;
  signal_group (self, SIGINT);
  schedule_signal (self, SIGTERM, TERMINATE_AFTER_SECONDS);
}

static void
maybe_complete (DbtProvisioner *self)
{
  g_autoptr(GTask) task = NULL;

  if (!self->exited || !self->output_done || self->task == NULL)
    return;

  task = g_steal_pointer (&self->task);
  if (self->kill_source != NULL)
    {
      g_source_destroy (self->kill_source);
      g_clear_pointer (&self->kill_source, g_source_unref);
    }
  if (self->cancelled_id != 0)
    g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->cancellable);

  if (self->interrupted)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Provisioning was cancelled"));
  else if (g_subprocess_get_if_exited (self->subprocess))
    g_task_return_int (task, g_subprocess_get_exit_status (self->subprocess));
  else
    g_task_return_int (task, -1);
}

static void read_next_line (DbtProvisioner *self);

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(DbtProvisioner) self = user_data;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  g_autofree char *raw = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source),
                                                                result, &length, &error);

  if (raw == NULL)
    {
      if (error != NULL)
        {
          g_autofree char *line = g_strdup_printf (_("(the output could not be read: %s)"),
                                                   error->message);

          g_signal_emit (self, signals[OUTPUT], 0, line);
        }
      self->output_done = TRUE;
      maybe_complete (self);
      return;
    }

  {
    g_autofree char *line = clean_line (raw, length);

    g_signal_emit (self, signals[OUTPUT], 0, line);
  }
  read_next_line (self);
}

static void
read_next_line (DbtProvisioner *self)
{
  /* Not cancellable: after an interrupt the command still explains itself. */
  g_data_input_stream_read_line_async (self->output, G_PRIORITY_DEFAULT, NULL, on_line,
                                       g_object_ref (self));
}

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DbtProvisioner) self = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  self->exited = TRUE;
  maybe_complete (self);
}

/* In the child: a group of its own, so an interrupt reaches Terraform
 * and its providers, not just the script; and interrupts heard even when
 * the console was started with them ignored (ignoring is inherited). */
static void
new_process_group (gpointer user_data)
{
  setpgid (0, 0);
  signal (SIGINT, SIG_DFL);
  signal (SIGTERM, SIG_DFL);
}

void
dbt_provisioner_run_async (DbtProvisioner      *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  const char *identifier;

  g_return_if_fail (DBT_IS_PROVISIONER (self));
  g_return_if_fail (self->task == NULL && self->subprocess == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dbt_provisioner_run_async);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  if (self->cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, self->cwd);
  g_subprocess_launcher_setenv (launcher, "TF_IN_AUTOMATION", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "TF_INPUT", "0", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, new_process_group, NULL, NULL);

  self->subprocess = g_subprocess_launcher_spawnv (launcher, (const char *const *) self->argv, &error);
  if (self->subprocess == NULL)
    {
      g_task_return_new_error (task, error->domain, error->code,
                               /* Translators: the first %s is a program, the second the reason */
                               _("%s could not be started: %s"), self->argv[0], error->message);
      return;
    }
  /* Nobody answers prompts: stdin is closed at once. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (self->subprocess), NULL, NULL);

  identifier = g_subprocess_get_identifier (self->subprocess);
  self->pid = identifier != NULL ? (GPid) g_ascii_strtoll (identifier, NULL, 10) : 0;
  self->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->subprocess));
  g_data_input_stream_set_newline_type (self->output, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  self->task = g_steal_pointer (&task);

  g_subprocess_wait_async (self->subprocess, NULL, on_exited, g_object_ref (self));
  read_next_line (self);

  if (cancellable != NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);
    }
}

gboolean
dbt_provisioner_run_finish (DbtProvisioner  *self,
                            GAsyncResult    *result,
                            int             *exit_status,
                            GError         **error)
{
  GError *local_error = NULL;
  gssize status;

  g_return_val_if_fail (DBT_IS_PROVISIONER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dbt_provisioner_run_async, FALSE);

  status = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (exit_status != NULL)
    *exit_status = (int) status;
  return TRUE;
}
