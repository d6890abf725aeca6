/* dbt-sns.c — placeholder until implemented */
#include <glib.h>
