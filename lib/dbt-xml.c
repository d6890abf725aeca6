/* dbt-xml.c — placeholder until implemented */
#include <glib.h>
