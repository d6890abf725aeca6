/* dbt-deployer.c — deploy the bundled handler, keep what it replaced, roll back. */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-deployer.h"
#include "dbt-http.h"
#include "dbt-s3.h"

#define WAIT_INTERVAL_MS   500
#define WAIT_TIMEOUT_MS    (5 * 60 * 1000)
#define DOWNLOAD_CONNECT_TIMEOUT_MS 10000
#define DOWNLOAD_TIMEOUT_MS         (2 * 60 * 1000)

const char *
dbt_deploy_step_describe (DbtDeployStep step)
{
  switch (step)
    {
    case DBT_DEPLOY_STEP_HASHING:
      return _("Hashing the bundled handler…");
    case DBT_DEPLOY_STEP_KEEPING_PREVIOUS:
      return _("Keeping the running code for a roll back…");
    case DBT_DEPLOY_STEP_UPLOADING:
      return _("Uploading to the code bucket…");
    case DBT_DEPLOY_STEP_UPDATING:
      return _("Updating the function code…");
    case DBT_DEPLOY_STEP_WAITING:
      return _("Waiting for the update to finish…");
    case DBT_DEPLOY_STEP_VERIFYING:
      return _("Verifying the deployed code…");
    case DBT_DEPLOY_STEP_DONE:
      return _("Done");
    default:
      g_return_val_if_reached ("");
    }
}

/* The step's name in "… failed: reason". */
static const char *
step_name (DbtDeployStep step)
{
  switch (step)
    {
    case DBT_DEPLOY_STEP_HASHING:
      return _("Hashing");
    case DBT_DEPLOY_STEP_KEEPING_PREVIOUS:
      return _("Keeping the running code");
    case DBT_DEPLOY_STEP_UPLOADING:
      return _("Uploading");
    case DBT_DEPLOY_STEP_UPDATING:
      return _("Updating");
    case DBT_DEPLOY_STEP_WAITING:
      return _("Waiting");
    case DBT_DEPLOY_STEP_VERIFYING:
      return _("Verifying");
    case DBT_DEPLOY_STEP_DONE:
    default:
      g_return_val_if_reached ("");
    }
}

static void
fail_in_step (GError        **error,
              GError         *local_error,
              DbtDeployStep   step)
{
  /* A cancellation is not a failure of the step. */
  if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* Translators: the first %s is a step ("Uploading"), the second the reason */
    g_prefix_error (&local_error, _("%s failed: "), step_name (step));
  g_propagate_error (error, local_error);
}

DbtCodeRef *
dbt_code_ref_copy (const DbtCodeRef *ref)
{
  DbtCodeRef *copy = g_new0 (DbtCodeRef, 1);

  copy->code_sha256 = g_strdup (ref->code_sha256);
  copy->s3_bucket = g_strdup (ref->s3_bucket);
  copy->s3_key = g_strdup (ref->s3_key);
  copy->zip_file = ref->zip_file != NULL ? g_bytes_ref (ref->zip_file) : NULL;
  return copy;
}

void
dbt_code_ref_free (DbtCodeRef *ref)
{
  if (ref == NULL)
    return;
  g_free (ref->code_sha256);
  g_free (ref->s3_bucket);
  g_free (ref->s3_key);
  g_clear_pointer (&ref->zip_file, g_bytes_unref);
  g_free (ref);
}

void
dbt_deployment_free (DbtDeployment *deployment)
{
  if (deployment == NULL)
    return;
  g_clear_pointer (&deployment->configuration, dbt_function_configuration_free);
  g_free (deployment->code_sha256_hex);
  g_clear_pointer (&deployment->previous, dbt_code_ref_free);
  g_free (deployment->previous_code_sha256);
  g_free (deployment->no_previous_reason);
  g_free (deployment);
}

void
dbt_deploy_status_free (DbtDeployStatus *status)
{
  if (status == NULL)
    return;
  g_clear_pointer (&status->configuration, dbt_function_configuration_free);
  g_clear_error (&status->function_error);
  g_clear_pointer (&status->mappings, g_ptr_array_unref);
  g_clear_error (&status->mappings_error);
  g_clear_pointer (&status->bundled, dbt_bundled_handler_free);
  g_clear_error (&status->bundled_error);
  g_free (status);
}

gboolean
dbt_deploy_status_is_up_to_date (const DbtDeployStatus *status)
{
  return status->configuration != NULL && status->bundled != NULL
         && g_strcmp0 (status->configuration->code_sha256, status->bundled->sha256_base64) == 0;
}

gboolean
dbt_deployer_upload_zip (DbtAwsClient *client,
                         const char   *bucket,
                         GBytes       *zip,
                         const char   *sha256_hex,
                         const char   *sha256_base64,
                         GCancellable *cancellable,
                         GError      **error)
{
  g_autofree char *key = dbt_code_bucket_key_for_sha256 (sha256_hex);
  g_autofree char *etag = NULL;
  const char *const metadata[] = { "codesha256", sha256_base64, NULL };

  etag = dbt_s3_put_object_with_metadata (client, bucket, key, zip, "application/zip", metadata,
                                          cancellable, error);
  return etag != NULL;
}

/* GetFunction's Code.Location: a presigned URL, no signing needed. */
static GBytes *
download_code (const char   *location,
               const char   *expected_sha256,
               GCancellable *cancellable,
               GError      **error)
{
  g_autoptr(DbtHttpConnection) connection = dbt_http_connection_new ();
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  DbtHttpRequest request = {
    .method = "GET",
    .url = location,
    .headers = headers,
    .connect_timeout_ms = DOWNLOAD_CONNECT_TIMEOUT_MS,
    .timeout_ms = DOWNLOAD_TIMEOUT_MS,
  };
  DbtHttpResponse response = { 0 };
  g_autofree char *sha256 = NULL;
  GBytes *body;

  if (!dbt_http_connection_send (connection, &request, &response, cancellable, error))
    return NULL;
  if (response.status != 200 || response.body == NULL)
    {
      g_set_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_FAILED,
                   _("Downloading the running code answered HTTP %u"), response.status);
      dbt_http_response_clear (&response);
      return NULL;
    }
  body = g_bytes_ref (response.body);
  dbt_http_response_clear (&response);

  dbt_code_sha256_compute (body, &sha256, NULL);
  if (g_strcmp0 (sha256, expected_sha256) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The downloaded code has the SHA-256 %s, not the running %s"),
                   sha256, expected_sha256);
      g_bytes_unref (body);
      return NULL;
    }
  return body;
}

/* Makes sure the running code (@function) can be deployed again; NULL with
 * @reason set when it cannot. */
static DbtCodeRef *
keep_running_code (DbtSession   *session,
                   DbtFunction  *function,
                   GCancellable *cancellable,
                   char        **reason,
                   GError      **error)
{
  const char *sha256 = function->configuration->code_sha256;
  g_autofree char *hex = dbt_code_sha256_to_hex_string (sha256);
  g_autoptr(DbtCodeRef) ref = g_new0 (DbtCodeRef, 1);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) zip = NULL;

  ref->code_sha256 = g_strdup (sha256);
  if (hex == NULL)
    {
      *reason = g_strdup_printf (_("The running CodeSha256 “%s” is not a SHA-256"),
                                 sha256 != NULL ? sha256 : "");
      return NULL;
    }

  if (session->code_bucket != NULL)
    {
      g_autoptr(DbtS3ObjectInfo) info = NULL;

      ref->s3_bucket = g_strdup (session->code_bucket);
      ref->s3_key = dbt_code_bucket_key_for_sha256 (hex);
      info = dbt_s3_head_object (session->client, ref->s3_bucket, ref->s3_key, cancellable,
                                 &local_error);
      if (info != NULL)
        return g_steal_pointer (&ref);
      if (!g_error_matches (local_error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_clear_error (&local_error);
    }

  if (function->code_location == NULL)
    {
      *reason = session->code_bucket != NULL
                ? g_strdup (_("The running code is not in the code bucket and Lambda offers no download of it"))
                : g_strdup (_("Lambda offers no download of the running code"));
      return NULL;
    }
  zip = download_code (function->code_location, sha256, cancellable, &local_error);
  if (zip == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      *reason = g_strdup (local_error->message);
      return NULL;
    }

  if (session->code_bucket != NULL)
    {
      if (!dbt_deployer_upload_zip (session->client, session->code_bucket, zip, hex, sha256,
                                    cancellable, error))
        return NULL;
    }
  else
    ref->zip_file = g_steal_pointer (&zip);
  return g_steal_pointer (&ref);
}

static void
report (DbtDeployProgressFunc progress,
        gpointer              progress_data,
        DbtDeployStep         step)
{
  if (progress != NULL)
    progress (step, progress_data);
}

static GError *
no_function_error (DbtSession *session,
                   GError     *cause)
{
  if (g_error_matches (cause, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND))
    /* Translators: %s is a Lambda function name */
    return g_error_new (DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND,
                        _("No function named %s — provision first"), session->function_name);
  return g_error_copy (cause);
}

/* Steps 4 to 6 (see the header): @code becomes the function's code, and
 * the function's CodeSha256 must then be @code->code_sha256. */
static DbtFunctionConfiguration *
update_and_verify (DbtSession           *session,
                   const DbtCodeRef     *code,
                   DbtDeployProgressFunc progress,
                   gpointer              progress_data,
                   GCancellable         *cancellable,
                   GError              **error)
{
  DbtFunctionCode function_code = {
    .zip_file = code->zip_file,
    .s3_bucket = code->zip_file == NULL ? code->s3_bucket : NULL,
    .s3_key = code->zip_file == NULL ? code->s3_key : NULL,
  };
  g_autoptr(DbtFunctionConfiguration) updated = NULL;
  g_autoptr(DbtFunctionConfiguration) settled = NULL;
  g_autoptr(DbtFunctionConfiguration) read_back = NULL;
  GError *local_error = NULL;

  report (progress, progress_data, DBT_DEPLOY_STEP_UPDATING);
  updated = dbt_lambda_update_function_code (session->client, session->function_name,
                                             &function_code, FALSE, cancellable, &local_error);
  if (updated == NULL)
    {
      GError *reworded = no_function_error (session, local_error);

      g_error_free (local_error);
      fail_in_step (error, reworded, DBT_DEPLOY_STEP_UPDATING);
      return NULL;
    }

  report (progress, progress_data, DBT_DEPLOY_STEP_WAITING);
  settled = dbt_lambda_wait_for_update (session->client, session->function_name,
                                        WAIT_INTERVAL_MS, WAIT_TIMEOUT_MS, cancellable, &local_error);
  if (settled == NULL)
    {
      fail_in_step (error, local_error, DBT_DEPLOY_STEP_WAITING);
      return NULL;
    }

  /* Read back afresh: what the function runs now, not what the update
   * call answered. */
  report (progress, progress_data, DBT_DEPLOY_STEP_VERIFYING);
  read_back = dbt_lambda_get_function_configuration (session->client, session->function_name,
                                                     cancellable, &local_error);
  if (read_back == NULL)
    {
      fail_in_step (error, local_error, DBT_DEPLOY_STEP_VERIFYING);
      return NULL;
    }
  if (g_strcmp0 (read_back->code_sha256, code->code_sha256) != 0
      || g_strcmp0 (updated->code_sha256, code->code_sha256) != 0)
    {
      local_error = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 _("The function runs the code %s, not the deployed %s"),
                                 read_back->code_sha256 != NULL ? read_back->code_sha256 : "?",
                                 code->code_sha256);
      fail_in_step (error, local_error, DBT_DEPLOY_STEP_VERIFYING);
      return NULL;
    }
  return g_steal_pointer (&read_back);
}

DbtDeployment *
dbt_deployer_deploy (DbtSession           *session,
                     const char           *zip_path,
                     DbtDeployProgressFunc progress,
                     gpointer              progress_data,
                     GCancellable         *cancellable,
                     GError              **error)
{
  g_autoptr(DbtBundledHandler) zip = NULL;
  g_autoptr(DbtFunction) function = NULL;
  g_autoptr(DbtDeployment) deployment = g_new0 (DbtDeployment, 1);
  g_autoptr(DbtCodeRef) target = g_new0 (DbtCodeRef, 1);
  GError *local_error = NULL;

  g_return_val_if_fail (session != NULL, NULL);
  g_return_val_if_fail (zip_path != NULL, NULL);

  report (progress, progress_data, DBT_DEPLOY_STEP_HASHING);
  zip = dbt_bundled_handler_load (zip_path, cancellable, &local_error);
  if (zip == NULL)
    {
      fail_in_step (error, local_error, DBT_DEPLOY_STEP_HASHING);
      return NULL;
    }
  target->code_sha256 = g_strdup (zip->sha256_base64);
  deployment->code_sha256_hex = g_strdup (zip->sha256_hex);

  report (progress, progress_data, DBT_DEPLOY_STEP_KEEPING_PREVIOUS);
  function = dbt_lambda_get_function (session->client, session->function_name, cancellable,
                                      &local_error);
  if (function == NULL)
    {
      GError *reworded = no_function_error (session, local_error);

      g_error_free (local_error);
      fail_in_step (error, reworded, DBT_DEPLOY_STEP_KEEPING_PREVIOUS);
      return NULL;
    }
  deployment->previous_code_sha256 = g_strdup (function->configuration->code_sha256);
  deployment->unchanged = g_strcmp0 (function->configuration->code_sha256, zip->sha256_base64) == 0;
  if (deployment->unchanged)
    deployment->no_previous_reason = g_strdup (_("The function already ran this code"));
  else
    {
      deployment->previous = keep_running_code (session, function, cancellable,
                                                &deployment->no_previous_reason, &local_error);
      if (deployment->previous == NULL && deployment->no_previous_reason == NULL)
        {
          fail_in_step (error, local_error, DBT_DEPLOY_STEP_KEEPING_PREVIOUS);
          return NULL;
        }
    }

  report (progress, progress_data, DBT_DEPLOY_STEP_UPLOADING);
  if (session->code_bucket != NULL)
    {
      if (!dbt_deployer_upload_zip (session->client, session->code_bucket, zip->bytes,
                                    zip->sha256_hex, zip->sha256_base64, cancellable, &local_error))
        {
          fail_in_step (error, local_error, DBT_DEPLOY_STEP_UPLOADING);
          return NULL;
        }
      target->s3_bucket = g_strdup (session->code_bucket);
      target->s3_key = dbt_code_bucket_key_for_sha256 (zip->sha256_hex);
    }
  else
    target->zip_file = g_bytes_ref (zip->bytes);

  deployment->configuration = update_and_verify (session, target, progress, progress_data,
                                                 cancellable, error);
  if (deployment->configuration == NULL)
    return NULL;

  report (progress, progress_data, DBT_DEPLOY_STEP_DONE);
  return g_steal_pointer (&deployment);
}

DbtDeployment *
dbt_deployer_roll_back (DbtSession           *session,
                        const DbtCodeRef     *previous,
                        DbtDeployProgressFunc progress,
                        gpointer              progress_data,
                        GCancellable         *cancellable,
                        GError              **error)
{
  g_autoptr(DbtDeployment) deployment = g_new0 (DbtDeployment, 1);
  GError *local_error = NULL;

  g_return_val_if_fail (session != NULL, NULL);
  g_return_val_if_fail (previous != NULL && previous->code_sha256 != NULL, NULL);
  g_return_val_if_fail (previous->zip_file != NULL || (previous->s3_bucket != NULL && previous->s3_key != NULL), NULL);

  deployment->code_sha256_hex = dbt_code_sha256_to_hex_string (previous->code_sha256);

  /* The object must still be there: Lambda's error for a missing one is
   * less clear than ours. */
  report (progress, progress_data, DBT_DEPLOY_STEP_UPLOADING);
  if (previous->zip_file == NULL)
    {
      g_autoptr(DbtS3ObjectInfo) info = dbt_s3_head_object (session->client, previous->s3_bucket,
                                                            previous->s3_key, cancellable,
                                                            &local_error);
      if (info == NULL)
        {
          fail_in_step (error, local_error, DBT_DEPLOY_STEP_UPLOADING);
          return NULL;
        }
    }

  deployment->configuration = update_and_verify (session, previous, progress, progress_data,
                                                 cancellable, error);
  if (deployment->configuration == NULL)
    return NULL;

  report (progress, progress_data, DBT_DEPLOY_STEP_DONE);
  return g_steal_pointer (&deployment);
}

/* --- inspecting -------------------------------------------------------- */

static void
inspect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  DbtSession *session = g_object_get_data (G_OBJECT (task), "session");
  const char *zip_path = task_data;
  g_autoptr(DbtDeployStatus) status = g_new0 (DbtDeployStatus, 1);
  g_autoptr(GError) error = NULL;

  status->configuration = dbt_lambda_get_function_configuration (session->client,
                                                                 session->function_name,
                                                                 cancellable, &error);
  if (status->configuration == NULL)
    status->function_error = no_function_error (session, error);
  g_clear_error (&error);

  /* Filtered by ARN: AWS takes a name or an ARN, moto only an ARN. */
  if (status->configuration != NULL)
    status->mappings = dbt_lambda_list_all_event_source_mappings (session->client,
                                                                  status->configuration->function_arn != NULL
                                                                  ? status->configuration->function_arn
                                                                  : session->function_name,
                                                                  NULL,
                                                                  cancellable,
                                                                  &status->mappings_error);
  if (status->mappings == NULL)
    status->mappings = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_event_source_mapping_free);

  status->bundled = dbt_bundled_handler_load (zip_path, cancellable, &status->bundled_error);

  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, g_steal_pointer (&status), (GDestroyNotify) dbt_deploy_status_free);
}

void
dbt_deployer_inspect_async (DbtSession          *session,
                            const char          *zip_path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (session != NULL);
  g_return_if_fail (zip_path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dbt_deployer_inspect_async);
  g_task_set_task_data (task, g_strdup (zip_path), g_free);
  g_object_set_data_full (G_OBJECT (task), "session", dbt_session_ref (session),
                          (GDestroyNotify) dbt_session_unref);
  g_task_run_in_thread (task, inspect_thread);
}

DbtDeployStatus *
dbt_deployer_inspect_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dbt_deployer_inspect_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- deploying and rolling back on a worker thread ---------------------- */

typedef struct
{
  DbtSession           *session;
  char                 *zip_path;     /* deploy */
  DbtCodeRef           *previous;     /* roll back */
  GMainContext         *context;      /* where progress is reported */
  DbtDeployProgressFunc progress;
  gpointer              progress_data;
  GDestroyNotify        progress_data_free;
} DeployData;

static void
deploy_data_free (DeployData *data)
{
  g_clear_pointer (&data->session, dbt_session_unref);
  g_free (data->zip_path);
  g_clear_pointer (&data->previous, dbt_code_ref_free);
  g_clear_pointer (&data->context, g_main_context_unref);
  if (data->progress_data_free != NULL)
    data->progress_data_free (data->progress_data);
  g_free (data);
}

typedef struct
{
  GTask         *task;   /* keeps the progress function's data alive */
  DbtDeployStep  step;
} ProgressReport;

static gboolean
deliver_progress (gpointer user_data)
{
  ProgressReport *report_ = user_data;
  DeployData *data = g_task_get_task_data (report_->task);

  data->progress (report_->step, data->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_report_free (ProgressReport *report_)
{
  g_object_unref (report_->task);
  g_free (report_);
}

/* On the worker: hand the step to the caller's context. Reports queue up
 * before the task's result, so they arrive first and in order. */
static void
forward_progress (DbtDeployStep step,
                  gpointer      user_data)
{
  GTask *task = user_data;
  DeployData *data = g_task_get_task_data (task);
  ProgressReport *report_ = g_new0 (ProgressReport, 1);

  report_->task = g_object_ref (task);
  report_->step = step;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, deliver_progress, report_,
                              (GDestroyNotify) progress_report_free);
}

static void
deploy_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DeployData *data = task_data;
  GError *error = NULL;
  DbtDeployment *deployment;
  DbtDeployProgressFunc progress = data->progress != NULL ? forward_progress : NULL;

  if (data->previous != NULL)
    deployment = dbt_deployer_roll_back (data->session, data->previous, progress, task,
                                         cancellable, &error);
  else
    deployment = dbt_deployer_deploy (data->session, data->zip_path, progress, task,
                                      cancellable, &error);
  if (deployment == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, deployment, (GDestroyNotify) dbt_deployment_free);
}

static void
start_deploy_task (DbtSession           *session,
                   const char           *zip_path,
                   const DbtCodeRef     *previous,
                   gpointer              source_tag,
                   DbtDeployProgressFunc progress,
                   gpointer              progress_data,
                   GDestroyNotify        progress_data_free,
                   GCancellable         *cancellable,
                   GAsyncReadyCallback   callback,
                   gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  DeployData *data = g_new0 (DeployData, 1);

  data->session = dbt_session_ref (session);
  data->zip_path = g_strdup (zip_path);
  data->previous = previous != NULL ? dbt_code_ref_copy (previous) : NULL;
  data->context = g_main_context_ref_thread_default ();
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_data_free = progress_data_free;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) deploy_data_free);
  g_task_run_in_thread (task, deploy_thread);
}

void
dbt_deployer_deploy_async (DbtSession           *session,
                           const char           *zip_path,
                           DbtDeployProgressFunc progress,
                           gpointer              progress_data,
                           GDestroyNotify        progress_data_free,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  g_return_if_fail (session != NULL);
  g_return_if_fail (zip_path != NULL);

  start_deploy_task (session, zip_path, NULL, dbt_deployer_deploy_async, progress, progress_data,
                     progress_data_free, cancellable, callback, user_data);
}

DbtDeployment *
dbt_deployer_deploy_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dbt_deployer_deploy_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dbt_deployer_roll_back_async (DbtSession           *session,
                              const DbtCodeRef     *previous,
                              DbtDeployProgressFunc progress,
                              gpointer              progress_data,
                              GDestroyNotify        progress_data_free,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data)
{
  g_return_if_fail (session != NULL);
  g_return_if_fail (previous != NULL);

  start_deploy_task (session, NULL, previous, dbt_deployer_roll_back_async, progress,
                     progress_data, progress_data_free, cancellable, callback, user_data);
}

DbtDeployment *
dbt_deployer_roll_back_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dbt_deployer_roll_back_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
