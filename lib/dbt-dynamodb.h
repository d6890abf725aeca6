/* dbt-dynamodb.h — typed DynamoDB calls: items, queries, tables.
 *
 * Items, keys and expression values are DbtItem (lib/dbt-value.h), so
 * numbers stay exact decimal strings and sets stay sets. Every call is
 * synchronous (run it in a thread from the UI) and reports DBT_AWS_ERROR
 * errors:
 *
 *   DBT_AWS_ERROR_INVALID_INPUT     refused before sending: empty table name,
 *                                   no key, an item dbt_item_validate() rejects
 *   DBT_AWS_ERROR_NOT_FOUND         the table does not exist (the message names it)
 *   DBT_AWS_ERROR_CONDITION_FAILED  a condition expression was false
 *
 * Expression attribute names are NULL-terminated "#placeholder", "name"
 * pairs; expression attribute values are a DbtItem of ":placeholder" → value.
 */
#pragma once

#include <gio/gio.h>
#include "dbt-aws-client.h"
#include "dbt-value.h"

G_BEGIN_DECLS

/* ReturnValues of PutItem, UpdateItem and DeleteItem. */
typedef enum
{
  DBT_RETURN_VALUES_NONE,
  DBT_RETURN_VALUES_ALL_OLD,
  DBT_RETURN_VALUES_UPDATED_OLD,   /* UpdateItem only */
  DBT_RETURN_VALUES_ALL_NEW,       /* UpdateItem only */
  DBT_RETURN_VALUES_UPDATED_NEW,   /* UpdateItem only */
} DbtReturnValues;

/* Options of the three writes. A zeroed struct (or NULL) is an
 * unconditional write that returns nothing. */
typedef struct
{
  const char        *condition_expression;        /* NULL: unconditional */
  const char *const *expression_attribute_names;  /* "#n", "name", ..., NULL */
  DbtItem           *expression_attribute_values; /* ":v" → value, or NULL */
  DbtReturnValues    return_values;
  /* On DBT_AWS_ERROR_CONDITION_FAILED, give the item as it is now through
   * the call's @current_item (ReturnValuesOnConditionCheckFailure=ALL_OLD).
   * When the transport does not hand back the failure's body, the item is
   * read again with a strongly consistent GetItem right after the failure,
   * so it may be newer than the version that failed the check. NULL when
   * the item does not exist. */
  gboolean           return_current_on_condition_failure;
} DbtWriteOptions;

/* PutItem. @attributes (optional) receives the ReturnValues item (NULL when
 * none); @current_item (optional) is described in DbtWriteOptions. */
gboolean dbt_dynamodb_put_item    (DbtAwsClient          *client,
                                   const char            *table_name,
                                   DbtItem               *item,
                                   const DbtWriteOptions *options,
                                   DbtItem              **attributes,
                                   DbtItem              **current_item,
                                   GCancellable          *cancellable,
                                   GError               **error);

/* UpdateItem with an update expression ("SET #n = :v REMOVE x"). */
gboolean dbt_dynamodb_update_item (DbtAwsClient          *client,
                                   const char            *table_name,
                                   DbtItem               *key,
                                   const char            *update_expression,
                                   const DbtWriteOptions *options,
                                   DbtItem              **attributes,
                                   DbtItem              **current_item,
                                   GCancellable          *cancellable,
                                   GError               **error);

gboolean dbt_dynamodb_delete_item (DbtAwsClient          *client,
                                   const char            *table_name,
                                   DbtItem               *key,
                                   const DbtWriteOptions *options,
                                   DbtItem              **attributes,
                                   DbtItem              **current_item,
                                   GCancellable          *cancellable,
                                   GError               **error);

/* GetItem. TRUE with *@item = NULL when there is no such item. */
gboolean dbt_dynamodb_get_item    (DbtAwsClient *client,
                                   const char   *table_name,
                                   DbtItem      *key,
                                   gboolean      consistent_read,
                                   DbtItem     **item,
                                   GCancellable *cancellable,
                                   GError      **error);

/* Query and Scan: one page per call. Pass the previous page's
 * last_evaluated_key as exclusive_start_key to get the next one. */
typedef struct
{
  const char        *index_name;                  /* NULL: the table */
  const char        *key_condition_expression;    /* Query: required; Scan: ignored */
  const char        *filter_expression;           /* NULL: none */
  const char        *projection_expression;       /* NULL: all attributes */
  const char *const *expression_attribute_names;  /* "#n", "name", ..., NULL */
  DbtItem           *expression_attribute_values; /* ":v" → value, or NULL */
  DbtItem           *exclusive_start_key;         /* NULL: from the start */
  guint              limit;                       /* items evaluated per page; 0: server's 1 MB page */
  gboolean           consistent_read;
  gboolean           descending;                  /* Query: ScanIndexForward=false */
} DbtReadOptions;

typedef struct
{
  GPtrArray *items;              /* DbtItem*, in the server's order */
  DbtItem   *last_evaluated_key; /* NULL on the last page */
  guint      count;              /* items returned (after the filter) */
  guint      scanned_count;      /* items evaluated (before the filter) */
} DbtItemPage;

DbtItemPage *dbt_dynamodb_query (DbtAwsClient         *client,
                                 const char           *table_name,
                                 const DbtReadOptions *options,
                                 GCancellable         *cancellable,
                                 GError              **error);

DbtItemPage *dbt_dynamodb_scan  (DbtAwsClient         *client,
                                 const char           *table_name,
                                 const DbtReadOptions *options, /* NULL: everything */
                                 GCancellable         *cancellable,
                                 GError              **error);

void         dbt_item_page_free (DbtItemPage *page);

/* Called with each page in turn (the page stays the caller's). Return TRUE
 * to fetch the next page, FALSE to stop. */
typedef gboolean (*DbtItemPageFunc) (const DbtItemPage *page,
                                     gpointer           user_data);

/* Query or Scan page after page, starting from options->exclusive_start_key,
 * until the last page or until @func returns FALSE. FALSE only on error
 * (the pages seen so far were delivered). */
gboolean dbt_dynamodb_query_pages (DbtAwsClient         *client,
                                   const char           *table_name,
                                   const DbtReadOptions *options,
                                   DbtItemPageFunc       func,
                                   gpointer              user_data,
                                   GCancellable         *cancellable,
                                   GError              **error);
gboolean dbt_dynamodb_scan_pages  (DbtAwsClient         *client,
                                   const char           *table_name,
                                   const DbtReadOptions *options,
                                   DbtItemPageFunc       func,
                                   gpointer              user_data,
                                   GCancellable         *cancellable,
                                   GError              **error);

/* Tables */
typedef struct
{
  char        *table_name;
  char        *table_arn;
  char        *table_status;       /* "CREATING", "ACTIVE", "DELETING", "UPDATING"... */
  char        *hash_key_name;
  DbtValueType hash_key_type;      /* S, N or B */
  char        *range_key_name;     /* NULL when the key is the hash key alone */
  DbtValueType range_key_type;
  gboolean     stream_enabled;
  char        *stream_view_type;   /* "NEW_AND_OLD_IMAGES"..., NULL without stream */
  char        *latest_stream_arn;  /* NULL when the table never had a stream */
  gint64       item_count;         /* approximate (updated every ~6 hours on AWS) */
  gint64       size_bytes;
  char        *billing_mode;       /* "PAY_PER_REQUEST", "PROVISIONED"; NULL when not reported */
} DbtTableDescription;

DbtTableDescription *dbt_dynamodb_describe_table (DbtAwsClient *client,
                                                  const char   *table_name,
                                                  GCancellable *cancellable,
                                                  GError      **error);
void dbt_table_description_free (DbtTableDescription *description);

/* The key attributes of @item under @description's key schema, or NULL
 * with DBT_AWS_ERROR_INVALID_INPUT naming the missing key attribute. */
DbtItem *dbt_table_description_extract_key (const DbtTableDescription *description,
                                            const DbtItem             *item,
                                            GError                   **error);

typedef struct
{
  const char  *table_name;
  const char  *hash_key_name;
  DbtValueType hash_key_type;     /* S, N or B */
  const char  *range_key_name;    /* NULL: hash key only */
  DbtValueType range_key_type;
  const char  *stream_view_type;  /* NULL: no stream; else "NEW_AND_OLD_IMAGES", "NEW_IMAGE"... */
} DbtTableSpec;

/* CreateTable, on-demand billing. Returns the description as the server
 * gave it (status usually "CREATING"; see dbt_dynamodb_wait_for_table). */
DbtTableDescription *dbt_dynamodb_create_table (DbtAwsClient       *client,
                                                const DbtTableSpec *spec,
                                                GCancellable       *cancellable,
                                                GError            **error);

gboolean dbt_dynamodb_delete_table (DbtAwsClient *client,
                                    const char   *table_name,
                                    GCancellable *cancellable,
                                    GError      **error);

/* Polls DescribeTable every @interval_ms until the table is ACTIVE;
 * DBT_AWS_ERROR_TIMEOUT after @timeout_ms. */
DbtTableDescription *dbt_dynamodb_wait_for_table (DbtAwsClient *client,
                                                  const char   *table_name,
                                                  guint         interval_ms,
                                                  guint         timeout_ms,
                                                  GCancellable *cancellable,
                                                  GError      **error);

/* ListTables, one page: up to @limit names (0: the server's 100) after
 * @exclusive_start_table_name (NULL: from the first). *@last_evaluated
 * (optional) receives the name to continue from, NULL on the last page. */
char **dbt_dynamodb_list_tables (DbtAwsClient *client,
                                 const char   *exclusive_start_table_name,
                                 guint         limit,
                                 char        **last_evaluated,
                                 GCancellable *cancellable,
                                 GError      **error);

/* Every table name, following the pages. */
char **dbt_dynamodb_list_all_tables (DbtAwsClient *client,
                                     GCancellable *cancellable,
                                     GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtItemPage, dbt_item_page_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtTableDescription, dbt_table_description_free)

G_END_DECLS
