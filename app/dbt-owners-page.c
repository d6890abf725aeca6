/* dbt-owners-page.c — the Owners page of the main window. */
#include "dbt-config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dbt-email.h"
#include "dbt-owners-model.h"
#include "dbt-owners-page.h"
#include "dbt-subscribe-dialog.h"
#include "dbt-window.h"

struct _DbtOwnersPage
{
  GtkWidget parent_instance;

  DbtConnection   *connection;
  DbtSession      *session;
  DbtOwnersReport *report;
  GError          *load_error;
  GCancellable    *load_cancellable;    /* session + gathering */
  GCancellable    *change_cancellable;  /* subscribe, resend, unsubscribe */
  GPtrArray       *known_arns;          /* ARNs Subscribe returned (char*) */
  GPtrArray       *rows;                /* rows in the groups (GtkWidget*) */
  gboolean         loading;
  gboolean         needs_load;          /* the connection changed while hidden */
  gboolean         subscribe_when_loaded;
  guint            n_changes;           /* subscription changes running */

  /* template children */
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkLabel             *summary_label;
  GtkSpinner           *spinner;
  GtkButton            *subscribe_me_button;
  GtkButton            *refresh_button;
  GtkStack             *content_stack;
  AdwStatusPage        *status_page;
  GtkSpinner           *loading_spinner;
  AdwPreferencesGroup  *unfiltered_group;
  AdwPreferencesGroup  *pending_group;
  AdwPreferencesGroup  *owners_group;
  GtkLabel             *no_match_label;
};

static void dbt_owners_page_page_init (DbtPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DbtOwnersPage, dbt_owners_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (DBT_TYPE_PAGE, dbt_owners_page_page_init))

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

#define SEARCH_TEXT_KEY "dbt-search-text"

static void start_load (DbtOwnersPage *self);

/* Busy state */

static void
update_busy (DbtOwnersPage *self)
{
  gboolean busy = self->loading || self->n_changes > 0;

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy && self->report != NULL);
  gtk_spinner_set_spinning (self->spinner, busy && self->report != NULL);
  gtk_spinner_set_spinning (self->loading_spinner, self->loading && self->report == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh_button), !self->loading);
}

gboolean
dbt_owners_page_is_busy (DbtOwnersPage *self)
{
  g_return_val_if_fail (DBT_IS_OWNERS_PAGE (self), FALSE);

  return self->loading || self->n_changes > 0;
}

static void
report_error (DbtOwnersPage *self,
              const GError  *error)
{
  DbtWindow *window = dbt_window_for_widget (GTK_WIDGET (self));

  if (window != NULL)
    dbt_window_show_error (window, error);
  else
    g_warning ("%s", error->message);
}

static void
show_toast (DbtOwnersPage *self,
            const char    *message)
{
  DbtWindow *window = dbt_window_for_widget (GTK_WIDGET (self));

  if (window != NULL)
    dbt_window_show_toast (window, message);
}

/* Status (no connection, error, empty) */

static void
show_status (DbtOwnersPage *self,
             const char    *icon_name,
             const char    *title,
             const char    *description)
{
  g_autofree char *escaped = description != NULL ? g_markup_escape_text (description, -1) : NULL;

  adw_status_page_set_icon_name (self->status_page, icon_name);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, escaped);
  gtk_stack_set_visible_child_name (self->content_stack, "status");
}

static void
show_no_connection (DbtOwnersPage *self)
{
  adw_status_page_set_icon_name (self->status_page, "system-users-symbolic");
  adw_status_page_set_title (self->status_page, _("Owners"));
  dbt_page_describe_connection (self->status_page,
                                _("The owners of the items and their email subscriptions. An owner is notified once their subscription is confirmed."),
                                self->connection);
  gtk_stack_set_visible_child_name (self->content_stack, "status");
  gtk_label_set_text (self->summary_label, "");
}

/* Rows */

static void
clear_rows (DbtOwnersPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

static void
add_row (DbtOwnersPage       *self,
         AdwPreferencesGroup *group,
         GtkWidget           *row,
         const char          *search_text)
{
  g_object_set_data_full (G_OBJECT (row), SEARCH_TEXT_KEY, g_utf8_casefold (search_text, -1), g_free);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
}

static const DbtOwnerSubscription *
subscription_for_widget (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), "dbt-subscription");
}

static const char *
owner_for_widget (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), "dbt-owner-id");
}

static char *
subscription_status_text (const DbtOwnerSubscription *subscription)
{
  if (subscription->pending)
    return g_strdup (_("Pending confirmation"));
  if (subscription->authenticated == 1)
    return g_strdup (_("Confirmed · authenticated"));
  return g_strdup (_("Confirmed"));
}

static void unsubscribe_clicked_cb (DbtOwnersPage *self, GtkButton *button);
static void resend_clicked_cb (DbtOwnersPage *self, GtkButton *button);

/* One address of an owner, or of the warning groups. */
static GtkWidget *
subscription_row_new (DbtOwnersPage              *self,
                      const DbtOwnerSubscription *subscription,
                      const char                 *subtitle_extra)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  g_autofree char *status = subscription_status_text (subscription);
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), subscription->endpoint);
  subtitle = subtitle_extra != NULL ? g_strdup_printf ("%s · %s", status, subtitle_extra) : g_strdup (status);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  g_object_set_data_full (G_OBJECT (row), "dbt-subscription",
                          dbt_owner_subscription_copy (subscription),
                          (GDestroyNotify) dbt_owner_subscription_free);

  icon = gtk_image_new_from_icon_name (subscription->pending ? "mail-send-symbolic" : "emblem-ok-symbolic");
  gtk_widget_add_css_class (icon, subscription->pending ? "dim-label" : "success");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (subscription->pending)
    {
      gtk_widget_set_tooltip_text (row, _("Waiting for the address’s holder to click the link in the confirmation email. SNS cannot remove a pending subscription: it deletes it after 48 hours unless it is confirmed."));
      /* Resending needs the owner's filter, known only with the ARN. */
      if (subscription->subscription_arn != NULL && subscription->owner_id != NULL)
        {
          GtkWidget *resend = gtk_button_new_with_mnemonic (_("_Resend Confirmation"));

          gtk_widget_set_valign (resend, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (resend, _("SNS has no call to resend a confirmation: this subscribes the address again with the same owner filter, and SNS answers a pending subscription with a new confirmation email."));
          g_object_set_data (G_OBJECT (resend), "dbt-subscription-row", row);
          g_signal_connect_swapped (resend, "clicked", G_CALLBACK (resend_clicked_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), resend);
        }
    }
  else if (subscription->subscription_arn != NULL)
    {
      GtkWidget *unsubscribe = gtk_button_new_with_mnemonic (_("_Unsubscribe…"));

      if (subscription->authenticated == 1)
        gtk_widget_set_tooltip_text (row, _("The confirmation was authenticated: only the topic’s owner can remove this subscription, the unsubscribe link in the emails does not."));
      gtk_widget_set_valign (unsubscribe, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (unsubscribe, _("Stop sending notifications to this address"));
      g_object_set_data (G_OBJECT (unsubscribe), "dbt-subscription-row", row);
      g_signal_connect_swapped (unsubscribe, "clicked", G_CALLBACK (unsubscribe_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), unsubscribe);
    }
  return row;
}

static void open_subscribe_dialog (DbtOwnersPage *self, const char *owner_id);

static void
subscribe_row_activated_cb (DbtOwnersPage *self,
                            AdwActionRow  *row)
{
  open_subscribe_dialog (self, owner_for_widget (GTK_WIDGET (row)));
}

static char *
owner_subtitle (const DbtOwnersReport *report,
                const DbtOwner        *owner)
{
  GString *subtitle = g_string_new (NULL);
  guint n_addresses = owner->subscriptions->len;
  guint n_pending = n_addresses - owner->n_confirmed;
  guint n_items = (guint) MIN (owner->n_items, G_MAXUINT);

  if (report->has_table)
    {
      g_string_append_printf (subtitle, ngettext ("%u item", "%u items", n_items), n_items);
      g_string_append (subtitle, " · ");
    }
  if (n_addresses == 0)
    g_string_append (subtitle, _("no address"));
  else
    g_string_append_printf (subtitle, ngettext ("%u address", "%u addresses", n_addresses), n_addresses);
  if (n_pending > 0)
    {
      g_string_append (subtitle, ", ");
      g_string_append_printf (subtitle, ngettext ("%u pending", "%u pending", n_pending), n_pending);
    }
  return g_string_free (subtitle, FALSE);
}

static GtkWidget *
owner_row_new (DbtOwnersPage  *self,
               const DbtOwner *owner)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *avatar = adw_avatar_new (32, owner->id, TRUE);
  GtkWidget *add_row_widget;
  g_autofree char *subtitle = owner_subtitle (self->report, owner);
  GString *search = g_string_new (owner->id);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), owner->id);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), avatar);
  g_object_set_data_full (G_OBJECT (row), "dbt-owner-id", g_strdup (owner->id), g_free);

  if (!dbt_owner_is_notified (owner))
    {
      gboolean has_items = owner->n_items > 0 || !self->report->has_table;
      GtkWidget *badge = gtk_label_new (has_items ? _("Not notified") : _("Awaiting confirmation"));

      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (badge, "caption-heading");
      gtk_widget_add_css_class (badge, has_items ? "warning" : "dim-label");
      gtk_widget_set_tooltip_text (badge,
                                   has_items
                                   ? _("No confirmed address: changes to this owner’s items reach nobody.")
                                   : _("No confirmed address yet."));
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), badge);
    }

  for (guint i = 0; i < owner->subscriptions->len; i++)
    {
      const DbtOwnerSubscription *subscription = g_ptr_array_index (owner->subscriptions, i);

      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), subscription_row_new (self, subscription, NULL));
      g_string_append_printf (search, "\n%s", subscription->endpoint);
    }

  add_row_widget = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (add_row_widget), _("Subscribe an Address…"));
  adw_action_row_add_prefix (ADW_ACTION_ROW (add_row_widget), gtk_image_new_from_icon_name ("list-add-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (add_row_widget), TRUE);
  g_object_set_data_full (G_OBJECT (add_row_widget), "dbt-owner-id", g_strdup (owner->id), g_free);
  g_signal_connect_swapped (add_row_widget, "activated", G_CALLBACK (subscribe_row_activated_cb), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), add_row_widget);

  g_object_set_data_full (G_OBJECT (row), SEARCH_TEXT_KEY "-raw", g_string_free (search, FALSE), g_free);
  return row;
}

/* Search */

static void
apply_search (DbtOwnersPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = g_utf8_casefold (text, -1);
  guint n_owner_rows = 0, n_owner_visible = 0;
  guint n_unfiltered = 0, n_pending = 0;

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      const char *haystack = g_object_get_data (G_OBJECT (row), SEARCH_TEXT_KEY);
      gboolean visible = *needle == '\0' || strstr (haystack, needle) != NULL;
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      gtk_widget_set_visible (row, visible);
      if (group == GTK_WIDGET (self->owners_group))
        {
          const char *owner_id = owner_for_widget (row);
          g_autofree char *folded_id = g_utf8_casefold (owner_id != NULL ? owner_id : "", -1);

          /* A match in an address only: show that address. */
          if (visible && *needle != '\0' && strstr (folded_id, needle) == NULL)
            adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
          n_owner_rows++;
          n_owner_visible += visible;
        }
      else if (group == GTK_WIDGET (self->unfiltered_group))
        n_unfiltered += visible;
      else if (group == GTK_WIDGET (self->pending_group))
        n_pending += visible;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->unfiltered_group), n_unfiltered > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->pending_group), n_pending > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->owners_group), n_owner_visible > 0);

  if (n_owner_visible == 0 && n_unfiltered == 0 && n_pending == 0 && *needle != '\0')
    {
      /* Translators: %s is what the user searched for. */
      g_autofree char *message = g_strdup_printf (_("No owner or address matches “%s”."), text);

      gtk_label_set_text (self->no_match_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->no_match_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->no_match_label), FALSE);
}

static void
search_changed_cb (DbtOwnersPage *self)
{
  apply_search (self);
}

static void
stop_search_cb (DbtOwnersPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

/* Showing a report */

static void
update_summary (DbtOwnersPage *self)
{
  DbtOwnersReport *report = self->report;
  GString *summary = g_string_new (NULL);
  guint n_owners = report->owners->len;
  guint n_not_notified = 0;

  for (guint i = 0; i < n_owners; i++)
    {
      DbtOwner *owner = g_ptr_array_index (report->owners, i);

      if (!dbt_owner_is_notified (owner) && (owner->n_items > 0 || !report->has_table))
        n_not_notified++;
    }

  g_string_append_printf (summary, ngettext ("%u owner", "%u owners", n_owners), n_owners);
  if (n_not_notified > 0)
    {
      g_string_append (summary, " · ");
      g_string_append_printf (summary, ngettext ("%u not notified", "%u not notified", n_not_notified),
                              n_not_notified);
    }
  if (report->has_table && report->n_items_without_owner > 0)
    {
      guint n = (guint) MIN (report->n_items_without_owner, G_MAXUINT);

      g_string_append (summary, " · ");
      g_string_append_printf (summary, ngettext ("%u item without owner", "%u items without owner", n), n);
    }
  gtk_label_set_text (self->summary_label, summary->str);
  g_string_free (summary, TRUE);
}

static void
show_report (DbtOwnersPage *self)
{
  DbtOwnersReport *report = self->report;
  g_autofree char *description = NULL;

  clear_rows (self);
  update_summary (self);

  if (report->owners->len == 0 && report->unfiltered->len == 0 && report->pending_unknown->len == 0)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is the name of the owner attribute, such as “owner”. */
      text = g_strdup_printf (_("No item has an “%s” attribute and nobody is subscribed to the notifications yet. Owners appear here once their items are written or their address is subscribed."),
                              self->session->owner_attribute);
      show_status (self, "system-users-symbolic", _("No Owners Yet"), text);
      return;
    }

  for (guint i = 0; i < report->unfiltered->len; i++)
    {
      const DbtOwnerSubscription *subscription = g_ptr_array_index (report->unfiltered, i);
      g_autofree char *extra = subscription->filter_policy != NULL
        /* Translators: %s is an SNS filter policy in JSON. */
        ? g_strdup_printf (_("filter %s"), subscription->filter_policy)
        : g_strdup (_("no filter policy"));
      GtkWidget *row = subscription_row_new (self, subscription, extra);
      GtkWidget *warning = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (warning, "warning");
      gtk_widget_set_tooltip_text (warning, _("Receives every owner’s messages"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), warning);
      add_row (self, self->unfiltered_group, row, subscription->endpoint);
    }

  for (guint i = 0; i < report->pending_unknown->len; i++)
    {
      const DbtOwnerSubscription *subscription = g_ptr_array_index (report->pending_unknown, i);

      add_row (self, self->pending_group,
               subscription_row_new (self, subscription, _("owner shown once confirmed")),
               subscription->endpoint);
    }

  for (guint i = 0; i < report->owners->len; i++)
    {
      const DbtOwner *owner = g_ptr_array_index (report->owners, i);
      GtkWidget *row = owner_row_new (self, owner);

      add_row (self, self->owners_group, row, g_object_get_data (G_OBJECT (row), SEARCH_TEXT_KEY "-raw"));
    }

  if (report->has_topic)
    description = g_strdup (_("An owner is notified at their confirmed addresses, and only about their own items."));
  else
    description = g_strdup (_("No notification topic was found for this connection: nobody is notified."));
  adw_preferences_group_set_description (self->owners_group, description);

  apply_search (self);
  gtk_stack_set_visible_child_name (self->content_stack, "list");
}

/* Loading */

static void
gather_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DbtOwnersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  DbtOwnersReport *report;

  report = dbt_owners_gather_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  if (report == NULL)
    {
      g_clear_error (&self->load_error);
      self->load_error = g_error_copy (error);
      if (self->report != NULL)
        report_error (self, error);
      else
        show_status (self, "dialog-error-symbolic", _("Cannot Load the Owners"), error->message);
      self->subscribe_when_loaded = FALSE;
      update_busy (self);
      return;
    }

  g_clear_pointer (&self->report, dbt_owners_report_free);
  self->report = report;
  show_report (self);
  update_busy (self);

  if (self->subscribe_when_loaded)
    {
      self->subscribe_when_loaded = FALSE;
      open_subscribe_dialog (self, NULL);
    }
}

static const char *const *
known_arns (DbtOwnersPage *self)
{
  /* The array keeps a NULL at its end. */
  return (const char *const *) self->known_arns->pdata;
}

static void
session_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DbtOwnersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  DbtSession *session;

  session = dbt_session_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (session == NULL)
    {
      self->loading = FALSE;
      g_clear_error (&self->load_error);
      self->load_error = g_error_copy (error);
      g_clear_pointer (&self->report, dbt_owners_report_free);
      clear_rows (self);
      gtk_label_set_text (self->summary_label, "");
      show_status (self, "network-error-symbolic", _("Cannot Connect"), error->message);
      self->subscribe_when_loaded = FALSE;
      update_busy (self);
      return;
    }

  g_clear_pointer (&self->session, dbt_session_unref);
  self->session = session;
  dbt_owners_gather_async (session, known_arns (self), self->load_cancellable,
                           gather_cb, g_object_ref (self));
}

static void
start_load (DbtOwnersPage *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->needs_load = FALSE;

  if (self->connection == NULL)
    {
      self->loading = FALSE;
      show_no_connection (self);
      update_busy (self);
      return;
    }

  self->load_cancellable = g_cancellable_new ();
  self->loading = TRUE;
  if (self->report == NULL)
    gtk_stack_set_visible_child_name (self->content_stack, "loading");
  update_busy (self);
  dbt_session_load_async (self->connection, self->load_cancellable, session_cb, g_object_ref (self));
}

/* A new connection: forget everything of the old one. */
static void
dbt_owners_page_connection_changed (DbtPage *page)
{
  DbtOwnersPage *self = DBT_OWNERS_PAGE (page);

  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->change_cancellable);
  g_clear_object (&self->change_cancellable);
  self->change_cancellable = g_cancellable_new ();
  self->n_changes = 0;
  self->loading = FALSE;
  self->subscribe_when_loaded = FALSE;
  g_clear_pointer (&self->session, dbt_session_unref);
  g_clear_pointer (&self->report, dbt_owners_report_free);
  g_clear_error (&self->load_error);
  g_ptr_array_set_size (self->known_arns, 0);
  g_ptr_array_add (self->known_arns, NULL);
  clear_rows (self);

  if (self->connection == NULL)
    {
      show_no_connection (self);
      update_busy (self);
      return;
    }

  gtk_label_set_text (self->summary_label, "");
  gtk_stack_set_visible_child_name (self->content_stack, "loading");
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    start_load (self);
  else
    self->needs_load = TRUE;
  update_busy (self);
}

static void
remember_arn (DbtOwnersPage *self,
              const char    *arn)
{
  if (arn == NULL || g_strv_contains (known_arns (self), arn))
    return;
  /* Keep the NULL at the end. */
  g_ptr_array_insert (self->known_arns, self->known_arns->len - 1, g_strdup (arn));
}

/* Subscribing */

static void
dialog_subscribed_cb (DbtOwnersPage              *self,
                      const DbtOwnerSubscription *subscription,
                      DbtSubscribeDialog         *dialog)
{
  remember_arn (self, subscription->subscription_arn);
  start_load (self);
}

static void
open_subscribe_dialog (DbtOwnersPage *self,
                       const char    *owner_id)
{
  g_autoptr(GStrvBuilder) owner_ids = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  DbtSubscribeDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->session == NULL)
    {
      if (self->loading)
        self->subscribe_when_loaded = TRUE;
      else if (self->load_error != NULL)
        report_error (self, self->load_error);
      else if (self->connection != NULL)
        {
          self->subscribe_when_loaded = TRUE;
          start_load (self);
        }
      return;
    }

  for (guint i = 0; self->report != NULL && i < self->report->owners->len; i++)
    g_strv_builder_add (owner_ids, ((DbtOwner *) g_ptr_array_index (self->report->owners, i))->id);
  ids = g_strv_builder_end (owner_ids);

  dialog = dbt_subscribe_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                     self->session, (const char *const *) ids, owner_id);
  g_signal_connect_object (dialog, "subscribed", G_CALLBACK (dialog_subscribed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
dbt_owners_page_subscribe_me (DbtOwnersPage *self)
{
  g_return_if_fail (DBT_IS_OWNERS_PAGE (self));

  open_subscribe_dialog (self, NULL);
}

static void
dbt_owners_page_subscribe_me_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  dbt_owners_page_subscribe_me (DBT_OWNERS_PAGE (widget));
}

/* Resending and unsubscribing */

static void
change_done (DbtOwnersPage *self)
{
  if (self->n_changes > 0)
    self->n_changes--;
  update_busy (self);
}

static void
resend_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DbtOwnersPage) self = user_data;
  g_autoptr(DbtOwnerSubscription) subscription = NULL;
  g_autoptr(GError) error = NULL;

  subscription = dbt_owners_subscribe_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  change_done (self);

  if (subscription == NULL)
    {
      report_error (self, error);
      return;
    }

  remember_arn (self, subscription->subscription_arn);
  if (subscription->pending)
    {
      /* Translators: %s is an email address. */
      g_autofree char *message = g_strdup_printf (_("Confirmation email sent again to %s"), subscription->endpoint);

      show_toast (self, message);
    }
  else
    {
      /* Translators: %s is an email address. */
      g_autofree char *message = g_strdup_printf (_("%s is confirmed already"), subscription->endpoint);

      show_toast (self, message);
    }
  start_load (self);
}

static void
resend_clicked_cb (DbtOwnersPage *self,
                   GtkButton     *button)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "dbt-subscription-row");
  const DbtOwnerSubscription *subscription = subscription_for_widget (row);

  if (self->session == NULL || subscription == NULL || subscription->owner_id == NULL)
    return;

  self->n_changes++;
  update_busy (self);
  dbt_owners_subscribe_async (self->session, subscription->owner_id, subscription->endpoint,
                              DBT_SUBSCRIBE_RESEND, self->change_cancellable,
                              resend_cb, g_object_ref (self));
}

typedef struct
{
  DbtOwnersPage        *self;
  DbtOwnerSubscription *subscription;
} UnsubscribeRequest;

static UnsubscribeRequest *
unsubscribe_request_new (DbtOwnersPage              *self,
                         const DbtOwnerSubscription *subscription)
{
  UnsubscribeRequest *request = g_new0 (UnsubscribeRequest, 1);

  request->self = g_object_ref (self);
  request->subscription = dbt_owner_subscription_copy (subscription);
  return request;
}

static void
unsubscribe_request_free (UnsubscribeRequest *request)
{
  g_object_unref (request->self);
  dbt_owner_subscription_free (request->subscription);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UnsubscribeRequest, unsubscribe_request_free)

static void
unsubscribe_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(UnsubscribeRequest) request = user_data;
  DbtOwnersPage *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!dbt_owners_unsubscribe_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      change_done (self);
      report_error (self, error);
      return;
    }

  change_done (self);
  /* Translators: %s is an email address. */
  message = g_strdup_printf (_("%s is unsubscribed"), request->subscription->endpoint);
  show_toast (self, message);
  start_load (self);
}

static void
unsubscribe_response_cb (AdwMessageDialog   *dialog,
                         const char         *response,
                         UnsubscribeRequest *request)
{
  DbtOwnersPage *self = request->self;

  if (!g_str_equal (response, "unsubscribe") || self->session == NULL)
    return;

  self->n_changes++;
  update_busy (self);
  dbt_owners_unsubscribe_async (self->session, request->subscription->subscription_arn,
                                self->change_cancellable, unsubscribe_cb,
                                unsubscribe_request_new (self, request->subscription));
}

static gboolean
is_last_confirmed (DbtOwnersPage              *self,
                   const DbtOwnerSubscription *subscription)
{
  DbtOwner *owner;

  if (self->report == NULL || subscription->owner_id == NULL)
    return FALSE;
  owner = dbt_owners_report_find (self->report, subscription->owner_id);
  return owner != NULL && owner->n_confirmed == 1 && !subscription->pending;
}

static void
unsubscribe_clicked_cb (DbtOwnersPage *self,
                        GtkButton     *button)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "dbt-subscription-row");
  const DbtOwnerSubscription *subscription = subscription_for_widget (row);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  UnsubscribeRequest *request;
  GtkWidget *dialog;
  g_autofree char *body = NULL;

  if (subscription == NULL || subscription->subscription_arn == NULL)
    return;

  if (subscription->owner_id == NULL)
    body = g_strdup (_("The address will no longer receive any notification."));
  else if (is_last_confirmed (self, subscription))
    /* Translators: %s is an owner id. */
    body = g_strdup_printf (_("It is the only confirmed address of owner “%s”: afterwards, changes to their items reach nobody."),
                            subscription->owner_id);
  else
    /* Translators: %s is an owner id. */
    body = g_strdup_printf (_("Owner “%s” will no longer be notified at this address."),
                            subscription->owner_id);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL, body);
  /* Translators: %s is an email address. */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Unsubscribe %s?"), subscription->endpoint);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "unsubscribe", _("_Unsubscribe"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "unsubscribe",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  request = unsubscribe_request_new (self, subscription);
  g_signal_connect_data (dialog, "response", G_CALLBACK (unsubscribe_response_cb), request,
                         (GClosureNotify) (void (*) (void)) unsubscribe_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* DbtPage */

static void
dbt_owners_page_refresh (DbtPage *page)
{
  start_load (DBT_OWNERS_PAGE (page));
}

static gboolean
dbt_owners_page_search (DbtPage *page)
{
  DbtOwnersPage *self = DBT_OWNERS_PAGE (page);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return TRUE;
}

static void
dbt_owners_page_page_init (DbtPageInterface *iface)
{
  iface->refresh = dbt_owners_page_refresh;
  iface->search = dbt_owners_page_search;
  iface->connection_changed = dbt_owners_page_connection_changed;
}

/* GObject */

static void
dbt_owners_page_map (GtkWidget *widget)
{
  DbtOwnersPage *self = DBT_OWNERS_PAGE (widget);

  GTK_WIDGET_CLASS (dbt_owners_page_parent_class)->map (widget);

  if (self->needs_load)
    start_load (self);
}

static void
dbt_owners_page_dispose (GObject *object)
{
  DbtOwnersPage *self = DBT_OWNERS_PAGE (object);

  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->change_cancellable);
  if (self->rows != NULL)
    g_ptr_array_set_size (self->rows, 0);

  dbt_page_dispose_widgets (DBT_PAGE (self), DBT_TYPE_OWNERS_PAGE, &self->connection);

  G_OBJECT_CLASS (dbt_owners_page_parent_class)->dispose (object);
}

static void
dbt_owners_page_finalize (GObject *object)
{
  DbtOwnersPage *self = DBT_OWNERS_PAGE (object);

  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->change_cancellable);
  g_clear_pointer (&self->session, dbt_session_unref);
  g_clear_pointer (&self->report, dbt_owners_report_free);
  g_clear_error (&self->load_error);
  g_clear_pointer (&self->known_arns, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (dbt_owners_page_parent_class)->finalize (object);
}

static void
dbt_owners_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DbtOwnersPage *self = DBT_OWNERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_owners_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DbtOwnersPage *self = DBT_OWNERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      dbt_page_set_connection_property (DBT_PAGE (self), &self->connection, value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_owners_page_class_init (DbtOwnersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbt_owners_page_dispose;
  object_class->finalize = dbt_owners_page_finalize;
  object_class->get_property = dbt_owners_page_get_property;
  object_class->set_property = dbt_owners_page_set_property;
  dbt_page_install_properties (object_class, PROP_CONNECTION);
  widget_class->map = dbt_owners_page_map;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/dbt-owners-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, subscribe_me_button);
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, unfiltered_group);
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, pending_group);
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, owners_group);
  gtk_widget_class_bind_template_child (widget_class, DbtOwnersPage, no_match_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  gtk_widget_class_install_action (widget_class, "owners.subscribe-me", NULL,
                                   dbt_owners_page_subscribe_me_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dbtownerspage");
}

static void
dbt_owners_page_init (DbtOwnersPage *self)
{
  self->known_arns = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->known_arns, NULL);
  self->rows = g_ptr_array_new ();
  self->change_cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  show_no_connection (self);
  update_busy (self);
}

GtkWidget *
dbt_owners_page_new (void)
{
  return g_object_new (DBT_TYPE_OWNERS_PAGE, NULL);
}
