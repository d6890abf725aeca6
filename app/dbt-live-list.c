/* dbt-live-list.c — a capped list that follows its newest rows, updated once per frame. */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-live-list.h"

/* The rate is over the last RATE_SECONDS whole seconds; one more slot
 * holds the second that is still filling. */
#define RATE_SECONDS 5
#define RATE_SLOTS   (RATE_SECONDS + 1)
/* How close to the end (in pixels) still counts as "at the end". */
#define END_SLACK 4.0
/* Rows arriving faster than the eye can read are shown in batches at
 * most this often; a single row waits at most this long. */
#define MIN_UPDATE_INTERVAL_US (100 * 1000)

struct _DbtLiveList
{
  GtkWidget            parent_instance;

  GType                item_type;
  guint                cap;
  DbtLiveQueue        *queue;
  GListStore          *store;
  GtkFilterListModel  *filter_model;
  GHashTable          *by_key;          /* key → row in the store (not owned) */
  DbtLiveListKeyFunc   key_func;
  DbtLiveListMergeFunc merge_func;

  GPtrArray           *held;            /* rows that came while paused */
  gboolean             paused;
  guint64              dropped;
  guint64              updates;
  gint64               update_us;       /* spent changing the store */
  gint64               last_update_us;
  guint                tick_id;

  gint64               rate_second[RATE_SLOTS];
  guint                rate_count[RATE_SLOTS];
  gint64               first_second;

  gboolean             following;
  gboolean             scrolling;       /* our own scroll, not the user's */
  gboolean             settling;        /* the view lays out changed rows this frame */
  guint                settle_retries;
  gulong               after_paint_id;
  GdkFrameClock       *frame_clock;

  GtkWidget           *overlay;
  GtkWidget           *stack;
  GtkWidget           *placeholder;
  GtkWidget           *scrolled;
  GtkColumnView       *column_view;
  GtkWidget           *jump_button;
};

G_DEFINE_FINAL_TYPE (DbtLiveList, dbt_live_list, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkAdjustment *
vadjustment (DbtLiveList *self)
{
  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled));
}

static gboolean
at_end (DbtLiveList *self)
{
  GtkAdjustment *adjustment = vadjustment (self);

  return gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
         >= gtk_adjustment_get_upper (adjustment) - END_SLACK;
}

/* The list view inside the column view: it scrolls to an item. */
static GtkWidget *
inner_list_view (DbtLiveList *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

/* Makes the newest row the view's anchor, at its bottom edge: the view
 * keeps it there through the layout that follows (setting the adjustment
 * while the view lays out would be overridden). */
static void
scroll_to_end (DbtLiveList *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  GtkWidget *list_view = inner_list_view (self);

  if (shown == 0 || list_view == NULL)
    return;
  self->scrolling = TRUE;
  gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", shown - 1);
  self->scrolling = FALSE;
}

static void
update_visibility (DbtLiveList *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));

  gtk_stack_set_visible_child (GTK_STACK (self->stack), shown > 0 ? self->scrolled : self->placeholder);
  gtk_widget_set_visible (self->jump_button, shown > 0 && !self->following);
}

/* Only the user scrolls the view away from the end. Rows added or dropped
 * move it too while the view lays them out; that is not the user. */
static void
adjustment_value_changed_cb (DbtLiveList   *self,
                             GtkAdjustment *adjustment)
{
  if (self->scrolling)
    return;
  if (at_end (self))
    self->following = TRUE;
  else if (!self->settling)
    self->following = FALSE;
  update_visibility (self);
}

/* After the frame that showed new rows: if the view did not end up at the
 * end (it had not laid the rows out yet when asked), ask again, for a few
 * frames at most; until then, its moves are still ours. */
static void
after_paint_cb (GdkFrameClock *clock,
                DbtLiveList   *self)
{
  if (self->settling && self->following && !at_end (self) && self->settle_retries < 3)
    {
      self->settle_retries++;
      scroll_to_end (self);
      return;
    }
  self->settling = FALSE;
  self->settle_retries = 0;
}

static void
count_arrivals (DbtLiveList *self,
                guint        n)
{
  gint64 second = g_get_monotonic_time () / G_USEC_PER_SEC;
  guint slot = second % RATE_SLOTS;

  if (self->first_second == 0)
    self->first_second = second;
  if (self->rate_second[slot] != second)
    {
      self->rate_second[slot] = second;
      self->rate_count[slot] = 0;
    }
  self->rate_count[slot] += n;
}

static void
forget_keys (DbtLiveList *self,
             guint        position,
             guint        n)
{
  if (self->key_func == NULL)
    return;
  for (guint i = position; i < position + n; i++)
    {
      g_autoptr(GObject) row = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      const char *key = self->key_func (row);

      if (key != NULL && g_hash_table_lookup (self->by_key, key) == row)
        g_hash_table_remove (self->by_key, key);
    }
}

/* Folds rows whose key is already shown (or earlier in @rows) into that
 * row; returns the rest. */
static void
merge_rows (DbtLiveList *self,
            GPtrArray   *rows)
{
  guint kept = 0;

  if (self->key_func == NULL)
    return;
  for (guint i = 0; i < rows->len; i++)
    {
      gpointer row = g_ptr_array_index (rows, i);
      const char *key = self->key_func (row);
      gpointer existing = key != NULL && *key != '\0' ? g_hash_table_lookup (self->by_key, key) : NULL;

      if (existing != NULL)
        {
          self->merge_func (existing, row);
          g_object_unref (row);
          continue;
        }
      if (key != NULL && *key != '\0')
        g_hash_table_insert (self->by_key, (gpointer) key, row);
      rows->pdata[kept++] = row;
    }
  /* The merged ones were unreffed above; shrink without freeing again. */
  rows->len = kept;
}

static void
hold_rows (DbtLiveList *self,
           GPtrArray   *rows)
{
  g_ptr_array_extend_and_steal (self->held, g_ptr_array_ref (rows));
  if (self->held->len > self->cap)
    {
      guint excess = self->held->len - self->cap;

      for (guint i = 0; i < excess; i++)
        {
          const char *key = self->key_func != NULL ? self->key_func (g_ptr_array_index (self->held, i)) : NULL;

          if (key != NULL && g_hash_table_lookup (self->by_key, key) == g_ptr_array_index (self->held, i))
            g_hash_table_remove (self->by_key, key);
        }
      g_ptr_array_remove_range (self->held, 0, excess);
      self->dropped += excess;
    }
}

/* One change of the store: the oldest rows out, @rows in. */
static void
show_rows (DbtLiveList *self,
           GPtrArray   *rows)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint total = n + rows->len;

  if (rows->len == 0)
    return;

  if (rows->len >= self->cap)
    {
      /* The new rows alone fill the list: replace everything at once. */
      guint skip = rows->len - self->cap;

      for (guint i = 0; i < skip; i++)
        {
          const char *key = self->key_func != NULL ? self->key_func (g_ptr_array_index (rows, i)) : NULL;

          if (key != NULL)
            g_hash_table_remove (self->by_key, key);
        }
      forget_keys (self, 0, n);
      self->dropped += n + skip;
      g_list_store_splice (self->store, 0, n, rows->pdata + skip, self->cap);
    }
  else
    {
      if (total > self->cap)
        {
          guint drop = total - self->cap;

          forget_keys (self, 0, drop);
          self->dropped += drop;
          g_list_store_splice (self->store, 0, drop, NULL, 0);
          n -= drop;
        }
      g_list_store_splice (self->store, n, 0, rows->pdata, rows->len);
    }
  self->updates++;
  self->settling = TRUE;
  self->settle_retries = 0;
}

static void
update_now (DbtLiveList *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  guint dropped_in_queue = 0;
  gint64 start = g_get_monotonic_time ();

  self->last_update_us = start;
  rows = dbt_live_queue_drain (self->queue, &dropped_in_queue);
  self->dropped += dropped_in_queue;
  count_arrivals (self, rows->len + dropped_in_queue);
  merge_rows (self, rows);

  if (self->paused)
    {
      hold_rows (self, rows);
    }
  else
    {
      if (self->held->len > 0)
        {
          g_autoptr(GPtrArray) all = g_steal_pointer (&self->held);

          self->held = g_ptr_array_new_with_free_func (g_object_unref);
          g_ptr_array_extend_and_steal (all, g_ptr_array_ref (rows));
          show_rows (self, all);
        }
      else
        show_rows (self, rows);
      if (self->following && self->settling)
        scroll_to_end (self);
    }

  update_visibility (self);
  g_signal_emit (self, signals[CHANGED], 0);
  self->update_us += g_get_monotonic_time () - start;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  DbtLiveList *self = DBT_LIVE_LIST (widget);

  if (g_get_monotonic_time () - self->last_update_us < MIN_UPDATE_INTERVAL_US)
    return G_SOURCE_CONTINUE;
  self->tick_id = 0;
  update_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_update (DbtLiveList *self)
{
  if (self->tick_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
}

static gboolean
queue_wake_cb (gpointer data)
{
  schedule_update (DBT_LIVE_LIST (data));
  return G_SOURCE_REMOVE;
}

static void
dbt_live_list_map (GtkWidget *widget)
{
  DbtLiveList *self = DBT_LIVE_LIST (widget);

  GTK_WIDGET_CLASS (dbt_live_list_parent_class)->map (widget);
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->after_paint_id = g_signal_connect (self->frame_clock, "after-paint", G_CALLBACK (after_paint_cb), self);
  /* What came while hidden. */
  schedule_update (DBT_LIVE_LIST (widget));
}

static void
dbt_live_list_unmap (GtkWidget *widget)
{
  DbtLiveList *self = DBT_LIVE_LIST (widget);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->tick_id);
      self->tick_id = 0;
    }
  if (self->frame_clock != NULL)
    {
      g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
      g_clear_object (&self->frame_clock);
    }
  self->settling = FALSE;
  GTK_WIDGET_CLASS (dbt_live_list_parent_class)->unmap (widget);
}

static void
jump_clicked_cb (DbtLiveList *self)
{
  dbt_live_list_jump_to_newest (self);
}

static void
dbt_live_list_dispose (GObject *object)
{
  DbtLiveList *self = DBT_LIVE_LIST (object);

  if (self->queue != NULL)
    dbt_live_queue_disconnect (self->queue);
  g_clear_pointer (&self->overlay, gtk_widget_unparent);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->store);
  g_clear_pointer (&self->by_key, g_hash_table_unref);
  g_clear_pointer (&self->held, g_ptr_array_unref);

  G_OBJECT_CLASS (dbt_live_list_parent_class)->dispose (object);
}

static void
dbt_live_list_finalize (GObject *object)
{
  DbtLiveList *self = DBT_LIVE_LIST (object);

  g_clear_pointer (&self->queue, dbt_live_queue_unref);

  G_OBJECT_CLASS (dbt_live_list_parent_class)->finalize (object);
}

static void
dbt_live_list_class_init (DbtLiveListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbt_live_list_dispose;
  object_class->finalize = dbt_live_list_finalize;
  widget_class->map = dbt_live_list_map;
  widget_class->unmap = dbt_live_list_unmap;

  /* After every change of the rows: counts, rate, held rows. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dbtlivelist");
}

static void
dbt_live_list_init (DbtLiveList *self)
{
  GtkAdjustment *adjustment;

  self->following = TRUE;
  self->held = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_key = g_hash_table_new (g_str_hash, g_str_equal);

  self->overlay = gtk_overlay_new ();
  gtk_widget_set_parent (self->overlay, GTK_WIDGET (self));

  self->stack = gtk_stack_new ();
  gtk_overlay_set_child (GTK_OVERLAY (self->overlay), self->stack);

  self->placeholder = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->placeholder), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->placeholder), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (self->placeholder, "dim-label");
  gtk_widget_set_margin_start (self->placeholder, 24);
  gtk_widget_set_margin_end (self->placeholder, 24);
  gtk_stack_add_child (GTK_STACK (self->stack), self->placeholder);

  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled), GTK_POLICY_AUTOMATIC, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (self->scrolled, TRUE);
  gtk_stack_add_child (GTK_STACK (self->stack), self->scrolled);

  self->column_view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->column_view), "data-table");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), GTK_WIDGET (self->column_view));

  self->jump_button = gtk_button_new_with_mnemonic (_("_Jump to Newest"));
  gtk_widget_set_tooltip_text (self->jump_button, _("New rows are arriving below; scroll to them and keep following"));
  gtk_widget_add_css_class (self->jump_button, "pill");
  gtk_widget_add_css_class (self->jump_button, "suggested-action");
  gtk_widget_set_halign (self->jump_button, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->jump_button, GTK_ALIGN_END);
  gtk_widget_set_margin_bottom (self->jump_button, 12);
  gtk_widget_set_visible (self->jump_button, FALSE);
  g_signal_connect_swapped (self->jump_button, "clicked", G_CALLBACK (jump_clicked_cb), self);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), self->jump_button);

  adjustment = vadjustment (self);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (adjustment_value_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
dbt_live_list_new (GType item_type,
                   guint cap)
{
  DbtLiveList *self = g_object_new (DBT_TYPE_LIVE_LIST, NULL);
  GtkSelectionModel *selection;

  self->item_type = item_type;
  self->cap = cap > 0 ? cap : DBT_LIVE_LIST_DEFAULT_CAP;
  self->queue = dbt_live_queue_new (self->cap, NULL, queue_wake_cb, self);
  self->store = g_list_store_new (item_type);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->store)), NULL);
  selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model))));
  gtk_column_view_set_model (self->column_view, selection);
  g_object_unref (selection);
  update_visibility (self);
  return GTK_WIDGET (self);
}

DbtLiveQueue *
dbt_live_list_get_queue (DbtLiveList *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_LIST (self), NULL);
  return self->queue;
}

GtkColumnView *
dbt_live_list_get_column_view (DbtLiveList *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_LIST (self), NULL);
  return self->column_view;
}

GListModel *
dbt_live_list_get_rows (DbtLiveList *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_LIST (self), NULL);
  return G_LIST_MODEL (self->store);
}

GListModel *
dbt_live_list_get_shown (DbtLiveList *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_LIST (self), NULL);
  return G_LIST_MODEL (self->filter_model);
}

void
dbt_live_list_set_filter (DbtLiveList *self,
                          GtkFilter   *filter)
{
  g_return_if_fail (DBT_IS_LIVE_LIST (self));

  gtk_filter_list_model_set_filter (self->filter_model, filter);
  update_visibility (self);
}

void
dbt_live_list_set_placeholder (DbtLiveList *self,
                               const char  *text)
{
  g_return_if_fail (DBT_IS_LIVE_LIST (self));
  gtk_label_set_label (GTK_LABEL (self->placeholder), text);
}

void
dbt_live_list_set_merge (DbtLiveList          *self,
                         DbtLiveListKeyFunc    key_func,
                         DbtLiveListMergeFunc  merge_func)
{
  g_return_if_fail (DBT_IS_LIVE_LIST (self));
  g_return_if_fail ((key_func == NULL) == (merge_func == NULL));

  self->key_func = key_func;
  self->merge_func = merge_func;
}

void
dbt_live_list_set_paused (DbtLiveList *self,
                          gboolean     paused)
{
  g_return_if_fail (DBT_IS_LIVE_LIST (self));

  paused = !!paused;
  if (self->paused == paused)
    return;
  self->paused = paused;
  /* Resuming shows what was held right away. */
  update_now (self);
}

gboolean
dbt_live_list_get_paused (DbtLiveList *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_LIST (self), FALSE);
  return self->paused;
}

void
dbt_live_list_clear (DbtLiveList *self)
{
  g_autoptr(GPtrArray) pending = NULL;

  g_return_if_fail (DBT_IS_LIVE_LIST (self));

  pending = dbt_live_queue_drain (self->queue, NULL);
  g_hash_table_remove_all (self->by_key);
  g_ptr_array_set_size (self->held, 0);
  g_list_store_remove_all (self->store);
  self->dropped = 0;
  self->following = TRUE;
  update_visibility (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

guint
dbt_live_list_get_cap (DbtLiveList *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_LIST (self), 0);
  return self->cap;
}

guint
dbt_live_list_get_n_held (DbtLiveList *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_LIST (self), 0);
  return self->held->len;
}

guint64
dbt_live_list_get_n_dropped (DbtLiveList *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_LIST (self), 0);
  return self->dropped;
}

double
dbt_live_list_get_rate (DbtLiveList *self)
{
  gint64 now_us = g_get_monotonic_time ();
  gint64 now = now_us / G_USEC_PER_SEC;
  gint64 window_start_us;
  guint64 total = 0;

  g_return_val_if_fail (DBT_IS_LIVE_LIST (self), 0);

  if (self->first_second == 0)
    return 0;
  /* The last RATE_SECONDS whole seconds and the one filling now, over the
   * time they cover (at least a second, so a first burst is not inflated). */
  for (guint i = 0; i < RATE_SLOTS; i++)
    if (self->rate_second[i] >= now - RATE_SECONDS && self->rate_second[i] <= now)
      total += self->rate_count[i];
  window_start_us = MAX (now - RATE_SECONDS, self->first_second) * G_USEC_PER_SEC;
  return total / MAX (1.0, (now_us - window_start_us) / (double) G_USEC_PER_SEC);
}

guint64
dbt_live_list_get_n_updates (DbtLiveList *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_LIST (self), 0);
  return self->updates;
}

gint64
dbt_live_list_get_update_time_us (DbtLiveList *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_LIST (self), 0);
  return self->update_us;
}

gboolean
dbt_live_list_get_following (DbtLiveList *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_LIST (self), FALSE);
  return self->following;
}

void
dbt_live_list_jump_to_newest (DbtLiveList *self)
{
  g_return_if_fail (DBT_IS_LIVE_LIST (self));

  self->following = TRUE;
  scroll_to_end (self);
  update_visibility (self);
}

void
dbt_live_list_flush (DbtLiveList *self)
{
  g_return_if_fail (DBT_IS_LIVE_LIST (self));
  update_now (self);
}
