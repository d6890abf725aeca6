/* dbt-stream-watcher.h — follows every shard of a DynamoDB stream on a
 * worker thread and hands what it reads to a DbtLiveQueue as DbtLiveEvent
 * rows (rendered on the worker).
 *
 * Shards. DescribeStream (every page) at the start, every 10 seconds, and
 * whenever a shard ends. A shard with an ending sequence number is closed;
 * once drained (GetRecords gives no next iterator) the watcher reads its
 * children, each from its first record (TRIM_HORIZON), only after their
 * parent is drained so the order of a key's changes is kept. Shards that
 * appear later are likewise read from their start.
 *
 * Where it starts. LATEST on the open shards (closed ones are skipped:
 * nothing new can arrive there), or, "from the beginning", TRIM_HORIZON on
 * every shard, parents first: everything still retained (24 hours).
 *
 * Iterators. An iterator expires 15 minutes after it was issued; the
 * watcher then asks for a new one AFTER_SEQUENCE_NUMBER the last record it
 * saw (or where it started, when it saw none). Records trimmed before they
 * were read are reported and the shard restarts at its oldest record.
 *
 * Reads. At most 4 GetRecords per second per shard (every 250 ms while
 * records come, every 500 ms when the shard is quiet), at most 1,000
 * records per call. DynamoDB Streams serves at most 2 simultaneous readers
 * per shard (more are throttled); Lambda's event source mapping is one, so
 * this watcher must be the only other one: run one Live page per stream,
 * and stop it (leave the page) before adding another consumer. Throttling
 * is retried with backoff and reported.
 *
 * Errors are kept (dbt_stream_watcher_dup_status) and cleared by the next
 * read that works; the worker keeps trying, backing off up to 10 s.
 */
#pragma once

#include <gio/gio.h>

#include "dbt-live-queue.h"
#include "dbt-session.h"

G_BEGIN_DECLS

#define DBT_TYPE_STREAM_WATCHER (dbt_stream_watcher_get_type ())
G_DECLARE_FINAL_TYPE (DbtStreamWatcher, dbt_stream_watcher, DBT, STREAM_WATCHER, GObject)

/* Reads @session's stream (session->stream_arn must be set) into @queue. */
DbtStreamWatcher *dbt_stream_watcher_new    (DbtSession    *session,
                                             DbtLiveQueue  *queue,
                                             gboolean       from_beginning);

/* Starts the worker thread (once). */
void              dbt_stream_watcher_start  (DbtStreamWatcher *self);
/* Asks the worker to stop and returns at once; the worker lets go of
 * everything when its current request ends. */
void              dbt_stream_watcher_stop   (DbtStreamWatcher *self);

/* What the worker saw: the shards it knows, those it reads now, records
 * read, requests sent; the last error (NULL when the last read worked) and
 * a warning about records lost to trimming (NULL when none). Any thread. */
typedef struct
{
  guint    n_shards;
  guint    n_reading;
  guint64  n_records;
  guint64  n_requests;
  char    *error_message;
  char    *warning_message;
} DbtStreamWatcherStatus;

void dbt_stream_watcher_get_status   (DbtStreamWatcher       *self,
                                      DbtStreamWatcherStatus *status);
void dbt_stream_watcher_status_clear (DbtStreamWatcherStatus *status);

G_END_DECLS
