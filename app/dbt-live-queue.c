/* dbt-live-queue.c — a capped, thread-safe hand-over of rows to the main loop. */
#include "dbt-config.h"

#include "dbt-live-queue.h"

struct _DbtLiveQueue
{
  gatomicrefcount ref_count;
  guint           cap;

  GMutex          lock;
  GPtrArray      *pending;      /* GObject*, oldest first */
  guint           dropped;
  guint64         pushed;
  gboolean        wake_scheduled;
  GMainContext   *context;
  GSourceFunc     wake;         /* NULL once disconnected */
  gpointer        wake_data;
};

DbtLiveQueue *
dbt_live_queue_new (guint         cap,
                    GMainContext *context,
                    GSourceFunc   wake,
                    gpointer      wake_data)
{
  DbtLiveQueue *queue = g_new0 (DbtLiveQueue, 1);

  g_atomic_ref_count_init (&queue->ref_count);
  g_mutex_init (&queue->lock);
  queue->cap = MAX (cap, 1);
  queue->pending = g_ptr_array_new_with_free_func (g_object_unref);
  queue->context = context != NULL ? g_main_context_ref (context) : g_main_context_ref_thread_default ();
  queue->wake = wake;
  queue->wake_data = wake_data;
  return queue;
}

DbtLiveQueue *
dbt_live_queue_ref (DbtLiveQueue *queue)
{
  g_atomic_ref_count_inc (&queue->ref_count);
  return queue;
}

void
dbt_live_queue_unref (DbtLiveQueue *queue)
{
  if (queue == NULL || !g_atomic_ref_count_dec (&queue->ref_count))
    return;

  g_ptr_array_unref (queue->pending);
  g_main_context_unref (queue->context);
  g_mutex_clear (&queue->lock);
  g_free (queue);
}

void
dbt_live_queue_disconnect (DbtLiveQueue *queue)
{
  g_mutex_lock (&queue->lock);
  queue->wake = NULL;
  queue->wake_data = NULL;
  g_mutex_unlock (&queue->lock);
}

static gboolean
run_wake (gpointer data)
{
  DbtLiveQueue *queue = data;
  GSourceFunc wake;
  gpointer wake_data;

  /* The flag stays set until the consumer drains: pushes in between need
   * no second wake-up. The callback runs on this (the consumer's) thread,
   * which is the only one that disconnects, so it cannot go away under us. */
  g_mutex_lock (&queue->lock);
  wake = queue->wake;
  wake_data = queue->wake_data;
  g_mutex_unlock (&queue->lock);

  if (wake != NULL)
    wake (wake_data);
  return G_SOURCE_REMOVE;
}

void
dbt_live_queue_push (DbtLiveQueue *queue,
                     GPtrArray    *rows)
{
  gboolean schedule = FALSE;

  if (rows == NULL || rows->len == 0)
    return;

  g_mutex_lock (&queue->lock);
  queue->pushed += rows->len;
  /* Steal the objects: the caller's array keeps no references. */
  g_ptr_array_extend_and_steal (queue->pending, g_ptr_array_ref (rows));
  if (queue->pending->len > queue->cap)
    {
      guint excess = queue->pending->len - queue->cap;

      g_ptr_array_remove_range (queue->pending, 0, excess);
      queue->dropped += excess;
    }
  if (!queue->wake_scheduled && queue->wake != NULL)
    schedule = queue->wake_scheduled = TRUE;
  g_mutex_unlock (&queue->lock);

  if (schedule)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, run_wake, dbt_live_queue_ref (queue),
                             (GDestroyNotify) dbt_live_queue_unref);
      g_source_set_static_name (source, "[dbtrigger] live queue wake-up");
      g_source_attach (source, queue->context);
    }
}

GPtrArray *
dbt_live_queue_drain (DbtLiveQueue *queue,
                      guint        *dropped)
{
  GPtrArray *rows;

  g_mutex_lock (&queue->lock);
  rows = g_steal_pointer (&queue->pending);
  queue->pending = g_ptr_array_new_with_free_func (g_object_unref);
  if (dropped != NULL)
    *dropped = queue->dropped;
  queue->dropped = 0;
  queue->wake_scheduled = FALSE;
  g_mutex_unlock (&queue->lock);

  return rows;
}

guint64
dbt_live_queue_get_pushed (DbtLiveQueue *queue)
{
  guint64 pushed;

  g_mutex_lock (&queue->lock);
  pushed = queue->pushed;
  g_mutex_unlock (&queue->lock);
  return pushed;
}
