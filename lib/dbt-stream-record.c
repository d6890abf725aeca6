/* dbt-stream-record.c — placeholder until implemented */
#include <glib.h>
