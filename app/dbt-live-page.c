/* dbt-live-page.c — the Live page: the table's changes as they are read from
 * its stream, the notifications delivered for them, and the batches the
 * function gave up on.
 *
 * The page loads its session (dbt-session.h) when it is first shown, then
 * starts a DbtStreamWatcher (stream events) and a DbtNotificationFeed
 * (notification log and local outbox); both read on worker threads and
 * hand rows to the DbtLiveList they fill, which updates once per frame.
 * They run until the connection changes, the page is refreshed, or the
 * window closes. Each list keeps the newest 5,000 rows.
 */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-live-event.h"
#include "dbt-live-notification.h"
#include "dbt-live-page-private.h"
#include "dbt-notification-feed.h"
#include "dbt-session.h"
#include "dbt-stream-watcher.h"

struct _DbtLivePage
{
  GtkWidget            parent_instance;

  DbtConnection       *connection;
  DbtSession          *session;
  GCancellable        *load_cancellable;
  DbtStreamWatcher    *watcher;
  DbtNotificationFeed *feed;
  gboolean             session_stale;   /* load (again) when shown */
  gboolean             ready;
  gboolean             paused;
  char                *load_error;
  char                *problem;
  guint                status_timer;

  GtkCustomFilter     *events_filter;
  GtkCustomFilter     *notifications_filter;
  char                *owner_filter;    /* NULL: every owner */
  gboolean             show_event[3];   /* by DbtEventName */

  DbtLiveList         *events_list;
  DbtLiveList         *notifications_list;

  /* template children */
  GtkButton           *refresh_button;
  AdwViewStack        *view_stack;
  GtkSpinner          *spinner;
  GtkRevealer         *problem_revealer;
  GtkLabel            *problem_label;
  GtkToggleButton     *pause_button;
  GtkToggleButton     *insert_toggle;
  GtkToggleButton     *modify_toggle;
  GtkToggleButton     *remove_toggle;
  GtkSearchEntry      *owner_entry;
  GtkDropDown         *start_dropdown;
  GtkLabel            *rate_label;
  GtkBox              *events_box;
  GtkBox              *notifications_box;
  GtkLabel            *events_count_label;
  GtkLabel            *notifications_count_label;
  DbtDeadLetterPanel  *dead_letter_panel;
};

static void dbt_live_page_page_init (DbtPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DbtLivePage, dbt_live_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (DBT_TYPE_PAGE, dbt_live_page_page_init))

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_PAUSED,
  N_PROPS
};

static GParamSpec *paused_pspec;

/* Columns --------------------------------------------------------------- */

typedef const char *(*TextGetter) (gpointer item);

typedef struct
{
  TextGetter  getter;
  const char *property;     /* bound instead of read once: it may change */
  gboolean    tooltip;      /* the whole text on hover */
  const char *css_class;
  guint       nat_chars;
} ColumnSpec;

/* Cells are GtkInscriptions: their size comes from character counts, not
 * from laying their text out, so rows cost little to measure — the list
 * view keeps up to 200 rows around the newest one, and at 1,000 rows a
 * second every new row is measured. Long texts are cut with "…"; hovering
 * shows them whole. */
static gboolean
cell_tooltip_cb (GtkWidget  *cell,
                 int         x,
                 int         y,
                 gboolean    keyboard_mode,
                 GtkTooltip *tooltip,
                 gpointer    user_data)
{
  const char *text = gtk_inscription_get_text (GTK_INSCRIPTION (cell));

  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
text_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  const ColumnSpec *spec = user_data;
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_lines (GTK_INSCRIPTION (cell), 1);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (cell), spec->nat_chars);
  if (spec->css_class != NULL)
    gtk_widget_add_css_class (cell, spec->css_class);
  if (spec->tooltip)
    {
      gtk_widget_set_has_tooltip (cell, TRUE);
      g_signal_connect (cell, "query-tooltip", G_CALLBACK (cell_tooltip_cb), NULL);
    }
  gtk_list_item_set_child (list_item, cell);
}

static void
text_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  const ColumnSpec *spec = user_data;
  GtkWidget *cell = gtk_list_item_get_child (list_item);
  GObject *item = gtk_list_item_get_item (list_item);

  if (spec->property != NULL)
    {
      GBinding *binding = g_object_bind_property (item, spec->property, cell, "text", G_BINDING_SYNC_CREATE);

      g_object_set_data (G_OBJECT (list_item), "dbt-binding", binding);
      return;
    }
  gtk_inscription_set_text (GTK_INSCRIPTION (cell), spec->getter (item));
}

static void
text_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GBinding *binding = g_object_steal_data (G_OBJECT (list_item), "dbt-binding");

  if (binding != NULL)
    g_binding_unbind (binding);
}

static GtkColumnViewColumn *
add_column (GtkColumnView    *view,
            const char       *title,
            const ColumnSpec *spec,
            int               fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (text_setup_cb), (gpointer) spec);
  g_signal_connect (factory, "bind", G_CALLBACK (text_bind_cb), (gpointer) spec);
  g_signal_connect (factory, "unbind", G_CALLBACK (text_unbind_cb), (gpointer) spec);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (column, fixed_width);
  else
    gtk_column_view_column_set_expand (column, TRUE);
  gtk_column_view_append_column (view, column);
  g_object_unref (column);
  return column;
}

static void
badge_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_list_item_set_child (list_item, label);
}

static void
badge_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  DbtLiveEvent *event = gtk_list_item_get_item (list_item);

  dbt_live_event_style_badge (GTK_LABEL (gtk_list_item_get_child (list_item)),
                              dbt_live_event_get_event_name (event));
}

static const ColumnSpec event_time_column = { (TextGetter) dbt_live_event_get_time_text, NULL, FALSE, "numeric", 8 };
static const ColumnSpec event_keys_column = { (TextGetter) dbt_live_event_get_keys_text, NULL, TRUE, "monospace", 24 };
static const ColumnSpec event_owner_column = { (TextGetter) dbt_live_event_get_owner_text, NULL, TRUE, NULL, 16 };
static const ColumnSpec event_changes_column = { (TextGetter) dbt_live_event_get_changes_text, NULL, TRUE, NULL, 60 };

static const ColumnSpec notification_time_column = { (TextGetter) dbt_live_notification_get_time_text, NULL, FALSE, "numeric", 8 };
static const ColumnSpec notification_owner_column = { NULL, "owner", TRUE, NULL, 16 };
static const ColumnSpec notification_address_column = { NULL, "address", TRUE, NULL, 24 };
static const ColumnSpec notification_subject_column = { (TextGetter) dbt_live_notification_get_subject, NULL, TRUE, NULL, 40 };
static const ColumnSpec notification_message_id_column = { (TextGetter) dbt_live_notification_get_message_id, NULL, TRUE, "monospace", 20 };

static void
build_events_columns (GtkColumnView *view)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  add_column (view, _("Time"), &event_time_column, 90);
  g_signal_connect (factory, "setup", G_CALLBACK (badge_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (badge_bind_cb), NULL);
  column = gtk_column_view_column_new (_("Event"), factory);
  gtk_column_view_column_set_fixed_width (column, 100);
  gtk_column_view_append_column (view, column);
  g_object_unref (column);
  add_column (view, _("Keys"), &event_keys_column, 200);
  add_column (view, _("Owner"), &event_owner_column, 140);
  add_column (view, _("Changes"), &event_changes_column, 0);
}

static void
build_notifications_columns (GtkColumnView *view)
{
  add_column (view, _("Time"), &notification_time_column, 90);
  add_column (view, _("Owner"), &notification_owner_column, 140);
  add_column (view, _("Address"), &notification_address_column, 200);
  add_column (view, _("Subject"), &notification_subject_column, 0);
  add_column (view, _("Message ID"), &notification_message_id_column, 180);
}

/* Filters --------------------------------------------------------------- */

static gboolean
event_matches (gpointer item,
               gpointer user_data)
{
  DbtLivePage *self = user_data;
  DbtLiveEvent *event = item;
  DbtEventName name = dbt_live_event_get_event_name (event);

  if (name <= DBT_EVENT_REMOVE && !self->show_event[name])
    return FALSE;
  return self->owner_filter == NULL || dbt_live_event_has_owner (event, self->owner_filter);
}

static gboolean
notification_matches (gpointer item,
                      gpointer user_data)
{
  DbtLivePage *self = user_data;

  return self->owner_filter == NULL
         || g_strcmp0 (dbt_live_notification_get_owner (item), self->owner_filter) == 0;
}

static const char *
notification_key (gpointer item)
{
  return dbt_live_notification_get_message_id (item);
}

static void
notification_merge (gpointer existing,
                    gpointer incoming)
{
  dbt_live_notification_merge (existing, incoming);
}

/* Counts and problems ----------------------------------------------------- */

static char *
count_text (DbtLiveList *list,
            const char  *(*plural) (guint n))
{
  guint total = g_list_model_get_n_items (dbt_live_list_get_rows (list));
  guint shown = g_list_model_get_n_items (dbt_live_list_get_shown (list));
  guint held = dbt_live_list_get_n_held (list);
  guint64 dropped = dbt_live_list_get_n_dropped (list);
  GString *text = g_string_new (NULL);

  if (shown != total)
    /* Translators: rows shown of all rows kept, e.g. "12 of 40". */
    g_string_append_printf (text, _("%u of %u"), shown, total);
  else
    g_string_append (text, plural (total));
  if (held > 0)
    {
      g_string_append (text, " · ");
      /* Translators: rows that arrived while paused. */
      g_string_append_printf (text, ngettext ("%u new while paused", "%u new while paused", held), held);
    }
  if (dropped > 0)
    {
      g_string_append (text, " · ");
      /* Translators: %u is the number of rows kept per list (5,000). */
      g_string_append_printf (text, _("only the newest %u are kept"), dbt_live_list_get_cap (list));
    }
  return g_string_free (text, FALSE);
}

static const char *
events_plural (guint n)
{
  static char buffer[64];

  g_snprintf (buffer, sizeof buffer, ngettext ("%u event", "%u events", n), n);
  return buffer;
}

static const char *
notifications_plural (guint n)
{
  static char buffer[64];

  g_snprintf (buffer, sizeof buffer, ngettext ("%u notification", "%u notifications", n), n);
  return buffer;
}

static void
update_counts (DbtLivePage *self)
{
  g_autofree char *events = count_text (self->events_list, events_plural);
  g_autofree char *notifications = count_text (self->notifications_list, notifications_plural);

  gtk_label_set_label (self->events_count_label, events);
  gtk_label_set_label (self->notifications_count_label, notifications);
}

static void
update_rate (DbtLivePage *self)
{
  g_autofree char *text = NULL;

  if (self->paused)
    text = g_strdup (_("Paused"));
  else if (self->watcher != NULL)
    /* Translators: stream events per second over the last seconds. */
    text = g_strdup_printf (_("%.0f events/s"), dbt_live_list_get_rate (self->events_list));
  else
    text = g_strdup ("");
  gtk_label_set_label (self->rate_label, text);
}

static void
set_problem (DbtLivePage *self,
             const char  *problem)
{
  if (g_strcmp0 (self->problem, problem) == 0)
    return;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  if (problem != NULL)
    gtk_label_set_label (self->problem_label, problem);
  gtk_revealer_set_reveal_child (self->problem_revealer, problem != NULL);
}

static void
update_problem (DbtLivePage *self)
{
  DbtStreamWatcherStatus status = { 0 };
  g_autofree char *feed_error = NULL;
  const char *problem = self->load_error;

  if (self->watcher != NULL)
    dbt_stream_watcher_get_status (self->watcher, &status);
  if (self->feed != NULL)
    feed_error = dbt_notification_feed_dup_error (self->feed);

  if (problem == NULL)
    problem = status.error_message;
  if (problem == NULL)
    problem = feed_error;
  if (problem == NULL)
    problem = status.warning_message;
  if (problem == NULL && self->session != NULL && self->session->stream_arn == NULL)
    problem = _("This deployment’s table has no stream: there are no changes to show.");
  set_problem (self, problem);
  dbt_stream_watcher_status_clear (&status);
}

static gboolean
status_tick_cb (gpointer user_data)
{
  DbtLivePage *self = user_data;

  update_rate (self);
  update_counts (self);
  update_problem (self);
  return G_SOURCE_CONTINUE;
}

static void
list_changed_cb (DbtLivePage *self)
{
  update_counts (self);
  update_rate (self);
}

/* Readers ------------------------------------------------------------- */

static void
stop_watcher (DbtLivePage *self)
{
  if (self->watcher != NULL)
    {
      dbt_stream_watcher_stop (self->watcher);
      g_clear_object (&self->watcher);
    }
}

static void
start_watcher (DbtLivePage *self)
{
  stop_watcher (self);
  if (self->session == NULL || self->session->stream_arn == NULL)
    return;
  self->watcher = dbt_stream_watcher_new (self->session, dbt_live_list_get_queue (self->events_list),
                                          gtk_drop_down_get_selected (self->start_dropdown) == 1);
  dbt_stream_watcher_start (self->watcher);
}

static void
stop_readers (DbtLivePage *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  stop_watcher (self);
  if (self->feed != NULL)
    {
      dbt_notification_feed_stop (self->feed);
      g_clear_object (&self->feed);
    }
  g_clear_pointer (&self->session, dbt_session_unref);
  g_clear_pointer (&self->load_error, g_free);
  self->ready = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (self->dead_letter_panel != NULL)
    dbt_dead_letter_panel_set_session (self->dead_letter_panel, NULL);
}

static void
session_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DbtLivePage) self = user_data;
  g_autoptr(GError) error = NULL;
  DbtSession *session = dbt_session_load_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->load_cancellable == NULL)
    {
      g_clear_pointer (&session, dbt_session_unref);
      return;
    }
  g_clear_object (&self->load_cancellable);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  self->ready = TRUE;

  if (session == NULL)
    {
      /* Translators: %s is why the connection could not be used. */
      self->load_error = g_strdup_printf (_("Cannot connect: %s"), error->message);
      update_problem (self);
      return;
    }

  self->session = session;
  start_watcher (self);
  self->feed = dbt_notification_feed_new (session, dbt_live_list_get_queue (self->notifications_list));
  dbt_notification_feed_set_owner (self->feed, self->owner_filter);
  dbt_notification_feed_start (self->feed);
  dbt_dead_letter_panel_set_session (self->dead_letter_panel, session);
  update_problem (self);
  update_rate (self);
}

static void
load_session (DbtLivePage *self)
{
  stop_readers (self);
  self->session_stale = FALSE;
  if (self->connection == NULL)
    return;
  self->load_cancellable = g_cancellable_new ();
  gtk_spinner_set_spinning (self->spinner, TRUE);
  dbt_session_load_async (self->connection, self->load_cancellable, session_loaded_cb, g_object_ref (self));
}

/* Signals, actions ---------------------------------------------------- */

static void
filter_changed_cb (DbtLivePage *self)
{
  self->show_event[DBT_EVENT_INSERT] = gtk_toggle_button_get_active (self->insert_toggle);
  self->show_event[DBT_EVENT_MODIFY] = gtk_toggle_button_get_active (self->modify_toggle);
  self->show_event[DBT_EVENT_REMOVE] = gtk_toggle_button_get_active (self->remove_toggle);
  gtk_filter_changed (GTK_FILTER (self->events_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_counts (self);
}

static void
owner_changed_cb (DbtLivePage *self)
{
  g_autofree char *owner = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->owner_entry))));

  if (*owner == '\0')
    g_clear_pointer (&owner, g_free);
  if (g_strcmp0 (owner, self->owner_filter) == 0)
    return;
  g_free (self->owner_filter);
  self->owner_filter = g_steal_pointer (&owner);
  gtk_filter_changed (GTK_FILTER (self->events_filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (GTK_FILTER (self->notifications_filter), GTK_FILTER_CHANGE_DIFFERENT);
  if (self->feed != NULL)
    dbt_notification_feed_set_owner (self->feed, self->owner_filter);
  update_counts (self);
}

static void
start_changed_cb (DbtLivePage *self)
{
  /* Reading from elsewhere: what is shown would come again. */
  if (self->session == NULL)
    return;
  dbt_live_list_clear (self->events_list);
  start_watcher (self);
}

static void
set_paused (DbtLivePage *self,
            gboolean     paused)
{
  paused = !!paused;
  if (self->paused == paused)
    return;
  self->paused = paused;
  gtk_button_set_icon_name (GTK_BUTTON (self->pause_button),
                            paused ? "media-playback-start-symbolic" : "media-playback-pause-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->pause_button),
                               paused ? _("Resume: show what arrived meanwhile (Ctrl+P)")
                                      : _("Pause: hold new rows until resumed (Ctrl+P)"));
  dbt_live_list_set_paused (self->events_list, paused);
  dbt_live_list_set_paused (self->notifications_list, paused);
  update_rate (self);
  g_object_notify_by_pspec (G_OBJECT (self), paused_pspec);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DbtLivePage *self = DBT_LIVE_PAGE (widget);

  dbt_live_list_clear (self->events_list);
  dbt_live_list_clear (self->notifications_list);
}

static void
jump_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DbtLivePage *self = DBT_LIVE_PAGE (widget);

  dbt_live_list_jump_to_newest (self->events_list);
  dbt_live_list_jump_to_newest (self->notifications_list);
}

/* DbtPage ---------------------------------------------------------------- */

static void
dbt_live_page_refresh (DbtPage *page)
{
  DbtLivePage *self = DBT_LIVE_PAGE (page);

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    load_session (self);
  else
    self->session_stale = TRUE;
}

static gboolean
dbt_live_page_search (DbtPage *page)
{
  DbtLivePage *self = DBT_LIVE_PAGE (page);

  adw_view_stack_set_visible_child_name (self->view_stack, "stream");
  gtk_widget_grab_focus (GTK_WIDGET (self->owner_entry));
  return TRUE;
}

/* Another connection: other resources, other rows. */
static void
dbt_live_page_connection_changed (DbtPage *page)
{
  DbtLivePage *self = DBT_LIVE_PAGE (page);

  stop_readers (self);
  if (self->events_list != NULL)
    {
      dbt_live_list_clear (self->events_list);
      dbt_live_list_clear (self->notifications_list);
    }
  dbt_live_page_refresh (page);
}

static void
dbt_live_page_page_init (DbtPageInterface *iface)
{
  iface->refresh = dbt_live_page_refresh;
  iface->search = dbt_live_page_search;
  iface->connection_changed = dbt_live_page_connection_changed;
}

/* GtkWidget ------------------------------------------------------------ */

static void
dbt_live_page_map (GtkWidget *widget)
{
  DbtLivePage *self = DBT_LIVE_PAGE (widget);

  GTK_WIDGET_CLASS (dbt_live_page_parent_class)->map (widget);
  if (self->session_stale)
    load_session (self);
  if (self->status_timer == 0)
    self->status_timer = g_timeout_add_seconds (1, status_tick_cb, self);
  status_tick_cb (self);
}

static void
dbt_live_page_unmap (GtkWidget *widget)
{
  DbtLivePage *self = DBT_LIVE_PAGE (widget);

  g_clear_handle_id (&self->status_timer, g_source_remove);
  GTK_WIDGET_CLASS (dbt_live_page_parent_class)->unmap (widget);
}

static void
dbt_live_page_dispose (GObject *object)
{
  DbtLivePage *self = DBT_LIVE_PAGE (object);

  stop_readers (self);
  g_clear_handle_id (&self->status_timer, g_source_remove);
  if (self->events_filter != NULL)
    gtk_custom_filter_set_filter_func (self->events_filter, NULL, NULL, NULL);
  if (self->notifications_filter != NULL)
    gtk_custom_filter_set_filter_func (self->notifications_filter, NULL, NULL, NULL);
  dbt_page_dispose_widgets (DBT_PAGE (self), DBT_TYPE_LIVE_PAGE, &self->connection);
  self->events_list = self->notifications_list = NULL;
  g_clear_object (&self->events_filter);
  g_clear_object (&self->notifications_filter);
  g_clear_pointer (&self->owner_filter, g_free);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (dbt_live_page_parent_class)->dispose (object);
}

static void
dbt_live_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DbtLivePage *self = DBT_LIVE_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_live_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DbtLivePage *self = DBT_LIVE_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      dbt_page_set_connection_property (DBT_PAGE (self), &self->connection, value);
      break;
    case PROP_PAUSED:
      set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
load_css (void)
{
  static gsize loaded = 0;

  if (g_once_init_enter (&loaded))
    {
      GtkCssProvider *provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, RESOURCE_PATH "/dbt-live-page.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_object_unref (provider);
      g_once_init_leave (&loaded, 1);
    }
}

static void
dbt_live_page_class_init (DbtLivePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbt_live_page_dispose;
  object_class->get_property = dbt_live_page_get_property;
  object_class->set_property = dbt_live_page_set_property;
  widget_class->map = dbt_live_page_map;
  widget_class->unmap = dbt_live_page_unmap;
  dbt_page_install_properties (object_class, PROP_CONNECTION);

  /* While paused, new rows are held and shown on resume. */
  paused_pspec = g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_PAUSED, paused_pspec);

  g_type_ensure (DBT_TYPE_DEAD_LETTER_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/dbt-live-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, insert_toggle);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, modify_toggle);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, remove_toggle);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, owner_entry);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, start_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, rate_label);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, events_box);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, notifications_box);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, events_count_label);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, notifications_count_label);
  gtk_widget_class_bind_template_child (widget_class, DbtLivePage, dead_letter_panel);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, owner_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, start_changed_cb);

  gtk_widget_class_install_property_action (widget_class, "live.paused", "paused");
  gtk_widget_class_install_action (widget_class, "live.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "live.jump", NULL, jump_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "live.paused", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "live.clear", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "live.jump", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dbtlivepage");
}

static void
dbt_live_page_init (DbtLivePage *self)
{
  load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->session_stale = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (self->show_event); i++)
    self->show_event[i] = TRUE;

  self->events_list = DBT_LIVE_LIST (dbt_live_list_new (DBT_TYPE_LIVE_EVENT, DBT_LIVE_LIST_DEFAULT_CAP));
  gtk_widget_set_vexpand (GTK_WIDGET (self->events_list), TRUE);
  dbt_live_list_set_placeholder (self->events_list,
                                 _("Changes to the table’s items appear here as the stream delivers them."));
  build_events_columns (dbt_live_list_get_column_view (self->events_list));
  self->events_filter = gtk_custom_filter_new (event_matches, self, NULL);
  dbt_live_list_set_filter (self->events_list, GTK_FILTER (self->events_filter));
  g_signal_connect_swapped (self->events_list, "changed", G_CALLBACK (list_changed_cb), self);
  gtk_box_append (self->events_box, GTK_WIDGET (self->events_list));

  self->notifications_list = DBT_LIVE_LIST (dbt_live_list_new (DBT_TYPE_LIVE_NOTIFICATION, DBT_LIVE_LIST_DEFAULT_CAP));
  gtk_widget_set_vexpand (GTK_WIDGET (self->notifications_list), TRUE);
  dbt_live_list_set_placeholder (self->notifications_list,
                                 _("Notifications sent to owners appear here: from the notification log, and on the local stack from its outbox."));
  build_notifications_columns (dbt_live_list_get_column_view (self->notifications_list));
  self->notifications_filter = gtk_custom_filter_new (notification_matches, self, NULL);
  dbt_live_list_set_filter (self->notifications_list, GTK_FILTER (self->notifications_filter));
  dbt_live_list_set_merge (self->notifications_list, notification_key, notification_merge);
  g_signal_connect_swapped (self->notifications_list, "changed", G_CALLBACK (list_changed_cb), self);
  gtk_box_append (self->notifications_box, GTK_WIDGET (self->notifications_list));

  update_counts (self);
}

GtkWidget *
dbt_live_page_new (void)
{
  return g_object_new (DBT_TYPE_LIVE_PAGE, NULL);
}

DbtLiveList *
dbt_live_page_get_events_list (DbtLivePage *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_PAGE (self), NULL);
  return self->events_list;
}

DbtLiveList *
dbt_live_page_get_notifications_list (DbtLivePage *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_PAGE (self), NULL);
  return self->notifications_list;
}

DbtDeadLetterPanel *
dbt_live_page_get_dead_letter_panel (DbtLivePage *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_PAGE (self), NULL);
  return self->dead_letter_panel;
}

DbtStreamWatcher *
dbt_live_page_get_watcher (DbtLivePage *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_PAGE (self), NULL);
  return self->watcher;
}

gboolean
dbt_live_page_is_ready (DbtLivePage *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_PAGE (self), FALSE);
  return self->ready;
}

const char *
dbt_live_page_get_problem (DbtLivePage *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_PAGE (self), NULL);
  return self->problem;
}
