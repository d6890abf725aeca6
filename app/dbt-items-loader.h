/* dbt-items-loader.h — reads a table's items page by page, with a filter.
 *
 * A loader reads one table from the start, in the server's order, a batch
 * per dbt_items_loader_next_async() call, on a worker thread. The first
 * call also describes the table (key schema, approximate item count).
 *
 * Filters, and the requests they become:
 *
 *   NONE                Scan, Limit = page size, one request per batch.
 *   KEY_EQUALS          the hash key equals the value (converted to the
 *                       key's type: S, N or base64 for B): GetItem when the
 *                       hash key is the whole key, otherwise Query with
 *                       KeyConditionExpression #k = :v (every item of that
 *                       partition, paged).
 *   KEY_BEGINS_WITH     Scan with FilterExpression begins_with(#k, :v) on the
 *                       hash key. DynamoDB can only Query a partition by
 *                       equality, so on a table whose hash key is the only
 *                       key a prefix search is a Scan that reads the whole
 *                       table; S and B keys only.
 *   ATTRIBUTE_CONTAINS  Scan with FilterExpression contains(#a, :v): a
 *                       substring of a string, a member of a string set or
 *                       an element of a list. When the value is also a
 *                       number, contains(#a, :n) is OR-ed in, so number sets
 *                       and lists match too.
 *
 * A Scan with a filter evaluates Limit items per request and returns the
 * matches among them, often none. With a filter the loader therefore keeps
 * requesting pages until the batch holds @min_items matches or the table
 * ends; so that progress shows on large tables, it also returns after about
 * a second with what it has (the caller asks again).
 *
 * One call at a time; the counters and the description are read on the
 * main thread between calls.
 */
#pragma once

#include <gio/gio.h>

#include "dbt-aws-client.h"
#include "dbt-dynamodb.h"

G_BEGIN_DECLS

typedef enum
{
  DBT_ITEMS_FILTER_NONE,
  DBT_ITEMS_FILTER_KEY_EQUALS,
  DBT_ITEMS_FILTER_KEY_BEGINS_WITH,
  DBT_ITEMS_FILTER_ATTRIBUTE_CONTAINS,
} DbtItemsFilterMode;

#define DBT_ITEMS_LOADER_DEFAULT_PAGE_SIZE 200

typedef struct
{
  GPtrArray *rows;             /* DbtItemRow*, in the server's order */
  GPtrArray *attribute_names;  /* char*, every name in these items, first seen first */
} DbtItemsBatch;

void dbt_items_batch_free (DbtItemsBatch *batch);

#define DBT_TYPE_ITEMS_LOADER (dbt_items_loader_get_type ())
G_DECLARE_FINAL_TYPE (DbtItemsLoader, dbt_items_loader, DBT, ITEMS_LOADER, GObject)

/* @attribute is used by ATTRIBUTE_CONTAINS only. An empty @value means no
 * filter, whatever @mode says. */
DbtItemsLoader *dbt_items_loader_new (DbtAwsClient       *client,
                                      const char         *table_name,
                                      DbtItemsFilterMode  mode,
                                      const char         *attribute,
                                      const char         *value);

/* Items evaluated per request (Scan and Query Limit); default 200. Takes
 * effect from the next request, also during a call. */
void dbt_items_loader_set_page_size (DbtItemsLoader *self,
                                     guint           page_size);

/* The next batch: one page without a filter; with one, pages until
 * @min_items matches, the end of the table or about a second. Errors are
 * DBT_AWS_ERROR (the request failed) or G_IO_ERROR_INVALID_ARGUMENT (the
 * filter cannot be expressed: no attribute name, a number key and text
 * that is not a number...). */
void           dbt_items_loader_next_async  (DbtItemsLoader      *self,
                                             guint                min_items,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
DbtItemsBatch *dbt_items_loader_next_finish (DbtItemsLoader      *self,
                                             GAsyncResult        *result,
                                             GError             **error);

gboolean                   dbt_items_loader_is_filtered     (DbtItemsLoader *self);
gboolean                   dbt_items_loader_is_busy         (DbtItemsLoader *self);
/* TRUE once the last page has been read. */
gboolean                   dbt_items_loader_is_done         (DbtItemsLoader *self);
/* NULL until the first batch. */
const DbtTableDescription *dbt_items_loader_get_description (DbtItemsLoader *self);
/* Items the server evaluated (ScannedCount), and those that matched. */
guint64                    dbt_items_loader_get_scanned     (DbtItemsLoader *self);
guint64                    dbt_items_loader_get_matched     (DbtItemsLoader *self);
/* Requests sent so far. */
guint                      dbt_items_loader_get_requests    (DbtItemsLoader *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtItemsBatch, dbt_items_batch_free)

G_END_DECLS
