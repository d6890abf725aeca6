/* dbt-delivery.c — effectively-once delivery of a batch's notifications. */
#include "dbt-delivery.h"

#include <json-glib/json-glib.h>

#include "dbt-digest.h"

#define SECONDS_PER_DAY (24 * 60 * 60)

typedef struct
{
  const DbtDeliveryOptions *options;
  const DbtDeliverySink    *sink;
  DbtBatchStats            *stats;
  /* key_id → lowest failed record index (GUINT_TO_POINTER (index + 1)) */
  GHashTable *blocked;
  /* record index + 1 → the failed notification (for its sequence number) */
  GHashTable *failed;
  /* record index + 1 → why it failed first (an error code, owned) */
  GHashTable *causes;
  /* DbtNotification* → claim time (gint64*) for pairs this attempt holds */
  GHashTable *claims;
} Delivery;

static gint64
delivery_now (Delivery *self)
{
  if (self->sink->now_ms != NULL)
    return self->sink->now_ms (self->sink->user_data);
  return g_get_real_time () / 1000;
}

static gboolean
is_blocked (Delivery              *self,
            const DbtNotification *notification)
{
  gpointer value = g_hash_table_lookup (self->blocked, notification->key_id);

  /* Blocked from the failed record on; the failed record's other
   * notification (the other owner) is not later, so it still goes. */
  return value != NULL && GPOINTER_TO_UINT (value) - 1 < notification->record_index;
}

/* The record fails this attempt, and so does every later record of its
 * item. @cause is an error code for the log line. */
static void
fail (Delivery              *self,
      const DbtNotification *notification,
      const char            *cause)
{
  gpointer record_key = GUINT_TO_POINTER (notification->record_index + 1);
  gpointer value = g_hash_table_lookup (self->blocked, notification->key_id);

  if (value == NULL || GPOINTER_TO_UINT (value) - 1 > notification->record_index)
    g_hash_table_insert (self->blocked, notification->key_id,
                         GUINT_TO_POINTER (notification->record_index + 1));
  g_hash_table_insert (self->failed, record_key, (gpointer) notification);
  if (!g_hash_table_contains (self->causes, record_key))
    g_hash_table_insert (self->causes, record_key, g_strdup (cause));
}

static void
hold_claim (Delivery              *self,
            const DbtNotification *notification,
            gint64                 claimed_at_ms)
{
  g_hash_table_insert (self->claims, (gpointer) notification, g_memdup2 (&claimed_at_ms, sizeof claimed_at_ms));
}

static void
release_claim (Delivery              *self,
               const DbtNotification *notification)
{
  gint64 *claimed_at = g_hash_table_lookup (self->claims, notification);
  g_autofree char *log_key = NULL;

  if (claimed_at == NULL)
    return;
  log_key = dbt_notification_get_log_key (notification);
  /* A release that fails leaves the claim to go stale; nothing else to do. */
  self->sink->release (self->sink->user_data, log_key, *claimed_at, NULL);
  g_hash_table_remove (self->claims, notification);
}

/* Step 1: claims. Returns the notifications this attempt is to send. */
static GPtrArray *
claim_all (Delivery  *self,
           GPtrArray *notifications)
{
  GPtrArray *to_send = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_notification_unref);

  for (guint i = 0; i < notifications->len; i++)
    {
      DbtNotification *notification = g_ptr_array_index (notifications, i);
      g_autofree char *log_key = NULL;
      g_autoptr(GError) error = NULL;
      DbtClaimOutcome outcome = DBT_CLAIM_ACQUIRED;
      gint64 claimed_at = 0;
      gint64 now;

      if (is_blocked (self, notification))
        {
          fail (self, notification, DBT_FAILURE_EARLIER_RECORD);
          continue;
        }

      log_key = dbt_notification_get_log_key (notification);
      now = delivery_now (self);
      if (!self->sink->claim (self->sink->user_data, log_key, notification, now,
                              now / 1000 + (gint64) self->options->ttl_days * SECONDS_PER_DAY,
                              &outcome, &claimed_at, &error))
        {
          g_debug ("claim of %s failed: %s", log_key, error->message);
          fail (self, notification, dbt_batch_stats_error_cause (error));
          continue;
        }

      switch (outcome)
        {
        case DBT_CLAIM_ACQUIRED:
          hold_claim (self, notification, now);
          g_ptr_array_add (to_send, dbt_notification_ref (notification));
          break;

        case DBT_CLAIM_SENT:
          self->stats->duplicates++;
          break;

        case DBT_CLAIM_PENDING:
          if (now - claimed_at >= self->options->stale_after_ms &&
              self->sink->reclaim (self->sink->user_data, log_key, claimed_at, now, &error))
            {
              hold_claim (self, notification, now);
              g_ptr_array_add (to_send, dbt_notification_ref (notification));
            }
          else
            {
              /* Another attempt may still be sending it: retry later. */
              fail (self, notification, error != NULL ? dbt_batch_stats_error_cause (error)
                                                      : DBT_FAILURE_CLAIM_PENDING);
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return to_send;
}

static guint
message_first_record (const DbtMessage *message)
{
  const DbtNotification *first = g_ptr_array_index (message->notifications, 0);

  return first->record_index;
}

static gint
compare_messages (gconstpointer a,
                  gconstpointer b)
{
  guint first_a = message_first_record (*(DbtMessage *const *) a);
  guint first_b = message_first_record (*(DbtMessage *const *) b);

  return first_a < first_b ? -1 : first_a > first_b;
}

static gboolean
message_is_blocked (Delivery         *self,
                    const DbtMessage *message)
{
  for (guint i = 0; i < message->notifications->len; i++)
    if (is_blocked (self, g_ptr_array_index (message->notifications, i)))
      return TRUE;
  return FALSE;
}

static gboolean
message_shares_key (const DbtMessage *message,
                    GHashTable       *keys)
{
  for (guint i = 0; i < message->notifications->len; i++)
    {
      const DbtNotification *notification = g_ptr_array_index (message->notifications, i);

      if (g_hash_table_contains (keys, notification->key_id))
        return TRUE;
    }
  return FALSE;
}

static void
message_failed (Delivery         *self,
                const DbtMessage *message,
                const char       *cause)
{
  for (guint i = 0; i < message->notifications->len; i++)
    {
      const DbtNotification *notification = g_ptr_array_index (message->notifications, i);

      fail (self, notification, cause);
      release_claim (self, notification);
    }
}

static void
message_sent (Delivery         *self,
              const DbtMessage *message,
              const char       *message_id)
{
  gint64 sent_at = delivery_now (self);

  self->stats->notified++;
  for (guint i = 0; i < message->notifications->len; i++)
    {
      const DbtNotification *notification = g_ptr_array_index (message->notifications, i);
      gint64 *claimed_at = g_hash_table_lookup (self->claims, notification);
      g_autofree char *log_key = dbt_notification_get_log_key (notification);
      g_autoptr(GError) error = NULL;

      self->stats->changes_delivered++;
      if (claimed_at == NULL ||
          !self->sink->mark_sent (self->sink->user_data, log_key, *claimed_at,
                                  message_id, sent_at, &error))
        {
          g_debug ("could not mark %s as sent: %s", log_key,
                   error ? error->message : "no claim");
          self->stats->log_write_failures++;
        }
      g_hash_table_remove (self->claims, notification);
    }
}

static void
publish_chunk (Delivery  *self,
               GPtrArray *chunk)
{
  g_autofree DbtPublishResult *results = g_new0 (DbtPublishResult, chunk->len);

  self->sink->publish_batch (self->sink->user_data,
                             (DbtMessage *const *) chunk->pdata, chunk->len, results);

  for (guint i = 0; i < chunk->len; i++)
    {
      const DbtMessage *message = g_ptr_array_index (chunk, i);

      if (results[i].error == NULL && results[i].message_id != NULL)
        message_sent (self, message, results[i].message_id);
      else
        {
          g_debug ("publish to %s failed: %s", message->owner,
                   results[i].error ? results[i].error->message : "no result");
          message_failed (self, message, results[i].error != NULL
                                         ? dbt_batch_stats_error_cause (results[i].error)
                                         : DBT_FAILURE_NO_RESULT);
        }
      g_free (results[i].message_id);
      g_clear_error (&results[i].error);
    }
}

/* Step 3: requests of at most 10 messages and max_message_bytes, in order
 * of each message's first record, never two messages with a shared key in
 * one request. */
static void
publish_all (Delivery  *self,
             GPtrArray *messages)
{
  guint next = 0;

  g_ptr_array_sort (messages, compare_messages);   /* stable */

  while (next < messages->len)
    {
      g_autoptr(GPtrArray) chunk = g_ptr_array_new ();
      g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
      gsize bytes = 0;

      while (next < messages->len && chunk->len < DBT_PUBLISH_BATCH_MAX_ENTRIES)
        {
          DbtMessage *message = g_ptr_array_index (messages, next);
          gsize size = dbt_message_size_bytes (message);

          if (message_is_blocked (self, message))
            {
              message_failed (self, message, DBT_FAILURE_EARLIER_RECORD);
              next++;
              continue;
            }
          if (chunk->len > 0 &&
              (bytes + size > self->options->max_message_bytes ||
               message_shares_key (message, keys)))
            break;

          for (guint i = 0; i < message->notifications->len; i++)
            {
              const DbtNotification *notification = g_ptr_array_index (message->notifications, i);

              g_hash_table_add (keys, notification->key_id);
            }
          g_ptr_array_add (chunk, message);
          bytes += size;
          next++;
        }

      if (chunk->len > 0)
        publish_chunk (self, chunk);
    }
}

static gint
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint ua = *(const guint *) a;
  guint ub = *(const guint *) b;

  return ua < ub ? -1 : ua > ub;
}

void
dbt_delivery_options_init (DbtDeliveryOptions     *options,
                           const DbtHandlerConfig *config)
{
  options->stale_after_ms = (gint64) config->function_timeout_seconds * 1000;
  options->ttl_days = config->notification_ttl_days;
  options->max_message_bytes = DBT_MESSAGE_MAX_BYTES;
}

DbtDeliveryResult *
dbt_delivery_run (const DbtDeliveryOptions *options,
                  GPtrArray                *notifications,
                  const DbtDeliverySink    *sink,
                  DbtBatchStats            *stats)
{
  Delivery self = { options, sink, stats, NULL, NULL, NULL, NULL };
  g_autoptr(GPtrArray) to_send = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  DbtDeliveryResult *result;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (notifications != NULL, NULL);
  g_return_val_if_fail (sink != NULL, NULL);
  g_return_val_if_fail (stats != NULL, NULL);

  self.blocked = g_hash_table_new (g_str_hash, g_str_equal);
  self.failed = g_hash_table_new (NULL, NULL);
  self.causes = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self.claims = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  to_send = claim_all (&self, notifications);
  messages = dbt_digest_build (to_send, options->max_message_bytes);
  publish_all (&self, messages);

  result = g_new0 (DbtDeliveryResult, 1);
  result->messages_built = messages->len;
  result->failed_records = g_array_new (FALSE, FALSE, sizeof (guint));
  g_hash_table_iter_init (&iter, self.failed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint index = GPOINTER_TO_UINT (key) - 1;

      g_array_append_val (result->failed_records, index);
    }
  g_array_sort (result->failed_records, compare_uint);
  for (guint i = 0; i < result->failed_records->len; i++)
    {
      guint index = g_array_index (result->failed_records, guint, i);

      dbt_batch_stats_add_failure (stats, g_hash_table_lookup (self.causes, GUINT_TO_POINTER (index + 1)));
    }
  if (result->failed_records->len > 0)
    {
      guint first = g_array_index (result->failed_records, guint, 0);
      const DbtNotification *notification = g_hash_table_lookup (self.failed, GUINT_TO_POINTER (first + 1));

      result->first_failed_sequence_number = g_strdup (notification->sequence_number);
    }
  stats->failed += result->failed_records->len;

  g_hash_table_unref (self.blocked);
  g_hash_table_unref (self.failed);
  g_hash_table_unref (self.causes);
  g_hash_table_unref (self.claims);

  return result;
}

void
dbt_delivery_result_free (DbtDeliveryResult *result)
{
  if (result == NULL)
    return;
  g_array_unref (result->failed_records);
  g_free (result->first_failed_sequence_number);
  g_free (result);
}

char *
dbt_batch_response_render (const char *first_failed_sequence_number)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "batchItemFailures");
  json_builder_begin_array (builder);
  if (first_failed_sequence_number != NULL)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "itemIdentifier");
      json_builder_add_string_value (builder, first_failed_sequence_number);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}
