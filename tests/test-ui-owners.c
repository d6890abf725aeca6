/* test-ui-owners.c — the Owners page and the "Subscribe My Email" dialog.
 *
 * Runs under tests/with-provisioned-stack.sh and run-ui-test.sh: Terraform
 * created the topic with email subscriptions for alice and bob (filter
 * policy {"owner":["<id>"]}); the test writes items for alice, bob and carol
 * (carol has no subscription) and one without owner, then drives the page
 * and the dialog as a user would and checks every outcome against what SNS
 * itself says (ListSubscriptionsByTopic, GetSubscriptionAttributes).
 */
#include "dbt-config.h"

#include <string.h>

#include "dbt-dynamodb.h"
#include "dbt-local-stack.h"
#include "dbt-owners-page.h"
#include "dbt-owners-model.h"
#include "dbt-page.h"
#include "dbt-session.h"
#include "dbt-sns.h"
#include "dbt-subscribe-dialog.h"
#include "dbt-ui-test.h"
#include "live-stack.h"

#define WAIT_MS 60000

static DbtAwsClient *client;
static char *table_name;
static char *topic_arn;

/* --- the stack, read directly ------------------------------------------- */

static void
put_item (const char *pk,
          const char *owner)
{
  g_autoptr(DbtItem) item = dbt_item_new ();
  g_autoptr(DbtValue) key = dbt_value_new_string (pk, NULL);
  g_autoptr(GError) error = NULL;

  dbt_item_set (item, "pk", key);
  if (owner != NULL)
    {
      g_autoptr(DbtValue) value = dbt_value_new_string (owner, NULL);

      dbt_item_set (item, "owner", value);
    }
  dbt_dynamodb_put_item (client, table_name, item, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static GPtrArray *
list_subscriptions (void)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *subscriptions = dbt_sns_list_all_subscriptions_by_topic (client, topic_arn, NULL, &error);

  g_assert_no_error (error);
  return subscriptions;
}

/* The ARN of @endpoint's subscription, or NULL. */
static char *
find_subscription (const char *endpoint)
{
  g_autoptr(GPtrArray) subscriptions = list_subscriptions ();

  for (guint i = 0; i < subscriptions->len; i++)
    {
      DbtSnsSubscription *subscription = g_ptr_array_index (subscriptions, i);

      if (g_str_equal (subscription->endpoint, endpoint))
        return g_strdup (subscription->subscription_arn);
    }
  return NULL;
}

static gboolean
has_subscription (const char *endpoint)
{
  g_autofree char *arn = find_subscription (endpoint);

  return arn != NULL;
}

static GHashTable *
subscription_attributes (const char *endpoint)
{
  g_autofree char *arn = find_subscription (endpoint);
  g_autoptr(GError) error = NULL;
  GHashTable *attributes;

  g_assert_nonnull (arn);
  attributes = dbt_sns_get_subscription_attributes (client, arn, NULL, &error);
  g_assert_no_error (error);
  return attributes;
}

/* The state the page must show for @endpoint, from SNS's own attributes. */
static const char *
expected_status (const char *endpoint)
{
  g_autoptr(GHashTable) attributes = subscription_attributes (endpoint);

  if (g_strcmp0 (g_hash_table_lookup (attributes, "PendingConfirmation"), "true") == 0)
    return "Pending confirmation";
  if (g_strcmp0 (g_hash_table_lookup (attributes, "ConfirmationWasAuthenticated"), "true") == 0)
    return "Confirmed · authenticated";
  return "Confirmed";
}

static gboolean
is_confirmed (const char *endpoint)
{
  g_autoptr(GHashTable) attributes = subscription_attributes (endpoint);

  return g_strcmp0 (g_hash_table_lookup (attributes, "PendingConfirmation"), "true") != 0;
}

/* --- widgets ------------------------------------------------------------ */

static GtkWidget *
find_row (GtkWidget  *root,
          GType       type,
          const char *title)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, type, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
owner_row (DbtOwnersPage *page,
           const char    *owner_id)
{
  return find_row (GTK_WIDGET (page), ADW_TYPE_EXPANDER_ROW, owner_id);
}

static GtkWidget *
address_row (GtkWidget  *owner,
             const char *endpoint)
{
  return find_row (owner, ADW_TYPE_ACTION_ROW, endpoint);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
page_is_idle (gpointer data)
{
  return !dbt_owners_page_is_busy (data);
}

static void
wait_idle (DbtOwnersPage *page)
{
  g_assert_true (dbt_ui_test_wait_until (page_is_idle, page, WAIT_MS));
  dbt_ui_test_iterate (50);
}

static GtkWidget *
content (DbtOwnersPage *page,
         const char    *id)
{
  GtkWidget *widget = dbt_ui_test_find_by_id (GTK_WIDGET (page), id);

  g_assert_nonnull (widget);
  return widget;
}

static DbtOwnersPage *
open_owners_page (DbtWindow **out_window)
{
  DbtWindow *window = dbt_ui_test_open_window ();
  DbtOwnersPage *page;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  dbt_window_set_page_name (window, "owners");
  page = DBT_OWNERS_PAGE (dbt_window_get_page (window, "owners"));
  dbt_ui_test_iterate (50);
  wait_idle (page);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (content (page, "content_stack"))), ==, "list");
  *out_window = window;
  return page;
}

static const char *
row_subtitle (GtkWidget *row)
{
  if (ADW_IS_EXPANDER_ROW (row))
    return adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row));
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static gboolean
has_not_notified_badge (GtkWidget *row)
{
  return dbt_ui_test_find_label (row, "Not notified") != NULL;
}

static DbtSubscribeDialog *
wait_for_dialog (void)
{
  DbtSubscribeDialog *dialog = NULL;

  for (guint i = 0; i < 500 && dialog == NULL; i++)
    {
      dialog = (DbtSubscribeDialog *) dbt_ui_test_find_toplevel (DBT_TYPE_SUBSCRIBE_DIALOG, NULL);
      if (dialog == NULL)
        dbt_ui_test_iterate (20);
    }
  g_assert_nonnull (dialog);
  dbt_ui_test_wait_for_draw (GTK_WIDGET (dialog));
  return dialog;
}

static GtkWidget *
dialog_child (DbtSubscribeDialog *dialog,
              const char         *id)
{
  GtkWidget *widget = dbt_ui_test_find_by_id (GTK_WIDGET (dialog), id);

  g_assert_nonnull (widget);
  return widget;
}

static void
set_field (DbtSubscribeDialog *dialog,
           const char         *id,
           const char         *text)
{
  gtk_editable_set_text (GTK_EDITABLE (dialog_child (dialog, id)), text);
}

static gboolean
dialog_done_or_error (gpointer data)
{
  DbtSubscribeDialog *dialog = data;
  GtkStack *stack = GTK_STACK (dialog_child (dialog, "stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "done") == 0
         || gtk_widget_get_visible (dialog_child (dialog, "email_error_label"))
         || gtk_widget_get_visible (dialog_child (dialog, "owner_error_label"))
         || gtk_widget_get_visible (dialog_child (dialog, "error_label"));
}

/* Submits with the keyboard (Enter in the email field) and waits for SNS. */
static void
submit (DbtSubscribeDialog *dialog)
{
  GtkWidget *email = dialog_child (dialog, "email_row");

  gtk_widget_grab_focus (email);
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (dialog), "Return"));
  g_assert_true (dbt_ui_test_wait_until (dialog_done_or_error, dialog, WAIT_MS));
  dbt_ui_test_iterate (50);
}

static const char *
field_error (DbtSubscribeDialog *dialog,
             const char         *label_id)
{
  GtkWidget *label = dialog_child (dialog, label_id);

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

/* The session the page works with, loaded the same way. */
static DbtSession *
load_session (DbtOwnersPage *page)
{
  g_autoptr(DbtConnectionSnapshot) snapshot =
    dbt_connection_snapshot_new (dbt_page_get_connection (DBT_PAGE (page)));
  g_autoptr(GError) error = NULL;
  DbtSession *session = dbt_session_load (snapshot, NULL, &error);

  g_assert_no_error (error);
  return session;
}

static gboolean
no_dialog (gpointer data)
{
  return dbt_ui_test_find_toplevel (DBT_TYPE_SUBSCRIBE_DIALOG, NULL) == NULL;
}

/* --- tests --------------------------------------------------------------- */

/* Owners from the table and from the Terraform-made subscriptions. */
static void
test_owners_listed (void)
{
  DbtWindow *window;
  DbtOwnersPage *page = open_owners_page (&window);
  GtkWidget *alice = owner_row (page, "alice");
  GtkWidget *bob = owner_row (page, "bob");
  GtkWidget *carol = owner_row (page, "carol");
  GtkWidget *alice_address, *bob_address;
  const char *summary;

  g_assert_nonnull (alice);
  g_assert_nonnull (bob);
  g_assert_nonnull (carol);

  /* Item counts and addresses. */
  g_assert_cmpstr (row_subtitle (alice), ==, "3 items · 1 address");
  g_assert_cmpstr (row_subtitle (bob), ==, "2 items · 1 address");
  g_assert_cmpstr (row_subtitle (carol), ==, "2 items · no address");

  /* Each address with the state SNS reports for it. */
  alice_address = address_row (alice, "alice@example.com");
  bob_address = address_row (bob, "bob@example.com");
  g_assert_nonnull (alice_address);
  g_assert_nonnull (bob_address);
  g_assert_null (address_row (alice, "bob@example.com"));
  g_assert_cmpstr (row_subtitle (alice_address), ==, expected_status ("alice@example.com"));
  g_assert_cmpstr (row_subtitle (bob_address), ==, expected_status ("bob@example.com"));

  /* carol's items change without anyone being told. */
  g_assert_true (has_not_notified_badge (carol));
  g_assert_false (has_not_notified_badge (alice) && is_confirmed ("alice@example.com"));
  g_assert_false (has_not_notified_badge (bob) && is_confirmed ("bob@example.com"));

  summary = gtk_label_get_text (GTK_LABEL (content (page, "summary_label")));
  g_assert_nonnull (strstr (summary, "3 owners"));
  g_assert_nonnull (strstr (summary, "1 not notified"));
  g_assert_nonnull (strstr (summary, "1 item without owner"));

  /* No subscription of the stack lacks an owner filter. */
  g_assert_false (gtk_widget_get_visible (content (page, "unfiltered_group")));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (alice), TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (carol), TRUE);
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (window), "owners-page"));
  dbt_ui_test_close_all ();
}

/* "Subscribe an Address…" for carol: an invalid address is refused at the
 * field without a request; a valid one is subscribed with carol's filter. */
static void
test_subscribe_for_owner (void)
{
  DbtWindow *window;
  DbtOwnersPage *page = open_owners_page (&window);
  g_autoptr(GPtrArray) before = list_subscriptions ();
  g_autoptr(GPtrArray) after_invalid = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GtkWidget *carol = owner_row (page, "carol");
  GtkWidget *add, *carol_address;
  DbtSubscribeDialog *dialog;
  const char *error;

  g_assert_false (has_subscription ("carol@example.com"));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (carol), TRUE);
  add = find_row (carol, ADW_TYPE_ACTION_ROW, "Subscribe an Address…");
  g_assert_nonnull (add);
  gtk_widget_activate (add);
  dialog = wait_for_dialog ();

  /* The owner is given and cannot be changed here. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dialog_child (dialog, "owner_row"))), ==, "carol");
  g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "owner_row")));

  /* Invalid: the error sits at the email field, and nothing was sent. */
  set_field (dialog, "email_row", "carol@@example.com");
  submit (dialog);
  error = field_error (dialog, "email_error_label");
  g_assert_nonnull (error);
  g_assert_cmpstr (error, ==, "An email address has exactly one “@”.");
  g_assert_true (gtk_widget_has_css_class (dialog_child (dialog, "email_row"), "error"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (dialog_child (dialog, "stack"))), ==, "form");
  dbt_ui_test_iterate (300);
  after_invalid = list_subscriptions ();
  g_assert_cmpuint (after_invalid->len, ==, before->len);
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (dialog), "owners-invalid-email"));

  set_field (dialog, "email_row", "carol smith@example.com");
  submit (dialog);
  g_assert_cmpstr (field_error (dialog, "email_error_label"), ==, "An email address cannot contain spaces.");

  /* Typing clears the error. */
  set_field (dialog, "email_row", "  carol@example.com ");
  g_assert_null (field_error (dialog, "email_error_label"));
  g_assert_false (gtk_widget_has_css_class (dialog_child (dialog, "email_row"), "error"));

  submit (dialog);
  g_assert_null (field_error (dialog, "email_error_label"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (dialog_child (dialog, "stack"))), ==, "done");

  /* SNS has it, with carol's filter on the message attributes. */
  attributes = subscription_attributes ("carol@example.com");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "Protocol"), ==, "email");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "FilterPolicyScope"), ==, "MessageAttributes");
  {
    g_autoptr(JsonNode) policy = json_from_string (g_hash_table_lookup (attributes, "FilterPolicy"), NULL);
    g_autoptr(JsonNode) expected = json_from_string ("{\"owner\":[\"carol\"]}", NULL);

    g_assert_nonnull (policy);
    g_assert_true (json_node_equal (policy, expected));
  }

  /* The dialog says what SNS says. */
  g_assert_nonnull (dbt_ui_test_find_label (GTK_WIDGET (dialog),
                                            is_confirmed ("carol@example.com")
                                            ? "You Are Subscribed" : "Check Your Inbox"));

  /* Done; the page shows carol's address and its state. */
  gtk_widget_activate (dialog_child (dialog, "done_button"));
  g_assert_true (dbt_ui_test_wait_until (no_dialog, NULL, 5000));
  dbt_ui_test_iterate (50);
  wait_idle (page);
  carol = owner_row (page, "carol");
  g_assert_nonnull (carol);
  carol_address = address_row (carol, "carol@example.com");
  g_assert_nonnull (carol_address);
  g_assert_cmpstr (row_subtitle (carol_address), ==, expected_status ("carol@example.com"));
  g_assert_cmpstr (row_subtitle (carol), ==,
                   is_confirmed ("carol@example.com") ? "2 items · 1 address" : "2 items · 1 address, 1 pending");
  g_assert_true (has_not_notified_badge (carol) != is_confirmed ("carol@example.com"));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (carol), TRUE);
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (window), "owners-subscribed"));
  dbt_ui_test_close_all ();
}

/* The same address again is refused, for the same owner and for another. */
static void
test_duplicate_refused (void)
{
  DbtWindow *window;
  DbtOwnersPage *page = open_owners_page (&window);
  g_autoptr(GPtrArray) before = list_subscriptions ();
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GHashTable) bob_attributes = NULL;
  DbtSubscribeDialog *dialog;
  const char *error;

  g_assert_true (has_subscription ("carol@example.com"));

  gtk_widget_activate (content (page, "subscribe_me_button"));
  dialog = wait_for_dialog ();

  /* carol picks her id from the owners found. */
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "owner_menu_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "subscribe.pick-owner", "s", "carol"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dialog_child (dialog, "owner_row"))), ==, "carol");

  /* Differently cased, still the same mailbox. */
  set_field (dialog, "email_row", "Carol@Example.com");
  submit (dialog);
  error = field_error (dialog, "email_error_label");
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "already subscribed for owner “carol”"));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (dialog), "owners-duplicate"));

  /* bob's address for carol: refused too (it would reroute bob's mail). */
  set_field (dialog, "email_row", "bob@example.com");
  submit (dialog);
  error = field_error (dialog, "email_error_label");
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "already subscribed for owner “bob”"));

  after = list_subscriptions ();
  g_assert_cmpuint (after->len, ==, before->len);
  bob_attributes = subscription_attributes ("bob@example.com");
  g_assert_cmpstr (g_hash_table_lookup (bob_attributes, "FilterPolicy"), ==, "{\"owner\":[\"bob\"]}");

  /* "Resend Confirmation" subscribes again with the same endpoint and
   * filter: no second subscription, the filter unchanged. */
  {
    g_autoptr(DbtSession) session = load_session (page);
    g_autoptr(DbtOwnerSubscription) again = NULL;
    g_autoptr(GPtrArray) after_resend = NULL;
    g_autoptr(GHashTable) carol_attributes = NULL;
    g_autoptr(GError) resend_error = NULL;

    again = dbt_owners_subscribe (session, "carol", "carol@example.com", DBT_SUBSCRIBE_RESEND,
                                  NULL, &resend_error);
    g_assert_no_error (resend_error);
    g_assert_cmpstr (again->owner_id, ==, "carol");
    after_resend = list_subscriptions ();
    g_assert_cmpuint (after_resend->len, ==, before->len);
    carol_attributes = subscription_attributes ("carol@example.com");
    g_assert_cmpstr (g_hash_table_lookup (carol_attributes, "FilterPolicy"), ==, "{\"owner\":[\"carol\"]}");
  }

  /* Escape closes the dialog without subscribing. */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (dialog), "Escape"));
  g_assert_true (dbt_ui_test_wait_until (no_dialog, NULL, 5000));
  dbt_ui_test_close_all ();
}

static GtkWindow *
wait_for_message_dialog (void)
{
  GtkWindow *dialog = NULL;

  for (guint i = 0; i < 500 && dialog == NULL; i++)
    {
      dialog = dbt_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL);
      if (dialog == NULL)
        dbt_ui_test_iterate (20);
    }
  g_assert_nonnull (dialog);
  dbt_ui_test_wait_for_draw (GTK_WIDGET (dialog));
  return dialog;
}

static gboolean
no_message_dialog (gpointer data)
{
  return dbt_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL) == NULL;
}

/* Unsubscribe asks first; Cancel keeps the subscription, Unsubscribe ends it. */
static void
test_unsubscribe (void)
{
  DbtWindow *window;
  DbtOwnersPage *page = open_owners_page (&window);
  GtkWidget *carol = owner_row (page, "carol");
  GtkWidget *address, *button;
  GtkWindow *confirm;

  g_assert_nonnull (carol);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (carol), TRUE);
  dbt_ui_test_iterate (300);
  address = address_row (carol, "carol@example.com");
  g_assert_nonnull (address);
  g_assert_true (is_confirmed ("carol@example.com"));
  /* Pending subscriptions cannot be removed; confirmed ones offer it. */
  button = find_button (address, "_Unsubscribe…");
  g_assert_nonnull (button);

  gtk_widget_activate (button);
  confirm = wait_for_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (confirm)), ==,
                   "Unsubscribe carol@example.com?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (confirm)),
                            "only confirmed address of owner “carol”"));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (confirm), "owners-unsubscribe-confirm"));

  /* The dialog's own buttons, as a click would. */
  gtk_widget_activate (find_button (GTK_WIDGET (confirm), "_Cancel"));
  g_assert_true (dbt_ui_test_wait_until (no_message_dialog, NULL, 5000));
  dbt_ui_test_iterate (300);
  g_assert_true (has_subscription ("carol@example.com"));

  gtk_widget_activate (button);
  confirm = wait_for_message_dialog ();
  gtk_widget_activate (find_button (GTK_WIDGET (confirm), "_Unsubscribe"));
  g_assert_true (dbt_ui_test_wait_until (no_message_dialog, NULL, 5000));
  dbt_ui_test_iterate (50);
  wait_idle (page);

  g_assert_false (has_subscription ("carol@example.com"));
  carol = owner_row (page, "carol");
  g_assert_nonnull (carol);
  g_assert_null (address_row (carol, "carol@example.com"));
  g_assert_cmpstr (row_subtitle (carol), ==, "2 items · no address");
  g_assert_true (has_not_notified_badge (carol));
  dbt_ui_test_close_all ();
}

/* The owner-facing flow from the main menu, on their own: a new owner
 * (no items yet) types their id and address, reads what they will get,
 * submits and sees the next step; the page then lists them. */
static void
test_subscribe_me (void)
{
  DbtWindow *window = dbt_ui_test_open_window ();
  DbtOwnersPage *page = DBT_OWNERS_PAGE (dbt_window_get_page (window, "owners"));
  g_autoptr(GHashTable) attributes = NULL;
  DbtSubscribeDialog *dialog;
  GtkWidget *dave, *address;
  const char *scope;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  dbt_window_set_page_name (window, "items");
  dbt_ui_test_iterate (50);

  /* The main menu's item. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.subscribe-me", NULL));
  dialog = wait_for_dialog ();
  g_assert_cmpstr (dbt_window_get_page_name (window), ==, "owners");
  g_assert_true (dbt_ui_test_is_inside (gtk_root_get_focus (GTK_ROOT (dialog)),
                                        dialog_child (dialog, "owner_row")));

  set_field (dialog, "owner_row", "dave");
  set_field (dialog, "email_row", "dave@example.org");
  /* What dave will receive names dave. */
  scope = adw_action_row_get_subtitle (ADW_ACTION_ROW (dialog_child (dialog, "scope_row")));
  g_assert_nonnull (strstr (scope, "“dave”"));
  /* The entry rows' titles float up when text arrives: let them settle. */
  dbt_ui_test_iterate (500);
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (dialog), "subscribe-me-form"));

  submit (dialog);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (dialog_child (dialog, "stack"))), ==, "done");
  attributes = subscription_attributes ("dave@example.org");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "FilterPolicy"), ==, "{\"owner\":[\"dave\"]}");
  if (is_confirmed ("dave@example.org"))
    g_assert_nonnull (dbt_ui_test_find_label (GTK_WIDGET (dialog), "You Are Subscribed"));
  else
    g_assert_nonnull (dbt_ui_test_find_label (GTK_WIDGET (dialog), "Check Your Inbox"));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (dialog), "subscribe-me"));

  g_assert_true (dbt_ui_test_press (GTK_WINDOW (dialog), "Return"));
  g_assert_true (dbt_ui_test_wait_until (no_dialog, NULL, 5000));
  dbt_ui_test_iterate (50);
  wait_idle (page);

  dave = owner_row (page, "dave");
  g_assert_nonnull (dave);
  address = address_row (dave, "dave@example.org");
  g_assert_nonnull (address);
  g_assert_cmpstr (row_subtitle (address), ==, expected_status ("dave@example.org"));
  g_assert_cmpstr (row_subtitle (dave), ==,
                   is_confirmed ("dave@example.org") ? "0 items · 1 address" : "0 items · 1 address, 1 pending");
  dbt_ui_test_close_all ();
}

/* A subscription without an owner filter gets everyone's mail: the page
 * warns about it and offers to remove it. */
static void
test_unfiltered_warning (void)
{
  DbtWindow *window;
  DbtOwnersPage *page;
  GtkWidget *group, *row, *button;
  GtkWindow *confirm;
  g_autofree char *arn = NULL;
  g_autoptr(GError) error = NULL;

  arn = dbt_sns_subscribe (client, topic_arn, "email", "everyone@example.com", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (arn);

  page = open_owners_page (&window);
  group = content (page, "unfiltered_group");
  g_assert_true (gtk_widget_get_visible (group));
  row = find_row (group, ADW_TYPE_ACTION_ROW, "everyone@example.com");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (row_subtitle (row), "no filter policy"));
  /* It is nobody's address in the owners list. */
  g_assert_null (find_row (content (page, "owners_group"), ADW_TYPE_ACTION_ROW, "everyone@example.com"));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (window), "owners-unfiltered"));

  button = find_button (row, "_Unsubscribe…");
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  confirm = wait_for_message_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (confirm)),
                            "no longer receive any notification"));
  gtk_widget_activate (find_button (GTK_WIDGET (confirm), "_Unsubscribe"));
  g_assert_true (dbt_ui_test_wait_until (no_message_dialog, NULL, 5000));
  dbt_ui_test_iterate (50);
  wait_idle (page);

  g_assert_false (has_subscription ("everyone@example.com"));
  g_assert_false (gtk_widget_get_visible (content (page, "unfiltered_group")));
  dbt_ui_test_close_all ();
}

static gboolean
focus_in (GtkWidget *focus,
          gpointer   data)
{
  return dbt_ui_test_is_inside (focus, data);
}

static gboolean
is_widget (GtkWidget *focus,
           gpointer   data)
{
  return focus == data;
}

/* Keyboard only: search, the owner rows, the dialog and back. */
static void
test_keyboard (void)
{
  DbtWindow *window;
  DbtOwnersPage *page = open_owners_page (&window);
  GtkWidget *search_entry = content (page, "search_entry");
  GtkWidget *alice = owner_row (page, "alice");
  GtkWidget *bob = owner_row (page, "bob");
  GtkWidget *focus;
  DbtSubscribeDialog *dialog;

  /* Ctrl+F filters by owner id or address. */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "<Control>f"));
  g_assert_true (dbt_ui_test_is_inside (gtk_root_get_focus (GTK_ROOT (window)), search_entry));
  gtk_editable_set_text (GTK_EDITABLE (search_entry), "bob@");
  dbt_ui_test_iterate (400);
  g_assert_true (gtk_widget_get_visible (bob));
  g_assert_false (gtk_widget_get_visible (alice));
  /* The match was in an address: the row opens to show it. */
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (bob)));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (window), "owners-search"));
  gtk_editable_set_text (GTK_EDITABLE (search_entry), "nobody-here");
  dbt_ui_test_iterate (400);
  g_assert_true (gtk_widget_get_visible (content (page, "no_match_label")));
  /* Escape ends the search and shows everyone again. */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "Escape"));
  dbt_ui_test_iterate (400);
  g_assert_true (gtk_widget_get_visible (alice));
  g_assert_true (gtk_widget_get_visible (bob));

  /* Ctrl+R reloads. */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "<Control>r"));
  wait_idle (page);
  alice = owner_row (page, "alice");

  /* Tab reaches the owner rows; Enter opens one. */
  focus = dbt_ui_test_tab_until (GTK_WINDOW (window), FALSE, focus_in, alice, 40);
  g_assert_nonnull (focus);
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (alice)));
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "Return"));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (alice)));

  /* Tab reaches "Subscribe My Email…"; Enter opens the dialog. */
  focus = dbt_ui_test_tab_until (GTK_WINDOW (window), TRUE, is_widget,
                                 content (page, "subscribe_me_button"), 60);
  g_assert_nonnull (focus);
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "Return"));
  dialog = wait_for_dialog ();

  /* In the dialog: owner, Tab to the email field, Enter submits. */
  g_assert_true (dbt_ui_test_is_inside (gtk_root_get_focus (GTK_ROOT (dialog)),
                                        dialog_child (dialog, "owner_row")));
  gtk_editable_set_text (GTK_EDITABLE (gtk_root_get_focus (GTK_ROOT (dialog))), "erin");
  /* Enter in the owner field moves on to the address. */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (dialog), "Return"));
  g_assert_true (dbt_ui_test_is_inside (gtk_root_get_focus (GTK_ROOT (dialog)),
                                        dialog_child (dialog, "email_row")));
  gtk_editable_set_text (GTK_EDITABLE (gtk_root_get_focus (GTK_ROOT (dialog))), "erin@example.net");
  /* Shift+Tab goes back towards the owner field, Tab forward again. */
  focus = dbt_ui_test_tab_until (GTK_WINDOW (dialog), TRUE, focus_in, dialog_child (dialog, "owner_row"), 10);
  g_assert_nonnull (focus);
  focus = dbt_ui_test_tab_until (GTK_WINDOW (dialog), FALSE, focus_in, dialog_child (dialog, "email_row"), 10);
  g_assert_nonnull (focus);
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (dialog), "Return"));
  g_assert_true (dbt_ui_test_wait_until (dialog_done_or_error, dialog, WAIT_MS));
  dbt_ui_test_iterate (50);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (dialog_child (dialog, "stack"))), ==, "done");
  g_assert_true (has_subscription ("erin@example.net"));
  /* The Done button has the focus: Enter closes. */
  g_assert_true (gtk_widget_has_focus (dialog_child (dialog, "done_button")));
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (dialog), "Return"));
  g_assert_true (dbt_ui_test_wait_until (no_dialog, NULL, 5000));
  wait_idle (page);
  g_assert_nonnull (owner_row (page, "erin"));

  dbt_ui_test_close_all ();
}

static void
setup_stack (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtLocalStack) stack = NULL;
  const char *dir = g_getenv ("DBT_STACK_DIR");

  g_assert_nonnull (dir);
  stack = dbt_local_stack_load (dir, &error);
  g_assert_no_error (error);
  table_name = g_strdup (dbt_local_stack_get_output (stack, "table_name"));
  topic_arn = g_strdup (dbt_local_stack_get_output (stack, "topic_arn"));
  g_assert_nonnull (table_name);
  g_assert_nonnull (topic_arn);

  client = live_client_new ();
  g_assert_nonnull (client);

  put_item ("a-1", "alice");
  put_item ("a-2", "alice");
  put_item ("a-3", "alice");
  put_item ("b-1", "bob");
  put_item ("b-2", "bob");
  put_item ("c-1", "carol");
  put_item ("c-2", "carol");
  put_item ("x-1", NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  dbt_ui_test_init (&argc, &argv);

  if (g_getenv ("AWS_ENDPOINT_URL") == NULL || g_getenv ("DBT_STACK_DIR") == NULL)
    {
      g_test_message ("no provisioned stack: run under tests/with-provisioned-stack.sh");
      return 77;
    }
  setup_stack ();

  /* In order: each builds on the subscriptions the one before left. */
  g_test_add_func ("/ui/owners/listed", test_owners_listed);
  g_test_add_func ("/ui/owners/subscribe-for-owner", test_subscribe_for_owner);
  g_test_add_func ("/ui/owners/duplicate-refused", test_duplicate_refused);
  g_test_add_func ("/ui/owners/unsubscribe", test_unsubscribe);
  g_test_add_func ("/ui/owners/subscribe-me", test_subscribe_me);
  g_test_add_func ("/ui/owners/keyboard", test_keyboard);
  g_test_add_func ("/ui/owners/unfiltered-warning", test_unfiltered_warning);

  status = g_test_run ();

  g_clear_pointer (&client, dbt_aws_client_unref);
  g_free (table_name);
  g_free (topic_arn);
  return status;
}
