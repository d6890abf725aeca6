/* dbt-value.c — placeholder until implemented */
#include <glib.h>
