/* dbt-number.c — placeholder until implemented */
#include <glib.h>
