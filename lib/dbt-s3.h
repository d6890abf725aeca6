/* dbt-s3.h — typed S3 calls (REST-XML, path-style addressing) for the code
 * bucket: deployment zips are uploaded here and Lambda reads them from here.
 *
 * Requests go to "<endpoint>/<bucket>/<key>"; keys are percent-encoded
 * segment by segment, '/' kept. Bodies are held in memory (zips of a few
 * MB), no multipart upload.
 */
#pragma once

#include <gio/gio.h>
#include "dbt-aws-client.h"

G_BEGIN_DECLS

/* CreateBucket in the client's region (a LocationConstraint is sent for
 * every region but us-east-1, as S3 requires). */
gboolean dbt_s3_create_bucket (DbtAwsClient *client,
                               const char   *bucket,
                               GCancellable *cancellable,
                               GError      **error);

/* PutObject; returns the ETag as S3 sent it (quotes included). */
char    *dbt_s3_put_object    (DbtAwsClient *client,
                               const char   *bucket,
                               const char   *key,
                               GBytes       *body,
                               const char   *content_type,   /* NULL: application/octet-stream */
                               GCancellable *cancellable,
                               GError      **error);

/* PutObject with user metadata: @metadata is NULL or NULL-terminated
 * name, value pairs, sent as "x-amz-meta-<name>: <value>" headers. Names
 * are HTTP header tokens (S3 keeps them lowercase), values printable
 * ASCII; anything else is DBT_AWS_ERROR_INVALID_INPUT before sending.
 * dbt_s3_put_object() is this with no metadata. */
char    *dbt_s3_put_object_with_metadata (DbtAwsClient      *client,
                                          const char        *bucket,
                                          const char        *key,
                                          GBytes            *body,
                                          const char        *content_type,
                                          const char *const *metadata,
                                          GCancellable      *cancellable,
                                          GError           **error);

/* GetObject: the whole object. DBT_AWS_ERROR_NOT_FOUND when absent. */
GBytes  *dbt_s3_get_object    (DbtAwsClient *client,
                               const char   *bucket,
                               const char   *key,
                               GCancellable *cancellable,
                               GError      **error);

gboolean dbt_s3_delete_object (DbtAwsClient *client,
                               const char   *bucket,
                               const char   *key,
                               GCancellable *cancellable,
                               GError      **error);

typedef struct
{
  gint64  content_length;
  char   *content_type;    /* NULL when not reported */
  char   *etag;            /* quotes included */
  char   *last_modified;   /* HTTP date as S3 sent it */
  /* User metadata: lowercase name without "x-amz-meta-" → value; empty,
   * never NULL, when the object has none. */
  GHashTable *metadata;
} DbtS3ObjectInfo;

void dbt_s3_object_info_free (DbtS3ObjectInfo *info);

/* HeadObject. DBT_AWS_ERROR_NOT_FOUND when absent. */
DbtS3ObjectInfo *dbt_s3_head_object (DbtAwsClient *client,
                                     const char   *bucket,
                                     const char   *key,
                                     GCancellable *cancellable,
                                     GError      **error);

typedef struct
{
  char   *key;
  gint64  size;
  char   *etag;
  char   *last_modified;   /* ISO 8601 */
} DbtS3Object;

typedef struct
{
  GPtrArray *objects;                  /* DbtS3Object*, in key order */
  char      *next_continuation_token;  /* NULL on the last page */
} DbtS3ObjectList;

void dbt_s3_object_list_free (DbtS3ObjectList *list);

/* ListObjectsV2, one page of at most @max_keys (0: the server's 1000)
 * keys starting with @prefix (NULL: all), continuing from
 * @continuation_token (NULL: the first page). */
DbtS3ObjectList *dbt_s3_list_objects (DbtAwsClient *client,
                                      const char   *bucket,
                                      const char   *prefix,
                                      const char   *continuation_token,
                                      guint         max_keys,
                                      GCancellable *cancellable,
                                      GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtS3ObjectInfo, dbt_s3_object_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtS3ObjectList, dbt_s3_object_list_free)

G_END_DECLS
