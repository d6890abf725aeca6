/* dbt-live-queue.h — rows handed from worker threads to the main loop in
 * batches.
 *
 * Producers (the stream watcher, the notification feed, the benchmark)
 * push arrays of row objects from any thread. The first push into an empty
 * queue schedules ONE wake-up on the consumer's main context; the consumer
 * drains everything that arrived by then with a single call. However fast
 * rows come, the main loop sees at most one wake-up per drain, never one
 * source per row.
 *
 * The queue is capped: past @cap rows the oldest are dropped and counted,
 * so a consumer that stops draining (a hidden page) costs bounded memory.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _DbtLiveQueue DbtLiveQueue;

/* @wake runs on @context (NULL: the default one) after a push into an
 * empty queue; its return value is ignored. */
DbtLiveQueue *dbt_live_queue_new        (guint          cap,
                                         GMainContext  *context,
                                         GSourceFunc    wake,
                                         gpointer       wake_data);
DbtLiveQueue *dbt_live_queue_ref        (DbtLiveQueue  *queue);
void          dbt_live_queue_unref      (DbtLiveQueue  *queue);

/* From the consumer's thread: no more wake-ups (its owner is going away). */
void          dbt_live_queue_disconnect (DbtLiveQueue  *queue);

/* Any thread. Takes the objects of @rows (the array itself stays the
 * caller's and is emptied). */
void          dbt_live_queue_push       (DbtLiveQueue  *queue,
                                         GPtrArray     *rows);

/* Everything pushed since the last drain, oldest first (a new array that
 * owns its objects; empty when there was nothing); *@dropped (optional)
 * receives how many rows the cap dropped since the last drain. */
GPtrArray    *dbt_live_queue_drain      (DbtLiveQueue  *queue,
                                         guint         *dropped);

/* Rows pushed since the queue was made (dropped ones included). */
guint64       dbt_live_queue_get_pushed (DbtLiveQueue  *queue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtLiveQueue, dbt_live_queue_unref)

G_END_DECLS
