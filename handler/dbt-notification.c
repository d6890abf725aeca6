/* dbt-notification.c — one change to tell one owner about. */
#include "dbt-notification.h"

static void
dbt_notification_clear (gpointer data)
{
  DbtNotification *notification = data;

  g_free (notification->event_id);
  g_free (notification->sequence_number);
  g_free (notification->owner);
  g_free (notification->other_owner);
  g_free (notification->table_name);
  g_clear_pointer (&notification->keys, dbt_item_unref);
  g_free (notification->key_id);
  g_free (notification->key_text);
  g_clear_pointer (&notification->changes, g_ptr_array_unref);
}

DbtNotification *
dbt_notification_new (guint                  record_index,
                      const DbtStreamRecord *record,
                      DbtNotificationRole    role,
                      const char            *owner,
                      const char            *other_owner,
                      const char            *table_name,
                      GPtrArray             *changes)
{
  DbtNotification *notification;

  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (owner != NULL && *owner != '\0', NULL);
  g_return_val_if_fail (changes != NULL, NULL);

  notification = g_atomic_rc_box_new0 (DbtNotification);

  notification->record_index = record_index;
  notification->event_id = g_strdup (record->event_id ? record->event_id : "");
  notification->sequence_number = g_strdup (record->sequence_number ? record->sequence_number : "");
  notification->event_name = record->event_name;
  notification->role = role;
  notification->owner = g_strdup (owner);
  notification->other_owner = g_strdup (other_owner);
  notification->table_name = g_strdup (table_name ? table_name : "unknown");
  notification->keys = record->keys ? dbt_item_ref (record->keys) : dbt_item_new ();
  notification->key_id = dbt_item_serialize (notification->keys);
  notification->key_text = dbt_item_render_key (notification->keys);
  notification->changes = g_ptr_array_ref (changes);

  return notification;
}

DbtNotification *
dbt_notification_ref (DbtNotification *notification)
{
  return g_atomic_rc_box_acquire (notification);
}

void
dbt_notification_unref (DbtNotification *notification)
{
  g_atomic_rc_box_release_full (notification, dbt_notification_clear);
}

char *
dbt_notification_get_log_key (const DbtNotification *notification)
{
  return g_strconcat (notification->event_id, "#", notification->owner, NULL);
}
