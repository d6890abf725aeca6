/* dbt-code-cache.c — fetch, verify and unzip deployed code. */
#include "dbt-code-cache.h"

#include <glib/gstdio.h>
#include "dbt-error.h"
#include "dbt-s3.h"

char *
dbt_code_sha256_to_hex (const char *code_sha256,
                        GError    **error)
{
  g_autofree guchar *digest = NULL;
  gsize len = 0;
  GString *hex;

  if (code_sha256 != NULL && *code_sha256 != '\0')
    digest = g_base64_decode (code_sha256, &len);
  if (len != 32)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "CodeSha256 “%s” is not base64 of a SHA-256",
                         code_sha256 != NULL ? code_sha256 : "");
      return NULL;
    }
  hex = g_string_sized_new (64);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", digest[i]);
  return g_string_free (hex, FALSE);
}

static gboolean
unzip_into (const char *zip_path,
            const char *dir,
            GError    **error)
{
  const char *argv[] = { "unzip", "-q", "-o", zip_path, "-d", dir, NULL };
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "unzip %s failed: %s",
                   zip_path, err != NULL ? g_strstrip (err) : "");
      return FALSE;
    }
  return TRUE;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
        {
          g_autofree char *child_path = g_file_get_path (child);

          if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
            remove_tree (child_path);
          else
            g_unlink (child_path);
        }
    }
  g_rmdir (path);
}

char *
dbt_code_cache_resolve (DbtAwsClient *client,
                        const char   *bucket,
                        const char   *code_sha256,
                        const char   *cache_dir,
                        GCancellable *cancellable,
                        GError      **error)
{
  g_autofree char *hex = dbt_code_sha256_to_hex (code_sha256, error);
  g_autofree char *dir = NULL;
  g_autofree char *key = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *zip_path = NULL;
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(GError) local_error = NULL;

  if (hex == NULL)
    return NULL;
  dir = g_build_filename (cache_dir, hex, NULL);
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&dir);

  key = g_strconcat (DBT_CODE_KEY_PREFIX, hex, ".zip", NULL);
  zip = dbt_s3_get_object (client, bucket, key, cancellable, &local_error);
  if (zip == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "code s3://%s/%s (CodeSha256 %s): ", bucket, key, code_sha256);
      return NULL;
    }
  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, zip);
  if (g_strcmp0 (actual, hex) != 0)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "code s3://%s/%s has SHA-256 %s, not the function's %s",
                         bucket, key, actual, hex);
      return NULL;
    }

  if (g_mkdir_with_parents (cache_dir, 0755) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "cannot create %s", cache_dir);
      return NULL;
    }
  tmp_dir = g_build_filename (cache_dir, ".unzip-XXXXXX", NULL);
  if (g_mkdtemp (tmp_dir) == NULL)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "cannot create %s", tmp_dir);
      return NULL;
    }
  zip_path = g_strconcat (tmp_dir, ".zip", NULL);
  if (!g_file_set_contents (zip_path, g_bytes_get_data (zip, NULL), g_bytes_get_size (zip), error) ||
      !unzip_into (zip_path, tmp_dir, error))
    {
      g_unlink (zip_path);
      remove_tree (tmp_dir);
      return NULL;
    }
  g_unlink (zip_path);
  if (g_rename (tmp_dir, dir) != 0)
    {
      /* Another thread got there first: its copy is as good. */
      remove_tree (tmp_dir);
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot move code into %s", dir);
          return NULL;
        }
    }
  return g_steal_pointer (&dir);
}
