/* dbt-owners-model.c — owners from the table and the topic's subscriptions. */
#include "dbt-config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dbt-dynamodb.h"
#include "dbt-email.h"
#include "dbt-owners-model.h"
#include "dbt-sns.h"

/* The message attribute the handler publishes the owner in (whatever the
 * item attribute is called). */
#define OWNER_MESSAGE_ATTRIBUTE "owner"

G_DEFINE_QUARK (dbt-owners-error-quark, dbt_owners_error)

/* Records and their lifetimes */

void
dbt_owner_subscription_free (DbtOwnerSubscription *subscription)
{
  if (subscription == NULL)
    return;
  g_free (subscription->subscription_arn);
  g_free (subscription->protocol);
  g_free (subscription->endpoint);
  g_free (subscription->owner_id);
  g_free (subscription->filter_policy);
  g_free (subscription);
}

DbtOwnerSubscription *
dbt_owner_subscription_copy (const DbtOwnerSubscription *subscription)
{
  DbtOwnerSubscription *copy = g_new0 (DbtOwnerSubscription, 1);

  copy->subscription_arn = g_strdup (subscription->subscription_arn);
  copy->protocol = g_strdup (subscription->protocol);
  copy->endpoint = g_strdup (subscription->endpoint);
  copy->owner_id = g_strdup (subscription->owner_id);
  copy->filter_policy = g_strdup (subscription->filter_policy);
  copy->pending = subscription->pending;
  copy->authenticated = subscription->authenticated;
  return copy;
}

static DbtOwner *
dbt_owner_new (const char *id)
{
  DbtOwner *owner = g_new0 (DbtOwner, 1);

  owner->id = g_strdup (id);
  owner->subscriptions = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_owner_subscription_free);
  return owner;
}

void
dbt_owner_free (DbtOwner *owner)
{
  if (owner == NULL)
    return;
  g_free (owner->id);
  g_ptr_array_unref (owner->subscriptions);
  g_free (owner);
}

void
dbt_owners_report_free (DbtOwnersReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->owners);
  g_ptr_array_unref (report->unfiltered);
  g_ptr_array_unref (report->pending_unknown);
  g_free (report);
}

gboolean
dbt_owner_is_notified (const DbtOwner *owner)
{
  return owner->n_confirmed > 0;
}

DbtOwner *
dbt_owners_report_find (const DbtOwnersReport *report,
                        const char            *owner_id)
{
  for (guint i = 0; i < report->owners->len; i++)
    {
      DbtOwner *owner = g_ptr_array_index (report->owners, i);

      if (g_str_equal (owner->id, owner_id))
        return owner;
    }
  return NULL;
}

/* Filter policies */

char *
dbt_owners_owner_from_filter_policy (const char *filter_policy,
                                     const char *scope)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonNode *owners;
  JsonArray *array;
  JsonNode *element;

  if (filter_policy == NULL || *filter_policy == '\0')
    return NULL;
  /* A policy on the message body does not look at the owner attribute. */
  if (scope != NULL && *scope != '\0' && !g_str_equal (scope, "MessageAttributes"))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, filter_policy, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  owners = json_object_get_member (json_node_get_object (root), OWNER_MESSAGE_ATTRIBUTE);
  if (owners == NULL || !JSON_NODE_HOLDS_ARRAY (owners))
    return NULL;
  array = json_node_get_array (owners);
  if (json_array_get_length (array) != 1)
    return NULL;
  element = json_array_get_element (array, 0);
  if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING
      || *json_node_get_string (element) == '\0')
    return NULL;

  return g_strdup (json_node_get_string (element));
}

char *
dbt_owners_filter_policy_for (const char *owner_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, OWNER_MESSAGE_ATTRIBUTE);
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, owner_id);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

gboolean
dbt_owners_validate_owner_id (const char *owner_id,
                              GError    **error)
{
  if (owner_id == NULL || *owner_id == '\0')
    {
      g_set_error_literal (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_INVALID_OWNER,
                           _("Enter the owner id, as it appears in the items’ owner attribute."));
      return FALSE;
    }
  if (!g_utf8_validate (owner_id, -1, NULL))
    {
      g_set_error_literal (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_INVALID_OWNER,
                           _("The owner id contains bytes that are not text."));
      return FALSE;
    }
  for (const char *p = owner_id; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_set_error_literal (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_INVALID_OWNER,
                             _("The owner id cannot contain line breaks or control characters."));
        return FALSE;
      }
  return TRUE;
}

/* Gathering */

static gboolean
is_email_protocol (const char *protocol)
{
  return g_strcmp0 (protocol, "email") == 0 || g_strcmp0 (protocol, "email-json") == 0;
}

static int
parse_tristate (const char *value)
{
  if (g_strcmp0 (value, "true") == 0)
    return 1;
  if (g_strcmp0 (value, "false") == 0)
    return 0;
  return -1;
}

/* A subscription with its attributes read. */
static DbtOwnerSubscription *
describe_subscription (DbtAwsClient *client,
                       const char   *subscription_arn,
                       const char   *protocol,
                       const char   *endpoint,
                       GCancellable *cancellable,
                       GError      **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  DbtOwnerSubscription *subscription;

  attributes = dbt_sns_get_subscription_attributes (client, subscription_arn, cancellable, error);
  if (attributes == NULL)
    return NULL;

  subscription = g_new0 (DbtOwnerSubscription, 1);
  subscription->subscription_arn = g_strdup (subscription_arn);
  subscription->protocol = g_strdup (protocol != NULL ? protocol : g_hash_table_lookup (attributes, "Protocol"));
  subscription->endpoint = g_strdup (endpoint != NULL ? endpoint : g_hash_table_lookup (attributes, "Endpoint"));
  subscription->filter_policy = g_strdup (g_hash_table_lookup (attributes, "FilterPolicy"));
  subscription->owner_id =
    dbt_owners_owner_from_filter_policy (subscription->filter_policy,
                                         g_hash_table_lookup (attributes, "FilterPolicyScope"));
  subscription->pending = parse_tristate (g_hash_table_lookup (attributes, "PendingConfirmation")) == 1;
  subscription->authenticated = parse_tristate (g_hash_table_lookup (attributes, "ConfirmationWasAuthenticated"));
  return subscription;
}

static DbtOwner *
ensure_owner (GHashTable *owners,
              const char *id)
{
  DbtOwner *owner = g_hash_table_lookup (owners, id);

  if (owner == NULL)
    {
      owner = dbt_owner_new (id);
      g_hash_table_insert (owners, owner->id, owner);
    }
  return owner;
}

typedef struct
{
  const char *owner_attribute;
  GHashTable *owners;
  guint64     n_items;
  guint64     n_items_without_owner;
} ScanState;

static gboolean
count_page (const DbtItemPage *page,
            gpointer           user_data)
{
  ScanState *state = user_data;

  for (guint i = 0; i < page->items->len; i++)
    {
      DbtItem *item = g_ptr_array_index (page->items, i);
      DbtValue *value = dbt_item_get (item, state->owner_attribute);

      state->n_items++;
      /* The handler routes only non-empty strings (dbt_processor_owner_of). */
      if (value == NULL || dbt_value_get_kind (value) != DBT_VALUE_S
          || *dbt_value_get_string (value) == '\0')
        state->n_items_without_owner++;
      else
        ensure_owner (state->owners, dbt_value_get_string (value))->n_items++;
    }
  return TRUE;
}

static int
compare_subscriptions (gconstpointer a,
                       gconstpointer b)
{
  const DbtOwnerSubscription *sa = *(DbtOwnerSubscription **) a;
  const DbtOwnerSubscription *sb = *(DbtOwnerSubscription **) b;

  return g_utf8_collate (sa->endpoint != NULL ? sa->endpoint : "",
                         sb->endpoint != NULL ? sb->endpoint : "");
}

static int
compare_owners (gconstpointer a,
                gconstpointer b)
{
  const DbtOwner *oa = *(DbtOwner **) a;
  const DbtOwner *ob = *(DbtOwner **) b;

  return g_utf8_collate (oa->id, ob->id);
}

static gboolean
gather_subscriptions (DbtSession         *session,
                      const char *const  *known_arns,
                      GHashTable         *owners,
                      DbtOwnersReport    *report,
                      GCancellable       *cancellable,
                      GError            **error)
{
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_owner_subscription_free);
  g_autoptr(GHashTable) seen_arns = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) pending_listed = g_ptr_array_new ();

  listed = dbt_sns_list_all_subscriptions_by_topic (session->client, session->topic_arn,
                                                    cancellable, error);
  if (listed == NULL)
    return FALSE;

  for (guint i = 0; i < listed->len; i++)
    {
      DbtSnsSubscription *entry = g_ptr_array_index (listed, i);
      DbtOwnerSubscription *subscription;
      g_autoptr(GError) local_error = NULL;

      if (!is_email_protocol (entry->protocol))
        continue;
      if (dbt_sns_subscription_is_pending (entry))
        {
          g_ptr_array_add (pending_listed, entry);
          continue;
        }

      subscription = describe_subscription (session->client, entry->subscription_arn,
                                            entry->protocol, entry->endpoint,
                                            cancellable, &local_error);
      if (subscription == NULL)
        {
          /* Removed between the list and now: it is gone, not an error. */
          if (g_error_matches (local_error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_hash_table_add (seen_arns, subscription->subscription_arn);
      g_ptr_array_add (found, subscription);
    }

  /* Pending subscriptions whose ARN Subscribe returned earlier. */
  for (guint i = 0; known_arns != NULL && known_arns[i] != NULL && pending_listed->len > 0; i++)
    {
      DbtOwnerSubscription *subscription;
      g_autoptr(GError) local_error = NULL;
      gboolean matched = FALSE;

      if (g_hash_table_contains (seen_arns, known_arns[i]))
        continue;
      subscription = describe_subscription (session->client, known_arns[i], NULL, NULL,
                                            cancellable, &local_error);
      if (subscription == NULL)
        {
          if (g_error_matches (local_error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND)
              || g_error_matches (local_error, DBT_AWS_ERROR, DBT_AWS_ERROR_CLIENT))
            continue;   /* expired or removed */
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      /* It stands for one of the listed pending entries of that address. */
      for (guint j = 0; j < pending_listed->len; j++)
        {
          DbtSnsSubscription *entry = g_ptr_array_index (pending_listed, j);

          if (dbt_email_equal (entry->endpoint, subscription->endpoint))
            {
              g_ptr_array_remove_index (pending_listed, j);
              matched = TRUE;
              break;
            }
        }
      if (!matched)
        {
          dbt_owner_subscription_free (subscription);
          continue;
        }
      subscription->pending = TRUE;
      g_hash_table_add (seen_arns, subscription->subscription_arn);
      g_ptr_array_add (found, subscription);
    }

  for (guint i = 0; i < pending_listed->len; i++)
    {
      DbtSnsSubscription *entry = g_ptr_array_index (pending_listed, i);
      DbtOwnerSubscription *subscription = g_new0 (DbtOwnerSubscription, 1);

      subscription->protocol = g_strdup (entry->protocol);
      subscription->endpoint = g_strdup (entry->endpoint);
      subscription->pending = TRUE;
      subscription->authenticated = -1;
      g_ptr_array_add (report->pending_unknown, subscription);
    }

  for (guint i = 0; i < found->len; i++)
    {
      DbtOwnerSubscription *subscription = g_ptr_array_index (found, i);

      if (subscription->owner_id == NULL)
        g_ptr_array_add (report->unfiltered, dbt_owner_subscription_copy (subscription));
      else
        {
          DbtOwner *owner = ensure_owner (owners, subscription->owner_id);

          if (!subscription->pending)
            owner->n_confirmed++;
          g_ptr_array_add (owner->subscriptions, dbt_owner_subscription_copy (subscription));
        }
    }
  return TRUE;
}

DbtOwnersReport *
dbt_owners_gather (DbtSession         *session,
                   const char *const  *known_arns,
                   GCancellable       *cancellable,
                   GError            **error)
{
  g_autoptr(DbtOwnersReport) report = g_new0 (DbtOwnersReport, 1);
  g_autoptr(GHashTable) owners = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) dbt_owner_free);
  GHashTableIter iter;
  gpointer value;

  report->owners = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_owner_free);
  report->unfiltered = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_owner_subscription_free);
  report->pending_unknown = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_owner_subscription_free);
  report->has_table = session->table_name != NULL;
  report->has_topic = session->topic_arn != NULL;

  if (!report->has_table && !report->has_topic)
    {
      g_set_error (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_NOT_DEPLOYED,
                   _("No dbtrigger table or notification topic was found for “%s”. Deploy the trigger, or check the connection’s settings."),
                   session->connection_name);
      return NULL;
    }

  if (report->has_table)
    {
      const char *names[] = { "#owner", session->owner_attribute, NULL };
      DbtReadOptions options = {
        .projection_expression = "#owner",
        .expression_attribute_names = names,
      };
      ScanState state = { session->owner_attribute, owners, 0, 0 };

      if (!dbt_dynamodb_scan_pages (session->client, session->table_name, &options,
                                    count_page, &state, cancellable, error))
        return NULL;
      report->n_items = state.n_items;
      report->n_items_without_owner = state.n_items_without_owner;
    }

  if (report->has_topic
      && !gather_subscriptions (session, known_arns, owners, report, cancellable, error))
    return NULL;

  /* Hand the owners over, sorted. */
  g_hash_table_iter_init (&iter, owners);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DbtOwner *owner = value;

      g_ptr_array_sort (owner->subscriptions, compare_subscriptions);
      g_ptr_array_add (report->owners, owner);
      g_hash_table_iter_steal (&iter);
    }
  g_ptr_array_sort (report->owners, compare_owners);
  g_ptr_array_sort (report->unfiltered, compare_subscriptions);
  g_ptr_array_sort (report->pending_unknown, compare_subscriptions);

  return g_steal_pointer (&report);
}

typedef struct
{
  DbtSession *session;
  GStrv       known_arns;
  char       *owner_id;
  char       *email;
  char       *subscription_arn;
  DbtSubscribeMode mode;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_clear_pointer (&data->session, dbt_session_unref);
  g_strfreev (data->known_arns);
  g_free (data->owner_id);
  g_free (data->email);
  g_free (data->subscription_arn);
  g_free (data);
}

static TaskData *
task_data_new (DbtSession *session)
{
  TaskData *data = g_new0 (TaskData, 1);

  data->session = dbt_session_ref (session);
  return data;
}

static void
gather_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  DbtOwnersReport *report;

  report = dbt_owners_gather (data->session, (const char *const *) data->known_arns,
                              cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) dbt_owners_report_free);
}

void
dbt_owners_gather_async (DbtSession          *session,
                         const char *const   *known_arns,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  TaskData *data = task_data_new (session);

  data->known_arns = g_strdupv ((GStrv) known_arns);
  g_task_set_source_tag (task, dbt_owners_gather_async);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, gather_thread);
}

DbtOwnersReport *
dbt_owners_gather_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dbt_owners_gather_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Subscribing */

/* Refuses an address the topic has already: SNS keeps one subscription per
 * endpoint and topic (AWS rejects the same address with other attributes;
 * some emulators silently move it to the new owner instead). */
static gboolean
check_not_subscribed (DbtSession   *session,
                      const char   *owner_id,
                      const char   *email,
                      GCancellable *cancellable,
                      GError      **error)
{
  g_autoptr(GPtrArray) listed = NULL;

  listed = dbt_sns_list_all_subscriptions_by_topic (session->client, session->topic_arn,
                                                    cancellable, error);
  if (listed == NULL)
    return FALSE;

  for (guint i = 0; i < listed->len; i++)
    {
      DbtSnsSubscription *entry = g_ptr_array_index (listed, i);
      g_autoptr(DbtOwnerSubscription) existing = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!is_email_protocol (entry->protocol) || !dbt_email_equal (entry->endpoint, email))
        continue;

      if (dbt_sns_subscription_is_pending (entry))
        {
          g_set_error (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_PENDING,
                       _("%s is already waiting for confirmation. Ask its owner to look for the confirmation email, or use “Resend Confirmation”."),
                       entry->endpoint);
          return FALSE;
        }

      existing = describe_subscription (session->client, entry->subscription_arn,
                                        entry->protocol, entry->endpoint,
                                        cancellable, &local_error);
      if (existing == NULL)
        {
          if (g_error_matches (local_error, DBT_AWS_ERROR, DBT_AWS_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (g_strcmp0 (existing->owner_id, owner_id) == 0)
        g_set_error (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_DUPLICATE,
                     _("%s is already subscribed for owner “%s”."), entry->endpoint, owner_id);
      else if (existing->owner_id != NULL)
        g_set_error (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_ADDRESS_TAKEN,
                     _("%s is already subscribed for owner “%s”. An address can have one subscription per topic: unsubscribe it there first."),
                     entry->endpoint, existing->owner_id);
      else
        g_set_error (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_ADDRESS_TAKEN,
                     _("%s is already subscribed without an owner filter. An address can have one subscription per topic: unsubscribe it first."),
                     entry->endpoint);
      return FALSE;
    }
  return TRUE;
}

DbtOwnerSubscription *
dbt_owners_subscribe (DbtSession       *session,
                      const char       *owner_id,
                      const char       *email,
                      DbtSubscribeMode  mode,
                      GCancellable     *cancellable,
                      GError          **error)
{
  g_autofree char *policy = NULL;
  g_autofree char *arn = NULL;
  g_autoptr(GError) local_error = NULL;
  DbtOwnerSubscription *subscription;
  const char *attributes[5];

  if (!dbt_owners_validate_owner_id (owner_id, error) || !dbt_email_validate (email, error))
    return NULL;
  if (session->topic_arn == NULL)
    {
      g_set_error (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_NO_TOPIC,
                   _("No notification topic was found for “%s”, so there is nothing to subscribe to."),
                   session->connection_name);
      return NULL;
    }
  if (mode == DBT_SUBSCRIBE_NEW
      && !check_not_subscribed (session, owner_id, email, cancellable, error))
    return NULL;

  policy = dbt_owners_filter_policy_for (owner_id);
  attributes[0] = "FilterPolicy";
  attributes[1] = policy;
  attributes[2] = "FilterPolicyScope";
  attributes[3] = "MessageAttributes";
  attributes[4] = NULL;

  arn = dbt_sns_subscribe (session->client, session->topic_arn, "email", email,
                           attributes, cancellable, error);
  if (arn == NULL)
    return NULL;

  subscription = describe_subscription (session->client, arn, "email", email,
                                        cancellable, &local_error);
  if (subscription == NULL)
    {
      /* Subscribed all the same; say what is certain. */
      g_debug ("reading back %s: %s", arn, local_error->message);
      subscription = g_new0 (DbtOwnerSubscription, 1);
      subscription->subscription_arn = g_steal_pointer (&arn);
      subscription->protocol = g_strdup ("email");
      subscription->endpoint = g_strdup (email);
      subscription->owner_id = g_strdup (owner_id);
      subscription->filter_policy = g_steal_pointer (&policy);
      subscription->pending = TRUE;
      subscription->authenticated = -1;
    }
  return subscription;
}

static void
subscribe_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  DbtOwnerSubscription *subscription;

  subscription = dbt_owners_subscribe (data->session, data->owner_id, data->email, data->mode,
                                       cancellable, &error);
  if (subscription == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, subscription, (GDestroyNotify) dbt_owner_subscription_free);
}

void
dbt_owners_subscribe_async (DbtSession          *session,
                            const char          *owner_id,
                            const char          *email,
                            DbtSubscribeMode     mode,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  TaskData *data = task_data_new (session);

  data->owner_id = g_strdup (owner_id);
  data->email = g_strdup (email);
  data->mode = mode;
  g_task_set_source_tag (task, dbt_owners_subscribe_async);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, subscribe_thread);
}

DbtOwnerSubscription *
dbt_owners_subscribe_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dbt_owners_subscribe_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Unsubscribing */

static void
unsubscribe_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;

  if (dbt_sns_unsubscribe (data->session->client, data->subscription_arn, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
dbt_owners_unsubscribe_async (DbtSession          *session,
                              const char          *subscription_arn,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  TaskData *data = task_data_new (session);

  data->subscription_arn = g_strdup (subscription_arn);
  g_task_set_source_tag (task, dbt_owners_unsubscribe_async);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, unsubscribe_thread);
}

gboolean
dbt_owners_unsubscribe_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dbt_owners_unsubscribe_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
