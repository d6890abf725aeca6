/* dbt-streams.c — placeholder until implemented */
#include <glib.h>
