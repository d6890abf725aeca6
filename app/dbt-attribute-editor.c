/* dbt-attribute-editor.c — the typed editor of one DynamoDB value. */
#include "dbt-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dbt-attribute-editor.h"

/* Text longer than this (or with a line break) goes into a text area:
 * GtkEntry holds at most 65535 characters, and long text reads better
 * wrapped. */
#define LONG_TEXT_CHARS 160

struct _DbtAttributeEditor
{
  GtkWidget          parent_instance;

  DbtAttributeRole   role;
  DbtValueType       kind;
  gboolean           editable;
  guint              updating;       /* > 0: changes come from the program */
  char              *external_error;

  /* template children */
  GtkWidget         *header_box;
  GtkLabel          *name_label;
  GtkEntry          *name_entry;
  GtkDropDown       *type_dropdown;
  GtkStack          *value_stack;
  GtkEntry          *value_entry;
  GtkSwitch         *bool_switch;
  GtkLabel          *summary_label;
  GtkLabel          *size_label;
  GtkToggleButton   *multiline_button;
  GtkButton         *up_button;
  GtkButton         *down_button;
  GtkButton         *remove_button;
  GtkScrolledWindow *text_scroller;
  GtkTextView       *value_text;
  GtkBox            *members_box;
  GtkButton         *add_member_button;
  GtkBox            *children_box;
  GtkButton         *add_child_button;
  GtkLabel          *error_label;
};

G_DEFINE_FINAL_TYPE (DbtAttributeEditor, dbt_attribute_editor, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  REMOVE_REQUESTED,
  MOVE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
kind_is_text (DbtValueType kind)
{
  return kind == DBT_VALUE_S || kind == DBT_VALUE_N || kind == DBT_VALUE_B;
}

static gboolean
kind_is_set (DbtValueType kind)
{
  return kind == DBT_VALUE_SS || kind == DBT_VALUE_NS || kind == DBT_VALUE_BS;
}

static gboolean
kind_is_container (DbtValueType kind)
{
  return kind == DBT_VALUE_L || kind == DBT_VALUE_M;
}

static void
emit_changed (DbtAttributeEditor *self)
{
  if (self->updating == 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

/* ---- checks shared with the JSON view ------------------------------------ */

/* Significant digits of a syntactically valid number: leading and trailing
 * zeros do not count. */
static guint
significant_digits (const char *text)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *p = text;
  gsize start = 0;
  gsize end;

  if (*p == '-')
    p++;
  for (; *p != '\0' && *p != 'e' && *p != 'E'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);

  while (start < digits->len && digits->str[start] == '0')
    start++;
  end = digits->len;
  while (end > start && digits->str[end - 1] == '0')
    end--;
  return end - start;
}

char *
dbt_attribute_check_number (const char *text)
{
  g_autoptr(DbtValue) value = NULL;

  if (*text == '\0')
    return g_strdup (_("Enter a number, such as 42, -1.5 or 6.02E23"));

  value = dbt_value_new_number (text, NULL);
  if (value != NULL)
    return NULL;

  if (!g_regex_match_simple ("^-?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$", text, 0, 0))
    return g_strdup (_("Not a number: use digits, an optional “-”, “.” and exponent, such as 42, -1.5 or 6.02E23"));
  if (significant_digits (text) > DBT_NUMBER_MAX_DIGITS)
    return g_strdup_printf (_("Too precise: %u significant digits, DynamoDB keeps at most 38"),
                            significant_digits (text));
  return g_strdup (_("Out of range: DynamoDB numbers go from 1E-130 to 9.99…E+125"));
}

GBytes *
dbt_attribute_decode_base64 (const char *text,
                             char      **message)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  gsize padding = 0;
  guchar *data;
  gsize len;

  /* Line breaks and spaces are only layout (a wrapped paste). */
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (clean, *p);

  for (gsize i = 0; i < clean->len; i++)
    {
      char c = clean->str[i];

      if (c == '=')
        {
          padding++;
          continue;
        }
      if (padding > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        {
          *message = g_strdup (_("Not base64: use A–Z, a–z, 0–9, “+” and “/”, padded with “=”"));
          return NULL;
        }
    }
  if (clean->len % 4 != 0 || padding > 2)
    {
      *message = g_strdup (_("Not base64: the length must be a multiple of 4, padded with “=”"));
      return NULL;
    }

  if (clean->len == 0)
    return g_bytes_new (NULL, 0);
  data = g_base64_decode (clean->str, &len);
  return g_bytes_new_take (data, len);
}

/* ---- text of S, N, B ------------------------------------------------------ */

static gboolean
uses_text_view (DbtAttributeEditor *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->text_scroller));
}

static char *
get_text (DbtAttributeEditor *self)
{
  if (uses_text_view (self))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->value_text);
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->value_entry)));
}

static void
show_text_view (DbtAttributeEditor *self,
                gboolean            multiline)
{
  gboolean text_kind = kind_is_text (self->kind);

  gtk_widget_set_visible (GTK_WIDGET (self->text_scroller), text_kind && multiline);
  if (text_kind && !multiline)
    gtk_stack_set_visible_child_name (self->value_stack, "entry");
  else if (text_kind)
    gtk_stack_set_visible_child_name (self->value_stack, "summary");

  self->updating++;
  gtk_toggle_button_set_active (self->multiline_button, multiline);
  self->updating--;
}

static void
set_text (DbtAttributeEditor *self,
          const char         *text)
{
  gboolean multiline = strchr (text, '\n') != NULL || g_utf8_strlen (text, -1) > LONG_TEXT_CHARS;

  self->updating++;
  show_text_view (self, multiline);
  if (multiline)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->value_text), text, -1);
      gtk_editable_set_text (GTK_EDITABLE (self->value_entry), "");
    }
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (self->value_entry), text);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->value_text), "", -1);
    }
  self->updating--;
}

static void
multiline_toggled_cb (DbtAttributeEditor *self)
{
  g_autofree char *text = NULL;
  gboolean multiline = gtk_toggle_button_get_active (self->multiline_button);

  if (self->updating > 0 || multiline == uses_text_view (self))
    return;

  text = get_text (self);
  if (!multiline && (strchr (text, '\n') != NULL || strlen (text) >= G_MAXUINT16))
    {
      /* An entry cannot hold it: stay on several lines. */
      show_text_view (self, TRUE);
      return;
    }

  self->updating++;
  show_text_view (self, multiline);
  if (multiline)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->value_text), text, -1);
      gtk_editable_set_text (GTK_EDITABLE (self->value_entry), "");
    }
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (self->value_entry), text);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->value_text), "", -1);
    }
  self->updating--;
  gtk_widget_grab_focus (multiline ? GTK_WIDGET (self->value_text) : GTK_WIDGET (self->value_entry));
}

/* ---- marks ---------------------------------------------------------------- */

static void
mark_widget (GtkWidget *widget,
             gboolean   invalid)
{
  if (invalid)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (widget, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
show_error (DbtAttributeEditor *self,
            const char         *message)
{
  if (message == NULL)
    message = self->external_error;
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

void
dbt_attribute_editor_set_error (DbtAttributeEditor *self,
                                const char         *message)
{
  g_return_if_fail (DBT_IS_ATTRIBUTE_EDITOR (self));

  g_free (self->external_error);
  self->external_error = g_strdup (message);
  mark_widget (dbt_attribute_editor_get_value_widget (self), message != NULL);
  show_error (self, message);
}

static void
set_error (GError     **error,
           const char  *message)
{
  if (error != NULL && *error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
}

/* ---- members of sets ------------------------------------------------------- */

static guint
count_box_children (GtkBox *box)
{
  guint n = 0;

  /* The last child of the box is its "add" button. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n - 1;
}

static GPtrArray *
member_entries (DbtAttributeEditor *self)
{
  GPtrArray *entries = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->members_box));
       row != GTK_WIDGET (self->add_member_button);
       row = gtk_widget_get_next_sibling (row))
    g_ptr_array_add (entries, gtk_widget_get_first_child (row));
  return entries;
}

static void
update_member_placeholders (DbtAttributeEditor *self)
{
  g_autoptr(GPtrArray) entries = member_entries (self);
  const char *placeholder = self->kind == DBT_VALUE_NS ? _("Number")
                          : self->kind == DBT_VALUE_BS ? _("Base64")
                          : _("Text");

  for (guint i = 0; i < entries->len; i++)
    gtk_entry_set_placeholder_text (g_ptr_array_index (entries, i), placeholder);
}

static void
member_changed_cb (DbtAttributeEditor *self)
{
  emit_changed (self);
}

static void
member_remove_clicked_cb (DbtAttributeEditor *self,
                          GtkButton          *button)
{
  GtkWidget *row = gtk_widget_get_parent (GTK_WIDGET (button));
  GtkWidget *next = gtk_widget_get_next_sibling (row);
  GtkWidget *prev = gtk_widget_get_prev_sibling (row);

  gtk_box_remove (self->members_box, row);
  /* Keep the focus near: the next member, else the previous, else "add". */
  if (next != GTK_WIDGET (self->add_member_button))
    gtk_widget_grab_focus (gtk_widget_get_first_child (next));
  else if (prev != NULL)
    gtk_widget_grab_focus (gtk_widget_get_first_child (prev));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->add_member_button));
  emit_changed (self);
}

static GtkWidget *
add_member (DbtAttributeEditor *self,
            const char         *text)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  GtkWidget *last = gtk_widget_get_prev_sibling (GTK_WIDGET (self->add_member_button));

  gtk_widget_set_hexpand (entry, TRUE);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  gtk_editable_set_editable (GTK_EDITABLE (entry), self->editable);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Member"),
                                  -1);
  g_signal_connect_object (entry, "changed", G_CALLBACK (member_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove member"));
  gtk_widget_set_sensitive (remove, self->editable);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (member_remove_clicked_cb), self, G_CONNECT_SWAPPED);

  gtk_box_append (GTK_BOX (row), entry);
  gtk_box_append (GTK_BOX (row), remove);
  gtk_box_insert_child_after (self->members_box, row, last);
  update_member_placeholders (self);
  return entry;
}

static void
clear_members (DbtAttributeEditor *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->members_box))) != GTK_WIDGET (self->add_member_button))
    gtk_box_remove (self->members_box, row);
}

static void
add_member_clicked_cb (DbtAttributeEditor *self)
{
  gtk_widget_grab_focus (add_member (self, ""));
  emit_changed (self);
}

/* ---- children of L and M ------------------------------------------------- */

static GPtrArray *
child_editors (DbtAttributeEditor *self)
{
  GPtrArray *children = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->children_box));
       child != GTK_WIDGET (self->add_child_button);
       child = gtk_widget_get_next_sibling (child))
    g_ptr_array_add (children, child);
  return children;
}

static void set_role (DbtAttributeEditor *self, DbtAttributeRole role);

static void
update_children (DbtAttributeEditor *self)
{
  g_autoptr(GPtrArray) children = child_editors (self);

  for (guint i = 0; i < children->len; i++)
    {
      DbtAttributeEditor *child = g_ptr_array_index (children, i);
      g_autofree char *position = g_strdup_printf ("[%u]", i);

      set_role (child, self->kind == DBT_VALUE_M ? DBT_ATTRIBUTE_ROLE_ENTRY : DBT_ATTRIBUTE_ROLE_ELEMENT);
      if (self->kind == DBT_VALUE_L)
        gtk_label_set_text (child->name_label, position);
      gtk_widget_set_sensitive (GTK_WIDGET (child->up_button), self->editable && i > 0);
      gtk_widget_set_sensitive (GTK_WIDGET (child->down_button), self->editable && i + 1 < children->len);
    }
}

static void
child_changed_cb (DbtAttributeEditor *self)
{
  emit_changed (self);
}

static void
child_remove_requested_cb (DbtAttributeEditor *self,
                           DbtAttributeEditor *child)
{
  GtkWidget *next = gtk_widget_get_next_sibling (GTK_WIDGET (child));

  gtk_box_remove (self->children_box, GTK_WIDGET (child));
  update_children (self);
  gtk_widget_grab_focus (next != GTK_WIDGET (self->add_child_button)
                           ? dbt_attribute_editor_get_value_widget (DBT_ATTRIBUTE_EDITOR (next))
                           : GTK_WIDGET (self->add_child_button));
  emit_changed (self);
}

static void
child_move_requested_cb (DbtAttributeEditor *self,
                         int                 delta,
                         DbtAttributeEditor *child)
{
  GtkWidget *widget = GTK_WIDGET (child);
  GtkWidget *prev = gtk_widget_get_prev_sibling (widget);
  GtkWidget *next = gtk_widget_get_next_sibling (widget);

  if (delta < 0 && prev != NULL)
    gtk_box_reorder_child_after (self->children_box, widget, gtk_widget_get_prev_sibling (prev));
  else if (delta > 0 && next != GTK_WIDGET (self->add_child_button))
    gtk_box_reorder_child_after (self->children_box, widget, next);
  else
    return;

  update_children (self);
  /* The button pressed may have become insensitive: keep the focus on a
   * button of the moved row. */
  if (gtk_widget_get_sensitive (GTK_WIDGET (delta < 0 ? child->up_button : child->down_button)))
    gtk_widget_grab_focus (GTK_WIDGET (delta < 0 ? child->up_button : child->down_button));
  else
    gtk_widget_grab_focus (GTK_WIDGET (delta < 0 ? child->down_button : child->up_button));
  emit_changed (self);
}

static DbtAttributeEditor *
add_child (DbtAttributeEditor *self,
           const char         *name,
           const DbtValue     *value)
{
  DbtAttributeEditor *child;
  GtkWidget *last = gtk_widget_get_prev_sibling (GTK_WIDGET (self->add_child_button));

  child = DBT_ATTRIBUTE_EDITOR (dbt_attribute_editor_new (self->kind == DBT_VALUE_M
                                                            ? DBT_ATTRIBUTE_ROLE_ENTRY
                                                            : DBT_ATTRIBUTE_ROLE_ELEMENT));
  if (name != NULL)
    dbt_attribute_editor_set_name (child, name);
  if (value != NULL)
    dbt_attribute_editor_set_value (child, value);
  dbt_attribute_editor_set_editable (child, self->editable);
  g_signal_connect_object (child, "changed", G_CALLBACK (child_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (child, "remove-requested", G_CALLBACK (child_remove_requested_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (child, "move-requested", G_CALLBACK (child_move_requested_cb), self, G_CONNECT_SWAPPED);
  gtk_box_insert_child_after (self->children_box, GTK_WIDGET (child), last);
  update_children (self);
  return child;
}

static void
clear_children (DbtAttributeEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->children_box))) != GTK_WIDGET (self->add_child_button))
    gtk_box_remove (self->children_box, child);
}

static void
add_child_clicked_cb (DbtAttributeEditor *self)
{
  DbtAttributeEditor *child = add_child (self, NULL, NULL);

  dbt_attribute_editor_grab_name_focus (child);
  emit_changed (self);
}

/* ---- role, kind, value ----------------------------------------------------- */

static void
set_role (DbtAttributeEditor *self,
          DbtAttributeRole    role)
{
  gboolean movable = role == DBT_ATTRIBUTE_ROLE_ENTRY || role == DBT_ATTRIBUTE_ROLE_ELEMENT;
  gboolean named = role == DBT_ATTRIBUTE_ROLE_ATTRIBUTE || role == DBT_ATTRIBUTE_ROLE_ENTRY;

  self->role = role;
  gtk_widget_set_visible (GTK_WIDGET (self->name_entry), named);
  gtk_widget_set_visible (GTK_WIDGET (self->name_label), !named);
  gtk_widget_set_visible (GTK_WIDGET (self->up_button), movable);
  gtk_widget_set_visible (GTK_WIDGET (self->down_button), movable);
  gtk_widget_set_visible (GTK_WIDGET (self->remove_button), role != DBT_ATTRIBUTE_ROLE_KEY);
  gtk_widget_set_sensitive (GTK_WIDGET (self->type_dropdown), role != DBT_ATTRIBUTE_ROLE_KEY && self->editable);
  if (role == DBT_ATTRIBUTE_ROLE_KEY)
    gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "heading");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_label), "heading");
  if (role == DBT_ATTRIBUTE_ROLE_ELEMENT)
    gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_label), "dim-label");
}

static void
update_summary (DbtAttributeEditor *self)
{
  g_autofree char *summary = NULL;

  if (self->kind == DBT_VALUE_NULL)
    summary = g_strdup (_("No value"));
  else if (kind_is_set (self->kind))
    {
      guint n = count_box_children (self->members_box);

      summary = g_strdup_printf (ngettext ("%u member", "%u members", n), n);
    }
  else if (self->kind == DBT_VALUE_L)
    {
      guint n = count_box_children (self->children_box);

      summary = g_strdup_printf (ngettext ("%u element", "%u elements", n), n);
    }
  else if (self->kind == DBT_VALUE_M)
    {
      guint n = count_box_children (self->children_box);

      summary = g_strdup_printf (ngettext ("%u entry", "%u entries", n), n);
    }
  else if (uses_text_view (self))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->value_text);
      guint n = gtk_text_buffer_get_line_count (buffer);

      summary = g_strdup_printf (ngettext ("%u line", "%u lines", n), n);
    }
  gtk_label_set_text (self->summary_label, summary != NULL ? summary : "");
}

static void
show_kind (DbtAttributeEditor *self)
{
  DbtValueType kind = self->kind;

  gtk_widget_set_visible (GTK_WIDGET (self->members_box), kind_is_set (kind));
  gtk_widget_set_visible (GTK_WIDGET (self->children_box), kind_is_container (kind));
  gtk_widget_set_visible (GTK_WIDGET (self->size_label), kind == DBT_VALUE_B);
  gtk_widget_set_visible (GTK_WIDGET (self->multiline_button),
                          (kind == DBT_VALUE_S || kind == DBT_VALUE_B) && self->editable &&
                          self->role != DBT_ATTRIBUTE_ROLE_KEY);

  if (kind_is_text (kind))
    show_text_view (self, uses_text_view (self));
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->text_scroller), FALSE);
      gtk_stack_set_visible_child_name (self->value_stack, kind == DBT_VALUE_BOOL ? "switch" : "summary");
    }

  gtk_entry_set_placeholder_text (self->value_entry,
                                  kind == DBT_VALUE_N ? _("Number, such as 42 or -1.5")
                                  : kind == DBT_VALUE_B ? _("Base64")
                                  : NULL);
  gtk_button_set_label (self->add_child_button, kind == DBT_VALUE_M ? _("Add _Entry") : _("Add _Element"));
  update_member_placeholders (self);

  self->updating++;
  gtk_drop_down_set_selected (self->type_dropdown, (guint) kind);
  self->updating--;
  update_summary (self);
}

void
dbt_attribute_editor_set_kind (DbtAttributeEditor *self,
                               DbtValueType        kind)
{
  DbtValueType old = self->kind;

  g_return_if_fail (DBT_IS_ATTRIBUTE_EDITOR (self));

  if (kind == old)
    return;

  self->updating++;
  if (kind_is_set (old) && kind_is_text (kind))
    {
      /* The first member becomes the value. */
      g_autoptr(GPtrArray) entries = member_entries (self);

      set_text (self, entries->len > 0 ? gtk_editable_get_text (g_ptr_array_index (entries, 0)) : "");
    }
  if (kind_is_text (old) && kind_is_set (kind))
    {
      g_autofree char *text = get_text (self);

      clear_members (self);
      add_member (self, text);
    }
  if (kind_is_set (kind) && count_box_children (self->members_box) == 0)
    add_member (self, "");
  if (!kind_is_set (kind))
    clear_members (self);
  if (!kind_is_container (kind))
    clear_children (self);
  if (!kind_is_text (kind))
    set_text (self, "");

  self->kind = kind;
  /* Elements of an L become entries of an M and back. */
  update_children (self);
  show_kind (self);
  self->updating--;
}

void
dbt_attribute_editor_set_value (DbtAttributeEditor *self,
                                const DbtValue     *value)
{
  DbtValueType kind;

  g_return_if_fail (DBT_IS_ATTRIBUTE_EDITOR (self));
  g_return_if_fail (value != NULL);

  kind = dbt_value_get_kind (value);
  self->updating++;
  clear_members (self);
  clear_children (self);
  set_text (self, "");
  self->kind = kind;

  switch (kind)
    {
    case DBT_VALUE_S:
    case DBT_VALUE_N:
      set_text (self, dbt_value_get_string (value));
      break;
    case DBT_VALUE_B:
      {
        gsize size;
        const guchar *data = g_bytes_get_data (dbt_value_get_binary (value), &size);
        g_autofree char *b64 = g_base64_encode (data, size);

        set_text (self, b64);
      }
      break;
    case DBT_VALUE_BOOL:
      gtk_switch_set_active (self->bool_switch, dbt_value_get_bool (value));
      break;
    case DBT_VALUE_NULL:
      break;
    case DBT_VALUE_SS:
    case DBT_VALUE_NS:
      for (guint i = 0; i < dbt_value_get_length (value); i++)
        add_member (self, dbt_value_get_member_string (value, i));
      break;
    case DBT_VALUE_BS:
      for (guint i = 0; i < dbt_value_get_length (value); i++)
        {
          gsize size;
          const guchar *data = g_bytes_get_data (dbt_value_get_member_binary (value, i), &size);
          g_autofree char *b64 = g_base64_encode (data, size);

          add_member (self, b64);
        }
      break;
    case DBT_VALUE_L:
      for (guint i = 0; i < dbt_value_get_length (value); i++)
        add_child (self, NULL, dbt_value_get_element (value, i));
      break;
    case DBT_VALUE_M:
      {
        DbtItem *map = dbt_value_get_map (value);

        for (guint i = 0; i < dbt_item_get_size (map); i++)
          add_child (self, dbt_item_get_name (map, i), dbt_item_get_value (map, i));
      }
      break;
    default:
      g_assert_not_reached ();
    }

  show_kind (self);
  self->updating--;
  /* Show faults at once (a loaded binary's size, for one). */
  {
    g_autoptr(DbtValue) shown = NULL;

    g_clear_pointer (&self->external_error, g_free);
    shown = dbt_attribute_editor_build (self, NULL);
  }
}

void
dbt_attribute_editor_set_editable (DbtAttributeEditor *self,
                                   gboolean            editable)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) children = NULL;

  g_return_if_fail (DBT_IS_ATTRIBUTE_EDITOR (self));

  self->editable = editable;
  gtk_editable_set_editable (GTK_EDITABLE (self->name_entry), editable);
  gtk_editable_set_editable (GTK_EDITABLE (self->value_entry), editable);
  gtk_text_view_set_editable (self->value_text, editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bool_switch), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button), editable);
  gtk_widget_set_visible (GTK_WIDGET (self->add_member_button), editable);
  gtk_widget_set_visible (GTK_WIDGET (self->add_child_button), editable);
  set_role (self, self->role);
  show_kind (self);

  entries = member_entries (self);
  for (guint i = 0; i < entries->len; i++)
    {
      GtkWidget *entry = g_ptr_array_index (entries, i);

      gtk_editable_set_editable (GTK_EDITABLE (entry), editable);
      gtk_widget_set_sensitive (gtk_widget_get_next_sibling (entry), editable);
    }
  children = child_editors (self);
  for (guint i = 0; i < children->len; i++)
    dbt_attribute_editor_set_editable (g_ptr_array_index (children, i), editable);
  update_children (self);
}

DbtAttributeRole
dbt_attribute_editor_get_role (DbtAttributeEditor *self)
{
  g_return_val_if_fail (DBT_IS_ATTRIBUTE_EDITOR (self), DBT_ATTRIBUTE_ROLE_ATTRIBUTE);
  return self->role;
}

const char *
dbt_attribute_editor_get_name (DbtAttributeEditor *self)
{
  g_return_val_if_fail (DBT_IS_ATTRIBUTE_EDITOR (self), NULL);

  if (self->role == DBT_ATTRIBUTE_ROLE_KEY)
    return gtk_label_get_text (self->name_label);
  return gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
}

void
dbt_attribute_editor_set_name (DbtAttributeEditor *self,
                               const char         *name)
{
  g_return_if_fail (DBT_IS_ATTRIBUTE_EDITOR (self));

  self->updating++;
  gtk_label_set_text (self->name_label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), name);
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name);
  self->updating--;
}

DbtValueType
dbt_attribute_editor_get_kind (DbtAttributeEditor *self)
{
  g_return_val_if_fail (DBT_IS_ATTRIBUTE_EDITOR (self), DBT_VALUE_S);
  return self->kind;
}

void
dbt_attribute_editor_grab_name_focus (DbtAttributeEditor *self)
{
  g_return_if_fail (DBT_IS_ATTRIBUTE_EDITOR (self));

  if (gtk_widget_get_visible (GTK_WIDGET (self->name_entry)))
    gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
  else
    gtk_widget_grab_focus (dbt_attribute_editor_get_value_widget (self));
}

GtkWidget *
dbt_attribute_editor_get_value_widget (DbtAttributeEditor *self)
{
  g_return_val_if_fail (DBT_IS_ATTRIBUTE_EDITOR (self), NULL);

  if (kind_is_text (self->kind))
    return uses_text_view (self) ? GTK_WIDGET (self->value_text) : GTK_WIDGET (self->value_entry);
  if (self->kind == DBT_VALUE_BOOL)
    return GTK_WIDGET (self->bool_switch);
  return GTK_WIDGET (self->type_dropdown);
}

/* ---- building (and validating) -------------------------------------------- */

static void
update_binary_size (DbtAttributeEditor *self,
                    GBytes             *bytes)
{
  g_autofree char *size = NULL;

  if (bytes == NULL)
    {
      gtk_label_set_text (self->size_label, "");
      return;
    }
  size = g_format_size_full (g_bytes_get_size (bytes), G_FORMAT_SIZE_IEC_UNITS);
  gtk_label_set_text (self->size_label, size);
}

static DbtValue *
build_set (DbtAttributeEditor *self,
           char              **message)
{
  g_autoptr(GPtrArray) entries = member_entries (self);
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *first_fault = NULL;

  members = self->kind == DBT_VALUE_BS
              ? g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref)
              : g_ptr_array_new_with_free_func (g_free);

  if (entries->len == 0)
    {
      *message = g_strdup (_("A set needs at least one member"));
      return NULL;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      GtkWidget *entry = g_ptr_array_index (entries, i);
      g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
      g_autofree char *fault = NULL;
      g_autofree char *key = NULL;

      if (self->kind == DBT_VALUE_NS)
        g_strstrip (text);

      if (*text == '\0')
        fault = g_strdup_printf (_("Member %u is empty: enter a value or remove it"), i + 1);
      else if (self->kind == DBT_VALUE_NS)
        {
          g_autofree char *number_fault = dbt_attribute_check_number (text);

          if (number_fault != NULL)
            fault = g_strdup_printf (_("Member %u: %s"), i + 1, number_fault);
          else
            key = dbt_number_normalize (text);
        }
      else if (self->kind == DBT_VALUE_BS)
        {
          g_autofree char *b64_fault = NULL;
          g_autoptr(GBytes) bytes = dbt_attribute_decode_base64 (text, &b64_fault);

          if (bytes == NULL)
            fault = g_strdup_printf (_("Member %u: %s"), i + 1, b64_fault);
          else
            {
              gsize size;
              const guchar *data = g_bytes_get_data (bytes, &size);

              key = g_base64_encode (data, size);
              g_ptr_array_add (members, g_steal_pointer (&bytes));
            }
        }
      else
        key = g_strdup (text);

      if (fault == NULL)
        for (guint j = 0; j < keys->len; j++)
          if (g_strcmp0 (g_ptr_array_index (keys, j), key) == 0)
            {
              fault = g_strdup_printf (_("“%s” is in the set twice (members %u and %u)"),
                                       text, j + 1, i + 1);
              break;
            }

      mark_widget (entry, fault != NULL);
      if (fault != NULL)
        {
          if (first_fault == NULL)
            first_fault = g_steal_pointer (&fault);
          /* Keep the positions of keys aligned with the entries. */
          g_ptr_array_add (keys, NULL);
          continue;
        }
      g_ptr_array_add (keys, g_steal_pointer (&key));
      if (self->kind != DBT_VALUE_BS)
        g_ptr_array_add (members, g_strdup (text));
    }

  if (first_fault != NULL)
    {
      *message = g_steal_pointer (&first_fault);
      return NULL;
    }
  return dbt_value_new_set (self->kind, members, NULL);
}

DbtValue *
dbt_attribute_editor_build (DbtAttributeEditor *self,
                            GError            **error)
{
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;
  g_autoptr(DbtValue) value = NULL;
  gboolean children_failed = FALSE;

  g_return_val_if_fail (DBT_IS_ATTRIBUTE_EDITOR (self), NULL);

  mark_widget (GTK_WIDGET (self->value_entry), FALSE);
  mark_widget (GTK_WIDGET (self->text_scroller), FALSE);

  switch (self->kind)
    {
    case DBT_VALUE_S:
      text = get_text (self);
      value = dbt_value_new_string (text, NULL);
      break;
    case DBT_VALUE_N:
      text = g_strstrip (get_text (self));
      message = dbt_attribute_check_number (text);
      if (message == NULL)
        value = dbt_value_new_number (text, NULL);
      break;
    case DBT_VALUE_B:
      {
        g_autoptr(GBytes) bytes = NULL;

        text = get_text (self);
        bytes = dbt_attribute_decode_base64 (text, &message);
        update_binary_size (self, bytes);
        if (bytes != NULL)
          value = dbt_value_new_binary (bytes);
      }
      break;
    case DBT_VALUE_BOOL:
      value = dbt_value_new_bool (gtk_switch_get_active (self->bool_switch));
      break;
    case DBT_VALUE_NULL:
      value = dbt_value_new_null ();
      break;
    case DBT_VALUE_SS:
    case DBT_VALUE_NS:
    case DBT_VALUE_BS:
      value = build_set (self, &message);
      break;
    case DBT_VALUE_L:
      {
        g_autoptr(GPtrArray) children = child_editors (self);
        g_autoptr(GPtrArray) elements = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_value_unref);

        for (guint i = 0; i < children->len; i++)
          {
            DbtValue *element = dbt_attribute_editor_build (g_ptr_array_index (children, i), error);

            if (element == NULL)
              children_failed = TRUE;
            else
              g_ptr_array_add (elements, element);
          }
        if (!children_failed)
          value = dbt_value_new_list (elements);
      }
      break;
    case DBT_VALUE_M:
      {
        g_autoptr(GPtrArray) children = child_editors (self);
        g_autoptr(DbtItem) map = dbt_item_new ();

        if (dbt_attribute_editor_build_entries ((DbtAttributeEditor *const *) children->pdata,
                                                children->len, map, error))
          value = dbt_value_new_map (map);
        else
          children_failed = TRUE;
      }
      break;
    default:
      g_assert_not_reached ();
    }

  update_summary (self);

  if (message != NULL)
    {
      if (kind_is_text (self->kind))
        mark_widget (uses_text_view (self) ? GTK_WIDGET (self->text_scroller) : GTK_WIDGET (self->value_entry), TRUE);
      show_error (self, message);
      set_error (error, message);
      return NULL;
    }

  show_error (self, NULL);
  if (self->external_error != NULL)
    {
      mark_widget (dbt_attribute_editor_get_value_widget (self), TRUE);
      set_error (error, self->external_error);
      return NULL;
    }
  if (children_failed)
    return NULL;
  return g_steal_pointer (&value);
}

gboolean
dbt_attribute_editor_build_entries (DbtAttributeEditor *const *editors,
                                    guint                      n,
                                    DbtItem                   *item,
                                    GError                   **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean valid = TRUE;

  for (guint i = 0; i < n; i++)
    {
      DbtAttributeEditor *editor = editors[i];
      const char *name = dbt_attribute_editor_get_name (editor);
      g_autoptr(DbtValue) value = dbt_attribute_editor_build (editor, error);
      g_autofree char *name_fault = NULL;

      if (*name == '\0')
        name_fault = g_strdup (_("Enter a name"));
      else if (dbt_item_get (item, name) != NULL || !g_hash_table_add (seen, (gpointer) name))
        name_fault = g_strdup_printf (_("Another attribute is already named “%s”"), name);

      if (editor->role != DBT_ATTRIBUTE_ROLE_KEY)
        mark_widget (GTK_WIDGET (editor->name_entry), name_fault != NULL);
      if (name_fault != NULL)
        {
          /* The name's fault first: the value's shows once it is fixed. */
          show_error (editor, name_fault);
          set_error (error, name_fault);
          valid = FALSE;
          continue;
        }
      if (value == NULL)
        {
          valid = FALSE;
          continue;
        }
      dbt_item_set (item, name, value);
    }
  return valid;
}

/* ---- signals from the template ------------------------------------------- */

static void
name_changed_cb (DbtAttributeEditor *self)
{
  emit_changed (self);
}

static void
value_changed_cb (DbtAttributeEditor *self)
{
  emit_changed (self);
}

static void
text_changed_cb (DbtAttributeEditor *self)
{
  if (uses_text_view (self))
    emit_changed (self);
}

static void
type_selected_cb (DbtAttributeEditor *self)
{
  guint selected = gtk_drop_down_get_selected (self->type_dropdown);

  if (self->updating > 0 || selected == GTK_INVALID_LIST_POSITION || selected > DBT_VALUE_M)
    return;
  dbt_attribute_editor_set_kind (self, (DbtValueType) selected);
  emit_changed (self);
}

static void
remove_clicked_cb (DbtAttributeEditor *self)
{
  g_signal_emit (self, signals[REMOVE_REQUESTED], 0);
}

static void
up_clicked_cb (DbtAttributeEditor *self)
{
  g_signal_emit (self, signals[MOVE_REQUESTED], 0, -1);
}

static void
down_clicked_cb (DbtAttributeEditor *self)
{
  g_signal_emit (self, signals[MOVE_REQUESTED], 0, 1);
}

/* ---- GObject --------------------------------------------------------------- */

static void
dbt_attribute_editor_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DBT_TYPE_ATTRIBUTE_EDITOR);
  G_OBJECT_CLASS (dbt_attribute_editor_parent_class)->dispose (object);
}

static void
dbt_attribute_editor_finalize (GObject *object)
{
  DbtAttributeEditor *self = DBT_ATTRIBUTE_EDITOR (object);

  g_free (self->external_error);
  G_OBJECT_CLASS (dbt_attribute_editor_parent_class)->finalize (object);
}

static void
dbt_attribute_editor_class_init (DbtAttributeEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbt_attribute_editor_dispose;
  object_class->finalize = dbt_attribute_editor_finalize;

  /* Any edit anywhere inside. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The remove button was pressed; the container removes the editor. */
  signals[REMOVE_REQUESTED] = g_signal_new ("remove-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Move up (-1) or down (+1) among the container's editors. */
  signals[MOVE_REQUESTED] = g_signal_new ("move-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/dbt-attribute-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, header_box);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, name_label);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, name_entry);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, value_stack);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, value_entry);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, bool_switch);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, size_label);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, multiline_button);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, up_button);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, down_button);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, remove_button);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, text_scroller);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, value_text);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, members_box);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, add_member_button);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, children_box);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, add_child_button);
  gtk_widget_class_bind_template_child (widget_class, DbtAttributeEditor, error_label);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, type_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, multiline_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, up_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, down_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_member_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_child_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "attributeeditor");
}

static void
dbt_attribute_editor_init (DbtAttributeEditor *self)
{
  GtkLayoutManager *layout;

  self->editable = TRUE;
  self->kind = DBT_VALUE_S;
  gtk_widget_init_template (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);

  g_signal_connect_object (gtk_text_view_get_buffer (self->value_text), "changed",
                           G_CALLBACK (text_changed_cb), self, G_CONNECT_SWAPPED);
  show_kind (self);
}

GtkWidget *
dbt_attribute_editor_new (DbtAttributeRole role)
{
  DbtAttributeEditor *self = g_object_new (DBT_TYPE_ATTRIBUTE_EDITOR, NULL);

  set_role (self, role);
  return GTK_WIDGET (self);
}
