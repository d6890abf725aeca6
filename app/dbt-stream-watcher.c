/* dbt-stream-watcher.c — every shard of a stream, read on one worker thread. */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-live-event.h"
#include "dbt-stream-watcher.h"
#include "dbt-streams.h"

#define DESCRIBE_INTERVAL_US   (10 * G_USEC_PER_SEC)
#define BUSY_POLL_INTERVAL_US  (G_USEC_PER_SEC / 4)   /* 4 reads/s: the most a shard gets */
#define QUIET_POLL_INTERVAL_US (G_USEC_PER_SEC / 2)
#define MAX_BACKOFF_US         (10 * G_USEC_PER_SEC)
#define RECORDS_PER_READ       1000

typedef enum
{
  SHARD_WAITING,    /* for its parent to be drained */
  SHARD_READING,
  SHARD_DRAINED,    /* closed and read to its end, or skipped */
} ShardPhase;

typedef struct
{
  char                *shard_id;
  char                *parent_shard_id;
  gboolean             closed;
  ShardPhase           phase;
  DbtShardIteratorType start_type;     /* for the first iterator */
  char                *iterator;       /* NULL: ask for one */
  char                *last_sequence;  /* last record seen, NULL before the first */
  gint64               next_read_us;
  gint64               backoff_us;
  gboolean             seen;           /* in the latest DescribeStream */
} Shard;

struct _DbtStreamWatcher
{
  GObject        parent_instance;

  DbtSession    *session;
  DbtLiveQueue  *queue;
  gboolean       from_beginning;
  GCancellable  *cancellable;
  gboolean       started;

  /* Shared with the worker. */
  GMutex         lock;
  GCond          wake;
  DbtStreamWatcherStatus status;

  /* The worker's own. */
  GHashTable    *shards;        /* shard id → Shard* */
  gint64         next_describe_us;
  gint64         describe_backoff_us;
};

G_DEFINE_FINAL_TYPE (DbtStreamWatcher, dbt_stream_watcher, G_TYPE_OBJECT)

static void
shard_free (Shard *shard)
{
  g_free (shard->shard_id);
  g_free (shard->parent_shard_id);
  g_free (shard->iterator);
  g_free (shard->last_sequence);
  g_free (shard);
}

static void
dbt_stream_watcher_finalize (GObject *object)
{
  DbtStreamWatcher *self = DBT_STREAM_WATCHER (object);

  g_clear_pointer (&self->session, dbt_session_unref);
  g_clear_pointer (&self->queue, dbt_live_queue_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->shards, g_hash_table_unref);
  dbt_stream_watcher_status_clear (&self->status);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->wake);

  G_OBJECT_CLASS (dbt_stream_watcher_parent_class)->finalize (object);
}

static void
dbt_stream_watcher_class_init (DbtStreamWatcherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dbt_stream_watcher_finalize;
}

static void
dbt_stream_watcher_init (DbtStreamWatcher *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->wake);
  self->cancellable = g_cancellable_new ();
  self->shards = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) shard_free);
}

DbtStreamWatcher *
dbt_stream_watcher_new (DbtSession   *session,
                        DbtLiveQueue *queue,
                        gboolean      from_beginning)
{
  DbtStreamWatcher *self;

  g_return_val_if_fail (session != NULL && session->stream_arn != NULL, NULL);
  g_return_val_if_fail (queue != NULL, NULL);

  self = g_object_new (DBT_TYPE_STREAM_WATCHER, NULL);
  self->session = dbt_session_ref (session);
  self->queue = dbt_live_queue_ref (queue);
  self->from_beginning = from_beginning;
  return self;
}

/* Status ---------------------------------------------------------------- */

static void
set_error (DbtStreamWatcher *self,
           const char       *message)
{
  g_mutex_lock (&self->lock);
  g_free (self->status.error_message);
  self->status.error_message = g_strdup (message);
  g_mutex_unlock (&self->lock);
}

static void
set_warning (DbtStreamWatcher *self,
             const char       *message)
{
  g_mutex_lock (&self->lock);
  g_free (self->status.warning_message);
  self->status.warning_message = g_strdup (message);
  g_mutex_unlock (&self->lock);
}

static void
count_read (DbtStreamWatcher *self,
            guint             n_records)
{
  g_mutex_lock (&self->lock);
  self->status.n_requests++;
  self->status.n_records += n_records;
  g_clear_pointer (&self->status.error_message, g_free);
  g_mutex_unlock (&self->lock);
}

static void
update_shard_counts (DbtStreamWatcher *self)
{
  GHashTableIter iter;
  Shard *shard;
  guint reading = 0;

  g_hash_table_iter_init (&iter, self->shards);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &shard))
    if (shard->phase == SHARD_READING)
      reading++;

  g_mutex_lock (&self->lock);
  self->status.n_shards = g_hash_table_size (self->shards);
  self->status.n_reading = reading;
  g_mutex_unlock (&self->lock);
}

void
dbt_stream_watcher_get_status (DbtStreamWatcher       *self,
                               DbtStreamWatcherStatus *status)
{
  g_return_if_fail (DBT_IS_STREAM_WATCHER (self));

  g_mutex_lock (&self->lock);
  *status = self->status;
  status->error_message = g_strdup (self->status.error_message);
  status->warning_message = g_strdup (self->status.warning_message);
  g_mutex_unlock (&self->lock);
}

void
dbt_stream_watcher_status_clear (DbtStreamWatcherStatus *status)
{
  g_clear_pointer (&status->error_message, g_free);
  g_clear_pointer (&status->warning_message, g_free);
}

/* Shards ---------------------------------------------------------------- */

static gboolean
is_aws_code (const GError *error,
             const char   *code)
{
  return g_strcmp0 (dbt_aws_error_get_aws_code (error), code) == 0;
}

static gint64
next_backoff (gint64 backoff_us)
{
  return backoff_us == 0 ? G_USEC_PER_SEC : MIN (backoff_us * 2, MAX_BACKOFF_US);
}

/* A shard may be read once its parent is drained or not followed at all
 * (trimmed away, or closed before the watcher started). */
static void
release_children (DbtStreamWatcher *self)
{
  gboolean changed = TRUE;

  while (changed)
    {
      GHashTableIter iter;
      Shard *shard;

      changed = FALSE;
      g_hash_table_iter_init (&iter, self->shards);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &shard))
        {
          Shard *parent;

          if (shard->phase != SHARD_WAITING)
            continue;
          parent = shard->parent_shard_id != NULL
                   ? g_hash_table_lookup (self->shards, shard->parent_shard_id) : NULL;
          if (parent == NULL || parent->phase == SHARD_DRAINED)
            {
              shard->phase = SHARD_READING;
              shard->next_read_us = 0;
              changed = TRUE;
            }
        }
    }
}

/* FALSE when the stream could not be described (retried later). */
static gboolean
describe (DbtStreamWatcher *self,
          gboolean          first)
{
  g_autoptr(DbtStreamDescription) description = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  Shard *shard;

  description = dbt_streams_describe_stream_all (self->session->client, self->session->stream_arn,
                                                 self->cancellable, &error);
  if (description == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return FALSE;
      /* Translators: %s is why the stream could not be described. */
      message = g_strdup_printf (_("Cannot list the stream’s shards: %s"), error->message);
      set_error (self, message);
      self->describe_backoff_us = next_backoff (self->describe_backoff_us);
      self->next_describe_us = g_get_monotonic_time () + self->describe_backoff_us;
      return FALSE;
    }
  self->describe_backoff_us = 0;
  self->next_describe_us = g_get_monotonic_time () + DESCRIBE_INTERVAL_US;

  g_hash_table_iter_init (&iter, self->shards);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &shard))
    shard->seen = FALSE;

  for (guint i = 0; i < description->shards->len; i++)
    {
      DbtShard *described = g_ptr_array_index (description->shards, i);

      shard = g_hash_table_lookup (self->shards, described->shard_id);
      if (shard == NULL)
        {
          shard = g_new0 (Shard, 1);
          shard->shard_id = g_strdup (described->shard_id);
          shard->parent_shard_id = g_strdup (described->parent_shard_id);
          shard->closed = dbt_shard_is_closed (described);
          shard->phase = SHARD_WAITING;
          if (first && !self->from_beginning)
            {
              /* From now on: only open shards can still get records. */
              shard->start_type = DBT_SHARD_ITERATOR_LATEST;
              if (shard->closed)
                shard->phase = SHARD_DRAINED;
            }
          else
            shard->start_type = DBT_SHARD_ITERATOR_TRIM_HORIZON;
          g_hash_table_insert (self->shards, shard->shard_id, shard);
        }
      shard->seen = TRUE;
      shard->closed = dbt_shard_is_closed (described);
    }

  /* Shards past the retention period are gone from the description. */
  g_hash_table_iter_init (&iter, self->shards);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &shard))
    if (!shard->seen && shard->phase != SHARD_READING)
      g_hash_table_iter_remove (&iter);

  release_children (self);
  update_shard_counts (self);
  return TRUE;
}

static void
read_shard (DbtStreamWatcher *self,
            Shard            *shard)
{
  g_autoptr(DbtRecordBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gint64 now;

  if (shard->iterator == NULL)
    {
      DbtShardIteratorType type = shard->last_sequence != NULL
                                  ? DBT_SHARD_ITERATOR_AFTER_SEQUENCE_NUMBER : shard->start_type;

      shard->iterator = dbt_streams_get_shard_iterator (self->session->client, self->session->stream_arn,
                                                        shard->shard_id, type, shard->last_sequence,
                                                        self->cancellable, &error);
      if (shard->iterator == NULL)
        goto failed;
    }

  batch = dbt_streams_get_records (self->session->client, shard->iterator, RECORDS_PER_READ,
                                   self->cancellable, &error);
  if (batch == NULL)
    goto failed;

  now = g_get_monotonic_time ();
  shard->backoff_us = 0;
  count_read (self, batch->records->len);

  if (batch->records->len > 0)
    {
      rows = g_ptr_array_new_full (batch->records->len, g_object_unref);
      for (guint i = 0; i < batch->records->len; i++)
        {
          DbtStreamRecord *record = g_ptr_array_index (batch->records, i);

          g_ptr_array_add (rows, dbt_live_event_new_from_record (record, self->session->owner_attribute,
                                                                 shard->shard_id));
        }
      g_free (shard->last_sequence);
      shard->last_sequence = g_strdup (((DbtStreamRecord *) g_ptr_array_index (batch->records,
                                                                               batch->records->len - 1))->sequence_number);
      dbt_live_queue_push (self->queue, rows);
    }

  g_free (shard->iterator);
  shard->iterator = g_steal_pointer (&batch->next_shard_iterator);
  if (shard->iterator == NULL)
    {
      /* Closed and drained: its children may start; find them now. */
      shard->phase = SHARD_DRAINED;
      release_children (self);
      self->next_describe_us = 0;
      update_shard_counts (self);
      return;
    }
  shard->next_read_us = now + (batch->records->len > 0 ? BUSY_POLL_INTERVAL_US : QUIET_POLL_INTERVAL_US);
  return;

failed:
  g_clear_pointer (&shard->iterator, g_free);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (is_aws_code (error, "ExpiredIteratorException"))
    {
      /* A new iterator after the last record seen, right away. */
      shard->next_read_us = 0;
      return;
    }
  if (is_aws_code (error, "TrimmedDataAccessException"))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a shard id. */
      message = g_strdup_printf (_("Some records of shard %s were removed from the stream (kept 24 hours) before they could be read."),
                                 shard->shard_id);
      set_warning (self, message);
      g_clear_pointer (&shard->last_sequence, g_free);
      shard->start_type = DBT_SHARD_ITERATOR_TRIM_HORIZON;
      shard->next_read_us = 0;
      return;
    }
  if (error->domain == DBT_AWS_ERROR && error->code == DBT_AWS_ERROR_NOT_FOUND)
    {
      /* The shard is gone (trimmed); the stream itself is checked by the next describe. */
      shard->phase = SHARD_DRAINED;
      self->next_describe_us = 0;
      update_shard_counts (self);
      return;
    }

  {
    g_autofree char *message = NULL;

    /* Translators: first %s is a shard id, second the error. */
    message = g_strdup_printf (_("Cannot read shard %s: %s"), shard->shard_id, error->message);
    set_error (self, message);
    shard->backoff_us = next_backoff (shard->backoff_us);
    shard->next_read_us = g_get_monotonic_time () + shard->backoff_us;
  }
}

/* Sleeps until @until_us (monotonic) or until stopped. */
static void
sleep_until (DbtStreamWatcher *self,
             gint64            until_us)
{
  g_mutex_lock (&self->lock);
  while (!g_cancellable_is_cancelled (self->cancellable) && g_get_monotonic_time () < until_us)
    if (!g_cond_wait_until (&self->wake, &self->lock, until_us))
      break;
  g_mutex_unlock (&self->lock);
}

static gpointer
watch_thread (gpointer data)
{
  g_autoptr(DbtStreamWatcher) self = data;
  gboolean first = TRUE;

  while (!g_cancellable_is_cancelled (self->cancellable))
    {
      GHashTableIter iter;
      Shard *shard;
      gint64 now = g_get_monotonic_time ();
      gint64 next_us;

      if (now >= self->next_describe_us && describe (self, first))
        first = FALSE;

      /* Every due shard once, then sleep until the next is due. */
      g_hash_table_iter_init (&iter, self->shards);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &shard)
             && !g_cancellable_is_cancelled (self->cancellable))
        if (shard->phase == SHARD_READING && g_get_monotonic_time () >= shard->next_read_us)
          read_shard (self, shard);

      next_us = self->next_describe_us;
      g_hash_table_iter_init (&iter, self->shards);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &shard))
        if (shard->phase == SHARD_READING)
          next_us = MIN (next_us, shard->next_read_us);
      sleep_until (self, next_us);
    }

  return NULL;
}

void
dbt_stream_watcher_start (DbtStreamWatcher *self)
{
  g_autoptr(GThread) thread = NULL;

  g_return_if_fail (DBT_IS_STREAM_WATCHER (self));

  if (self->started)
    return;
  self->started = TRUE;
  thread = g_thread_new ("dbt-stream-watcher", watch_thread, g_object_ref (self));
}

void
dbt_stream_watcher_stop (DbtStreamWatcher *self)
{
  g_return_if_fail (DBT_IS_STREAM_WATCHER (self));

  g_cancellable_cancel (self->cancellable);
  g_mutex_lock (&self->lock);
  g_cond_broadcast (&self->wake);
  g_mutex_unlock (&self->lock);
}
