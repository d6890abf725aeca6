/* dbt-bundled-handler.h — the handler zip that ships with the console.
 *
 * Where it is, in this order:
 *   1. $DBT_HANDLER_ZIP, when set (also when the file is missing: the user
 *      asked for that file, and is told it cannot be read);
 *   2. the zip of the build tree the console was built in
 *      (<builddir>/handler/dbtrigger-handler.zip), when it exists;
 *   3. the installed copy, <datadir>/dbtrigger/dbtrigger-handler.zip.
 *
 * Its identity is the SHA-256 of the zip's bytes, as Lambda reports it
 * (CodeSha256: base64) and as the code bucket names it
 * ("dbtrigger-handler/<hex>.zip").
 *
 * Loading reads the whole file: call it from a worker thread.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char   *path;
  GBytes *bytes;
  char   *sha256_hex;
  char   *sha256_base64;
} DbtBundledHandler;

/* The path the console uses (see above). */
char              *dbt_bundled_handler_dup_path   (void);

/* Reads and hashes the zip at @path. The error names the path and why it
 * cannot be read. */
DbtBundledHandler *dbt_bundled_handler_load       (const char    *path,
                                                   GCancellable  *cancellable,
                                                   GError       **error);
/* The same for bytes already in memory; @path only names them. */
DbtBundledHandler *dbt_bundled_handler_new_for_bytes (const char *path,
                                                      GBytes     *bytes);
void               dbt_bundled_handler_free       (DbtBundledHandler *handler);

/* SHA-256 of @bytes as Lambda's CodeSha256 (base64) and as hex. */
void               dbt_code_sha256_compute        (GBytes  *bytes,
                                                   char   **base64,
                                                   char   **hex);
/* A CodeSha256 (base64) as lowercase hex, or NULL when it is not base64
 * of 32 bytes. */
char              *dbt_code_sha256_to_hex_string  (const char *code_sha256);

/* The code bucket's key for a zip with this hex SHA-256:
 * "dbtrigger-handler/<hex>.zip", as terraform/code.tf names it. */
char              *dbt_code_bucket_key_for_sha256 (const char *sha256_hex);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtBundledHandler, dbt_bundled_handler_free)

G_END_DECLS
