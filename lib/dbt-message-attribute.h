/* dbt-message-attribute.h — a message attribute as SNS and SQS take them:
 * a name, a data type ("String", "Number", "String.Array"; binary
 * attributes are not supported here) and the value as text. SNS filter
 * policies on message attributes match these.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  const char *data_type;     /* NULL: "String" */
  const char *string_value;
} DbtMessageAttribute;

G_END_DECLS
