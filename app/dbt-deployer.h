/* dbt-deployer.h — what the handler function runs, deploying the bundled
 * handler zip, and rolling back to the code it replaced.
 *
 * Deploying, step by step:
 *   1. hashing: read the zip and compute its SHA-256;
 *   2. keeping the running code, so it can be restored (the rollback point,
 *      below);
 *   3. uploading: with a code bucket (the local stack's Terraform output
 *      "code_bucket"), PutObject at "dbtrigger-handler/<hex>.zip" with the
 *      metadata codesha256 = <base64>, as terraform/code.tf does — the local
 *      runner finds the code a function runs there by its CodeSha256.
 *      Without a bucket nothing is uploaded;
 *   4. updating: UpdateFunctionCode from S3Bucket/S3Key, or with the zip
 *      itself (ZipFile) when there is no bucket;
 *   5. waiting until LastUpdateStatus leaves "InProgress";
 *   6. verifying that the function's CodeSha256 is the zip's.
 *
 * The rollback point. Before the code changes, the deployer makes sure the
 * running code can be had again:
 *   - with a code bucket, it is the object under the running CodeSha256's
 *     key. Terraform and earlier deploys put it there; when it is missing
 *     (code deployed by other means) it is downloaded from GetFunction's
 *     Code.Location and uploaded there first;
 *   - without one (AWS, deployed from a zip), the zip is downloaded from
 *     Code.Location (a presigned URL, valid 10 minutes) and kept in memory;
 *     rolling back sends it as ZipFile.
 * A downloaded zip must hash to the running CodeSha256, or it is not kept.
 * When the running code cannot be had again the deploy still goes ahead,
 * and the outcome says why no rollback point was kept.
 * Published versions are not used: UpdateFunctionCode cannot take its code
 * from a version, and the stream mapping invokes $LATEST.
 *
 * Rolling back runs steps 3 (zip form only: nothing to upload) to 6 with
 * the rollback point's code and CodeSha256.
 *
 * Everything here runs on a worker thread (GTask); progress is reported on
 * the thread-default main context of the caller.
 */
#pragma once

#include <gio/gio.h>

#include "dbt-bundled-handler.h"
#include "dbt-lambda.h"
#include "dbt-session.h"

G_BEGIN_DECLS

typedef enum
{
  DBT_DEPLOY_STEP_HASHING,
  DBT_DEPLOY_STEP_KEEPING_PREVIOUS,
  DBT_DEPLOY_STEP_UPLOADING,
  DBT_DEPLOY_STEP_UPDATING,
  DBT_DEPLOY_STEP_WAITING,
  DBT_DEPLOY_STEP_VERIFYING,
  DBT_DEPLOY_STEP_DONE,
} DbtDeployStep;

#define DBT_DEPLOY_N_STEPS (DBT_DEPLOY_STEP_DONE)

/* What a step is doing, for people ("Uploading to the code bucket…"). */
const char *dbt_deploy_step_describe (DbtDeployStep step);

/* Code that can be deployed again. */
typedef struct
{
  char   *code_sha256;   /* base64, as Lambda reports it */
  char   *s3_bucket;     /* the code lives at s3_bucket/s3_key... */
  char   *s3_key;
  GBytes *zip_file;      /* ...or in memory */
} DbtCodeRef;

DbtCodeRef *dbt_code_ref_copy (const DbtCodeRef *ref);
void        dbt_code_ref_free (DbtCodeRef *ref);

typedef struct
{
  DbtFunctionConfiguration *configuration;    /* after the update, verified */
  char                     *code_sha256_hex;  /* of the deployed code */
  DbtCodeRef               *previous;         /* the code replaced, or NULL */
  char                     *previous_code_sha256;  /* base64; set even when previous is NULL */
  char                     *no_previous_reason;    /* why previous is NULL, or NULL */
  gboolean                  unchanged;        /* the function already ran this code */
} DbtDeployment;

void dbt_deployment_free (DbtDeployment *deployment);

/* What the Deploy page shows. */
typedef struct
{
  DbtFunctionConfiguration *configuration;    /* NULL when function_error is set */
  GError                   *function_error;   /* DBT_AWS_ERROR_NOT_FOUND: no such function */
  GPtrArray                *mappings;         /* DbtEventSourceMapping*; empty when none */
  GError                   *mappings_error;
  DbtBundledHandler        *bundled;          /* NULL when bundled_error is set */
  GError                   *bundled_error;
} DbtDeployStatus;

void dbt_deploy_status_free (DbtDeployStatus *status);
/* TRUE when the function runs the bundled zip. */
gboolean dbt_deploy_status_is_up_to_date (const DbtDeployStatus *status);

/* Called on the caller's main context, in step order. */
typedef void (*DbtDeployProgressFunc) (DbtDeployStep step,
                                       gpointer      user_data);

/* GetFunctionConfiguration, ListEventSourceMappings and the bundled zip at
 * @zip_path, read and hashed. Fails only when cancelled: each part carries
 * its own error. */
void             dbt_deployer_inspect_async   (DbtSession           *session,
                                               const char           *zip_path,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
DbtDeployStatus *dbt_deployer_inspect_finish  (GAsyncResult         *result,
                                               GError              **error);

/* Deploys the zip at @zip_path to session->function_name (see above).
 * Errors name the step that failed. @progress may be NULL. */
void             dbt_deployer_deploy_async    (DbtSession           *session,
                                               const char           *zip_path,
                                               DbtDeployProgressFunc progress,
                                               gpointer              progress_data,
                                               GDestroyNotify        progress_data_free,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
DbtDeployment   *dbt_deployer_deploy_finish   (GAsyncResult         *result,
                                               GError              **error);

/* Restores @previous (from an earlier deployment) and verifies its sha. */
void             dbt_deployer_roll_back_async (DbtSession           *session,
                                               const DbtCodeRef     *previous,
                                               DbtDeployProgressFunc progress,
                                               gpointer              progress_data,
                                               GDestroyNotify        progress_data_free,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
DbtDeployment   *dbt_deployer_roll_back_finish (GAsyncResult        *result,
                                                GError             **error);

/* The blocking forms, for worker threads and tests; @progress is called on
 * the calling thread. */
DbtDeployment   *dbt_deployer_deploy          (DbtSession           *session,
                                               const char           *zip_path,
                                               DbtDeployProgressFunc progress,
                                               gpointer              progress_data,
                                               GCancellable         *cancellable,
                                               GError              **error);
DbtDeployment   *dbt_deployer_roll_back       (DbtSession           *session,
                                               const DbtCodeRef     *previous,
                                               DbtDeployProgressFunc progress,
                                               gpointer              progress_data,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* PutObject of a handler zip under its sha key with the codesha256
 * metadata, as terraform/code.tf uploads it. */
gboolean         dbt_deployer_upload_zip      (DbtAwsClient         *client,
                                               const char           *bucket,
                                               GBytes               *zip,
                                               const char           *sha256_hex,
                                               const char           *sha256_base64,
                                               GCancellable         *cancellable,
                                               GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtCodeRef, dbt_code_ref_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtDeployment, dbt_deployment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtDeployStatus, dbt_deploy_status_free)

G_END_DECLS
