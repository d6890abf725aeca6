/* dbt-connection.c — one named place the console talks to. */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-connection.h"

struct _DbtConnection
{
  GObject parent_instance;

  char              *id;
  char              *name;
  char              *endpoint_url;
  char              *region;
  char              *profile;
  char              *access_key_id;
  DbtConnectionAuth  auth;
};

G_DEFINE_FINAL_TYPE (DbtConnection, dbt_connection, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (DbtConnectionAuth, dbt_connection_auth,
  G_DEFINE_ENUM_VALUE (DBT_CONNECTION_AUTH_LOCAL_STACK, "local-stack"),
  G_DEFINE_ENUM_VALUE (DBT_CONNECTION_AUTH_PROFILE, "profile"),
  G_DEFINE_ENUM_VALUE (DBT_CONNECTION_AUTH_KEYRING, "keyring"),
  G_DEFINE_ENUM_VALUE (DBT_CONNECTION_AUTH_ENVIRONMENT, "environment"))

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ENDPOINT_URL,
  PROP_REGION,
  PROP_AUTH,
  PROP_PROFILE,
  PROP_ACCESS_KEY_ID,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
dbt_connection_auth_to_string (DbtConnectionAuth auth)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (DBT_TYPE_CONNECTION_AUTH);
  GEnumValue *value = g_enum_get_value (klass, auth);

  return value != NULL ? value->value_nick : NULL;
}

gboolean
dbt_connection_auth_from_string (const char        *string,
                                 DbtConnectionAuth *auth)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (DBT_TYPE_CONNECTION_AUTH);
  GEnumValue *value;

  if (string == NULL)
    return FALSE;
  value = g_enum_get_value_by_nick (klass, string);
  if (value == NULL)
    return FALSE;
  *auth = value->value;
  return TRUE;
}

/* Empty strings mean "unset" everywhere. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  char *copy;

  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  copy = g_strdup (value);
  g_free (*field);
  *field = copy;
  return TRUE;
}

static void
dbt_connection_set_string_property (DbtConnection *self,
                                    char         **field,
                                    const char    *value,
                                    guint          prop_id)
{
  if (set_string (field, value))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
    }
}

static void
dbt_connection_finalize (GObject *object)
{
  DbtConnection *self = DBT_CONNECTION (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->endpoint_url, g_free);
  g_clear_pointer (&self->region, g_free);
  g_clear_pointer (&self->profile, g_free);
  g_clear_pointer (&self->access_key_id, g_free);

  G_OBJECT_CLASS (dbt_connection_parent_class)->finalize (object);
}

static void
dbt_connection_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DbtConnection *self = DBT_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ENDPOINT_URL:
      g_value_set_string (value, self->endpoint_url);
      break;
    case PROP_REGION:
      g_value_set_string (value, self->region);
      break;
    case PROP_AUTH:
      g_value_set_enum (value, self->auth);
      break;
    case PROP_PROFILE:
      g_value_set_string (value, self->profile);
      break;
    case PROP_ACCESS_KEY_ID:
      g_value_set_string (value, self->access_key_id);
      break;
    case PROP_SUMMARY:
      g_value_take_string (value, dbt_connection_dup_summary (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_connection_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DbtConnection *self = DBT_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      dbt_connection_set_name (self, g_value_get_string (value));
      break;
    case PROP_ENDPOINT_URL:
      dbt_connection_set_endpoint_url (self, g_value_get_string (value));
      break;
    case PROP_REGION:
      dbt_connection_set_region (self, g_value_get_string (value));
      break;
    case PROP_AUTH:
      dbt_connection_set_auth (self, g_value_get_enum (value));
      break;
    case PROP_PROFILE:
      dbt_connection_set_profile (self, g_value_get_string (value));
      break;
    case PROP_ACCESS_KEY_ID:
      dbt_connection_set_access_key_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbt_connection_class_init (DbtConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbt_connection_finalize;
  object_class->get_property = dbt_connection_get_property;
  object_class->set_property = dbt_connection_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENDPOINT_URL] =
    g_param_spec_string ("endpoint-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTH] =
    g_param_spec_enum ("auth", NULL, NULL,
                       DBT_TYPE_CONNECTION_AUTH, DBT_CONNECTION_AUTH_ENVIRONMENT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROFILE] =
    g_param_spec_string ("profile", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCESS_KEY_ID] =
    g_param_spec_string ("access-key-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbt_connection_init (DbtConnection *self)
{
  self->auth = DBT_CONNECTION_AUTH_ENVIRONMENT;
}

DbtConnection *
dbt_connection_new_local_stack (void)
{
  DbtConnection *self = g_object_new (DBT_TYPE_CONNECTION,
                                      "id", DBT_CONNECTION_LOCAL_STACK_ID,
                                      "name", _("Local stack"),
                                      NULL);

  self->auth = DBT_CONNECTION_AUTH_LOCAL_STACK;
  return self;
}

DbtConnection *
dbt_connection_new (const char *name)
{
  g_autofree char *id = g_uuid_string_random ();

  return g_object_new (DBT_TYPE_CONNECTION,
                       "id", id,
                       "name", name,
                       NULL);
}

const char *
dbt_connection_get_id (DbtConnection *self)
{
  g_return_val_if_fail (DBT_IS_CONNECTION (self), NULL);
  return self->id;
}

gboolean
dbt_connection_is_local_stack (DbtConnection *self)
{
  g_return_val_if_fail (DBT_IS_CONNECTION (self), FALSE);
  return self->auth == DBT_CONNECTION_AUTH_LOCAL_STACK;
}

const char *
dbt_connection_get_name (DbtConnection *self)
{
  g_return_val_if_fail (DBT_IS_CONNECTION (self), NULL);
  return self->name;
}

void
dbt_connection_set_name (DbtConnection *self,
                         const char    *name)
{
  g_return_if_fail (DBT_IS_CONNECTION (self));
  dbt_connection_set_string_property (self, &self->name, name, PROP_NAME);
}

const char *
dbt_connection_get_endpoint_url (DbtConnection *self)
{
  g_return_val_if_fail (DBT_IS_CONNECTION (self), NULL);
  return self->endpoint_url;
}

void
dbt_connection_set_endpoint_url (DbtConnection *self,
                                 const char    *endpoint_url)
{
  g_return_if_fail (DBT_IS_CONNECTION (self));
  dbt_connection_set_string_property (self, &self->endpoint_url, endpoint_url, PROP_ENDPOINT_URL);
}

const char *
dbt_connection_get_region (DbtConnection *self)
{
  g_return_val_if_fail (DBT_IS_CONNECTION (self), NULL);
  return self->region;
}

void
dbt_connection_set_region (DbtConnection *self,
                           const char    *region)
{
  g_return_if_fail (DBT_IS_CONNECTION (self));
  dbt_connection_set_string_property (self, &self->region, region, PROP_REGION);
}

DbtConnectionAuth
dbt_connection_get_auth (DbtConnection *self)
{
  g_return_val_if_fail (DBT_IS_CONNECTION (self), DBT_CONNECTION_AUTH_ENVIRONMENT);
  return self->auth;
}

void
dbt_connection_set_auth (DbtConnection     *self,
                         DbtConnectionAuth  auth)
{
  g_return_if_fail (DBT_IS_CONNECTION (self));
  /* The built-in connection is the only one authenticated by the local stack. */
  g_return_if_fail (auth != DBT_CONNECTION_AUTH_LOCAL_STACK);
  g_return_if_fail (self->auth != DBT_CONNECTION_AUTH_LOCAL_STACK);

  if (self->auth == auth)
    return;
  self->auth = auth;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

const char *
dbt_connection_get_profile (DbtConnection *self)
{
  g_return_val_if_fail (DBT_IS_CONNECTION (self), NULL);
  return self->profile;
}

void
dbt_connection_set_profile (DbtConnection *self,
                            const char    *profile)
{
  g_return_if_fail (DBT_IS_CONNECTION (self));
  dbt_connection_set_string_property (self, &self->profile, profile, PROP_PROFILE);
}

const char *
dbt_connection_get_access_key_id (DbtConnection *self)
{
  g_return_val_if_fail (DBT_IS_CONNECTION (self), NULL);
  return self->access_key_id;
}

void
dbt_connection_set_access_key_id (DbtConnection *self,
                                  const char    *access_key_id)
{
  g_return_if_fail (DBT_IS_CONNECTION (self));
  dbt_connection_set_string_property (self, &self->access_key_id, access_key_id, PROP_ACCESS_KEY_ID);
}

char *
dbt_connection_dup_summary (DbtConnection *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (DBT_IS_CONNECTION (self), NULL);

  switch (self->auth)
    {
    case DBT_CONNECTION_AUTH_LOCAL_STACK:
      return g_strdup (_("Emulated AWS on this computer"));
    case DBT_CONNECTION_AUTH_PROFILE:
      g_ptr_array_add (parts, g_strdup_printf (_("Profile “%s”"),
                                               self->profile != NULL ? self->profile : "default"));
      break;
    case DBT_CONNECTION_AUTH_KEYRING:
      g_ptr_array_add (parts, g_strdup_printf (_("Access key %s"),
                                               self->access_key_id != NULL ? self->access_key_id : "—"));
      break;
    case DBT_CONNECTION_AUTH_ENVIRONMENT:
      g_ptr_array_add (parts, g_strdup (_("Environment")));
      break;
    default:
      g_assert_not_reached ();
    }

  if (self->region != NULL)
    g_ptr_array_insert (parts, 0, g_strdup (self->region));
  g_ptr_array_add (parts, g_strdup (self->endpoint_url != NULL ? self->endpoint_url : _("AWS")));
  g_ptr_array_add (parts, NULL);

  return g_strjoinv (" · ", (char **) parts->pdata);
}

GVariant *
dbt_connection_to_variant (DbtConnection *self)
{
  GVariantDict dict;

  g_return_val_if_fail (DBT_IS_CONNECTION (self), NULL);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "id", "s", self->id);
  g_variant_dict_insert (&dict, "auth", "s", dbt_connection_auth_to_string (self->auth));
  if (self->name != NULL)
    g_variant_dict_insert (&dict, "name", "s", self->name);
  if (self->endpoint_url != NULL)
    g_variant_dict_insert (&dict, "endpoint-url", "s", self->endpoint_url);
  if (self->region != NULL)
    g_variant_dict_insert (&dict, "region", "s", self->region);
  if (self->profile != NULL)
    g_variant_dict_insert (&dict, "profile", "s", self->profile);
  if (self->access_key_id != NULL)
    g_variant_dict_insert (&dict, "access-key-id", "s", self->access_key_id);

  return g_variant_dict_end (&dict);
}

DbtConnection *
dbt_connection_new_from_variant (GVariant  *variant,
                                 GError   **error)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (variant);
  g_autoptr(DbtConnection) self = NULL;
  const char *id = NULL;
  const char *auth_string = NULL;
  const char *value = NULL;
  DbtConnectionAuth auth;

  if (!g_variant_dict_lookup (&dict, "id", "&s", &id) || *id == '\0' ||
      g_str_equal (id, DBT_CONNECTION_LOCAL_STACK_ID))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "connection without a valid id");
      return NULL;
    }
  if (!g_variant_dict_lookup (&dict, "auth", "&s", &auth_string) ||
      !dbt_connection_auth_from_string (auth_string, &auth) ||
      auth == DBT_CONNECTION_AUTH_LOCAL_STACK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "connection %s: unknown authentication", id);
      return NULL;
    }

  self = g_object_new (DBT_TYPE_CONNECTION, "id", id, NULL);
  self->auth = auth;
  if (g_variant_dict_lookup (&dict, "name", "&s", &value))
    set_string (&self->name, value);
  if (g_variant_dict_lookup (&dict, "endpoint-url", "&s", &value))
    set_string (&self->endpoint_url, value);
  if (g_variant_dict_lookup (&dict, "region", "&s", &value))
    set_string (&self->region, value);
  if (g_variant_dict_lookup (&dict, "profile", "&s", &value))
    set_string (&self->profile, value);
  if (g_variant_dict_lookup (&dict, "access-key-id", "&s", &value))
    set_string (&self->access_key_id, value);

  return g_steal_pointer (&self);
}

gboolean
dbt_connection_validate_endpoint_url (const char  *endpoint_url,
                                      GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (endpoint_url == NULL || *endpoint_url == '\0')
    return TRUE;

  uri = g_uri_parse (endpoint_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Not a URL. Write it as http://host:port or https://host"));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The URL must start with http:// or https://"));
      return FALSE;
    }

  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The URL has no host name"));
      return FALSE;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The URL may not contain a user name, a query or a fragment"));
      return FALSE;
    }

  return TRUE;
}
