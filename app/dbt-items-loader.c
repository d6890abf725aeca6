/* dbt-items-loader.c — a table's items page by page, with a filter. */
#include "dbt-config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dbt-item-row.h"
#include "dbt-items-loader.h"

/* With a filter, a batch returns after this long even with few matches, so
 * that the count of scanned items moves on a large table. */
#define BATCH_TIME_BUDGET_USEC (G_USEC_PER_SEC)

struct _DbtItemsLoader
{
  GObject              parent_instance;

  DbtAwsClient        *client;
  char                *table_name;
  DbtItemsFilterMode   mode;
  char                *attribute;
  char                *value;
  guint                page_size;           /* atomic */

  /* Written by the worker during a call, read on the main thread between
   * calls (the GTask's completion orders the two). */
  DbtTableDescription *description;
  DbtItem             *expression_values;   /* ":v" (and ":n") → value */
  DbtItem             *get_key;             /* KEY_EQUALS by GetItem */
  char               **expression_names;    /* "#k", name, NULL */
  const char          *key_condition;
  const char          *filter_expression;
  DbtItem             *last_evaluated_key;
  gboolean             done;
  guint64              scanned;
  guint64              matched;
  guint                requests;

  int                  busy;                /* atomic */
};

G_DEFINE_FINAL_TYPE (DbtItemsLoader, dbt_items_loader, G_TYPE_OBJECT)

void
dbt_items_batch_free (DbtItemsBatch *batch)
{
  if (batch == NULL)
    return;
  g_clear_pointer (&batch->rows, g_ptr_array_unref);
  g_clear_pointer (&batch->attribute_names, g_ptr_array_unref);
  g_free (batch);
}

static void
dbt_items_loader_finalize (GObject *object)
{
  DbtItemsLoader *self = DBT_ITEMS_LOADER (object);

  g_clear_pointer (&self->client, dbt_aws_client_unref);
  g_free (self->table_name);
  g_free (self->attribute);
  g_free (self->value);
  g_clear_pointer (&self->description, dbt_table_description_free);
  g_clear_pointer (&self->expression_values, dbt_item_unref);
  g_clear_pointer (&self->get_key, dbt_item_unref);
  g_strfreev (self->expression_names);
  g_clear_pointer (&self->last_evaluated_key, dbt_item_unref);

  G_OBJECT_CLASS (dbt_items_loader_parent_class)->finalize (object);
}

static void
dbt_items_loader_class_init (DbtItemsLoaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dbt_items_loader_finalize;
}

static void
dbt_items_loader_init (DbtItemsLoader *self)
{
  self->page_size = DBT_ITEMS_LOADER_DEFAULT_PAGE_SIZE;
}

DbtItemsLoader *
dbt_items_loader_new (DbtAwsClient       *client,
                      const char         *table_name,
                      DbtItemsFilterMode  mode,
                      const char         *attribute,
                      const char         *value)
{
  DbtItemsLoader *self;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (table_name != NULL, NULL);

  self = g_object_new (DBT_TYPE_ITEMS_LOADER, NULL);
  self->client = dbt_aws_client_ref (client);
  self->table_name = g_strdup (table_name);
  self->mode = value != NULL && *value != '\0' ? mode : DBT_ITEMS_FILTER_NONE;
  if (self->mode != DBT_ITEMS_FILTER_NONE)
    {
      self->value = g_strdup (value);
      self->attribute = g_strdup (attribute);
    }
  return self;
}

void
dbt_items_loader_set_page_size (DbtItemsLoader *self,
                                guint           page_size)
{
  g_return_if_fail (DBT_IS_ITEMS_LOADER (self));
  /* May change while the worker reads; it takes the value per request. */
  g_atomic_int_set (&self->page_size, MAX (page_size, 1));
}

/* The filter's text as a value of the key's type. */
static DbtValue *
key_value_from_text (const char    *key_name,
                     DbtValueType   key_type,
                     const char    *text,
                     GError       **error)
{
  switch ((int) key_type)
    {
    case DBT_VALUE_N:
      {
        g_autofree char *stripped = g_strstrip (g_strdup (text));
        DbtValue *number = dbt_value_new_number (stripped, NULL);

        if (number == NULL)
          /* Translators: the first %s is an attribute name, the second what was typed. */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The key “%s” is a number, and “%s” is not a number"), key_name, text);
        return number;
      }

    case DBT_VALUE_B:
      {
        g_autofree char *stripped = g_strstrip (g_strdup (text));
        gsize len = 0;
        g_autofree guchar *decoded = g_base64_decode (stripped, &len);
        g_autofree char *again = g_base64_encode (decoded, len);
        g_autoptr(GBytes) bytes = NULL;

        /* g_base64_decode skips what is not base64; encoding back tells. */
        if (strcmp (again, stripped) != 0)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("The key “%s” is binary: enter its value in base64"), key_name);
            return NULL;
          }
        bytes = g_bytes_new (decoded, len);
        return dbt_value_new_binary (bytes);
      }

    case DBT_VALUE_S:
    default:
      return dbt_value_new_string (text, error);
    }
}

static char **
names_new (const char *placeholder,
           const char *name)
{
  char **names = g_new0 (char *, 3);

  names[0] = g_strdup (placeholder);
  names[1] = g_strdup (name);
  return names;
}

/* Turns the filter into the request, now that the key schema is known. */
static gboolean
prepare_request (DbtItemsLoader  *self,
                 GError         **error)
{
  const DbtTableDescription *description = self->description;
  g_autoptr(DbtValue) value = NULL;

  switch (self->mode)
    {
    case DBT_ITEMS_FILTER_NONE:
      return TRUE;

    case DBT_ITEMS_FILTER_KEY_EQUALS:
      value = key_value_from_text (description->hash_key_name, description->hash_key_type,
                                   self->value, error);
      if (value == NULL)
        return FALSE;
      if (description->range_key_name == NULL)
        {
          self->get_key = dbt_item_new ();
          dbt_item_set (self->get_key, description->hash_key_name, value);
        }
      else
        {
          self->expression_values = dbt_item_new ();
          dbt_item_set (self->expression_values, ":v", value);
          self->expression_names = names_new ("#k", description->hash_key_name);
          self->key_condition = "#k = :v";
        }
      return TRUE;

    case DBT_ITEMS_FILTER_KEY_BEGINS_WITH:
      if (description->hash_key_type == DBT_VALUE_N)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The key “%s” is a number: “begins with” works on text and binary keys"),
                       description->hash_key_name);
          return FALSE;
        }
      value = key_value_from_text (description->hash_key_name, description->hash_key_type,
                                   self->value, error);
      if (value == NULL)
        return FALSE;
      self->expression_values = dbt_item_new ();
      dbt_item_set (self->expression_values, ":v", value);
      self->expression_names = names_new ("#k", description->hash_key_name);
      self->filter_expression = "begins_with(#k, :v)";
      return TRUE;

    case DBT_ITEMS_FILTER_ATTRIBUTE_CONTAINS:
      {
        g_autoptr(DbtValue) number = NULL;
        g_autofree char *stripped = NULL;

        if (self->attribute == NULL || *self->attribute == '\0')
          {
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                 _("Enter the name of the attribute to search in"));
            return FALSE;
          }
        value = dbt_value_new_string (self->value, error);
        if (value == NULL)
          return FALSE;
        self->expression_values = dbt_item_new ();
        dbt_item_set (self->expression_values, ":v", value);
        self->expression_names = names_new ("#a", self->attribute);

        stripped = g_strstrip (g_strdup (self->value));
        number = dbt_value_new_number (stripped, NULL);
        if (number != NULL)
          {
            dbt_item_set (self->expression_values, ":n", number);
            self->filter_expression = "contains(#a, :v) OR contains(#a, :n)";
          }
        else
          self->filter_expression = "contains(#a, :v)";
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

static DbtItemPage *
fetch_page (DbtItemsLoader  *self,
            GCancellable    *cancellable,
            GError         **error)
{
  DbtReadOptions options = {
    .key_condition_expression = self->key_condition,
    .filter_expression = self->filter_expression,
    .expression_attribute_names = (const char *const *) self->expression_names,
    .expression_attribute_values = self->expression_values,
    .exclusive_start_key = self->last_evaluated_key,
    .limit = (guint) g_atomic_int_get (&self->page_size),
  };

  self->requests++;

  if (self->get_key != NULL)
    {
      g_autoptr(DbtItemPage) page = g_new0 (DbtItemPage, 1);
      g_autoptr(DbtItem) item = NULL;

      if (!dbt_dynamodb_get_item (self->client, self->table_name, self->get_key, FALSE,
                                  &item, cancellable, error))
        return NULL;
      page->items = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_item_unref);
      if (item != NULL)
        g_ptr_array_add (page->items, g_steal_pointer (&item));
      page->count = page->scanned_count = page->items->len;
      return g_steal_pointer (&page);
    }

  if (self->key_condition != NULL)
    return dbt_dynamodb_query (self->client, self->table_name, &options, cancellable, error);
  return dbt_dynamodb_scan (self->client, self->table_name, &options, cancellable, error);
}

static void
add_page_to_batch (DbtItemsLoader *self,
                   DbtItemPage    *page,
                   DbtItemsBatch  *batch,
                   GHashTable     *names_seen)
{
  for (guint i = 0; i < page->items->len; i++)
    {
      DbtItem *item = g_ptr_array_index (page->items, i);
      g_autofree char *key = dbt_item_row_key_for_item (self->description, item);

      /* Every item the server returns has its key; should one not, it
       * still gets an identity of its own. */
      if (key == NULL)
        key = dbt_item_serialize (item);
      g_ptr_array_add (batch->rows, dbt_item_row_new (item, key));

      for (guint j = 0; j < dbt_item_get_size (item); j++)
        {
          const char *name = dbt_item_get_name (item, j);

          if (!g_hash_table_contains (names_seen, name))
            {
              char *copy = g_strdup (name);

              g_hash_table_add (names_seen, copy);
              g_ptr_array_add (batch->attribute_names, copy);
            }
        }
    }
}

static void
next_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DbtItemsLoader *self = source_object;
  guint min_items = GPOINTER_TO_UINT (task_data);
  gint64 deadline = g_get_monotonic_time () + BATCH_TIME_BUDGET_USEC;
  g_autoptr(DbtItemsBatch) batch = g_new0 (DbtItemsBatch, 1);
  /* Names are owned by batch->attribute_names. */
  g_autoptr(GHashTable) names_seen = g_hash_table_new (g_str_hash, g_str_equal);
  GError *error = NULL;

  batch->rows = g_ptr_array_new_with_free_func (g_object_unref);
  batch->attribute_names = g_ptr_array_new_with_free_func (g_free);

  if (self->description == NULL)
    {
      self->description = dbt_dynamodb_describe_table (self->client, self->table_name,
                                                       cancellable, &error);
      if (self->description == NULL)
        goto failed;
      /* A filter that cannot be expressed fails again on the next call. */
      if (!prepare_request (self, &error))
        {
          g_clear_pointer (&self->description, dbt_table_description_free);
          goto failed;
        }
    }

  while (!self->done)
    {
      g_autoptr(DbtItemPage) page = fetch_page (self, cancellable, &error);

      if (page == NULL)
        goto failed;

      g_clear_pointer (&self->last_evaluated_key, dbt_item_unref);
      self->last_evaluated_key = g_steal_pointer (&page->last_evaluated_key);
      self->done = self->last_evaluated_key == NULL;
      self->scanned += page->scanned_count;
      self->matched += page->items->len;
      add_page_to_batch (self, page, batch, names_seen);

      /* Without a filter every page is full: one request per batch. */
      if (self->mode == DBT_ITEMS_FILTER_NONE
          || batch->rows->len >= min_items
          || g_get_monotonic_time () >= deadline)
        break;
    }

  g_atomic_int_set (&self->busy, FALSE);
  g_task_return_pointer (task, g_steal_pointer (&batch), (GDestroyNotify) dbt_items_batch_free);
  return;

failed:
  g_atomic_int_set (&self->busy, FALSE);
  g_task_return_error (task, error);
}

void
dbt_items_loader_next_async (DbtItemsLoader      *self,
                             guint                min_items,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DBT_IS_ITEMS_LOADER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dbt_items_loader_next_async);
  if (!g_atomic_int_compare_and_exchange (&self->busy, FALSE, TRUE))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "the items loader is already reading");
      return;
    }
  g_task_set_task_data (task, GUINT_TO_POINTER (MAX (min_items, 1)), NULL);
  g_task_run_in_thread (task, next_thread);
}

DbtItemsBatch *
dbt_items_loader_next_finish (DbtItemsLoader  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dbt_items_loader_next_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
dbt_items_loader_is_filtered (DbtItemsLoader *self)
{
  g_return_val_if_fail (DBT_IS_ITEMS_LOADER (self), FALSE);
  return self->mode != DBT_ITEMS_FILTER_NONE;
}

gboolean
dbt_items_loader_is_busy (DbtItemsLoader *self)
{
  g_return_val_if_fail (DBT_IS_ITEMS_LOADER (self), FALSE);
  return g_atomic_int_get (&self->busy);
}

gboolean
dbt_items_loader_is_done (DbtItemsLoader *self)
{
  g_return_val_if_fail (DBT_IS_ITEMS_LOADER (self), FALSE);
  return self->done;
}

const DbtTableDescription *
dbt_items_loader_get_description (DbtItemsLoader *self)
{
  g_return_val_if_fail (DBT_IS_ITEMS_LOADER (self), NULL);
  return self->description;
}

guint64
dbt_items_loader_get_scanned (DbtItemsLoader *self)
{
  g_return_val_if_fail (DBT_IS_ITEMS_LOADER (self), 0);
  return self->scanned;
}

guint64
dbt_items_loader_get_matched (DbtItemsLoader *self)
{
  g_return_val_if_fail (DBT_IS_ITEMS_LOADER (self), 0);
  return self->matched;
}

guint
dbt_items_loader_get_requests (DbtItemsLoader *self)
{
  g_return_val_if_fail (DBT_IS_ITEMS_LOADER (self), 0);
  return self->requests;
}
