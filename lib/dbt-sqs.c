/* dbt-sqs.c — placeholder until implemented */
#include <glib.h>
