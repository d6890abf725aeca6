/* dbt-filter-policy.h — SNS subscription filter policies, as SNS applies
 * them before delivering a message to a subscriber. Pure.
 *
 * A policy is a JSON object; every top-level key must match (AND), and a
 * key matches when any of the conditions in its list matches (OR) any of
 * the message's values for it. Conditions: a string (exact match), a
 * number (numeric equality), true/false/null (body scope), and the
 * operators {"prefix": s}, {"suffix": s}, {"equals-ignore-case": s},
 * {"exists": bool}, {"numeric": [op, n (, op, n)]} with = < <= > >=, and
 * {"anything-but": value | [values] | {"prefix": s} | {"suffix": s}}.
 * A key the message lacks matches only {"exists": false}.
 *
 * Scope "MessageAttributes" (the default) matches the message attributes
 * as they are in the SNS envelope ({"name": {"Type": "String", "Value":
 * "..."}}; "Number" values compare as numbers, "String.Array" values are
 * the elements of their JSON array). Scope "MessageBody" matches the
 * message parsed as JSON, nested keys by nested policy objects.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* @policy_json NULL or empty: no policy, everything matches. An invalid
 * policy (not JSON, unknown operator) is an error (G_IO_ERROR_INVALID_DATA). */
gboolean dbt_filter_policy_matches (const char *policy_json,
                                    const char *scope,               /* NULL: "MessageAttributes" */
                                    JsonObject *message_attributes,  /* envelope MessageAttributes; NULL: none */
                                    const char *message,             /* the message text (body scope) */
                                    gboolean   *matches,
                                    GError    **error);

G_END_DECLS
