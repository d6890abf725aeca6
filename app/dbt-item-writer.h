/* dbt-item-writer.h — writes and deletes items without losing anyone's change.
 *
 * Every write is conditional on the version the user started from:
 *
 *  - a new item (@expected NULL) is put with attribute_not_exists(<hash
 *    key>): an existing item with that key is a conflict;
 *  - an edit is an UpdateItem that SETs the attributes the user changed or
 *    added and REMOVEs those they removed, under the condition that every
 *    attribute of @expected still holds its value (`#n = :v`, which
 *    DynamoDB evaluates for every type, L, M and sets included) and that
 *    every attribute the user adds is still absent;
 *  - a delete is conditional on every attribute of @expected, too.
 *
 * What a condition cannot say is "and no other attribute appeared". An
 * attribute someone else added meanwhile is therefore kept (an update does
 * not touch attributes it does not name) and reported in the outcome's
 * "appeared" list, so the console can say so; a delete removes it with the
 * item and reports it the same way.
 *
 * A failed condition is not an error: the outcome says "conflict" and
 * carries the item as the table holds it now (NULL when it is gone), and
 * nothing was written. To overwrite, write again with that item as
 * @expected: a second concurrent change is caught the same way.
 *
 * DynamoDB limits each expression to 4 KB, so an edit or delete of an item
 * with a few hundred attributes is refused (DBT_AWS_ERROR_INVALID_INPUT)
 * rather than written unconditionally.
 */
#pragma once

#include <gio/gio.h>

#include "dbt-dynamodb.h"
#include "dbt-session.h"

G_BEGIN_DECLS

/* The key schema the writer needs, copied from a DbtTableDescription. */
typedef struct
{
  char         *table_name;
  char         *hash_key_name;
  DbtValueType  hash_key_type;
  char         *range_key_name;   /* NULL: hash key only */
  DbtValueType  range_key_type;
} DbtItemSchema;

DbtItemSchema *dbt_item_schema_new_from_description (const DbtTableDescription *description);
DbtItemSchema *dbt_item_schema_copy                 (const DbtItemSchema       *schema);
void           dbt_item_schema_free                 (DbtItemSchema             *schema);
/* The key attributes of @item, or NULL when one is missing. */
DbtItem       *dbt_item_schema_extract_key          (const DbtItemSchema       *schema,
                                                     const DbtItem             *item);

typedef struct
{
  /* The table no longer held @expected (or, for a new item, already held
   * one with that key): nothing was written. */
  gboolean   conflict;
  /* Conflict: the item as the table holds it now, NULL when there is none.
   * Written: the item as the table holds it after the write (NULL after a
   * delete). */
  DbtItem   *current;
  /* Names of attributes that were not in @expected and appeared meanwhile:
   * kept by an edit, deleted with the item by a delete. */
  GStrv      appeared;
} DbtItemWriteOutcome;

void dbt_item_write_outcome_free (DbtItemWriteOutcome *outcome);

/* Blocking forms, for worker threads and tests. @expected NULL: a new item.
 * NULL with @error only for failures other than a conflict. */
DbtItemWriteOutcome *dbt_item_writer_save   (DbtAwsClient        *client,
                                             const DbtItemSchema *schema,
                                             DbtItem             *expected,
                                             DbtItem             *item,
                                             GCancellable        *cancellable,
                                             GError             **error);
DbtItemWriteOutcome *dbt_item_writer_delete (DbtAwsClient        *client,
                                             const DbtItemSchema *schema,
                                             DbtItem             *expected,
                                             GCancellable        *cancellable,
                                             GError             **error);

/* The same on a worker thread; the result comes back on the main loop. */
void                 dbt_item_writer_save_async    (DbtSession          *session,
                                                    const DbtItemSchema *schema,
                                                    DbtItem             *expected,
                                                    DbtItem             *item,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
DbtItemWriteOutcome *dbt_item_writer_save_finish   (GAsyncResult        *result,
                                                    GError             **error);
void                 dbt_item_writer_delete_async  (DbtSession          *session,
                                                    const DbtItemSchema *schema,
                                                    DbtItem             *expected,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
DbtItemWriteOutcome *dbt_item_writer_delete_finish (GAsyncResult        *result,
                                                    GError             **error);

/* DescribeTable on a worker thread, as the schema. */
void                 dbt_item_writer_load_schema_async  (DbtSession          *session,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
DbtItemSchema       *dbt_item_writer_load_schema_finish (GAsyncResult        *result,
                                                         GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtItemSchema, dbt_item_schema_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtItemWriteOutcome, dbt_item_write_outcome_free)

G_END_DECLS
