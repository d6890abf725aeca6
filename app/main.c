/* main.c — dbtrigger-console. */
#include "dbt-config.h"

#include "dbt-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(DbtApplication) application = NULL;

  dbt_application_init_i18n ();

  application = dbt_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (application), argc, argv);
}
