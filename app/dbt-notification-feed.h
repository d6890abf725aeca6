/* dbt-notification-feed.h — the notifications that were delivered, as
 * DbtLiveNotification rows handed to a DbtLiveQueue.
 *
 * Two sources, read on one worker thread:
 *
 *  - The notification log (the handler's idempotency table): every entry
 *    in state SENT with its owner, subject, message id and sentAt. Without
 *    an owner filter the feed Scans the log every 3 seconds for entries
 *    sent since the last poll (sentAt is ISO 8601, so the comparison is a
 *    string comparison) — a Scan reads the whole table each time, which is
 *    fine for the local stack and small logs; on a large log, filter by
 *    owner. With an owner, it Queries the owner index (owner = X, newest
 *    200 first, then those sent since) every 2 seconds. It starts with the
 *    entries of the last hour. Polls overlap by a minute, so an entry
 *    marked SENT late is not missed; entries seen are not shown twice.
 *
 *  - On the local stack, the outbox the local runner writes: every mail an
 *    e-mail subscriber would have received, as <stack dir>/outbox/<address>/
 *    <time>-<message id>.eml. A GFileMonitor per folder reports new files;
 *    the worker reads their headers (To, Subject, Date, Message-ID,
 *    X-Dbtrigger-Owner, X-Dbtrigger-Event). Mails of the last hour are read
 *    at the start.
 *
 * Both carry the SNS message id, which the page uses to merge a log entry
 * with its mails.
 */
#pragma once

#include <gio/gio.h>

#include "dbt-live-notification.h"
#include "dbt-live-queue.h"
#include "dbt-session.h"

G_BEGIN_DECLS

#define DBT_TYPE_NOTIFICATION_FEED (dbt_notification_feed_get_type ())
G_DECLARE_FINAL_TYPE (DbtNotificationFeed, dbt_notification_feed, DBT, NOTIFICATION_FEED, GObject)

DbtNotificationFeed *dbt_notification_feed_new   (DbtSession          *session,
                                                  DbtLiveQueue        *queue);

/* Main thread: watches the outbox (local stack) and starts the worker. */
void                 dbt_notification_feed_start (DbtNotificationFeed *self);
void                 dbt_notification_feed_stop  (DbtNotificationFeed *self);

/* Main thread: only @owner's entries (NULL or "": everyone). */
void                 dbt_notification_feed_set_owner (DbtNotificationFeed *self,
                                                      const char          *owner);

/* The last error reading the log (NULL when the last poll worked), and the
 * outbox folder watched (NULL when none). Any thread. */
char                *dbt_notification_feed_dup_error  (DbtNotificationFeed *self);
const char          *dbt_notification_feed_get_outbox (DbtNotificationFeed *self);

/* One mail's headers as a row, or NULL when @text is not (yet) a whole
 * header block. @address is used when there is no To header. Exposed for
 * the tests. */
DbtLiveNotification *dbt_notification_feed_parse_mail (const char *text,
                                                       gsize       length,
                                                       const char *address);

G_END_DECLS
