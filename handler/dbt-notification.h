/* dbt-notification.h — one change to tell one owner about.
 *
 * The processor turns each stream record into zero, one or two
 * notifications (two when the owner changed: the new owner and the previous
 * one). A notification carries everything a message needs, copied out of
 * the record, so messages outlive the batch's records. Notifications are
 * immutable once built and refcounted: messages and digests share them.
 *
 * Identity in the notification log is the pair (eventID, owner), written
 * "EVENTID#OWNER" (see dbt_notification_get_log_key()).
 */
#pragma once

#include <glib.h>
#include "dbt-stream-record.h"
#include "dbt-value.h"

G_BEGIN_DECLS

typedef enum
{
  DBT_NOTIFICATION_CHANGED,     /* the item's owner: created, changed or removed */
  DBT_NOTIFICATION_ASSIGNED,    /* MODIFY that made @owner the item's owner */
  DBT_NOTIFICATION_UNASSIGNED,  /* MODIFY that took the item away from @owner */
} DbtNotificationRole;

typedef struct
{
  guint               record_index;     /* position of the record in the batch */
  char               *event_id;
  char               *sequence_number;
  DbtEventName        event_name;
  DbtNotificationRole role;
  char               *owner;            /* never NULL or empty */
  char               *other_owner;      /* ASSIGNED: previous owner; UNASSIGNED: new
                                         * owner; NULL when there is none */
  char               *table_name;       /* never NULL ("unknown" when not known) */
  DbtItem            *keys;
  char               *key_id;           /* canonical JSON of @keys: identity of the item */
  char               *key_text;         /* dbt_item_render_key (keys) */
  /* DbtChange*. INSERT: the new item's attributes, all ADDED; REMOVE: the
   * old item's, all REMOVED; MODIFY: the diff without ignored attributes. */
  GPtrArray          *changes;
} DbtNotification;

/* Takes ownership of nothing: strings are copied, @keys and @changes are
 * referenced (@changes must own its elements). */
DbtNotification *dbt_notification_new   (guint               record_index,
                                         const DbtStreamRecord *record,
                                         DbtNotificationRole role,
                                         const char         *owner,
                                         const char         *other_owner,
                                         const char         *table_name,
                                         GPtrArray          *changes);
DbtNotification *dbt_notification_ref   (DbtNotification *notification);
void             dbt_notification_unref (DbtNotification *notification);

/* "EVENTID#OWNER": the notification log's partition key for this pair. */
char            *dbt_notification_get_log_key (const DbtNotification *notification);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtNotification, dbt_notification_unref)

G_END_DECLS
