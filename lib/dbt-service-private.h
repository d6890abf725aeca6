/* dbt-service-private.h — small helpers shared by the typed service calls
 * (dbt-dynamodb.c, dbt-streams.c, dbt-sns.c, dbt-sqs.c, dbt-lambda.c,
 * dbt-s3.c). Not installed, not for other modules.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "dbt-aws-client.h"
#include "dbt-error.h"
#include "dbt-xml.h"

G_BEGIN_DECLS

/* Response readers that tolerate absent members and wrong types: a member
 * that is missing or not of the expected kind reads as the default. */
const char *dbt_json_get_string     (JsonObject *object, const char *name);   /* NULL when absent */
gint64      dbt_json_get_int        (JsonObject *object, const char *name, gint64 default_value);
gboolean    dbt_json_get_bool       (JsonObject *object, const char *name, gboolean default_value);
JsonObject *dbt_json_get_object     (JsonObject *object, const char *name);   /* NULL when absent */
JsonArray  *dbt_json_get_array      (JsonObject *object, const char *name);   /* NULL when absent */
/* A JSON array of strings as a NULL-terminated vector; empty when absent. */
char      **dbt_json_get_strv       (JsonObject *object, const char *name);
/* A JSON object of strings as a new string → string table; empty when absent. */
GHashTable *dbt_json_get_string_map (JsonObject *object, const char *name);

/* The object of a JSON 1.0 response, or DBT_AWS_ERROR_MALFORMED_RESPONSE
 * naming @operation. Not a new reference. */
JsonObject *dbt_json_response_object (JsonNode   *response,
                                      const char *operation,
                                      GError    **error);

/* Prefixes @error (when set) with "@op on @subject: ", or "@op: " when
 * @subject is NULL, because AWS's own messages often name neither. */
void        dbt_service_prefix_error (GError    **error,
                                      const char *op,
                                      const char *subject);

/* A JSON 1.0 call of operation @op (the target is @target_prefix @op)
 * with @builder's object as the request. Errors are prefixed with the
 * operation and, when not NULL, @subject ("GetItem on table “t”: ..."),
 * because AWS's own messages often name neither. Returns an object node. */
JsonNode   *dbt_service_call_json    (DbtAwsClient *client,
                                      DbtService    service,
                                      const char   *target_prefix,
                                      const char   *op,
                                      const char   *subject,
                                      JsonBuilder  *builder,
                                      GCancellable *cancellable,
                                      GError      **error);

/* Request builders: add member @name with a value. The string form adds
 * nothing when @value is NULL. */
void        dbt_json_builder_add_string (JsonBuilder *builder, const char *name, const char *value);
void        dbt_json_builder_add_int    (JsonBuilder *builder, const char *name, gint64 value);
void        dbt_json_builder_add_bool   (JsonBuilder *builder, const char *name, gboolean value);

/* Adds member @name = {"k": "v", ...} from NULL-terminated key, value pairs.
 * Nothing is added when @pairs is NULL. */
void        dbt_json_builder_add_pairs (JsonBuilder       *builder,
                                        const char        *name,
                                        const char *const *pairs);

/* A string → string table owning keys and values. */
GHashTable *dbt_string_table_new     (void);

/* Fails with DBT_AWS_ERROR_INVALID_INPUT ("@what must not be empty") when
 * @value is NULL or "". */
gboolean    dbt_require_string       (const char *value,
                                      const char *what,
                                      GError    **error);

/* Fails with DBT_AWS_ERROR_INVALID_INPUT when @pairs has an odd length. */
gboolean    dbt_require_pairs        (const char *const *pairs,
                                      const char        *what,
                                      GError           **error);

/* RFC 3986 percent-encoding of one path segment (everything but
 * A-Z a-z 0-9 - _ . ~), or of a path keeping '/'. */
char       *dbt_uri_escape_segment   (const char *segment);
char       *dbt_uri_escape_path      (const char *path);

/* Appends "name=<percent-encoded value>" (with '&' when not first) to a
 * REST query string; nothing when @value is NULL. Add names in sorted
 * order: it is the order the signature's canonical query uses. */
void        dbt_query_string_append  (GString    *query,
                                      const char *name,
                                      const char *value);

/* Query-protocol parameters: a GPtrArray of owned strings, name then value.
 * dbt_query_params_end() appends the NULL terminator and returns the vector
 * that dbt_aws_client_call_query() takes. */
GPtrArray  *dbt_query_params_new     (void);
void        dbt_query_params_add     (GPtrArray  *params,
                                      const char *name,
                                      const char *value);
void        dbt_query_params_add_printf (GPtrArray  *params,
                                         const char *value,
                                         const char *name_format,
                                         ...) G_GNUC_PRINTF (3, 4);
/* Name.entry.N.key / Name.entry.N.value for each pair (the query
 * serialisation of a string map). */
void        dbt_query_params_add_map (GPtrArray         *params,
                                      const char        *name,
                                      const char *const *pairs);
const char *const *dbt_query_params_end (GPtrArray *params);

/* Sleeps @ms, waking early to fail with G_IO_ERROR_CANCELLED when
 * @cancellable fires. */
gboolean    dbt_sleep_cancellable    (guint         ms,
                                      GCancellable *cancellable,
                                      GError      **error);

G_END_DECLS
