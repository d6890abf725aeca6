/* test-ui-items.c — the Items page against the local stack.
 *
 * Runs under tests/with-provisioned-stack.sh and run-ui-test.sh: the table
 * of the provisioned stack gets N_SEEDED items (every type, a 38-digit
 * number, sets, maps, non-ASCII text) written with the C library, then the
 * page is driven as a user would and checked against what a direct Scan
 * of the table says.
 */
#include "dbt-config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "dbt-dynamodb.h"
#include "dbt-item-editor.h"
#include "dbt-item-row.h"
#include "dbt-items-page.h"
#include "dbt-local-stack.h"
#include "dbt-page.h"
#include "dbt-ui-test.h"
#include "live-stack.h"

#define N_SEEDED 450
#define PAGE_SIZE 200
#define BIG_NUMBER "12345678901234567890123456789012345678"
#define WAIT_MS 60000

static DbtAwsClient *client;
static char *table_name;
static char *stack_dir;

/* --- the table ----------------------------------------------------------- */

static DbtValue *
string_value (const char *text)
{
  g_autoptr(GError) error = NULL;
  DbtValue *value = dbt_value_new_string (text, &error);

  g_assert_no_error (error);
  return value;
}

static DbtValue *
number_value (const char *text)
{
  g_autoptr(GError) error = NULL;
  DbtValue *value = dbt_value_new_number (text, &error);

  g_assert_no_error (error);
  return value;
}

static void
set_take (DbtItem    *item,
          const char *name,
          DbtValue   *value)
{
  dbt_item_set (item, name, value);
  dbt_value_unref (value);
}

static DbtValue *
set_value (DbtValueType  type,
           const char   *first,
           ...)
{
  g_autoptr(GPtrArray) members = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  DbtValue *value;
  va_list args;

  va_start (args, first);
  for (const char *m = first; m != NULL; m = va_arg (args, const char *))
    g_ptr_array_add (members, (gpointer) m);
  va_end (args);
  value = dbt_value_new_set (type, members, &error);
  g_assert_no_error (error);
  return value;
}

/* Item i: pk "item-%03d"; "n" a number (some negative, some fractions, one
 * of 38 digits, every tenth without); owner alice/bob/none; tags and scores
 * sets on some; a map; a non-ASCII name on some. */
static DbtItem *
seeded_item (guint i)
{
  DbtItem *item = dbt_item_new ();
  g_autofree char *pk = g_strdup_printf ("item-%03u", i);
  g_autofree char *name = g_strdup_printf (i % 7 == 0 ? "Grüße aus Köln %u — 東京" : "name %u", i);
  g_autoptr(DbtItem) meta = dbt_item_new ();

  set_take (item, "pk", string_value (pk));
  if (i % 3 != 2)
    set_take (item, "owner", string_value (i % 3 == 0 ? "alice" : "bob"));
  if (i == 123)
    set_take (item, "n", number_value (BIG_NUMBER));
  else if (i % 10 != 9)
    {
      g_autofree char *n = g_strdup_printf ("%s%u%s", i % 4 == 1 ? "-" : "", (i * 37) % 1000,
                                            i % 5 == 0 ? ".5" : "");

      set_take (item, "n", number_value (n));
    }
  set_take (item, "name", string_value (name));
  if (i % 4 == 0)
    set_take (item, "tags", set_value (DBT_VALUE_SS, i % 8 == 0 ? "red" : "blue", "green", NULL));
  if (i % 5 == 0)
    set_take (item, "scores", set_value (DBT_VALUE_NS, "1", i % 15 == 0 ? "7" : "8", NULL));
  set_take (meta, "rank", number_value (i % 2 == 0 ? "1" : "2"));
  set_take (meta, "note", string_value ("ok"));
  set_take (item, "meta", dbt_value_new_map (meta));
  set_take (item, "active", dbt_value_new_bool (i % 2 == 0));
  /* One item with many attributes: more than there are columns. */
  if (i == 5)
    for (guint extra = 1; extra <= 14; extra++)
      {
        g_autofree char *attribute = g_strdup_printf ("x%02u", extra);

        set_take (item, attribute, number_value ("1"));
      }
  return item;
}

static void
put_item (DbtItem *item)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dbt_dynamodb_put_item (client, table_name, item, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
delete_item (const char *pk)
{
  g_autoptr(DbtItem) key = dbt_item_new ();
  g_autoptr(GError) error = NULL;

  set_take (key, "pk", string_value (pk));
  g_assert_true (dbt_dynamodb_delete_item (client, table_name, key, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Every item of @table, by a direct Scan. */
static GPtrArray *
scan_all (const char *table)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_item_unref);
  g_autoptr(DbtItem) start = NULL;

  do
    {
      DbtReadOptions options = { .exclusive_start_key = start };
      g_autoptr(GError) error = NULL;
      g_autoptr(DbtItemPage) page = dbt_dynamodb_scan (client, table, &options, NULL, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < page->items->len; i++)
        g_ptr_array_add (items, dbt_item_ref (g_ptr_array_index (page->items, i)));
      g_clear_pointer (&start, dbt_item_unref);
      start = g_steal_pointer (&page->last_evaluated_key);
    }
  while (start != NULL);

  return items;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

typedef gboolean (*ItemMatch) (DbtItem *item, gconstpointer data);

/* The sorted pk values of the table's items that @match accepts. */
static GPtrArray *
expected_keys (const char    *table,
               const char    *key_name,
               ItemMatch      match,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) items = scan_all (table);
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < items->len; i++)
    {
      DbtItem *item = g_ptr_array_index (items, i);
      DbtValue *key = dbt_item_get (item, key_name);

      if (match == NULL || match (item, data))
        g_ptr_array_add (keys, g_strdup (dbt_value_get_string (key)));
    }
  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

/* A stack folder like the provisioned one, with @table for the items table
 * and @endpoint (NULL: the same) for the endpoint. */
static char *
make_stack_dir (const char *table,
                const char *endpoint)
{
  g_autofree char *dir = g_dir_make_tmp ("dbt-items-stack-XXXXXX", NULL);
  g_autofree char *env_path = g_build_filename (stack_dir, "stack.env", NULL);
  g_autofree char *outputs_path = g_build_filename (stack_dir, "terraform-outputs.json", NULL);
  g_autofree char *env = NULL;
  g_autoptr(GString) new_env = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *new_outputs = NULL;
  JsonObject *root;
  g_autofree char *new_env_path = NULL;
  g_autofree char *new_outputs_path = NULL;

  g_assert_nonnull (dir);
  g_assert_true (g_file_get_contents (env_path, &env, NULL, &error));
  lines = g_strsplit (env, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (endpoint != NULL && g_str_has_prefix (lines[i], "AWS_ENDPOINT_URL="))
      g_string_append_printf (new_env, "AWS_ENDPOINT_URL=%s\n", endpoint);
    else if (*lines[i] != '\0')
      g_string_append_printf (new_env, "%s\n", lines[i]);

  g_assert_true (json_parser_load_from_file (parser, outputs_path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  if (table != NULL)
    {
      JsonObject *output = json_object_new ();

      json_object_set_string_member (output, "value", table);
      json_object_set_object_member (root, "table_name", output);
    }
  new_outputs = json_to_string (json_parser_get_root (parser), TRUE);

  new_env_path = g_build_filename (dir, "stack.env", NULL);
  new_outputs_path = g_build_filename (dir, "terraform-outputs.json", NULL);
  g_assert_true (g_file_set_contents (new_env_path, new_env->str, -1, &error));
  g_assert_true (g_file_set_contents (new_outputs_path, new_outputs, -1, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&dir);
}

static void
remove_stack_dir (const char *dir)
{
  g_autofree char *env_path = g_build_filename (dir, "stack.env", NULL);
  g_autofree char *outputs_path = g_build_filename (dir, "terraform-outputs.json", NULL);

  g_unlink (env_path);
  g_unlink (outputs_path);
  g_rmdir (dir);
}

/* --- the page ------------------------------------------------------------ */

typedef struct
{
  DbtWindow     *window;
  DbtItemsPage  *page;
  GtkColumnView *view;
  GListModel    *model;      /* what the view shows, in its order */
} Fixture;

static gboolean
page_is_idle (gpointer data)
{
  return !dbt_items_page_get_loading (data);
}

static void
wait_idle (Fixture *f)
{
  g_assert_true (dbt_ui_test_wait_until (page_is_idle, f->page, WAIT_MS));
  dbt_ui_test_iterate (20);
}

static const char *
visible_content (Fixture *f)
{
  GtkWidget *stack = dbt_ui_test_find_by_id (GTK_WIDGET (f->page), "content_stack");

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static const char *
count_text (Fixture *f)
{
  GtkWidget *label = dbt_ui_test_find_by_id (GTK_WIDGET (f->page), "count_label");

  return gtk_label_get_text (GTK_LABEL (label));
}

static void
fixture_open (Fixture *f)
{
  f->window = dbt_ui_test_open_window ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 700);
  dbt_window_set_page_name (f->window, "items");
  f->page = DBT_ITEMS_PAGE (dbt_window_get_page (f->window, "items"));
  f->view = GTK_COLUMN_VIEW (dbt_ui_test_find_by_id (GTK_WIDGET (f->page), "column_view"));
  f->model = G_LIST_MODEL (gtk_column_view_get_model (f->view));
  wait_idle (f);
}

static void
fixture_close (Fixture *f)
{
  dbt_ui_test_close_all ();
  memset (f, 0, sizeof *f);
}

static DbtItem *
row_item (Fixture *f,
          guint    position)
{
  g_autoptr(DbtItemRow) row = g_list_model_get_item (f->model, position);

  return dbt_item_row_get_item (row);
}

static const char *
row_pk (Fixture    *f,
        guint       position,
        const char *key_name)
{
  return dbt_value_get_string (dbt_item_get (row_item (f, position), key_name));
}

/* Scrolls to the end again and again until the table is read. */
static void
scroll_to_end (Fixture *f)
{
  /* Not by its id: each AdwStatusPage holds a "scrolled_window" too. */
  GtkWidget *scrolled = gtk_widget_get_parent (GTK_WIDGET (f->view));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

  for (guint i = 0; i < 200 && !dbt_items_page_get_complete (f->page); i++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      dbt_ui_test_iterate (30);
      wait_idle (f);
    }
  g_assert_true (dbt_items_page_get_complete (f->page));
}

/* Back to the first row, for a screenshot. */
static void
scroll_to_top (Fixture *f)
{
  GtkWidget *scrolled = gtk_widget_get_parent (GTK_WIDGET (f->view));

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)), 0);
  dbt_ui_test_wait_for_draw (GTK_WIDGET (f->window));
}

/* The keys the view shows, sorted; each must show once. */
static GPtrArray *
shown_keys (Fixture    *f,
            const char *key_name)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < g_list_model_get_n_items (f->model); i++)
    {
      const char *pk = row_pk (f, i, key_name);

      g_assert_nonnull (pk);
      if (!g_hash_table_add (seen, (gpointer) pk))
        g_error ("%s is shown twice", pk);
      g_ptr_array_add (keys, g_strdup (pk));
    }
  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

static void
assert_same_keys (GPtrArray *shown,
                  GPtrArray *expected)
{
  for (guint i = 0; i < MIN (shown->len, expected->len); i++)
    g_assert_cmpstr (g_ptr_array_index (shown, i), ==, g_ptr_array_index (expected, i));
  g_assert_cmpuint (shown->len, ==, expected->len);
}

static GtkColumnViewColumn *
column_named (Fixture    *f,
              const char *title)
{
  GListModel *columns = gtk_column_view_get_columns (f->view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;
    }
  return NULL;
}

static char *
column_title (Fixture *f,
              guint    position)
{
  g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (gtk_column_view_get_columns (f->view), position);

  return g_strdup (gtk_column_view_column_get_title (column));
}

static gint64
table_item_count (const char *table)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtTableDescription) description = dbt_dynamodb_describe_table (client, table, NULL, &error);

  g_assert_no_error (error);
  return description->item_count;
}

/* --- tests --------------------------------------------------------------- */

static void
test_first_page (void)
{
  Fixture f;
  g_autofree char *expected = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gint64 item_count = table_item_count (table_name);

  fixture_open (&f);
  g_assert_cmpstr (visible_content (&f), ==, "items");
  g_assert_cmpuint (g_list_model_get_n_items (f.model), ==, PAGE_SIZE);
  g_assert_false (dbt_items_page_get_complete (f.page));

  /* DynamoDB's approximate count serves as the total while scanning. */
  if (item_count > PAGE_SIZE)
    expected = g_strdup_printf ("%d of about %" G_GINT64_FORMAT, PAGE_SIZE, item_count);
  else
    expected = g_strdup_printf ("%d items loaded", PAGE_SIZE);
  g_assert_cmpstr (count_text (&f), ==, expected);

  /* The key, then the owner, then what the items hold. */
  first = column_title (&f, 0);
  second = column_title (&f, 1);
  g_assert_cmpstr (first, ==, "pk");
  g_assert_cmpstr (second, ==, "owner");
  g_assert_nonnull (column_named (&f, "n"));
  g_assert_nonnull (column_named (&f, "name"));

  dbt_ui_test_wait_for_draw (GTK_WIDGET (f.window));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (f.window), "items-page-loaded"));
  fixture_close (&f);
}

static void
test_scroll_to_end (void)
{
  Fixture f;
  g_autoptr(GPtrArray) shown = NULL;
  g_autoptr(GPtrArray) expected = expected_keys (table_name, "pk", NULL, NULL);
  g_autofree char *count = g_strdup_printf ("%u items", expected->len);

  g_assert_cmpuint (expected->len, ==, N_SEEDED);
  fixture_open (&f);
  scroll_to_end (&f);

  /* Every item exactly once. */
  shown = shown_keys (&f, "pk");
  assert_same_keys (shown, expected);
  g_assert_cmpstr (count_text (&f), ==, count);

  /* The key and the owner, twelve other attributes, then "More" for the
   * rest. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (f.view)), ==, 2 + 12 + 1);
  g_assert_nonnull (column_named (&f, "More"));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (f.window), "items-page-all-loaded"));
  fixture_close (&f);
}

static gboolean
sort_is_done (gpointer data)
{
  Fixture *f = data;
  GtkSortListModel *sorted = GTK_SORT_LIST_MODEL (gtk_single_selection_get_model (GTK_SINGLE_SELECTION (f->model)));

  return gtk_sort_list_model_get_pending (sorted) == 0;
}

static void
assert_numeric_order (Fixture     *f,
                      GtkSortType  order)
{
  const char *previous = NULL;
  gboolean missing_seen = FALSE;
  guint n = g_list_model_get_n_items (f->model);

  g_assert_true (dbt_ui_test_wait_until (sort_is_done, f, WAIT_MS));
  for (guint i = 0; i < n; i++)
    {
      DbtValue *value = dbt_item_get (row_item (f, i), "n");
      const char *number;

      if (value == NULL)
        {
          missing_seen = TRUE;
          continue;
        }
      /* Items without the attribute come after the others (ascending) or
       * before them (descending): never in between. */
      if (order == GTK_SORT_ASCENDING)
        g_assert_false (missing_seen);
      number = dbt_value_get_string (value);
      if (previous != NULL)
        {
          int cmp = dbt_number_compare (previous, number);

          if (order == GTK_SORT_ASCENDING)
            g_assert_cmpint (cmp, <=, 0);
          else
            g_assert_cmpint (cmp, >=, 0);
        }
      previous = number;
    }
}

static void
test_sort_numeric (void)
{
  Fixture f;
  GtkColumnViewColumn *column;
  GtkWidget *sort_label;

  fixture_open (&f);
  column = column_named (&f, "n");
  g_assert_nonnull (column);
  sort_label = dbt_ui_test_find_by_id (GTK_WIDGET (f.page), "sort_label");

  /* While the table is partly read, the sort covers the loaded items and
   * says so. */
  gtk_column_view_sort_by_column (f.view, column, GTK_SORT_ASCENDING);
  assert_numeric_order (&f, GTK_SORT_ASCENDING);
  dbt_ui_test_iterate (20);
  g_assert_true (gtk_widget_get_visible (sort_label));

  scroll_to_end (&f);
  assert_numeric_order (&f, GTK_SORT_ASCENDING);
  g_assert_false (gtk_widget_get_visible (sort_label));
  /* Exact: the 38-digit number is the largest, "-999" style ones first. */
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (row_item (&f, N_SEEDED - N_SEEDED / 10 - 1), "n")), ==, BIG_NUMBER);
  scroll_to_top (&f);
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (f.window), "items-sorted"));

  gtk_column_view_sort_by_column (f.view, column, GTK_SORT_DESCENDING);
  assert_numeric_order (&f, GTK_SORT_DESCENDING);
  /* The column view reverses the whole order: the items without "n" first. */
  g_assert_null (dbt_item_get (row_item (&f, 0), "n"));
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (row_item (&f, N_SEEDED / 10), "n")), ==, BIG_NUMBER);

  /* Strings: by collation. */
  gtk_column_view_sort_by_column (f.view, column_named (&f, "pk"), GTK_SORT_ASCENDING);
  g_assert_true (dbt_ui_test_wait_until (sort_is_done, &f, WAIT_MS));
  for (guint i = 1; i < g_list_model_get_n_items (f.model); i++)
    g_assert_cmpint (g_utf8_collate (row_pk (&f, i - 1, "pk"), row_pk (&f, i, "pk")), <=, 0);

  fixture_close (&f);
}

/* --- filters ------------------------------------------------------------- */

static void
apply_filter (Fixture    *f,
              guint       mode,
              const char *attribute,
              const char *value)
{
  GtkWidget *search_bar = dbt_ui_test_find_by_id (GTK_WIDGET (f->page), "search_bar");
  GtkWidget *dropdown = dbt_ui_test_find_by_id (GTK_WIDGET (f->page), "filter_mode_dropdown");
  GtkWidget *attribute_entry = dbt_ui_test_find_by_id (GTK_WIDGET (f->page), "filter_attribute_entry");
  GtkWidget *value_entry = dbt_ui_test_find_by_id (GTK_WIDGET (f->page), "search_entry");

  if (!gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (search_bar)))
    g_assert_true (dbt_ui_test_press (GTK_WINDOW (f->window), "<Control>f"));
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (search_bar)));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), mode);
  g_assert_cmpint (gtk_widget_get_visible (attribute_entry), ==, mode == 2);
  gtk_editable_set_text (GTK_EDITABLE (attribute_entry), attribute != NULL ? attribute : "");
  gtk_editable_set_text (GTK_EDITABLE (value_entry), value);
  /* Enter applies at once (typing applies after a pause). */
  g_signal_emit_by_name (value_entry, "activate");
  wait_idle (f);
}

static void
check_filter (Fixture       *f,
              guint          mode,
              const char    *attribute,
              const char    *value,
              ItemMatch      match,
              gconstpointer  match_data,
              const char    *screenshot)
{
  g_autoptr(GPtrArray) expected = expected_keys (table_name, "pk", match, match_data);
  g_autoptr(GPtrArray) shown = NULL;
  g_autofree char *footer = NULL;

  apply_filter (f, mode, attribute, value);
  scroll_to_end (f);
  shown = shown_keys (f, "pk");
  assert_same_keys (shown, expected);
  g_assert_cmpuint (expected->len, >, 0);

  if (mode != 0)
    {
      footer = g_strdup_printf ("Scanned all %d, matched %u", N_SEEDED, expected->len);
      g_assert_cmpstr (count_text (f), ==, footer);
    }
  scroll_to_top (f);
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (f->window), screenshot));
}

static gboolean
pk_equals (DbtItem       *item,
           gconstpointer  data)
{
  return g_strcmp0 (dbt_value_get_string (dbt_item_get (item, "pk")), data) == 0;
}

static gboolean
pk_begins_with (DbtItem       *item,
                gconstpointer  data)
{
  return g_str_has_prefix (dbt_value_get_string (dbt_item_get (item, "pk")), data);
}

typedef struct
{
  const char *attribute;
  const char *value;
} Contains;

/* DynamoDB's contains(): a substring of S, a member of SS (and of NS when
 * the text is a number), an element of L. */
static gboolean
attribute_contains (DbtItem       *item,
                    gconstpointer  data)
{
  const Contains *contains = data;
  DbtValue *value = dbt_item_get (item, contains->attribute);
  g_autofree char *number = dbt_number_normalize (contains->value);

  if (value == NULL)
    return FALSE;
  switch ((int) dbt_value_get_kind (value))
    {
    case DBT_VALUE_S:
      return strstr (dbt_value_get_string (value), contains->value) != NULL;
    case DBT_VALUE_SS:
      for (guint i = 0; i < dbt_value_get_length (value); i++)
        if (strcmp (dbt_value_get_member_string (value, i), contains->value) == 0)
          return TRUE;
      return FALSE;
    case DBT_VALUE_NS:
      for (guint i = 0; number != NULL && i < dbt_value_get_length (value); i++)
        if (dbt_number_compare (dbt_value_get_member_string (value, i), number) == 0)
          return TRUE;
      return FALSE;
    default:
      return FALSE;
    }
}

static void
test_filters (void)
{
  Fixture f;
  const Contains red_tag = { "tags", "red" };
  const Contains seven_score = { "scores", "7" };
  const Contains cologne = { "name", "Köln" };
  GtkWidget *search_bar;

  fixture_open (&f);

  check_filter (&f, 0, NULL, "item-007", pk_equals, "item-007", "items-filter-key-equals");
  g_assert_cmpuint (g_list_model_get_n_items (f.model), ==, 1);

  check_filter (&f, 1, NULL, "item-01", pk_begins_with, "item-01", "items-filter-begins-with");
  g_assert_cmpuint (g_list_model_get_n_items (f.model), ==, 10);

  check_filter (&f, 2, "tags", "red", attribute_contains, &red_tag, "items-filter-contains-set");
  check_filter (&f, 2, "scores", "7", attribute_contains, &seven_score, "items-filter-contains-number");
  check_filter (&f, 2, "name", "Köln", attribute_contains, &cologne, "items-filter-contains-text");

  /* A filter with many matches stops after a page's worth, then goes on
   * when scrolled. */
  apply_filter (&f, 1, NULL, "item-");
  g_assert_cmpuint (g_list_model_get_n_items (f.model), >=, 50);
  g_assert_cmpuint (g_list_model_get_n_items (f.model), <, N_SEEDED);
  g_assert_false (dbt_items_page_get_complete (f.page));
  g_assert_true (g_str_has_prefix (count_text (&f), "Scanned "));
  scroll_to_end (&f);
  g_assert_cmpuint (g_list_model_get_n_items (f.model), ==, N_SEEDED);

  /* No match: the empty state says so. */
  apply_filter (&f, 0, NULL, "no-such-item");
  scroll_to_end (&f);
  g_assert_cmpstr (visible_content (&f), ==, "empty");
  g_assert_nonnull (dbt_ui_test_find_label (GTK_WIDGET (f.page), "No Matching Items"));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (f.window), "items-filter-no-match"));

  /* "contains" without an attribute name: said at the filter. */
  apply_filter (&f, 2, "", "red");
  g_assert_true (gtk_widget_get_visible (dbt_ui_test_find_by_id (GTK_WIDGET (f.page), "filter_error_label")));
  g_assert_cmpstr (visible_content (&f), ==, "error");
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (f.window), "items-filter-invalid"));

  /* Closing the bar drops the filter. */
  search_bar = dbt_ui_test_find_by_id (GTK_WIDGET (f.page), "search_bar");
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (search_bar), FALSE);
  wait_idle (&f);
  g_assert_cmpuint (g_list_model_get_n_items (f.model), ==, PAGE_SIZE);
  fixture_close (&f);
}

/* Ctrl+R reads from the start, with the filter kept. */
static void
test_refresh_after_external_write (void)
{
  Fixture f;
  g_autoptr(DbtItem) item = seeded_item (9999);
  g_autoptr(GPtrArray) shown = NULL;

  fixture_open (&f);
  apply_filter (&f, 1, NULL, "item-99");
  scroll_to_end (&f);
  g_assert_cmpuint (g_list_model_get_n_items (f.model), ==, 0);

  set_take (item, "pk", string_value ("item-9999"));
  put_item (item);
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (f.window), "<Control>r"));
  wait_idle (&f);
  scroll_to_end (&f);
  shown = shown_keys (&f, "pk");
  g_assert_cmpuint (shown->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (shown, 0), ==, "item-9999");
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (dbt_ui_test_find_by_id (GTK_WIDGET (f.page), "search_bar"))));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (f.window), "items-filter-after-refresh"));

  delete_item ("item-9999");
  fixture_close (&f);
}

/* --- keyboard and the editor --------------------------------------------- */

static gboolean
focus_in (GtkWidget *focus,
          gpointer   data)
{
  return dbt_ui_test_is_inside (focus, data);
}

static void
activated_cb (GtkColumnView *view,
              guint          position,
              gpointer       data)
{
  *(int *) data = (int) position;
}

static void
test_keyboard (void)
{
  Fixture f;
  GtkWidget *focus;
  int activated = -1;
  guint selected;

  fixture_open (&f);
  g_signal_connect (f.view, "activate", G_CALLBACK (activated_cb), &activated);

  focus = dbt_ui_test_tab_until (GTK_WINDOW (f.window), FALSE, focus_in, f.view, 40);
  g_assert_nonnull (focus);

  /* Arrows move through the rows (the selection follows). */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (f.window), "Down"));
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (f.window), "Down"));
  selected = gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (f.model));
  g_assert_cmpuint (selected, !=, GTK_INVALID_LIST_POSITION);
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (f.window), "Down"));
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (f.model)), ==, selected + 1);

  /* Tab leaves the list (not row by row), Shift+Tab comes back to it. */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (f.window), "Tab"));
  focus = gtk_root_get_focus (GTK_ROOT (f.window));
  g_assert_false (dbt_ui_test_is_inside (focus, GTK_WIDGET (f.view)));
  g_assert_true (focus == dbt_ui_test_find_by_id (GTK_WIDGET (f.page), "new_item_button"));
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (f.window), "<Shift>Tab"));
  g_assert_true (dbt_ui_test_is_inside (gtk_root_get_focus (GTK_ROOT (f.window)), GTK_WIDGET (f.view)));
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (f.model)), ==, selected + 1);

  /* Enter activates the row: the editor opens on it. */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (f.window), "Return"));
  dbt_ui_test_iterate (100);
  g_assert_cmpint (activated, ==, (int) selected + 1);
  g_assert_nonnull (dbt_ui_test_find_toplevel (DBT_TYPE_ITEM_EDITOR, NULL));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (f.window), "items-keyboard"));
  fixture_close (&f);
}

/* Activates the row at @position as a double click would; the editor it
 * opens. */
static GtkWindow *
open_editor_on (Fixture *f,
                guint    position)
{
  GtkWindow *editor;

  g_signal_emit_by_name (f->view, "activate", position);
  dbt_ui_test_iterate (100);
  editor = dbt_ui_test_find_toplevel (DBT_TYPE_ITEM_EDITOR, NULL);
  g_assert_nonnull (editor);
  return editor;
}

/* What the editor reports changes the rows in place. */
static void
test_editor_signals (void)
{
  Fixture f;
  GtkWindow *editor;
  g_autoptr(DbtItem) changed = NULL;
  g_autoptr(DbtItem) created = NULL;
  g_autoptr(DbtItem) keys = dbt_item_new ();
  g_autofree char *pk = NULL;
  guint n;

  fixture_open (&f);
  n = g_list_model_get_n_items (f.model);
  pk = g_strdup (row_pk (&f, 3, "pk"));
  editor = open_editor_on (&f, 3);

  /* Saved: the row changes where it is. */
  changed = dbt_item_copy (row_item (&f, 3));
  set_take (changed, "name", string_value ("changed by the editor"));
  g_signal_emit_by_name (editor, "saved", changed);
  g_assert_cmpuint (g_list_model_get_n_items (f.model), ==, n);
  g_assert_cmpstr (row_pk (&f, 3, "pk"), ==, pk);
  g_assert_cmpstr (dbt_value_get_string (dbt_item_get (row_item (&f, 3), "name")), ==, "changed by the editor");

  /* Saved, new: first. */
  editor = open_editor_on (&f, 1);
  created = seeded_item (7777);
  set_take (created, "pk", string_value ("item-new"));
  g_signal_emit_by_name (editor, "saved", created);
  g_assert_cmpuint (g_list_model_get_n_items (f.model), ==, n + 1);
  g_assert_cmpstr (row_pk (&f, 0, "pk"), ==, "item-new");

  /* Deleted: gone. */
  editor = open_editor_on (&f, 1);
  set_take (keys, "pk", string_value (pk));
  g_signal_emit_by_name (editor, "deleted", keys);
  g_assert_cmpuint (g_list_model_get_n_items (f.model), ==, n);
  for (guint i = 0; i < g_list_model_get_n_items (f.model); i++)
    g_assert_cmpstr (row_pk (&f, i, "pk"), !=, pk);

  fixture_close (&f);
}

/* --- other tables, errors ------------------------------------------------ */

static void
use_stack_dir (const char *dir)
{
  g_setenv ("DBT_STACK_DIR", dir, TRUE);
}

static void
test_error (void)
{
  Fixture f;
  g_autofree char *dir = make_stack_dir (NULL, "http://127.0.0.1:1");
  GtkWidget *error_page;
  GtkWidget *retry;

  fixture_open (&f);
  use_stack_dir (dir);
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (f.window), "<Control>r"));
  wait_idle (&f);

  /* What failed, in the window, and a way to try again. */
  g_assert_cmpstr (visible_content (&f), ==, "error");
  error_page = dbt_ui_test_find_by_id (GTK_WIDGET (f.page), "error_page");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (error_page)), table_name));
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (error_page)), "127.0.0.1"));
  retry = dbt_ui_test_find_by_id (GTK_WIDGET (f.page), "retry_button");
  g_assert_true (dbt_ui_test_is_showing (retry));
  dbt_ui_test_wait_for_draw (GTK_WIDGET (f.window));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (f.window), "items-error"));

  /* The stack is back: Retry loads. */
  use_stack_dir (stack_dir);
  g_signal_emit_by_name (retry, "clicked");
  wait_idle (&f);
  g_assert_cmpstr (visible_content (&f), ==, "items");
  g_assert_cmpuint (g_list_model_get_n_items (f.model), ==, PAGE_SIZE);

  fixture_close (&f);
  remove_stack_dir (dir);
}

static DbtTableDescription *
create_table (const char *name,
              const char *hash,
              const char *range)
{
  DbtTableSpec spec = {
    .table_name = name,
    .hash_key_name = hash,
    .hash_key_type = DBT_VALUE_S,
    .range_key_name = range,
    .range_key_type = DBT_VALUE_N,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtTableDescription) created = dbt_dynamodb_create_table (client, &spec, NULL, &error);
  DbtTableDescription *description;

  g_assert_no_error (error);
  g_assert_nonnull (created);
  description = dbt_dynamodb_wait_for_table (client, name, 100, 30000, NULL, &error);
  g_assert_no_error (error);
  return description;
}

static void
test_empty (void)
{
  Fixture f;
  g_autofree char *empty_table = live_unique_name ("dbt-items-empty");
  g_autoptr(DbtTableDescription) description = create_table (empty_table, "pk", NULL);
  g_autofree char *dir = make_stack_dir (empty_table, NULL);
  GtkWidget *new_button;

  g_assert_cmpint (description->item_count, ==, 0);
  use_stack_dir (dir);
  fixture_open (&f);
  g_assert_cmpstr (visible_content (&f), ==, "empty");
  g_assert_nonnull (dbt_ui_test_find_label (GTK_WIDGET (f.page), "No Items"));
  new_button = dbt_ui_test_find_by_id (GTK_WIDGET (f.page), "empty_new_button");
  g_assert_true (dbt_ui_test_is_showing (new_button));
  g_assert_cmpstr (count_text (&f), ==, "0 items");
  dbt_ui_test_wait_for_draw (GTK_WIDGET (f.window));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (f.window), "items-empty"));
  fixture_close (&f);

  use_stack_dir (stack_dir);
  remove_stack_dir (dir);
  g_assert_true (dbt_dynamodb_delete_table (client, empty_table, NULL, NULL));
}

/* A table with a range key: "Key equals" queries the partition. */
static void
test_range_key_table (void)
{
  Fixture f;
  g_autofree char *range_table = live_unique_name ("dbt-items-range");
  g_autoptr(DbtTableDescription) description = create_table (range_table, "user", "seq");
  g_autofree char *dir = make_stack_dir (range_table, NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GHashTable) seqs = NULL;

  g_assert_cmpstr (description->range_key_name, ==, "seq");
  for (guint u = 1; u <= 3; u++)
    for (guint s = 1; s <= 12; s++)
      {
        g_autoptr(DbtItem) item = dbt_item_new ();
        g_autofree char *user = g_strdup_printf ("u%u", u);
        g_autofree char *seq = g_strdup_printf ("%u", s * 10);
        g_autoptr(GError) error = NULL;

        set_take (item, "user", string_value (user));
        set_take (item, "seq", number_value (seq));
        set_take (item, "owner", string_value ("alice"));
        g_assert_true (dbt_dynamodb_put_item (client, range_table, item, NULL, NULL, NULL, NULL, &error));
      }

  use_stack_dir (dir);
  fixture_open (&f);
  first = column_title (&f, 0);
  second = column_title (&f, 1);
  g_assert_cmpstr (first, ==, "user");
  g_assert_cmpstr (second, ==, "seq");
  g_assert_cmpuint (g_list_model_get_n_items (f.model), ==, 36);

  apply_filter (&f, 0, NULL, "u2");
  scroll_to_end (&f);
  /* The partition, each sort key once. */
  g_assert_cmpuint (g_list_model_get_n_items (f.model), ==, 12);
  seqs = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < g_list_model_get_n_items (f.model); i++)
    {
      g_assert_cmpstr (row_pk (&f, i, "user"), ==, "u2");
      g_assert_true (g_hash_table_add (seqs, (gpointer) dbt_value_get_string (dbt_item_get (row_item (&f, i), "seq"))));
    }
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (f.window), "items-filter-query-range-key"));
  fixture_close (&f);

  use_stack_dir (stack_dir);
  remove_stack_dir (dir);
  g_assert_true (dbt_dynamodb_delete_table (client, range_table, NULL, NULL));
}

/* --- setup --------------------------------------------------------------- */

static void
seed_table (void)
{
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < N_SEEDED; i++)
    {
      g_autoptr(DbtItem) item = seeded_item (i);

      put_item (item);
    }
  g_test_message ("seeded %d items in %.1f s", N_SEEDED,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

static void
test_skipped (void)
{
  g_test_skip ("no provisioned local stack (run under tests/with-provisioned-stack.sh)");
}

static gboolean
read_outputs (void)
{
  g_autoptr(DbtLocalStack) stack = NULL;
  g_autoptr(GError) error = NULL;

  stack = dbt_local_stack_load (stack_dir, &error);
  if (stack == NULL)
    return FALSE;
  table_name = g_strdup (dbt_local_stack_get_output (stack, "table_name"));
  return table_name != NULL;
}

int
main (int   argc,
      char *argv[])
{
  dbt_ui_test_init (&argc, &argv);

  stack_dir = g_strdup (g_getenv ("DBT_STACK_DIR"));
  client = g_getenv ("AWS_ENDPOINT_URL") != NULL ? live_client_new () : NULL;
  if (client == NULL || stack_dir == NULL || !read_outputs ())
    {
      g_test_add_func ("/ui/items/skipped", test_skipped);
      return g_test_run ();
    }
  seed_table ();

  g_test_add_func ("/ui/items/first-page", test_first_page);
  g_test_add_func ("/ui/items/scroll-to-end", test_scroll_to_end);
  g_test_add_func ("/ui/items/sort-numeric", test_sort_numeric);
  g_test_add_func ("/ui/items/filters", test_filters);
  g_test_add_func ("/ui/items/refresh-after-external-write", test_refresh_after_external_write);
  g_test_add_func ("/ui/items/keyboard", test_keyboard);
  g_test_add_func ("/ui/items/editor-signals", test_editor_signals);
  g_test_add_func ("/ui/items/error", test_error);
  g_test_add_func ("/ui/items/empty", test_empty);
  g_test_add_func ("/ui/items/range-key-table", test_range_key_table);

  return g_test_run ();
}
