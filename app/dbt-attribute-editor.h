/* dbt-attribute-editor.h — the typed editor of one DynamoDB value.
 *
 * One editor shows a name (editable, fixed, or a list position), a type and
 * the value in the widget that fits the type: an entry for S, N and B (a
 * text area for long or multi-line text), a switch for BOOL, member rows for
 * SS, NS and BS, and nested editors for the elements of an L and the entries
 * of an M. Changing the type keeps what still fits (text among S, N and B;
 * members among the sets; elements between L and M).
 *
 * Building the value validates it and marks every fault at its field (error
 * style and a message under the row): invalid numbers (never through double:
 * 38 significant digits exact), invalid base64, empty or duplicate set
 * members, empty or duplicate names. The editor emits "changed" after every
 * edit anywhere inside it.
 */
#pragma once

#include <adwaita.h>

#include "dbt-value.h"

G_BEGIN_DECLS

typedef enum
{
  DBT_ATTRIBUTE_ROLE_ATTRIBUTE, /* a top-level attribute: editable name, removable */
  DBT_ATTRIBUTE_ROLE_KEY,       /* a key attribute: fixed name and type */
  DBT_ATTRIBUTE_ROLE_ENTRY,     /* an entry of an M: editable name, removable, movable */
  DBT_ATTRIBUTE_ROLE_ELEMENT,   /* an element of an L: its position, removable, movable */
} DbtAttributeRole;

#define DBT_TYPE_ATTRIBUTE_EDITOR (dbt_attribute_editor_get_type ())
G_DECLARE_FINAL_TYPE (DbtAttributeEditor, dbt_attribute_editor, DBT, ATTRIBUTE_EDITOR, GtkWidget)

GtkWidget        *dbt_attribute_editor_new          (DbtAttributeRole    role);

DbtAttributeRole  dbt_attribute_editor_get_role     (DbtAttributeEditor *self);
const char       *dbt_attribute_editor_get_name     (DbtAttributeEditor *self);
void              dbt_attribute_editor_set_name     (DbtAttributeEditor *self,
                                                     const char         *name);
DbtValueType      dbt_attribute_editor_get_kind     (DbtAttributeEditor *self);
/* Changes the type, keeping what fits. */
void              dbt_attribute_editor_set_kind     (DbtAttributeEditor *self,
                                                     DbtValueType        kind);
/* Shows @value (its type and content). */
void              dbt_attribute_editor_set_value    (DbtAttributeEditor *self,
                                                     const DbtValue     *value);
/* Keys of an existing item: shown, selectable, not editable. */
void              dbt_attribute_editor_set_editable (DbtAttributeEditor *self,
                                                     gboolean            editable);

/* The value as the editor shows it, or NULL when a field is invalid: every
 * fault is then marked at its field and @error carries the first one. */
DbtValue         *dbt_attribute_editor_build        (DbtAttributeEditor *self,
                                                     GError            **error);

/* Builds @n named editors into @item (appending, after what it holds):
 * values as above, plus names non-empty and unique (also against the names
 * already in @item). Marks every fault; FALSE with the first one. */
gboolean          dbt_attribute_editor_build_entries (DbtAttributeEditor *const *editors,
                                                      guint                      n,
                                                      DbtItem                   *item,
                                                      GError                   **error);

/* An error about this editor that only its container can see (a key that
 * must not be empty); NULL clears it. */
void              dbt_attribute_editor_set_error    (DbtAttributeEditor *self,
                                                     const char         *message);
/* Focuses the name entry (or the value, when the name is fixed). */
void              dbt_attribute_editor_grab_name_focus  (DbtAttributeEditor *self);
/* The widget that takes the value (for focus and for tests). */
GtkWidget        *dbt_attribute_editor_get_value_widget (DbtAttributeEditor *self);

/* Value-level checks, shared with the item editor's JSON view: a
 * translated message for an invalid number / base64 text, or NULL. */
char             *dbt_attribute_check_number        (const char *text);
GBytes           *dbt_attribute_decode_base64       (const char *text,
                                                     char      **message);

G_END_DECLS
