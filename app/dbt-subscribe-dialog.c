/* dbt-subscribe-dialog.c — an owner subscribes their address. */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-email.h"
#include "dbt-subscribe-dialog.h"

struct _DbtSubscribeDialog
{
  AdwWindow parent_instance;

  DbtSession    *session;
  char          *fixed_owner_id;   /* subscribing for a given owner, or NULL */
  GCancellable  *cancellable;
  gboolean       busy;

  /* template children */
  AdwWindowTitle *window_title;
  GtkButton      *cancel_button;
  GtkButton      *subscribe_button;
  GtkSpinner     *spinner;
  GtkStack       *stack;
  GtkWidget      *form_box;
  GtkLabel       *intro_label;
  AdwEntryRow    *owner_row;
  GtkMenuButton  *owner_menu_button;
  GtkLabel       *owner_error_label;
  AdwEntryRow    *email_row;
  GtkLabel       *email_error_label;
  AdwActionRow   *scope_row;
  GtkLabel       *error_label;
  AdwStatusPage  *done_page;
  GtkButton      *done_button;
};

G_DEFINE_FINAL_TYPE (DbtSubscribeDialog, dbt_subscribe_dialog, ADW_TYPE_WINDOW)

enum {
  SUBSCRIBED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_field_error (GtkWidget  *row,
                  GtkLabel   *label,
                  const char *message)
{
  if (message != NULL)
    {
      gtk_label_set_text (label, message);
      gtk_widget_add_css_class (row, "error");
    }
  else
    gtk_widget_remove_css_class (row, "error");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
clear_errors (DbtSubscribeDialog *self)
{
  show_field_error (GTK_WIDGET (self->owner_row), self->owner_error_label, NULL);
  show_field_error (GTK_WIDGET (self->email_row), self->email_error_label, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static char *
dup_owner_id (DbtSubscribeDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->owner_row))));
}

static void
update_scope_row (DbtSubscribeDialog *self)
{
  g_autofree char *owner_id = dup_owner_id (self);
  g_autofree char *subtitle = NULL;

  if (*owner_id == '\0')
    subtitle = g_strdup (_("Items whose owner attribute holds your owner id: when they are created, changed or removed. Nothing about anyone else’s items."));
  else
    /* Translators: %s is an owner id. */
    subtitle = g_strdup_printf (_("Items whose owner is “%s”: when they are created, changed or removed. Nothing about anyone else’s items."),
                                owner_id);
  adw_action_row_set_subtitle (self->scope_row, subtitle);
}

static void
set_busy (DbtSubscribeDialog *self,
          gboolean            busy)
{
  self->busy = busy;
  /* Focus leaves the form first: a focused text made insensitive never
   * hears that it lost the focus. */
  if (busy)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (self->form_box, !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "subscribe.submit", !busy);
}

static void
show_done (DbtSubscribeDialog         *self,
           const DbtOwnerSubscription *subscription)
{
  g_autofree char *description = NULL;

  if (subscription->pending)
    {
      adw_status_page_set_title (self->done_page, _("Check Your Inbox"));
      adw_status_page_set_icon_name (self->done_page, "mail-send-symbolic");
      /* Translators: %s is an email address. */
      description = g_markup_printf_escaped (_("A confirmation email is on its way to <b>%s</b>. Open it and click the confirmation link: until then you receive nothing. The link is valid for 48 hours."),
                                             subscription->endpoint);
    }
  else
    {
      adw_status_page_set_title (self->done_page, _("You Are Subscribed"));
      adw_status_page_set_icon_name (self->done_page, "emblem-ok-symbolic");
      /* Translators: the first %s is an email address, the second an owner id. */
      description = g_markup_printf_escaped (_("The subscription of <b>%s</b> is confirmed: it receives an email whenever an item of owner <b>%s</b> changes."),
                                             subscription->endpoint, subscription->owner_id);
    }
  adw_status_page_set_description (self->done_page, description);

  gtk_widget_set_visible (GTK_WIDGET (self->subscribe_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "done");
  gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
}

static void
subscribe_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DbtSubscribeDialog) self = user_data;
  g_autoptr(DbtOwnerSubscription) subscription = NULL;
  g_autoptr(GError) error = NULL;

  subscription = dbt_owners_subscribe_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);

  if (subscription == NULL)
    {
      if (error->domain == DBT_EMAIL_ERROR
          || g_error_matches (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_DUPLICATE)
          || g_error_matches (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_PENDING)
          || g_error_matches (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_ADDRESS_TAKEN))
        {
          show_field_error (GTK_WIDGET (self->email_row), self->email_error_label, error->message);
          gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
        }
      else if (g_error_matches (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_INVALID_OWNER))
        {
          show_field_error (GTK_WIDGET (self->owner_row), self->owner_error_label, error->message);
          gtk_widget_grab_focus (GTK_WIDGET (self->owner_row));
        }
      else
        {
          gtk_label_set_text (self->error_label, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
        }
      return;
    }

  g_signal_emit (self, signals[SUBSCRIBED], 0, subscription);
  show_done (self, subscription);
}

static void
dbt_subscribe_dialog_submit (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  DbtSubscribeDialog *self = DBT_SUBSCRIBE_DIALOG (widget);
  g_autofree char *owner_id = dup_owner_id (self);
  g_autofree char *email = dbt_email_normalize (gtk_editable_get_text (GTK_EDITABLE (self->email_row)));
  g_autoptr(GError) owner_error = NULL;
  g_autoptr(GError) email_error = NULL;
  gboolean owner_ok, email_ok;

  if (self->busy || self->session == NULL)
    return;

  clear_errors (self);
  /* Check both fields before sending anything; show every problem at once. */
  owner_ok = dbt_owners_validate_owner_id (owner_id, &owner_error);
  email_ok = dbt_email_validate (email, &email_error);
  if (!owner_ok)
    show_field_error (GTK_WIDGET (self->owner_row), self->owner_error_label, owner_error->message);
  if (!email_ok)
    show_field_error (GTK_WIDGET (self->email_row), self->email_error_label, email_error->message);
  if (!owner_ok || !email_ok)
    {
      gtk_widget_grab_focus (GTK_WIDGET (!owner_ok ? self->owner_row : self->email_row));
      return;
    }

  /* Show what is sent: the trimmed forms. */
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);
  set_busy (self, TRUE);
  dbt_owners_subscribe_async (self->session, owner_id, email, DBT_SUBSCRIBE_NEW,
                              self->cancellable, subscribe_cb, g_object_ref (self));
}

static void
dbt_subscribe_dialog_pick_owner (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  DbtSubscribeDialog *self = DBT_SUBSCRIBE_DIALOG (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->owner_row), g_variant_get_string (param, NULL));
  gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
}

static void
owner_changed_cb (DbtSubscribeDialog *self)
{
  show_field_error (GTK_WIDGET (self->owner_row), self->owner_error_label, NULL);
  update_scope_row (self);
}

static void
email_changed_cb (DbtSubscribeDialog *self)
{
  show_field_error (GTK_WIDGET (self->email_row), self->email_error_label, NULL);
}

static void
owner_activated_cb (DbtSubscribeDialog *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
}

static void
email_activated_cb (DbtSubscribeDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "subscribe.submit", NULL);
}

static void
dbt_subscribe_dialog_dispose (GObject *object)
{
  DbtSubscribeDialog *self = DBT_SUBSCRIBE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DBT_TYPE_SUBSCRIBE_DIALOG);

  G_OBJECT_CLASS (dbt_subscribe_dialog_parent_class)->dispose (object);
}

static void
dbt_subscribe_dialog_finalize (GObject *object)
{
  DbtSubscribeDialog *self = DBT_SUBSCRIBE_DIALOG (object);

  g_clear_pointer (&self->session, dbt_session_unref);
  g_clear_object (&self->cancellable);
  g_free (self->fixed_owner_id);

  G_OBJECT_CLASS (dbt_subscribe_dialog_parent_class)->finalize (object);
}

static gboolean
dbt_subscribe_dialog_close_request (GtkWindow *window)
{
  /* Closing stops a subscription on its way (the answer is ignored). */
  g_cancellable_cancel (DBT_SUBSCRIBE_DIALOG (window)->cancellable);
  return GTK_WINDOW_CLASS (dbt_subscribe_dialog_parent_class)->close_request (window);
}

static void
dbt_subscribe_dialog_class_init (DbtSubscribeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = dbt_subscribe_dialog_dispose;
  object_class->finalize = dbt_subscribe_dialog_finalize;
  window_class->close_request = dbt_subscribe_dialog_close_request;

  /**
   * DbtSubscribeDialog::subscribed:
   * @subscription: (type gpointer): the DbtOwnerSubscription as SNS reports it
   */
  signals[SUBSCRIBED] = g_signal_new ("subscribed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/dbt-subscribe-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DbtSubscribeDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, DbtSubscribeDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DbtSubscribeDialog, subscribe_button);
  gtk_widget_class_bind_template_child (widget_class, DbtSubscribeDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, DbtSubscribeDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, DbtSubscribeDialog, form_box);
  gtk_widget_class_bind_template_child (widget_class, DbtSubscribeDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, DbtSubscribeDialog, owner_row);
  gtk_widget_class_bind_template_child (widget_class, DbtSubscribeDialog, owner_menu_button);
  gtk_widget_class_bind_template_child (widget_class, DbtSubscribeDialog, owner_error_label);
  gtk_widget_class_bind_template_child (widget_class, DbtSubscribeDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, DbtSubscribeDialog, email_error_label);
  gtk_widget_class_bind_template_child (widget_class, DbtSubscribeDialog, scope_row);
  gtk_widget_class_bind_template_child (widget_class, DbtSubscribeDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, DbtSubscribeDialog, done_page);
  gtk_widget_class_bind_template_child (widget_class, DbtSubscribeDialog, done_button);
  gtk_widget_class_bind_template_callback (widget_class, owner_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, email_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, owner_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, email_activated_cb);

  gtk_widget_class_install_action (widget_class, "subscribe.submit", NULL, dbt_subscribe_dialog_submit);
  gtk_widget_class_install_action (widget_class, "subscribe.pick-owner", "s", dbt_subscribe_dialog_pick_owner);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dbt_subscribe_dialog_init (DbtSubscribeDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

DbtSubscribeDialog *
dbt_subscribe_dialog_new (GtkWindow         *parent,
                          DbtSession        *session,
                          const char *const *owner_ids,
                          const char        *owner_id)
{
  DbtSubscribeDialog *self;
  g_autoptr(GMenu) menu = g_menu_new ();

  g_return_val_if_fail (session != NULL, NULL);

  self = g_object_new (DBT_TYPE_SUBSCRIBE_DIALOG,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->session = dbt_session_ref (session);
  self->fixed_owner_id = g_strdup (owner_id);

  for (guint i = 0; owner_ids != NULL && owner_ids[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (owner_ids[i], NULL);

      g_menu_item_set_action_and_target_value (item, "subscribe.pick-owner",
                                               g_variant_new_string (owner_ids[i]));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (self->owner_menu_button, G_MENU_MODEL (menu));
  gtk_widget_set_visible (GTK_WIDGET (self->owner_menu_button),
                          owner_id == NULL && owner_ids != NULL && owner_ids[0] != NULL);

  if (owner_id != NULL)
    {
      g_autofree char *intro = NULL;

      gtk_window_set_title (GTK_WINDOW (self), _("Subscribe an Address"));
      adw_window_title_set_title (self->window_title, _("Subscribe an Address"));
      adw_window_title_set_subtitle (self->window_title, owner_id);
      gtk_editable_set_text (GTK_EDITABLE (self->owner_row), owner_id);
      gtk_editable_set_editable (GTK_EDITABLE (self->owner_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->owner_row), FALSE);
      /* Translators: %s is an owner id. */
      intro = g_strdup_printf (_("The address will receive an email whenever an item of owner “%s” changes, once its holder has clicked the link in the confirmation email."),
                               owner_id);
      gtk_label_set_text (self->intro_label, intro);
      gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
    }
  else
    {
      g_autofree char *intro = NULL;

      /* Translators: %s is the name of the items' owner attribute, such as “owner”. */
      intro = g_strdup_printf (_("Get an email whenever one of your items changes. Your owner id is the value of the “%s” attribute on your items."),
                               session->owner_attribute);
      gtk_label_set_text (self->intro_label, intro);
      gtk_widget_grab_focus (GTK_WIDGET (self->owner_row));
    }
  update_scope_row (self);

  return self;
}
