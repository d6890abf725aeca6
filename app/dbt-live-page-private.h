/* dbt-live-page-private.h — the Live page's parts, for its tests and its
 * benchmark. */
#pragma once

#include "dbt-dead-letter-panel.h"
#include "dbt-live-list.h"
#include "dbt-live-page.h"
#include "dbt-stream-watcher.h"

G_BEGIN_DECLS

DbtLiveList        *dbt_live_page_get_events_list        (DbtLivePage *self);
DbtLiveList        *dbt_live_page_get_notifications_list (DbtLivePage *self);
DbtDeadLetterPanel *dbt_live_page_get_dead_letter_panel  (DbtLivePage *self);
/* NULL until the session is loaded (or when it has no stream). */
DbtStreamWatcher   *dbt_live_page_get_watcher            (DbtLivePage *self);

/* TRUE once the session is loaded and the readers run (or failed to). */
gboolean            dbt_live_page_is_ready               (DbtLivePage *self);
/* The problem shown above the lists, or NULL. */
const char         *dbt_live_page_get_problem            (DbtLivePage *self);

G_END_DECLS
