/* dbt-render.c — placeholder until implemented */
#include <glib.h>
