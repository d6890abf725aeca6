/* dbt-dynamodb.c — placeholder until implemented */
#include <glib.h>
