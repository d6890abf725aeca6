/* dbt-dead-letter-panel.c — failed batches from the dead-letter queue: info, records, redrive, delete. */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-dead-letter-panel.h"
#include "dbt-dynamodb.h"
#include "dbt-live-event.h"
#include "dbt-sqs.h"
#include "dbt-streams.h"
#include "dbt-window.h"

#define RECEIVE_ROUNDS   10     /* 10 messages each: at most 100 per check */
#define MAX_RECORD_READS 20

/* One message of the queue. Shared with the worker tasks (refcounted);
 * the widgets are the main thread's and NULL once the row is gone. */
typedef struct
{
  char       *message_id;
  char       *receipt_handle;
  char       *body;
  gint64      sent_ms;

  gboolean    parsed;            /* a Lambda on-failure record */
  char       *condition;
  char       *timestamp;
  char       *function_error;
  guint       invoke_count;
  char       *shard_id;
  char       *start_sequence;
  char       *end_sequence;
  char       *stream_arn;
  guint       batch_size;

  GPtrArray  *records;           /* DbtLiveEvent*, NULL until read */
  gboolean    busy;

  GtkWidget  *row;
  GtkWidget  *records_box;
  GtkWidget  *redrive_button;
  GtkWidget  *delete_button;
} FailedBatch;

struct _DbtDeadLetterPanel
{
  GtkWidget      parent_instance;

  DbtSession    *session;
  GCancellable  *cancellable;
  GPtrArray     *batches;        /* FailedBatch*, in the order received */
  gboolean       loaded;         /* for this session */
  guint          busy;
  char          *queue_counts;   /* "about N in the queue" */

  GtkLabel      *summary_label;
  GtkSpinner    *spinner;
  GtkButton     *check_button;
  GtkStack      *content_stack;
  AdwStatusPage *empty_page;
  GtkListBox    *list_box;
};

G_DEFINE_FINAL_TYPE (DbtDeadLetterPanel, dbt_dead_letter_panel, GTK_TYPE_WIDGET)

static void
failed_batch_clear (FailedBatch *batch)
{
  g_free (batch->message_id);
  g_free (batch->receipt_handle);
  g_free (batch->body);
  g_free (batch->condition);
  g_free (batch->timestamp);
  g_free (batch->function_error);
  g_free (batch->shard_id);
  g_free (batch->start_sequence);
  g_free (batch->end_sequence);
  g_free (batch->stream_arn);
  g_clear_pointer (&batch->records, g_ptr_array_unref);
}

static FailedBatch *
failed_batch_ref (FailedBatch *batch)
{
  return g_rc_box_acquire (batch);
}

static void
failed_batch_unref (FailedBatch *batch)
{
  g_rc_box_release_full (batch, (GDestroyNotify) failed_batch_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FailedBatch, failed_batch_unref)

static const char *
json_string (JsonObject *object,
             const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static gint64
json_int (JsonObject *object,
          const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_int (node) : 0;
}

static JsonObject *
json_object (JsonObject *object,
             const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Lambda's on-failure record for a stream source (DDBStreamBatchInfo). */
static void
parse_body (FailedBatch *batch)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *info, *request, *response;

  if (!json_parser_load_from_data (parser, batch->body, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  root = json_node_get_object (json_parser_get_root (parser));
  info = json_object (root, "DDBStreamBatchInfo");
  if (info == NULL || json_string (info, "shardId") == NULL || json_string (info, "startSequenceNumber") == NULL)
    return;
  request = json_object (root, "requestContext");
  response = json_object (root, "responseContext");

  batch->parsed = TRUE;
  batch->shard_id = g_strdup (json_string (info, "shardId"));
  batch->start_sequence = g_strdup (json_string (info, "startSequenceNumber"));
  batch->end_sequence = g_strdup (json_string (info, "endSequenceNumber"));
  batch->stream_arn = g_strdup (json_string (info, "streamArn"));
  batch->batch_size = json_int (info, "batchSize");
  batch->condition = g_strdup (json_string (request, "condition"));
  batch->invoke_count = json_int (request, "approximateInvokeCount");
  batch->function_error = g_strdup (json_string (response, "functionError"));
  batch->timestamp = g_strdup (json_string (root, "timestamp"));
}

static FailedBatch *
failed_batch_new (DbtSqsMessage *message)
{
  FailedBatch *batch = g_rc_box_new0 (FailedBatch);
  const char *sent = g_hash_table_lookup (message->attributes, "SentTimestamp");

  batch->message_id = g_strdup (message->message_id);
  batch->receipt_handle = g_strdup (message->receipt_handle);
  batch->body = g_strdup (message->body);
  batch->sent_ms = sent != NULL ? g_ascii_strtoll (sent, NULL, 10) : 0;
  parse_body (batch);
  return batch;
}

/* Busy state ------------------------------------------------------------- */

static void
set_busy (DbtDeadLetterPanel *self,
          gboolean            busy)
{
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
  gtk_spinner_set_spinning (self->spinner, self->busy > 0);
}

static void
show_error (DbtDeadLetterPanel *self,
            const GError       *error)
{
  DbtWindow *window = dbt_window_for_widget (GTK_WIDGET (self));

  if (window != NULL)
    dbt_window_show_error (window, error);
}

static void
show_toast (DbtDeadLetterPanel *self,
            const char         *message)
{
  DbtWindow *window = dbt_window_for_widget (GTK_WIDGET (self));

  if (window != NULL)
    dbt_window_show_toast (window, message);
}

/* A task of a panel that let go of it (new session, disposed): nothing to show. */
static gboolean
task_was_cancelled (GAsyncResult *result)
{
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));

  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

/* Rows ------------------------------------------------------------------- */

static const char *
condition_text (const char *condition)
{
  if (g_strcmp0 (condition, "RetryAttemptsExhausted") == 0)
    return _("Retries exhausted");
  if (g_strcmp0 (condition, "RecordAgeExceeded") == 0)
    return _("Records too old");
  if (g_strcmp0 (condition, "MaximumPayloadSizeExceeded") == 0)
    return _("Batch too large");
  return condition != NULL ? condition : _("Unknown reason");
}

static char *
local_time_text (const char *iso,
                 gint64      fallback_ms)
{
  g_autoptr(GDateTime) utc = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL && fallback_ms > 0)
    utc = g_date_time_new_from_unix_utc (fallback_ms / 1000);
  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%x %X");
}

static void
update_summary (DbtDeadLetterPanel *self)
{
  g_autofree char *text = NULL;
  guint n = self->batches->len;

  if (self->session == NULL)
    text = g_strdup ("");
  else if (self->session->queue_url == NULL)
    text = g_strdup (_("No dead-letter queue"));
  else
    {
      g_autofree char *queue = g_path_get_basename (self->session->queue_url);
      /* Translators: first %u is a count, %s a queue name. */
      g_autofree char *shown = g_strdup_printf (ngettext ("%u failed batch from %s", "%u failed batches from %s", n),
                                                n, queue);

      text = self->queue_counts != NULL ? g_strdup_printf ("%s · %s", shown, self->queue_counts)
                                        : g_steal_pointer (&shown);
    }
  gtk_label_set_label (self->summary_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button),
                            self->session != NULL && self->session->queue_url != NULL);

  gtk_stack_set_visible_child_name (self->content_stack, n > 0 ? "list" : "empty");
  if (self->session == NULL)
    adw_status_page_set_description (self->empty_page, _("Connecting…"));
  else if (self->session->queue_url == NULL)
    adw_status_page_set_description (self->empty_page,
                                     _("The stream mapping of this deployment has no on-failure destination."));
  else if (!self->loaded)
    adw_status_page_set_description (self->empty_page, _("Checking the queue…"));
  else
    adw_status_page_set_description (self->empty_page,
                                     _("Every batch was processed, or the failed ones were dealt with."));
}

static void
attach_record (GtkGrid      *grid,
               int           line,
               DbtLiveEvent *event)
{
  GtkWidget *badge = gtk_label_new (NULL);
  GtkWidget *keys = gtk_label_new (dbt_live_event_get_keys_text (event));
  GtkWidget *changes = gtk_label_new (dbt_live_event_get_changes_text (event));

  dbt_live_event_style_badge (GTK_LABEL (badge), dbt_live_event_get_event_name (event));
  gtk_widget_set_halign (badge, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (keys), 0);
  gtk_widget_add_css_class (keys, "monospace");
  gtk_label_set_xalign (GTK_LABEL (changes), 0);
  gtk_label_set_ellipsize (GTK_LABEL (changes), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (changes, TRUE);
  gtk_widget_set_tooltip_text (changes, dbt_live_event_get_changes_text (event));
  gtk_widget_add_css_class (changes, "dim-label");
  gtk_grid_attach (grid, badge, 0, line, 1, 1);
  gtk_grid_attach (grid, keys, 1, line, 1, 1);
  gtk_grid_attach (grid, changes, 2, line, 1, 1);
}

static void
set_records_message (FailedBatch *batch,
                     const char  *message)
{
  GtkWidget *child;
  GtkWidget *label;

  if (batch->records_box == NULL)
    return;
  while ((child = gtk_widget_get_first_child (batch->records_box)) != NULL)
    gtk_box_remove (GTK_BOX (batch->records_box), child);
  label = gtk_label_new (message);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (batch->records_box), label);
}

static void
show_records (FailedBatch *batch)
{
  GtkWidget *child;
  GtkWidget *grid;

  if (batch->records_box == NULL)
    return;
  if (batch->records->len == 0)
    {
      set_records_message (batch, _("The stream no longer has these records (it keeps them for 24 hours)."));
      return;
    }
  while ((child = gtk_widget_get_first_child (batch->records_box)) != NULL)
    gtk_box_remove (GTK_BOX (batch->records_box), child);
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  for (guint i = 0; i < batch->records->len; i++)
    attach_record (GTK_GRID (grid), i, g_ptr_array_index (batch->records, i));
  gtk_box_append (GTK_BOX (batch->records_box), grid);
  gtk_widget_set_sensitive (batch->redrive_button, TRUE);
  gtk_widget_set_tooltip_text (batch->redrive_button,
                               _("Write the batch’s items again so the function processes them once more"));
}

/* Reading a batch's records (worker) -------------------------------------- */

typedef struct
{
  DbtSession  *session;
  FailedBatch *batch;
} BatchTaskData;

static void
batch_task_data_free (BatchTaskData *data)
{
  g_clear_pointer (&data->session, dbt_session_unref);
  g_clear_pointer (&data->batch, failed_batch_unref);
  g_free (data);
}

static BatchTaskData *
batch_task_data_new (DbtSession  *session,
                     FailedBatch *batch)
{
  BatchTaskData *data = g_new0 (BatchTaskData, 1);

  data->session = dbt_session_ref (session);
  data->batch = failed_batch_ref (batch);
  return data;
}

/* From the first sequence number to the last, at most batchSize records. */
static void
read_records_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  BatchTaskData *data = task_data;
  FailedBatch *batch = data->batch;
  const char *stream_arn = batch->stream_arn != NULL ? batch->stream_arn : data->session->stream_arn;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *iterator = NULL;
  GError *error = NULL;
  guint empty_reads = 0;

  iterator = dbt_streams_get_shard_iterator (data->session->client, stream_arn, batch->shard_id,
                                             DBT_SHARD_ITERATOR_AT_SEQUENCE_NUMBER, batch->start_sequence,
                                             cancellable, &error);
  for (guint reads = 0; iterator != NULL && reads < MAX_RECORD_READS; reads++)
    {
      g_autoptr(DbtRecordBatch) page = dbt_streams_get_records (data->session->client, iterator, 1000,
                                                                cancellable, &error);
      gboolean done = FALSE;

      if (page == NULL)
        break;
      for (guint i = 0; i < page->records->len && !done; i++)
        {
          DbtStreamRecord *record = g_ptr_array_index (page->records, i);

          if (batch->end_sequence != NULL && dbt_number_compare (record->sequence_number, batch->end_sequence) > 0)
            done = TRUE;
          else
            g_ptr_array_add (records, dbt_live_event_new_from_record (record, data->session->owner_attribute,
                                                                      batch->shard_id));
          if (batch->batch_size > 0 && records->len >= batch->batch_size)
            done = TRUE;
        }
      empty_reads = page->records->len == 0 ? empty_reads + 1 : 0;
      g_free (iterator);
      iterator = done || empty_reads >= 3 ? NULL : g_steal_pointer (&page->next_shard_iterator);
    }

  if (error != NULL && records->len == 0)
    g_task_return_error (task, error);
  else
    {
      g_clear_error (&error);
      g_task_return_pointer (task, g_steal_pointer (&records), (GDestroyNotify) g_ptr_array_unref);
    }
}

static void
records_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DbtDeadLetterPanel *self = DBT_DEAD_LETTER_PANEL (object);
  BatchTaskData *data = g_task_get_task_data (G_TASK (result));
  FailedBatch *batch = data->batch;
  g_autoptr(GError) error = NULL;
  GPtrArray *records;

  if (task_was_cancelled (result))
    return;
  records = g_task_propagate_pointer (G_TASK (result), &error);
  batch->busy = FALSE;
  set_busy (self, FALSE);
  if (records == NULL)
    {
      g_autofree char *message = NULL;

      if (g_strcmp0 (dbt_aws_error_get_aws_code (error), "TrimmedDataAccessException") == 0
          || (error->domain == DBT_AWS_ERROR && error->code == DBT_AWS_ERROR_NOT_FOUND))
        message = g_strdup (_("The stream no longer has these records (it keeps them for 24 hours)."));
      else
        /* Translators: %s is why the records could not be read. */
        message = g_strdup_printf (_("Cannot read the records: %s"), error->message);
      set_records_message (batch, message);
      return;
    }
  g_clear_pointer (&batch->records, g_ptr_array_unref);
  batch->records = records;
  show_records (batch);
}

static void
read_records (DbtDeadLetterPanel *self,
              FailedBatch        *batch)
{
  g_autoptr(GTask) task = NULL;

  if (self->session == NULL || !batch->parsed || batch->busy || batch->records != NULL)
    return;
  batch->busy = TRUE;
  set_busy (self, TRUE);
  set_records_message (batch, _("Reading the records from the stream…"));
  task = g_task_new (self, self->cancellable, records_read_cb, NULL);
  g_task_set_source_tag (task, read_records);
  g_task_set_task_data (task, batch_task_data_new (self->session, batch), (GDestroyNotify) batch_task_data_free);
  g_task_run_in_thread (task, read_records_thread);
}

static void
expanded_cb (AdwExpanderRow *row,
             GParamSpec     *pspec,
             gpointer        user_data)
{
  DbtDeadLetterPanel *self = g_object_get_data (G_OBJECT (row), "dbt-panel");

  if (adw_expander_row_get_expanded (row))
    read_records (self, user_data);
}

/* Redrive (worker) ------------------------------------------------------- */

typedef struct
{
  guint written;
  guint skipped;
} RedriveResult;

static void
redrive_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  BatchTaskData *data = task_data;
  g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree RedriveResult *result = g_new0 (RedriveResult, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_text = g_date_time_format_iso8601 (now);
  g_autoptr(DbtItem) values = dbt_item_new ();
  g_autoptr(DbtValue) now_value = dbt_value_new_string (now_text, NULL);

  dbt_item_set (values, ":now", now_value);
  for (guint i = 0; i < data->batch->records->len; i++)
    {
      DbtLiveEvent *event = g_ptr_array_index (data->batch->records, i);
      DbtItem *key = dbt_live_event_get_keys (event);
      g_autofree char *serialized = dbt_item_serialize (key);
      const char *names[] = { "#redriven", DBT_DEAD_LETTER_REDRIVE_ATTRIBUTE, "#key", dbt_item_get_name (key, 0), NULL };
      DbtWriteOptions options = { 0 };
      GError *error = NULL;

      if (!g_hash_table_add (done, g_steal_pointer (&serialized)))
        continue;
      /* Only items that still exist: a deleted one is not brought back. */
      options.condition_expression = "attribute_exists(#key)";
      options.expression_attribute_names = names;
      options.expression_attribute_values = values;
      if (dbt_dynamodb_update_item (data->session->client, data->session->table_name, key,
                                    "SET #redriven = :now", &options, NULL, NULL, cancellable, &error))
        result->written++;
      else if (g_error_matches (error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONDITION_FAILED))
        {
          result->skipped++;
          g_clear_error (&error);
        }
      else
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_pointer (task, g_steal_pointer (&result), g_free);
}

static void
redrive_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DbtDeadLetterPanel *self = DBT_DEAD_LETTER_PANEL (object);
  BatchTaskData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree RedriveResult *redrive = NULL;
  g_autofree char *message = NULL;

  if (task_was_cancelled (result))
    return;
  redrive = g_task_propagate_pointer (G_TASK (result), &error);
  data->batch->busy = FALSE;
  set_busy (self, FALSE);
  if (redrive == NULL)
    {
      show_error (self, error);
      return;
    }
  if (redrive->skipped > 0)
    /* Translators: two counts of items. */
    message = g_strdup_printf (ngettext ("%u item written again; %u skipped (deleted since)",
                                         "%u items written again; %u skipped (deleted since)",
                                         redrive->written),
                               redrive->written, redrive->skipped);
  else
    message = g_strdup_printf (ngettext ("%u item written again", "%u items written again", redrive->written),
                               redrive->written);
  show_toast (self, message);
}

static void
redrive_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  FailedBatch *batch = user_data;
  DbtDeadLetterPanel *self = g_object_get_data (G_OBJECT (dialog), "dbt-panel");
  g_autoptr(GTask) task = NULL;

  if (g_strcmp0 (response, "redrive") != 0 || self->session == NULL || batch->row == NULL
      || batch->records == NULL || batch->busy)
    return;
  batch->busy = TRUE;
  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, redrive_done_cb, NULL);
  g_task_set_source_tag (task, redrive_response_cb);
  g_task_set_task_data (task, batch_task_data_new (self->session, batch), (GDestroyNotify) batch_task_data_free);
  g_task_run_in_thread (task, redrive_thread);
}

/* Delete (worker) -------------------------------------------------------- */

static void
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  BatchTaskData *data = task_data;
  GError *error = NULL;

  if (dbt_sqs_delete_message (data->session->client, data->session->queue_url, data->batch->receipt_handle,
                              cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
remove_batch (DbtDeadLetterPanel *self,
              FailedBatch        *batch)
{
  if (batch->row != NULL)
    gtk_list_box_remove (self->list_box, batch->row);
  batch->row = batch->records_box = batch->redrive_button = batch->delete_button = NULL;
  g_ptr_array_remove (self->batches, batch);
  update_summary (self);
}

static void
delete_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DbtDeadLetterPanel *self = DBT_DEAD_LETTER_PANEL (object);
  BatchTaskData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (task_was_cancelled (result))
    return;
  data->batch->busy = FALSE;
  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_error (self, error);
      return;
    }
  remove_batch (self, data->batch);
  show_toast (self, _("Failed batch deleted from the queue"));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  FailedBatch *batch = user_data;
  DbtDeadLetterPanel *self = g_object_get_data (G_OBJECT (dialog), "dbt-panel");
  g_autoptr(GTask) task = NULL;

  if (g_strcmp0 (response, "delete") != 0 || self->session == NULL || batch->row == NULL || batch->busy)
    return;
  batch->busy = TRUE;
  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, delete_done_cb, NULL);
  g_task_set_source_tag (task, delete_response_cb);
  g_task_set_task_data (task, batch_task_data_new (self->session, batch), (GDestroyNotify) batch_task_data_free);
  g_task_run_in_thread (task, delete_thread);
}

/* Dialogs ---------------------------------------------------------------- */

static GtkWidget *
confirm_dialog (DbtDeadLetterPanel *self,
                FailedBatch        *batch,
                const char         *heading,
                const char         *body,
                const char         *response_id,
                const char         *response_label,
                AdwResponseAppearance appearance,
                GCallback           callback)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    response_id, response_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response_id, appearance);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "dbt-panel", g_object_ref (self), g_object_unref);
  g_signal_connect_data (dialog, "response", callback, failed_batch_ref (batch),
                         (GClosureNotify) (void (*) (void)) failed_batch_unref, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
redrive_clicked_cb (GtkButton *button,
                    gpointer   user_data)
{
  DbtDeadLetterPanel *self = DBT_DEAD_LETTER_PANEL (gtk_widget_get_ancestor (GTK_WIDGET (button),
                                                                             DBT_TYPE_DEAD_LETTER_PANEL));
  FailedBatch *batch = user_data;
  g_autofree char *body = NULL;

  body = g_strdup_printf (_("A stream cannot deliver old records again. Redrive writes each item of this batch "
                            "again, setting its attribute “%s” to the current time: the stream then carries a "
                            "fresh change and the function notifies the owner of the item as it is now. The "
                            "original changes are not replayed, and items deleted since are skipped."),
                          DBT_DEAD_LETTER_REDRIVE_ATTRIBUTE);
  confirm_dialog (self, batch, _("Redrive This Batch?"), body, "redrive", _("_Redrive"),
                  ADW_RESPONSE_SUGGESTED, G_CALLBACK (redrive_response_cb));
}

static void
delete_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  DbtDeadLetterPanel *self = DBT_DEAD_LETTER_PANEL (gtk_widget_get_ancestor (GTK_WIDGET (button),
                                                                             DBT_TYPE_DEAD_LETTER_PANEL));

  confirm_dialog (self, user_data, _("Delete This Failed Batch?"),
                  _("The message is removed from the dead-letter queue for good. The records stay in the "
                    "stream until they expire (24 hours)."),
                  "delete", _("_Delete"), ADW_RESPONSE_DESTRUCTIVE, G_CALLBACK (delete_response_cb));
}

static void
add_info (GtkGrid    *grid,
          int         line,
          const char *name,
          const char *value)
{
  GtkWidget *name_label = gtk_label_new (name);
  GtkWidget *value_label = gtk_label_new (value != NULL ? value : "—");

  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_widget_add_css_class (name_label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (value_label, TRUE);
  gtk_grid_attach (grid, name_label, 0, line, 1, 1);
  gtk_grid_attach (grid, value_label, 1, line, 1, 1);
}

static GtkWidget *
batch_row_new (DbtDeadLetterPanel *self,
               FailedBatch        *batch)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *content = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *when = local_time_text (batch->timestamp, batch->sent_ms);
  int line = 0;

  if (batch->parsed)
    {
      title = g_strdup_printf (ngettext ("Batch of %u record", "Batch of %u records", batch->batch_size),
                               batch->batch_size);
      subtitle = g_strdup_printf ("%s · %s · %s", condition_text (batch->condition), when, batch->shard_id);
    }
  else
    {
      title = g_strdup (_("Not a failed-batch record"));
      subtitle = g_strdup (when);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  g_object_set_data (G_OBJECT (row), "dbt-panel", self);
  g_signal_connect_data (row, "notify::expanded", G_CALLBACK (expanded_cb), failed_batch_ref (batch),
                         (GClosureNotify) (void (*) (void)) failed_batch_unref, 0);

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  if (batch->parsed)
    {
      g_autofree char *sequences = g_strdup_printf ("%s – %s", batch->start_sequence,
                                                    batch->end_sequence != NULL ? batch->end_sequence : "?");
      g_autofree char *attempts = g_strdup_printf ("%u", batch->invoke_count);

      add_info (GTK_GRID (grid), line++, _("Shard"), batch->shard_id);
      add_info (GTK_GRID (grid), line++, _("Sequence numbers"), sequences);
      add_info (GTK_GRID (grid), line++, _("Stream"), batch->stream_arn);
      add_info (GTK_GRID (grid), line++, _("Invocations"), attempts);
      add_info (GTK_GRID (grid), line++, _("Function error"), batch->function_error);
    }
  else
    add_info (GTK_GRID (grid), line++, _("Message"), batch->body);
  add_info (GTK_GRID (grid), line++, _("Message ID"), batch->message_id);
  gtk_box_append (GTK_BOX (box), grid);

  batch->records_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), batch->records_box);
  if (batch->parsed)
    set_records_message (batch, _("The records are read from the stream when the batch is opened."));

  batch->redrive_button = gtk_button_new_with_mnemonic (_("_Redrive…"));
  gtk_widget_set_sensitive (batch->redrive_button, FALSE);
  gtk_widget_set_tooltip_text (batch->redrive_button, _("Available once the records were read from the stream"));
  g_signal_connect (batch->redrive_button, "clicked", G_CALLBACK (redrive_clicked_cb), batch);
  batch->delete_button = gtk_button_new_with_mnemonic (_("_Delete…"));
  gtk_widget_add_css_class (batch->delete_button, "destructive-action");
  g_signal_connect (batch->delete_button, "clicked", G_CALLBACK (delete_clicked_cb), batch);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), batch->redrive_button);
  gtk_box_append (GTK_BOX (buttons), batch->delete_button);
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (content), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (content), FALSE);
  gtk_widget_set_focusable (content, FALSE);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), content);
  batch->row = row;
  return row;
}

/* Checking the queue (worker) --------------------------------------------- */

typedef struct
{
  GPtrArray *messages;      /* DbtSqsMessage* */
  char      *visible;
  char      *in_flight;
} CheckResult;

static void
check_result_free (CheckResult *result)
{
  g_clear_pointer (&result->messages, g_ptr_array_unref);
  g_free (result->visible);
  g_free (result->in_flight);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CheckResult, check_result_free)

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  DbtSession *session = task_data;
  static const char *const names[] = { "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", NULL };
  DbtSqsReceiveOptions options = { .max_messages = 10, .wait_time_seconds = 0,
                                   .visibility_timeout = DBT_DEAD_LETTER_VISIBILITY_TIMEOUT };
  g_autoptr(CheckResult) result = g_new0 (CheckResult, 1);
  g_autoptr(GHashTable) attributes = NULL;
  GError *error = NULL;

  result->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_sqs_message_free);
  for (guint round = 0; round < RECEIVE_ROUNDS; round++)
    {
      g_autoptr(GPtrArray) messages = dbt_sqs_receive_message (session->client, session->queue_url, &options,
                                                               cancellable, &error);

      if (messages == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      if (messages->len == 0)
        break;
      g_ptr_array_extend_and_steal (result->messages, g_steal_pointer (&messages));
    }

  attributes = dbt_sqs_get_queue_attributes (session->client, session->queue_url, names, cancellable, &error);
  if (attributes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  result->visible = g_strdup (g_hash_table_lookup (attributes, "ApproximateNumberOfMessages"));
  result->in_flight = g_strdup (g_hash_table_lookup (attributes, "ApproximateNumberOfMessagesNotVisible"));
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) check_result_free);
}

static FailedBatch *
find_batch (DbtDeadLetterPanel *self,
            const char         *message_id)
{
  for (guint i = 0; i < self->batches->len; i++)
    {
      FailedBatch *batch = g_ptr_array_index (self->batches, i);

      if (g_strcmp0 (batch->message_id, message_id) == 0)
        return batch;
    }
  return NULL;
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  DbtDeadLetterPanel *self = DBT_DEAD_LETTER_PANEL (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(CheckResult) check = NULL;

  if (task_was_cancelled (result))
    return;
  check = g_task_propagate_pointer (G_TASK (result), &error);
  set_busy (self, FALSE);
  self->loaded = TRUE;
  if (check == NULL)
    {
      update_summary (self);
      show_error (self, error);
      return;
    }

  for (guint i = 0; i < check->messages->len; i++)
    {
      DbtSqsMessage *message = g_ptr_array_index (check->messages, i);
      FailedBatch *batch = find_batch (self, message->message_id);

      if (batch != NULL)
        {
          /* Received again (its timeout ran out): only the newest handle deletes it. */
          g_free (batch->receipt_handle);
          batch->receipt_handle = g_strdup (message->receipt_handle);
          continue;
        }
      batch = failed_batch_new (message);
      g_ptr_array_add (self->batches, batch);
      gtk_list_box_append (self->list_box, batch_row_new (self, batch));
    }

  g_clear_pointer (&self->queue_counts, g_free);
  if (check->visible != NULL && check->in_flight != NULL)
    /* Translators: the dead-letter queue's message counts, as SQS estimates them. */
    self->queue_counts = g_strdup_printf (_("about %s waiting, %s being read"), check->visible, check->in_flight);
  update_summary (self);
}

void
dbt_dead_letter_panel_reload (DbtDeadLetterPanel *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DBT_IS_DEAD_LETTER_PANEL (self));

  if (self->session == NULL || self->session->queue_url == NULL)
    {
      update_summary (self);
      return;
    }
  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, check_done_cb, NULL);
  g_task_set_source_tag (task, dbt_dead_letter_panel_reload);
  g_task_set_task_data (task, dbt_session_ref (self->session), (GDestroyNotify) dbt_session_unref);
  g_task_run_in_thread (task, check_thread);
}

static void
check_clicked_cb (DbtDeadLetterPanel *self)
{
  dbt_dead_letter_panel_reload (self);
}

/* The widget ------------------------------------------------------------- */

static void
clear_batches (DbtDeadLetterPanel *self)
{
  while (self->batches->len > 0)
    remove_batch (self, g_ptr_array_index (self->batches, self->batches->len - 1));
}

void
dbt_dead_letter_panel_set_session (DbtDeadLetterPanel *self,
                                   DbtSession         *session)
{
  g_return_if_fail (DBT_IS_DEAD_LETTER_PANEL (self));

  if (self->session == session)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = 0;
  gtk_spinner_set_spinning (self->spinner, FALSE);

  g_clear_pointer (&self->session, dbt_session_unref);
  self->session = session != NULL ? dbt_session_ref (session) : NULL;
  self->loaded = FALSE;
  g_clear_pointer (&self->queue_counts, g_free);
  clear_batches (self);
  update_summary (self);

  if (self->session != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    dbt_dead_letter_panel_reload (self);
}

guint
dbt_dead_letter_panel_get_n_batches (DbtDeadLetterPanel *self)
{
  g_return_val_if_fail (DBT_IS_DEAD_LETTER_PANEL (self), 0);
  return self->batches->len;
}

gboolean
dbt_dead_letter_panel_is_busy (DbtDeadLetterPanel *self)
{
  g_return_val_if_fail (DBT_IS_DEAD_LETTER_PANEL (self), FALSE);
  return self->busy > 0;
}

static void
dbt_dead_letter_panel_map (GtkWidget *widget)
{
  DbtDeadLetterPanel *self = DBT_DEAD_LETTER_PANEL (widget);

  GTK_WIDGET_CLASS (dbt_dead_letter_panel_parent_class)->map (widget);
  /* Read the queue when first shown. */
  if (self->session != NULL && !self->loaded && self->busy == 0)
    dbt_dead_letter_panel_reload (self);
}

static void
dbt_dead_letter_panel_dispose (GObject *object)
{
  DbtDeadLetterPanel *self = DBT_DEAD_LETTER_PANEL (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  if (self->batches != NULL)
    for (guint i = 0; i < self->batches->len; i++)
      {
        FailedBatch *batch = g_ptr_array_index (self->batches, i);

        batch->row = batch->records_box = batch->redrive_button = batch->delete_button = NULL;
      }
  gtk_widget_dispose_template (GTK_WIDGET (self), DBT_TYPE_DEAD_LETTER_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->batches, g_ptr_array_unref);
  g_clear_pointer (&self->session, dbt_session_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->queue_counts, g_free);

  G_OBJECT_CLASS (dbt_dead_letter_panel_parent_class)->dispose (object);
}

static void
dbt_dead_letter_panel_class_init (DbtDeadLetterPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbt_dead_letter_panel_dispose;
  widget_class->map = dbt_dead_letter_panel_map;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/dbt-dead-letter-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, DbtDeadLetterPanel, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DbtDeadLetterPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, DbtDeadLetterPanel, check_button);
  gtk_widget_class_bind_template_child (widget_class, DbtDeadLetterPanel, content_stack);
  gtk_widget_class_bind_template_child (widget_class, DbtDeadLetterPanel, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DbtDeadLetterPanel, list_box);
  gtk_widget_class_bind_template_callback (widget_class, check_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dbtdeadletterpanel");
}

static void
dbt_dead_letter_panel_init (DbtDeadLetterPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->batches = g_ptr_array_new_with_free_func ((GDestroyNotify) failed_batch_unref);
  update_summary (self);
}

GtkWidget *
dbt_dead_letter_panel_new (void)
{
  return g_object_new (DBT_TYPE_DEAD_LETTER_PANEL, NULL);
}
