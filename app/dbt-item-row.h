/* dbt-item-row.h — one table item as a list model row.
 *
 * A row holds a reference to its DbtItem and the item's identity (its key
 * attributes as a string, see dbt_item_row_key_for_item), nothing else: the
 * column view computes every cell's text when it binds the cell, so a table
 * of 100,000 items costs 100,000 small objects and no widgets beyond the
 * ones the view recycles.
 *
 * Rows are immutable. An item that changes gets a new row in its place.
 */
#pragma once

#include <glib-object.h>

#include "dbt-dynamodb.h"

G_BEGIN_DECLS

#define DBT_TYPE_ITEM_ROW (dbt_item_row_get_type ())
G_DECLARE_FINAL_TYPE (DbtItemRow, dbt_item_row, DBT, ITEM_ROW, GObject)

/* Takes a reference of @item; @key is copied. Safe on any thread. */
DbtItemRow *dbt_item_row_new      (DbtItem    *item,
                                   const char *key);
DbtItem    *dbt_item_row_get_item (DbtItemRow *self);
const char *dbt_item_row_get_key  (DbtItemRow *self);

/* The identity of @item under the table's key schema: the key values in
 * DynamoDB-JSON, numbers normalised ("1.0" and "1" are the same key).
 * NULL when the item lacks a key attribute. */
char       *dbt_item_row_key_for_item (const DbtTableDescription *description,
                                       const DbtItem             *item);

/* Orders two rows by their attribute @name for the column sorters: numbers
 * numerically (exact, dbt_number_compare), strings by UTF-8 collation, then
 * the other types by their rendering; values of different types by type
 * (N, S, B, BOOL, NULL, sets, L, M); rows without the attribute last.
 * @name must be interned (g_intern_string): the collation key of the last
 * attribute compared is cached in the row. Main thread only. */
int         dbt_item_row_compare_attribute (DbtItemRow *a,
                                            DbtItemRow *b,
                                            const char *name);

G_END_DECLS
