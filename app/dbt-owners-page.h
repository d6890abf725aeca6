/* dbt-owners-page.h — the Owners page of the main window.
 *
 * Lists every owner found in the items table or in the topic's email
 * subscriptions (dbt-owners-model.h): per owner its item count and its
 * addresses with their state, flagging owners whose items change without
 * anyone being notified, and subscriptions that name no owner. From here
 * an address is subscribed for an owner, a confirmation sent again, or a
 * confirmed address unsubscribed; "Subscribe My Email…" opens the
 * owner-facing dialog (dbt-subscribe-dialog.h).
 *
 * The page loads when it is first shown for a connection and on refresh.
 */
#pragma once

#include <adwaita.h>

#include "dbt-page.h"

G_BEGIN_DECLS

#define DBT_TYPE_OWNERS_PAGE (dbt_owners_page_get_type ())
G_DECLARE_FINAL_TYPE (DbtOwnersPage, dbt_owners_page, DBT, OWNERS_PAGE, GtkWidget)

GtkWidget *dbt_owners_page_new          (void);

/* Opens "Subscribe My Email" (once the connection is loaded). */
void       dbt_owners_page_subscribe_me (DbtOwnersPage *self);

/* TRUE while the page loads or a subscription change runs. */
gboolean   dbt_owners_page_is_busy      (DbtOwnersPage *self);

G_END_DECLS
