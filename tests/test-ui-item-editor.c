/* test-ui-item-editor.c — the item editor against a private local stack:
 * create with every type, the JSON view, conflicts, faults at the field,
 * delete, and the keyboard.
 *
 * Run through tests/with-provisioned-stack.sh and tests/run-ui-test.sh. */
#include "dbt-config.h"

#include "dbt-attribute-editor.h"
#include "dbt-dynamodb.h"
#include "dbt-item-editor.h"
#include "dbt-session.h"
#include "dbt-ui-test.h"

static DbtSession *session;

/* ---- the table, read and written behind the editor's back ---------------- */

static DbtItem *
parse_item (const char *json)
{
  g_autoptr(GError) error = NULL;
  DbtItem *item = dbt_item_parse (json, -1, &error);

  g_assert_no_error (error);
  return item;
}

static void
put_item (DbtItem *item)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dbt_dynamodb_put_item (session->client, session->table_name, item, NULL,
                                        NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static DbtItem *
get_item (const char *pk)
{
  g_autofree char *json = g_strdup_printf ("{\"pk\":{\"S\":\"%s\"}}", pk);
  g_autoptr(DbtItem) key = parse_item (json);
  g_autoptr(GError) error = NULL;
  DbtItem *item = NULL;

  g_assert_true (dbt_dynamodb_get_item (session->client, session->table_name, key, TRUE,
                                        &item, NULL, &error));
  g_assert_no_error (error);
  return item;
}

static const char *test_keys[] = {
  "editor-create", "editor-json", "editor-conflict", "editor-theirs", "editor-invalid",
  "editor-delete", "editor-keyboard", "editor-original", "editor-copy", "editor-gone",
  "editor-added", "editor-types",
};

static void
delete_item (const char *pk)
{
  g_autofree char *json = g_strdup_printf ("{\"pk\":{\"S\":\"%s\"}}", pk);
  g_autoptr(DbtItem) key = parse_item (json);
  g_autoptr(GError) error = NULL;

  g_assert_true (dbt_dynamodb_delete_item (session->client, session->table_name, key, NULL,
                                           NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_items_equal (DbtItem *a,
                    DbtItem *b)
{
  if (!dbt_item_equal (a, b))
    {
      g_autofree char *ja = a != NULL ? dbt_item_serialize (a) : g_strdup ("(none)");
      g_autofree char *jb = b != NULL ? dbt_item_serialize (b) : g_strdup ("(none)");

      g_error ("items differ:\n  %s\n  %s", ja, jb);
    }
}

/* ---- the editor ---------------------------------------------------------- */

typedef struct
{
  DbtItem *saved;
  DbtItem *deleted;
  guint    n_saved;
  guint    n_deleted;
} Signals;

static void
saved_cb (GtkWindow *editor,
          DbtItem   *item,
          Signals   *signals)
{
  g_clear_pointer (&signals->saved, dbt_item_unref);
  signals->saved = dbt_item_ref (item);
  signals->n_saved++;
}

static void
deleted_cb (GtkWindow *editor,
            DbtItem   *keys,
            Signals   *signals)
{
  g_clear_pointer (&signals->deleted, dbt_item_unref);
  signals->deleted = dbt_item_ref (keys);
  signals->n_deleted++;
}

static gboolean
was_saved (gpointer data)
{
  return ((Signals *) data)->n_saved > 0;
}

static gboolean
was_deleted (gpointer data)
{
  return ((Signals *) data)->n_deleted > 0;
}

static void
signals_clear (Signals *signals)
{
  g_clear_pointer (&signals->saved, dbt_item_unref);
  g_clear_pointer (&signals->deleted, dbt_item_unref);
}

static GtkWidget *
find (GtkWidget  *root,
      const char *id)
{
  GtkWidget *widget = dbt_ui_test_find_by_id (root, id);

  g_assert_nonnull (widget);
  return widget;
}

static const char *
page_name (GtkWindow *editor)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (find (GTK_WIDGET (editor), "main_stack")));
}

typedef struct
{
  GtkWindow  *editor;
  const char *page;
} PageWait;

static gboolean
page_is (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (page_name (wait->editor), wait->page) == 0;
}

static void
wait_for_page (GtkWindow  *editor,
               const char *page)
{
  PageWait wait = { editor, page };

  if (!dbt_ui_test_wait_until (page_is, &wait, 20000))
    g_error ("the editor shows “%s”, not “%s”", page_name (editor), page);
  dbt_ui_test_iterate (50);
}

static GtkWindow *
open_editor (GtkWindow *parent,
             DbtItem   *item,
             gboolean   duplicate,
             Signals   *signals)
{
  GtkWindow *editor = dbt_item_editor_new (parent, session, item, duplicate);

  g_assert_true (DBT_IS_ITEM_EDITOR (editor));
  g_signal_connect (editor, "saved", G_CALLBACK (saved_cb), signals);
  g_signal_connect (editor, "deleted", G_CALLBACK (deleted_cb), signals);
  gtk_window_present (editor);
  wait_for_page (editor, "form");
  dbt_ui_test_wait_for_draw (GTK_WIDGET (editor));
  return editor;
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* The window the editor belongs to; the items page passes the main
 * window, any window will do. */
static GtkWindow *
open_parent (void)
{
  GtkWindow *window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (dbt_ui_test_get_application ())));

  gtk_window_set_default_size (window, 640, 480);
  gtk_window_present (window);
  g_assert_true (dbt_ui_test_wait_until (is_mapped, window, 5000));
  return window;
}

static gboolean
action_enabled (GtkWindow  *editor,
                const char *action)
{
  GtkWidget *button = find (GTK_WIDGET (editor), "save_button");

  /* The save button follows editor.save; any other action: activate it. */
  if (g_str_equal (action, "editor.save"))
    return gtk_widget_get_sensitive (button);
  g_assert_not_reached ();
}

/* Lets the editor's idle validation run. */
static void
settle (void)
{
  dbt_ui_test_iterate (60);
}

/* Attribute editors in the order they are shown, depth first. */
static void
collect_editors (GtkWidget *widget,
                 GPtrArray *editors)
{
  if (DBT_IS_ATTRIBUTE_EDITOR (widget))
    g_ptr_array_add (editors, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_editors (child, editors);
}

/* The top-level attribute (or key) editor named @name. */
static DbtAttributeEditor *
find_attribute (GtkWindow  *editor,
                const char *name)
{
  g_autoptr(GPtrArray) editors = g_ptr_array_new ();

  collect_editors (GTK_WIDGET (editor), editors);
  for (guint i = 0; i < editors->len; i++)
    {
      DbtAttributeEditor *attribute = g_ptr_array_index (editors, i);
      DbtAttributeRole role = dbt_attribute_editor_get_role (attribute);

      if ((role == DBT_ATTRIBUTE_ROLE_ATTRIBUTE || role == DBT_ATTRIBUTE_ROLE_KEY) &&
          g_strcmp0 (dbt_attribute_editor_get_name (attribute), name) == 0)
        return attribute;
    }
  return NULL;
}

/* Children (elements or entries) of a list or map editor, in order. */
static GPtrArray *
children_of (DbtAttributeEditor *parent)
{
  GtkWidget *box = find (GTK_WIDGET (parent), "children_box");
  GPtrArray *children = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (DBT_IS_ATTRIBUTE_EDITOR (child))
      g_ptr_array_add (children, child);
  return children;
}

static void
type_text (GtkWidget  *widget,
           const char *text)
{
  gtk_widget_grab_focus (widget);
  if (GTK_IS_TEXT_VIEW (widget))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

static void
choose_type (DbtAttributeEditor *attribute,
             DbtValueType        kind)
{
  GtkWidget *dropdown = find (GTK_WIDGET (attribute), "type_dropdown");

  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), (guint) kind);
  g_assert_cmpint (dbt_attribute_editor_get_kind (attribute), ==, kind);
}

static void
click (GtkWidget *button)
{
  if (!gtk_widget_is_sensitive (button))
    g_error ("“%s” is insensitive", gtk_buildable_get_buildable_id (GTK_BUILDABLE (button)));
  g_signal_emit_by_name (button, "clicked");
}

/* Name entry of an attribute: the first GtkEntry of its header. */
static GtkWidget *
name_entry_of (DbtAttributeEditor *attribute)
{
  return find (GTK_WIDGET (attribute), "name_entry");
}

/* A new top-level attribute, as the "Add Attribute" button makes it. */
static DbtAttributeEditor *
add_attribute (GtkWindow          *editor,
               const char         *name,
               DbtValueType        kind)
{
  GtkWidget *focus;
  GtkWidget *attribute;

  click (find (GTK_WIDGET (editor), "add_attribute_button"));
  /* The new row's name entry has the focus. */
  focus = gtk_root_get_focus (GTK_ROOT (editor));
  g_assert_nonnull (focus);
  attribute = gtk_widget_get_ancestor (focus, DBT_TYPE_ATTRIBUTE_EDITOR);
  g_assert_nonnull (attribute);
  g_assert_true (dbt_ui_test_is_inside (focus, name_entry_of (DBT_ATTRIBUTE_EDITOR (attribute))));
  type_text (name_entry_of (DBT_ATTRIBUTE_EDITOR (attribute)), name);
  choose_type (DBT_ATTRIBUTE_EDITOR (attribute), kind);
  return DBT_ATTRIBUTE_EDITOR (attribute);
}

/* A new element (L) or entry (M) of @parent. */
static DbtAttributeEditor *
add_child (DbtAttributeEditor *parent,
           const char         *name,
           DbtValueType        kind)
{
  g_autoptr(GPtrArray) children = NULL;
  DbtAttributeEditor *child;

  /* The box's own button is its last child (nested editors have theirs). */
  click (gtk_widget_get_last_child (find (GTK_WIDGET (parent), "children_box")));
  children = children_of (parent);
  g_assert_cmpuint (children->len, >, 0);
  child = g_ptr_array_index (children, children->len - 1);
  if (name != NULL)
    type_text (name_entry_of (child), name);
  choose_type (child, kind);
  return child;
}

/* The member entries of a set editor. */
static GPtrArray *
members_of (DbtAttributeEditor *set)
{
  GtkWidget *box = find (GTK_WIDGET (set), "members_box");
  GPtrArray *entries = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (box); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_BOX (row))
      g_ptr_array_add (entries, gtk_widget_get_first_child (row));
  return entries;
}

static void
set_members (DbtAttributeEditor *set,
             const char *const  *members)
{
  for (guint i = 0; members[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) entries = members_of (set);

      if (i >= entries->len)
        {
          click (find (GTK_WIDGET (set), "add_member_button"));
          g_ptr_array_unref (entries);
          entries = members_of (set);
        }
      g_assert_cmpuint (entries->len, >, i);
      type_text (g_ptr_array_index (entries, i), members[i]);
    }
}

static void
set_value_text (DbtAttributeEditor *attribute,
                const char         *text)
{
  type_text (dbt_attribute_editor_get_value_widget (attribute), text);
}

/* The fault shown under @attribute, or NULL. */
static const char *
field_error (DbtAttributeEditor *attribute)
{
  GtkWidget *label = find (GTK_WIDGET (attribute), "error_label");

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static void
assert_field_error (DbtAttributeEditor *attribute,
                    GtkWidget          *field,
                    const char         *fragment)
{
  const char *message = field_error (attribute);

  if (message == NULL || strstr (message, fragment) == NULL)
    g_error ("expected a fault with “%s” at %s, got “%s”", fragment,
             dbt_attribute_editor_get_name (attribute), message != NULL ? message : "(none)");
  g_assert_true (gtk_widget_has_css_class (field, "error"));
  g_assert_true (dbt_ui_test_is_showing (find (GTK_WIDGET (attribute), "error_label")));
}

/* ---- tests ------------------------------------------------------------------ */

#define NUMBER_38 "12345678901234567890123456789012345678"

static const char *rich_item_json =
  "{\"pk\":{\"S\":\"editor-create\"},"
  "\"title\":{\"S\":\"Hello, world\"},"
  "\"note\":{\"S\":\"line one\\nline two\"},"
  "\"big\":{\"N\":\"" NUMBER_38 "\"},"
  "\"tiny\":{\"N\":\"-1.5E-100\"},"
  "\"blob\":{\"B\":\"AQID\"},"
  "\"flag\":{\"BOOL\":true},"
  "\"nothing\":{\"NULL\":true},"
  "\"tags\":{\"SS\":[\"red\",\"green\"]},"
  "\"scores\":{\"NS\":[\"1\",\"2.5\"]},"
  "\"bins\":{\"BS\":[\"AQ==\",\"Ag==\"]},"
  "\"list\":{\"L\":[{\"S\":\"a\"},{\"N\":\"42\"}]},"
  "\"address\":{\"M\":{\"city\":{\"S\":\"Berlin\"},\"zip\":{\"N\":\"10115\"},"
                    "\"geo\":{\"M\":{\"lat\":{\"N\":\"52.520008\"}}}}}}";

static void
test_create_every_type (void)
{
  GtkWindow *window = open_parent ();
  Signals signals = { 0 };
  GtkWindow *editor = open_editor (window, NULL, FALSE, &signals);
  g_autoptr(DbtItem) expected = parse_item (rich_item_json);
  g_autoptr(DbtItem) stored = NULL;
  DbtAttributeEditor *key = find_attribute (editor, "pk");
  DbtAttributeEditor *attribute;
  DbtAttributeEditor *child;
  DbtAttributeEditor *geo;

  /* A new item starts with its key focused, and cannot be saved empty. */
  g_assert_nonnull (key);
  g_assert_true (dbt_ui_test_is_inside (gtk_root_get_focus (GTK_ROOT (editor)), GTK_WIDGET (key)));
  settle ();
  g_assert_false (action_enabled (editor, "editor.save"));

  set_value_text (key, "editor-create");
  set_value_text (add_attribute (editor, "title", DBT_VALUE_S), "Hello, world");

  attribute = add_attribute (editor, "note", DBT_VALUE_S);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (GTK_WIDGET (attribute), "multiline_button")), TRUE);
  g_assert_true (GTK_IS_TEXT_VIEW (dbt_attribute_editor_get_value_widget (attribute)));
  set_value_text (attribute, "line one\nline two");

  set_value_text (add_attribute (editor, "big", DBT_VALUE_N), NUMBER_38);
  set_value_text (add_attribute (editor, "tiny", DBT_VALUE_N), "-1.5E-100");
  attribute = add_attribute (editor, "blob", DBT_VALUE_B);
  set_value_text (attribute, "AQID");
  settle ();
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (GTK_WIDGET (attribute), "size_label"))), ==, "3 bytes");

  attribute = add_attribute (editor, "flag", DBT_VALUE_BOOL);
  gtk_switch_set_active (GTK_SWITCH (dbt_attribute_editor_get_value_widget (attribute)), TRUE);
  add_attribute (editor, "nothing", DBT_VALUE_NULL);

  set_members (add_attribute (editor, "tags", DBT_VALUE_SS), (const char *[]) { "red", "green", NULL });
  set_members (add_attribute (editor, "scores", DBT_VALUE_NS), (const char *[]) { "1", "2.5", NULL });
  set_members (add_attribute (editor, "bins", DBT_VALUE_BS), (const char *[]) { "AQ==", "Ag==", NULL });

  attribute = add_attribute (editor, "list", DBT_VALUE_L);
  set_value_text (add_child (attribute, NULL, DBT_VALUE_S), "a");
  set_value_text (add_child (attribute, NULL, DBT_VALUE_N), "42");

  attribute = add_attribute (editor, "address", DBT_VALUE_M);
  set_value_text (add_child (attribute, "city", DBT_VALUE_S), "Berlin");
  /* Reordering: "geo" is added before "zip", then moved below it. */
  geo = add_child (attribute, "geo", DBT_VALUE_M);
  child = add_child (geo, "lat", DBT_VALUE_N);
  set_value_text (child, "52.520008");
  set_value_text (add_child (attribute, "zip", DBT_VALUE_N), "10115");
  click (find (GTK_WIDGET (geo), "down_button"));
  {
    g_autoptr(GPtrArray) children = children_of (attribute);

    g_assert_cmpuint (children->len, ==, 3);
    g_assert_cmpstr (dbt_attribute_editor_get_name (g_ptr_array_index (children, 2)), ==, "geo");
  }

  settle ();
  g_assert_true (action_enabled (editor, "editor.save"));
  gtk_window_set_default_size (editor, 900, 1000);
  dbt_ui_test_iterate (100);
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (editor), "item-editor-create"));
  /* The rest of the form: sets, the list, the nested map. */
  {
    GtkAdjustment *adjustment =
      gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (find (GTK_WIDGET (editor), "form_scroller")));

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
    dbt_ui_test_iterate (100);
    g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (editor), "item-editor-create-nested"));
  }

  /* Ctrl+S saves; the editor closes and reports what the table holds. */
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_assert_true (dbt_ui_test_press (editor, "<Control>s"));
  g_assert_true (dbt_ui_test_wait_until (was_saved, &signals, 20000));
  dbt_ui_test_iterate (50);
  g_assert_null (editor);

  stored = get_item ("editor-create");
  assert_items_equal (stored, expected);
  assert_items_equal (signals.saved, expected);
  /* The 38 digits come back as they were typed. */
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (stored, "big")), ==, NUMBER_38);

  signals_clear (&signals);
  dbt_ui_test_close_all ();
}


static DbtItem *
rich_item (const char *pk)
{
  g_autoptr(DbtItem) item = parse_item (rich_item_json);
  g_autoptr(DbtValue) key = dbt_value_new_string (pk, NULL);

  dbt_item_set (item, "pk", key);
  return g_steal_pointer (&item);
}

static char *
json_text (GtkWindow *editor)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find (GTK_WIDGET (editor), "json_view")));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_json_text (GtkWindow  *editor,
               const char *text)
{
  GtkWidget *view = find (GTK_WIDGET (editor), "json_view");

  gtk_widget_grab_focus (view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
  settle ();
}

static void
switch_view (GtkWindow  *editor,
             const char *view)
{
  g_autofree char *id = g_strdup_printf ("%s_button", view);

  click (find (GTK_WIDGET (editor), id));
  settle ();
}

/* Form → JSON → form → JSON: the same item each time; a JSON fault stays in
 * the JSON view, at its line, with the text kept. */
static void
test_json_round_trip (void)
{
  GtkWindow *window = open_parent ();
  Signals signals = { 0 };
  g_autoptr(DbtItem) item = rich_item ("editor-json");
  g_autoptr(DbtItem) shown = NULL;
  g_autoptr(DbtItem) changed = NULL;
  g_autoptr(DbtItem) back = NULL;
  g_autoptr(DbtValue) seven = dbt_value_new_number ("7", NULL);
  g_autofree char *text = NULL;
  g_autofree char *changed_text = NULL;
  g_autofree char *again = NULL;
  g_autofree char *kept = NULL;
  GtkWidget *error_label;
  GtkWindow *editor;
  DbtAttributeEditor *extra;
  const char *bad =
    "{\n"
    "  \"pk\": {\"S\": \"editor-json\"},\n"
    "  \"count\": {\"N\": \"1e\"}\n"
    "}\n";
  const char *broken =
    "{\n"
    "  \"pk\": {\"S\": \"editor-json\"},,\n"
    "  \"count\": {\"N\": \"1\"}\n"
    "}\n";

  put_item (item);
  editor = open_editor (window, item, FALSE, &signals);

  switch_view (editor, "json");
  g_assert_cmpstr (page_name (editor), ==, "json");
  text = json_text (editor);
  g_assert_nonnull (strchr (text, '\n'));   /* pretty-printed */
  shown = parse_item (text);
  assert_items_equal (shown, item);
  /* Exact number text survives the view. */
  g_assert_nonnull (strstr (text, NUMBER_38));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (editor), "item-editor-json"));

  /* An attribute added in the JSON shows in the form, with its type. */
  changed = dbt_item_copy (shown);
  dbt_item_set (changed, "extra", seven);
  changed_text = dbt_item_serialize (changed);
  set_json_text (editor, changed_text);
  g_assert_true (action_enabled (editor, "editor.save"));
  switch_view (editor, "form");
  g_assert_cmpstr (page_name (editor), ==, "form");
  extra = find_attribute (editor, "extra");
  g_assert_nonnull (extra);
  g_assert_cmpint (dbt_attribute_editor_get_kind (extra), ==, DBT_VALUE_N);
  g_assert_nonnull (find_attribute (editor, "address"));

  /* ...and back: still the same item. */
  switch_view (editor, "json");
  again = json_text (editor);
  back = parse_item (again);
  assert_items_equal (back, changed);

  /* An invalid number: the fault names its line, Save is off, the form
   * is refused and the text stays as typed. */
  set_json_text (editor, bad);
  error_label = find (GTK_WIDGET (editor), "json_error_label");
  g_assert_true (dbt_ui_test_is_showing (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "Line 3:"));
  g_assert_false (action_enabled (editor, "editor.save"));
  switch_view (editor, "form");
  g_assert_cmpstr (page_name (editor), ==, "json");
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find (GTK_WIDGET (editor), "json_view")));
    GtkTextIter cursor;

    /* The cursor went to the faulty line. */
    gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
    g_assert_cmpint (gtk_text_iter_get_line (&cursor), ==, 2);
  }
  kept = json_text (editor);
  g_assert_cmpstr (kept, ==, bad);
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (editor), "item-editor-json-error"));

  /* A syntax error, at its line too. */
  set_json_text (editor, broken);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "Line 2:"));
  g_assert_false (action_enabled (editor, "editor.save"));

  /* Fixed: the fault goes away. */
  set_json_text (editor, changed_text);
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_true (action_enabled (editor, "editor.save"));

  gtk_window_destroy (editor);
  signals_clear (&signals);
  dbt_ui_test_close_all ();
}

static gboolean
grid_shows (GtkWindow  *editor,
            const char *text)
{
  return dbt_ui_test_find_label (find (GTK_WIDGET (editor), "conflict_list"), text) != NULL;
}

typedef struct
{
  Signals *signals;
  guint    n;
} SavedWait;

static gboolean
saved_n_times (gpointer data)
{
  SavedWait *wait = data;

  return wait->signals->n_saved >= wait->n;
}

static void
wait_until_saved (Signals *signals,
                  guint    n)
{
  SavedWait wait = { signals, n };

  g_assert_true (dbt_ui_test_wait_until (saved_n_times, &wait, 20000));
  g_assert_cmpuint (signals->n_saved, ==, n);
  dbt_ui_test_iterate (50);
}

/* Someone else writes while the editor is open: nothing is overwritten
 * unseen, "Overwrite with Mine" catches a second change too. */
static void
test_conflict (void)
{
  GtkWindow *window = open_parent ();
  Signals signals = { 0 };
  g_autoptr(DbtItem) v1 = parse_item ("{\"pk\":{\"S\":\"editor-conflict\"},\"title\":{\"S\":\"original\"},"
                                      "\"count\":{\"N\":\"1\"},\"tags\":{\"SS\":[\"a\"]}}");
  g_autoptr(DbtItem) v2 = parse_item ("{\"pk\":{\"S\":\"editor-conflict\"},\"title\":{\"S\":\"theirs\"},"
                                      "\"count\":{\"N\":\"2\"},\"tags\":{\"SS\":[\"a\"]},\"added\":{\"S\":\"by them\"}}");
  g_autoptr(DbtItem) v3 = parse_item ("{\"pk\":{\"S\":\"editor-conflict\"},\"title\":{\"S\":\"theirs\"},"
                                      "\"count\":{\"N\":\"3\"},\"tags\":{\"SS\":[\"a\"]},\"added\":{\"S\":\"by them\"}}");
  g_autoptr(DbtItem) mine = parse_item ("{\"pk\":{\"S\":\"editor-conflict\"},\"title\":{\"S\":\"mine\"},"
                                        "\"count\":{\"N\":\"1\"},\"tags\":{\"SS\":[\"a\"]}}");
  g_autoptr(DbtItem) stored = NULL;
  GtkWindow *editor;

  put_item (v1);
  editor = open_editor (window, v1, FALSE, &signals);
  set_value_text (find_attribute (editor, "title"), "mine");
  settle ();

  /* Behind the editor's back. */
  put_item (v2);

  g_assert_true (dbt_ui_test_press (editor, "<Control>s"));
  wait_for_page (editor, "conflict");
  g_assert_cmpuint (signals.n_saved, ==, 0);
  g_assert_true (grid_shows (editor, "\"theirs\""));
  g_assert_true (grid_shows (editor, "\"mine\""));
  g_assert_true (grid_shows (editor, "\"by them\""));
  g_assert_true (grid_shows (editor, "2"));
  g_assert_true (dbt_ui_test_is_showing (find (GTK_WIDGET (editor), "overwrite_button")));
  g_assert_false (dbt_ui_test_is_showing (find (GTK_WIDGET (editor), "save_button")));
  gtk_window_set_default_size (editor, 900, 700);
  dbt_ui_test_iterate (100);
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (editor), "item-editor-conflict"));

  /* The table still holds the other writer's version. */
  stored = get_item ("editor-conflict");
  assert_items_equal (stored, v2);
  g_clear_pointer (&stored, dbt_item_unref);

  /* A second writer, after the conflict was shown: overwriting is
   * conditional on the version shown, so it is caught as well. */
  put_item (v3);
  click (find (GTK_WIDGET (editor), "overwrite_button"));
  g_assert_true (dbt_ui_test_wait_until ((DbtUiTestCondition) gtk_widget_is_sensitive,
                                         find (GTK_WIDGET (editor), "overwrite_button"), 20000));
  settle ();
  g_assert_cmpstr (page_name (editor), ==, "conflict");
  g_assert_true (grid_shows (editor, "3"));
  stored = get_item ("editor-conflict");
  assert_items_equal (stored, v3);
  g_clear_pointer (&stored, dbt_item_unref);

  /* Now nobody interferes: mine is written, exactly. */
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  click (find (GTK_WIDGET (editor), "overwrite_button"));
  wait_until_saved (&signals, 1);
  g_assert_null (editor);
  stored = get_item ("editor-conflict");
  assert_items_equal (stored, mine);
  assert_items_equal (signals.saved, mine);

  signals_clear (&signals);
  dbt_ui_test_close_all ();
}

/* "Use Theirs" reloads the form with the table's version; a new item whose
 * key exists is a conflict too. */
static void
test_conflict_use_theirs (void)
{
  GtkWindow *window = open_parent ();
  Signals signals = { 0 };
  g_autoptr(DbtItem) v1 = parse_item ("{\"pk\":{\"S\":\"editor-theirs\"},\"title\":{\"S\":\"original\"}}");
  g_autoptr(DbtItem) v2 = parse_item ("{\"pk\":{\"S\":\"editor-theirs\"},\"title\":{\"S\":\"theirs\"},\"n\":{\"N\":\"5\"}}");
  g_autoptr(DbtItem) stored = NULL;
  GtkWindow *editor;
  DbtAttributeEditor *title;

  put_item (v1);
  editor = open_editor (window, v1, FALSE, &signals);
  set_value_text (find_attribute (editor, "title"), "mine");
  put_item (v2);
  g_assert_true (dbt_ui_test_press (editor, "<Control>s"));
  wait_for_page (editor, "conflict");

  click (find (GTK_WIDGET (editor), "use_theirs_button"));
  settle ();
  g_assert_cmpstr (page_name (editor), ==, "form");
  title = find_attribute (editor, "title");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dbt_attribute_editor_get_value_widget (title))), ==, "theirs");
  g_assert_nonnull (find_attribute (editor, "n"));

  /* Saving what the table holds writes nothing and closes. */
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_assert_true (dbt_ui_test_press (editor, "<Control>s"));
  wait_until_saved (&signals, 1);
  g_assert_null (editor);
  stored = get_item ("editor-theirs");
  assert_items_equal (stored, v2);

  /* A new item with the key of an existing one. */
  editor = open_editor (window, NULL, FALSE, &signals);
  set_value_text (find_attribute (editor, "pk"), "editor-theirs");
  set_value_text (add_attribute (editor, "title", DBT_VALUE_S), "new");
  settle ();
  g_assert_true (dbt_ui_test_press (editor, "<Control>s"));
  wait_for_page (editor, "conflict");
  g_assert_nonnull (dbt_ui_test_find_label (GTK_WIDGET (editor), "An Item with This Key Exists"));
  g_assert_true (grid_shows (editor, "\"theirs\""));
  g_assert_true (grid_shows (editor, "\"new\""));
  g_clear_pointer (&stored, dbt_item_unref);
  stored = get_item ("editor-theirs");
  assert_items_equal (stored, v2);

  /* Cancel goes back to the form with the user's input. */
  g_assert_true (dbt_ui_test_press (editor, "Escape"));
  g_assert_cmpstr (page_name (editor), ==, "form");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dbt_attribute_editor_get_value_widget (find_attribute (editor, "title")))),
                   ==, "new");

  gtk_window_destroy (editor);
  signals_clear (&signals);
  dbt_ui_test_close_all ();
}

/* Deleted meanwhile: "Create It Again" puts it back, only if it is still
 * absent. An attribute someone else only added is kept, and reported. */
static void
test_conflict_deleted_and_added (void)
{
  GtkWindow *window = open_parent ();
  Signals signals = { 0 };
  g_autoptr(DbtItem) v1 = parse_item ("{\"pk\":{\"S\":\"editor-gone\"},\"title\":{\"S\":\"original\"}}");
  g_autoptr(DbtItem) mine = parse_item ("{\"pk\":{\"S\":\"editor-gone\"},\"title\":{\"S\":\"mine\"}}");
  g_autoptr(DbtItem) v1_added = parse_item ("{\"pk\":{\"S\":\"editor-added\"},\"title\":{\"S\":\"original\"},"
                                            "\"n\":{\"N\":\"1\"},\"gone\":{\"BOOL\":true}}");
  g_autoptr(DbtItem) v2_added = parse_item ("{\"pk\":{\"S\":\"editor-added\"},\"title\":{\"S\":\"original\"},"
                                            "\"n\":{\"N\":\"1\"},\"gone\":{\"BOOL\":true},\"theirs\":{\"S\":\"kept\"}}");
  g_autoptr(DbtItem) merged = parse_item ("{\"pk\":{\"S\":\"editor-added\"},\"title\":{\"S\":\"mine\"},"
                                          "\"n\":{\"N\":\"1.0\"},\"theirs\":{\"S\":\"kept\"}}");
  g_autoptr(DbtItem) stored = NULL;
  GtkWindow *editor;
  GtkWidget *remove;

  put_item (v1);
  editor = open_editor (window, v1, FALSE, &signals);
  set_value_text (find_attribute (editor, "title"), "mine");
  delete_item ("editor-gone");
  g_assert_true (dbt_ui_test_press (editor, "<Control>s"));
  wait_for_page (editor, "conflict");
  g_assert_nonnull (dbt_ui_test_find_label (GTK_WIDGET (editor), "Someone Deleted This Item"));
  stored = get_item ("editor-gone");
  g_assert_null (stored);

  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  click (find (GTK_WIDGET (editor), "overwrite_button"));
  wait_until_saved (&signals, 1);
  g_assert_null (editor);
  stored = get_item ("editor-gone");
  assert_items_equal (stored, mine);
  g_clear_pointer (&stored, dbt_item_unref);

  /* Someone adds "theirs" while "title" changes, "n" is rewritten as an
   * equal number and "gone" is removed here: no conflict, "theirs" stays. */
  put_item (v1_added);
  editor = open_editor (window, v1_added, FALSE, &signals);
  set_value_text (find_attribute (editor, "title"), "mine");
  set_value_text (find_attribute (editor, "n"), "1.0");
  remove = find (GTK_WIDGET (find_attribute (editor, "gone")), "remove_button");
  click (remove);
  settle ();
  put_item (v2_added);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_assert_true (dbt_ui_test_press (editor, "<Control>s"));
  wait_until_saved (&signals, 2);
  g_assert_null (editor);
  stored = get_item ("editor-added");
  assert_items_equal (stored, merged);
  assert_items_equal (signals.saved, merged);

  signals_clear (&signals);
  dbt_ui_test_close_all ();
}

/* Changing a type keeps what fits; renaming is removing and adding. */
static void
test_change_type_and_rename (void)
{
  GtkWindow *window = open_parent ();
  Signals signals = { 0 };
  g_autoptr(DbtItem) item = parse_item ("{\"pk\":{\"S\":\"editor-types\"},\"a\":{\"S\":\"42\"},"
                                        "\"tags\":{\"SS\":[\"x\",\"y\"]}}");
  g_autoptr(DbtItem) expected = parse_item ("{\"pk\":{\"S\":\"editor-types\"},\"amount\":{\"N\":\"42\"},"
                                            "\"tags\":{\"SS\":[\"x\",\"y\"]}}");
  g_autoptr(DbtItem) stored = NULL;
  DbtAttributeEditor *a;
  DbtAttributeEditor *tags;
  GtkWindow *editor;

  put_item (item);
  editor = open_editor (window, item, FALSE, &signals);
  a = find_attribute (editor, "a");
  tags = find_attribute (editor, "tags");

  /* S → N keeps the text, which is a valid number. */
  choose_type (a, DBT_VALUE_N);
  settle ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dbt_attribute_editor_get_value_widget (a))), ==, "42");
  g_assert_null (field_error (a));

  /* SS → NS keeps the members, which are not numbers; and back. */
  choose_type (tags, DBT_VALUE_NS);
  settle ();
  g_assert_nonnull (field_error (tags));
  g_assert_false (action_enabled (editor, "editor.save"));
  choose_type (tags, DBT_VALUE_SS);
  settle ();
  g_assert_null (field_error (tags));

  type_text (name_entry_of (a), "amount");
  settle ();
  g_assert_true (action_enabled (editor, "editor.save"));
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_assert_true (dbt_ui_test_press (editor, "<Control>s"));
  wait_until_saved (&signals, 1);
  stored = get_item ("editor-types");
  assert_items_equal (stored, expected);

  signals_clear (&signals);
  dbt_ui_test_close_all ();
}

/* Every kind of fault shows at its field and keeps Save off. */
static void
test_invalid_input (void)
{
  GtkWindow *window = open_parent ();
  Signals signals = { 0 };
  GtkWindow *editor = open_editor (window, NULL, FALSE, &signals);
  DbtAttributeEditor *key = find_attribute (editor, "pk");
  DbtAttributeEditor *number;
  DbtAttributeEditor *long_number;
  DbtAttributeEditor *strings;
  DbtAttributeEditor *numbers;
  DbtAttributeEditor *binary;
  DbtAttributeEditor *binaries;
  DbtAttributeEditor *unnamed;
  DbtAttributeEditor *twin;
  DbtAttributeEditor *huge;
  g_autoptr(GPtrArray) members = NULL;
  g_autofree char *big_text = NULL;
  GtkWidget *item_error;

  /* Missing key. */
  settle ();
  assert_field_error (key, dbt_attribute_editor_get_value_widget (key), "cannot be empty");
  g_assert_false (action_enabled (editor, "editor.save"));

  number = add_attribute (editor, "price", DBT_VALUE_N);
  set_value_text (number, "12abc");
  long_number = add_attribute (editor, "precise", DBT_VALUE_N);
  set_value_text (long_number, NUMBER_38 "9");
  strings = add_attribute (editor, "colours", DBT_VALUE_SS);
  set_members (strings, (const char *[]) { "red", "", NULL });
  numbers = add_attribute (editor, "sizes", DBT_VALUE_NS);
  set_members (numbers, (const char *[]) { "1", "1.0", NULL });
  binary = add_attribute (editor, "data", DBT_VALUE_B);
  set_value_text (binary, "abc");
  binaries = add_attribute (editor, "chunks", DBT_VALUE_BS);
  set_members (binaries, (const char *[]) { "AQ==", "AQ==", NULL });
  unnamed = add_attribute (editor, "", DBT_VALUE_S);
  twin = add_attribute (editor, "price", DBT_VALUE_S);
  settle ();

  assert_field_error (key, dbt_attribute_editor_get_value_widget (key), "cannot be empty");
  assert_field_error (number, dbt_attribute_editor_get_value_widget (number), "Not a number");
  assert_field_error (long_number, dbt_attribute_editor_get_value_widget (long_number), "39 significant digits");
  members = members_of (strings);
  assert_field_error (strings, g_ptr_array_index (members, 1), "Member 2 is empty");
  g_clear_pointer (&members, g_ptr_array_unref);
  members = members_of (numbers);
  assert_field_error (numbers, g_ptr_array_index (members, 1), "twice");
  g_clear_pointer (&members, g_ptr_array_unref);
  assert_field_error (binary, dbt_attribute_editor_get_value_widget (binary), "Not base64");
  members = members_of (binaries);
  assert_field_error (binaries, g_ptr_array_index (members, 1), "twice");
  g_clear_pointer (&members, g_ptr_array_unref);
  assert_field_error (unnamed, name_entry_of (unnamed), "Enter a name");
  assert_field_error (twin, name_entry_of (twin), "already named");
  g_assert_false (action_enabled (editor, "editor.save"));
  gtk_window_set_default_size (editor, 900, 1100);
  dbt_ui_test_iterate (100);
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (editor), "item-editor-invalid"));

  /* Each fix clears its own fault, and only that one. */
  set_value_text (key, "editor-invalid");
  set_value_text (number, "12.5");
  set_value_text (long_number, NUMBER_38);
  settle ();
  g_assert_null (field_error (key));
  g_assert_null (field_error (number));
  g_assert_null (field_error (long_number));
  g_assert_false (gtk_widget_has_css_class (dbt_attribute_editor_get_value_widget (number), "error"));
  g_assert_nonnull (field_error (binary));
  g_assert_false (action_enabled (editor, "editor.save"));

  members = members_of (strings);
  type_text (g_ptr_array_index (members, 1), "green");
  g_clear_pointer (&members, g_ptr_array_unref);
  members = members_of (numbers);
  type_text (g_ptr_array_index (members, 1), "2");
  g_clear_pointer (&members, g_ptr_array_unref);
  members = members_of (binaries);
  type_text (g_ptr_array_index (members, 1), "Ag==");
  g_clear_pointer (&members, g_ptr_array_unref);
  set_value_text (binary, "YWJj");
  type_text (name_entry_of (unnamed), "label");
  type_text (name_entry_of (twin), "price-text");
  settle ();
  g_assert_null (field_error (strings));
  g_assert_null (field_error (numbers));
  g_assert_null (field_error (binary));
  g_assert_null (field_error (binaries));
  g_assert_null (field_error (unnamed));
  g_assert_null (field_error (twin));
  g_assert_true (action_enabled (editor, "editor.save"));

  /* Over 400 KB: the fault is the item's, under its size. */
  huge = add_attribute (editor, "huge", DBT_VALUE_S);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (GTK_WIDGET (huge), "multiline_button")), TRUE);
  big_text = g_strnfill (401 * 1024, 'x');
  set_value_text (huge, big_text);
  settle ();
  item_error = find (GTK_WIDGET (editor), "item_error_label");
  g_assert_true (dbt_ui_test_is_showing (item_error));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (item_error)), "400 KiB"));
  g_assert_true (gtk_widget_has_css_class (find (GTK_WIDGET (editor), "item_size_label"), "error"));
  g_assert_false (action_enabled (editor, "editor.save"));

  /* Removing it makes the item valid again. */
  click (find (GTK_WIDGET (huge), "remove_button"));
  settle ();
  g_assert_null (find_attribute (editor, "huge"));
  g_assert_false (gtk_widget_get_visible (item_error));
  g_assert_true (action_enabled (editor, "editor.save"));

  gtk_window_destroy (editor);
  signals_clear (&signals);
  dbt_ui_test_close_all ();
}

static void
wait_until_deleted (Signals *signals)
{
  g_assert_true (dbt_ui_test_wait_until (was_deleted, signals, 20000));
  dbt_ui_test_iterate (50);
}

static AdwMessageDialog *
find_dialog (GtkWindow *editor)
{
  GtkWindow *dialog = dbt_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL);

  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == editor);
  dbt_ui_test_wait_for_draw (GTK_WIDGET (dialog));
  return ADW_MESSAGE_DIALOG (dialog);
}

/* Delete asks first, naming the key, and is conditional too. */
static void
test_delete (void)
{
  GtkWindow *window = open_parent ();
  Signals signals = { 0 };
  g_autoptr(DbtItem) item = parse_item ("{\"pk\":{\"S\":\"editor-delete\"},\"title\":{\"S\":\"bye\"}}");
  g_autoptr(DbtItem) changed = parse_item ("{\"pk\":{\"S\":\"editor-delete\"},\"title\":{\"S\":\"changed\"}}");
  g_autoptr(DbtItem) key = parse_item ("{\"pk\":{\"S\":\"editor-delete\"}}");
  g_autoptr(DbtItem) stored = NULL;
  AdwMessageDialog *dialog;
  GtkWindow *editor;

  put_item (item);
  editor = open_editor (window, item, FALSE, &signals);
  click (find (GTK_WIDGET (editor), "delete_button"));
  dialog = find_dialog (editor);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "pk=\"editor-delete\""));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (dialog), "item-editor-delete-confirm"));

  /* Cancel keeps it. */
  adw_message_dialog_response (dialog, "cancel");
  dbt_ui_test_iterate (100);
  stored = get_item ("editor-delete");
  assert_items_equal (stored, item);
  g_clear_pointer (&stored, dbt_item_unref);

  /* Changed meanwhile: not deleted, both shown. */
  put_item (changed);
  click (find (GTK_WIDGET (editor), "delete_button"));
  adw_message_dialog_response (find_dialog (editor), "delete");
  wait_for_page (editor, "conflict");
  g_assert_cmpuint (signals.n_deleted, ==, 0);
  g_assert_true (grid_shows (editor, "\"changed\""));
  g_assert_true (grid_shows (editor, "\"bye\""));
  stored = get_item ("editor-delete");
  assert_items_equal (stored, changed);
  g_clear_pointer (&stored, dbt_item_unref);

  /* "Delete Anyway" deletes the version shown. */
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  click (find (GTK_WIDGET (editor), "overwrite_button"));
  wait_until_deleted (&signals);
  g_assert_null (editor);
  stored = get_item ("editor-delete");
  g_assert_null (stored);
  assert_items_equal (signals.deleted, key);

  signals_clear (&signals);
  dbt_ui_test_close_all ();
}

static gboolean
focus_is (GtkWidget *focus,
          gpointer   data)
{
  return dbt_ui_test_is_inside (focus, data);
}

static gboolean
window_gone (gpointer data)
{
  return *(GtkWindow **) data == NULL;
}

/* Keyboard only: Tab through the form, Enter on buttons, Ctrl+S saves,
 * Escape closes (asking first when something changed). */
static void
test_keyboard (void)
{
  GtkWindow *window = open_parent ();
  Signals signals = { 0 };
  GtkWindow *editor = open_editor (window, NULL, FALSE, &signals);
  g_autoptr(DbtItem) expected = parse_item ("{\"pk\":{\"S\":\"editor-keyboard\"},\"colour\":{\"S\":\"blue\"}}");
  g_autoptr(DbtItem) stored = NULL;
  DbtAttributeEditor *key = find_attribute (editor, "pk");
  DbtAttributeEditor *attribute;
  GtkWidget *focus;
  GtkWidget *add_button = find (GTK_WIDGET (editor), "add_attribute_button");
  AdwMessageDialog *dialog;

  /* The key's value has the focus: type it. */
  focus = gtk_root_get_focus (GTK_ROOT (editor));
  g_assert_true (dbt_ui_test_is_inside (focus, dbt_attribute_editor_get_value_widget (key)));
  gtk_editable_set_text (GTK_EDITABLE (dbt_attribute_editor_get_value_widget (key)), "editor-keyboard");

  /* Tab reaches "Add Attribute"; Enter presses it; the new name has the focus. */
  g_assert_nonnull (dbt_ui_test_tab_until (editor, FALSE, focus_is, add_button, 20));
  g_assert_true (dbt_ui_test_press (editor, "Return"));
  /* A button activated by key shows itself pressed for a moment first. */
  dbt_ui_test_iterate (400);
  focus = gtk_root_get_focus (GTK_ROOT (editor));
  attribute = DBT_ATTRIBUTE_EDITOR (gtk_widget_get_ancestor (focus, DBT_TYPE_ATTRIBUTE_EDITOR));
  g_assert_nonnull (attribute);
  g_assert_true (dbt_ui_test_is_inside (focus, name_entry_of (attribute)));
  gtk_editable_set_text (GTK_EDITABLE (name_entry_of (attribute)), "colour");

  /* Tab: the type, then the value. */
  g_assert_nonnull (dbt_ui_test_tab_until (editor, FALSE, focus_is, find (GTK_WIDGET (attribute), "type_dropdown"), 3));
  g_assert_nonnull (dbt_ui_test_tab_until (editor, FALSE, focus_is, dbt_attribute_editor_get_value_widget (attribute), 3));
  gtk_editable_set_text (GTK_EDITABLE (dbt_attribute_editor_get_value_widget (attribute)), "blue");
  /* Shift+Tab goes back. */
  g_assert_nonnull (dbt_ui_test_tab_until (editor, TRUE, focus_is, find (GTK_WIDGET (attribute), "type_dropdown"), 3));
  g_assert_nonnull (dbt_ui_test_tab_until (editor, FALSE, focus_is, dbt_attribute_editor_get_value_widget (attribute), 3));
  settle ();
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (editor), "item-editor-keyboard"));

  /* Ctrl+S saves. */
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_assert_true (dbt_ui_test_press (editor, "<Control>s"));
  wait_until_saved (&signals, 1);
  g_assert_null (editor);
  stored = get_item ("editor-keyboard");
  assert_items_equal (stored, expected);

  /* Escape closes an unchanged editor at once. */
  editor = open_editor (window, stored, FALSE, &signals);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_assert_true (dbt_ui_test_press (editor, "Escape"));
  g_assert_true (dbt_ui_test_wait_until (window_gone, &editor, 5000));

  /* With a change, Escape asks; "Keep Editing" stays, "Discard" closes. */
  editor = open_editor (window, stored, FALSE, &signals);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  gtk_editable_set_text (GTK_EDITABLE (dbt_attribute_editor_get_value_widget (find_attribute (editor, "colour"))), "red");
  settle ();
  g_assert_true (dbt_ui_test_press (editor, "Escape"));
  dialog = find_dialog (editor);
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (dialog), "item-editor-discard"));
  adw_message_dialog_response (dialog, "cancel");
  dbt_ui_test_iterate (100);
  g_assert_nonnull (editor);
  g_assert_true (dbt_ui_test_press (editor, "Escape"));
  adw_message_dialog_response (find_dialog (editor), "discard");
  g_assert_true (dbt_ui_test_wait_until (window_gone, &editor, 5000));
  g_clear_pointer (&stored, dbt_item_unref);
  stored = get_item ("editor-keyboard");
  assert_items_equal (stored, expected);

  signals_clear (&signals);
  dbt_ui_test_close_all ();
}

/* Duplicate: a new item prefilled from another, its key editable. */
static void
test_duplicate (void)
{
  GtkWindow *window = open_parent ();
  Signals signals = { 0 };
  g_autoptr(DbtItem) source = rich_item ("editor-original");
  g_autoptr(DbtItem) copy = rich_item ("editor-copy");
  g_autoptr(DbtItem) stored = NULL;
  GtkWindow *editor;
  DbtAttributeEditor *key;

  put_item (source);
  editor = open_editor (window, source, TRUE, &signals);
  g_assert_nonnull (dbt_ui_test_find_label (GTK_WIDGET (editor), "Duplicate Item"));
  g_assert_false (dbt_ui_test_is_showing (find (GTK_WIDGET (editor), "delete_button")));
  key = find_attribute (editor, "pk");
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (dbt_attribute_editor_get_value_widget (key))));
  set_value_text (key, "editor-copy");
  settle ();

  /* Enter in a field saves (Save is the default). */
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_assert_true (dbt_ui_test_is_inside (gtk_root_get_focus (GTK_ROOT (editor)), dbt_attribute_editor_get_value_widget (key)));
  g_assert_true (dbt_ui_test_press (editor, "Return"));
  wait_until_saved (&signals, 1);
  g_assert_null (editor);
  stored = get_item ("editor-copy");
  assert_items_equal (stored, copy);
  g_clear_pointer (&stored, dbt_item_unref);
  stored = get_item ("editor-original");
  assert_items_equal (stored, source);

  /* Editing: the key is shown but cannot change. */
  editor = open_editor (window, source, FALSE, &signals);
  key = find_attribute (editor, "pk");
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (dbt_attribute_editor_get_value_widget (key))));
  g_assert_nonnull (dbt_ui_test_find_label (GTK_WIDGET (editor), "Edit Item"));
  g_assert_true (dbt_ui_test_is_showing (find (GTK_WIDGET (editor), "delete_button")));

  gtk_window_destroy (editor);
  signals_clear (&signals);
  dbt_ui_test_close_all ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(DbtConnection) connection = NULL;
  g_autoptr(DbtConnectionSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  dbt_ui_test_init (&argc, &argv);

  connection = dbt_connection_new_local_stack ();
  snapshot = dbt_connection_snapshot_new (connection);
  session = dbt_session_load (snapshot, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (session->table_name, ==, "dbtrigger-items");

  /* Tests may run again against a stack that is kept: start clean. */
  for (guint i = 0; i < G_N_ELEMENTS (test_keys); i++)
    delete_item (test_keys[i]);

  g_test_add_func ("/item-editor/create-every-type", test_create_every_type);
  g_test_add_func ("/item-editor/json-round-trip", test_json_round_trip);
  g_test_add_func ("/item-editor/conflict", test_conflict);
  g_test_add_func ("/item-editor/conflict-use-theirs", test_conflict_use_theirs);
  g_test_add_func ("/item-editor/conflict-deleted-and-added", test_conflict_deleted_and_added);
  g_test_add_func ("/item-editor/change-type-and-rename", test_change_type_and_rename);
  g_test_add_func ("/item-editor/invalid-input", test_invalid_input);
  g_test_add_func ("/item-editor/delete", test_delete);
  g_test_add_func ("/item-editor/keyboard", test_keyboard);
  g_test_add_func ("/item-editor/duplicate", test_duplicate);

  status = g_test_run ();
  dbt_session_unref (session);
  return status;
}
