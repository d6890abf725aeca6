/* dbt-item-editor.h — the window that creates, edits, duplicates and deletes
 * one item of the session's table.
 *
 * The item shows as a form (dbt-attribute-editor.h: every DynamoDB type,
 * nested L and M) or as DynamoDB-JSON; both round-trip. Faults are shown at
 * their field and keep Save disabled. Writes are conditional on the version
 * the editor started from (dbt-item-writer.h); when someone else changed the
 * item meanwhile, both versions are shown side by side and nothing is
 * written until the user chooses.
 *
 * Signals (the item is owned by the editor, take a ref to keep it):
 *   "saved"   (DbtItem *item)  what the table holds after the write
 *   "deleted" (DbtItem *keys)  the key of the item deleted
 * The editor closes itself after either and tells the parent window
 * (a DbtWindow) with a toast.
 */
#pragma once

#include <adwaita.h>

#include "dbt-session.h"
#include "dbt-value.h"

G_BEGIN_DECLS

#define DBT_TYPE_ITEM_EDITOR (dbt_item_editor_get_type ())
G_DECLARE_FINAL_TYPE (DbtItemEditor, dbt_item_editor, DBT, ITEM_EDITOR, AdwWindow)

/* @item NULL: a new item. @duplicate: a new item prefilled from @item, keys
 * editable. Present the window returned. */
GtkWindow *dbt_item_editor_new (GtkWindow  *parent,
                                DbtSession *session,
                                DbtItem    *item,
                                gboolean    duplicate);

G_END_DECLS
