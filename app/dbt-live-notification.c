/* dbt-live-notification.c — a delivered notification, from the log or the outbox. */
#include "dbt-config.h"

#include "dbt-live-notification.h"

struct _DbtLiveNotification
{
  GObject  parent_instance;

  DbtLiveNotificationSource sources;
  char    *message_id;
  char    *owner;
  char    *address;
  char    *subject;
  char    *event;
  char    *key_text;
  gint64   sent_ms;
  char    *time_text;
};

G_DEFINE_FINAL_TYPE (DbtLiveNotification, dbt_live_notification, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_OWNER,
  PROP_ADDRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dbt_live_notification_finalize (GObject *object)
{
  DbtLiveNotification *self = DBT_LIVE_NOTIFICATION (object);

  g_free (self->message_id);
  g_free (self->owner);
  g_free (self->address);
  g_free (self->subject);
  g_free (self->event);
  g_free (self->key_text);
  g_free (self->time_text);

  G_OBJECT_CLASS (dbt_live_notification_parent_class)->finalize (object);
}

static void
dbt_live_notification_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DbtLiveNotification *self = DBT_LIVE_NOTIFICATION (object);

  switch (prop_id)
    {
    case PROP_OWNER:
      g_value_set_string (value, self->owner);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_live_notification_class_init (DbtLiveNotificationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbt_live_notification_finalize;
  object_class->get_property = dbt_live_notification_get_property;

  properties[PROP_OWNER] =
    g_param_spec_string ("owner", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbt_live_notification_init (DbtLiveNotification *self)
{
}

DbtLiveNotification *
dbt_live_notification_new (DbtLiveNotificationSource  source,
                           const char                *message_id,
                           const char                *owner,
                           const char                *address,
                           const char                *subject,
                           const char                *event,
                           const char                *key_text,
                           gint64                     sent_ms)
{
  DbtLiveNotification *self = g_object_new (DBT_TYPE_LIVE_NOTIFICATION, NULL);
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (sent_ms / 1000);

  self->sources = source;
  self->message_id = g_strdup (message_id != NULL ? message_id : "");
  self->owner = g_strdup (owner != NULL ? owner : "");
  self->address = g_strdup (address != NULL ? address : "");
  self->subject = g_strdup (subject != NULL ? subject : "");
  self->event = g_strdup (event != NULL ? event : "");
  self->key_text = g_strdup (key_text != NULL ? key_text : "");
  self->sent_ms = sent_ms;
  self->time_text = time != NULL ? g_date_time_format (time, "%H:%M:%S") : g_strdup ("");
  return self;
}

const char *
dbt_live_notification_get_message_id (DbtLiveNotification *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_NOTIFICATION (self), NULL);
  return self->message_id;
}

const char *
dbt_live_notification_get_owner (DbtLiveNotification *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_NOTIFICATION (self), NULL);
  return self->owner;
}

const char *
dbt_live_notification_get_address (DbtLiveNotification *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_NOTIFICATION (self), NULL);
  return self->address;
}

const char *
dbt_live_notification_get_subject (DbtLiveNotification *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_NOTIFICATION (self), NULL);
  return self->subject;
}

const char *
dbt_live_notification_get_event (DbtLiveNotification *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_NOTIFICATION (self), NULL);
  return self->event;
}

const char *
dbt_live_notification_get_key_text (DbtLiveNotification *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_NOTIFICATION (self), NULL);
  return self->key_text;
}

gint64
dbt_live_notification_get_sent_ms (DbtLiveNotification *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_NOTIFICATION (self), 0);
  return self->sent_ms;
}

const char *
dbt_live_notification_get_time_text (DbtLiveNotification *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_NOTIFICATION (self), NULL);
  return self->time_text;
}

DbtLiveNotificationSource
dbt_live_notification_get_sources (DbtLiveNotification *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_NOTIFICATION (self), 0);
  return self->sources;
}

static gboolean
list_contains (const char *list,
               const char *address)
{
  g_auto(GStrv) parts = g_strsplit (list, ", ", -1);

  return g_strv_contains ((const char *const *) parts, address);
}

static void
fill_in (char       **field,
         const char  *value)
{
  if (**field == '\0' && *value != '\0')
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

void
dbt_live_notification_merge (DbtLiveNotification *self,
                             DbtLiveNotification *other)
{
  g_return_if_fail (DBT_IS_LIVE_NOTIFICATION (self));
  g_return_if_fail (DBT_IS_LIVE_NOTIFICATION (other));

  self->sources |= other->sources;
  if (*self->owner == '\0' && *other->owner != '\0')
    {
      g_free (self->owner);
      self->owner = g_strdup (other->owner);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OWNER]);
    }
  if (*other->address != '\0' && !list_contains (self->address, other->address))
    {
      char *joined = *self->address == '\0' ? g_strdup (other->address)
                                            : g_strconcat (self->address, ", ", other->address, NULL);

      g_free (self->address);
      self->address = joined;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
    }
  fill_in (&self->subject, other->subject);
  fill_in (&self->event, other->event);
  fill_in (&self->key_text, other->key_text);
}
