/* dbt-dynamodb.c — typed DynamoDB calls over the JSON 1.0 protocol. */
#include "dbt-dynamodb.h"

#include <string.h>
#include "dbt-service-private.h"

#define TARGET_PREFIX "DynamoDB_20120810."

static JsonNode *
dynamodb_call (DbtAwsClient *client,
               const char   *op,
               const char   *table_name,
               JsonBuilder  *builder,
               GCancellable *cancellable,
               GError      **error)
{
  g_autofree char *subject = NULL;

  if (table_name != NULL)
    subject = g_strdup_printf ("table “%s”", table_name);
  return dbt_service_call_json (client, DBT_SERVICE_DYNAMODB, TARGET_PREFIX, op, subject,
                                builder, cancellable, error);
}

/* A DbtItem member of a response; *@item is NULL when absent. */
static gboolean
read_item_member (JsonObject *object,
                  const char *member,
                  const char *op,
                  DbtItem   **item,
                  GError    **error)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  g_autoptr(GError) local_error = NULL;

  *item = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  *item = dbt_item_from_json (node, &local_error);
  if (*item == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                         "%s: unreadable %s in the response: %s",
                         op, member, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
add_item_member (JsonBuilder   *builder,
                 const char    *member,
                 const DbtItem *item)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_value (builder, dbt_item_to_json (item));
}

static void
add_expression_members (JsonBuilder       *builder,
                        const char *const *names,
                        DbtItem           *values)
{
  dbt_json_builder_add_pairs (builder, "ExpressionAttributeNames", names);
  if (values != NULL && dbt_item_get_size (values) > 0)
    add_item_member (builder, "ExpressionAttributeValues", values);
}

static gboolean
check_table_and_key (const char *table_name,
                     DbtItem    *key,
                     const char *what,
                     GError    **error)
{
  if (!dbt_require_string (table_name, "The table name", error))
    return FALSE;
  if (key == NULL || dbt_item_get_size (key) == 0)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "Table “%s”: the %s is empty", table_name, what);
      return FALSE;
    }
  return dbt_item_validate (key, error);
}

static const char *
return_values_to_string (DbtReturnValues return_values)
{
  switch (return_values)
    {
    case DBT_RETURN_VALUES_ALL_OLD:
      return "ALL_OLD";
    case DBT_RETURN_VALUES_UPDATED_OLD:
      return "UPDATED_OLD";
    case DBT_RETURN_VALUES_ALL_NEW:
      return "ALL_NEW";
    case DBT_RETURN_VALUES_UPDATED_NEW:
      return "UPDATED_NEW";
    case DBT_RETURN_VALUES_NONE:
    default:
      return NULL;
    }
}

/* The item as it is now, for a write whose condition failed. */
static DbtItem *
fetch_current_item (DbtAwsClient *client,
                    const char   *table_name,
                    DbtItem      *item_or_key,
                    gboolean      is_full_item,
                    GCancellable *cancellable)
{
  g_autoptr(DbtItem) key = NULL;
  g_autoptr(DbtItem) current = NULL;

  if (is_full_item)
    {
      g_autoptr(DbtTableDescription) description =
        dbt_dynamodb_describe_table (client, table_name, cancellable, NULL);

      if (description == NULL)
        return NULL;
      key = dbt_table_description_extract_key (description, item_or_key, NULL);
      if (key == NULL)
        return NULL;
    }
  else
    {
      key = dbt_item_ref (item_or_key);
    }

  if (!dbt_dynamodb_get_item (client, table_name, key, TRUE, &current, cancellable, NULL))
    return NULL;
  return g_steal_pointer (&current);
}

/* PutItem, UpdateItem and DeleteItem differ only in their members. */
static gboolean
write_item (DbtAwsClient          *client,
            const char            *op,
            const char            *table_name,
            const char            *item_member,
            DbtItem               *item_or_key,
            const char            *update_expression,
            const DbtWriteOptions *options,
            DbtItem              **attributes,
            DbtItem              **current_item,
            GCancellable          *cancellable,
            GError               **error)
{
  static const DbtWriteOptions no_options = { 0 };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *return_values;
  gboolean is_full_item = g_str_equal (item_member, "Item");

  if (attributes != NULL)
    *attributes = NULL;
  if (current_item != NULL)
    *current_item = NULL;
  if (options == NULL)
    options = &no_options;

  if (!check_table_and_key (table_name, item_or_key, is_full_item ? "item" : "key", error))
    return FALSE;
  if (!dbt_require_pairs (options->expression_attribute_names, "ExpressionAttributeNames", error))
    return FALSE;
  if (options->expression_attribute_values != NULL
      && !dbt_item_validate (options->expression_attribute_values, error))
    return FALSE;

  json_builder_begin_object (builder);
  dbt_json_builder_add_string (builder, "TableName", table_name);
  add_item_member (builder, item_member, item_or_key);
  dbt_json_builder_add_string (builder, "UpdateExpression", update_expression);
  dbt_json_builder_add_string (builder, "ConditionExpression", options->condition_expression);
  add_expression_members (builder, options->expression_attribute_names,
                          options->expression_attribute_values);
  return_values = return_values_to_string (options->return_values);
  dbt_json_builder_add_string (builder, "ReturnValues", return_values);
  if (options->return_current_on_condition_failure)
    dbt_json_builder_add_string (builder, "ReturnValuesOnConditionCheckFailure", "ALL_OLD");
  json_builder_end_object (builder);

  response = dynamodb_call (client, op, table_name, builder, cancellable, &local_error);
  if (response == NULL)
    {
      if (current_item != NULL
          && options->return_current_on_condition_failure
          && g_error_matches (local_error, DBT_AWS_ERROR, DBT_AWS_ERROR_CONDITION_FAILED))
        *current_item = fetch_current_item (client, table_name, item_or_key,
                                            is_full_item, cancellable);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (attributes != NULL && return_values != NULL)
    return read_item_member (json_node_get_object (response), "Attributes", op,
                             attributes, error);
  return TRUE;
}

gboolean
dbt_dynamodb_put_item (DbtAwsClient          *client,
                       const char            *table_name,
                       DbtItem               *item,
                       const DbtWriteOptions *options,
                       DbtItem              **attributes,
                       DbtItem              **current_item,
                       GCancellable          *cancellable,
                       GError               **error)
{
  g_return_val_if_fail (client != NULL, FALSE);

  return write_item (client, "PutItem", table_name, "Item", item, NULL, options,
                     attributes, current_item, cancellable, error);
}

gboolean
dbt_dynamodb_update_item (DbtAwsClient          *client,
                          const char            *table_name,
                          DbtItem               *key,
                          const char            *update_expression,
                          const DbtWriteOptions *options,
                          DbtItem              **attributes,
                          DbtItem              **current_item,
                          GCancellable          *cancellable,
                          GError               **error)
{
  g_return_val_if_fail (client != NULL, FALSE);

  if (!dbt_require_string (update_expression, "The update expression", error))
    return FALSE;
  return write_item (client, "UpdateItem", table_name, "Key", key, update_expression,
                     options, attributes, current_item, cancellable, error);
}

gboolean
dbt_dynamodb_delete_item (DbtAwsClient          *client,
                          const char            *table_name,
                          DbtItem               *key,
                          const DbtWriteOptions *options,
                          DbtItem              **attributes,
                          DbtItem              **current_item,
                          GCancellable          *cancellable,
                          GError               **error)
{
  g_return_val_if_fail (client != NULL, FALSE);

  return write_item (client, "DeleteItem", table_name, "Key", key, NULL, options,
                     attributes, current_item, cancellable, error);
}

gboolean
dbt_dynamodb_get_item (DbtAwsClient *client,
                       const char   *table_name,
                       DbtItem      *key,
                       gboolean      consistent_read,
                       DbtItem     **item,
                       GCancellable *cancellable,
                       GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) response = NULL;

  g_return_val_if_fail (client != NULL, FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  *item = NULL;
  if (!check_table_and_key (table_name, key, "key", error))
    return FALSE;

  json_builder_begin_object (builder);
  dbt_json_builder_add_string (builder, "TableName", table_name);
  add_item_member (builder, "Key", key);
  if (consistent_read)
    {
      dbt_json_builder_add_bool (builder, "ConsistentRead", TRUE);
    }
  json_builder_end_object (builder);

  response = dynamodb_call (client, "GetItem", table_name, builder, cancellable, error);
  if (response == NULL)
    return FALSE;
  return read_item_member (json_node_get_object (response), "Item", "GetItem", item, error);
}

/* Query and Scan */

void
dbt_item_page_free (DbtItemPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_clear_pointer (&page->last_evaluated_key, dbt_item_unref);
  g_free (page);
}

static DbtItemPage *
read_page (DbtAwsClient         *client,
           const char           *op,
           const char           *table_name,
           const DbtReadOptions *options,
           GCancellable         *cancellable,
           GError              **error)
{
  static const DbtReadOptions no_options = { 0 };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(DbtItemPage) page = NULL;
  gboolean is_query = g_str_equal (op, "Query");
  JsonObject *object;
  JsonArray *items;

  if (options == NULL)
    options = &no_options;
  if (!dbt_require_string (table_name, "The table name", error))
    return NULL;
  if (is_query && !dbt_require_string (options->key_condition_expression,
                                       "The key condition expression of a Query", error))
    return NULL;
  if (!dbt_require_pairs (options->expression_attribute_names, "ExpressionAttributeNames", error))
    return NULL;

  json_builder_begin_object (builder);
  dbt_json_builder_add_string (builder, "TableName", table_name);
  dbt_json_builder_add_string (builder, "IndexName", options->index_name);
  if (is_query)
    dbt_json_builder_add_string (builder, "KeyConditionExpression", options->key_condition_expression);
  dbt_json_builder_add_string (builder, "FilterExpression", options->filter_expression);
  dbt_json_builder_add_string (builder, "ProjectionExpression", options->projection_expression);
  add_expression_members (builder, options->expression_attribute_names,
                          options->expression_attribute_values);
  if (options->exclusive_start_key != NULL)
    add_item_member (builder, "ExclusiveStartKey", options->exclusive_start_key);
  if (options->limit > 0)
    {
      dbt_json_builder_add_int (builder, "Limit", options->limit);
    }
  if (options->consistent_read)
    {
      dbt_json_builder_add_bool (builder, "ConsistentRead", TRUE);
    }
  if (is_query && options->descending)
    {
      dbt_json_builder_add_bool (builder, "ScanIndexForward", FALSE);
    }
  json_builder_end_object (builder);

  response = dynamodb_call (client, op, table_name, builder, cancellable, error);
  if (response == NULL)
    return NULL;
  object = json_node_get_object (response);

  page = g_new0 (DbtItemPage, 1);
  page->items = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_item_unref);
  items = dbt_json_get_array (object, "Items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      g_autoptr(GError) local_error = NULL;
      DbtItem *item = dbt_item_from_json (json_array_get_element (items, i), &local_error);

      if (item == NULL)
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                             "%s on table “%s”: unreadable item %u: %s",
                             op, table_name, i, local_error->message);
          return NULL;
        }
      g_ptr_array_add (page->items, item);
    }
  page->count = (guint) dbt_json_get_int (object, "Count", page->items->len);
  page->scanned_count = (guint) dbt_json_get_int (object, "ScannedCount", page->count);
  if (!read_item_member (object, "LastEvaluatedKey", op, &page->last_evaluated_key, error))
    return NULL;
  /* An empty LastEvaluatedKey would loop forever; treat it as the end. */
  if (page->last_evaluated_key != NULL && dbt_item_get_size (page->last_evaluated_key) == 0)
    g_clear_pointer (&page->last_evaluated_key, dbt_item_unref);

  return g_steal_pointer (&page);
}

DbtItemPage *
dbt_dynamodb_query (DbtAwsClient         *client,
                    const char           *table_name,
                    const DbtReadOptions *options,
                    GCancellable         *cancellable,
                    GError              **error)
{
  g_return_val_if_fail (client != NULL, NULL);

  return read_page (client, "Query", table_name, options, cancellable, error);
}

DbtItemPage *
dbt_dynamodb_scan (DbtAwsClient         *client,
                   const char           *table_name,
                   const DbtReadOptions *options,
                   GCancellable         *cancellable,
                   GError              **error)
{
  g_return_val_if_fail (client != NULL, NULL);

  return read_page (client, "Scan", table_name, options, cancellable, error);
}

static gboolean
read_pages (DbtAwsClient         *client,
            const char           *op,
            const char           *table_name,
            const DbtReadOptions *options,
            DbtItemPageFunc       func,
            gpointer              user_data,
            GCancellable         *cancellable,
            GError              **error)
{
  DbtReadOptions page_options = { 0 };
  g_autoptr(DbtItem) start_key = NULL;

  g_return_val_if_fail (client != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (options != NULL)
    page_options = *options;
  if (page_options.exclusive_start_key != NULL)
    start_key = dbt_item_ref (page_options.exclusive_start_key);

  for (;;)
    {
      g_autoptr(DbtItemPage) page = NULL;

      page_options.exclusive_start_key = start_key;
      page = read_page (client, op, table_name, &page_options, cancellable, error);
      if (page == NULL)
        return FALSE;
      if (!func (page, user_data) || page->last_evaluated_key == NULL)
        return TRUE;
      g_clear_pointer (&start_key, dbt_item_unref);
      start_key = dbt_item_ref (page->last_evaluated_key);
    }
}

gboolean
dbt_dynamodb_query_pages (DbtAwsClient         *client,
                          const char           *table_name,
                          const DbtReadOptions *options,
                          DbtItemPageFunc       func,
                          gpointer              user_data,
                          GCancellable         *cancellable,
                          GError              **error)
{
  return read_pages (client, "Query", table_name, options, func, user_data, cancellable, error);
}

gboolean
dbt_dynamodb_scan_pages (DbtAwsClient         *client,
                         const char           *table_name,
                         const DbtReadOptions *options,
                         DbtItemPageFunc       func,
                         gpointer              user_data,
                         GCancellable         *cancellable,
                         GError              **error)
{
  return read_pages (client, "Scan", table_name, options, func, user_data, cancellable, error);
}

/* Tables */

void
dbt_table_description_free (DbtTableDescription *description)
{
  if (description == NULL)
    return;
  g_free (description->table_name);
  g_free (description->table_arn);
  g_free (description->table_status);
  g_free (description->hash_key_name);
  g_free (description->range_key_name);
  g_free (description->stream_view_type);
  g_free (description->latest_stream_arn);
  g_free (description->billing_mode);
  g_free (description);
}

static DbtValueType
attribute_type (JsonObject *table,
                const char *attribute_name)
{
  JsonArray *definitions = dbt_json_get_array (table, "AttributeDefinitions");
  DbtValueType type = DBT_VALUE_S;

  for (guint i = 0; definitions != NULL && i < json_array_get_length (definitions); i++)
    {
      JsonObject *definition = json_array_get_object_element (definitions, i);

      if (g_strcmp0 (dbt_json_get_string (definition, "AttributeName"), attribute_name) == 0
          && dbt_json_get_string (definition, "AttributeType") != NULL)
        {
          dbt_value_type_from_string (dbt_json_get_string (definition, "AttributeType"), &type);
          break;
        }
    }
  return type;
}

static DbtTableDescription *
read_table_description (JsonObject *table,
                        const char *op,
                        GError    **error)
{
  g_autoptr(DbtTableDescription) description = g_new0 (DbtTableDescription, 1);
  JsonArray *key_schema = dbt_json_get_array (table, "KeySchema");
  JsonObject *stream = dbt_json_get_object (table, "StreamSpecification");
  JsonObject *billing = dbt_json_get_object (table, "BillingModeSummary");

  if (dbt_json_get_string (table, "TableName") == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                         "%s: the response has no table description", op);
      return NULL;
    }

  description->table_name = g_strdup (dbt_json_get_string (table, "TableName"));
  description->table_arn = g_strdup (dbt_json_get_string (table, "TableArn"));
  description->table_status = g_strdup (dbt_json_get_string (table, "TableStatus"));
  for (guint i = 0; key_schema != NULL && i < json_array_get_length (key_schema); i++)
    {
      JsonObject *element = json_array_get_object_element (key_schema, i);
      const char *name = dbt_json_get_string (element, "AttributeName");
      const char *key_type = dbt_json_get_string (element, "KeyType");

      if (name == NULL || key_type == NULL)
        continue;
      if (g_str_equal (key_type, "HASH"))
        {
          g_free (description->hash_key_name);
          description->hash_key_name = g_strdup (name);
          description->hash_key_type = attribute_type (table, name);
        }
      else if (g_str_equal (key_type, "RANGE"))
        {
          g_free (description->range_key_name);
          description->range_key_name = g_strdup (name);
          description->range_key_type = attribute_type (table, name);
        }
    }
  if (description->hash_key_name == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                         "%s: table “%s” has no hash key in its key schema",
                         op, description->table_name);
      return NULL;
    }

  description->stream_enabled = dbt_json_get_bool (stream, "StreamEnabled", FALSE);
  if (description->stream_enabled)
    description->stream_view_type = g_strdup (dbt_json_get_string (stream, "StreamViewType"));
  description->latest_stream_arn = g_strdup (dbt_json_get_string (table, "LatestStreamArn"));
  description->item_count = dbt_json_get_int (table, "ItemCount", 0);
  description->size_bytes = dbt_json_get_int (table, "TableSizeBytes", 0);
  description->billing_mode = g_strdup (dbt_json_get_string (billing, "BillingMode"));

  return g_steal_pointer (&description);
}

DbtTableDescription *
dbt_dynamodb_describe_table (DbtAwsClient *client,
                             const char   *table_name,
                             GCancellable *cancellable,
                             GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) response = NULL;

  g_return_val_if_fail (client != NULL, NULL);

  if (!dbt_require_string (table_name, "The table name", error))
    return NULL;

  json_builder_begin_object (builder);
  dbt_json_builder_add_string (builder, "TableName", table_name);
  json_builder_end_object (builder);

  response = dynamodb_call (client, "DescribeTable", table_name, builder, cancellable, error);
  if (response == NULL)
    return NULL;
  return read_table_description (dbt_json_get_object (json_node_get_object (response), "Table"),
                                 "DescribeTable", error);
}

static gboolean
copy_key_attribute (DbtItem       *key,
                    const DbtItem *item,
                    const char    *name,
                    GError       **error)
{
  DbtValue *value = dbt_item_get (item, name);

  if (value == NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "The item has no key attribute “%s”", name);
      return FALSE;
    }
  dbt_item_set (key, name, value);
  return TRUE;
}

DbtItem *
dbt_table_description_extract_key (const DbtTableDescription *description,
                                   const DbtItem             *item,
                                   GError                   **error)
{
  g_autoptr(DbtItem) key = dbt_item_new ();

  g_return_val_if_fail (description != NULL, NULL);
  g_return_val_if_fail (item != NULL, NULL);

  if (!copy_key_attribute (key, item, description->hash_key_name, error))
    return NULL;
  if (description->range_key_name != NULL
      && !copy_key_attribute (key, item, description->range_key_name, error))
    return NULL;
  return g_steal_pointer (&key);
}

static void
add_key_definition (JsonBuilder *key_schema,
                    JsonBuilder *definitions,
                    const char  *name,
                    DbtValueType type,
                    const char  *key_type)
{
  json_builder_begin_object (key_schema);
  dbt_json_builder_add_string (key_schema, "AttributeName", name);
  dbt_json_builder_add_string (key_schema, "KeyType", key_type);
  json_builder_end_object (key_schema);

  json_builder_begin_object (definitions);
  dbt_json_builder_add_string (definitions, "AttributeName", name);
  dbt_json_builder_add_string (definitions, "AttributeType", dbt_value_type_to_string (type));
  json_builder_end_object (definitions);
}

static gboolean
check_key_type (const char  *name,
                DbtValueType type,
                GError     **error)
{
  if (type == DBT_VALUE_S || type == DBT_VALUE_N || type == DBT_VALUE_B)
    return TRUE;
  dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                     "Key attribute “%s” must be of type S, N or B, not %s",
                     name, dbt_value_type_to_string (type));
  return FALSE;
}

DbtTableDescription *
dbt_dynamodb_create_table (DbtAwsClient       *client,
                           const DbtTableSpec *spec,
                           GCancellable       *cancellable,
                           GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonBuilder) key_schema = json_builder_new ();
  g_autoptr(JsonBuilder) definitions = json_builder_new ();
  g_autoptr(JsonNode) response = NULL;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (!dbt_require_string (spec->table_name, "The table name", error)
      || !dbt_require_string (spec->hash_key_name, "The hash key name", error)
      || !check_key_type (spec->hash_key_name, spec->hash_key_type, error)
      || (spec->range_key_name != NULL
          && !check_key_type (spec->range_key_name, spec->range_key_type, error)))
    return NULL;

  json_builder_begin_array (key_schema);
  json_builder_begin_array (definitions);
  add_key_definition (key_schema, definitions, spec->hash_key_name, spec->hash_key_type, "HASH");
  if (spec->range_key_name != NULL)
    add_key_definition (key_schema, definitions, spec->range_key_name, spec->range_key_type, "RANGE");
  json_builder_end_array (key_schema);
  json_builder_end_array (definitions);

  json_builder_begin_object (builder);
  dbt_json_builder_add_string (builder, "TableName", spec->table_name);
  json_builder_set_member_name (builder, "KeySchema");
  json_builder_add_value (builder, json_builder_get_root (key_schema));
  json_builder_set_member_name (builder, "AttributeDefinitions");
  json_builder_add_value (builder, json_builder_get_root (definitions));
  dbt_json_builder_add_string (builder, "BillingMode", "PAY_PER_REQUEST");
  if (spec->stream_view_type != NULL)
    {
      json_builder_set_member_name (builder, "StreamSpecification");
      json_builder_begin_object (builder);
      dbt_json_builder_add_bool (builder, "StreamEnabled", TRUE);
      dbt_json_builder_add_string (builder, "StreamViewType", spec->stream_view_type);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  response = dynamodb_call (client, "CreateTable", spec->table_name, builder, cancellable, error);
  if (response == NULL)
    return NULL;
  return read_table_description (dbt_json_get_object (json_node_get_object (response),
                                                      "TableDescription"),
                                 "CreateTable", error);
}

gboolean
dbt_dynamodb_delete_table (DbtAwsClient *client,
                           const char   *table_name,
                           GCancellable *cancellable,
                           GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) response = NULL;

  g_return_val_if_fail (client != NULL, FALSE);

  if (!dbt_require_string (table_name, "The table name", error))
    return FALSE;

  json_builder_begin_object (builder);
  dbt_json_builder_add_string (builder, "TableName", table_name);
  json_builder_end_object (builder);

  response = dynamodb_call (client, "DeleteTable", table_name, builder, cancellable, error);
  return response != NULL;
}

DbtTableDescription *
dbt_dynamodb_wait_for_table (DbtAwsClient *client,
                             const char   *table_name,
                             guint         interval_ms,
                             guint         timeout_ms,
                             GCancellable *cancellable,
                             GError      **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  g_return_val_if_fail (client != NULL, NULL);

  for (;;)
    {
      g_autoptr(DbtTableDescription) description =
        dbt_dynamodb_describe_table (client, table_name, cancellable, error);

      if (description == NULL)
        return NULL;
      if (g_strcmp0 (description->table_status, "ACTIVE") == 0)
        return g_steal_pointer (&description);
      if (g_get_monotonic_time () >= deadline)
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_TIMEOUT, NULL, 0, NULL,
                             "Table “%s” is still %s after %u ms",
                             table_name, description->table_status, timeout_ms);
          return NULL;
        }
      if (!dbt_sleep_cancellable (interval_ms, cancellable, error))
        return NULL;
    }
}

char **
dbt_dynamodb_list_tables (DbtAwsClient *client,
                          const char   *exclusive_start_table_name,
                          guint         limit,
                          char        **last_evaluated,
                          GCancellable *cancellable,
                          GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) response = NULL;
  JsonObject *object;

  g_return_val_if_fail (client != NULL, NULL);

  if (last_evaluated != NULL)
    *last_evaluated = NULL;

  json_builder_begin_object (builder);
  dbt_json_builder_add_string (builder, "ExclusiveStartTableName", exclusive_start_table_name);
  if (limit > 0)
    {
      dbt_json_builder_add_int (builder, "Limit", limit);
    }
  json_builder_end_object (builder);

  response = dynamodb_call (client, "ListTables", NULL, builder, cancellable, error);
  if (response == NULL)
    return NULL;
  object = json_node_get_object (response);
  if (last_evaluated != NULL)
    *last_evaluated = g_strdup (dbt_json_get_string (object, "LastEvaluatedTableName"));
  return dbt_json_get_strv (object, "TableNames");
}

char **
dbt_dynamodb_list_all_tables (DbtAwsClient *client,
                              GCancellable *cancellable,
                              GError      **error)
{
  g_autoptr(GStrvBuilder) all = g_strv_builder_new ();
  g_autofree char *start = NULL;

  do
    {
      g_autofree char *next = NULL;
      g_auto(GStrv) names = dbt_dynamodb_list_tables (client, start, 0, &next,
                                                      cancellable, error);

      if (names == NULL)
        return NULL;
      g_strv_builder_addv (all, (const char **) names);
      g_free (start);
      start = g_steal_pointer (&next);
    }
  while (start != NULL);

  return g_strv_builder_end (all);
}
