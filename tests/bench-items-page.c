/* bench-items-page.c — how the Items page does on a large table.
 *
 * Not a test: it prints figures and passes no judgement. Run it with
 *
 *   meson test -C BUILD --benchmark bench-items-page --verbose
 *
 * which starts a private local stack (build-aux/local-stack with) and Xvfb
 * (run-ui-test.sh). It creates a table, writes ITEMS items into it
 * (default 100,000; DBT_BENCH_ITEMS overrides) with bench-items-seed.py,
 * points a copy of the stack's folder at that table, and then measures:
 *
 *  - from creating the window to the first page of items drawn;
 *  - each of the next pages, from scrolling to the end to the page drawn;
 *  - loading on (DBT_BENCH_PAGES pages, default 60; "all" for the whole
 *    table) and sorting what is loaded by a number column;
 *  - the main loop's longest stall in each phase: a 1 ms timeout records
 *    the largest gap between two of its runs.
 *
 * The Scan pages themselves come from moto, whose Scan walks the table for
 * every page; the main-loop stall is the figure that is the page's own.
 */
#include "dbt-config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "dbt-dynamodb.h"
#include "dbt-items-page.h"
#include "dbt-ui-test.h"

#define TABLE "bench-items"

static gint64 last_beat;
static gint64 longest_stall;

static gboolean
heartbeat_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_beat != 0 && now - last_beat > longest_stall)
    longest_stall = now - last_beat;
  last_beat = now;
  return G_SOURCE_CONTINUE;
}

static void
stall_reset (void)
{
  last_beat = g_get_monotonic_time ();
  longest_stall = 0;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static DbtAwsClient *
client_from_environment (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) config = dbt_aws_config_load (NULL, &error);

  if (config == NULL)
    g_error ("no AWS configuration: %s", error->message);
  return dbt_aws_client_new (config);
}

/* A copy of the stack folder whose outputs name only the bench table. */
static char *
bench_stack_dir (const char *stack_dir)
{
  g_autofree char *dir = g_dir_make_tmp ("dbt-bench-stack-XXXXXX", NULL);
  g_autofree char *env_path = g_build_filename (stack_dir, "stack.env", NULL);
  g_autofree char *new_env_path = g_build_filename (dir, "stack.env", NULL);
  g_autofree char *outputs_path = g_build_filename (dir, "terraform-outputs.json", NULL);
  g_autofree char *env = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (env_path, &env, NULL, &error)
      || !g_file_set_contents (new_env_path, env, -1, &error)
      || !g_file_set_contents (outputs_path,
                               "{\"table_name\": {\"value\": \"" TABLE "\"},"
                               " \"owner_attribute\": {\"value\": \"owner\"},"
                               " \"function_name\": {\"value\": \"none\"}}",
                               -1, &error))
    g_error ("cannot prepare %s: %s", dir, error->message);
  return g_steal_pointer (&dir);
}

static void
seed (DbtAwsClient *client,
      guint         count)
{
  DbtTableSpec spec = { .table_name = TABLE, .hash_key_name = "pk", .hash_key_type = DBT_VALUE_S };
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtTableDescription) created = dbt_dynamodb_create_table (client, &spec, NULL, &error);
  g_autoptr(DbtTableDescription) active = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "bench-items-seed.py", NULL);
  g_autofree char *count_text = g_strdup_printf ("%u", count);
  const char *argv[] = { "python3", script, TABLE, count_text, NULL };
  gint64 start;
  int status = 0;

  if (created == NULL)
    g_error ("CreateTable: %s", error->message);
  active = dbt_dynamodb_wait_for_table (client, TABLE, 100, 30000, NULL, &error);
  if (active == NULL)
    g_error ("table not active: %s", error->message);

  start = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN,
                     NULL, NULL, NULL, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("seeding failed: %s", error->message);
  g_print ("seed: %u items in %.1f s (boto3 batch_writer, BatchWriteItem of 25)\n",
           count, ms_since (start) / 1000.0);
}

static gboolean
page_is_idle (gpointer data)
{
  return !dbt_items_page_get_loading (data);
}

typedef struct
{
  GListModel *model;
  guint       n;
} MoreThan;

static gboolean
has_more_than (gpointer data)
{
  MoreThan *more = data;

  return g_list_model_get_n_items (more->model) > more->n;
}

static gboolean
sort_is_done (gpointer data)
{
  return gtk_sort_list_model_get_pending (data) == 0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  const char *stack_dir = g_getenv ("DBT_STACK_DIR");
  const char *items_env = g_getenv ("DBT_BENCH_ITEMS");
  const char *pages_env = g_getenv ("DBT_BENCH_PAGES");
  guint count = items_env != NULL ? (guint) g_ascii_strtoull (items_env, NULL, 10) : 100000;
  gboolean all_pages = g_strcmp0 (pages_env, "all") == 0;
  guint max_pages = pages_env != NULL && !all_pages ? (guint) g_ascii_strtoull (pages_env, NULL, 10) : 60;
  g_autoptr(DbtAwsClient) client = NULL;
  g_autofree char *bench_dir = NULL;
  g_autoptr(GArray) page_ms = g_array_new (FALSE, FALSE, sizeof (double));
  DbtWindow *window;
  DbtItemsPage *page;
  GtkColumnView *view;
  GListModel *model;
  GtkAdjustment *adjustment;
  GtkSortListModel *sorted;
  GListModel *columns;
  GtkColumnViewColumn *n_column = NULL;
  gint64 start;
  double first_ms;
  gint64 load_stall;

  dbt_ui_test_init (&argc, &argv);
  if (stack_dir == NULL || g_getenv ("AWS_ENDPOINT_URL") == NULL)
    {
      g_printerr ("bench-items-page: run it under build-aux/local-stack with (see the file's comment)\n");
      return 1;
    }

  client = client_from_environment ();
  seed (client, count);
  bench_dir = bench_stack_dir (stack_dir);
  g_setenv ("DBT_STACK_DIR", bench_dir, TRUE);

  g_timeout_add (1, heartbeat_cb, NULL);

  /* Opening: window, session, DescribeTable, the first Scan page, drawn. */
  stall_reset ();
  start = g_get_monotonic_time ();
  window = dbt_ui_test_open_window ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  page = DBT_ITEMS_PAGE (dbt_window_get_page (window, "items"));
  view = GTK_COLUMN_VIEW (dbt_ui_test_find_by_id (GTK_WIDGET (page), "column_view"));
  model = G_LIST_MODEL (gtk_column_view_get_model (view));
  {
    MoreThan none = { model, 0 };

    if (!dbt_ui_test_wait_until (has_more_than, &none, 120000))
      g_error ("the first page did not come");
  }
  dbt_ui_test_wait_for_draw (GTK_WIDGET (window));
  first_ms = ms_since (start);
  g_print ("first page: %u items shown %.0f ms after opening the window (longest main-loop stall %.1f ms)\n",
           g_list_model_get_n_items (model), first_ms, longest_stall / 1000.0);

  /* Scrolling: each next page. */
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (gtk_widget_get_parent (GTK_WIDGET (view))));
  g_assert_true (dbt_ui_test_wait_until (page_is_idle, page, 120000));
  stall_reset ();
  start = g_get_monotonic_time ();
  for (guint i = 0; (all_pages || i < max_pages) && !dbt_items_page_get_complete (page); i++)
    {
      MoreThan more = { model, g_list_model_get_n_items (model) };
      gint64 page_start = g_get_monotonic_time ();
      double ms;

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      if (!dbt_ui_test_wait_until (has_more_than, &more, 120000))
        g_error ("page %u did not come", i + 2);
      dbt_ui_test_wait_for_draw (GTK_WIDGET (window));
      ms = ms_since (page_start);
      g_array_append_val (page_ms, ms);
      g_assert_true (dbt_ui_test_wait_until (page_is_idle, page, 120000));
    }
  load_stall = longest_stall;
  if (page_ms->len > 0)
    {
      double sum = 0;

      for (guint i = 0; i < page_ms->len; i++)
        sum += g_array_index (page_ms, double, i);
      g_array_sort (page_ms, compare_doubles);
      g_print ("next pages: %u pages while scrolling, per page: first %.0f ms, median %.0f ms, "
               "max %.0f ms, mean %.0f ms\n",
               page_ms->len, g_array_index (page_ms, double, 0),
               g_array_index (page_ms, double, page_ms->len / 2),
               g_array_index (page_ms, double, page_ms->len - 1), sum / page_ms->len);
    }
  g_print ("loading: %u items loaded in %.1f s; longest main-loop stall while loading %.1f ms\n",
           g_list_model_get_n_items (model), ms_since (start) / 1000.0, load_stall / 1000.0);

  /* Sorting what is loaded by a number column (incremental). */
  columns = gtk_column_view_get_columns (view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), "n") == 0)
        n_column = column;
    }
  sorted = GTK_SORT_LIST_MODEL (gtk_single_selection_get_model (GTK_SINGLE_SELECTION (model)));
  if (n_column != NULL)
    {
      stall_reset ();
      start = g_get_monotonic_time ();
      gtk_column_view_sort_by_column (view, n_column, GTK_SORT_ASCENDING);
      g_assert_true (dbt_ui_test_wait_until (sort_is_done, sorted, 600000));
      dbt_ui_test_wait_for_draw (GTK_WIDGET (window));
      g_print ("sort: %u items by \"n\" in %.0f ms; longest main-loop stall %.1f ms\n",
               g_list_model_get_n_items (model), ms_since (start), longest_stall / 1000.0);

      /* Scrolling through the sorted rows. */
      stall_reset ();
      start = g_get_monotonic_time ();
      for (guint i = 0; i < 50; i++)
        {
          gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) * i / 50);
          dbt_ui_test_wait_for_draw (GTK_WIDGET (window));
        }
      g_print ("scroll: 50 jumps through the sorted rows, each drawn, in %.0f ms; longest stall %.1f ms\n",
               ms_since (start), longest_stall / 1000.0);
    }

  dbt_ui_test_close_all ();
  g_setenv ("DBT_STACK_DIR", stack_dir, TRUE);
  {
    g_autofree char *env_path = g_build_filename (bench_dir, "stack.env", NULL);
    g_autofree char *outputs_path = g_build_filename (bench_dir, "terraform-outputs.json", NULL);

    g_unlink (env_path);
    g_unlink (outputs_path);
    g_rmdir (bench_dir);
  }
  return 0;
}
