/* dbt-processor.c — which owners a batch of stream records concerns. */
#include "dbt-processor.h"

const char *
dbt_processor_owner_of (const DbtItem *item,
                        const char    *owner_attribute)
{
  DbtValue *value;
  const char *owner;

  if (item == NULL)
    return NULL;
  value = dbt_item_get (item, owner_attribute);
  if (value == NULL || dbt_value_get_kind (value) != DBT_VALUE_S)
    return NULL;
  owner = dbt_value_get_string (value);
  return (owner != NULL && *owner != '\0') ? owner : NULL;
}

/* The ignored list without the owner attribute: an owner change must always
 * be seen, even when someone lists the owner attribute as ignored. */
static GStrv
ignored_without_owner (const DbtHandlerConfig *config)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; config->ignored_attributes[i] != NULL; i++)
    if (!g_str_equal (config->ignored_attributes[i], config->owner_attribute))
      g_strv_builder_add (builder, config->ignored_attributes[i]);
  return g_strv_builder_end (builder);
}

static void
add_notification (GPtrArray             *out,
                  guint                  index,
                  const DbtStreamRecord *record,
                  DbtNotificationRole    role,
                  const char            *owner,
                  const char            *other_owner,
                  const char            *table_name,
                  GPtrArray             *changes)
{
  g_ptr_array_add (out, dbt_notification_new (index, record, role, owner,
                                              other_owner, table_name, changes));
}

static void
process_record (const DbtHandlerConfig *config,
                const char *const      *ignored,
                guint                   index,
                const DbtStreamRecord  *record,
                GPtrArray              *out,
                DbtBatchStats          *stats)
{
  g_autofree char *table_name = dbt_handler_config_table_for_record (config, record->event_source_arn);
  g_autoptr(GPtrArray) changes = NULL;
  const char *new_owner = dbt_processor_owner_of (record->new_image, config->owner_attribute);
  const char *old_owner = dbt_processor_owner_of (record->old_image, config->owner_attribute);

  switch (record->event_name)
    {
    case DBT_EVENT_INSERT:
      if (record->new_image == NULL)
        {
          stats->skipped_no_image++;
          return;
        }
      if (new_owner == NULL)
        {
          stats->skipped_no_owner++;
          return;
        }
      changes = dbt_item_diff (NULL, record->new_image, NULL);
      add_notification (out, index, record, DBT_NOTIFICATION_CHANGED,
                        new_owner, NULL, table_name, changes);
      return;

    case DBT_EVENT_REMOVE:
      if (record->old_image == NULL)
        {
          stats->skipped_no_image++;
          return;
        }
      if (old_owner == NULL)
        {
          stats->skipped_no_owner++;
          return;
        }
      changes = dbt_item_diff (record->old_image, NULL, NULL);
      add_notification (out, index, record, DBT_NOTIFICATION_CHANGED,
                        old_owner, NULL, table_name, changes);
      return;

    case DBT_EVENT_MODIFY:
      if (record->old_image == NULL || record->new_image == NULL)
        {
          stats->skipped_no_image++;
          return;
        }
      if (new_owner == NULL && old_owner == NULL)
        {
          stats->skipped_no_owner++;
          return;
        }
      changes = dbt_item_diff (record->old_image, record->new_image, ignored);
      if (changes->len == 0)
        {
          stats->skipped_no_change++;
          return;
        }
      if (new_owner != NULL && old_owner != NULL && g_str_equal (new_owner, old_owner))
        {
          add_notification (out, index, record, DBT_NOTIFICATION_CHANGED,
                            new_owner, NULL, table_name, changes);
          return;
        }
      if (new_owner != NULL)
        add_notification (out, index, record, DBT_NOTIFICATION_ASSIGNED,
                          new_owner, old_owner, table_name, changes);
      if (old_owner != NULL)
        add_notification (out, index, record, DBT_NOTIFICATION_UNASSIGNED,
                          old_owner, new_owner, table_name, changes);
      return;

    default:
      g_assert_not_reached ();
    }
}

GPtrArray *
dbt_processor_run (const DbtHandlerConfig *config,
                   GPtrArray              *records,
                   DbtBatchStats          *stats)
{
  g_autoptr(GPtrArray) out = NULL;
  g_auto(GStrv) ignored = NULL;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (records != NULL, NULL);
  g_return_val_if_fail (stats != NULL, NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_notification_unref);
  ignored = ignored_without_owner (config);

  for (guint i = 0; i < records->len; i++)
    {
      stats->records++;
      process_record (config, (const char *const *) ignored, i,
                      g_ptr_array_index (records, i), out, stats);
    }

  return g_steal_pointer (&out);
}
