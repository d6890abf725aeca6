/* dbt-error.c — placeholder until implemented */
#include <glib.h>
