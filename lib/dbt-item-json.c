/* dbt-item-json.c — placeholder until implemented */
#include <glib.h>
