/* dbt-s3.c — placeholder until implemented */
#include <glib.h>
