/* dbt-digest.h — one message per owner per invocation.
 *
 * Within one invocation, notifications are grouped by owner (and table: a
 * batch comes from one stream, so in practice that is one table, and each
 * message's `table` attribute stays exact). Groups come out in the order of
 * their first notification in the stream.
 *
 * An owner with one change gets that change's own message
 * (dbt_message_new_single()). An owner with several gets one digest:
 * subject "N items changed in TABLE" (N counts changes, not distinct items),
 * body listing every change in stream order — key, INSERT/MODIFY/REMOVE and
 * each changed attribute old → new. Several changes to one item are listed
 * one by one, never merged.
 *
 * A digest larger than DBT_MESSAGE_MAX_BYTES (see dbt-message.h) is split
 * into as few parts as fit, cutting only between changes and keeping
 * stream order; parts say "(part K of P)" in the subject and which changes
 * they hold in the body. Every change appears in exactly one part. A change
 * that cannot fit in a part on its own is shortened by the rule of
 * dbt-message.h, with an explicit marker of what was cut.
 */
#pragma once

#include <glib.h>
#include "dbt-message.h"
#include "dbt-notification.h"

G_BEGIN_DECLS

/* @notifications: DbtNotification*, stream order (dbt_processor_run()).
 * @max_bytes: the size every message stays within, normally
 * DBT_MESSAGE_MAX_BYTES. Returns DbtMessage* (owning). */
GPtrArray *dbt_digest_build (GPtrArray *notifications,
                             gsize      max_bytes);

G_END_DECLS
