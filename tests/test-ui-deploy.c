/* test-ui-deploy.c — the Deploy page against a provisioned local stack.
 *
 * Runs under tests/with-provisioned-stack.sh: the stack's function was
 * created with the placeholder zip (DBT_HANDLER_ZIP points at a missing
 * file while provisioning), so it differs from the bundled handler, the
 * real zip of this build (DBT_TEST_HANDLER_ZIP), which the page is given.
 *
 * The cases run in order and share the stack: the page shows the
 * difference, deploys by keyboard, rolls back; a missing zip; a missing
 * function, provisioned again from the page. What the function runs is
 * read back with GetFunctionConfiguration, the code bucket with HeadObject.
 */
#include "dbt-config.h"

#include "dbt-bundled-handler.h"
#include "dbt-deployer.h"
#include "dbt-lambda.h"
#include "dbt-provisioner.h"
#include "dbt-s3.h"
#include "dbt-session.h"
#include "dbt-ui-test.h"

#define DEPLOY_TIMEOUT_MS    (120 * 1000)
#define PROVISION_TIMEOUT_MS (400 * 1000)

static char *bundled_zip_path;
static DbtBundledHandler *bundled;
static guint fractions_seen;
/* The CodeSha256 the stack was provisioned with. */
static char *provisioned_sha256;

static DbtSession *
load_session (void)
{
  g_autoptr(DbtConnection) connection = dbt_connection_new_local_stack ();
  DbtConnectionSnapshot *snapshot = dbt_connection_snapshot_new (connection);
  g_autoptr(GError) error = NULL;
  DbtSession *session = dbt_session_load (snapshot, NULL, &error);

  dbt_connection_snapshot_free (snapshot);
  g_assert_no_error (error);
  g_assert_nonnull (session->function_name);
  g_assert_nonnull (session->code_bucket);
  return session;
}

static char *
read_deployed_sha256 (DbtSession *session)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtFunctionConfiguration) configuration =
    dbt_lambda_get_function_configuration (session->client, session->function_name, NULL, &error);

  g_assert_no_error (error);
  return g_strdup (configuration->code_sha256);
}

/* --- the page ------------------------------------------------------------- */

typedef struct
{
  DbtWindow *window;
  GtkWidget *page;
} Fixture;

static GtkWidget *
child (Fixture    *fixture,
       const char *id)
{
  GtkWidget *widget = dbt_ui_test_find_by_id (fixture->page, id);

  g_assert_nonnull (widget);
  return widget;
}

static const char *
label_text (Fixture    *fixture,
            const char *id)
{
  return gtk_label_get_text (GTK_LABEL (child (fixture, id)));
}

typedef struct
{
  Fixture    *fixture;
  const char *id;
  const char *text;
} LabelWait;

static gboolean
failed (Fixture *fixture)
{
  GtkWidget *outcome = child (fixture, "outcome_label");

  return gtk_widget_get_visible (outcome) && gtk_widget_has_css_class (outcome, "error");
}

/* Also stops at a failure the page shows. */
static gboolean
label_is (gpointer data)
{
  LabelWait *wait = data;

  if (failed (wait->fixture))
    return TRUE;
  return g_strcmp0 (label_text (wait->fixture, wait->id), wait->text) == 0
         && dbt_ui_test_is_showing (child (wait->fixture, wait->id));
}

static void
wait_for_label (Fixture    *fixture,
                const char *id,
                const char *text,
                guint       timeout_ms)
{
  LabelWait wait = { fixture, id, text };

  if (!dbt_ui_test_wait_until (label_is, &wait, timeout_ms) || failed (fixture))
    g_error ("“%s” shows “%s”, not “%s” (outcome: “%s”)", id, label_text (fixture, id), text,
             label_text (fixture, "outcome_label"));
}

static gboolean
stack_shows_details (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (child (fixture, "stack"))),
                    "details") == 0;
}

static void
open_deploy_page (Fixture *fixture)
{
  fixture->window = dbt_ui_test_open_window ();
  /* Room for the function and the bundled zip side by side in the shots. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 1000);
  /* Ctrl+4: the Deploy page, as a user reaches it. */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (fixture->window), "<Control>4"));
  g_assert_cmpstr (dbt_window_get_page_name (fixture->window), ==, "deploy");
  fixture->page = dbt_window_get_page (fixture->window, "deploy");
  g_assert_nonnull (fixture->page);
  if (!dbt_ui_test_wait_until (stack_shows_details, fixture, 30000))
    g_error ("the Deploy page shows no details: %s",
             adw_status_page_get_description (ADW_STATUS_PAGE (child (fixture, "status_page"))));
}

static void
screenshot (Fixture    *fixture,
            const char *name)
{
  dbt_ui_test_iterate (200);
  dbt_ui_test_wait_for_draw (GTK_WIDGET (fixture->window));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (fixture->window), name));
}

static gboolean
action_enabled (Fixture    *fixture,
                const char *button_id)
{
  return gtk_widget_get_sensitive (child (fixture, button_id));
}

/* The stack differs from the bundled zip; the page says so and shows both. */
static void
test_shows_difference (void)
{
  g_autoptr(DbtSession) session = load_session ();
  Fixture fixture = { 0 };
  GtkWidget *mapping_group;
  g_autofree char *hex = NULL;
  g_autofree char *batch_size = NULL;
  g_autoptr(GPtrArray) mappings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtFunctionConfiguration) configuration = NULL;
  DbtEventSourceMapping *mapping;

  provisioned_sha256 = read_deployed_sha256 (session);
  g_assert_cmpstr (provisioned_sha256, !=, bundled->sha256_base64);

  open_deploy_page (&fixture);
  wait_for_label (&fixture, "summary_title", "Differs from the bundled handler", 30000);

  g_assert_cmpstr (label_text (&fixture, "function_name_label"), ==, session->function_name);
  g_assert_cmpstr (label_text (&fixture, "code_sha256_label"), ==, provisioned_sha256);
  hex = dbt_code_sha256_to_hex_string (provisioned_sha256);
  g_assert_cmpstr (label_text (&fixture, "code_sha256_hex_label"), ==, hex);
  g_assert_cmpstr (label_text (&fixture, "runtime_label"), ==, "provided.al2023");
  g_assert_cmpstr (label_text (&fixture, "bundled_sha256_label"), ==, bundled->sha256_base64);
  g_assert_cmpstr (label_text (&fixture, "bundled_sha256_hex_label"), ==, bundled->sha256_hex);
  g_assert_cmpstr (label_text (&fixture, "bundled_path_label"), ==, bundled_zip_path);

  /* The stream mapping, from ListEventSourceMappings. */
  mapping_group = child (&fixture, "mapping_group");
  g_assert_true (dbt_ui_test_is_showing (mapping_group));
  configuration = dbt_lambda_get_function_configuration (session->client, session->function_name,
                                                         NULL, &error);
  g_assert_no_error (error);
  mappings = dbt_lambda_list_all_event_source_mappings (session->client, configuration->function_arn,
                                                        NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mappings->len, ==, 1);
  mapping = g_ptr_array_index (mappings, 0);
  g_assert_nonnull (dbt_ui_test_find_label (mapping_group, mapping->event_source_arn));
  g_assert_nonnull (dbt_ui_test_find_label (mapping_group, mapping->state));
  batch_size = g_strdup_printf ("%" G_GINT64_FORMAT, mapping->batch_size);
  g_assert_nonnull (dbt_ui_test_find_label (mapping_group, "Batch size"));
  g_assert_nonnull (dbt_ui_test_find_label (mapping_group, batch_size));

  g_assert_true (action_enabled (&fixture, "deploy_button"));
  /* Nothing was deployed from here: nothing to roll back to. */
  g_assert_false (dbt_ui_test_is_showing (child (&fixture, "roll_back_button")));

  screenshot (&fixture, "deploy-before");
  dbt_ui_test_close_all ();
}

/* Records each step the page announces. */
static void
on_step_label (GObject    *label,
               GParamSpec *pspec,
               gpointer    user_data)
{
  GPtrArray *steps = user_data;
  const char *text = gtk_label_get_text (GTK_LABEL (label));

  if (*text != '\0' && (steps->len == 0 || g_strcmp0 (g_ptr_array_index (steps, steps->len - 1), text) != 0))
    g_ptr_array_add (steps, g_strdup (text));
}

static void
on_fraction (GObject    *bar,
             GParamSpec *pspec,
             gpointer    user_data)
{
  double *last = user_data;
  double fraction = gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (bar));

  /* It only moves forward. */
  g_assert_cmpfloat (fraction, >=, *last);
  *last = fraction;
  fractions_seen++;
}

static gboolean
is_widget (GtkWidget *focus,
           gpointer   data)
{
  return focus == data;
}

static gboolean
deploy_disabled (gpointer data)
{
  return !action_enabled (data, "deploy_button");
}

/* The S3 object's user metadata, read with a plain HEAD. */
static char *
head_codesha256_metadata (DbtSession *session,
                          const char *key)
{
  g_autofree char *path = g_strconcat ("/", session->code_bucket, "/", key, NULL);
  g_autoptr(GPtrArray) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = dbt_aws_client_call_rest (session->client, DBT_SERVICE_S3, "HEAD", path, NULL, NULL, NULL,
                                   &headers, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (dbt_http_headers_get (headers, "x-amz-meta-codesha256"));
}

/* Tab to Deploy, Enter: every step shows, the function then runs the zip. */
static void
test_deploy_by_keyboard (void)
{
  g_autoptr(DbtSession) session = load_session ();
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DbtS3ObjectInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = dbt_code_bucket_key_for_sha256 (bundled->sha256_hex);
  g_autofree char *deployed = NULL;
  g_autofree char *metadata = NULL;
  g_autofree char *rollback_location = NULL;
  g_autofree char *previous_key = NULL;
  g_autofree char *previous_hex = NULL;
  Fixture fixture = { 0 };
  GtkWidget *deploy_button;
  GtkWidget *focus;
  double last_fraction = 0;

  g_assert_nonnull (provisioned_sha256);
  open_deploy_page (&fixture);
  wait_for_label (&fixture, "summary_title", "Differs from the bundled handler", 30000);

  deploy_button = child (&fixture, "deploy_button");
  focus = dbt_ui_test_tab_until (GTK_WINDOW (fixture.window), FALSE, is_widget, deploy_button, 60);
  g_assert_true (focus == deploy_button);

  g_signal_connect (child (&fixture, "step_label"), "notify::label", G_CALLBACK (on_step_label), steps);
  g_signal_connect (child (&fixture, "progress_bar"), "notify::fraction", G_CALLBACK (on_fraction), &last_fraction);
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (fixture.window), "Return"));
  /* A button activated by a key clicks when its pressed look ends (250 ms);
   * then it is busy: no second deploy meanwhile. */
  g_assert_true (dbt_ui_test_wait_until (deploy_disabled, &fixture, 5000));
  g_assert_true (dbt_ui_test_is_showing (child (&fixture, "progress_box")));

  wait_for_label (&fixture, "summary_title", "Up to date", DEPLOY_TIMEOUT_MS);
  g_signal_handlers_disconnect_by_func (child (&fixture, "step_label"), on_step_label, steps);
  g_signal_handlers_disconnect_by_func (child (&fixture, "progress_bar"), on_fraction, &last_fraction);

  /* Each step, in order. */
  g_assert_cmpuint (steps->len, ==, DBT_DEPLOY_N_STEPS + 1);
  for (guint i = 0; i <= DBT_DEPLOY_N_STEPS; i++)
    g_assert_cmpstr (g_ptr_array_index (steps, i), ==, dbt_deploy_step_describe (i));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (child (&fixture, "progress_bar"))), ==, 1.0);
  g_assert_cmpuint (fractions_seen, >=, DBT_DEPLOY_N_STEPS);

  /* The function runs the zip... */
  deployed = read_deployed_sha256 (session);
  g_assert_cmpstr (deployed, ==, bundled->sha256_base64);
  g_assert_cmpstr (label_text (&fixture, "code_sha256_label"), ==, bundled->sha256_base64);
  g_assert_cmpstr (label_text (&fixture, "code_sha256_hex_label"), ==, bundled->sha256_hex);
  g_assert_true (g_str_has_prefix (label_text (&fixture, "outcome_label"), "Deployed "));
  g_assert_false (dbt_ui_test_is_showing (child (&fixture, "progress_box")));

  /* ...from the code bucket, under its sha key, with its metadata. */
  info = dbt_s3_head_object (session->client, session->code_bucket, key, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->content_length, ==, (gint64) g_bytes_get_size (bundled->bytes));
  metadata = head_codesha256_metadata (session, key);
  g_assert_cmpstr (metadata, ==, bundled->sha256_base64);

  /* The code it replaced can be restored: it is kept under its own key. */
  g_assert_true (dbt_ui_test_is_showing (child (&fixture, "roll_back_button")));
  g_assert_true (action_enabled (&fixture, "roll_back_button"));
  g_assert_cmpstr (label_text (&fixture, "rollback_sha256_label"), ==, provisioned_sha256);
  previous_hex = dbt_code_sha256_to_hex_string (provisioned_sha256);
  previous_key = dbt_code_bucket_key_for_sha256 (previous_hex);
  rollback_location = g_strdup_printf ("s3://%s/%s", session->code_bucket, previous_key);
  g_assert_cmpstr (label_text (&fixture, "rollback_location_label"), ==, rollback_location);

  screenshot (&fixture, "deploy-after");

  /* Roll back: the provisioned code again, verified the same way. */
  gtk_widget_activate (child (&fixture, "roll_back_button"));
  wait_for_label (&fixture, "summary_title", "Differs from the bundled handler", DEPLOY_TIMEOUT_MS);
  g_free (deployed);
  deployed = read_deployed_sha256 (session);
  g_assert_cmpstr (deployed, ==, provisioned_sha256);
  g_assert_cmpstr (label_text (&fixture, "code_sha256_label"), ==, provisioned_sha256);
  g_assert_true (g_str_has_prefix (label_text (&fixture, "outcome_label"), "Rolled back to "));
  /* Used up: deploying again redoes what was undone. */
  g_assert_false (dbt_ui_test_is_showing (child (&fixture, "roll_back_button")));
  g_assert_true (action_enabled (&fixture, "deploy_button"));

  screenshot (&fixture, "deploy-rolled-back");
  dbt_ui_test_close_all ();
}

/* A zip that cannot be read: the page names it and why; no deploy. */
static void
test_missing_zip (void)
{
  Fixture fixture = { 0 };
  const char *detail;

  g_setenv ("DBT_HANDLER_ZIP", "/nonexistent/dbtrigger-handler.zip", TRUE);
  open_deploy_page (&fixture);
  wait_for_label (&fixture, "summary_title", "The bundled handler cannot be read", 30000);

  detail = label_text (&fixture, "summary_detail");
  g_assert_nonnull (strstr (detail, "/nonexistent/dbtrigger-handler.zip"));
  g_assert_nonnull (strstr (detail, "No such file or directory"));
  g_assert_false (action_enabled (&fixture, "deploy_button"));
  g_assert_false (dbt_ui_test_is_showing (child (&fixture, "bundled_group")));
  /* The function is still shown. */
  g_assert_cmpstr (label_text (&fixture, "code_sha256_label"), ==, provisioned_sha256);

  screenshot (&fixture, "deploy-missing-zip");
  dbt_ui_test_close_all ();
  g_setenv ("DBT_HANDLER_ZIP", bundled_zip_path, TRUE);
}

static gboolean
provision_finished (gpointer data)
{
  Fixture *fixture = data;

  return !gtk_widget_has_css_class (child (fixture, "provision_status_label"), "dim-label")
         && *label_text (fixture, "provision_status_label") != '\0';
}

static gboolean
provision_shown (gpointer data)
{
  return dbt_ui_test_is_showing (child (data, "provision_group"));
}

static gboolean
log_has_lines (gpointer data)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (data, "provision_log")));

  return gtk_text_buffer_get_line_count (buffer) > 5;
}

static char *
log_text (Fixture *fixture)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (fixture, "provision_log")));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* No function: the page says to provision, and Provision creates it again
 * (with the bundled zip), its output streamed into the page. */
static void
test_missing_function_then_provision (void)
{
  g_autoptr(DbtSession) session = load_session ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *log = NULL;
  g_autofree char *deployed = NULL;
  Fixture fixture = { 0 };

  dbt_lambda_delete_function (session->client, session->function_name, NULL, &error);
  g_assert_no_error (error);

  open_deploy_page (&fixture);
  expected = g_strdup_printf ("No function named %s — provision first", session->function_name);
  wait_for_label (&fixture, "summary_title", expected, 30000);
  g_assert_false (action_enabled (&fixture, "deploy_button"));
  g_assert_true (dbt_ui_test_is_showing (child (&fixture, "provision_button")));
  g_assert_true (action_enabled (&fixture, "provision_button"));
  g_assert_false (dbt_ui_test_is_showing (child (&fixture, "function_group")));
  screenshot (&fixture, "deploy-no-function");

  gtk_widget_activate (child (&fixture, "provision_button"));
  g_assert_true (dbt_ui_test_wait_until (provision_shown, &fixture, 5000));
  g_assert_false (action_enabled (&fixture, "provision_button"));
  g_assert_true (action_enabled (&fixture, "cancel_provision_button"));
  /* The output streams in while it runs. */
  g_assert_true (dbt_ui_test_wait_until (log_has_lines, &fixture, 60000));
  g_assert_cmpstr (label_text (&fixture, "provision_status_label"), ==, "Running…");
  screenshot (&fixture, "deploy-provisioning");
  if (!dbt_ui_test_wait_until (provision_finished, &fixture, PROVISION_TIMEOUT_MS))
    g_error ("provisioning did not finish: %s", label_text (&fixture, "provision_status_label"));

  log = log_text (&fixture);
  g_assert_cmpstr (label_text (&fixture, "provision_status_label"), ==, "Finished: exit status 0");
  g_assert_true (g_str_has_prefix (log, "$ "));
  g_assert_nonnull (strstr (log, "terraform-local.sh apply --dir"));
  g_assert_nonnull (strstr (log, "Apply complete!"));

  /* Created again, with the bundled handler; the page reloads by itself. */
  deployed = read_deployed_sha256 (session);
  g_assert_cmpstr (deployed, ==, bundled->sha256_base64);
  wait_for_label (&fixture, "summary_title", "Up to date", 60000);
  screenshot (&fixture, "deploy-provisioned");
  dbt_ui_test_close_all ();
}

/* --- without the GUI ----------------------------------------------------- */

static void
on_output (DbtProvisioner *provisioner,
           const char     *line,
           gpointer        user_data)
{
  g_ptr_array_add (user_data, g_strdup (line));
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* The command's lines arrive in order, colours dropped; its exit status;
 * cancelling interrupts the whole process group. */
static void
test_provisioner_streams_and_cancels (void)
{
  const char *const script[] = {
    "sh", "-c", "echo one; printf '\\033[1mtwo\\033[0m\\n'; echo three >&2; exit 3", NULL
  };
  const char *const sleeper[] = {
    "sh", "-c", "echo started; sleep 60; echo never", NULL
  };
  g_autoptr(DbtProvisioner) provisioner = dbt_provisioner_new (script, NULL);
  g_autoptr(DbtProvisioner) slow = dbt_provisioner_new (sleeper, NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  int exit_status = 0;
  gint64 started;

  g_signal_connect (provisioner, "output", G_CALLBACK (on_output), lines);
  dbt_provisioner_run_async (provisioner, NULL, on_run_done, &result);
  g_assert_true (dbt_ui_test_wait_until (result_arrived, &result, 10000));
  g_assert_true (dbt_provisioner_run_finish (provisioner, result, &exit_status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (exit_status, ==, 3);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "one");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "two");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "three");
  g_clear_object (&result);

  g_ptr_array_set_size (lines, 0);
  g_signal_connect (slow, "output", G_CALLBACK (on_output), lines);
  dbt_provisioner_run_async (slow, cancellable, on_run_done, &result);
  while (lines->len == 0)
    g_main_context_iteration (NULL, TRUE);
  started = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  g_assert_true (dbt_ui_test_wait_until (result_arrived, &result, 10000));
  /* The sleep, the shell's child, was interrupted too: no 60 s wait. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_TIME_SPAN_SECOND);
  g_assert_false (dbt_provisioner_run_finish (slow, result, &exit_status, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "started");
  g_clear_object (&result);
}

/* Elsewhere than the local stack there is no code bucket: the zip goes as
 * ZipFile. moto's GetFunction offers no download, so no rollback point. */
static void
test_deployer_without_bucket (void)
{
  g_autoptr(DbtSession) session = load_session ();
  g_autoptr(DbtDeployment) deployment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *placeholder = g_build_filename (g_getenv ("DBT_STACK_DIR"), "placeholder-handler.zip", NULL);
  g_autoptr(DbtBundledHandler) other = dbt_bundled_handler_load (placeholder, NULL, &error);
  g_autofree char *deployed = NULL;

  g_assert_no_error (error);
  g_clear_pointer (&session->code_bucket, g_free);

  deployment = dbt_deployer_deploy (session, placeholder, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (deployment->configuration->code_sha256, ==, other->sha256_base64);
  g_assert_cmpstr (deployment->previous_code_sha256, ==, bundled->sha256_base64);
  g_assert_null (deployment->previous);
  g_assert_nonnull (deployment->no_previous_reason);
  deployed = read_deployed_sha256 (session);
  g_assert_cmpstr (deployed, ==, other->sha256_base64);

  /* The same again: nothing changes, and it says so. */
  g_clear_pointer (&deployment, dbt_deployment_free);
  deployment = dbt_deployer_deploy (session, placeholder, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (deployment->unchanged);

  /* A function that does not exist. */
  g_free (session->function_name);
  session->function_name = g_strdup ("dbtrigger-no-such-function");
  g_clear_pointer (&deployment, dbt_deployment_free);
  deployment = dbt_deployer_deploy (session, placeholder, NULL, NULL, NULL, &error);
  g_assert_null (deployment);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "No function named dbtrigger-no-such-function — provision first"));
}

static void
skip_without_stack (void)
{
  g_test_skip ("needs DBT_TEST_HANDLER_ZIP and a provisioned stack (tests/with-provisioned-stack.sh)");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  dbt_ui_test_init (&argc, &argv);

  bundled_zip_path = g_strdup (g_getenv ("DBT_TEST_HANDLER_ZIP"));
  if (bundled_zip_path == NULL || g_getenv ("DBT_STACK_DIR") == NULL)
    {
      g_test_add_func ("/ui/deploy/needs-a-stack", skip_without_stack);
      return g_test_run ();
    }
  bundled = dbt_bundled_handler_load (bundled_zip_path, NULL, &error);
  g_assert_no_error (error);
  /* From here on, the page's bundled handler is this build's zip. */
  g_setenv ("DBT_HANDLER_ZIP", bundled_zip_path, TRUE);

  g_test_add_func ("/ui/deploy/shows-difference", test_shows_difference);
  g_test_add_func ("/ui/deploy/deploy-by-keyboard-and-roll-back", test_deploy_by_keyboard);
  g_test_add_func ("/ui/deploy/missing-zip", test_missing_zip);
  g_test_add_func ("/ui/deploy/missing-function-then-provision", test_missing_function_then_provision);
  g_test_add_func ("/deploy/provisioner/streams-and-cancels", test_provisioner_streams_and_cancels);
  g_test_add_func ("/deploy/deployer/without-bucket", test_deployer_without_bucket);

  return g_test_run ();
}
