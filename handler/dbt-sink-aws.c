/* dbt-sink-aws.c — the delivery sink over DynamoDB and SNS. */
#include "dbt-sink-aws.h"

#include "dbt-dynamodb.h"
#include "dbt-sns.h"

/* lib's defaults for one attempt; the deadline only ever shortens them. */
#define DEFAULT_CONNECT_TIMEOUT_MS 10000
#define DEFAULT_TIMEOUT_MS         60000
#define MIN_TIMEOUT_MS             500

struct _DbtSinkAws
{
  DbtAwsClient *client;
  char         *topic_arn;
  char         *log_table;
  gint64        deadline_ms;      /* 0: none */
  gint64        reserve_ms;
  guint         deadline_refusals;
  GHashTable   *subjects;         /* SNS message id → subject, this invocation */
};

DbtSinkAws *
dbt_sink_aws_new (DbtAwsClient           *client,
                  const DbtHandlerConfig *config)
{
  DbtSinkAws *self;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (config != NULL, NULL);

  self = g_new0 (DbtSinkAws, 1);
  self->client = dbt_aws_client_ref (client);
  self->topic_arn = g_strdup (config->topic_arn);
  self->log_table = g_strdup (config->log_table);
  self->reserve_ms = DBT_SINK_AWS_DEFAULT_RESERVE_MS;
  self->subjects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
dbt_sink_aws_free (DbtSinkAws *self)
{
  if (self == NULL)
    return;
  dbt_aws_client_unref (self->client);
  g_free (self->topic_arn);
  g_free (self->log_table);
  g_hash_table_unref (self->subjects);
  g_free (self);
}

void
dbt_sink_aws_begin (DbtSinkAws *self,
                    gint64      deadline_ms,
                    gint64      reserve_ms)
{
  g_return_if_fail (self != NULL);

  self->deadline_ms = deadline_ms;
  self->reserve_ms = MAX (reserve_ms, 0);
  self->deadline_refusals = 0;
  g_hash_table_remove_all (self->subjects);
  /* The previous invocation may have shortened them. */
  dbt_aws_client_set_timeouts (self->client, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS);
}

guint
dbt_sink_aws_get_deadline_refusals (DbtSinkAws *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->deadline_refusals;
}

char *
dbt_sink_aws_format_time (gint64 epoch_ms)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (epoch_ms / 1000);
  g_autofree char *seconds = NULL;

  if (time == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");
  seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", seconds, (int) (epoch_ms % 1000));
}

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

/* Shortens each attempt's timeouts to what the deadline leaves, so one
 * stuck call cannot outlive the invocation. */
static void
apply_deadline_to_timeouts (DbtSinkAws *self)
{
  gint64 budget;

  if (self->deadline_ms <= 0)
    return;
  budget = self->deadline_ms - now_ms () - self->reserve_ms / 2;
  budget = CLAMP (budget, MIN_TIMEOUT_MS, DEFAULT_TIMEOUT_MS);
  dbt_aws_client_set_timeouts (self->client,
                               (guint) MIN (budget, DEFAULT_CONNECT_TIMEOUT_MS),
                               (guint) budget);
}

/* FALSE (with DBT_AWS_ERROR_TIMEOUT) when no new work should start. The
 * error's code, "DeadlineReached", is the handler's rather than AWS's: it
 * tells these refusals apart from timeouts in the log line's failures. */
static gboolean
may_start (DbtSinkAws  *self,
           const char  *what,
           GError     **error)
{
  gint64 remaining;

  if (self->deadline_ms > 0)
    {
      remaining = self->deadline_ms - now_ms ();
      if (remaining < self->reserve_ms)
        {
          self->deadline_refusals++;
          dbt_aws_set_error (error, DBT_AWS_ERROR_TIMEOUT, DBT_FAILURE_DEADLINE_REACHED, 0, NULL,
                             "%s not started: %" G_GINT64_FORMAT " ms left before the "
                             "invocation's deadline, %" G_GINT64_FORMAT " ms kept in reserve",
                             what, MAX (remaining, 0), self->reserve_ms);
          return FALSE;
        }
    }
  apply_deadline_to_timeouts (self);
  return TRUE;
}

static gboolean
item_set_string (DbtItem     *item,
                 const char  *name,
                 const char  *text,
                 GError     **error)
{
  g_autoptr(DbtValue) value = dbt_value_new_string (text, error);

  if (value == NULL)
    return FALSE;
  dbt_item_set (item, name, value);
  return TRUE;
}

static void
item_set_int (DbtItem    *item,
              const char *name,
              gint64      number)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, number);
  g_autoptr(DbtValue) value = dbt_value_new_number (text, NULL);

  g_assert (value != NULL);
  dbt_item_set (item, name, value);
}

static DbtItem *
log_key_item (const char  *log_key,
              GError     **error)
{
  g_autoptr(DbtItem) key = dbt_item_new ();

  if (!item_set_string (key, "pk", log_key, error))
    return NULL;
  return g_steal_pointer (&key);
}

static const char *
item_get_string (const DbtItem *item,
                 const char    *name)
{
  DbtValue *value = dbt_item_get (item, name);

  if (value == NULL || dbt_value_get_kind (value) != DBT_VALUE_S)
    return NULL;
  return dbt_value_get_string (value);
}

static gint64
item_get_int (const DbtItem *item,
              const char    *name)
{
  DbtValue *value = dbt_item_get (item, name);
  gint64 number = 0;

  if (value == NULL || dbt_value_get_kind (value) != DBT_VALUE_N)
    return 0;
  if (!g_ascii_string_to_signed (dbt_value_get_string (value), 10, G_MININT64, G_MAXINT64,
                                 &number, NULL))
    return 0;
  return number;
}

/* Names used in every condition: "state" is a DynamoDB reserved word. */
static const char *const claim_names[] = {
  "#state", "state",
  "#claimedAt", "claimedAt",
  NULL,
};

static const char *const mark_sent_names[] = {
  "#state", "state",
  "#claimedAt", "claimedAt",
  "#sentAt", "sentAt",
  "#messageId", "messageId",
  "#subject", "subject",
  NULL,
};

#define CLAIM_HELD_CONDITION "#state = :claimed AND #claimedAt = :claimedAt"

static DbtItem *
claim_values (gint64 claimed_at_ms)
{
  DbtItem *values = dbt_item_new ();

  item_set_string (values, ":claimed", DBT_LOG_STATE_CLAIMED, NULL);
  item_set_int (values, ":claimedAt", claimed_at_ms);
  return values;
}

static gboolean
sink_claim (gpointer               user_data,
            const char            *log_key,
            const DbtNotification *notification,
            gint64                 now,
            gint64                 expires_at_s,
            DbtClaimOutcome       *outcome,
            gint64                *claimed_at_ms,
            GError               **error)
{
  DbtSinkAws *self = user_data;
  g_autoptr(DbtItem) entry = dbt_item_new ();
  g_autoptr(DbtItem) key = NULL;
  DbtWriteOptions options = { 0 };

  if (!may_start (self, "claim", error))
    return FALSE;

  if (!item_set_string (entry, "pk", log_key, error) ||
      !item_set_string (entry, "owner", notification->owner, error) ||
      !item_set_string (entry, "eventId", notification->event_id, error) ||
      !item_set_string (entry, "sequenceNumber", notification->sequence_number, error) ||
      !item_set_string (entry, "table", notification->table_name, error) ||
      !item_set_string (entry, "key", notification->key_text, error) ||
      !item_set_string (entry, "event", dbt_event_name_to_string (notification->event_name), error) ||
      !item_set_string (entry, "state", DBT_LOG_STATE_CLAIMED, error))
    return FALSE;
  item_set_int (entry, "claimedAt", now);
  item_set_int (entry, "expiresAt", expires_at_s);

  key = log_key_item (log_key, error);
  if (key == NULL)
    return FALSE;

  options.condition_expression = "attribute_not_exists(pk)";

  /* Twice at most: an entry released between the failed put and the read
   * is gone, and the second put can take it. */
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(DbtItem) current = NULL;
      const char *state;

      if (dbt_dynamodb_put_item (self->client, self->log_table, entry, &options,
                                 NULL, NULL, NULL, &local_error))
        {
          *outcome = DBT_CLAIM_ACQUIRED;
          *claimed_at_ms = now;
          return TRUE;
        }
      if (!g_error_matches (local_error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONDITION_FAILED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      /* The entry exists: what state is it in? lib does not hand back the
       * ALL_OLD item of a failed condition, so read it, strongly
       * consistent (a later write of it is visible). */
      if (!dbt_dynamodb_get_item (self->client, self->log_table, key, TRUE, &current, NULL, error))
        return FALSE;
      if (current == NULL)
        continue;

      state = item_get_string (current, "state");
      if (g_strcmp0 (state, DBT_LOG_STATE_SENT) == 0)
        {
          *outcome = DBT_CLAIM_SENT;
          *claimed_at_ms = item_get_int (current, "claimedAt");
        }
      else
        {
          *outcome = DBT_CLAIM_PENDING;
          *claimed_at_ms = item_get_int (current, "claimedAt");
        }
      return TRUE;
    }

  dbt_aws_set_error (error, DBT_AWS_ERROR_CONDITION_FAILED, NULL, 0, NULL,
                     "claim of %s: the entry came and went twice", log_key);
  return FALSE;
}

static gboolean
sink_reclaim (gpointer     user_data,
              const char  *log_key,
              gint64       stale_claimed_at_ms,
              gint64       now,
              GError     **error)
{
  DbtSinkAws *self = user_data;
  g_autoptr(DbtItem) key = NULL;
  g_autoptr(DbtItem) values = claim_values (stale_claimed_at_ms);
  DbtWriteOptions options = { 0 };

  if (!may_start (self, "reclaim", error))
    return FALSE;
  key = log_key_item (log_key, error);
  if (key == NULL)
    return FALSE;
  item_set_int (values, ":now", now);

  options.condition_expression = CLAIM_HELD_CONDITION;
  options.expression_attribute_names = claim_names;
  options.expression_attribute_values = values;
  return dbt_dynamodb_update_item (self->client, self->log_table, key,
                                   "SET #claimedAt = :now", &options,
                                   NULL, NULL, NULL, error);
}

static gboolean
sink_mark_sent (gpointer     user_data,
                const char  *log_key,
                gint64       claimed_at_ms,
                const char  *message_id,
                gint64       sent_at_ms,
                GError     **error)
{
  DbtSinkAws *self = user_data;
  g_autoptr(DbtItem) key = NULL;
  g_autoptr(DbtItem) values = claim_values (claimed_at_ms);
  g_autofree char *sent_at = dbt_sink_aws_format_time (sent_at_ms);
  const char *subject = g_hash_table_lookup (self->subjects, message_id);
  DbtWriteOptions options = { 0 };

  apply_deadline_to_timeouts (self);
  key = log_key_item (log_key, error);
  if (key == NULL)
    return FALSE;
  if (!item_set_string (values, ":sent", DBT_LOG_STATE_SENT, error) ||
      !item_set_string (values, ":sentAt", sent_at, error) ||
      !item_set_string (values, ":messageId", message_id, error) ||
      !item_set_string (values, ":subject", subject != NULL ? subject : "", error))
    return FALSE;

  options.condition_expression = CLAIM_HELD_CONDITION;
  options.expression_attribute_names = mark_sent_names;
  options.expression_attribute_values = values;
  return dbt_dynamodb_update_item (self->client, self->log_table, key,
                                   "SET #state = :sent, #sentAt = :sentAt, "
                                   "#messageId = :messageId, #subject = :subject",
                                   &options, NULL, NULL, NULL, error);
}

static gboolean
sink_release (gpointer     user_data,
              const char  *log_key,
              gint64       claimed_at_ms,
              GError     **error)
{
  DbtSinkAws *self = user_data;
  g_autoptr(DbtItem) key = NULL;
  g_autoptr(DbtItem) values = claim_values (claimed_at_ms);
  DbtWriteOptions options = { 0 };

  apply_deadline_to_timeouts (self);
  key = log_key_item (log_key, error);
  if (key == NULL)
    return FALSE;

  options.condition_expression = CLAIM_HELD_CONDITION;
  options.expression_attribute_names = claim_names;
  options.expression_attribute_values = values;
  return dbt_dynamodb_delete_item (self->client, self->log_table, key, &options,
                                   NULL, NULL, NULL, error);
}

static void
fail_all (DbtPublishResult *results,
          guint             n_messages,
          const GError     *error)
{
  for (guint i = 0; i < n_messages; i++)
    results[i].error = g_error_copy (error);
}

static void
sink_publish_batch (gpointer           user_data,
                    DbtMessage *const *messages,
                    guint              n_messages,
                    DbtPublishResult  *results)
{
  DbtSinkAws *self = user_data;
  g_autofree DbtSnsMessage *entries = g_new0 (DbtSnsMessage, n_messages);
  g_autofree DbtMessageAttribute *attributes = g_new0 (DbtMessageAttribute, 3 * n_messages);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DbtSnsBatchResult) batch = NULL;
  g_autoptr(GError) error = NULL;

  if (!may_start (self, "publish", &error))
    {
      fail_all (results, n_messages, error);
      return;
    }

  for (guint i = 0; i < n_messages; i++)
    {
      const DbtMessage *message = messages[i];
      DbtMessageAttribute *attrs = &attributes[3 * i];
      char *id = g_strdup_printf ("m%u", i);

      g_ptr_array_add (ids, id);
      attrs[0] = (DbtMessageAttribute) { "owner", "String", message->owner };
      attrs[1] = (DbtMessageAttribute) { "table", "String", message->table_name };
      attrs[2] = (DbtMessageAttribute) { "event", "String", message->event };
      entries[i].id = id;
      entries[i].message = message->body;
      entries[i].subject = message->subject;
      entries[i].attributes = attrs;
      entries[i].n_attributes = 3;
    }

  batch = dbt_sns_publish_batch (self->client, self->topic_arn, entries, n_messages, NULL, &error);
  if (batch == NULL)
    {
      fail_all (results, n_messages, error);
      return;
    }

  for (guint j = 0; j < batch->entries->len; j++)
    {
      const DbtSnsBatchEntryResult *entry = g_ptr_array_index (batch->entries, j);
      guint64 index = 0;

      /* Results carry the ids given: "m<index>". */
      if (entry->id == NULL || entry->id[0] != 'm' ||
          !g_ascii_string_to_unsigned (entry->id + 1, 10, 0, n_messages - 1, &index, NULL) ||
          results[index].message_id != NULL || results[index].error != NULL)
        continue;

      if (entry->succeeded && entry->message_id != NULL)
        {
          results[index].message_id = g_strdup (entry->message_id);
          g_hash_table_replace (self->subjects, g_strdup (entry->message_id),
                                g_strdup (messages[index]->subject));
        }
      else
        dbt_aws_set_error (&results[index].error,
                           entry->sender_fault ? DBT_AWS_ERROR_CLIENT : DBT_AWS_ERROR_SERVER,
                           entry->code, 0, NULL, "PublishBatch entry failed: %s: %s",
                           entry->code != NULL ? entry->code : "unknown",
                           entry->message != NULL ? entry->message : "no message");
    }

  for (guint i = 0; i < n_messages; i++)
    if (results[i].message_id == NULL && results[i].error == NULL)
      dbt_aws_set_error (&results[i].error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                         "PublishBatch gave no result for entry m%u", i);
}

void
dbt_sink_aws_get_sink (DbtSinkAws      *self,
                       DbtDeliverySink *sink)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (sink != NULL);

  *sink = (DbtDeliverySink) {
    .claim = sink_claim,
    .reclaim = sink_reclaim,
    .publish_batch = sink_publish_batch,
    .mark_sent = sink_mark_sent,
    .release = sink_release,
    .now_ms = NULL,
    .user_data = self,
  };
}
