/* dbt-shard-poller.h — reads one shard of a DynamoDB stream the way
 * Lambda's poller does: at most 4 GetRecords calls a second, the iterator
 * renewed (after the last record read) when it expires, and the end of a
 * closed shard noticed (no next iterator).
 *
 * Records come out with eventSourceARN and awsRegion set, so
 * dbt_stream_record_to_json() gives Lambda's event shape.
 */
#pragma once

#include <gio/gio.h>
#include "dbt-aws-client.h"
#include "dbt-streams.h"

G_BEGIN_DECLS

/* Lambda polls each shard 4 times a second. */
#define DBT_SHARD_POLL_INTERVAL_MS 250

typedef struct _DbtShardPoller DbtShardPoller;

/* Starts after @after_sequence_number when given (a checkpoint), else at
 * @start (TRIM_HORIZON or LATEST). */
DbtShardPoller *dbt_shard_poller_new (DbtAwsClient        *client,
                                      const char          *stream_arn,
                                      const char          *region,
                                      const char          *shard_id,
                                      DbtShardIteratorType start,
                                      const char          *after_sequence_number);
void            dbt_shard_poller_free (DbtShardPoller *poller);

/* One GetRecords call (waiting first so calls are at least
 * DBT_SHARD_POLL_INTERVAL_MS apart): appends up to @limit records
 * (DbtStreamRecord*, owned by @records) and returns how many, or -1 with
 * @error. An expired iterator is renewed and the call repeated once. */
gint            dbt_shard_poller_poll (DbtShardPoller *poller,
                                       GPtrArray      *records,
                                       guint           limit,
                                       GCancellable   *cancellable,
                                       GError        **error);

/* The shard is closed and every record of it was returned. */
gboolean        dbt_shard_poller_is_drained (DbtShardPoller *poller);

/* Sleeps @ms, returning early (FALSE) when @cancellable is cancelled. */
gboolean        dbt_local_sleep (guint         ms,
                                       GCancellable *cancellable);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtShardPoller, dbt_shard_poller_free)

G_END_DECLS
