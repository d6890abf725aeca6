/* dbt-deploy-page.c — the Deploy page of the main window.
 *
 * What the handler function runs next to the bundled handler zip, one
 * button to deploy the zip (dbt-deployer.h), one to roll back to the code
 * the last deploy replaced, and one to provision the stack
 * (dbt-provisioner.h) with its output streamed into the page.
 *
 * Loading: the connection becomes a DbtSession (dbt-session.h), then the
 * function, its stream mappings and the zip are read on a worker thread.
 */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-bundled-handler.h"
#include "dbt-deploy-page.h"
#include "dbt-deployer.h"
#include "dbt-provisioner.h"
#include "dbt-session.h"
#include "dbt-window.h"

struct _DbtDeployPage
{
  GtkWidget parent_instance;

  DbtConnection   *connection;
  DbtSession      *session;
  DbtDeployStatus *status;
  GCancellable    *load_cancellable;     /* session and status loading */
  GCancellable    *work_cancellable;     /* deploys, roll backs, provisioning */
  DbtSession      *work_session;         /* the session a deploy or roll back runs on */
  DbtProvisioner  *provisioner;          /* while provisioning */
  GCancellable    *provision_cancellable;

  /* The code the last deploy replaced, and where it was deployed. */
  DbtCodeRef      *rollback;
  char            *rollback_connection_id;
  char            *rollback_function_name;

  GList           *mapping_rows;

  /* template children */
  GtkStack        *stack;
  AdwStatusPage   *status_page;
  GtkButton       *refresh_button;
  GtkScrolledWindow *details_scroller;
  GtkImage        *summary_icon;
  GtkLabel        *summary_title;
  GtkLabel        *summary_detail;
  GtkButton       *deploy_button;
  GtkButton       *roll_back_button;
  GtkButton       *provision_button;
  GtkWidget       *progress_box;
  GtkLabel        *step_label;
  GtkProgressBar  *progress_bar;
  GtkLabel        *outcome_label;
  AdwPreferencesGroup *function_group;
  GtkLabel        *function_name_label;
  GtkLabel        *runtime_label;
  GtkLabel        *architecture_label;
  GtkLabel        *code_sha256_label;
  GtkLabel        *code_sha256_hex_label;
  GtkLabel        *code_size_label;
  GtkLabel        *last_modified_label;
  GtkLabel        *state_label;
  GtkLabel        *last_update_label;
  GtkLabel        *memory_label;
  GtkLabel        *timeout_label;
  AdwPreferencesGroup *bundled_group;
  GtkLabel        *bundled_path_label;
  GtkLabel        *bundled_sha256_label;
  GtkLabel        *bundled_sha256_hex_label;
  GtkLabel        *bundled_size_label;
  AdwPreferencesGroup *mapping_group;
  AdwPreferencesGroup *rollback_group;
  GtkLabel        *rollback_sha256_label;
  GtkLabel        *rollback_location_label;
  AdwPreferencesGroup *provision_group;
  GtkLabel        *provision_status_label;
  GtkScrolledWindow *provision_scroller;
  GtkTextView     *provision_log;
};

static void dbt_deploy_page_page_init (DbtPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DbtDeployPage, dbt_deploy_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (DBT_TYPE_PAGE, dbt_deploy_page_page_init))

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static void dbt_deploy_page_reload (DbtDeployPage *self,
                                    gboolean       new_session);

/* --- showing ------------------------------------------------------------ */

static void
set_value (GtkLabel   *label,
           const char *value)
{
  gtk_label_set_text (label, value != NULL && *value != '\0' ? value : "—");
}

static void
set_value_take (GtkLabel *label,
                char     *value)
{
  set_value (label, value);
  g_free (value);
}

static void
set_outcome (DbtDeployPage *self,
             const char    *text,
             gboolean       failed)
{
  gtk_label_set_text (self->outcome_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_label), text != NULL);
  if (failed)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->outcome_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_label), "success");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->outcome_label), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_label), "error");
    }
}

static gboolean
rollback_applies (DbtDeployPage *self)
{
  return self->rollback != NULL && self->session != NULL
         && g_strcmp0 (self->rollback_connection_id, self->session->connection_id) == 0
         && g_strcmp0 (self->rollback_function_name, self->session->function_name) == 0;
}

static void
update_actions (DbtDeployPage *self)
{
  gboolean busy = self->work_session != NULL || self->provisioner != NULL;
  gboolean have_code = self->status != NULL && self->status->configuration != NULL
                       && self->status->bundled != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deploy.deploy", !busy && have_code);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deploy.roll-back",
                                 !busy && rollback_applies (self)
                                 && self->status != NULL && self->status->configuration != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deploy.provision",
                                 !busy && self->session != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deploy.cancel-provision",
                                 self->provisioner != NULL
                                 && !g_cancellable_is_cancelled (self->provision_cancellable));
}

static void
show_message (DbtDeployPage *self,
              const char    *icon_name,
              const char    *title,
              const char    *description)
{
  g_autofree char *escaped = description != NULL ? g_markup_escape_text (description, -1) : NULL;

  adw_status_page_set_icon_name (self->status_page, icon_name);
  adw_status_page_set_title (self->status_page, title);
  if (escaped != NULL)
    adw_status_page_set_description (self->status_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "message");
}

/* "9.8 MB (9,812,345 bytes)" */
static char *
format_size (gint64 bytes)
{
  return g_format_size_full ((guint64) MAX (bytes, 0), G_FORMAT_SIZE_LONG_FORMAT);
}

/* Lambda's durations: timeouts up to 900 s, windows up to 300 s. */
static char *
format_seconds (gint64 seconds)
{
  int value = (int) CLAMP (seconds, 0, G_MAXINT);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second", "%d seconds", value), value);
}

static void
show_function (DbtDeployPage                  *self,
               const DbtFunctionConfiguration *configuration)
{
  g_autofree char *architectures = NULL;
  g_autofree char *last_update = NULL;
  g_autofree char *state = NULL;

  set_value (self->function_name_label, configuration->function_name);
  set_value (self->runtime_label, configuration->runtime);
  architectures = g_strjoinv (", ", configuration->architectures);
  set_value (self->architecture_label, architectures);
  set_value (self->code_sha256_label, configuration->code_sha256);
  set_value_take (self->code_sha256_hex_label, dbt_code_sha256_to_hex_string (configuration->code_sha256));
  set_value_take (self->code_size_label, format_size (configuration->code_size));
  set_value (self->last_modified_label, configuration->last_modified);

  if (configuration->state_reason != NULL && *configuration->state_reason != '\0')
    state = g_strdup_printf ("%s — %s", configuration->state, configuration->state_reason);
  else
    state = g_strdup (configuration->state);
  set_value (self->state_label, state);

  if (configuration->last_update_status_reason != NULL && *configuration->last_update_status_reason != '\0')
    last_update = g_strdup_printf ("%s — %s", configuration->last_update_status,
                                   configuration->last_update_status_reason);
  else
    last_update = g_strdup (configuration->last_update_status);
  set_value (self->last_update_label, last_update);

  /* Translators: a memory size in megabytes */
  set_value_take (self->memory_label, g_strdup_printf (_("%d MB"), (int) configuration->memory_size));
  set_value_take (self->timeout_label, format_seconds (configuration->timeout));
}

static void
show_bundled (DbtDeployPage           *self,
              const DbtBundledHandler *bundled)
{
  set_value (self->bundled_path_label, bundled->path);
  set_value (self->bundled_sha256_label, bundled->sha256_base64);
  set_value (self->bundled_sha256_hex_label, bundled->sha256_hex);
  set_value_take (self->bundled_size_label, format_size ((gint64) g_bytes_get_size (bundled->bytes)));
}

static void
add_mapping_row (DbtDeployPage *self,
                 const char    *title,
                 const char    *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value != NULL && *value != '\0' ? value : "—");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 46);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (self->mapping_group, row);
  self->mapping_rows = g_list_prepend (self->mapping_rows, row);
}

static void
clear_mapping_rows (DbtDeployPage *self)
{
  for (GList *l = self->mapping_rows; l != NULL; l = l->next)
    adw_preferences_group_remove (self->mapping_group, l->data);
  g_clear_pointer (&self->mapping_rows, g_list_free);
}

static void
show_mappings (DbtDeployPage *self)
{
  clear_mapping_rows (self);
  adw_preferences_group_set_description (self->mapping_group, NULL);

  if (self->status->mappings_error != NULL)
    {
      adw_preferences_group_set_description (self->mapping_group, self->status->mappings_error->message);
      return;
    }
  if (self->status->mappings->len == 0)
    {
      adw_preferences_group_set_description (self->mapping_group,
                                             _("No stream feeds the function: nothing triggers it."));
      return;
    }

  for (guint i = 0; i < self->status->mappings->len; i++)
    {
      DbtEventSourceMapping *mapping = g_ptr_array_index (self->status->mappings, i);
      g_autofree char *batch_size = g_strdup_printf ("%" G_GINT64_FORMAT, mapping->batch_size);
      g_autofree char *window = format_seconds (mapping->maximum_batching_window_seconds);
      g_autofree char *retries = mapping->maximum_retry_attempts < 0
                                 ? g_strdup (_("Until the record expires"))
                                 : g_strdup_printf ("%" G_GINT64_FORMAT, mapping->maximum_retry_attempts);

      add_mapping_row (self, _("Source"), mapping->event_source_arn);
      add_mapping_row (self, _("State"), mapping->state);
      add_mapping_row (self, _("Last change"), mapping->state_transition_reason);
      add_mapping_row (self, _("Batch size"), batch_size);
      add_mapping_row (self, _("Batching window"), window);
      add_mapping_row (self, _("Starting position"), mapping->starting_position);
      add_mapping_row (self, _("Retries"), retries);
      add_mapping_row (self, _("Split failed batches"),
                       mapping->bisect_batch_on_function_error ? _("Yes") : _("No"));
      add_mapping_row (self, _("On failure"), mapping->on_failure_destination);
    }
}

static void
show_rollback (DbtDeployPage *self)
{
  gboolean applies = rollback_applies (self);

  gtk_widget_set_visible (GTK_WIDGET (self->rollback_group), applies);
  gtk_widget_set_visible (GTK_WIDGET (self->roll_back_button), applies);
  if (!applies)
    return;

  set_value (self->rollback_sha256_label, self->rollback->code_sha256);
  if (self->rollback->zip_file != NULL)
    set_value (self->rollback_location_label, _("In memory (downloaded from Lambda)"));
  else
    set_value_take (self->rollback_location_label,
                    g_strdup_printf ("s3://%s/%s", self->rollback->s3_bucket, self->rollback->s3_key));
}

static void
set_summary (DbtDeployPage *self,
             const char    *icon_name,
             const char    *css_class,
             const char    *title,
             const char    *detail)
{
  static const char *const classes[] = { "success", "warning", "error" };

  gtk_image_set_from_icon_name (self->summary_icon, icon_name);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->summary_icon), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_icon), css_class);
  gtk_label_set_text (self->summary_title, title);
  gtk_label_set_text (self->summary_detail, detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_detail), detail != NULL && *detail != '\0');
}

static void
show_status (DbtDeployPage *self)
{
  DbtDeployStatus *status = self->status;

  gtk_widget_set_visible (GTK_WIDGET (self->function_group), status->configuration != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->mapping_group), status->configuration != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->bundled_group), status->bundled != NULL);
  if (status->configuration != NULL)
    {
      show_function (self, status->configuration);
      show_mappings (self);
    }
  if (status->bundled != NULL)
    show_bundled (self, status->bundled);
  show_rollback (self);

  if (status->function_error != NULL)
    {
      if (g_error_matches (status->function_error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND))
        set_summary (self, "dialog-warning-symbolic", "warning", status->function_error->message,
                     _("The function that the stream triggers does not exist on this connection. Provision the stack to create it."));
      else
        set_summary (self, "dialog-error-symbolic", "error", _("The function cannot be read"),
                     status->function_error->message);
    }
  else if (status->bundled_error != NULL)
    set_summary (self, "dialog-error-symbolic", "error", _("The bundled handler cannot be read"),
                 status->bundled_error->message);
  else if (dbt_deploy_status_is_up_to_date (status))
    set_summary (self, "emblem-ok-symbolic", "success", _("Up to date"),
                 _("The function runs the bundled handler."));
  else
    {
      /* Translators: the two %s are SHA-256 sums (base64) */
      g_autofree char *detail = g_strdup_printf (_("The function runs %s, the bundled handler is %s. Deploy it to bring the function up to date."),
                                                 status->configuration->code_sha256,
                                                 status->bundled->sha256_base64);

      set_summary (self, "software-update-available-symbolic", "warning",
                   _("Differs from the bundled handler"), detail);
    }

  gtk_stack_set_visible_child_name (self->stack, "details");
  update_actions (self);
}

/* --- loading ------------------------------------------------------------ */

static void
on_inspected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DbtDeployPage) self = user_data;
  g_autoptr(GError) error = NULL;
  DbtDeployStatus *status = dbt_deployer_inspect_finish (result, &error);

  if (status == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, "dialog-error-symbolic", _("The deployment cannot be read"), error->message);
      return;
    }
  g_clear_pointer (&self->status, dbt_deploy_status_free);
  self->status = status;
  show_status (self);
}

static void
inspect (DbtDeployPage *self)
{
  g_autofree char *zip_path = dbt_bundled_handler_dup_path ();

  dbt_deployer_inspect_async (self->session, zip_path, self->load_cancellable, on_inspected,
                              g_object_ref (self));
}

static void
on_session_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DbtDeployPage) self = user_data;
  g_autoptr(GError) error = NULL;
  DbtSession *session = dbt_session_load_finish (result, &error);

  if (session == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, "dialog-error-symbolic", _("The connection cannot be used"), error->message);
      return;
    }
  g_clear_pointer (&self->session, dbt_session_unref);
  self->session = session;
  update_actions (self);
  inspect (self);
}

/* @new_session: the connection changed (or its resources may have), so the
 * session is loaded afresh; otherwise only the function and zip are read. */
static void
dbt_deploy_page_reload (DbtDeployPage *self,
                        gboolean       new_session)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  if (self->connection == NULL)
    {
      g_clear_pointer (&self->session, dbt_session_unref);
      g_clear_pointer (&self->status, dbt_deploy_status_free);
      dbt_page_describe_connection (self->status_page,
                                    _("The trigger function bundled with the console is deployed from here, and the function that runs now is shown."),
                                    NULL);
      gtk_stack_set_visible_child_name (self->stack, "message");
      update_actions (self);
      return;
    }

  if (new_session || self->session == NULL)
    {
      /* Keep showing what is there while it is read again. */
      if (self->status == NULL || new_session)
        {
          show_message (self, "content-loading-symbolic", _("Reading the Deployment…"), NULL);
          dbt_page_describe_connection (self->status_page,
                                        _("The function, its stream mapping and the bundled handler are read."),
                                        self->connection);
        }
      dbt_session_load_async (self->connection, self->load_cancellable, on_session_loaded,
                              g_object_ref (self));
    }
  else
    inspect (self);
}

static void
dbt_deploy_page_refresh (DbtPage *page)
{
  /* The stack's outputs may have changed (provisioned elsewhere). */
  dbt_deploy_page_reload (DBT_DEPLOY_PAGE (page), TRUE);
}

/* Another connection: its own session, nothing of the last deployment. */
static void
dbt_deploy_page_connection_changed (DbtPage *page)
{
  DbtDeployPage *self = DBT_DEPLOY_PAGE (page);

  g_clear_pointer (&self->status, dbt_deploy_status_free);
  g_clear_pointer (&self->session, dbt_session_unref);
  set_outcome (self, NULL, FALSE);
  gtk_widget_set_visible (self->progress_box, FALSE);
  dbt_deploy_page_reload (self, TRUE);
}

static void
dbt_deploy_page_page_init (DbtPageInterface *iface)
{
  iface->refresh = dbt_deploy_page_refresh;
  iface->connection_changed = dbt_deploy_page_connection_changed;
}

/* --- deploying and rolling back ------------------------------------------ */

static void
on_progress (DbtDeployStep step,
             gpointer      user_data)
{
  DbtDeployPage *self = user_data;
  /* Translators: progress, e.g. "Step 3 of 6" */
  g_autofree char *text = g_strdup_printf (_("Step %u of %u"),
                                           MIN ((guint) step + 1, (guint) DBT_DEPLOY_N_STEPS),
                                           (guint) DBT_DEPLOY_N_STEPS);

  gtk_label_set_text (self->step_label, dbt_deploy_step_describe (step));
  gtk_progress_bar_set_fraction (self->progress_bar, (double) step / DBT_DEPLOY_N_STEPS);
  gtk_progress_bar_set_text (self->progress_bar, step == DBT_DEPLOY_STEP_DONE ? _("Done") : text);
}

static void
start_work (DbtDeployPage *self)
{
  self->work_session = dbt_session_ref (self->session);
  set_outcome (self, NULL, FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, NULL);
  gtk_label_set_text (self->step_label, "");
  gtk_widget_set_visible (self->progress_box, TRUE);
  update_actions (self);
}

/* FALSE when the page shows another connection by now: the outcome is
 * then only told in a toast. */
static gboolean
end_work (DbtDeployPage *self,
          const GError  *error)
{
  DbtWindow *window = dbt_window_for_widget (GTK_WIDGET (self));
  g_autoptr(DbtSession) session = g_steal_pointer (&self->work_session);
  gboolean same = self->session != NULL
                  && g_strcmp0 (self->session->connection_id, session->connection_id) == 0;

  update_actions (self);
  if (!same)
    {
      if (error != NULL && window != NULL)
        dbt_window_show_error (window, error);
      return FALSE;
    }

  /* The outcome says how it ended; the steps are over. */
  gtk_widget_set_visible (self->progress_box, FALSE);
  if (error != NULL)
    {
      set_outcome (self, error->message, TRUE);
      /* The reason stays in the page; the window tells where to look. */
      if (window != NULL)
        dbt_window_show_toast (window, _("The deploy failed: the reason is on the Deploy page"));
    }
  return TRUE;
}

static void
on_deployed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DbtDeployPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtDeployment) deployment = dbt_deployer_deploy_finish (result, &error);
  DbtWindow *window;
  g_autofree char *message = NULL;

  if (deployment == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (end_work (self, error))
        inspect (self);
      return;
    }

  /* Kept for the connection and function it was deployed to. */
  if (deployment->previous != NULL)
    {
      g_clear_pointer (&self->rollback, dbt_code_ref_free);
      self->rollback = g_steal_pointer (&deployment->previous);
      g_free (self->rollback_connection_id);
      self->rollback_connection_id = g_strdup (self->work_session->connection_id);
      g_free (self->rollback_function_name);
      self->rollback_function_name = g_strdup (self->work_session->function_name);
    }

  window = dbt_window_for_widget (GTK_WIDGET (self));
  if (window != NULL)
    dbt_window_show_toast (window, _("The bundled handler is deployed"));
  if (!end_work (self, NULL))
    return;

  if (deployment->unchanged)
    /* Translators: %s is a SHA-256 (base64) */
    message = g_strdup_printf (_("The function already ran the bundled handler (%s)."),
                               deployment->configuration->code_sha256);
  else if (deployment->no_previous_reason != NULL)
    /* Translators: the first %s is a SHA-256, the second why there is no roll back */
    message = g_strdup_printf (_("Deployed %s. No roll back is possible: %s."),
                               deployment->configuration->code_sha256,
                               deployment->no_previous_reason);
  else
    /* Translators: %s is a SHA-256 (base64) */
    message = g_strdup_printf (_("Deployed %s. The function runs it now."),
                               deployment->configuration->code_sha256);
  set_outcome (self, message, FALSE);
  inspect (self);
}

static void
deploy_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DbtDeployPage *self = DBT_DEPLOY_PAGE (widget);

  if (self->session == NULL || self->status == NULL || self->status->bundled == NULL)
    return;

  start_work (self);
  dbt_deployer_deploy_async (self->session, self->status->bundled->path,
                             on_progress, g_object_ref (self), g_object_unref,
                             self->work_cancellable, on_deployed, g_object_ref (self));
}

static void
on_rolled_back (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DbtDeployPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtDeployment) deployment = dbt_deployer_roll_back_finish (result, &error);
  DbtWindow *window;
  g_autofree char *message = NULL;

  if (deployment == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (end_work (self, error))
        inspect (self);
      return;
    }

  /* Done: deploying the bundled handler again redoes what was undone. */
  g_clear_pointer (&self->rollback, dbt_code_ref_free);
  window = dbt_window_for_widget (GTK_WIDGET (self));
  if (window != NULL)
    dbt_window_show_toast (window, _("The previous code is restored"));
  if (!end_work (self, NULL))
    return;
  /* Translators: %s is a SHA-256 (base64) */
  message = g_strdup_printf (_("Rolled back to %s. The function runs it now."),
                             deployment->configuration->code_sha256);
  set_outcome (self, message, FALSE);
  inspect (self);
}

static void
roll_back_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DbtDeployPage *self = DBT_DEPLOY_PAGE (widget);

  if (!rollback_applies (self))
    return;

  start_work (self);
  dbt_deployer_roll_back_async (self->session, self->rollback,
                                on_progress, g_object_ref (self), g_object_unref,
                                self->work_cancellable, on_rolled_back, g_object_ref (self));
}

/* --- provisioning --------------------------------------------------------- */

static void
append_log (DbtDeployPage *self,
            const char    *line)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->provision_log);
  GtkTextIter end;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->provision_scroller);
  /* Follow the output only when the reader is at its end. */
  gboolean at_end = gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
                    >= gtk_adjustment_get_upper (adjustment) - 1;

  gtk_text_buffer_get_end_iter (buffer, &end);
  if (gtk_text_buffer_get_char_count (buffer) > 0)
    gtk_text_buffer_insert (buffer, &end, "\n", 1);
  gtk_text_buffer_insert (buffer, &end, line, -1);
  if (at_end)
    {
      GtkTextMark *mark = gtk_text_buffer_get_mark (buffer, "end");

      gtk_text_buffer_get_end_iter (buffer, &end);
      if (mark == NULL)
        mark = gtk_text_buffer_create_mark (buffer, "end", &end, FALSE);
      else
        gtk_text_buffer_move_mark (buffer, mark, &end);
      gtk_text_view_scroll_mark_onscreen (self->provision_log, mark);
    }
}

static void
on_provision_output (DbtProvisioner *provisioner,
                     const char     *line,
                     gpointer        user_data)
{
  append_log (DBT_DEPLOY_PAGE (user_data), line);
}

static void
set_provision_status (DbtDeployPage *self,
                      const char    *text,
                      const char    *css_class)
{
  static const char *const classes[] = { "success", "error", "dim-label" };

  gtk_label_set_text (self->provision_status_label, text);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->provision_status_label), classes[i]);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->provision_status_label), css_class);
}

static void
on_provisioned (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DbtDeployPage) self = user_data;
  g_autoptr(GError) error = NULL;
  DbtWindow *window = dbt_window_for_widget (GTK_WIDGET (self));
  int exit_status = -1;
  gboolean ran = dbt_provisioner_run_finish (DBT_PROVISIONER (source), result, &exit_status, &error);

  g_signal_handlers_disconnect_by_func (source, on_provision_output, self);
  g_clear_object (&self->provisioner);
  g_clear_object (&self->provision_cancellable);

  if (!ran)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_provision_status (self, _("Cancelled. What was created so far stays; provision again to finish."), "error");
      else
        set_provision_status (self, error->message, "error");
    }
  else if (exit_status == 0)
    {
      set_provision_status (self, _("Finished: exit status 0"), "success");
      if (window != NULL)
        dbt_window_show_toast (window, _("The stack is provisioned"));
    }
  else
    {
      g_autofree char *text = exit_status < 0
                              ? g_strdup (_("Failed: the command was killed"))
                              /* Translators: %d is a process exit status */
                              : g_strdup_printf (_("Failed: exit status %d"), exit_status);

      set_provision_status (self, text, "error");
    }
  update_actions (self);

  /* The stack's outputs, the function, the bucket may all be new. */
  if (ran && !gtk_widget_in_destruction (GTK_WIDGET (self)))
    dbt_deploy_page_reload (self, TRUE);
}

static void
start_provisioning (DbtDeployPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *zip_path = dbt_bundled_handler_dup_path ();
  g_autofree char *command_line = NULL;
  g_autofree char *prompt = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->provision_log);

  self->provisioner = dbt_provisioner_new_for_session (self->session, zip_path, &error);
  gtk_widget_set_visible (GTK_WIDGET (self->provision_group), TRUE);
  gtk_text_buffer_set_text (buffer, "", 0);
  if (self->provisioner == NULL)
    {
      set_provision_status (self, error->message, "error");
      update_actions (self);
      return;
    }

  command_line = dbt_provisioner_dup_command_line (self->provisioner);
  prompt = g_strconcat ("$ ", command_line, NULL);
  append_log (self, prompt);
  set_provision_status (self, _("Running…"), "dim-label");
  self->provision_cancellable = g_cancellable_new ();
  g_signal_connect (self->provisioner, "output", G_CALLBACK (on_provision_output), self);
  dbt_provisioner_run_async (self->provisioner, self->provision_cancellable, on_provisioned,
                             g_object_ref (self));
  update_actions (self);
}

static void
on_provision_confirmed (AdwMessageDialog *dialog,
                        const char       *response,
                        gpointer          user_data)
{
  DbtDeployPage *self = user_data;

  if (g_strcmp0 (response, "provision") == 0 && self->provisioner == NULL && self->session != NULL)
    start_provisioning (self);
}

static void
provision_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DbtDeployPage *self = DBT_DEPLOY_PAGE (widget);
  GtkWidget *dialog;
  GtkRoot *root;

  if (self->session == NULL || self->provisioner != NULL)
    return;

  /* The local stack is the user's own sandbox; anything else asks first. */
  if (self->session->is_local_stack)
    {
      start_provisioning (self);
      return;
    }

  root = gtk_widget_get_root (widget);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Apply Terraform to This Account?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Terraform creates or changes the table, stream, topic, queue, code bucket and function of “%s” in %s, with the credentials of the environment."),
                                  self->session->connection_name,
                                  self->session->region != NULL ? self->session->region : "?");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "provision", _("_Provision"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "provision",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_provision_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_provision_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  DbtDeployPage *self = DBT_DEPLOY_PAGE (widget);

  if (self->provision_cancellable == NULL)
    return;
  g_cancellable_cancel (self->provision_cancellable);
  set_provision_status (self, _("Stopping…"), "dim-label");
  update_actions (self);
}

/* --- the object ------------------------------------------------------------ */

static void
dbt_deploy_page_dispose (GObject *object)
{
  DbtDeployPage *self = DBT_DEPLOY_PAGE (object);

  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->work_cancellable);
  g_cancellable_cancel (self->provision_cancellable);
  if (self->provisioner != NULL)
    g_signal_handlers_disconnect_by_func (self->provisioner, on_provision_output, self);

  g_clear_pointer (&self->mapping_rows, g_list_free);
  dbt_page_dispose_widgets (DBT_PAGE (self), DBT_TYPE_DEPLOY_PAGE, &self->connection);

  G_OBJECT_CLASS (dbt_deploy_page_parent_class)->dispose (object);
}

static void
dbt_deploy_page_finalize (GObject *object)
{
  DbtDeployPage *self = DBT_DEPLOY_PAGE (object);

  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->work_cancellable);
  g_clear_object (&self->provision_cancellable);
  g_clear_object (&self->provisioner);
  g_clear_pointer (&self->session, dbt_session_unref);
  g_clear_pointer (&self->work_session, dbt_session_unref);
  g_clear_pointer (&self->status, dbt_deploy_status_free);
  g_clear_pointer (&self->rollback, dbt_code_ref_free);
  g_free (self->rollback_connection_id);
  g_free (self->rollback_function_name);

  G_OBJECT_CLASS (dbt_deploy_page_parent_class)->finalize (object);
}

static void
dbt_deploy_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DbtDeployPage *self = DBT_DEPLOY_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_deploy_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DbtDeployPage *self = DBT_DEPLOY_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      dbt_page_set_connection_property (DBT_PAGE (self), &self->connection, value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_deploy_page_class_init (DbtDeployPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbt_deploy_page_dispose;
  object_class->finalize = dbt_deploy_page_finalize;
  object_class->get_property = dbt_deploy_page_get_property;
  object_class->set_property = dbt_deploy_page_set_property;
  dbt_page_install_properties (object_class, PROP_CONNECTION);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/dbt-deploy-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, DbtDeployPage, name)
  BIND (stack);
  BIND (status_page);
  BIND (refresh_button);
  BIND (details_scroller);
  BIND (summary_icon);
  BIND (summary_title);
  BIND (summary_detail);
  BIND (deploy_button);
  BIND (roll_back_button);
  BIND (provision_button);
  BIND (progress_box);
  BIND (step_label);
  BIND (progress_bar);
  BIND (outcome_label);
  BIND (function_group);
  BIND (function_name_label);
  BIND (runtime_label);
  BIND (architecture_label);
  BIND (code_sha256_label);
  BIND (code_sha256_hex_label);
  BIND (code_size_label);
  BIND (last_modified_label);
  BIND (state_label);
  BIND (last_update_label);
  BIND (memory_label);
  BIND (timeout_label);
  BIND (bundled_group);
  BIND (bundled_path_label);
  BIND (bundled_sha256_label);
  BIND (bundled_sha256_hex_label);
  BIND (bundled_size_label);
  BIND (mapping_group);
  BIND (rollback_group);
  BIND (rollback_sha256_label);
  BIND (rollback_location_label);
  BIND (provision_group);
  BIND (provision_status_label);
  BIND (provision_scroller);
  BIND (provision_log);
#undef BIND

  gtk_widget_class_install_action (widget_class, "deploy.deploy", NULL, deploy_activated);
  gtk_widget_class_install_action (widget_class, "deploy.roll-back", NULL, roll_back_activated);
  gtk_widget_class_install_action (widget_class, "deploy.provision", NULL, provision_activated);
  gtk_widget_class_install_action (widget_class, "deploy.cancel-provision", NULL,
                                   cancel_provision_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dbtdeploypage");
}

static void
dbt_deploy_page_init (DbtDeployPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->work_cancellable = g_cancellable_new ();
  dbt_deploy_page_reload (self, TRUE);
}

GtkWidget *
dbt_deploy_page_new (void)
{
  return g_object_new (DBT_TYPE_DEPLOY_PAGE, NULL);
}
