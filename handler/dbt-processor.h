/* dbt-processor.h — which owners a batch of stream records concerns.
 *
 * Pure: stream records in (stream order), notifications out (stream order),
 * nothing sent. One record gives:
 *
 *   INSERT  the owner of NewImage is told the item was created; the
 *           notification lists every attribute of the new item.
 *   MODIFY  the diff of OldImage → NewImage, without the ignored attributes
 *           (config->ignored_attributes; the owner attribute itself is never
 *           ignored). An empty diff notifies nobody ("no change"). Otherwise:
 *           owner unchanged → that owner (DBT_NOTIFICATION_CHANGED);
 *           owner changed A → B → B (ASSIGNED, other_owner A) and then A
 *           (UNASSIGNED, other_owner B: the item was reassigned away);
 *           an owner added or removed → the one that exists.
 *   REMOVE  the owner of OldImage is told the item was removed; the
 *           notification lists every attribute of the old item.
 *
 * Owner ids are strings: the owner is the value of the owner attribute when
 * it is of type S and not empty. An item without one (absent, another type,
 * or "") notifies nobody and counts as skipped "no owner" — not an error.
 *
 * A record without the image it needs (INSERT without NewImage, REMOVE
 * without OldImage, MODIFY without both — a KEYS_ONLY or NEW_IMAGE stream)
 * counts as skipped "no image" and notifies nobody. It is not a failure:
 * retrying would never bring the image back, and failing would stall the
 * shard. The stream must use NEW_AND_OLD_IMAGES; the Terraform sets it.
 */
#pragma once

#include <glib.h>
#include "dbt-batch-stats.h"
#include "dbt-handler-config.h"
#include "dbt-notification.h"
#include "dbt-stream-record.h"

G_BEGIN_DECLS

/* @records: DbtStreamRecord*, in stream order. Adds to @stats: records,
 * skipped_no_owner, skipped_no_change, skipped_no_image. Returns the
 * DbtNotification*s (owning) in stream order. */
GPtrArray  *dbt_processor_run       (const DbtHandlerConfig *config,
                                     GPtrArray              *records,
                                     DbtBatchStats          *stats);

/* The owner id of @item under @owner_attribute, or NULL (see above). */
const char *dbt_processor_owner_of  (const DbtItem *item,
                                     const char    *owner_attribute);

G_END_DECLS
