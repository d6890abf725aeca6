/* dbt-live-notification.h — one delivered notification as the Live page
 * shows it: from the notification log (owner, subject, message id, when it
 * was sent), from the local outbox (the address it went to), or both once
 * merged by message id (an owner with two confirmed addresses has one log
 * entry and two mails: the addresses are joined).
 *
 * Made on a worker thread; merged and read on the main thread. The
 * "owner" and "address" properties notify when a merge fills them in.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DBT_TYPE_LIVE_NOTIFICATION (dbt_live_notification_get_type ())
G_DECLARE_FINAL_TYPE (DbtLiveNotification, dbt_live_notification, DBT, LIVE_NOTIFICATION, GObject)

typedef enum
{
  DBT_LIVE_NOTIFICATION_FROM_LOG    = 1 << 0,
  DBT_LIVE_NOTIFICATION_FROM_OUTBOX = 1 << 1,
} DbtLiveNotificationSource;

/* Any argument but @message_id may be NULL. @sent_ms: epoch ms. */
DbtLiveNotification *dbt_live_notification_new (DbtLiveNotificationSource source,
                                                const char               *message_id,
                                                const char               *owner,
                                                const char               *address,
                                                const char               *subject,
                                                const char               *event,
                                                const char               *key_text,
                                                gint64                    sent_ms);

const char *dbt_live_notification_get_message_id (DbtLiveNotification *self);
const char *dbt_live_notification_get_owner      (DbtLiveNotification *self);   /* "" when unknown */
const char *dbt_live_notification_get_address    (DbtLiveNotification *self);   /* "" when unknown */
const char *dbt_live_notification_get_subject    (DbtLiveNotification *self);
const char *dbt_live_notification_get_event      (DbtLiveNotification *self);   /* "INSERT"..., "" */
const char *dbt_live_notification_get_key_text   (DbtLiveNotification *self);
gint64      dbt_live_notification_get_sent_ms    (DbtLiveNotification *self);
const char *dbt_live_notification_get_time_text  (DbtLiveNotification *self);   /* "08:37:09" */
DbtLiveNotificationSource dbt_live_notification_get_sources (DbtLiveNotification *self);

/* Takes what @other knows that @self does not: an owner, the subject,
 * its address (added to the list), its source. Main thread. */
void        dbt_live_notification_merge          (DbtLiveNotification *self,
                                                  DbtLiveNotification *other);

G_END_DECLS
