/* dbt-items-page.c — the Items page: the table's items in a column view.
 *
 * The page loads the session of its connection, then reads the table with a
 * DbtItemsLoader (dbt-items-loader.h): a page of items at first, the next
 * one whenever the view is scrolled near its end. Rows are DbtItemRow
 * objects in a GListStore, each new page spliced in at once; the cells'
 * text is computed when the column view binds them, so only the visible
 * rows cost widgets.
 *
 * Columns: the key attributes, the owner attribute, then the other
 * attribute names in the order the loaded items show them, at most
 * MAX_EXTRA_COLUMNS; a "More" column then counts what has no column of its
 * own. Sorting by a column sorts the items loaded so far (the footer says
 * so while the table is not read to its end).
 *
 * The filter bar (Ctrl+F) narrows the reading on the server: the modes are
 * those of DbtItemsFilterMode. With a filter the loader reads on until
 * FILL_TARGET matches arrived or the table ended, and the footer shows how
 * many items were scanned and how many matched.
 */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-item-editor.h"
#include "dbt-item-row.h"
#include "dbt-items-loader.h"
#include "dbt-items-page.h"
#include "dbt-session.h"
#include "dbt-window.h"

/* Matches wanted before a filtered reading pauses (a screenful or two). */
#define FILL_TARGET 50
/* Columns for attributes other than the key and the owner. */
#define MAX_EXTRA_COLUMNS 12
/* A cell shows this many characters at most (the label ellipsizes anyway;
 * this keeps a 400 KB string from being laid out for a narrow cell). */
#define CELL_MAX_CHARS 256
/* Values longer than this get a tooltip with the whole value, ... */
#define TOOLTIP_MIN_CHARS 24
/* ... up to this many characters. */
#define TOOLTIP_MAX_CHARS 4000
#define KEY_COLUMN_WIDTH 200
#define COLUMN_WIDTH 160
#define MORE_COLUMN_WIDTH 80

struct _DbtItemsPage
{
  GtkWidget            parent_instance;

  DbtConnection       *connection;
  DbtSession          *session;
  /* Cancels the session's loading and the loader's reading. */
  GCancellable        *cancellable;
  DbtItemsLoader      *loader;
  /* Reading a further page failed; the rows loaded so far stay. */
  GError              *load_error;
  /* Filtered reading: matches still wanted for the current fill. */
  guint                wanted_matches;
  gboolean             loading;
  guint                page_size;

  GListStore          *store;           /* DbtItemRow */
  GtkSortListModel    *sort_model;
  GtkSingleSelection  *selection;
  GHashTable          *rows_by_key;     /* key → DbtItemRow, both borrowed from the store */

  char                *columns_table;   /* the table the columns were made for */
  GPtrArray           *column_names;    /* interned names that have a column */
  guint                n_key_columns;   /* the keys and the owner, first */
  GHashTable          *names_seen;      /* interned names of the loaded items */
  GtkColumnViewColumn *more_column;
  GHashTable          *bound_more_cells; /* GtkListItem of the "More" column, bound */

  DbtItemsFilterMode   filter_mode;
  char                *filter_attribute;
  char                *filter_value;
  guint                filter_timeout_id;

  /* template children */
  GtkSearchBar        *search_bar;
  GtkDropDown         *filter_mode_dropdown;
  GtkEntry            *filter_attribute_entry;
  GtkSearchEntry      *search_entry;
  GtkLabel            *filter_error_label;
  GtkStack            *content_stack;
  GtkSpinner          *loading_spinner;
  GtkScrolledWindow   *scrolled_window;
  GtkColumnView       *column_view;
  AdwStatusPage       *empty_page;
  AdwStatusPage       *error_page;
  GtkButton           *retry_button;
  GtkSpinner          *footer_spinner;
  GtkLabel            *count_label;
  GtkLabel            *sort_label;
  GtkButton           *load_retry_button;
  GtkButton           *refresh_button;
};

static void dbt_items_page_page_init (DbtPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DbtItemsPage, dbt_items_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (DBT_TYPE_PAGE, dbt_items_page_page_init))

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *loading_pspec;

static void load_more (DbtItemsPage *self);

/* --- small helpers ------------------------------------------------------- */

static void
show_toast (DbtItemsPage *self,
            const char   *message)
{
  DbtWindow *window = dbt_window_for_widget (GTK_WIDGET (self));

  if (window != NULL)
    dbt_window_show_toast (window, message);
}

static void
show_error_toast (DbtItemsPage *self,
                  const GError *error)
{
  DbtWindow *window = dbt_window_for_widget (GTK_WIDGET (self));

  if (window != NULL)
    dbt_window_show_error (window, error);
}

/* 100000 → "100,000" in the user's locale. */
static char *
format_count (guint64 n)
{
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
}

static void
set_loading (DbtItemsPage *self,
             gboolean      loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_widget_set_visible (GTK_WIDGET (self->footer_spinner), loading);
  gtk_spinner_set_spinning (self->footer_spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), loading_pspec);
}

static gboolean
is_sorted (DbtItemsPage *self)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);

  return sorter != NULL && gtk_sorter_get_order (sorter) != GTK_SORTER_ORDER_NONE;
}

static void
update_footer (DbtItemsPage *self)
{
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  const DbtTableDescription *description = NULL;
  gboolean done = FALSE;
  g_autofree char *text = NULL;
  g_autofree char *rows = format_count (n_rows);

  if (self->loader != NULL)
    {
      description = dbt_items_loader_get_description (self->loader);
      done = dbt_items_loader_is_done (self->loader);
    }

  if (description == NULL)
    text = g_strdup ("");
  else if (dbt_items_loader_is_filtered (self->loader))
    {
      g_autofree char *scanned = format_count (dbt_items_loader_get_scanned (self->loader));
      g_autofree char *matched = format_count (dbt_items_loader_get_matched (self->loader));

      if (done)
        /* Translators: "Scanned all 450, matched 12": the whole table was read. */
        text = g_strdup_printf (_("Scanned all %s, matched %s"), scanned, matched);
      else
        /* Translators: "Scanned 1,000, matched 50": items read so far, and those that matched. */
        text = g_strdup_printf (_("Scanned %s, matched %s"), scanned, matched);
    }
  else if (done)
    text = g_strdup_printf (ngettext ("%s item", "%s items", n_rows), rows);
  else if (description->item_count > (gint64) n_rows)
    {
      g_autofree char *total = format_count ((guint64) description->item_count);

      /* Translators: "200 of about 100,000": items loaded, and the table's
       * approximate item count as DynamoDB reports it. */
      text = g_strdup_printf (_("%s of about %s"), rows, total);
    }
  else
    text = g_strdup_printf (ngettext ("%s item loaded", "%s items loaded", n_rows), rows);

  if (self->load_error != NULL)
    {
      g_autofree char *with_error = g_strdup_printf (_("%s, reading stopped: %s"), text,
                                                     self->load_error->message);

      gtk_label_set_text (self->count_label, with_error);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->count_label), self->load_error->message);
    }
  else
    {
      gtk_label_set_text (self->count_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->count_label), NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->load_retry_button), self->load_error != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->sort_label),
                          description != NULL && !done && is_sorted (self));
}

static void
show_content (DbtItemsPage *self,
              const char   *name)
{
  gboolean loading = g_strcmp0 (name, "loading") == 0;

  gtk_spinner_set_spinning (self->loading_spinner, loading);
  gtk_stack_set_visible_child_name (self->content_stack, name);
}

/* The rows, or what stands for them when there are none. */
static void
update_content (DbtItemsPage *self)
{
  gboolean filtered;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0)
    {
      show_content (self, "items");
      return;
    }
  if (self->loader == NULL || !dbt_items_loader_is_done (self->loader))
    {
      show_content (self, "loading");
      return;
    }

  filtered = dbt_items_loader_is_filtered (self->loader);
  if (filtered)
    {
      g_autofree char *scanned = format_count (dbt_items_loader_get_scanned (self->loader));
      g_autofree char *description = g_strdup_printf (ngettext ("None of the %s item scanned matches the filter.",
                                                                "None of the %s items scanned matches the filter.",
                                                                dbt_items_loader_get_scanned (self->loader)),
                                                      scanned);

      adw_status_page_set_title (self->empty_page, _("No Matching Items"));
      adw_status_page_set_description (self->empty_page, description);
    }
  else
    {
      g_autofree char *description = g_markup_printf_escaped (_("The table <b>%s</b> is empty."),
                                                              self->session->table_name);

      adw_status_page_set_title (self->empty_page, _("No Items"));
      adw_status_page_set_description (self->empty_page, description);
    }
  show_content (self, "empty");
}

static void
show_error_state (DbtItemsPage *self,
                  const char   *title,
                  const char   *message,
                  gboolean      can_retry)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, escaped);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), can_retry);
  show_content (self, "error");
}

/* @message under the filter bar, and the field at fault marked. */
static void
show_filter_error (DbtItemsPage *self,
                   const char   *message)
{
  gboolean no_attribute = self->filter_mode == DBT_ITEMS_FILTER_ATTRIBUTE_CONTAINS
                          && (self->filter_attribute == NULL || *self->filter_attribute == '\0');
  GtkWidget *at_fault = no_attribute ? GTK_WIDGET (self->filter_attribute_entry)
                                     : GTK_WIDGET (self->search_entry);

  gtk_label_set_text (self->filter_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->filter_error_label), message != NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->filter_attribute_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
  if (message != NULL)
    gtk_widget_add_css_class (at_fault, "error");
}

/* --- cells --------------------------------------------------------------- */

/* At most @max_chars characters of @text, "…" marking a cut. Reads no
 * further than it keeps. */
static char *
truncate_text (const char *text,
               glong       max_chars)
{
  const char *p = text;

  for (glong i = 0; i < max_chars && *p != '\0'; i++)
    p = g_utf8_next_char (p);
  if (*p == '\0')
    return g_strdup (text);
  return g_strdup_printf ("%.*s…", (int) (p - text), text);
}

static DbtItem *
cell_item (GtkWidget *label)
{
  GtkListItem *list_item = g_object_get_data (G_OBJECT (label), "dbt-list-item");
  DbtItemRow *row = list_item != NULL ? gtk_list_item_get_item (list_item) : NULL;

  return row != NULL ? dbt_item_row_get_item (row) : NULL;
}

/* Tooltips are made when asked for: setting one at every bind would cost a
 * round trip to the display server each (GTK looks where the pointer is). */
static gboolean
cell_query_tooltip_cb (GtkWidget  *label,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  const char *name = user_data;
  DbtItem *item = cell_item (label);
  DbtValue *value = item != NULL ? dbt_item_get (item, name) : NULL;
  g_autofree char *rendered = NULL;
  g_autofree char *text = NULL;

  if (value == NULL)
    return FALSE;
  rendered = dbt_value_render (value);
  /* Short values are whole in the cell. */
  if (g_utf8_strlen (rendered, (TOOLTIP_MIN_CHARS + 1) * 4) <= TOOLTIP_MIN_CHARS)
    return FALSE;
  text = truncate_text (rendered, TOOLTIP_MAX_CHARS);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static GtkWidget *
cell_label_new (GtkListItem *list_item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_label_set_width_chars (GTK_LABEL (label), 4);
  gtk_widget_set_has_tooltip (label, TRUE);
  /* The list item owns the label: the pointer lives as long as it. */
  g_object_set_data (G_OBJECT (label), "dbt-list-item", list_item);
  gtk_list_item_set_child (list_item, label);
  return label;
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *label = cell_label_new (list_item);

  g_signal_connect (label, "query-tooltip", G_CALLBACK (cell_query_tooltip_cb), user_data);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  const char *name = user_data;
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  DbtItemRow *row = gtk_list_item_get_item (list_item);
  DbtValue *value = dbt_item_get (dbt_item_row_get_item (row), name);
  g_autofree char *rendered = NULL;
  g_autofree char *shown = NULL;

  if (value == NULL)
    {
      gtk_label_set_text (label, "");
      return;
    }

  rendered = dbt_value_render (value);
  shown = truncate_text (rendered, CELL_MAX_CHARS);
  gtk_label_set_text (label, shown);
}

/* The attributes of @item without a column of their own. */
static GPtrArray *
hidden_attributes (DbtItemsPage *self,
                   DbtItem      *item)
{
  GPtrArray *hidden = g_ptr_array_new ();

  for (guint i = 0; i < dbt_item_get_size (item); i++)
    {
      const char *name = g_intern_string (dbt_item_get_name (item, i));

      if (!g_ptr_array_find (self->column_names, name, NULL))
        g_ptr_array_add (hidden, (gpointer) name);
    }
  return hidden;
}

/* The "More" cell: how many attributes of the row have no column. */
static void
more_cell_update (DbtItemsPage *self,
                  GtkListItem  *list_item)
{
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  DbtItemRow *row = gtk_list_item_get_item (list_item);
  g_autoptr(GPtrArray) hidden = NULL;
  g_autofree char *text = NULL;

  if (row == NULL)
    return;
  hidden = hidden_attributes (self, dbt_item_row_get_item (row));
  if (hidden->len > 0)
    text = g_strdup_printf ("+%u", hidden->len);
  gtk_label_set_text (label, text != NULL ? text : "");
}

/* ... and which, with their values. */
static gboolean
more_query_tooltip_cb (GtkWidget    *label,
                       int           x,
                       int           y,
                       gboolean      keyboard,
                       GtkTooltip   *tooltip,
                       DbtItemsPage *self)
{
  DbtItem *item = cell_item (label);
  g_autoptr(GPtrArray) hidden = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (item == NULL)
    return FALSE;
  hidden = hidden_attributes (self, item);
  for (guint i = 0; i < hidden->len; i++)
    {
      const char *name = g_ptr_array_index (hidden, i);
      g_autofree char *rendered = dbt_value_render (dbt_item_get (item, name));
      g_autofree char *shown = truncate_text (rendered, 80);

      g_string_append_printf (text, "%s%s: %s", i > 0 ? "\n" : "", name, shown);
    }
  if (hidden->len == 0)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text->str);
  return TRUE;
}

static void
more_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               DbtItemsPage             *self)
{
  GtkWidget *label = cell_label_new (list_item);

  g_signal_connect_object (label, "query-tooltip", G_CALLBACK (more_query_tooltip_cb), self, 0);
}

static void
more_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              DbtItemsPage             *self)
{
  if (self->bound_more_cells == NULL)
    return;
  g_hash_table_add (self->bound_more_cells, list_item);
  more_cell_update (self, list_item);
}

static void
more_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                DbtItemsPage             *self)
{
  if (self->bound_more_cells != NULL)
    g_hash_table_remove (self->bound_more_cells, list_item);
}

/* --- columns ------------------------------------------------------------- */

static int
compare_rows_cb (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return dbt_item_row_compare_attribute ((DbtItemRow *) a, (DbtItemRow *) b, user_data);
}

static void
add_column (DbtItemsPage *self,
            const char   *name,
            int           width)
{
  const char *interned = g_intern_string (name);
  GtkListItemFactory *factory;
  g_autoptr(GtkSorter) sorter = NULL;
  g_autoptr(GtkColumnViewColumn) column = NULL;

  if (g_ptr_array_find (self->column_names, interned, NULL))
    return;

  factory = gtk_signal_list_item_factory_new ();
  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows_cb, (gpointer) interned, NULL));
  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), (gpointer) interned);
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), (gpointer) interned);
  column = gtk_column_view_column_new (name, factory);
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_fixed_width (column, width);
  /* Before the "More" column, which stays last. */
  gtk_column_view_insert_column (self->column_view, self->column_names->len, column);
  g_ptr_array_add (self->column_names, (gpointer) interned);
}

static void
show_more_column (DbtItemsPage *self)
{
  GtkListItemFactory *factory;

  if (self->more_column != NULL)
    return;

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (more_setup_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (more_bind_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (more_unbind_cb), self, 0);
  /* Translators: the title of the column that counts the attributes without a column of their own. */
  self->more_column = gtk_column_view_column_new (_("More"), factory);
  gtk_column_view_column_set_fixed_width (self->more_column, MORE_COLUMN_WIDTH);
  gtk_column_view_column_set_resizable (self->more_column, TRUE);
  gtk_column_view_append_column (self->column_view, self->more_column);
}

static void
remove_columns (DbtItemsPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->column_view, column);
    }
  g_ptr_array_set_size (self->column_names, 0);
  g_hash_table_remove_all (self->names_seen);
  g_clear_object (&self->more_column);
  g_clear_pointer (&self->columns_table, g_free);
}

/* Key columns first, then the owner: made once per table. */
static void
ensure_key_columns (DbtItemsPage              *self,
                    const DbtTableDescription *description)
{
  if (g_strcmp0 (self->columns_table, self->session->table_name) == 0)
    return;

  remove_columns (self);
  self->columns_table = g_strdup (self->session->table_name);
  add_column (self, description->hash_key_name, KEY_COLUMN_WIDTH);
  if (description->range_key_name != NULL)
    add_column (self, description->range_key_name, KEY_COLUMN_WIDTH);
  if (self->session->owner_attribute != NULL)
    add_column (self, self->session->owner_attribute, COLUMN_WIDTH);
  self->n_key_columns = self->column_names->len;
}

/* New attribute names get a column while there is room, else count in
 * "More". */
static void
add_attribute_names (DbtItemsPage *self,
                     GPtrArray    *names)
{
  gboolean changed = FALSE;

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_intern_string (g_ptr_array_index (names, i));

      if (!g_hash_table_add (self->names_seen, (gpointer) name))
        continue;
      if (g_ptr_array_find (self->column_names, name, NULL))
        continue;
      if (self->column_names->len < self->n_key_columns + MAX_EXTRA_COLUMNS)
        {
          add_column (self, name, COLUMN_WIDTH);
          changed = TRUE;
        }
      else
        show_more_column (self);
    }

  /* Bound "More" cells count against the columns they were bound with. */
  if (changed && self->bound_more_cells != NULL)
    {
      GHashTableIter iter;
      gpointer list_item;

      g_hash_table_iter_init (&iter, self->bound_more_cells);
      while (g_hash_table_iter_next (&iter, &list_item, NULL))
        more_cell_update (self, list_item);
    }
}

/* --- rows ---------------------------------------------------------------- */

static void
clear_rows (DbtItemsPage *self)
{
  g_hash_table_remove_all (self->rows_by_key);
  g_list_store_remove_all (self->store);
}

/* Appends the rows not loaded yet, in one splice. */
static guint
append_rows (DbtItemsPage *self,
             GPtrArray    *rows)
{
  g_autoptr(GPtrArray) fresh = g_ptr_array_sized_new (rows->len);

  for (guint i = 0; i < rows->len; i++)
    {
      DbtItemRow *row = g_ptr_array_index (rows, i);
      const char *key = dbt_item_row_get_key (row);

      /* An item saved here before the reading reached it is in already. */
      if (g_hash_table_contains (self->rows_by_key, key))
        continue;
      g_hash_table_insert (self->rows_by_key, (gpointer) key, row);
      g_ptr_array_add (fresh, row);
    }

  g_list_store_splice (self->store, g_list_model_get_n_items (G_LIST_MODEL (self->store)), 0,
                       fresh->pdata, fresh->len);
  return fresh->len;
}

static gboolean
find_row_position (DbtItemsPage *self,
                   const char   *key,
                   guint        *position)
{
  DbtItemRow *row = g_hash_table_lookup (self->rows_by_key, key);

  return row != NULL && g_list_store_find (self->store, row, position);
}

/* --- reading ------------------------------------------------------------- */

static void
request_batch (DbtItemsPage *self);

static void
batch_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DbtItemsPage) self = user_data;
  DbtItemsLoader *loader = DBT_ITEMS_LOADER (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtItemsBatch) batch = dbt_items_loader_next_finish (loader, result, &error);
  const DbtTableDescription *description;
  guint added;

  /* Replaced (refresh, new filter, other connection) or disposed. */
  if (loader != self->loader)
    return;

  set_loading (self, FALSE);

  if (batch == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
        {
          /* The filter, not the table: say so at the filter. */
          show_filter_error (self, error->message);
          show_error_state (self, _("Cannot Use This Filter"), error->message, FALSE);
        }
      else if (g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0)
        {
          g_autofree char *what = g_strdup_printf (_("Reading the table “%s” of “%s” failed:\n%s"),
                                                   self->session->table_name,
                                                   self->session->connection_name, error->message);

          show_error_state (self, _("Cannot Load the Items"), what, TRUE);
          show_error_toast (self, error);
        }
      else
        {
          g_propagate_error (&self->load_error, g_steal_pointer (&error));
          show_error_toast (self, self->load_error);
        }
      update_footer (self);
      return;
    }

  description = dbt_items_loader_get_description (loader);
  ensure_key_columns (self, description);
  add_attribute_names (self, batch->attribute_names);
  added = append_rows (self, batch->rows);

  if (dbt_items_loader_is_filtered (loader))
    {
      self->wanted_matches = added >= self->wanted_matches ? 0 : self->wanted_matches - added;
      if (self->wanted_matches > 0 && !dbt_items_loader_is_done (loader))
        request_batch (self);
    }

  update_content (self);
  update_footer (self);
}

static void
request_batch (DbtItemsPage *self)
{
  guint min_items = dbt_items_loader_is_filtered (self->loader) ? self->wanted_matches : 1;

  set_loading (self, TRUE);
  dbt_items_loader_next_async (self->loader, min_items, self->cancellable,
                               batch_loaded_cb, g_object_ref (self));
}

/* The next page, unless one is on its way or the table is read. */
static void
load_more (DbtItemsPage *self)
{
  if (self->loader == NULL
      || dbt_items_loader_is_busy (self->loader)
      || dbt_items_loader_is_done (self->loader))
    return;

  g_clear_error (&self->load_error);
  if (dbt_items_loader_is_filtered (self->loader) && self->wanted_matches == 0)
    self->wanted_matches = FILL_TARGET;
  request_batch (self);
  update_footer (self);
}

static void
cancel_reading (DbtItemsPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->loader);
  g_clear_error (&self->load_error);
  self->wanted_matches = 0;
  set_loading (self, FALSE);
}

/* Reads the table again from its start with the current filter. */
static void
restart_reading (DbtItemsPage *self)
{
  /* Without a session yet, its arrival starts the reading. */
  if (self->session == NULL)
    return;

  cancel_reading (self);
  clear_rows (self);
  show_filter_error (self, NULL);

  if (self->session->table_name == NULL)
    {
      show_error_state (self, _("No Items Table"),
                        _("The connection names no items table: the trigger function is not deployed there, or its configuration names no table."),
                        TRUE);
      update_footer (self);
      return;
    }

  self->loader = dbt_items_loader_new (self->session->client, self->session->table_name,
                                       self->filter_mode, self->filter_attribute, self->filter_value);
  dbt_items_loader_set_page_size (self->loader, self->page_size);
  show_content (self, "loading");
  load_more (self);
}

static void
session_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DbtItemsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtSession) session = dbt_session_load_finish (result, &error);

  /* Superseded or disposed. */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;
  if (session == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_loading (self, FALSE);
  if (session == NULL)
    {
      show_error_state (self, _("Cannot Open the Connection"), error->message, TRUE);
      show_error_toast (self, error);
      update_footer (self);
      return;
    }

  self->session = g_steal_pointer (&session);
  restart_reading (self);
}

/* Everything again: the session (the connection may have changed, or the
 * local stack restarted elsewhere), then the items from the start. */
static void
reload (DbtItemsPage *self)
{
  cancel_reading (self);
  g_clear_pointer (&self->session, dbt_session_unref);
  clear_rows (self);
  update_footer (self);

  if (self->connection == NULL)
    {
      show_error_state (self, _("No Connection"), _("No connection is active."), FALSE);
      return;
    }

  show_content (self, "loading");
  set_loading (self, TRUE);
  dbt_session_load_async (self->connection, self->cancellable, session_loaded_cb, g_object_ref (self));
}

/* Near the end of what is loaded: the next page. */
static void
scrolled_cb (DbtItemsPage *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  double value = gtk_adjustment_get_value (adjustment);
  double page_size = gtk_adjustment_get_page_size (adjustment);
  double upper = gtk_adjustment_get_upper (adjustment);

  if (self->load_error == NULL && value + 2 * page_size >= upper)
    load_more (self);
}

static void
sorter_changed_cb (DbtItemsPage *self)
{
  update_footer (self);
}

/* --- the filter bar ------------------------------------------------------ */

/* Applies what the filter bar says (nothing when it is closed). */
static void
apply_filter (DbtItemsPage *self)
{
  gboolean open = gtk_search_bar_get_search_mode (self->search_bar);
  const char *value = open ? gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) : "";
  const char *attribute = gtk_editable_get_text (GTK_EDITABLE (self->filter_attribute_entry));
  DbtItemsFilterMode mode = DBT_ITEMS_FILTER_NONE;

  g_clear_handle_id (&self->filter_timeout_id, g_source_remove);

  if (*value != '\0')
    switch (gtk_drop_down_get_selected (self->filter_mode_dropdown))
      {
      case 0: mode = DBT_ITEMS_FILTER_KEY_EQUALS; break;
      case 1: mode = DBT_ITEMS_FILTER_KEY_BEGINS_WITH; break;
      case 2: mode = DBT_ITEMS_FILTER_ATTRIBUTE_CONTAINS; break;
      default: break;
      }
  if (mode != DBT_ITEMS_FILTER_ATTRIBUTE_CONTAINS)
    attribute = NULL;
  if (mode == DBT_ITEMS_FILTER_NONE)
    value = NULL;

  if (mode == self->filter_mode
      && g_strcmp0 (value, self->filter_value) == 0
      && g_strcmp0 (attribute, self->filter_attribute) == 0)
    return;

  self->filter_mode = mode;
  g_free (self->filter_value);
  self->filter_value = g_strdup (value);
  g_free (self->filter_attribute);
  self->filter_attribute = g_strdup (attribute);
  restart_reading (self);
}

static void
filter_changed_cb (DbtItemsPage *self)
{
  apply_filter (self);
}

static gboolean
filter_timeout_cb (gpointer data)
{
  DbtItemsPage *self = data;

  self->filter_timeout_id = 0;
  apply_filter (self);
  return G_SOURCE_REMOVE;
}

/* Typing an attribute name: wait for a pause before reading again. */
static void
filter_attribute_changed_cb (DbtItemsPage *self)
{
  g_clear_handle_id (&self->filter_timeout_id, g_source_remove);
  self->filter_timeout_id = g_timeout_add (400, filter_timeout_cb, self);
}

static void
filter_mode_changed_cb (DbtItemsPage *self)
{
  gboolean contains = gtk_drop_down_get_selected (self->filter_mode_dropdown) == 2;

  gtk_widget_set_visible (GTK_WIDGET (self->filter_attribute_entry), contains);
  apply_filter (self);
}

/* --- the item editor ----------------------------------------------------- */

static void
editor_saved_cb (DbtItemsPage *self,
                 DbtItem      *item)
{
  const DbtTableDescription *description;
  g_autofree char *key = NULL;
  g_autoptr(DbtItemRow) row = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint position;

  if (self->loader == NULL || (description = dbt_items_loader_get_description (self->loader)) == NULL)
    {
      restart_reading (self);
      return;
    }
  key = dbt_item_row_key_for_item (description, item);
  if (key == NULL)
    return;

  row = dbt_item_row_new (item, key);
  for (guint i = 0; i < dbt_item_get_size (item); i++)
    g_ptr_array_add (names, (gpointer) dbt_item_get_name (item, i));
  add_attribute_names (self, names);

  if (find_row_position (self, key, &position))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
      gboolean focus_in_list = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->column_view));

      g_hash_table_remove (self->rows_by_key, key);
      g_hash_table_insert (self->rows_by_key, (gpointer) dbt_item_row_get_key (row), row);
      g_list_store_splice (self->store, position, 1, (gpointer *) &row, 1);
      /* GTK 4.8 leaves the window's focus on the row widget the splice
       * dropped: the keyboard would reach nothing. Back to the list. */
      if (focus_in_list)
        gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
    }
  else
    {
      /* A new item comes first, where it is seen. */
      g_hash_table_insert (self->rows_by_key, (gpointer) dbt_item_row_get_key (row), row);
      g_list_store_insert (self->store, 0, row);
    }
  update_content (self);
  update_footer (self);
}

static void
editor_deleted_cb (DbtItemsPage *self,
                   DbtItem      *keys)
{
  const DbtTableDescription *description;
  g_autofree char *key = NULL;
  guint position;

  if (self->loader == NULL || (description = dbt_items_loader_get_description (self->loader)) == NULL)
    return;
  key = dbt_item_row_key_for_item (description, keys);
  if (key == NULL || !find_row_position (self, key, &position))
    return;

  g_hash_table_remove (self->rows_by_key, key);
  g_list_store_remove (self->store, position);
  update_content (self);
  update_footer (self);
}

static void
open_editor (DbtItemsPage *self,
             DbtItem      *item)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWindow *editor;

  if (self->session == NULL || self->session->table_name == NULL)
    {
      show_toast (self, _("The items can be edited once the table is loaded"));
      return;
    }

  editor = dbt_item_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                self->session, item, FALSE);
  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (editor, "deleted", G_CALLBACK (editor_deleted_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (editor);
}

static void
row_activated_cb (DbtItemsPage *self,
                  guint         position)
{
  g_autoptr(DbtItemRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (row != NULL)
    open_editor (self, dbt_item_row_get_item (row));
}

/* --- keyboard ------------------------------------------------------------ */

/* In GTK 4.8 Tab moves from row to row of a column view: with thousands
 * of rows the list would hold the focus for good. Tab and Shift+Tab leave
 * it instead, as they leave any other control; the arrows move through the
 * rows. */
static gboolean
leave_list_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  DbtItemsPage *self = DBT_ITEMS_PAGE (user_data);
  GtkDirectionType direction = g_variant_get_int32 (args);
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));
  gboolean moved;

  if (root == NULL)
    return FALSE;

  /* Moving the focus skips what cannot take it: the list, for a moment. */
  gtk_widget_set_can_focus (GTK_WIDGET (self->column_view), FALSE);
  moved = gtk_widget_child_focus (root, direction);
  if (!moved)
    {
      /* Past the last control: around, as GtkWindow does. */
      gtk_root_set_focus (GTK_ROOT (root), NULL);
      gtk_widget_child_focus (root, direction);
    }
  gtk_widget_set_can_focus (GTK_WIDGET (self->column_view), TRUE);
  return TRUE;
}

static void
add_leave_list_shortcut (GtkShortcutController *controller,
                         DbtItemsPage          *self,
                         guint                  keyval,
                         GdkModifierType        modifiers,
                         GtkDirectionType       direction)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, modifiers),
                                            gtk_callback_action_new (leave_list_cb, self, NULL));

  gtk_shortcut_set_arguments (shortcut, g_variant_new_int32 (direction));
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
setup_list_keyboard (DbtItemsPage *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutController *shortcuts = GTK_SHORTCUT_CONTROLLER (controller);

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  add_leave_list_shortcut (shortcuts, self, GDK_KEY_Tab, 0, GTK_DIR_TAB_FORWARD);
  add_leave_list_shortcut (shortcuts, self, GDK_KEY_KP_Tab, 0, GTK_DIR_TAB_FORWARD);
  add_leave_list_shortcut (shortcuts, self, GDK_KEY_Tab, GDK_SHIFT_MASK, GTK_DIR_TAB_BACKWARD);
  add_leave_list_shortcut (shortcuts, self, GDK_KEY_KP_Tab, GDK_SHIFT_MASK, GTK_DIR_TAB_BACKWARD);
  add_leave_list_shortcut (shortcuts, self, GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK, GTK_DIR_TAB_BACKWARD);
  add_leave_list_shortcut (shortcuts, self, GDK_KEY_ISO_Left_Tab, 0, GTK_DIR_TAB_BACKWARD);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), controller);
}

/* --- DbtPage ------------------------------------------------------------- */

static void
dbt_items_page_refresh (DbtPage *page)
{
  reload (DBT_ITEMS_PAGE (page));
}

static gboolean
dbt_items_page_search (DbtPage *page)
{
  DbtItemsPage *self = DBT_ITEMS_PAGE (page);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return TRUE;
}

static void
dbt_items_page_new_item (DbtPage *page)
{
  open_editor (DBT_ITEMS_PAGE (page), NULL);
}

static void
dbt_items_page_page_init (DbtPageInterface *iface)
{
  iface->refresh = dbt_items_page_refresh;
  iface->search = dbt_items_page_search;
  iface->new_item = dbt_items_page_new_item;
  iface->connection_changed = dbt_items_page_refresh;
}

static void
action_refresh (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  reload (DBT_ITEMS_PAGE (widget));
}

static void
action_new_item (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  open_editor (DBT_ITEMS_PAGE (widget), NULL);
}

static void
action_load_more (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  load_more (DBT_ITEMS_PAGE (widget));
}

/* --- GObject ------------------------------------------------------------- */

static void
dbt_items_page_dispose (GObject *object)
{
  DbtItemsPage *self = DBT_ITEMS_PAGE (object);

  /* Columns go with the view and change its sorter: not of interest now. */
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->loader);
  g_clear_handle_id (&self->filter_timeout_id, g_source_remove);
  g_clear_pointer (&self->bound_more_cells, g_hash_table_unref);

  dbt_page_dispose_widgets (DBT_PAGE (self), DBT_TYPE_ITEMS_PAGE, &self->connection);

  g_clear_object (&self->more_column);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->store);
  g_clear_pointer (&self->rows_by_key, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->session, dbt_session_unref);

  G_OBJECT_CLASS (dbt_items_page_parent_class)->dispose (object);
}

static void
dbt_items_page_finalize (GObject *object)
{
  DbtItemsPage *self = DBT_ITEMS_PAGE (object);

  g_clear_error (&self->load_error);
  g_free (self->columns_table);
  g_ptr_array_unref (self->column_names);
  g_hash_table_unref (self->names_seen);
  g_free (self->filter_attribute);
  g_free (self->filter_value);

  G_OBJECT_CLASS (dbt_items_page_parent_class)->finalize (object);
}

static void
dbt_items_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DbtItemsPage *self = DBT_ITEMS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_items_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DbtItemsPage *self = DBT_ITEMS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      dbt_page_set_connection_property (DBT_PAGE (self), &self->connection, value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_items_page_class_init (DbtItemsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbt_items_page_dispose;
  object_class->finalize = dbt_items_page_finalize;
  object_class->get_property = dbt_items_page_get_property;
  object_class->set_property = dbt_items_page_set_property;
  dbt_page_install_properties (object_class, PROP_CONNECTION);

  /* TRUE while the session or a batch of items is on its way. */
  loading_pspec = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_LOADING, loading_pspec);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/dbt-items-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, filter_mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, filter_attribute_entry);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, filter_error_label);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, footer_spinner);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, sort_label);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, load_retry_button);
  gtk_widget_class_bind_template_child (widget_class, DbtItemsPage, refresh_button);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_mode_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_attribute_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "items.refresh", NULL, action_refresh);
  gtk_widget_class_install_action (widget_class, "items.new-item", NULL, action_new_item);
  gtk_widget_class_install_action (widget_class, "items.load-more", NULL, action_load_more);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dbtitemspage");
}

static void
dbt_items_page_init (DbtItemsPage *self)
{
  GtkAdjustment *adjustment;

  self->cancellable = g_cancellable_new ();
  self->page_size = DBT_ITEMS_LOADER_DEFAULT_PAGE_SIZE;
  self->rows_by_key = g_hash_table_new (g_str_hash, g_str_equal);
  self->column_names = g_ptr_array_new ();
  self->names_seen = g_hash_table_new (NULL, NULL);
  self->bound_more_cells = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* store → sorted by the column headers → selection → view. Sorting is
   * incremental: 100,000 rows sort without stalling the main loop. */
  self->store = g_list_store_new (DBT_TYPE_ITEM_ROW);
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                              g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  gtk_sort_list_model_set_incremental (self->sort_model, TRUE);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sort_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (sorter_changed_cb), self, G_CONNECT_SWAPPED);

  setup_list_keyboard (self);

  adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (scrolled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (scrolled_cb), self, G_CONNECT_SWAPPED);

  show_content (self, "loading");
  reload (self);
}

GtkWidget *
dbt_items_page_new (void)
{
  return g_object_new (DBT_TYPE_ITEMS_PAGE, NULL);
}

gboolean
dbt_items_page_get_loading (DbtItemsPage *self)
{
  g_return_val_if_fail (DBT_IS_ITEMS_PAGE (self), FALSE);
  return self->loading;
}

void
dbt_items_page_set_page_size (DbtItemsPage *self,
                              guint         page_size)
{
  g_return_if_fail (DBT_IS_ITEMS_PAGE (self));

  self->page_size = MAX (page_size, 1);
  if (self->loader != NULL)
    dbt_items_loader_set_page_size (self->loader, self->page_size);
}

gboolean
dbt_items_page_get_complete (DbtItemsPage *self)
{
  g_return_val_if_fail (DBT_IS_ITEMS_PAGE (self), FALSE);
  return self->loader != NULL && dbt_items_loader_is_done (self->loader);
}
