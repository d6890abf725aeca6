/* test-ui-i18n.c — the console in German, from the build tree's catalogue. */
#include "dbt-config.h"

#include "dbt-ui-test.h"

static void
test_german_sidebar (void)
{
  DbtWindow *window = dbt_ui_test_open_window ();
  GtkWidget *sidebar = dbt_ui_test_find_by_id (GTK_WIDGET (window), "sidebar");
  GtkWidget *items_page = dbt_window_get_page (window, "items");

  g_assert_nonnull (sidebar);
  g_assert_nonnull (dbt_ui_test_find_label (sidebar, "Einträge"));
  g_assert_nonnull (dbt_ui_test_find_label (sidebar, "Besitzer"));
  g_assert_nonnull (dbt_ui_test_find_label (sidebar, "Live"));
  g_assert_nonnull (dbt_ui_test_find_label (sidebar, "Bereitstellen"));
  g_assert_null (dbt_ui_test_find_label (sidebar, "Items"));
  /* The page's own toolbar, translated too. */
  g_assert_nonnull (dbt_ui_test_find_label (items_page, "Neuer Eintrag"));
  g_assert_null (dbt_ui_test_find_label (items_page, "New Item"));

  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (window), "items-page-de"));
  dbt_ui_test_close_all ();
}

int
main (int   argc,
      char *argv[])
{
  /* gettext ignores LANGUAGE in the "C" locale, but not in C.UTF-8, which
   * every glibc has: no German locale needs to be installed. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);

  dbt_ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/i18n/german-sidebar", test_german_sidebar);

  return g_test_run ();
}
