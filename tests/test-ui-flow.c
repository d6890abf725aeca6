/* test-ui-flow.c — what a user does across the pages of one main window,
 * against a private provisioned local stack: the Live page watches the
 * stream, an item is created on the Items page (Ctrl+N, the form, Ctrl+S),
 * its row shows, its INSERT shows on the Live page (Ctrl+3), then the same
 * item is edited from its row and the MODIFY shows what changed.
 *
 * Run by meson under with-provisioned-stack.sh and run-ui-test.sh.
 */
#include "dbt-config.h"

#include <string.h>

#include "dbt-attribute-editor.h"
#include "dbt-dynamodb.h"
#include "dbt-item-editor.h"
#include "dbt-item-row.h"
#include "dbt-items-page.h"
#include "dbt-live-event.h"
#include "dbt-live-page-private.h"
#include "dbt-session.h"
#include "dbt-ui-test.h"
#include "live-stack.h"

/* 38 significant digits: what DynamoDB keeps exactly, and a double does not. */
#define FIRST_TOTAL  "12345678901234567890123456789012345678"
#define SECOND_TOTAL "98765432109876543210987654321098765432"
#define WAIT_MS 30000

typedef struct
{
  DbtWindow    *window;
  DbtItemsPage *items;
  DbtLivePage  *live;
  char         *pk;
} Flow;

/* --- waiting --------------------------------------------------------------- */

static gboolean
live_is_reading (gpointer data)
{
  DbtStreamWatcher *watcher;
  DbtStreamWatcherStatus status = { 0 };
  gboolean reading;

  if (!dbt_live_page_is_ready (data) || (watcher = dbt_live_page_get_watcher (data)) == NULL)
    return FALSE;
  dbt_stream_watcher_get_status (watcher, &status);
  /* The stream is read from LATEST, taken with the first read. */
  reading = status.n_requests > 0;
  dbt_stream_watcher_status_clear (&status);
  return reading;
}

static gboolean
items_are_idle (gpointer data)
{
  return !dbt_items_page_get_loading (data);
}

static gboolean
editor_is_open (gpointer data)
{
  return dbt_ui_test_find_toplevel (DBT_TYPE_ITEM_EDITOR, NULL) != NULL;
}

static gboolean
editor_shows_form (gpointer data)
{
  GtkWidget *stack = dbt_ui_test_find_by_id (data, "main_stack");

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), "form") == 0;
}

static gboolean
window_is_gone (gpointer data)
{
  return *(GtkWindow **) data == NULL;
}

/* --- finding what is shown ------------------------------------------------- */

static const char *
text_of (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  if (GTK_IS_INSCRIPTION (widget))
    return gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  return NULL;
}

/* A label or inscription under @root, on screen, whose text is @text, or
 * holds it when @whole is FALSE. */
static GtkWidget *
find_shown_text (GtkWidget  *root,
                 const char *text,
                 gboolean    whole)
{
  const char *shown = text_of (root);

  if (shown != NULL && gtk_widget_get_mapped (root)
      && (whole ? strcmp (shown, text) == 0 : strstr (shown, text) != NULL))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_shown_text (child, text, whole);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The Items table's row showing @pk (as the key column renders it). */
static GtkWidget *
items_row_for (Flow *f)
{
  GtkWidget *view = dbt_ui_test_find_by_id (GTK_WIDGET (f->items), "column_view");
  g_autofree char *key_text = g_strdup_printf ("\"%s\"", f->pk);
  GtkWidget *cell = find_shown_text (view, key_text, TRUE);
  GtkWidget *row;

  if (cell == NULL)
    return NULL;
  /* Cell, column cell, row: the row is the list's focusable child. */
  for (row = cell; row != NULL && gtk_widget_get_parent (row) != NULL; row = gtk_widget_get_parent (row))
    if (GTK_IS_LIST_VIEW (gtk_widget_get_parent (row)))
      return row;
  return NULL;
}

/* Sets the width of @view's column titled @title, as dragging its edge
 * does: for the screenshot to show the value whole. */
static void
resize_column (GtkWidget  *view,
               const char *title,
               int         width)
{
  GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (view));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        {
          g_assert_true (gtk_column_view_column_get_resizable (column));
          gtk_column_view_column_set_fixed_width (column, width);
          return;
        }
    }
  g_error ("no column “%s”", title);
}

static gboolean
items_row_shows (gpointer data)
{
  return items_row_for (data) != NULL;
}

/* The stream events of the flow's item, in the order read (borrowed). */
static GPtrArray *
events_of_item (Flow *f)
{
  GListModel *rows = dbt_live_list_get_rows (dbt_live_page_get_events_list (f->live));
  g_autofree char *keys = g_strdup_printf ("pk=\"%s\"", f->pk);
  GPtrArray *events = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(DbtLiveEvent) event = g_list_model_get_item (rows, i);

      if (g_strcmp0 (dbt_live_event_get_keys_text (event), keys) == 0)
        g_ptr_array_add (events, event);
    }
  return events;
}

typedef struct
{
  Flow  *flow;
  guint  count;
} EventsWanted;

static gboolean
has_events (gpointer data)
{
  EventsWanted *wanted = data;
  g_autoptr(GPtrArray) events = events_of_item (wanted->flow);

  return events->len >= wanted->count;
}

/* The flow's events once @count are listed; fails after WAIT_MS. */
static GPtrArray *
wait_for_events (Flow  *f,
                 guint  count)
{
  EventsWanted wanted = { f, count };
  GPtrArray *events;

  if (!dbt_ui_test_wait_until (has_events, &wanted, WAIT_MS))
    g_error ("the Live page lists fewer than %u events of %s", count, f->pk);
  events = events_of_item (f);
  g_assert_cmpuint (events->len, ==, count);
  return events;
}

/* --- the editor ------------------------------------------------------------ */

static void
collect_attribute_editors (GtkWidget *widget,
                           GPtrArray *editors)
{
  if (DBT_IS_ATTRIBUTE_EDITOR (widget))
    g_ptr_array_add (editors, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_attribute_editors (child, editors);
}

/* The key or top-level attribute editor named @name. */
static DbtAttributeEditor *
attribute_named (GtkWindow  *editor,
                 const char *name)
{
  g_autoptr(GPtrArray) editors = g_ptr_array_new ();

  collect_attribute_editors (GTK_WIDGET (editor), editors);
  for (guint i = 0; i < editors->len; i++)
    {
      DbtAttributeEditor *attribute = g_ptr_array_index (editors, i);
      DbtAttributeRole role = dbt_attribute_editor_get_role (attribute);

      if ((role == DBT_ATTRIBUTE_ROLE_KEY || role == DBT_ATTRIBUTE_ROLE_ATTRIBUTE)
          && g_strcmp0 (dbt_attribute_editor_get_name (attribute), name) == 0)
        return attribute;
    }
  return NULL;
}

static void
type_into (GtkWidget  *entry,
           const char *text)
{
  gtk_widget_grab_focus (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}

static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* "Add Attribute", then the new row's name, type and (for S and N) value. */
static DbtAttributeEditor *
add_attribute (GtkWindow    *editor,
               const char   *name,
               DbtValueType  kind,
               const char   *value)
{
  GtkWidget *focus;
  DbtAttributeEditor *attribute;

  click (dbt_ui_test_find_by_id (GTK_WIDGET (editor), "add_attribute_button"));
  /* The new row's name has the focus. */
  focus = gtk_root_get_focus (GTK_ROOT (editor));
  g_assert_nonnull (focus);
  attribute = DBT_ATTRIBUTE_EDITOR (gtk_widget_get_ancestor (focus, DBT_TYPE_ATTRIBUTE_EDITOR));
  g_assert_nonnull (attribute);
  type_into (dbt_ui_test_find_by_id (GTK_WIDGET (attribute), "name_entry"), name);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dbt_ui_test_find_by_id (GTK_WIDGET (attribute), "type_dropdown")), kind);
  g_assert_cmpint (dbt_attribute_editor_get_kind (attribute), ==, kind);
  if (value != NULL)
    type_into (dbt_attribute_editor_get_value_widget (attribute), value);
  return attribute;
}

/* Types @members into a set editor, adding member rows as needed. */
static void
fill_set (DbtAttributeEditor *set,
          const char *const  *members)
{
  GtkWidget *box = dbt_ui_test_find_by_id (GTK_WIDGET (set), "members_box");

  for (guint i = 0; members[i] != NULL; i++)
    {
      GtkWidget *row = gtk_widget_get_first_child (box);
      guint n = 0;

      for (; row != NULL; row = gtk_widget_get_next_sibling (row))
        if (GTK_IS_BOX (row) && n++ == i)
          break;
      if (row == NULL)
        {
          click (dbt_ui_test_find_by_id (GTK_WIDGET (set), "add_member_button"));
          for (row = gtk_widget_get_last_child (box); row != NULL && !GTK_IS_BOX (row);
               row = gtk_widget_get_prev_sibling (row))
            ;
        }
      g_assert_nonnull (row);
      type_into (gtk_widget_get_first_child (row), members[i]);
    }
}

/* The editor the main window just opened, showing its form. */
static GtkWindow *
wait_for_editor (Flow *f)
{
  GtkWindow *editor;

  g_assert_true (dbt_ui_test_wait_until (editor_is_open, NULL, 5000));
  editor = dbt_ui_test_find_toplevel (DBT_TYPE_ITEM_EDITOR, NULL);
  g_assert_true (gtk_window_get_transient_for (editor) == GTK_WINDOW (f->window));
  g_assert_true (dbt_ui_test_wait_until (editor_shows_form, editor, WAIT_MS));
  dbt_ui_test_wait_for_draw (GTK_WIDGET (editor));
  return editor;
}

/* Ctrl+S; the editor closes once the table holds the item. */
static void
save_with_keyboard (GtkWindow *editor)
{
  /* Let the editor validate what was typed. */
  dbt_ui_test_iterate (100);
  g_assert_true (gtk_widget_get_sensitive (dbt_ui_test_find_by_id (GTK_WIDGET (editor), "save_button")));
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_assert_true (dbt_ui_test_press (editor, "<Control>s"));
  if (!dbt_ui_test_wait_until (window_is_gone, &editor, WAIT_MS))
    g_error ("the editor is still open after Ctrl+S");
}

/* --- the table, read behind the console's back ----------------------------- */

static void
assert_stored_total (Flow       *f,
                     const char *total)
{
  g_autoptr(DbtConnection) connection = dbt_connection_new_local_stack ();
  g_autoptr(DbtConnectionSnapshot) snapshot = dbt_connection_snapshot_new (connection);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtSession) session = dbt_session_load (snapshot, NULL, &error);
  g_autoptr(DbtItem) key = dbt_item_new ();
  g_autoptr(DbtValue) pk = dbt_value_new_string (f->pk, NULL);
  g_autoptr(DbtItem) stored = NULL;

  g_assert_no_error (error);
  dbt_item_set (key, "pk", pk);
  g_assert_true (dbt_dynamodb_get_item (session->client, session->table_name, key, TRUE, &stored, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (stored, "total")), ==, total);
}

/* --- the flow -------------------------------------------------------------- */

static void
open_live_first (Flow *f)
{
  f->window = dbt_ui_test_open_window ();
  /* As wide as the test display. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 820);
  f->items = DBT_ITEMS_PAGE (dbt_window_get_page (f->window, "items"));
  f->live = DBT_LIVE_PAGE (dbt_window_get_page (f->window, "live"));

  g_assert_true (dbt_ui_test_press (GTK_WINDOW (f->window), "<Control>3"));
  g_assert_cmpstr (dbt_window_get_page_name (f->window), ==, "live");
  if (!dbt_ui_test_wait_until (live_is_reading, f->live, WAIT_MS))
    g_error ("the Live page does not read the stream: %s", dbt_live_page_get_problem (f->live));
  g_assert_null (dbt_live_page_get_problem (f->live));
}

static void
show_items (Flow *f)
{
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (f->window), "<Control>1"));
  g_assert_cmpstr (dbt_window_get_page_name (f->window), ==, "items");
  g_assert_true (dbt_ui_test_wait_until (items_are_idle, f->items, WAIT_MS));
  dbt_ui_test_wait_for_draw (GTK_WIDGET (f->window));
}

static void
show_live (Flow *f)
{
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (f->window), "<Control>3"));
  g_assert_cmpstr (dbt_window_get_page_name (f->window), ==, "live");
  dbt_ui_test_wait_for_draw (GTK_WIDGET (f->window));
}

static void
create_item (Flow *f)
{
  GtkWindow *editor;
  DbtAttributeEditor *key;

  /* Ctrl+N: a new item, its key focused. */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (f->window), "<Control>n"));
  editor = wait_for_editor (f);
  key = attribute_named (editor, "pk");
  g_assert_nonnull (key);
  g_assert_true (dbt_ui_test_is_inside (gtk_root_get_focus (GTK_ROOT (editor)), GTK_WIDGET (key)));

  type_into (dbt_attribute_editor_get_value_widget (key), f->pk);
  add_attribute (editor, "owner", DBT_VALUE_S, "alice");
  add_attribute (editor, "total", DBT_VALUE_N, FIRST_TOTAL);
  fill_set (add_attribute (editor, "tags", DBT_VALUE_SS, NULL), (const char *[]) { "gift", "express", NULL });
  save_with_keyboard (editor);
}

static void
edit_total_from_row (Flow *f)
{
  GtkWidget *row = items_row_for (f);
  GtkWindow *editor;
  DbtAttributeEditor *total;
  GtkWidget *focus;

  /* Focused (as a click does), Enter activates the row: its editor. */
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_grab_focus (row));
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (f->window), "Return"));
  editor = wait_for_editor (f);

  /* The item of that row, its key fixed. */
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (dbt_attribute_editor_get_value_widget (attribute_named (editor, "pk")))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dbt_attribute_editor_get_value_widget (attribute_named (editor, "pk")))),
                   ==, f->pk);
  total = attribute_named (editor, "total");
  g_assert_nonnull (total);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dbt_attribute_editor_get_value_widget (total))), ==, FIRST_TOTAL);
  type_into (dbt_attribute_editor_get_value_widget (total), SECOND_TOTAL);
  save_with_keyboard (editor);

  /* The focus stays in the list, where the keyboard left it (not on the
   * widget of the row the save replaced). */
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_get_root (focus) == GTK_ROOT (f->window));
  g_assert_true (dbt_ui_test_is_inside (focus, dbt_ui_test_find_by_id (GTK_WIDGET (f->items), "column_view")));
}

static void
test_create_then_edit (void)
{
  Flow f = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  DbtLiveEvent *insert, *modify;
  const char *insert_total = "total = " FIRST_TOTAL;
  const char *modify_changes = "total: " FIRST_TOTAL " → " SECOND_TOTAL;
  DbtLiveList *list;
  GtkWidget *row;

  if (g_getenv ("AWS_ENDPOINT_URL") == NULL)
    {
      g_test_skip ("no provisioned local stack (run under tests/with-provisioned-stack.sh)");
      return;
    }
  f.pk = live_unique_name ("order-flow");
  open_live_first (&f);
  list = dbt_live_page_get_events_list (f.live);

  /* 1. Items, Ctrl+N, the form, Ctrl+S. */
  show_items (&f);
  create_item (&f);
  assert_stored_total (&f, FIRST_TOTAL);

  /* 2. The new row, with its 38 digits whole. */
  if (!dbt_ui_test_wait_until (items_row_shows, &f, WAIT_MS))
    g_error ("no row of %s in the Items table", f.pk);
  row = items_row_for (&f);
  g_assert_nonnull (find_shown_text (row, FIRST_TOTAL, TRUE));
  g_assert_nonnull (find_shown_text (row, "\"alice\"", TRUE));
  resize_column (dbt_ui_test_find_by_id (GTK_WIDGET (f.items), "column_view"), "total", 360);
  /* The toast of the save, in place. */
  dbt_ui_test_iterate (400);
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (f.window), "flow-items"));

  /* 3. Live: the INSERT, alice's, the total exact. */
  show_live (&f);
  events = wait_for_events (&f, 1);
  insert = g_ptr_array_index (events, 0);
  g_assert_cmpint (dbt_live_event_get_event_name (insert), ==, DBT_EVENT_INSERT);
  g_assert_cmpstr (dbt_live_event_get_owner_text (insert), ==, "alice");
  g_assert_nonnull (strstr (dbt_live_event_get_changes_text (insert), insert_total));
  g_assert_nonnull (strstr (dbt_live_event_get_changes_text (insert), "tags = {"));
  dbt_ui_test_wait_for_draw (GTK_WIDGET (f.window));
  g_assert_nonnull (find_shown_text (GTK_WIDGET (list), dbt_live_event_get_changes_text (insert), TRUE));
  g_assert_nonnull (find_shown_text (GTK_WIDGET (list), insert_total, FALSE));
  g_assert_nonnull (find_shown_text (GTK_WIDGET (list), "INSERT", TRUE));
  g_assert_nonnull (find_shown_text (GTK_WIDGET (list), "alice", TRUE));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (f.window), "flow-live"));
  g_clear_pointer (&events, g_ptr_array_unref);

  /* 4. Back to the row, edit the total; Live shows the change. */
  show_items (&f);
  edit_total_from_row (&f);
  assert_stored_total (&f, SECOND_TOTAL);
  row = items_row_for (&f);
  g_assert_nonnull (row);
  g_assert_nonnull (find_shown_text (row, SECOND_TOTAL, TRUE));
  g_assert_null (find_shown_text (row, FIRST_TOTAL, TRUE));

  show_live (&f);
  events = wait_for_events (&f, 2);
  modify = g_ptr_array_index (events, 1);
  g_assert_cmpint (dbt_live_event_get_event_name (modify), ==, DBT_EVENT_MODIFY);
  g_assert_cmpstr (dbt_live_event_get_owner_text (modify), ==, "alice");
  g_assert_cmpstr (dbt_live_event_get_changes_text (modify), ==, modify_changes);
  dbt_ui_test_wait_for_draw (GTK_WIDGET (f.window));
  g_assert_nonnull (find_shown_text (GTK_WIDGET (list), modify_changes, TRUE));
  g_assert_nonnull (find_shown_text (GTK_WIDGET (list), "MODIFY", TRUE));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (f.window), "flow-live-modify"));

  g_free (f.pk);
  dbt_ui_test_close_all ();
}

int
main (int   argc,
      char *argv[])
{
  dbt_ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/flow/create-then-edit", test_create_then_edit);

  return g_test_run ();
}
