/* dbt-streams.h — typed DynamoDB Streams calls: find a table's stream,
 * list its shards, read their records.
 *
 * Reading a stream: dbt_streams_list_streams (table) → a stream ARN;
 * dbt_streams_describe_stream_all (arn) → its shards (a shard with an
 * ending sequence number is closed; children name it as their parent, read
 * parents first); dbt_streams_get_shard_iterator (TRIM_HORIZON...) → an
 * iterator; dbt_streams_get_records (iterator) repeatedly, each time with
 * the batch's next_shard_iterator, until that is NULL (closed and drained).
 * An open shard always gives a next iterator, even with no records. On AWS
 * an iterator expires 15 minutes after it was issued: GetRecords then fails
 * with DBT_AWS_ERROR_CLIENT and the AWS code "ExpiredIteratorException"
 * (get a new one AFTER_SEQUENCE_NUMBER the last record seen); records older
 * than 24 hours are gone ("TrimmedDataAccessException").
 */
#pragma once

#include <gio/gio.h>
#include "dbt-aws-client.h"
#include "dbt-stream-record.h"

G_BEGIN_DECLS

typedef struct
{
  char *stream_arn;
  char *table_name;
  char *stream_label;
} DbtStreamSummary;

void       dbt_stream_summary_free   (DbtStreamSummary *summary);

/* Every stream (all pages) of @table_name, or of every table when NULL.
 * Returns DbtStreamSummary*, newest last as the server orders them. */
GPtrArray *dbt_streams_list_streams  (DbtAwsClient *client,
                                      const char   *table_name,
                                      GCancellable *cancellable,
                                      GError      **error);

typedef struct
{
  char *shard_id;
  char *parent_shard_id;           /* NULL when none */
  char *starting_sequence_number;
  char *ending_sequence_number;    /* NULL while the shard is open */
} DbtShard;

void     dbt_shard_free      (DbtShard *shard);
gboolean dbt_shard_is_closed (const DbtShard *shard);

typedef struct
{
  char      *stream_arn;
  char      *stream_label;
  char      *stream_status;            /* "ENABLING", "ENABLED", "DISABLING", "DISABLED" */
  char      *stream_view_type;
  char      *table_name;
  GPtrArray *shards;                   /* DbtShard* */
  char      *last_evaluated_shard_id;  /* NULL on the last page */
} DbtStreamDescription;

void dbt_stream_description_free (DbtStreamDescription *description);

/* DescribeStream, one page of shards: after @exclusive_start_shard_id
 * (NULL: the first), at most @limit (0: the server's 100). */
DbtStreamDescription *dbt_streams_describe_stream     (DbtAwsClient *client,
                                                       const char   *stream_arn,
                                                       const char   *exclusive_start_shard_id,
                                                       guint         limit,
                                                       GCancellable *cancellable,
                                                       GError      **error);

/* DescribeStream following every page: all shards, last_evaluated_shard_id NULL. */
DbtStreamDescription *dbt_streams_describe_stream_all (DbtAwsClient *client,
                                                       const char   *stream_arn,
                                                       GCancellable *cancellable,
                                                       GError      **error);

typedef enum
{
  DBT_SHARD_ITERATOR_TRIM_HORIZON,          /* the oldest record still kept (24 h) */
  DBT_SHARD_ITERATOR_LATEST,                /* only records written from now on */
  DBT_SHARD_ITERATOR_AT_SEQUENCE_NUMBER,
  DBT_SHARD_ITERATOR_AFTER_SEQUENCE_NUMBER,
} DbtShardIteratorType;

const char *dbt_shard_iterator_type_to_string (DbtShardIteratorType type);

/* GetShardIterator. @sequence_number is required for the AT_ and AFTER_
 * types (DBT_AWS_ERROR_INVALID_INPUT otherwise) and ignored for the others. */
char *dbt_streams_get_shard_iterator (DbtAwsClient        *client,
                                      const char          *stream_arn,
                                      const char          *shard_id,
                                      DbtShardIteratorType type,
                                      const char          *sequence_number,
                                      GCancellable        *cancellable,
                                      GError             **error);

typedef struct
{
  GPtrArray *records;              /* DbtStreamRecord*, in sequence order */
  char      *next_shard_iterator;  /* NULL: the shard is closed and drained */
} DbtRecordBatch;

void dbt_record_batch_free (DbtRecordBatch *batch);

/* GetRecords: at most @limit records (0: the server's 1000). */
DbtRecordBatch *dbt_streams_get_records (DbtAwsClient *client,
                                         const char   *shard_iterator,
                                         guint         limit,
                                         GCancellable *cancellable,
                                         GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtStreamSummary, dbt_stream_summary_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtShard, dbt_shard_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtStreamDescription, dbt_stream_description_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtRecordBatch, dbt_record_batch_free)

G_END_DECLS
