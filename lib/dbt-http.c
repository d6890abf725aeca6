/* dbt-http.c — placeholder until implemented */
#include <glib.h>
