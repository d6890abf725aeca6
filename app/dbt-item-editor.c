/* dbt-item-editor.c — create, edit, duplicate and delete one item. */
#include "dbt-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dbt-attribute-editor.h"
#include "dbt-error.h"
#include "dbt-item-editor.h"
#include "dbt-item-writer.h"
#include "dbt-window.h"

/* Rendered values longer than this are cut in the conflict view. */
#define CONFLICT_VALUE_CHARS 400

struct _DbtItemEditor
{
  AdwWindow           parent_instance;

  DbtSession         *session;
  DbtItem            *initial;      /* what the editor was opened with, or NULL */
  gboolean            duplicate;
  DbtItemSchema      *schema;
  GCancellable       *cancellable;

  /* The version the user started from; writes are conditional on it.
   * NULL for a new item. */
  DbtItem            *original;
  /* The item as the form or the JSON shows it, NULL while a field is
   * invalid. */
  DbtItem            *built;
  char               *view;         /* "form" or "json" */
  gboolean            busy;
  gboolean            dirty;
  gboolean            close_confirmed;
  guint               loading;      /* > 0: the program fills the fields */
  guint               validate_idle;
  int                 json_error_line;   /* -1: none */

  /* The conflict shown: theirs (NULL: the item is gone) against mine. */
  gboolean            in_conflict;
  gboolean            conflict_on_delete;
  DbtItem            *theirs;
  DbtItem            *mine;

  DbtAttributeEditor *key_editors[2];

  /* template children */
  AdwToastOverlay    *toast_overlay;
  AdwWindowTitle     *window_title;
  GtkButton          *cancel_button;
  GtkButton          *save_button;
  GtkWidget          *view_switch;
  GtkSpinner         *spinner;
  GtkStack           *main_stack;
  GtkSpinner         *loading_spinner;
  AdwStatusPage      *failed_page;
  AdwPreferencesGroup *key_group;
  GtkListBox         *key_list;
  GtkListBox         *attribute_list;
  GtkButton          *add_attribute_button;
  GtkLabel           *item_size_label;
  GtkLabel           *item_error_label;
  GtkWidget          *delete_group;
  GtkTextView        *json_view;
  GtkLabel           *json_error_label;
  GtkLabel           *conflict_title;
  GtkLabel           *conflict_description;
  GtkListBox         *conflict_list;
  GtkButton          *use_theirs_button;
  GtkButton          *overwrite_button;
};

G_DEFINE_FINAL_TYPE (DbtItemEditor, dbt_item_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_VIEW,
  N_PROPS
};

enum {
  SAVED,
  DELETED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void queue_validate (DbtItemEditor *self);

/* ---- small helpers ------------------------------------------------------- */

static const char *
kind_label (DbtValueType kind)
{
  switch (kind)
    {
    case DBT_VALUE_N: return _("Number");
    case DBT_VALUE_B: return _("Binary");
    case DBT_VALUE_S:
    case DBT_VALUE_BOOL:
    case DBT_VALUE_NULL:
    case DBT_VALUE_SS:
    case DBT_VALUE_NS:
    case DBT_VALUE_BS:
    case DBT_VALUE_L:
    case DBT_VALUE_M:
    default:
      return _("String");
    }
}

static gboolean
is_editing (DbtItemEditor *self)
{
  return self->original != NULL;
}

static void
toast (DbtItemEditor *self,
       const char    *message,
       gboolean       stays)
{
  AdwToast *t = adw_toast_new (message);

  if (stays)
    adw_toast_set_timeout (t, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* A message for the main window, which outlives the editor. */
static void
tell_parent (DbtItemEditor *self,
             const char    *message)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (DBT_IS_WINDOW (parent))
    dbt_window_show_toast (DBT_WINDOW (parent), message);
}

static char *
join_names (GStrv names)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    g_string_append_printf (joined, "%s“%s”", i > 0 ? ", " : "", names[i]);
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static void
update_actions (DbtItemEditor *self)
{
  gboolean ready = self->schema != NULL && !self->busy;
  gboolean editing_view = ready && !self->in_conflict;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", editing_view && self->built != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.delete", editing_view && is_editing (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add-attribute", editing_view);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.view", editing_view);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.overwrite", ready && self->in_conflict);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.use-theirs", ready && self->in_conflict);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.conflict-cancel", ready && self->in_conflict);

  gtk_widget_set_visible (GTK_WIDGET (self->save_button), !self->in_conflict);
  gtk_widget_set_visible (self->view_switch, !self->in_conflict);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), !self->in_conflict);
  gtk_widget_set_visible (self->delete_group, is_editing (self));
}

static void
set_busy (DbtItemEditor *self,
          gboolean       busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  update_actions (self);
}

static void
update_title (DbtItemEditor *self)
{
  g_autofree char *key = NULL;

  if (is_editing (self))
    {
      g_autoptr(DbtItem) keys = dbt_item_schema_extract_key (self->schema, self->original);

      adw_window_title_set_title (self->window_title, _("Edit Item"));
      key = keys != NULL ? dbt_item_render_key (keys) : NULL;
    }
  else
    adw_window_title_set_title (self->window_title, self->duplicate ? _("Duplicate Item") : _("New Item"));

  adw_window_title_set_subtitle (self->window_title,
                                 key != NULL ? key : self->session->table_name);
  gtk_window_set_title (GTK_WINDOW (self), adw_window_title_get_title (self->window_title));
}

/* ---- the form ------------------------------------------------------------ */

static GPtrArray *
attribute_editors (DbtItemEditor *self)
{
  GPtrArray *editors = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->attribute_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && DBT_IS_ATTRIBUTE_EDITOR (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row))))
      g_ptr_array_add (editors, gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));
  return editors;
}

static guint
n_key_editors (DbtItemEditor *self)
{
  return self->key_editors[1] != NULL ? 2 : 1;
}

static void
editor_changed_cb (DbtItemEditor *self)
{
  if (self->loading == 0)
    self->dirty = TRUE;
  queue_validate (self);
}

static void
attribute_remove_requested_cb (DbtItemEditor      *self,
                               DbtAttributeEditor *editor)
{
  GtkWidget *row = gtk_widget_get_parent (GTK_WIDGET (editor));
  GtkWidget *next = gtk_widget_get_next_sibling (row);

  gtk_list_box_remove (self->attribute_list, row);
  if (next != NULL && GTK_IS_LIST_BOX_ROW (next))
    gtk_widget_grab_focus (dbt_attribute_editor_get_value_widget (DBT_ATTRIBUTE_EDITOR (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (next)))));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->add_attribute_button));
  editor_changed_cb (self);
}

static GtkWidget *
wrap_in_row (GtkWidget *editor)
{
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_widget_set_margin_top (editor, 8);
  gtk_widget_set_margin_bottom (editor, 8);
  gtk_widget_set_margin_start (editor, 12);
  gtk_widget_set_margin_end (editor, 8);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), editor);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  /* The fields inside take the focus, not the row. */
  gtk_widget_set_focusable (row, FALSE);
  return row;
}

static DbtAttributeEditor *
add_attribute_row (DbtItemEditor  *self,
                   const char     *name,
                   const DbtValue *value)
{
  DbtAttributeEditor *editor = DBT_ATTRIBUTE_EDITOR (dbt_attribute_editor_new (DBT_ATTRIBUTE_ROLE_ATTRIBUTE));

  self->loading++;
  if (name != NULL)
    dbt_attribute_editor_set_name (editor, name);
  if (value != NULL)
    dbt_attribute_editor_set_value (editor, value);
  self->loading--;
  g_signal_connect_object (editor, "changed", G_CALLBACK (editor_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (editor, "remove-requested", G_CALLBACK (attribute_remove_requested_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_append (self->attribute_list, wrap_in_row (GTK_WIDGET (editor)));
  return editor;
}

static void
clear_attribute_rows (DbtItemEditor *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->attribute_list))) != NULL)
    gtk_list_box_remove (self->attribute_list, row);
}

static DbtAttributeEditor *
add_key_row (DbtItemEditor *self,
             const char    *name,
             DbtValueType   kind)
{
  DbtAttributeEditor *editor = DBT_ATTRIBUTE_EDITOR (dbt_attribute_editor_new (DBT_ATTRIBUTE_ROLE_KEY));

  dbt_attribute_editor_set_name (editor, name);
  dbt_attribute_editor_set_kind (editor, kind);
  g_signal_connect_object (editor, "changed", G_CALLBACK (editor_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_append (self->key_list, wrap_in_row (GTK_WIDGET (editor)));
  return editor;
}

/* Shows @item (NULL: empty) in the form. */
static void
fill_form (DbtItemEditor *self,
           DbtItem       *item)
{
  const char *key_names[2] = { self->schema->hash_key_name, self->schema->range_key_name };
  DbtValueType key_kinds[2] = { self->schema->hash_key_type, self->schema->range_key_type };

  self->loading++;
  for (guint k = 0; k < n_key_editors (self); k++)
    {
      DbtValue *value = item != NULL ? dbt_item_get (item, key_names[k]) : NULL;

      if (value != NULL && dbt_value_get_kind (value) == key_kinds[k])
        dbt_attribute_editor_set_value (self->key_editors[k], value);
      else
        {
          g_autoptr(DbtValue) empty = dbt_value_new_string ("", NULL);

          dbt_attribute_editor_set_value (self->key_editors[k], empty);
          dbt_attribute_editor_set_kind (self->key_editors[k], key_kinds[k]);
        }
      dbt_attribute_editor_set_editable (self->key_editors[k], !is_editing (self));
    }

  clear_attribute_rows (self);
  for (guint i = 0; item != NULL && i < dbt_item_get_size (item); i++)
    {
      const char *name = dbt_item_get_name (item, i);

      if (g_strcmp0 (name, key_names[0]) == 0 || g_strcmp0 (name, key_names[1]) == 0)
        continue;
      add_attribute_row (self, name, dbt_item_get_value (item, i));
    }
  self->loading--;
}

/* The message for an empty key, or NULL: DynamoDB refuses empty S and B
 * key values. */
static const char *
key_value_fault (const DbtValue *value)
{
  if ((dbt_value_get_kind (value) == DBT_VALUE_S && *dbt_value_get_string (value) == '\0') ||
      (dbt_value_get_kind (value) == DBT_VALUE_B && g_bytes_get_size (dbt_value_get_binary (value)) == 0))
    return _("Enter the key: DynamoDB keys cannot be empty");
  return NULL;
}

static void
show_item_error (DbtItemEditor *self,
                 const char    *message)
{
  gtk_label_set_text (self->item_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->item_error_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->item_size_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->item_size_label), "error");
}

static void
show_size (DbtItemEditor *self,
           DbtItem       *item)
{
  g_autofree char *size = g_format_size_full (dbt_item_size_bytes (item), G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *text = g_strdup_printf (_("Size: %s of 400 KiB"), size);

  gtk_label_set_text (self->item_size_label, text);
}

/* What DynamoDB would refuse for the item as a whole, as the user should
 * read it, or NULL. */
static char *
item_fault (DbtItem *item)
{
  g_autoptr(GError) error = NULL;
  gsize bytes = dbt_item_size_bytes (item);

  if (bytes > DBT_ITEM_MAX_BYTES)
    {
      g_autofree char *size = g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);

      return g_strdup_printf (_("The item takes %s (%lu bytes); DynamoDB stores at most 400 KiB (409600 bytes)"),
                              size, (gulong) bytes);
    }
  if (!dbt_item_validate (item, &error))
    return g_strdup (error->message);
  return NULL;
}

static DbtItem *
build_form (DbtItemEditor *self)
{
  g_autoptr(DbtItem) item = dbt_item_new ();
  g_autoptr(GPtrArray) editors = attribute_editors (self);
  g_autofree char *fault = NULL;
  gboolean valid = TRUE;

  for (guint k = 0; k < n_key_editors (self); k++)
    {
      g_autoptr(DbtValue) value = NULL;

      dbt_attribute_editor_set_error (self->key_editors[k], NULL);
      value = dbt_attribute_editor_build (self->key_editors[k], NULL);
      if (value == NULL)
        valid = FALSE;
      else if (key_value_fault (value) != NULL)
        {
          dbt_attribute_editor_set_error (self->key_editors[k], key_value_fault (value));
          valid = FALSE;
        }
      else
        dbt_item_set (item, dbt_attribute_editor_get_name (self->key_editors[k]), value);
    }

  if (!dbt_attribute_editor_build_entries ((DbtAttributeEditor *const *) editors->pdata, editors->len, item, NULL))
    valid = FALSE;

  if (!valid)
    {
      show_item_error (self, NULL);
      return NULL;
    }

  show_size (self, item);
  fault = item_fault (item);
  show_item_error (self, fault);
  return fault == NULL ? g_steal_pointer (&item) : NULL;
}

/* ---- the JSON view --------------------------------------------------------- */

static char *
serialize_pretty (DbtItem *item)
{
  g_autoptr(JsonNode) root = dbt_item_to_json (item);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static char *
json_text (DbtItemEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->json_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_json_text (DbtItemEditor *self,
               const char    *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->json_view);
  GtkTextIter start;

  self->loading++;
  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  self->loading--;
}

/* The line (0-based) an error is about: json-glib says "<data>:LINE:COL",
 * the UTF-8 checks give a byte offset, the DynamoDB-JSON checks a path whose
 * first part is an attribute name. -1 when none is found. */
static int
locate_json_error (const char *text,
                   const char *message)
{
  g_autoptr(GRegex) line_regex = g_regex_new (":([0-9]+):([0-9]+): ", 0, 0, NULL);
  g_autoptr(GRegex) offset_regex = g_regex_new ("at offset ([0-9]+)", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *name = NULL;
  g_autofree char *quoted = NULL;
  const char *colon;
  const char *found;
  int line = 0;

  if (g_regex_match (line_regex, message, 0, &match))
    {
      g_autofree char *number = g_match_info_fetch (match, 1);

      return MAX (0, atoi (number) - 1);
    }
  g_clear_pointer (&match, g_match_info_free);

  if (g_regex_match (offset_regex, message, 0, &match))
    {
      g_autofree char *number = g_match_info_fetch (match, 1);
      gsize offset = MIN ((gsize) g_ascii_strtoull (number, NULL, 10), strlen (text));

      for (gsize i = 0; i < offset; i++)
        if (text[i] == '\n')
          line++;
      return line;
    }

  /* "address.lines[2]: ...", "item: ..." */
  colon = strstr (message, ": ");
  if (colon == NULL)
    return -1;
  name = g_strndup (message, colon - message);
  name[strcspn (name, ".[")] = '\0';
  {
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

    json_node_set_string (node, name);
    quoted = json_to_string (node, FALSE);
  }
  found = strstr (text, quoted);
  if (found == NULL)
    return -1;
  for (const char *p = text; p < found; p++)
    if (*p == '\n')
      line++;
  return line;
}

static void
show_json_error (DbtItemEditor *self,
                 const char    *message,
                 int            line)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->json_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "error", &start, &end);
  self->json_error_line = message != NULL ? line : -1;

  if (message == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->json_error_label), FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (self->json_view), "error");
      return;
    }

  if (line >= 0)
    {
      g_autofree char *text = g_strdup_printf (_("Line %d: %s"), line + 1, message);

      gtk_text_buffer_get_iter_at_line (buffer, &start, line);
      end = start;
      if (!gtk_text_iter_ends_line (&end))
        gtk_text_iter_forward_to_line_end (&end);
      gtk_text_buffer_apply_tag_by_name (buffer, "error", &start, &end);
      gtk_label_set_text (self->json_error_label, text);
    }
  else
    gtk_label_set_text (self->json_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->json_error_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->json_view), "error");
}

/* The key checks the form makes by construction. */
static char *
json_key_fault (DbtItemEditor *self,
                DbtItem       *item,
                char         **attribute)
{
  const char *key_names[2] = { self->schema->hash_key_name, self->schema->range_key_name };
  DbtValueType key_kinds[2] = { self->schema->hash_key_type, self->schema->range_key_type };

  for (guint k = 0; k < n_key_editors (self); k++)
    {
      DbtValue *value = dbt_item_get (item, key_names[k]);

      *attribute = g_strdup (key_names[k]);
      if (value == NULL)
        return g_strdup_printf (_("The item needs its key “%s”"), key_names[k]);
      if (dbt_value_get_kind (value) != key_kinds[k])
        return g_strdup_printf (_("The key “%s” must be a %s"), key_names[k], kind_label (key_kinds[k]));
      if (key_value_fault (value) != NULL)
        return g_strdup (key_value_fault (value));
      if (is_editing (self) && !dbt_value_equal (value, dbt_item_get (self->original, key_names[k])))
        return g_strdup_printf (_("The key “%s” cannot change; duplicate the item instead"), key_names[k]);
      g_clear_pointer (attribute, g_free);
    }
  return NULL;
}

static DbtItem *
build_json (DbtItemEditor *self)
{
  g_autofree char *text = json_text (self);
  g_autofree char *fault = NULL;
  g_autofree char *attribute = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtItem) item = dbt_item_parse (text, -1, &error);

  if (item == NULL)
    {
      show_json_error (self, error->message, locate_json_error (text, error->message));
      return NULL;
    }

  fault = json_key_fault (self, item, &attribute);
  if (fault == NULL)
    fault = item_fault (item);
  if (fault != NULL)
    {
      g_autofree char *located = g_strdup_printf ("%s: %s", attribute != NULL ? attribute : "item", fault);

      show_json_error (self, fault, locate_json_error (text, located));
      return NULL;
    }

  show_json_error (self, NULL, -1);
  return g_steal_pointer (&item);
}

static void
json_changed_cb (DbtItemEditor *self)
{
  editor_changed_cb (self);
}

/* ---- validation ------------------------------------------------------------ */

static void
validate (DbtItemEditor *self)
{
  if (self->schema == NULL)
    return;

  g_clear_pointer (&self->built, dbt_item_unref);
  if (g_strcmp0 (self->view, "json") == 0)
    self->built = build_json (self);
  else
    self->built = build_form (self);
  update_actions (self);
}

static gboolean
validate_idle_cb (gpointer data)
{
  DbtItemEditor *self = data;

  self->validate_idle = 0;
  validate (self);
  return G_SOURCE_REMOVE;
}

static void
queue_validate (DbtItemEditor *self)
{
  /* Several edits in a row (a paste, a type change) are checked once. */
  if (self->validate_idle == 0)
    self->validate_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, validate_idle_cb, self, NULL);
}

/* ---- views ----------------------------------------------------------------- */

static void
show_page (DbtItemEditor *self)
{
  if (self->schema == NULL)
    return;
  if (self->in_conflict)
    gtk_stack_set_visible_child_name (self->main_stack, "conflict");
  else
    gtk_stack_set_visible_child_name (self->main_stack, self->view);
}

/* Switching views converts the item; a view that cannot be converted
 * (faults in the form, a JSON parse error) keeps the user where they are,
 * with the faults shown. */
static void
dbt_item_editor_set_view (DbtItemEditor *self,
                          const char    *view)
{
  g_return_if_fail (g_strcmp0 (view, "form") == 0 || g_strcmp0 (view, "json") == 0);

  if (g_strcmp0 (view, self->view) == 0)
    return;

  if (self->schema != NULL)
    {
      if (self->validate_idle != 0)
        {
          g_clear_handle_id (&self->validate_idle, g_source_remove);
        }
      validate (self);
      if (self->built == NULL)
        {
          if (g_str_equal (view, "json"))
            toast (self, _("Correct the marked fields first"), FALSE);
          else if (self->json_error_line >= 0)
            {
              /* The fault is shown under the text: take the user there. */
              GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->json_view);
              GtkTextIter iter;

              gtk_text_buffer_get_iter_at_line (buffer, &iter, self->json_error_line);
              gtk_text_buffer_place_cursor (buffer, &iter);
              gtk_text_view_scroll_to_mark (self->json_view, gtk_text_buffer_get_insert (buffer),
                                            0.1, FALSE, 0, 0);
              gtk_widget_grab_focus (GTK_WIDGET (self->json_view));
            }
          /* The toggle buttons follow the property: tell them it stayed. */
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
          return;
        }

      if (g_str_equal (view, "json"))
        {
          g_autofree char *text = serialize_pretty (self->built);

          set_json_text (self, text);
          show_json_error (self, NULL, -1);
        }
      else
        {
          g_autoptr(DbtItem) item = dbt_item_ref (self->built);

          fill_form (self, item);
        }
    }

  g_free (self->view);
  self->view = g_strdup (view);
  show_page (self);
  validate (self);
  if (self->schema != NULL)
    gtk_widget_grab_focus (g_str_equal (view, "json") ? GTK_WIDGET (self->json_view)
                                                      : GTK_WIDGET (self->add_attribute_button));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

/* ---- the conflict view -------------------------------------------------- */

static GtkWidget *
conflict_label (const char *text,
                const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_focusable (label, FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static char *
render_for_conflict (DbtValue *value)
{
  g_autofree char *rendered = NULL;

  if (value == NULL)
    return g_strdup (_("(absent)"));
  rendered = dbt_value_render (value);
  if (g_utf8_strlen (rendered, -1) > CONFLICT_VALUE_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (rendered, 0, CONFLICT_VALUE_CHARS);

      return g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&rendered);
}

/* One line of the comparison: a name, then theirs and yours side by side. */
static void
add_conflict_row (DbtItemEditor *self,
                  GtkSizeGroup  *names,
                  GtkWidget     *name,
                  GtkWidget     *theirs,
                  GtkWidget     *mine)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *values = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_width_chars (GTK_LABEL (name), 12);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 20);
  /* One width for the names: the values line up in two columns. */
  gtk_size_group_add_widget (names, name);
  gtk_box_set_homogeneous (GTK_BOX (values), TRUE);
  gtk_widget_set_hexpand (values, TRUE);
  gtk_box_append (GTK_BOX (values), theirs);
  gtk_box_append (GTK_BOX (values), mine);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), values);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_list_box_append (self->conflict_list, row);
}

static void
fill_conflict_list (DbtItemEditor *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GtkSizeGroup) name_group = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  DbtItem *sources[2] = { self->theirs, self->mine };
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->conflict_list))) != NULL)
    gtk_list_box_remove (self->conflict_list, child);

  add_conflict_row (self, name_group,
                    conflict_label (_("Attribute"), "heading"),
                    conflict_label (_("In the table now"), "heading"),
                    conflict_label (self->conflict_on_delete ? _("The copy you deleted") : _("Yours"), "heading"));

  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    for (guint i = 0; sources[s] != NULL && i < dbt_item_get_size (sources[s]); i++)
      if (g_hash_table_add (seen, (gpointer) dbt_item_get_name (sources[s], i)))
        g_ptr_array_add (names, (gpointer) dbt_item_get_name (sources[s], i));

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      DbtValue *theirs = self->theirs != NULL ? dbt_item_get (self->theirs, name) : NULL;
      DbtValue *mine = dbt_item_get (self->mine, name);
      gboolean differs = theirs == NULL || mine == NULL || !dbt_value_equal (theirs, mine);
      g_autofree char *theirs_text = NULL;
      g_autofree char *mine_text = render_for_conflict (mine);
      GtkWidget *theirs_label;
      GtkWidget *mine_label;

      if (self->theirs == NULL)
        theirs_text = g_strdup (i == 0 ? _("The item is no longer in the table.") : "");
      else
        theirs_text = render_for_conflict (theirs);

      theirs_label = conflict_label (theirs_text, "monospace");
      mine_label = conflict_label (mine_text, "monospace");
      /* What is the same fades; what differs stands out. */
      if (!differs)
        {
          gtk_widget_add_css_class (theirs_label, "dim-label");
          gtk_widget_add_css_class (mine_label, "dim-label");
        }
      else
        {
          gtk_widget_add_css_class (theirs_label, "warning");
          gtk_widget_add_css_class (mine_label, "accent");
        }
      add_conflict_row (self, name_group, conflict_label (name, differs ? "heading" : "dim-label"),
                        theirs_label, mine_label);
    }
}

static void
show_conflict (DbtItemEditor *self,
               DbtItem       *theirs,
               DbtItem       *mine,
               gboolean       on_delete)
{
  g_clear_pointer (&self->theirs, dbt_item_unref);
  g_clear_pointer (&self->mine, dbt_item_unref);
  self->theirs = theirs != NULL ? dbt_item_ref (theirs) : NULL;
  self->mine = dbt_item_ref (mine);
  self->conflict_on_delete = on_delete;
  self->in_conflict = TRUE;

  if (on_delete)
    {
      gtk_label_set_text (self->conflict_title, _("Someone Changed This Item"));
      gtk_label_set_text (self->conflict_description,
                          _("The table holds a different version than the one you loaded, so it was not deleted. Compare them below."));
      gtk_button_set_label (self->overwrite_button, _("_Delete Anyway"));
    }
  else if (theirs == NULL)
    {
      gtk_label_set_text (self->conflict_title, _("Someone Deleted This Item"));
      gtk_label_set_text (self->conflict_description,
                          _("The item was deleted after you opened it. Nothing was written."));
      gtk_button_set_label (self->overwrite_button, _("_Create It Again"));
    }
  else if (!is_editing (self))
    {
      gtk_label_set_text (self->conflict_title, _("An Item with This Key Exists"));
      gtk_label_set_text (self->conflict_description,
                          _("The table already holds an item with this key. Nothing was written. Compare them below."));
      gtk_button_set_label (self->overwrite_button, _("_Overwrite with Mine"));
    }
  else
    {
      gtk_label_set_text (self->conflict_title, _("Someone Changed This Item"));
      gtk_label_set_text (self->conflict_description,
                          _("The item changed in the table after you opened it. Nothing was written. Compare the versions below."));
      gtk_button_set_label (self->overwrite_button, _("_Overwrite with Mine"));
    }

  fill_conflict_list (self);
  update_actions (self);
  show_page (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->use_theirs_button));
}

static void
leave_conflict (DbtItemEditor *self)
{
  self->in_conflict = FALSE;
  g_clear_pointer (&self->theirs, dbt_item_unref);
  g_clear_pointer (&self->mine, dbt_item_unref);
  update_actions (self);
  show_page (self);
}

/* ---- writing ---------------------------------------------------------------- */

static void
report_error (DbtItemEditor *self,
              const char    *what,
              const GError  *error)
{
  g_autofree char *message = g_strdup_printf ("%s: %s", what, error->message);

  toast (self, message, TRUE);
}

static void
finish_saved (DbtItemEditor       *self,
              DbtItemWriteOutcome *outcome)
{
  g_autofree char *message = NULL;

  if (outcome->appeared != NULL)
    {
      g_autofree char *names = join_names (outcome->appeared);

      message = g_strdup_printf (_("Item saved. Someone else added %s meanwhile; it was kept."), names);
    }
  else
    message = g_strdup (_("Item saved"));

  tell_parent (self, message);
  g_signal_emit (self, signals[SAVED], 0, outcome->current);
  self->close_confirmed = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
finish_deleted (DbtItemEditor       *self,
                DbtItem             *item,
                DbtItemWriteOutcome *outcome)
{
  g_autoptr(DbtItem) keys = dbt_item_schema_extract_key (self->schema, item);
  g_autofree char *message = NULL;

  if (outcome != NULL && outcome->appeared != NULL)
    {
      g_autofree char *names = join_names (outcome->appeared);

      message = g_strdup_printf (_("Item deleted, with %s that someone else had added meanwhile"), names);
    }
  else if (outcome == NULL)
    message = g_strdup (_("The item had already been deleted"));
  else
    message = g_strdup (_("Item deleted"));

  tell_parent (self, message);
  g_signal_emit (self, signals[DELETED], 0, keys);
  self->close_confirmed = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(DbtItemEditor) self = user_data;
  g_autoptr(DbtItemWriteOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtItem) mine = NULL;

  outcome = dbt_item_writer_save_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);

  if (outcome == NULL)
    {
      report_error (self, _("Could not save the item"), error);
      return;
    }

  if (outcome->conflict)
    {
      mine = g_object_steal_data (G_OBJECT (self), "dbt-writing");
      show_conflict (self, outcome->current, mine, FALSE);
      return;
    }
  finish_saved (self, outcome);
}

static void
start_save (DbtItemEditor *self,
            DbtItem       *expected,
            DbtItem       *item)
{
  set_busy (self, TRUE);
  g_object_set_data_full (G_OBJECT (self), "dbt-writing", dbt_item_ref (item), (GDestroyNotify) dbt_item_unref);
  dbt_item_writer_save_async (self->session, self->schema, expected, item, self->cancellable,
                              save_cb, g_object_ref (self));
}

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DbtItemEditor) self = user_data;
  g_autoptr(DbtItemWriteOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtItem) deleted = NULL;

  outcome = dbt_item_writer_delete_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);

  if (outcome == NULL)
    {
      report_error (self, _("Could not delete the item"), error);
      return;
    }

  deleted = g_object_steal_data (G_OBJECT (self), "dbt-writing");
  if (outcome->conflict && outcome->current == NULL)
    finish_deleted (self, deleted, NULL);
  else if (outcome->conflict)
    show_conflict (self, outcome->current, deleted, TRUE);
  else
    finish_deleted (self, deleted, outcome);
}

static void
start_delete (DbtItemEditor *self,
              DbtItem       *expected)
{
  set_busy (self, TRUE);
  g_object_set_data_full (G_OBJECT (self), "dbt-writing", dbt_item_ref (expected), (GDestroyNotify) dbt_item_unref);
  dbt_item_writer_delete_async (self->session, self->schema, expected, self->cancellable,
                                delete_cb, g_object_ref (self));
}

/* ---- actions --------------------------------------------------------------- */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DbtItemEditor *self = DBT_ITEM_EDITOR (widget);
  g_autoptr(DbtItem) item = NULL;

  if (self->busy || self->in_conflict || self->schema == NULL)
    return;

  g_clear_handle_id (&self->validate_idle, g_source_remove);
  validate (self);
  if (self->built == NULL)
    return;

  item = dbt_item_ref (self->built);
  start_save (self, self->original, item);
}

static void
add_attribute_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  DbtItemEditor *self = DBT_ITEM_EDITOR (widget);
  DbtAttributeEditor *editor;

  if (g_strcmp0 (self->view, "form") != 0)
    {
      dbt_item_editor_set_view (self, "form");
      if (g_strcmp0 (self->view, "form") != 0)
        return;
    }
  editor = add_attribute_row (self, NULL, NULL);
  /* The name first: it is what the user types next. */
  dbt_attribute_editor_grab_name_focus (editor);
  editor_changed_cb (self);
}

static void
delete_response_cb (DbtItemEditor *self,
                    const char    *response)
{
  if (g_strcmp0 (response, "delete") != 0 || self->original == NULL || self->busy)
    return;
  start_delete (self, self->original);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  DbtItemEditor *self = DBT_ITEM_EDITOR (widget);
  g_autoptr(DbtItem) keys = NULL;
  g_autofree char *key = NULL;
  GtkWidget *dialog;

  if (self->original == NULL || self->busy)
    return;

  keys = dbt_item_schema_extract_key (self->schema, self->original);
  key = keys != NULL ? dbt_item_render_key (keys) : g_strdup ("?");
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Delete the Item?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The item %s will be deleted from “%s”, unless someone changed it meanwhile. This cannot be undone."),
                                  key, self->schema->table_name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
overwrite_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  DbtItemEditor *self = DBT_ITEM_EDITOR (widget);
  g_autoptr(DbtItem) theirs = NULL;
  g_autoptr(DbtItem) mine = NULL;

  if (!self->in_conflict || self->busy)
    return;

  /* Conditional on THEIR version: a second change meanwhile is caught. */
  theirs = self->theirs != NULL ? dbt_item_ref (self->theirs) : NULL;
  mine = dbt_item_ref (self->mine);
  if (self->conflict_on_delete)
    start_delete (self, theirs);
  else
    start_save (self, theirs, mine);
}

static void
use_theirs_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  DbtItemEditor *self = DBT_ITEM_EDITOR (widget);
  g_autoptr(DbtItem) theirs = NULL;

  if (!self->in_conflict || self->busy)
    return;

  if (self->theirs == NULL)
    {
      g_autoptr(DbtItem) gone = dbt_item_ref (self->mine);

      finish_deleted (self, gone, NULL);
      return;
    }

  theirs = dbt_item_ref (self->theirs);
  g_clear_pointer (&self->original, dbt_item_unref);
  self->original = dbt_item_ref (theirs);
  self->duplicate = FALSE;
  leave_conflict (self);

  self->loading++;
  if (g_strcmp0 (self->view, "json") == 0)
    {
      g_autofree char *text = serialize_pretty (theirs);

      set_json_text (self, text);
    }
  fill_form (self, theirs);
  self->loading--;
  self->dirty = FALSE;
  update_title (self);
  validate (self);
  toast (self, _("Showing the version in the table"), FALSE);
}

static void
conflict_cancel_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  DbtItemEditor *self = DBT_ITEM_EDITOR (widget);

  if (!self->in_conflict || self->busy)
    return;
  leave_conflict (self);
  validate (self);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  DbtItemEditor *self = DBT_ITEM_EDITOR (widget);

  if (self->in_conflict && !self->busy)
    {
      conflict_cancel_action (widget, NULL, NULL);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
close_idle_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
discard_response_cb (DbtItemEditor *self,
                     const char    *response)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;
  self->close_confirmed = TRUE;
  /* Not from inside the dialog's response: closing the editor takes the
   * dialog (transient for it) along. */
  g_idle_add_full (G_PRIORITY_DEFAULT, close_idle_cb, g_object_ref (self), g_object_unref);
}

static gboolean
dbt_item_editor_close_request (GtkWindow *window)
{
  DbtItemEditor *self = DBT_ITEM_EDITOR (window);
  GtkWidget *dialog;

  if (!self->dirty || self->close_confirmed)
    return GTK_WINDOW_CLASS (dbt_item_editor_parent_class)->close_request (window);

  dialog = adw_message_dialog_new (window, _("Discard Changes?"),
                                   _("Your changes to this item have not been saved."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* ---- loading the key schema ------------------------------------------- */

static void load_schema (DbtItemEditor *self);

static void
schema_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DbtItemEditor) self = user_data;
  g_autoptr(DbtItemSchema) schema = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_description = NULL;

  schema = dbt_item_writer_load_schema_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_stop (self->loading_spinner);

  if (schema == NULL)
    {
      adw_status_page_set_description (self->failed_page, error->message);
      gtk_stack_set_visible_child_name (self->main_stack, "failed");
      return;
    }

  /* An item to edit must carry the key: otherwise edit a copy. */
  if (self->initial != NULL && !self->duplicate)
    {
      g_autoptr(DbtItem) keys = dbt_item_schema_extract_key (schema, self->initial);

      if (keys != NULL)
        self->original = dbt_item_ref (self->initial);
      else
        self->duplicate = TRUE;
    }

  self->schema = g_steal_pointer (&schema);
  self->key_editors[0] = add_key_row (self, self->schema->hash_key_name, self->schema->hash_key_type);
  if (self->schema->range_key_name != NULL)
    {
      self->key_editors[1] = add_key_row (self, self->schema->range_key_name, self->schema->range_key_type);
      key_description = g_strdup_printf (_("Partition key “%s” (%s) and sort key “%s” (%s)"),
                                         self->schema->hash_key_name, kind_label (self->schema->hash_key_type),
                                         self->schema->range_key_name, kind_label (self->schema->range_key_type));
    }
  else
    key_description = g_strdup_printf (_("Partition key “%s” (%s)"),
                                       self->schema->hash_key_name, kind_label (self->schema->hash_key_type));
  if (is_editing (self))
    {
      g_autofree char *with_note = g_strdup_printf (_("%s. The key of an existing item cannot change."), key_description);

      adw_preferences_group_set_description (self->key_group, with_note);
    }
  else
    adw_preferences_group_set_description (self->key_group, key_description);

  fill_form (self, self->initial);
  if (g_strcmp0 (self->view, "json") == 0 && self->initial != NULL)
    {
      g_autofree char *text = serialize_pretty (self->initial);

      set_json_text (self, text);
    }
  self->dirty = FALSE;
  update_title (self);
  validate (self);
  show_page (self);

  gtk_widget_grab_focus (is_editing (self) ? GTK_WIDGET (self->add_attribute_button)
                                           : dbt_attribute_editor_get_value_widget (self->key_editors[0]));
  if (is_editing (self))
    {
      g_autoptr(GPtrArray) editors = attribute_editors (self);

      if (editors->len > 0)
        gtk_widget_grab_focus (dbt_attribute_editor_get_value_widget (g_ptr_array_index (editors, 0)));
    }
}

static void
load_schema (DbtItemEditor *self)
{
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
  gtk_spinner_start (self->loading_spinner);
  dbt_item_writer_load_schema_async (self->session, self->cancellable, schema_loaded_cb, g_object_ref (self));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  DbtItemEditor *self = DBT_ITEM_EDITOR (widget);

  if (self->schema == NULL)
    load_schema (self);
}

/* ---- GObject ------------------------------------------------------------- */

static void
dbt_item_editor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DbtItemEditor *self = DBT_ITEM_EDITOR (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      g_value_set_string (value, self->view);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_item_editor_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DbtItemEditor *self = DBT_ITEM_EDITOR (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      dbt_item_editor_set_view (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_item_editor_dispose (GObject *object)
{
  DbtItemEditor *self = DBT_ITEM_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->validate_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), DBT_TYPE_ITEM_EDITOR);
  G_OBJECT_CLASS (dbt_item_editor_parent_class)->dispose (object);
}

static void
dbt_item_editor_finalize (GObject *object)
{
  DbtItemEditor *self = DBT_ITEM_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->session, dbt_session_unref);
  g_clear_pointer (&self->initial, dbt_item_unref);
  g_clear_pointer (&self->original, dbt_item_unref);
  g_clear_pointer (&self->built, dbt_item_unref);
  g_clear_pointer (&self->theirs, dbt_item_unref);
  g_clear_pointer (&self->mine, dbt_item_unref);
  g_clear_pointer (&self->schema, dbt_item_schema_free);
  g_free (self->view);
  G_OBJECT_CLASS (dbt_item_editor_parent_class)->finalize (object);
}

static void
dbt_item_editor_class_init (DbtItemEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = dbt_item_editor_get_property;
  object_class->set_property = dbt_item_editor_set_property;
  object_class->dispose = dbt_item_editor_dispose;
  object_class->finalize = dbt_item_editor_finalize;
  window_class->close_request = dbt_item_editor_close_request;

  /* "form" or "json": how the item is shown and edited. */
  properties[PROP_VIEW] =
    g_param_spec_string ("view", NULL, NULL, "form",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[DELETED] = g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/dbt-item-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, view_switch);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, spinner);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, main_stack);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, failed_page);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, key_group);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, key_list);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, attribute_list);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, add_attribute_button);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, item_size_label);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, item_error_label);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, delete_group);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, json_view);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, json_error_label);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, conflict_title);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, conflict_description);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, conflict_list);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, use_theirs_button);
  gtk_widget_class_bind_template_child (widget_class, DbtItemEditor, overwrite_button);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "editor.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "editor.add-attribute", NULL, add_attribute_action);
  gtk_widget_class_install_action (widget_class, "editor.overwrite", NULL, overwrite_action);
  gtk_widget_class_install_action (widget_class, "editor.use-theirs", NULL, use_theirs_action);
  gtk_widget_class_install_action (widget_class, "editor.conflict-cancel", NULL, conflict_cancel_action);
  gtk_widget_class_install_action (widget_class, "editor.reload", NULL, reload_action);
  gtk_widget_class_install_property_action (widget_class, "editor.view", "view");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "editor.close", NULL);
}

static void
dbt_item_editor_init (DbtItemEditor *self)
{
  GtkTextBuffer *buffer;

  self->view = g_strdup ("form");
  self->json_error_line = -1;
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  buffer = gtk_text_view_get_buffer (self->json_view);
  gtk_text_buffer_create_tag (buffer, "error",
                              "underline", PANGO_UNDERLINE_ERROR,
                              NULL);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (json_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_set_placeholder (self->attribute_list,
                                g_object_new (GTK_TYPE_LABEL,
                                              "label", _("No other attributes"),
                                              "margin-top", 12, "margin-bottom", 12,
                                              "css-classes", (const char *[]) { "dim-label", NULL },
                                              NULL));
  update_actions (self);
}

GtkWindow *
dbt_item_editor_new (GtkWindow  *parent,
                     DbtSession *session,
                     DbtItem    *item,
                     gboolean    duplicate)
{
  DbtItemEditor *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (session != NULL, NULL);

  self = g_object_new (DBT_TYPE_ITEM_EDITOR,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->session = dbt_session_ref (session);
  self->initial = item != NULL ? dbt_item_ref (item) : NULL;
  self->duplicate = item != NULL && duplicate;
  if (parent != NULL && gtk_window_get_application (parent) != NULL)
    gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));

  update_title (self);
  load_schema (self);
  return GTK_WINDOW (self);
}
