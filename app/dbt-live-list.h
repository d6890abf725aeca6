/* dbt-live-list.h — a list that rows keep streaming into: the two lists of
 * the Live page.
 *
 * Rows arrive through the list's DbtLiveQueue from worker threads. The
 * queue wakes the list once; the list then drains it on a frame (a tick
 * callback) and changes its GListStore once: removing the oldest rows past
 * the cap, then appending everything new (two g_list_store_splice calls in
 * the same frame, or a single one replacing the whole store when the new
 * rows alone exceed the cap). However many rows arrive, the view changes
 * at most once per frame and at most 10 times a second: at 1,000 rows/s a
 * change brings about 100 rows, and a lone row waits at most 100 ms.
 *
 * At most @cap rows are kept; the oldest are dropped (and counted). While
 * paused, new rows are held (at most @cap, oldest dropped) and shown on
 * resume. The view follows the newest row while it is scrolled to the end;
 * scrolled away, it stays put and a "Jump to newest" button appears.
 *
 * Rows with the same key (see dbt_live_list_set_merge) are merged into the
 * row already shown instead of being added.
 */
#pragma once

#include <gtk/gtk.h>

#include "dbt-live-queue.h"

G_BEGIN_DECLS

#define DBT_LIVE_LIST_DEFAULT_CAP 5000

#define DBT_TYPE_LIVE_LIST (dbt_live_list_get_type ())
G_DECLARE_FINAL_TYPE (DbtLiveList, dbt_live_list, DBT, LIVE_LIST, GtkWidget)

GtkWidget     *dbt_live_list_new              (GType        item_type,
                                               guint        cap);

/* Where workers push rows; lives as long as the list (and the workers' refs). */
DbtLiveQueue  *dbt_live_list_get_queue        (DbtLiveList *self);
/* The columns are the caller's to add. */
GtkColumnView *dbt_live_list_get_column_view  (DbtLiveList *self);
/* Every row, oldest first. */
GListModel    *dbt_live_list_get_rows         (DbtLiveList *self);
/* The rows the filter lets through, as the view shows them. */
GListModel    *dbt_live_list_get_shown        (DbtLiveList *self);

void           dbt_live_list_set_filter       (DbtLiveList *self,
                                               GtkFilter   *filter);
/* Text shown while no row passes the filter. */
void           dbt_live_list_set_placeholder  (DbtLiveList *self,
                                               const char  *text);

/* @key_func gives a row's key (NULL: never merged); @merge_func folds a
 * new row into the existing one with the same key. Main thread. */
typedef const char *(*DbtLiveListKeyFunc)   (gpointer item);
typedef void        (*DbtLiveListMergeFunc) (gpointer existing,
                                             gpointer incoming);
void           dbt_live_list_set_merge        (DbtLiveList         *self,
                                               DbtLiveListKeyFunc   key_func,
                                               DbtLiveListMergeFunc merge_func);

void           dbt_live_list_set_paused       (DbtLiveList *self,
                                               gboolean     paused);
gboolean       dbt_live_list_get_paused       (DbtLiveList *self);
/* Removes every row (held ones too). */
void           dbt_live_list_clear            (DbtLiveList *self);

guint          dbt_live_list_get_cap          (DbtLiveList *self);
/* Rows held while paused. */
guint          dbt_live_list_get_n_held       (DbtLiveList *self);
/* Rows dropped for the cap since the list was made or cleared. */
guint64        dbt_live_list_get_n_dropped    (DbtLiveList *self);
/* Rows that arrived per second over the last 5 seconds. */
double         dbt_live_list_get_rate         (DbtLiveList *self);
/* Frames that changed the store, and the time spent doing it, signal
 * handlers included (for the benchmark). */
guint64        dbt_live_list_get_n_updates    (DbtLiveList *self);
gint64         dbt_live_list_get_update_time_us (DbtLiveList *self);

/* TRUE while the view keeps the newest row in sight. */
gboolean       dbt_live_list_get_following    (DbtLiveList *self);
void           dbt_live_list_jump_to_newest   (DbtLiveList *self);

/* Drains the queue now instead of on the next frame (tests). */
void           dbt_live_list_flush            (DbtLiveList *self);

G_END_DECLS
