/* dbt-connection.h — one named place the console talks to.
 *
 * A connection is a name, an optional endpoint URL (none: AWS itself), a
 * region and a way to authenticate: a profile of ~/.aws, an access key whose
 * secret half lives in the keyring, or the process environment. The
 * built-in "Local stack" connection needs none of that: it is resolved from
 * the local stack's stack.env when used (see dbt-local-stack.h).
 *
 * A DbtConnection never holds a secret.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DBT_CONNECTION_LOCAL_STACK_ID "local-stack"

typedef enum
{
  DBT_CONNECTION_AUTH_LOCAL_STACK,  /* the built-in connection only */
  DBT_CONNECTION_AUTH_PROFILE,
  DBT_CONNECTION_AUTH_KEYRING,
  DBT_CONNECTION_AUTH_ENVIRONMENT,
} DbtConnectionAuth;

#define DBT_TYPE_CONNECTION_AUTH (dbt_connection_auth_get_type ())
GType dbt_connection_auth_get_type (void) G_GNUC_CONST;

/* "local-stack", "profile", "keyring", "environment" and back. */
const char *dbt_connection_auth_to_string   (DbtConnectionAuth auth);
gboolean    dbt_connection_auth_from_string (const char        *string,
                                             DbtConnectionAuth *auth);

#define DBT_TYPE_CONNECTION (dbt_connection_get_type ())
G_DECLARE_FINAL_TYPE (DbtConnection, dbt_connection, DBT, CONNECTION, GObject)

DbtConnection     *dbt_connection_new_local_stack    (void);
/* A new user connection with a fresh identifier. */
DbtConnection     *dbt_connection_new                (const char *name);

const char        *dbt_connection_get_id             (DbtConnection *self);
gboolean           dbt_connection_is_local_stack     (DbtConnection *self);
const char        *dbt_connection_get_name           (DbtConnection *self);
void               dbt_connection_set_name           (DbtConnection *self, const char *name);
/* NULL: AWS itself (or, for the local stack, the endpoint of stack.env). */
const char        *dbt_connection_get_endpoint_url   (DbtConnection *self);
void               dbt_connection_set_endpoint_url   (DbtConnection *self, const char *endpoint_url);
/* NULL: from the profile or the environment. */
const char        *dbt_connection_get_region         (DbtConnection *self);
void               dbt_connection_set_region         (DbtConnection *self, const char *region);
DbtConnectionAuth  dbt_connection_get_auth           (DbtConnection *self);
void               dbt_connection_set_auth           (DbtConnection *self, DbtConnectionAuth auth);
/* For DBT_CONNECTION_AUTH_PROFILE; NULL: AWS_PROFILE, else "default". */
const char        *dbt_connection_get_profile        (DbtConnection *self);
void               dbt_connection_set_profile        (DbtConnection *self, const char *profile);
/* For DBT_CONNECTION_AUTH_KEYRING: the public half of the key. */
const char        *dbt_connection_get_access_key_id  (DbtConnection *self);
void               dbt_connection_set_access_key_id  (DbtConnection *self, const char *access_key_id);

/* One line for the connection's row and the pages: "us-east-1 · profile dev". */
char              *dbt_connection_dup_summary        (DbtConnection *self);

/* GSettings form: a{sv} with "id", "name", "endpoint-url", "region", "auth",
 * "profile", "access-key-id" (absent members: unset). Never a secret. */
GVariant          *dbt_connection_to_variant         (DbtConnection *self);
DbtConnection     *dbt_connection_new_from_variant   (GVariant *variant, GError **error);

/* The endpoint URL a user typed: empty, or http(s)://host[:port][/path].
 * On failure @error says what is wrong, in words for the user. */
gboolean           dbt_connection_validate_endpoint_url (const char *endpoint_url,
                                                         GError    **error);

G_END_DECLS
