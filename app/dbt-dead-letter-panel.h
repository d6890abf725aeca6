/* dbt-dead-letter-panel.h — the failed batches of the stream mapping, on the
 * Live page.
 *
 * When the function keeps failing on a batch (retries exhausted, records
 * too old), Lambda gives the batch up and sends a record of it to the
 * mapping's on-failure destination, the dead-letter queue: the batch's
 * shard and first and last sequence numbers (DDBStreamBatchInfo), not the
 * records. The panel receives those messages (ReceiveMessage with a
 * visibility timeout of 5 minutes: while shown here they are hidden from
 * other readers of the queue), shows their batch info, and on request
 * reads the records back from the stream (GetShardIterator
 * AT_SEQUENCE_NUMBER the first, GetRecords up to the last) while the
 * stream still has them (24 hours).
 *
 * Redrive. A stream cannot be made to deliver old records again, and the
 * console does not invoke the function itself. Redrive therefore writes
 * each affected item again: UpdateItem SET redrivenAt = <now> on every key
 * of the batch whose item still exists. The stream carries a fresh MODIFY
 * record for it, and the function notifies the item's owner of the item as
 * it is now (the change of redrivenAt counts as a change unless it is in
 * the function's IGNORED_ATTRIBUTES). The original changes are not
 * replayed; keys whose item was deleted since are skipped. Both the
 * dialog and this header say so.
 *
 * Delete removes the message from the queue (DeleteMessage), after a
 * confirmation.
 */
#pragma once

#include <adwaita.h>

#include "dbt-session.h"

G_BEGIN_DECLS

/* Receiving hides a message from others this long (seconds). */
#define DBT_DEAD_LETTER_VISIBILITY_TIMEOUT 300
/* The attribute a redrive sets to the current time (ISO 8601). */
#define DBT_DEAD_LETTER_REDRIVE_ATTRIBUTE "redrivenAt"

#define DBT_TYPE_DEAD_LETTER_PANEL (dbt_dead_letter_panel_get_type ())
G_DECLARE_FINAL_TYPE (DbtDeadLetterPanel, dbt_dead_letter_panel, DBT, DEAD_LETTER_PANEL, GtkWidget)

GtkWidget *dbt_dead_letter_panel_new         (void);

/* NULL while the page has no session. Reloads when shown. */
void       dbt_dead_letter_panel_set_session (DbtDeadLetterPanel *self,
                                              DbtSession         *session);
/* Receives the queue's messages again (keeps those already shown). */
void       dbt_dead_letter_panel_reload      (DbtDeadLetterPanel *self);

/* Failed batches shown. */
guint      dbt_dead_letter_panel_get_n_batches (DbtDeadLetterPanel *self);
/* TRUE while a request of the panel is running. */
gboolean   dbt_dead_letter_panel_is_busy       (DbtDeadLetterPanel *self);

G_END_DECLS
