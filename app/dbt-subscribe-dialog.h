/* dbt-subscribe-dialog.h — "Subscribe My Email": an owner signs up alone.
 *
 * The owner gives their owner id (typed, or picked from the owners the page
 * found) and their address, reads what they will receive, and submits. The
 * address is checked before anything is sent (dbt-email.h); an address the
 * topic already has is refused (dbt-owners-model.h). Afterwards the dialog
 * shows the next step as SNS reports it: a confirmation link to click while
 * the subscription is pending, or that notifications flow once confirmed.
 *
 * With an owner given up front the same dialog subscribes an address for
 * that owner (the Owners page's "Subscribe an Address…").
 */
#pragma once

#include <adwaita.h>

#include "dbt-owners-model.h"
#include "dbt-session.h"

G_BEGIN_DECLS

#define DBT_TYPE_SUBSCRIBE_DIALOG (dbt_subscribe_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DbtSubscribeDialog, dbt_subscribe_dialog, DBT, SUBSCRIBE_DIALOG, AdwWindow)

/* @owner_ids: the owners to offer (NULL-terminated, may be NULL);
 * @owner_id: the owner to subscribe for, or NULL to let the user say. */
DbtSubscribeDialog *dbt_subscribe_dialog_new (GtkWindow         *parent,
                                              DbtSession        *session,
                                              const char *const *owner_ids,
                                              const char        *owner_id);

/* Signal "subscribed" (const DbtOwnerSubscription *subscription): emitted
 * once SNS accepted the subscription. */

G_END_DECLS
