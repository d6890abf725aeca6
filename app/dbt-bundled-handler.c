/* dbt-bundled-handler.c — finding and hashing the bundled handler zip. */
#include "dbt-config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dbt-bundled-handler.h"

#define SHA256_BYTES 32

char *
dbt_bundled_handler_dup_path (void)
{
  const char *from_env = g_getenv ("DBT_HANDLER_ZIP");

  if (from_env != NULL && *from_env != '\0')
    return g_strdup (from_env);
#ifdef DBT_BUILD_HANDLER_ZIP
  if (g_file_test (DBT_BUILD_HANDLER_ZIP, G_FILE_TEST_IS_REGULAR))
    return g_strdup (DBT_BUILD_HANDLER_ZIP);
#endif
  return g_strdup (DBT_INSTALLED_HANDLER_ZIP);
}

void
dbt_code_sha256_compute (GBytes  *bytes,
                         char   **base64,
                         char   **hex)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[SHA256_BYTES];
  gsize digest_len = sizeof digest;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  g_checksum_update (checksum, data, size);
  if (hex != NULL)
    *hex = g_strdup (g_checksum_get_string (checksum));
  g_checksum_get_digest (checksum, digest, &digest_len);
  if (base64 != NULL)
    *base64 = g_base64_encode (digest, digest_len);
}

char *
dbt_code_sha256_to_hex_string (const char *code_sha256)
{
  g_autofree guchar *digest = NULL;
  gsize len = 0;
  GString *hex;

  if (code_sha256 == NULL || *code_sha256 == '\0')
    return NULL;
  digest = g_base64_decode (code_sha256, &len);
  if (len != SHA256_BYTES)
    return NULL;
  hex = g_string_sized_new (2 * SHA256_BYTES);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", digest[i]);
  return g_string_free (hex, FALSE);
}

char *
dbt_code_bucket_key_for_sha256 (const char *sha256_hex)
{
  return g_strconcat ("dbtrigger-handler/", sha256_hex, ".zip", NULL);
}

DbtBundledHandler *
dbt_bundled_handler_new_for_bytes (const char *path,
                                   GBytes     *bytes)
{
  DbtBundledHandler *handler = g_new0 (DbtBundledHandler, 1);

  handler->path = g_strdup (path);
  handler->bytes = g_bytes_ref (bytes);
  dbt_code_sha256_compute (bytes, &handler->sha256_base64, &handler->sha256_hex);
  return handler;
}

DbtBundledHandler *
dbt_bundled_handler_load (const char    *path,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  bytes = g_file_load_bytes (file, cancellable, NULL, &local_error);
  if (bytes == NULL)
    {
      /* GIO's message names the file and the reason; make sure of the file. */
      if (strstr (local_error->message, path) == NULL)
        g_prefix_error (&local_error, "%s: ", path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  /* Every zip starts with a local file header ("PK\3\4"); Lambda refuses
   * anything else only after the upload. */
  if (g_bytes_get_size (bytes) < 4 || memcmp (g_bytes_get_data (bytes, NULL), "PK\3\4", 4) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s is a file path */
                   _("The bundled handler %s is not a zip file"), path);
      return NULL;
    }
  return dbt_bundled_handler_new_for_bytes (path, bytes);
}

void
dbt_bundled_handler_free (DbtBundledHandler *handler)
{
  if (handler == NULL)
    return;
  g_free (handler->path);
  g_clear_pointer (&handler->bytes, g_bytes_unref);
  g_free (handler->sha256_hex);
  g_free (handler->sha256_base64);
  g_free (handler);
}
