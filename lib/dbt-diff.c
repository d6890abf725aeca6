/* dbt-diff.c — placeholder until implemented */
#include <glib.h>
