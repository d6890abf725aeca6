/* dbt-credentials.c — placeholder until implemented */
#include <glib.h>
