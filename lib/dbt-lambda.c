/* dbt-lambda.c — placeholder until implemented */
#include <glib.h>
