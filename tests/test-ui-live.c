/* test-ui-live.c — the Live page against a private provisioned local stack:
 * stream events as items are written, filters, pause, following the newest
 * row, delivered notifications from the log and the outbox, the
 * dead-letter panel (records, delete with confirmation), the keyboard.
 *
 * Run by meson under with-provisioned-stack.sh and run-ui-test.sh. Items
 * are written with the C library from a worker thread, as another client
 * of the table would.
 */
#include "dbt-config.h"

#include <adwaita.h>
#include <string.h>

#include "dbt-dynamodb.h"
#include "dbt-live-event.h"
#include "dbt-live-notification.h"
#include "dbt-live-page-private.h"
#include "dbt-sqs.h"
#include "dbt-ui-test.h"
#include "live-stack.h"

#define TABLE     "dbtrigger-items"
#define LOG_TABLE "dbtrigger-notification-log"
#define QUEUE     "dbtrigger-failed-batches"

static DbtAwsClient *client;

/* One client for every test; FALSE (skipped) outside a local stack. */
static gboolean
ensure_client (void)
{
  if (client == NULL)
    client = live_client_new ();
  return client != NULL;
}

/* Setup ----------------------------------------------------------------- */

static DbtItem *
parse_item (const char *json)
{
  g_autoptr(GError) error = NULL;
  DbtItem *item = dbt_item_parse (json, -1, &error);

  g_assert_no_error (error);
  return item;
}

static gboolean
watcher_has_read (gpointer data)
{
  DbtLivePage *page = data;
  DbtStreamWatcher *watcher = dbt_live_page_get_watcher (page);
  DbtStreamWatcherStatus status = { 0 };
  gboolean read;

  if (watcher == NULL)
    return FALSE;
  dbt_stream_watcher_get_status (watcher, &status);
  read = status.n_requests > 0;
  dbt_stream_watcher_status_clear (&status);
  return read;
}

static gboolean
page_is_ready (gpointer data)
{
  return dbt_live_page_is_ready (data);
}

/* The window on the Live page (Ctrl+3), reading the stream. */
static DbtLivePage *
open_live_page (DbtWindow **window_out)
{
  DbtWindow *window = dbt_ui_test_open_window ();
  DbtLivePage *page;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 820);
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "<Control>3"));
  page = DBT_LIVE_PAGE (dbt_window_get_page (window, "live"));
  g_assert_true (dbt_ui_test_wait_until (page_is_ready, page, 30000));
  g_assert_null (dbt_live_page_get_problem (page));
  /* LATEST is taken with the first read: only then are new writes seen. */
  g_assert_true (dbt_ui_test_wait_until (watcher_has_read, page, 20000));
  *window_out = window;
  return page;
}

/* Writes from a worker thread ---------------------------------------------- */

typedef void (*WriteFunc) (gpointer data);

typedef struct
{
  WriteFunc func;
  gpointer  data;
  gint      done;
} WriterJob;

static gpointer
writer_thread (gpointer data)
{
  WriterJob *job = data;

  job->func (job->data);
  g_atomic_int_set (&job->done, 1);
  return NULL;
}

static gboolean
job_done (gpointer data)
{
  WriterJob *job = data;

  return g_atomic_int_get (&job->done);
}

static void
run_in_worker (WriteFunc func,
               gpointer  data)
{
  WriterJob job = { func, data, 0 };
  GThread *thread = g_thread_new ("test-writer", writer_thread, &job);

  /* The main loop keeps running meanwhile: the page draws what comes. */
  g_assert_true (dbt_ui_test_wait_until (job_done, &job, 60000));
  g_thread_join (thread);
}

static void
put_json (const char *json)
{
  g_autoptr(DbtItem) item = parse_item (json);
  g_autoptr(GError) error = NULL;

  g_assert_true (dbt_dynamodb_put_item (client, TABLE, item, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
put_json_job (gpointer data)
{
  put_json (data);
}

static void
delete_pk (const char *pk)
{
  g_autofree char *json = g_strdup_printf ("{\"pk\":{\"S\":\"%s\"}}", pk);
  g_autoptr(DbtItem) key = parse_item (json);
  g_autoptr(GError) error = NULL;

  g_assert_true (dbt_dynamodb_delete_item (client, TABLE, key, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* INSERT, MODIFY (price 10 → 12), REMOVE of alice's item; INSERT of bob's. */
static void
write_lifecycle (gpointer data)
{
  const char *const *pks = data;
  g_autofree char *first = g_strdup_printf ("{\"pk\":{\"S\":\"%s\"},\"owner\":{\"S\":\"alice\"},\"price\":{\"N\":\"10\"}}", pks[0]);
  g_autofree char *second = g_strdup_printf ("{\"pk\":{\"S\":\"%s\"},\"owner\":{\"S\":\"alice\"},\"price\":{\"N\":\"12\"}}", pks[0]);
  g_autofree char *other = g_strdup_printf ("{\"pk\":{\"S\":\"%s\"},\"owner\":{\"S\":\"bob\"},\"price\":{\"N\":\"1\"}}", pks[1]);

  put_json (first);
  put_json (second);
  delete_pk (pks[0]);
  put_json (other);
}

typedef struct
{
  const char *prefix;
  guint       count;
} ManyItems;

static void
write_many (gpointer data)
{
  ManyItems *many = data;

  for (guint i = 0; i < many->count; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"pk\":{\"S\":\"%s-%03u\"},\"owner\":{\"S\":\"carol\"},\"n\":{\"N\":\"%u\"}}",
                                               many->prefix, i, i);
      put_json (json);
    }
}

/* Reading the lists ------------------------------------------------------- */

/* The events of @pk in the list, in order (borrowed). */
static GPtrArray *
events_of (DbtLivePage *page,
           const char  *pk)
{
  GListModel *rows = dbt_live_list_get_rows (dbt_live_page_get_events_list (page));
  g_autofree char *keys = g_strdup_printf ("pk=\"%s\"", pk);
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(DbtLiveEvent) event = g_list_model_get_item (rows, i);

      if (g_strcmp0 (dbt_live_event_get_keys_text (event), keys) == 0)
        g_ptr_array_add (found, event);
    }
  return found;
}

typedef struct
{
  DbtLivePage *page;
  const char  *pk;
  guint        count;
} EventsWanted;

static gboolean
has_events (gpointer data)
{
  EventsWanted *wanted = data;
  g_autoptr(GPtrArray) found = events_of (wanted->page, wanted->pk);

  return found->len >= wanted->count;
}

static void
wait_for_events (DbtLivePage *page,
                 const char  *pk,
                 guint        count)
{
  EventsWanted wanted = { page, pk, count };

  g_assert_true (dbt_ui_test_wait_until (has_events, &wanted, 20000));
}

static guint
n_rows (DbtLiveList *list)
{
  return g_list_model_get_n_items (dbt_live_list_get_rows (list));
}

static guint
n_shown (DbtLiveList *list)
{
  return g_list_model_get_n_items (dbt_live_list_get_shown (list));
}

typedef struct
{
  DbtLiveList *list;
  guint        count;
} RowsWanted;

static gboolean
has_rows (gpointer data)
{
  RowsWanted *wanted = data;

  return n_rows (wanted->list) >= wanted->count;
}

static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_INSCRIPTION (widget))
    return g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), text) == 0;
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* A cell (or label) under @root showing exactly @text, on screen. */
static GtkWidget *
find_cell (GtkWidget  *root,
           const char *text)
{
  if (shows_text (root, text) && gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_cell (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The button showing @text (without its mnemonic underscore). */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *text)
{
  GtkWidget *label = dbt_ui_test_find_label (root, text);

  g_assert_nonnull (label);
  return gtk_widget_get_ancestor (label, GTK_TYPE_BUTTON);
}

/* What a click does: GtkButton's "activate" first plays a press for a
 * quarter of a second. */
static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
focus_in (GtkWidget *focus,
          gpointer   data)
{
  return dbt_ui_test_is_inside (focus, data);
}

/* Tests ------------------------------------------------------------------- */

static void
test_events (void)
{
  DbtWindow *window;
  DbtLivePage *page;
  g_autofree char *alice_pk = NULL;
  g_autofree char *bob_pk = NULL;
  const char *pks[2];
  g_autoptr(GPtrArray) events = NULL;
  DbtLiveEvent *insert, *modify, *remove;
  DbtLiveList *list;

  if (!ensure_client ())
    return;
  page = open_live_page (&window);
  list = dbt_live_page_get_events_list (page);

  alice_pk = live_unique_name ("order");
  bob_pk = live_unique_name ("order");
  pks[0] = alice_pk;
  pks[1] = bob_pk;
  run_in_worker (write_lifecycle, pks);
  wait_for_events (page, alice_pk, 3);
  wait_for_events (page, bob_pk, 1);

  /* In order, with the right badges, keys, owner and changes. */
  events = events_of (page, alice_pk);
  g_assert_cmpuint (events->len, ==, 3);
  insert = g_ptr_array_index (events, 0);
  modify = g_ptr_array_index (events, 1);
  remove = g_ptr_array_index (events, 2);
  g_assert_cmpint (dbt_live_event_get_event_name (insert), ==, DBT_EVENT_INSERT);
  g_assert_cmpint (dbt_live_event_get_event_name (modify), ==, DBT_EVENT_MODIFY);
  g_assert_cmpint (dbt_live_event_get_event_name (remove), ==, DBT_EVENT_REMOVE);
  g_assert_cmpstr (dbt_live_event_get_changes_text (modify), ==, "price: 10 → 12");
  g_assert_nonnull (strstr (dbt_live_event_get_changes_text (insert), "price = 10"));
  g_assert_nonnull (strstr (dbt_live_event_get_changes_text (remove), "price = 12"));
  for (guint i = 0; i < events->len; i++)
    g_assert_cmpstr (dbt_live_event_get_owner_text (g_ptr_array_index (events, i)), ==, "alice");
  g_assert_cmpint (dbt_number_compare (dbt_live_event_get_sequence_number (insert),
                                       dbt_live_event_get_sequence_number (modify)), <, 0);
  g_assert_cmpint (dbt_number_compare (dbt_live_event_get_sequence_number (modify),
                                       dbt_live_event_get_sequence_number (remove)), <, 0);

  /* What the rows show. */
  dbt_ui_test_iterate (200);
  g_assert_nonnull (find_cell (GTK_WIDGET (list), "price: 10 → 12"));
  g_assert_nonnull (find_cell (GTK_WIDGET (list), "MODIFY"));
  g_assert_nonnull (find_cell (GTK_WIDGET (list), "REMOVE"));
  g_assert_true (dbt_live_list_get_following (list));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (window), "live-events"));

  dbt_ui_test_close_all ();
}

static void
test_filters (void)
{
  DbtWindow *window;
  DbtLivePage *page;
  DbtLiveList *list;
  GtkWidget *modify_toggle, *owner_entry, *insert_toggle, *remove_toggle;
  g_autofree char *alice_pk = live_unique_name ("order");
  g_autofree char *bob_pk = live_unique_name ("order");
  const char *pks[] = { alice_pk, bob_pk };

  if (!ensure_client ())
    return;
  page = open_live_page (&window);
  list = dbt_live_page_get_events_list (page);
  run_in_worker (write_lifecycle, (gpointer) pks);
  wait_for_events (page, alice_pk, 3);
  wait_for_events (page, bob_pk, 1);
  g_assert_cmpuint (n_shown (list), ==, 4);

  /* Only changes: the toggles, as a click would. */
  insert_toggle = dbt_ui_test_find_by_id (GTK_WIDGET (page), "insert_toggle");
  modify_toggle = dbt_ui_test_find_by_id (GTK_WIDGET (page), "modify_toggle");
  remove_toggle = dbt_ui_test_find_by_id (GTK_WIDGET (page), "remove_toggle");
  g_assert_nonnull (modify_toggle);
  click (insert_toggle);
  click (remove_toggle);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (insert_toggle)));
  g_assert_cmpuint (n_shown (list), ==, 1);
  {
    g_autoptr(DbtLiveEvent) shown = g_list_model_get_item (dbt_live_list_get_shown (list), 0);

    g_assert_cmpint (dbt_live_event_get_event_name (shown), ==, DBT_EVENT_MODIFY);
  }

  /* Every type again, one owner. */
  click (insert_toggle);
  click (remove_toggle);
  g_assert_cmpuint (n_shown (list), ==, 4);
  owner_entry = dbt_ui_test_find_by_id (GTK_WIDGET (page), "owner_entry");
  gtk_editable_set_text (GTK_EDITABLE (owner_entry), "bob");
  dbt_ui_test_iterate (400);
  g_assert_cmpuint (n_shown (list), ==, 1);
  g_assert_cmpuint (n_rows (list), ==, 4);
  {
    g_autoptr(DbtLiveEvent) shown = g_list_model_get_item (dbt_live_list_get_shown (list), 0);

    g_assert_cmpstr (dbt_live_event_get_owner_text (shown), ==, "bob");
    g_assert_cmpint (dbt_live_event_get_event_name (shown), ==, DBT_EVENT_INSERT);
  }
  click (insert_toggle);
  g_assert_cmpuint (n_shown (list), ==, 0);
  click (insert_toggle);
  gtk_editable_set_text (GTK_EDITABLE (owner_entry), "alice");
  click (remove_toggle);
  dbt_ui_test_iterate (400);
  g_assert_cmpuint (n_shown (list), ==, 2);
  g_assert_nonnull (dbt_ui_test_find_label (GTK_WIDGET (page), "2 of 4"));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (window), "live-filtered"));

  dbt_ui_test_close_all ();
}

typedef struct
{
  DbtLivePage *page;
  guint64      records;
} RecordsWanted;

static gboolean
watcher_read_records (gpointer data)
{
  RecordsWanted *wanted = data;
  DbtStreamWatcherStatus status = { 0 };
  gboolean done;

  dbt_stream_watcher_get_status (dbt_live_page_get_watcher (wanted->page), &status);
  done = status.n_records >= wanted->records;
  dbt_stream_watcher_status_clear (&status);
  return done;
}

static void
test_pause (void)
{
  DbtWindow *window;
  DbtLivePage *page;
  DbtLiveList *list;
  GtkWidget *owner_entry;
  DbtStreamWatcherStatus status = { 0 };
  ManyItems first = { NULL, 2 };
  ManyItems second = { NULL, 3 };
  g_autofree char *first_prefix = live_unique_name ("pause");
  g_autofree char *second_prefix = live_unique_name ("held");
  RecordsWanted wanted;
  RowsWanted rows;
  guint before;
  gboolean paused;

  if (!ensure_client ())
    return;
  page = open_live_page (&window);
  list = dbt_live_page_get_events_list (page);
  first.prefix = first_prefix;
  second.prefix = second_prefix;
  run_in_worker (write_many, &first);
  rows = (RowsWanted) { list, 2 };
  g_assert_true (dbt_ui_test_wait_until (has_rows, &rows, 20000));
  before = n_rows (list);

  /* Ctrl+P from inside the page pauses both lists. */
  owner_entry = dbt_ui_test_find_by_id (GTK_WIDGET (page), "owner_entry");
  gtk_widget_grab_focus (owner_entry);
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "<Control>p"));
  g_object_get (page, "paused", &paused, NULL);
  g_assert_true (paused);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (dbt_ui_test_find_by_id (GTK_WIDGET (page),
                                                                                          "pause_button"))));

  /* Written and read while paused: held, not shown. */
  dbt_stream_watcher_get_status (dbt_live_page_get_watcher (page), &status);
  wanted = (RecordsWanted) { page, status.n_records + 3 };
  dbt_stream_watcher_status_clear (&status);
  run_in_worker (write_many, &second);
  g_assert_true (dbt_ui_test_wait_until (watcher_read_records, &wanted, 20000));
  dbt_ui_test_iterate (300);
  g_assert_cmpuint (n_rows (list), ==, before);
  g_assert_cmpuint (dbt_live_list_get_n_held (list), ==, 3);
  g_assert_nonnull (dbt_ui_test_find_label (GTK_WIDGET (page), "Paused"));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (window), "live-paused"));

  /* Resumed: what came meanwhile is there at once, in order. */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "<Control>p"));
  g_assert_cmpuint (n_rows (list), ==, before + 3);
  g_assert_cmpuint (dbt_live_list_get_n_held (list), ==, 0);
  {
    g_autoptr(DbtLiveEvent) last = g_list_model_get_item (dbt_live_list_get_rows (list), before + 2);
    g_autofree char *keys = g_strdup_printf ("pk=\"%s-002\"", second_prefix);

    g_assert_cmpstr (dbt_live_event_get_keys_text (last), ==, keys);
  }

  /* Ctrl+L clears both lists. */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "<Control>l"));
  g_assert_cmpuint (n_rows (list), ==, 0);

  dbt_ui_test_close_all ();
}

static gboolean
at_end (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
         >= gtk_adjustment_get_upper (adjustment) - 4;
}

static gboolean
adjustment_at_end (gpointer data)
{
  return at_end (data) && gtk_adjustment_get_upper (data) > gtk_adjustment_get_page_size (data);
}

/* The view follows the newest row while at the end; scrolled away, it
 * stays and offers "Jump to Newest". */
static void
test_follow (void)
{
  DbtWindow *window;
  DbtLivePage *page;
  DbtLiveList *list;
  GtkWidget *scrolled, *jump;
  GtkAdjustment *adjustment;
  g_autofree char *prefix = live_unique_name ("follow");
  g_autofree char *more_prefix = live_unique_name ("more");
  ManyItems many = { prefix, 60 };
  ManyItems more = { more_prefix, 5 };
  RowsWanted rows;

  if (!ensure_client ())
    return;
  page = open_live_page (&window);
  list = dbt_live_page_get_events_list (page);
  scrolled = dbt_ui_test_find_by_type (GTK_WIDGET (list), GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  jump = find_button (GTK_WIDGET (list), "Jump to Newest");
  g_assert_true (GTK_IS_BUTTON (jump));

  run_in_worker (write_many, &many);
  rows = (RowsWanted) { list, 60 };
  g_assert_true (dbt_ui_test_wait_until (has_rows, &rows, 30000));
  g_assert_true (dbt_ui_test_wait_until (adjustment_at_end, adjustment, 5000));
  g_assert_true (dbt_live_list_get_following (list));
  g_assert_false (gtk_widget_get_visible (jump));
  dbt_ui_test_iterate (200);
  {
    g_autofree char *newest = g_strdup_printf ("pk=\"%s-059\"", prefix);

    g_assert_nonnull (find_cell (GTK_WIDGET (list), newest));
  }

  /* The user scrolls to the top: new rows no longer move the view. */
  gtk_adjustment_set_value (adjustment, 0);
  g_assert_false (dbt_live_list_get_following (list));
  g_assert_true (gtk_widget_get_visible (jump));
  run_in_worker (write_many, &more);
  rows = (RowsWanted) { list, 65 };
  g_assert_true (dbt_ui_test_wait_until (has_rows, &rows, 20000));
  dbt_ui_test_iterate (300);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
  {
    g_autofree char *newest = g_strdup_printf ("pk=\"%s-004\"", more_prefix);

    g_assert_null (find_cell (GTK_WIDGET (list), newest));
  }
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (window), "live-scrolled-away"));

  /* Jump to Newest: at the end and following again. */
  click (jump);
  g_assert_true (dbt_ui_test_wait_until (adjustment_at_end, adjustment, 5000));
  g_assert_true (dbt_live_list_get_following (list));
  dbt_ui_test_iterate (200);
  g_assert_false (gtk_widget_get_visible (jump));
  {
    g_autofree char *newest = g_strdup_printf ("pk=\"%s-004\"", more_prefix);

    g_assert_nonnull (find_cell (GTK_WIDGET (list), newest));
  }

  dbt_ui_test_close_all ();
}

/* Notifications -------------------------------------------------------- */

typedef struct
{
  char *message_ids[3];
  char *event_id;
  char *outbox;
} NotificationFixture;

static char *
iso_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *seconds = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (now) / 1000);
}

/* A SENT entry, as the handler writes it (handler/dbt-sink-aws.c). */
static void
put_log_entry (const char *event_id,
               const char *owner,
               const char *message_id,
               const char *subject)
{
  g_autofree char *sent_at = iso_now ();
  g_autofree char *json = g_strdup_printf ("{\"pk\":{\"S\":\"%s#%s\"},\"owner\":{\"S\":\"%s\"},\"eventId\":{\"S\":\"%s\"},"
                                           "\"sequenceNumber\":{\"S\":\"100\"},\"table\":{\"S\":\"" TABLE "\"},"
                                           "\"key\":{\"S\":\"pk=\\\"order-1\\\"\"},\"event\":{\"S\":\"MODIFY\"},"
                                           "\"state\":{\"S\":\"SENT\"},\"claimedAt\":{\"N\":\"1\"},"
                                           "\"expiresAt\":{\"N\":\"4102444800\"},\"sentAt\":{\"S\":\"%s\"},"
                                           "\"messageId\":{\"S\":\"%s\"},\"subject\":{\"S\":\"%s\"}}",
                                           event_id, owner, owner, event_id, sent_at, message_id, subject);
  g_autoptr(DbtItem) item = parse_item (json);
  g_autoptr(GError) error = NULL;

  g_assert_true (dbt_dynamodb_put_item (client, LOG_TABLE, item, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* A mail, as the local runner writes it (handler/local/dbt-outbox.c). */
static void
write_mail (const char *outbox,
            const char *address,
            const char *owner,
            const char *message_id,
            const char *encoded_subject)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%a, %d %b %Y %H:%M:%S +0000");
  g_autofree char *folder = g_build_filename (outbox, address, NULL);
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *name = g_strdup_printf ("%s-%s.eml", stamp, message_id);
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autofree char *text = g_strdup_printf ("From: \"AWS Notifications\" <no-reply@sns.amazonaws.com>\r\n"
                                           "To: %s\r\n"
                                           "Subject: %s\r\n"
                                           "Date: %s\r\n"
                                           "Message-ID: <%s@sns.amazonaws.com>\r\n"
                                           "MIME-Version: 1.0\r\n"
                                           "Content-Type: text/plain; charset=UTF-8\r\n"
                                           "X-Dbtrigger-Owner: %s\r\n"
                                           "X-Dbtrigger-Table: " TABLE "\r\n"
                                           "X-Dbtrigger-Event: MODIFY\r\n"
                                           "\r\n"
                                           "price: 10 -> 12\r\n",
                                           address, encoded_subject, date, message_id, owner);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

static void
write_notifications (gpointer data)
{
  NotificationFixture *fixture = data;

  /* A: logged, and mailed to alice's address (merged into one row). */
  put_log_entry (fixture->event_id, "alice", fixture->message_ids[0], "order-1 changed");
  write_mail (fixture->outbox, "alice@example.com", "alice", fixture->message_ids[0], "order-1 changed");
  /* B: logged only (an owner on AWS, no outbox). */
  put_log_entry (fixture->event_id, "bob", fixture->message_ids[1], "order-1 changed");
  /* C: a mail only, its subject RFC 2047-encoded: "Änderung: order-7". */
  write_mail (fixture->outbox, "dave@example.com", "dave", fixture->message_ids[2],
              "=?UTF-8?B?w4RuZGVydW5nOiBvcmRlci03?=");
}

static DbtLiveNotification *
find_notification (DbtLiveList *list,
                   const char  *message_id)
{
  GListModel *rows = dbt_live_list_get_rows (list);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(DbtLiveNotification) row = g_list_model_get_item (rows, i);

      if (g_strcmp0 (dbt_live_notification_get_message_id (row), message_id) == 0)
        return row;
    }
  return NULL;
}

typedef struct
{
  DbtLiveList         *list;
  NotificationFixture *fixture;
} NotificationsWanted;

static gboolean
has_notifications (gpointer data)
{
  NotificationsWanted *wanted = data;
  DbtLiveNotification *a = find_notification (wanted->list, wanted->fixture->message_ids[0]);

  return a != NULL
         && dbt_live_notification_get_sources (a) == (DBT_LIVE_NOTIFICATION_FROM_LOG | DBT_LIVE_NOTIFICATION_FROM_OUTBOX)
         && find_notification (wanted->list, wanted->fixture->message_ids[1]) != NULL
         && find_notification (wanted->list, wanted->fixture->message_ids[2]) != NULL;
}

static void
test_notifications (void)
{
  DbtWindow *window;
  DbtLivePage *page;
  DbtLiveList *list;
  NotificationFixture fixture = { { 0 } };
  NotificationsWanted wanted;
  DbtLiveNotification *a, *b, *c;
  GtkWidget *owner_entry;

  if (!ensure_client ())
    return;
  page = open_live_page (&window);
  list = dbt_live_page_get_notifications_list (page);
  for (guint i = 0; i < G_N_ELEMENTS (fixture.message_ids); i++)
    fixture.message_ids[i] = live_unique_name ("message");
  fixture.event_id = live_unique_name ("event");
  fixture.outbox = g_build_filename (g_getenv ("DBT_STACK_DIR"), "outbox", NULL);

  run_in_worker (write_notifications, &fixture);
  wanted = (NotificationsWanted) { list, &fixture };
  g_assert_true (dbt_ui_test_wait_until (has_notifications, &wanted, 20000));

  a = find_notification (list, fixture.message_ids[0]);
  g_assert_cmpstr (dbt_live_notification_get_owner (a), ==, "alice");
  g_assert_cmpstr (dbt_live_notification_get_address (a), ==, "alice@example.com");
  g_assert_cmpstr (dbt_live_notification_get_subject (a), ==, "order-1 changed");
  b = find_notification (list, fixture.message_ids[1]);
  g_assert_cmpstr (dbt_live_notification_get_owner (b), ==, "bob");
  g_assert_cmpstr (dbt_live_notification_get_address (b), ==, "");
  g_assert_cmpint (dbt_live_notification_get_sources (b), ==, DBT_LIVE_NOTIFICATION_FROM_LOG);
  c = find_notification (list, fixture.message_ids[2]);
  g_assert_cmpstr (dbt_live_notification_get_owner (c), ==, "dave");
  g_assert_cmpstr (dbt_live_notification_get_address (c), ==, "dave@example.com");
  g_assert_cmpstr (dbt_live_notification_get_subject (c), ==, "Änderung: order-7");
  g_assert_cmpint (dbt_live_notification_get_sources (c), ==, DBT_LIVE_NOTIFICATION_FROM_OUTBOX);
  g_assert_cmpuint (n_rows (list), ==, 3);

  dbt_ui_test_iterate (200);
  g_assert_nonnull (find_cell (GTK_WIDGET (list), "alice@example.com"));
  g_assert_nonnull (find_cell (GTK_WIDGET (list), "Änderung: order-7"));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (window), "live-notifications"));

  /* By owner: the feed queries the owner index; the list shows one row. */
  owner_entry = dbt_ui_test_find_by_id (GTK_WIDGET (page), "owner_entry");
  gtk_editable_set_text (GTK_EDITABLE (owner_entry), "bob");
  dbt_ui_test_iterate (3000);
  g_assert_cmpuint (n_shown (list), ==, 1);
  g_assert_null (dbt_live_page_get_problem (page));

  for (guint i = 0; i < G_N_ELEMENTS (fixture.message_ids); i++)
    g_free (fixture.message_ids[i]);
  g_free (fixture.event_id);
  g_free (fixture.outbox);
  dbt_ui_test_close_all ();
}

/* Dead letters ------------------------------------------------------------ */

static char *
queue_url (void)
{
  g_autoptr(GError) error = NULL;
  char *url = dbt_sqs_get_queue_url (client, QUEUE, NULL, &error);

  g_assert_no_error (error);
  return url;
}

typedef struct
{
  char *body;
} SendJob;

static void
send_failure (gpointer data)
{
  SendJob *job = data;
  g_autofree char *url = queue_url ();
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;

  id = dbt_sqs_send_message (client, url, job->body, NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
}

static gboolean
panel_has_batches (gpointer data)
{
  return dbt_dead_letter_panel_get_n_batches (data) == 1 && !dbt_dead_letter_panel_is_busy (data);
}

static gboolean
panel_is_empty (gpointer data)
{
  return dbt_dead_letter_panel_get_n_batches (data) == 0 && !dbt_dead_letter_panel_is_busy (data);
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelWanted;

static gboolean
has_label (gpointer data)
{
  LabelWanted *wanted = data;

  return dbt_ui_test_find_label (wanted->root, wanted->text) != NULL;
}

static gboolean
is_inactive_switcher_button (GtkWidget *focus,
                             gpointer   data)
{
  return dbt_ui_test_is_inside (focus, data) && GTK_IS_TOGGLE_BUTTON (focus)
         && !gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (focus));
}

static gboolean
is_widget (GtkWidget *focus,
           gpointer   data)
{
  return focus == data;
}

static gboolean
has_toplevel_dialog (gpointer data)
{
  return dbt_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL) != NULL;
}

static gboolean
has_no_toplevel_dialog (gpointer data)
{
  return dbt_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL) == NULL;
}

static void
test_dead_letters (void)
{
  DbtWindow *window;
  DbtLivePage *page;
  DbtDeadLetterPanel *panel;
  GtkWidget *view_stack, *switcher, *batch_row, *delete_button, *delete_response, *focus;
  GtkWidget *redrive_button, *response;
  GtkWindow *dialog;
  g_autofree char *prefix = live_unique_name ("failed");
  g_autofree char *pk = g_strdup_printf ("%s-000", prefix);
  ManyItems one = { prefix, 1 };
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(DbtTableDescription) table = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *url = NULL;
  g_autofree char *modify_json = NULL;
  SendJob job;
  DbtLiveEvent *first, *last;
  LabelWanted label_wanted;
  DbtSqsReceiveOptions no_wait = { .max_messages = 10, .wait_time_seconds = 0, .visibility_timeout = 0 };

  if (!ensure_client ())
    return;
  page = open_live_page (&window);
  panel = dbt_live_page_get_dead_letter_panel (page);

  /* Two records of one item: where the failed batch points. */
  run_in_worker (write_many, &one);
  modify_json = g_strdup_printf ("{\"pk\":{\"S\":\"%s\"},\"owner\":{\"S\":\"carol\"},\"n\":{\"N\":\"7\"}}", pk);
  run_in_worker (put_json_job, modify_json);
  wait_for_events (page, pk, 2);
  events = events_of (page, pk);
  first = g_ptr_array_index (events, 0);
  last = g_ptr_array_index (events, 1);
  table = dbt_dynamodb_describe_table (client, TABLE, NULL, &error);
  g_assert_no_error (error);

  /* Lambda's on-failure record (DDBStreamBatchInfo). */
  job.body = g_strdup_printf ("{\"requestContext\":{\"requestId\":\"3f7b7d5e-0000-4000-8000-000000000001\","
                              "\"functionArn\":\"arn:aws:lambda:us-east-1:123456789012:function:dbtrigger-handler\","
                              "\"condition\":\"RetryAttemptsExhausted\",\"approximateInvokeCount\":3},"
                              "\"responseContext\":{\"statusCode\":200,\"executedVersion\":\"$LATEST\",\"functionError\":\"Unhandled\"},"
                              "\"version\":\"1.0\",\"timestamp\":\"2026-11-25T08:37:09.717Z\","
                              "\"DDBStreamBatchInfo\":{\"shardId\":\"%s\",\"startSequenceNumber\":\"%s\",\"endSequenceNumber\":\"%s\","
                              "\"approximateArrivalOfFirstRecord\":\"2026-11-25T08:37:00Z\",\"approximateArrivalOfLastRecord\":\"2026-11-25T08:37:01Z\","
                              "\"batchSize\":2,\"streamArn\":\"%s\"}}",
                              dbt_live_event_get_shard_id (first), dbt_live_event_get_sequence_number (first),
                              dbt_live_event_get_sequence_number (last), table->latest_stream_arn);
  run_in_worker (send_failure, &job);
  g_free (job.body);

  /* Keyboard: Tab to the "Failed Batches" switch, Return. */
  view_stack = dbt_ui_test_find_by_id (GTK_WIDGET (page), "view_stack");
  switcher = dbt_ui_test_find_by_id (GTK_WIDGET (page), "view_switcher");
  focus = dbt_ui_test_tab_until (GTK_WINDOW (window), FALSE, is_inactive_switcher_button, switcher, 40);
  g_assert_nonnull (focus);
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "Return"));
  dbt_ui_test_iterate (300);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (view_stack)), ==, "failed");

  /* Shown when the panel is: the batch and its info. */
  g_assert_true (dbt_ui_test_wait_until (panel_has_batches, panel, 20000));
  g_assert_nonnull (dbt_ui_test_find_label (GTK_WIDGET (panel), "Batch of 2 records"));
  batch_row = dbt_ui_test_find_by_type (GTK_WIDGET (panel), ADW_TYPE_EXPANDER_ROW);
  g_assert_nonnull (batch_row);

  /* Opened: the records are read back from the stream. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (batch_row), TRUE);
  label_wanted = (LabelWanted) { GTK_WIDGET (panel), "n: 0 → 7" };
  g_assert_true (dbt_ui_test_wait_until (has_label, &label_wanted, 20000));
  {
    g_autofree char *sequences = g_strdup_printf ("%s – %s", dbt_live_event_get_sequence_number (first),
                                                  dbt_live_event_get_sequence_number (last));

    g_assert_nonnull (dbt_ui_test_find_label (GTK_WIDGET (panel), sequences));
  }
  dbt_ui_test_iterate (300);
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (window), "dead-letters"));

  /* Redrive, confirmed: the item is written again, and the stream shows it. */
  redrive_button = find_button (GTK_WIDGET (panel), "Redrive…");
  g_assert_true (gtk_widget_get_sensitive (redrive_button));
  focus = dbt_ui_test_tab_until (GTK_WINDOW (window), FALSE, is_widget, redrive_button, 60);
  g_assert_true (focus == redrive_button);
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "Return"));
  g_assert_true (dbt_ui_test_wait_until (has_toplevel_dialog, NULL, 5000));
  dialog = dbt_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL);
  dbt_ui_test_wait_for_draw (GTK_WIDGET (dialog));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (dialog), "dead-letters-redrive-confirm"));
  response = find_button (GTK_WIDGET (dialog), "Redrive");
  focus = dbt_ui_test_tab_until (dialog, FALSE, is_widget, response, 10);
  g_assert_true (focus == response);
  g_assert_true (dbt_ui_test_press (dialog, "Return"));
  g_assert_true (dbt_ui_test_wait_until (has_no_toplevel_dialog, NULL, 5000));
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (view_stack), "stream");
  wait_for_events (page, pk, 3);
  {
    g_autoptr(GPtrArray) after = events_of (page, pk);
    DbtLiveEvent *redriven = g_ptr_array_index (after, 2);

    g_assert_cmpint (dbt_live_event_get_event_name (redriven), ==, DBT_EVENT_MODIFY);
    g_assert_true (g_str_has_prefix (dbt_live_event_get_changes_text (redriven), "redrivenAt: added \""));
  }
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (view_stack), "failed");
  dbt_ui_test_iterate (300);

  /* Delete, by keyboard, confirmed in the dialog. */
  delete_button = find_button (GTK_WIDGET (panel), "Delete…");
  g_assert_true (GTK_IS_BUTTON (delete_button));
  focus = dbt_ui_test_tab_until (GTK_WINDOW (window), FALSE, is_widget, delete_button, 60);
  g_assert_true (focus == delete_button);
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "Return"));
  g_assert_true (dbt_ui_test_wait_until (has_toplevel_dialog, NULL, 5000));
  dialog = dbt_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL);
  dbt_ui_test_wait_for_draw (GTK_WIDGET (dialog));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (dialog), "dead-letters-delete-confirm"));
  /* Still there until confirmed. */
  g_assert_cmpuint (dbt_dead_letter_panel_get_n_batches (panel), ==, 1);
  delete_response = find_button (GTK_WIDGET (dialog), "Delete");
  g_assert_nonnull (delete_response);
  focus = dbt_ui_test_tab_until (dialog, FALSE, is_widget, delete_response, 10);
  g_assert_true (focus == delete_response);
  g_assert_true (dbt_ui_test_press (dialog, "Return"));
  g_assert_true (dbt_ui_test_wait_until (panel_is_empty, panel, 20000));

  /* Gone from the queue: nothing to receive, nothing in flight. */
  url = queue_url ();
  left = dbt_sqs_receive_message (client, url, &no_wait, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (left->len, ==, 0);
  {
    static const char *const names[] = { "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", NULL };

    attributes = dbt_sqs_get_queue_attributes (client, url, names, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (g_hash_table_lookup (attributes, "ApproximateNumberOfMessages"), ==, "0");
    g_assert_cmpstr (g_hash_table_lookup (attributes, "ApproximateNumberOfMessagesNotVisible"), ==, "0");
  }

  dbt_ui_test_close_all ();
}

/* Keyboard only: the page's controls and shortcuts. */
static void
test_keyboard (void)
{
  DbtWindow *window;
  DbtLivePage *page;
  GtkWidget *refresh, *pause, *owner_entry, *focus;
  gboolean paused;

  if (!ensure_client ())
    return;
  page = open_live_page (&window);
  refresh = dbt_ui_test_find_by_id (GTK_WIDGET (page), "refresh_button");
  pause = dbt_ui_test_find_by_id (GTK_WIDGET (page), "pause_button");
  owner_entry = dbt_ui_test_find_by_id (GTK_WIDGET (page), "owner_entry");

  focus = dbt_ui_test_tab_until (GTK_WINDOW (window), FALSE, focus_in, refresh, 30);
  g_assert_true (focus == refresh);
  focus = dbt_ui_test_tab_until (GTK_WINDOW (window), FALSE, focus_in, pause, 10);
  g_assert_true (focus == pause);
  /* Space on the pause button pauses. */
  /* (A button pressed by key shows the press for a moment, then acts.) */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "space"));
  dbt_ui_test_iterate (400);
  g_object_get (page, "paused", &paused, NULL);
  g_assert_true (paused);
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "space"));
  dbt_ui_test_iterate (400);
  g_object_get (page, "paused", &paused, NULL);
  g_assert_false (paused);

  /* Ctrl+F: the owner filter. */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "<Control>f"));
  g_assert_true (dbt_ui_test_is_inside (gtk_root_get_focus (GTK_ROOT (window)), owner_entry));

  /* Ctrl+R reconnects and reads again. */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "<Control>r"));
  g_assert_true (dbt_ui_test_wait_until (page_is_ready, page, 30000));
  g_assert_true (dbt_ui_test_wait_until (watcher_has_read, page, 20000));
  g_assert_null (dbt_live_page_get_problem (page));

  dbt_ui_test_close_all ();
}

int
main (int   argc,
      char *argv[])
{
  dbt_ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/live/events", test_events);
  g_test_add_func ("/ui/live/filters", test_filters);
  g_test_add_func ("/ui/live/pause", test_pause);
  g_test_add_func ("/ui/live/follow", test_follow);
  g_test_add_func ("/ui/live/notifications", test_notifications);
  g_test_add_func ("/ui/live/dead-letters", test_dead_letters);
  g_test_add_func ("/ui/live/keyboard", test_keyboard);

  return g_test_run ();
}
