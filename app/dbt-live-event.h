/* dbt-live-event.h — one stream record as the Live page shows it.
 *
 * Made from a DbtStreamRecord on the thread that read it: every text the
 * row shows (keys, owner, changes, time) is rendered there, once, so the
 * main loop only copies strings into labels. Immutable afterwards.
 *
 * Changes: a MODIFY lists dbt_item_diff() of the old and new images as
 * "price: 10 → 12", "color: added \"red\"", "note: removed \"x\""; an
 * INSERT lists the new item's attributes ("price = 10"), a REMOVE the old
 * item's; key attributes are left out (they have a column of their own).
 * The text is cut after DBT_LIVE_EVENT_MAX_CHANGES_CHARS characters.
 */
#pragma once

#include <gtk/gtk.h>

#include "dbt-stream-record.h"

G_BEGIN_DECLS

#define DBT_LIVE_EVENT_MAX_CHANGES_CHARS 400

#define DBT_TYPE_LIVE_EVENT (dbt_live_event_get_type ())
G_DECLARE_FINAL_TYPE (DbtLiveEvent, dbt_live_event, DBT, LIVE_EVENT, GObject)

/* @owner_attribute: the item attribute naming the owner (NULL: "owner").
 * @shard_id may be NULL. */
DbtLiveEvent *dbt_live_event_new_from_record (const DbtStreamRecord *record,
                                              const char            *owner_attribute,
                                              const char            *shard_id);

DbtEventName  dbt_live_event_get_event_name      (DbtLiveEvent *self);
const char   *dbt_live_event_get_keys_text       (DbtLiveEvent *self);
/* "alice", "alice → bob" when the owner changed, "" without owner. */
const char   *dbt_live_event_get_owner_text      (DbtLiveEvent *self);
/* TRUE when @owner is the owner before or after the change. */
gboolean      dbt_live_event_has_owner           (DbtLiveEvent *self,
                                                  const char   *owner);
const char   *dbt_live_event_get_changes_text    (DbtLiveEvent *self);
/* ApproximateCreationDateTime (epoch ms), or when it was read. */
gint64        dbt_live_event_get_time_ms         (DbtLiveEvent *self);
/* "08:37:09", local time. */
const char   *dbt_live_event_get_time_text       (DbtLiveEvent *self);
const char   *dbt_live_event_get_sequence_number (DbtLiveEvent *self);
const char   *dbt_live_event_get_shard_id        (DbtLiveEvent *self);
const char   *dbt_live_event_get_event_id        (DbtLiveEvent *self);
/* The record's key attributes (for a redrive). */
DbtItem      *dbt_live_event_get_keys            (DbtLiveEvent *self);

/* The badge of an event: "INSERT"... on a label styled by its kind
 * (classes "live-badge" and "insert", "modify" or "remove"). */
void          dbt_live_event_style_badge         (GtkLabel     *label,
                                                  DbtEventName  event_name);

G_END_DECLS
