/* dbt-owners-model.h — who owns items and who is notified about them.
 *
 * Gathering reads two sources on a worker thread:
 *  - the items table: a Scan projecting only the owner attribute, page after
 *    page, counting items per owner (an owner is a non-empty string, as the
 *    handler routes them; anything else counts as "without owner");
 *  - the topic: every subscription (ListSubscriptionsByTopic, all pages) and,
 *    for each email subscription with an ARN, its attributes
 *    (GetSubscriptionAttributes): the filter policy names the owner
 *    ({"owner": ["<id>"]} on message attributes), PendingConfirmation and
 *    ConfirmationWasAuthenticated give its state.
 *
 * SNS lists a subscription awaiting confirmation with the ARN
 * "PendingConfirmation", so its filter policy cannot be read from the list.
 * Subscribe returns the real ARN, though: pass the ARNs of subscriptions
 * made earlier as @known_arns and those pending ones are placed with their
 * owner; the rest are reported as pending with an unknown owner.
 *
 * Subscribing and unsubscribing are here too, with the checks that keep one
 * owner's mail from reaching another: a validated address, the owner's
 * filter policy, and no second subscription for an address the topic has.
 */
#pragma once

#include <gio/gio.h>

#include "dbt-session.h"

G_BEGIN_DECLS

#define DBT_OWNERS_ERROR (dbt_owners_error_quark ())

typedef enum
{
  DBT_OWNERS_ERROR_NOT_DEPLOYED,   /* neither a table nor a topic is known */
  DBT_OWNERS_ERROR_NO_TOPIC,       /* subscribing needs the topic */
  DBT_OWNERS_ERROR_INVALID_OWNER,  /* empty, or with control characters */
  DBT_OWNERS_ERROR_DUPLICATE,      /* the address is subscribed for this owner */
  DBT_OWNERS_ERROR_PENDING,        /* the address awaits confirmation already */
  DBT_OWNERS_ERROR_ADDRESS_TAKEN,  /* the address is subscribed for another owner */
} DbtOwnersError;

GQuark dbt_owners_error_quark (void);

typedef struct
{
  char     *subscription_arn;   /* NULL while pending when the ARN is unknown */
  char     *protocol;           /* "email" or "email-json" */
  char     *endpoint;           /* the address */
  char     *owner_id;           /* from the filter policy; NULL when it names none */
  char     *filter_policy;      /* as SNS holds it; NULL when none */
  gboolean  pending;            /* awaiting confirmation */
  int       authenticated;      /* ConfirmationWasAuthenticated: 1, 0, or -1 when not given */
} DbtOwnerSubscription;

typedef struct
{
  char      *id;
  guint64    n_items;
  GPtrArray *subscriptions;     /* DbtOwnerSubscription*, by address */
  guint      n_confirmed;
} DbtOwner;

typedef struct
{
  GPtrArray *owners;            /* DbtOwner*, by id */
  GPtrArray *unfiltered;        /* DbtOwnerSubscription* that name no owner */
  GPtrArray *pending_unknown;   /* DbtOwnerSubscription* pending, owner unknown */
  guint64    n_items;           /* items in the table */
  guint64    n_items_without_owner;
  gboolean   has_table;         /* FALSE: the table is not known; no counts */
  gboolean   has_topic;         /* FALSE: the topic is not known; no subscriptions */
} DbtOwnersReport;

void                  dbt_owner_subscription_free (DbtOwnerSubscription *subscription);
DbtOwnerSubscription *dbt_owner_subscription_copy (const DbtOwnerSubscription *subscription);
void                  dbt_owner_free              (DbtOwner *owner);
void                  dbt_owners_report_free      (DbtOwnersReport *report);

/* An owner is notified when at least one of their addresses is confirmed. */
gboolean  dbt_owner_is_notified (const DbtOwner *owner);
DbtOwner *dbt_owners_report_find (const DbtOwnersReport *report,
                                  const char            *owner_id);

/* The owner a filter policy delivers to: {"owner": ["<id>"]} (other keys may
 * narrow it further) with @scope NULL or "MessageAttributes". NULL for any
 * other policy: no policy, a policy on the message body, several owners,
 * prefix or anything-but matching... */
char     *dbt_owners_owner_from_filter_policy (const char *filter_policy,
                                               const char *scope);
/* {"owner":["<id>"]}, JSON-escaped. */
char     *dbt_owners_filter_policy_for        (const char *owner_id);

/* Checks an owner id as typed (after trimming): non-empty, no control
 * characters. */
gboolean  dbt_owners_validate_owner_id        (const char *owner_id,
                                               GError    **error);

/* Gathering. */
DbtOwnersReport *dbt_owners_gather        (DbtSession         *session,
                                           const char *const  *known_arns,
                                           GCancellable       *cancellable,
                                           GError            **error);
void             dbt_owners_gather_async  (DbtSession          *session,
                                           const char *const   *known_arns,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
DbtOwnersReport *dbt_owners_gather_finish (GAsyncResult        *result,
                                           GError             **error);

typedef enum
{
  /* A new subscription: refused when the topic has the address already. */
  DBT_SUBSCRIBE_NEW,
  /* Subscribe again with the same endpoint and attributes. SNS has no
   * "resend" call; for a pending subscription this sends the confirmation
   * message again, for a confirmed one it changes nothing. */
  DBT_SUBSCRIBE_RESEND,
} DbtSubscribeMode;

/* Subscribes @email (validated with dbt_email_validate) for @owner_id: protocol
 * "email", FilterPolicy {"owner":["<id>"]}, FilterPolicyScope
 * MessageAttributes, ReturnSubscriptionArn. Returns the subscription as
 * SNS reports it afterwards. Errors: DBT_EMAIL_ERROR, DBT_OWNERS_ERROR or
 * the service's DBT_AWS_ERROR. */
DbtOwnerSubscription *dbt_owners_subscribe        (DbtSession       *session,
                                                   const char       *owner_id,
                                                   const char       *email,
                                                   DbtSubscribeMode  mode,
                                                   GCancellable     *cancellable,
                                                   GError          **error);
void                  dbt_owners_subscribe_async  (DbtSession          *session,
                                                   const char          *owner_id,
                                                   const char          *email,
                                                   DbtSubscribeMode     mode,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
DbtOwnerSubscription *dbt_owners_subscribe_finish (GAsyncResult        *result,
                                                   GError             **error);

/* Unsubscribe. A subscription awaiting confirmation cannot be removed (SNS
 * deletes it when it expires: 48 hours after it was made, since May 2023;
 * 3 days before). */
void     dbt_owners_unsubscribe_async  (DbtSession          *session,
                                        const char          *subscription_arn,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean dbt_owners_unsubscribe_finish (GAsyncResult        *result,
                                        GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtOwnerSubscription, dbt_owner_subscription_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtOwner, dbt_owner_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtOwnersReport, dbt_owners_report_free)

G_END_DECLS
