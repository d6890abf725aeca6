/* test-ui-window.c — the main window: pages, sidebar, shortcuts, keyboard. */
#include "dbt-config.h"

#include "dbt-page.h"
#include "dbt-ui-test.h"

static const char *page_names[] = { "items", "owners", "live", "deploy" };

static GtkStack *
window_stack (DbtWindow *window)
{
  GtkWidget *stack = dbt_ui_test_find_by_id (GTK_WIDGET (window), "stack");

  g_assert_true (GTK_IS_STACK (stack));
  return GTK_STACK (stack);
}

static void
test_window_opens (void)
{
  DbtWindow *window = dbt_ui_test_open_window ();
  GtkWidget *dropdown = dbt_ui_test_find_by_id (GTK_WIDGET (window), "connection_dropdown");
  GListModel *model;
  g_autoptr(DbtConnection) first = NULL;

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_cmpstr (dbt_window_get_page_name (window), ==, "items");

  /* The built-in connection is there and active, with nothing configured. */
  g_assert_true (GTK_IS_DROP_DOWN (dropdown));
  model = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 1);
  first = g_list_model_get_item (model, 0);
  g_assert_true (dbt_connection_is_local_stack (first));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown)), ==, 0);

  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (window), "main-window"));
  dbt_ui_test_close_all ();
}

/* Each page, chosen in the sidebar as a click would: activating its row. */
static void
test_pages_from_sidebar (void)
{
  DbtWindow *window = dbt_ui_test_open_window ();
  GtkWidget *sidebar = dbt_ui_test_find_by_id (GTK_WIDGET (window), "sidebar");
  GtkStack *stack = window_stack (window);
  GtkWidget *list;

  g_assert_nonnull (sidebar);
  list = dbt_ui_test_find_by_type (sidebar, GTK_TYPE_LIST_BOX);
  g_assert_nonnull (list);

  for (int i = G_N_ELEMENTS (page_names) - 1; i >= 0; i--)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), i);
      GtkWidget *page;
      g_autofree char *shot = g_strdup_printf ("%s-page-no-stack", page_names[i]);

      g_assert_nonnull (row);
      gtk_widget_activate (GTK_WIDGET (row));
      dbt_ui_test_iterate (50);
      g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, page_names[i]);

      page = gtk_stack_get_visible_child (stack);
      g_assert_true (DBT_IS_PAGE (page));
      /* It names the active connection. */
      g_assert_nonnull (dbt_page_get_connection (DBT_PAGE (page)));
      g_assert_true (dbt_connection_is_local_stack (dbt_page_get_connection (DBT_PAGE (page))));

      g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (window), shot));
    }

  dbt_ui_test_close_all ();
}

static void
test_pages_by_shortcut (void)
{
  DbtWindow *window = dbt_ui_test_open_window ();
  GtkStack *stack = window_stack (window);

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      g_autofree char *accel = g_strdup_printf ("<Control>%u", i + 1);

      g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), accel));
      g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, page_names[i]);
    }

  /* Past the last page: nothing moves. */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "<Control>9"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "deploy");

  dbt_ui_test_close_all ();
}

static void
test_search_new_refresh_shortcuts (void)
{
  DbtWindow *window = dbt_ui_test_open_window ();
  GtkStack *stack = window_stack (window);
  GtkWidget *items = dbt_window_get_page (window, "items");
  GtkWidget *search_bar = dbt_ui_test_find_by_id (items, "search_bar");
  GtkWidget *search_entry = dbt_ui_test_find_by_id (items, "search_entry");

  /* Ctrl+N from another page brings up the items. */
  dbt_window_set_page_name (window, "live");
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "<Control>n"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "items");

  /* Ctrl+F opens the search and types into it. */
  g_assert_false (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (search_bar)));
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "<Control>f"));
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (search_bar)));
  g_assert_true (dbt_ui_test_is_inside (gtk_root_get_focus (GTK_ROOT (window)), search_entry));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (window), "items-search"));

  /* Ctrl+R and F5 refresh every page. */
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      dbt_window_set_page_name (window, page_names[i]);
      g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "<Control>r"));
      g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "F5"));
    }

  dbt_ui_test_close_all ();
}

static void
test_shortcuts_window (void)
{
  const char *accels[] = { "<Control>question", "<Control>slash" };

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    {
      DbtWindow *window = dbt_ui_test_open_window ();
      GtkWindow *shortcuts;

      g_assert_null (dbt_ui_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, NULL));
      g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), accels[i]));
      shortcuts = dbt_ui_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, NULL);
      g_assert_nonnull (shortcuts);
      dbt_ui_test_wait_for_draw (GTK_WIDGET (shortcuts));
      g_assert_nonnull (dbt_ui_test_find_label (GTK_WIDGET (shortcuts), "New item"));
      if (i == 0)
        g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (shortcuts), "shortcuts-window"));

      dbt_ui_test_close_all ();
    }
}

static void
test_quit_and_state (void)
{
  DbtWindow *window = dbt_ui_test_open_window ();
  GSettings *settings = dbt_application_get_settings (dbt_ui_test_get_application ());
  g_autofree char *last_page = NULL;

  dbt_window_set_page_name (window, "owners");
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  dbt_ui_test_iterate (50);

  /* Ctrl+Q closes the window, which keeps its size and page. */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "<Control>q"));
  dbt_ui_test_iterate (50);
  g_assert_null (dbt_ui_test_find_toplevel (DBT_TYPE_WINDOW, NULL));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  last_page = g_settings_get_string (settings, "last-page");
  g_assert_cmpstr (last_page, ==, "owners");

  /* The next window opens as the last one was left. */
  window = dbt_ui_test_open_window ();
  g_assert_cmpstr (dbt_window_get_page_name (window), ==, "owners");
  dbt_window_set_page_name (window, "items");
  dbt_ui_test_close_all ();
}

static gboolean
stack_is_still (gpointer data)
{
  return !gtk_stack_get_transition_running (data);
}

static gboolean
focus_in (GtkWidget *focus,
          gpointer   data)
{
  return dbt_ui_test_is_inside (focus, data);
}

/* Keyboard only: Tab reaches the sidebar; arrows there change the page;
 * Tab then reaches the page's main control. */
static void
test_keyboard_navigation (void)
{
  DbtWindow *window = dbt_ui_test_open_window ();
  GtkWidget *sidebar = dbt_ui_test_find_by_id (GTK_WIDGET (window), "sidebar");
  GtkStack *stack = window_stack (window);

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      GtkWidget *page = dbt_window_get_page (window, page_names[i]);
      GtkWidget *main_control = dbt_ui_test_find_by_id (page, "refresh_button");
      GtkWidget *focus;

      focus = dbt_ui_test_tab_until (GTK_WINDOW (window), FALSE, focus_in, sidebar, 30);
      g_assert_nonnull (focus);
      g_assert_true (GTK_IS_LIST_BOX_ROW (focus));

      /* Move the sidebar's cursor to the page's row with the arrow keys;
       * Enter shows the page. */
      while (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (focus)) < (int) i)
        {
          g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "Down"));
          focus = gtk_root_get_focus (GTK_ROOT (window));
        }
      while (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (focus)) > (int) i)
        {
          g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "Up"));
          focus = gtk_root_get_focus (GTK_ROOT (window));
        }
      g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "Return"));
      /* While the pages cross-fade, the old one still takes focus. */
      g_assert_true (dbt_ui_test_wait_until (stack_is_still, stack, 2000));

      focus = dbt_ui_test_tab_until (GTK_WINDOW (window), FALSE, focus_in, main_control, 30);
      g_assert_true (focus == main_control);
      g_assert_true (gtk_widget_has_focus (main_control));
    }

  dbt_ui_test_close_all ();
}

int
main (int   argc,
      char *argv[])
{
  dbt_ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/window/opens", test_window_opens);
  g_test_add_func ("/ui/window/pages-from-sidebar", test_pages_from_sidebar);
  g_test_add_func ("/ui/window/pages-by-shortcut", test_pages_by_shortcut);
  g_test_add_func ("/ui/window/search-new-refresh", test_search_new_refresh_shortcuts);
  g_test_add_func ("/ui/window/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/ui/window/keyboard-navigation", test_keyboard_navigation);
  g_test_add_func ("/ui/window/quit-and-state", test_quit_and_state);

  return g_test_run ();
}
