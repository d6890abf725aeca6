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
 *  - each of the next DBT_BENCH_PAGES pages (default 20, of 200 items),
 *    from scrolling to the end to the page drawn;
 *  - the rest of the table, read in pages of DBT_BENCH_BULK (default 2000)
 *    items so that moto, whose Scan walks the whole table for every page,
 *    takes minutes rather than half an hour;
 *  - sorting all of it by a number column, then scrolling through it;
 *  - in each phase, the main loop's longest stall (a 1 ms timeout records
 *    the largest gap between two of its runs) and the main thread's CPU
 *    time, which the load of the machine does not inflate.
 */
#include "dbt-config.h"

#include <string.h>
#include <sys/resource.h>
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

/* CPU time of the calling thread (the main thread here), in ms. */
static double
thread_cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
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

/* The page's own work per batch, on the main thread: from the batch's
 * arrival ("loading" turns FALSE) to its rows spliced in and every model
 * and the view told (the store's items-changed, connected last). */
static double batch_cpu_start;
static double batch_cpu_max;
static double batch_cpu_total;
static guint  batch_count;

static void
loading_changed_cb (DbtItemsPage *page)
{
  if (!dbt_items_page_get_loading (page))
    batch_cpu_start = thread_cpu_ms ();
}

static void
rows_added_cb (GListModel *store,
               guint       position,
               guint       removed,
               guint       added)
{
  double cpu;

  if (added == 0 || batch_cpu_start == 0)
    return;
  cpu = thread_cpu_ms () - batch_cpu_start;
  batch_cpu_start = 0;
  batch_cpu_max = MAX (batch_cpu_max, cpu);
  batch_cpu_total += cpu;
  batch_count++;
}

static void
batch_stats_print (void)
{
  if (batch_count > 0)
    g_print ("  appending a batch on the main thread: mean %.1f ms, max %.1f ms CPU (%u batches)\n",
             batch_cpu_total / batch_count, batch_cpu_max, batch_count);
  batch_cpu_total = batch_cpu_max = 0;
  batch_count = 0;
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

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? (guint) g_ascii_strtoull (value, NULL, 10) : fallback;
}

typedef struct
{
  gint64 start;
  double cpu_start;
} Phase;

/* Main-thread CPU per ms of an idle main loop: the heartbeat's own cost,
 * taken off each phase's figure. */
static double idle_cpu_per_ms;

static void
phase_start (Phase *phase)
{
  stall_reset ();
  phase->start = g_get_monotonic_time ();
  phase->cpu_start = thread_cpu_ms ();
}

static void
phase_print (Phase      *phase,
             const char *what)
{
  double wall = ms_since (phase->start);
  double cpu = thread_cpu_ms () - phase->cpu_start;

  g_print ("%s: %.0f ms; main thread CPU %.0f ms (%.0f ms above the idle heartbeat); "
           "longest main-loop stall %.1f ms\n",
           what, wall, cpu, MAX (cpu - idle_cpu_per_ms * wall, 0), longest_stall / 1000.0);
}

static void
measure_idle (void)
{
  Phase phase;
  g_autofree char *loadavg = NULL;

  phase_start (&phase);
  dbt_ui_test_iterate (2000);
  idle_cpu_per_ms = (thread_cpu_ms () - phase.cpu_start) / ms_since (phase.start);
  g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL);
  g_print ("idle main loop with the 1 ms heartbeat: %.1f%% of a CPU, longest stall %.1f ms "
           "(load average: %s)\n", idle_cpu_per_ms * 100, longest_stall / 1000.0,
           loadavg != NULL ? g_strstrip (loadavg) : "?");
}

int
main (int   argc,
      char *argv[])
{
  const char *stack_dir = g_getenv ("DBT_STACK_DIR");
  guint count = env_uint ("DBT_BENCH_ITEMS", 100000);
  guint next_pages = env_uint ("DBT_BENCH_PAGES", 20);
  guint bulk_page_size = env_uint ("DBT_BENCH_BULK", 2000);
  g_autoptr(DbtAwsClient) client = NULL;
  g_autofree char *bench_dir = NULL;
  g_autoptr(GArray) page_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *what = NULL;
  DbtWindow *window;
  DbtItemsPage *page;
  GtkColumnView *view;
  GListModel *model;
  GtkAdjustment *adjustment;
  GtkSortListModel *sorted;
  GListModel *columns;
  GtkColumnViewColumn *n_column = NULL;
  Phase phase;
  MoreThan none;
  guint before;

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
  phase_start (&phase);
  window = dbt_ui_test_open_window ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  page = DBT_ITEMS_PAGE (dbt_window_get_page (window, "items"));
  view = GTK_COLUMN_VIEW (dbt_ui_test_find_by_id (GTK_WIDGET (page), "column_view"));
  model = G_LIST_MODEL (gtk_column_view_get_model (view));
  g_signal_connect (page, "notify::loading", G_CALLBACK (loading_changed_cb), NULL);
  g_signal_connect (gtk_sort_list_model_get_model (GTK_SORT_LIST_MODEL (gtk_single_selection_get_model (GTK_SINGLE_SELECTION (model)))),
                    "items-changed", G_CALLBACK (rows_added_cb), NULL);
  none = (MoreThan) { model, 0 };
  if (!dbt_ui_test_wait_until (has_more_than, &none, 120000))
    g_error ("the first page did not come");
  dbt_ui_test_wait_for_draw (GTK_WIDGET (window));
  what = g_strdup_printf ("first page (%u items) shown after opening the window",
                          g_list_model_get_n_items (model));
  phase_print (&phase, what);
  batch_stats_print ();
  g_assert_true (dbt_ui_test_wait_until (page_is_idle, page, 120000));
  measure_idle ();

  /* Scrolling: each next page. Not by its id: the status pages hold a
   * "scrolled_window" too. */
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (gtk_widget_get_parent (GTK_WIDGET (view))));
  phase_start (&phase);
  for (guint i = 0; i < next_pages && !dbt_items_page_get_complete (page); i++)
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
  if (page_ms->len > 0)
    {
      g_array_sort (page_ms, compare_doubles);
      g_free (what);
      what = g_strdup_printf ("next %u pages of 200 while scrolling (per page: median %.0f ms, max %.0f ms)",
                              page_ms->len, g_array_index (page_ms, double, page_ms->len / 2),
                              g_array_index (page_ms, double, page_ms->len - 1));
      phase_print (&phase, what);
      batch_stats_print ();
    }

  /* The rest, in bigger pages. */
  before = g_list_model_get_n_items (model);
  dbt_items_page_set_page_size (page, bulk_page_size);
  phase_start (&phase);
  for (guint i = 0; !dbt_items_page_get_complete (page); i++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      dbt_ui_test_iterate (5);
      g_assert_true (dbt_ui_test_wait_until (page_is_idle, page, 600000));
    }
  dbt_ui_test_wait_for_draw (GTK_WIDGET (window));
  g_free (what);
  what = g_strdup_printf ("rest of the table (%u more items, pages of %u) loaded while scrolling",
                          g_list_model_get_n_items (model) - before, bulk_page_size);
  phase_print (&phase, what);
  batch_stats_print ();

  /* Sorting everything by a number column (incremental). */
  columns = gtk_column_view_get_columns (view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), "n") == 0)
        n_column = column;
    }
  g_assert_nonnull (n_column);
  sorted = GTK_SORT_LIST_MODEL (gtk_single_selection_get_model (GTK_SINGLE_SELECTION (model)));
  phase_start (&phase);
  gtk_column_view_sort_by_column (view, n_column, GTK_SORT_ASCENDING);
  g_assert_true (dbt_ui_test_wait_until (sort_is_done, sorted, 600000));
  dbt_ui_test_wait_for_draw (GTK_WIDGET (window));
  g_free (what);
  what = g_strdup_printf ("sort of %u items by \"n\"", g_list_model_get_n_items (model));
  phase_print (&phase, what);

  /* Scrolling through the sorted rows: 50 jumps, each drawn. */
  phase_start (&phase);
  for (guint i = 0; i < 50; i++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) * i / 50);
      dbt_ui_test_wait_for_draw (GTK_WIDGET (window));
    }
  phase_print (&phase, "50 jumps through the sorted rows, each drawn");

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
