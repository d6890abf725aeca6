/* dbt-code-cache.h — the deployed code of a function, by its CodeSha256.
 *
 * Lambda reports CodeSha256 as base64 of the zip's SHA-256. The zips live
 * in the stack's code bucket under "dbtrigger-handler/<hex sha256>.zip"
 * (terraform/code.tf; the console deploys there too). A zip is fetched
 * once, checked against the sha, and unzipped (Debian's unzip, which keeps
 * the files' modes) into CACHE/<hex>/, which is filled under a temporary
 * name and renamed into place, so a folder under its final name is always
 * complete.
 */
#pragma once

#include <gio/gio.h>
#include "dbt-aws-client.h"

G_BEGIN_DECLS

/* "dbtrigger-handler/" */
#define DBT_CODE_KEY_PREFIX "dbtrigger-handler/"

/* The lowercase hex of a base64 SHA-256, or NULL (DBT_AWS_ERROR_INVALID_INPUT)
 * when @code_sha256 is not base64 of 32 bytes. */
char *dbt_code_sha256_to_hex (const char *code_sha256,
                              GError    **error);

/* The folder holding the unzipped code: CACHE/<hex>, fetched from @bucket
 * when not there yet. Errors: the object is missing (DBT_AWS_ERROR_NOT_FOUND),
 * its bytes do not match the sha (DBT_AWS_ERROR_INVALID_INPUT), unzip failed. */
char *dbt_code_cache_resolve (DbtAwsClient *client,
                              const char   *bucket,
                              const char   *code_sha256,
                              const char   *cache_dir,
                              GCancellable *cancellable,
                              GError      **error);

G_END_DECLS
