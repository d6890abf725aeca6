/* dbt-s3.c — typed S3 calls over REST-XML, path-style. */
#include "dbt-s3.h"

#include <string.h>
#include "dbt-service-private.h"

#define MAX_KEY_BYTES 1024
#define METADATA_PREFIX "x-amz-meta-"
/* RFC 9110's token characters. */
#define METADATA_NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" \
                            "!#$%&'*+-.^_`|~"

static GBytes *
s3_call (DbtAwsClient *client,
         const char   *op,
         const char   *bucket,
         const char   *key,
         const char   *method,
         const char   *query,
         GPtrArray    *headers,
         GBytes       *body,
         GPtrArray   **response_headers,
         GCancellable *cancellable,
         GError      **error)
{
  g_autofree char *escaped_bucket = dbt_uri_escape_segment (bucket);
  g_autofree char *escaped_key = key != NULL ? dbt_uri_escape_path (key) : NULL;
  g_autofree char *path = NULL;
  GError *local_error = NULL;
  GBytes *response;

  path = escaped_key != NULL ? g_strconcat ("/", escaped_bucket, "/", escaped_key, NULL)
                             : g_strconcat ("/", escaped_bucket, NULL);
  response = dbt_aws_client_call_rest (client, DBT_SERVICE_S3, method, path, query, headers,
                                       body, response_headers, cancellable, &local_error);
  if (response == NULL)
    {
      if (key != NULL)
        g_prefix_error (&local_error, "%s on “%s/%s”: ", op, bucket, key);
      else
        g_prefix_error (&local_error, "%s on bucket “%s”: ", op, bucket);
      g_propagate_error (error, local_error);
    }
  return response;
}

/* S3's bucket naming rules, the part that matters for a path-style URL:
 * 3 to 63 of a-z 0-9 . -, starting and ending with a letter or digit. */
static gboolean
check_bucket (const char *bucket,
              GError    **error)
{
  gsize len = bucket != NULL ? strlen (bucket) : 0;
  gboolean valid = len >= 3 && len <= 63
                   && g_ascii_isalnum (bucket[0]) && g_ascii_isalnum (bucket[len - 1]);

  for (gsize i = 0; valid && i < len; i++)
    valid = g_ascii_isdigit (bucket[i]) || g_ascii_islower (bucket[i])
            || bucket[i] == '.' || bucket[i] == '-';
  if (!valid)
    dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                       "“%s” is not a valid bucket name (3 to 63 of a-z 0-9 . -)",
                       bucket != NULL ? bucket : "");
  return valid;
}

static gboolean
check_key (const char *key,
           GError    **error)
{
  if (!dbt_require_string (key, "The object key", error))
    return FALSE;
  if (strlen (key) > MAX_KEY_BYTES || !g_utf8_validate (key, -1, NULL))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "The object key must be UTF-8 of at most %d bytes", MAX_KEY_BYTES);
      return FALSE;
    }
  return TRUE;
}

gboolean
dbt_s3_create_bucket (DbtAwsClient *client,
                      const char   *bucket,
                      GCancellable *cancellable,
                      GError      **error)
{
  const char *region;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();

  g_return_val_if_fail (client != NULL, FALSE);

  if (!check_bucket (bucket, error))
    return FALSE;

  /* us-east-1 is the default location and S3 refuses it spelled out. */
  region = dbt_aws_client_get_config (client)->region;
  if (region != NULL && !g_str_equal (region, "us-east-1"))
    {
      g_autofree char *escaped = g_markup_escape_text (region, -1);
      char *xml = g_strdup_printf ("<CreateBucketConfiguration"
                                   " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                                   "<LocationConstraint>%s</LocationConstraint>"
                                   "</CreateBucketConfiguration>", escaped);

      body = g_bytes_new_take (xml, strlen (xml));
      dbt_http_headers_add (headers, "Content-Type", "application/xml");
    }

  response = s3_call (client, "CreateBucket", bucket, NULL, "PUT", NULL, headers, body, NULL,
                      cancellable, error);
  return response != NULL;
}

/* Each pair becomes a header line as it is: a name outside the token
 * characters or a value with a control character (CR, LF) would break the
 * request, and S3 takes only ASCII in a header. */
static gboolean
add_metadata_headers (GPtrArray         *headers,
                      const char *const *metadata,
                      GError           **error)
{
  if (!dbt_require_pairs (metadata, "The object metadata", error))
    return FALSE;
  for (gsize i = 0; metadata != NULL && metadata[i] != NULL; i += 2)
    {
      const char *name = metadata[i];
      const char *value = metadata[i + 1];
      g_autofree char *header = NULL;
      gboolean valid = name[0] != '\0'
                       && strspn (name, METADATA_NAME_CHARS) == strlen (name);

      for (const char *c = value; valid && *c != '\0'; c++)
        valid = *c >= 0x20 && *c < 0x7f;
      if (!valid)
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                             "The object metadata “%s” needs a name of letters, digits"
                             " and !#$%%&'*+-.^_`|~ and a printable ASCII value", name);
          return FALSE;
        }
      header = g_strconcat (METADATA_PREFIX, name, NULL);
      dbt_http_headers_add (headers, header, value);
    }
  return TRUE;
}

char *
dbt_s3_put_object (DbtAwsClient *client,
                   const char   *bucket,
                   const char   *key,
                   GBytes       *body,
                   const char   *content_type,
                   GCancellable *cancellable,
                   GError      **error)
{
  return dbt_s3_put_object_with_metadata (client, bucket, key, body, content_type, NULL,
                                          cancellable, error);
}

char *
dbt_s3_put_object_with_metadata (DbtAwsClient      *client,
                                 const char        *bucket,
                                 const char        *key,
                                 GBytes            *body,
                                 const char        *content_type,
                                 const char *const *metadata,
                                 GCancellable      *cancellable,
                                 GError           **error)
{
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  g_autoptr(GPtrArray) response_headers = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GBytes) empty = NULL;
  const char *etag;

  g_return_val_if_fail (client != NULL, NULL);

  if (!check_bucket (bucket, error) || !check_key (key, error))
    return NULL;
  if (body == NULL)
    body = empty = g_bytes_new_static ("", 0);

  dbt_http_headers_add (headers, "Content-Type",
                        content_type != NULL ? content_type : "application/octet-stream");
  if (!add_metadata_headers (headers, metadata, error))
    {
      g_prefix_error (error, "PutObject on “%s/%s”: ", bucket, key);
      return NULL;
    }
  response = s3_call (client, "PutObject", bucket, key, "PUT", NULL, headers, body,
                      &response_headers, cancellable, error);
  if (response == NULL)
    return NULL;

  etag = response_headers != NULL ? dbt_http_headers_get (response_headers, "ETag") : NULL;
  if (etag == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                         "PutObject on “%s/%s”: no ETag in the response", bucket, key);
      return NULL;
    }
  return g_strdup (etag);
}

GBytes *
dbt_s3_get_object (DbtAwsClient *client,
                   const char   *bucket,
                   const char   *key,
                   GCancellable *cancellable,
                   GError      **error)
{
  g_return_val_if_fail (client != NULL, NULL);

  if (!check_bucket (bucket, error) || !check_key (key, error))
    return NULL;
  return s3_call (client, "GetObject", bucket, key, "GET", NULL, NULL, NULL, NULL,
                  cancellable, error);
}

gboolean
dbt_s3_delete_object (DbtAwsClient *client,
                      const char   *bucket,
                      const char   *key,
                      GCancellable *cancellable,
                      GError      **error)
{
  g_autoptr(GBytes) response = NULL;

  g_return_val_if_fail (client != NULL, FALSE);

  if (!check_bucket (bucket, error) || !check_key (key, error))
    return FALSE;
  response = s3_call (client, "DeleteObject", bucket, key, "DELETE", NULL, NULL, NULL, NULL,
                      cancellable, error);
  return response != NULL;
}

void
dbt_s3_object_info_free (DbtS3ObjectInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->content_type);
  g_free (info->etag);
  g_free (info->last_modified);
  g_clear_pointer (&info->metadata, g_hash_table_unref);
  g_free (info);
}

DbtS3ObjectInfo *
dbt_s3_head_object (DbtAwsClient *client,
                    const char   *bucket,
                    const char   *key,
                    GCancellable *cancellable,
                    GError      **error)
{
  g_autoptr(GPtrArray) response_headers = NULL;
  g_autoptr(GBytes) response = NULL;
  DbtS3ObjectInfo *info;
  const char *length;

  g_return_val_if_fail (client != NULL, NULL);

  if (!check_bucket (bucket, error) || !check_key (key, error))
    return NULL;
  response = s3_call (client, "HeadObject", bucket, key, "HEAD", NULL, NULL, NULL,
                      &response_headers, cancellable, error);
  if (response == NULL)
    return NULL;

  length = response_headers != NULL ? dbt_http_headers_get (response_headers, "Content-Length")
                                     : NULL;
  if (length == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                         "HeadObject on “%s/%s”: no Content-Length in the response",
                         bucket, key);
      return NULL;
    }

  info = g_new0 (DbtS3ObjectInfo, 1);
  info->content_length = g_ascii_strtoll (length, NULL, 10);
  info->content_type = g_strdup (dbt_http_headers_get (response_headers, "Content-Type"));
  info->etag = g_strdup (dbt_http_headers_get (response_headers, "ETag"));
  info->last_modified = g_strdup (dbt_http_headers_get (response_headers, "Last-Modified"));
  info->metadata = dbt_string_table_new ();
  for (guint i = 0; i < response_headers->len; i++)
    {
      const DbtHttpHeader *header = g_ptr_array_index (response_headers, i);
      const gsize prefix_length = strlen (METADATA_PREFIX);

      if (g_ascii_strncasecmp (header->name, METADATA_PREFIX, prefix_length) == 0)
        g_hash_table_replace (info->metadata, g_ascii_strdown (header->name + prefix_length, -1),
                              g_strdup (header->value != NULL ? header->value : ""));
    }
  return info;
}

static void
object_free (DbtS3Object *object)
{
  g_free (object->key);
  g_free (object->etag);
  g_free (object->last_modified);
  g_free (object);
}

void
dbt_s3_object_list_free (DbtS3ObjectList *list)
{
  if (list == NULL)
    return;
  g_clear_pointer (&list->objects, g_ptr_array_unref);
  g_free (list->next_continuation_token);
  g_free (list);
}

DbtS3ObjectList *
dbt_s3_list_objects (DbtAwsClient *client,
                     const char   *bucket,
                     const char   *prefix,
                     const char   *continuation_token,
                     guint         max_keys,
                     GCancellable *cancellable,
                     GError      **error)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(DbtXmlNode) root = NULL;
  g_autoptr(GPtrArray) contents = NULL;
  g_autoptr(DbtS3ObjectList) list = NULL;
  g_autofree char *max_keys_text = NULL;
  const char *data;
  const char *token;
  gsize length;

  g_return_val_if_fail (client != NULL, NULL);

  if (!check_bucket (bucket, error))
    return NULL;

  if (max_keys > 0)
    max_keys_text = g_strdup_printf ("%u", max_keys);
  dbt_query_string_append (query, "continuation-token", continuation_token);
  dbt_query_string_append (query, "list-type", "2");
  dbt_query_string_append (query, "max-keys", max_keys_text);
  dbt_query_string_append (query, "prefix", prefix);

  response = s3_call (client, "ListObjectsV2", bucket, NULL, "GET", query->str, NULL, NULL,
                      NULL, cancellable, error);
  if (response == NULL)
    return NULL;
  data = g_bytes_get_data (response, &length);
  root = dbt_xml_parse (data, (gssize) length, error);
  if (root == NULL)
    {
      g_prefix_error (error, "ListObjectsV2 on bucket “%s”: ", bucket);
      return NULL;
    }

  list = g_new0 (DbtS3ObjectList, 1);
  list->objects = g_ptr_array_new_with_free_func ((GDestroyNotify) object_free);
  contents = dbt_xml_find_all (root, NULL, "Contents");
  for (guint i = 0; i < contents->len; i++)
    {
      DbtXmlNode *node = g_ptr_array_index (contents, i);
      const char *size = dbt_xml_find_text (node, "Size");
      DbtS3Object *object;

      if (dbt_xml_find_text (node, "Key") == NULL)
        continue;
      object = g_new0 (DbtS3Object, 1);
      object->key = g_strdup (dbt_xml_find_text (node, "Key"));
      object->size = size != NULL ? g_ascii_strtoll (size, NULL, 10) : 0;
      object->etag = g_strdup (dbt_xml_find_text (node, "ETag"));
      object->last_modified = g_strdup (dbt_xml_find_text (node, "LastModified"));
      g_ptr_array_add (list->objects, object);
    }

  token = dbt_xml_find_text (root, "NextContinuationToken");
  if (g_strcmp0 (dbt_xml_find_text (root, "IsTruncated"), "true") == 0
      && token != NULL && token[0] != '\0')
    list->next_continuation_token = g_strdup (token);
  return g_steal_pointer (&list);
}
