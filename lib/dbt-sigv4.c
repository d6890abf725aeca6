/* dbt-sigv4.c — placeholder until implemented */
#include <glib.h>
