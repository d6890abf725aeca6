/* bench-live-page.c — can the Live page keep up with 1,000 events/s?
 *
 * Not a test: prints figures, passes nothing and fails nothing.
 *
 * A producer thread makes 1,000 synthetic stream records per second for
 * 10 seconds (MODIFY records with an owner and two changed attributes),
 * turns each into a DbtLiveEvent exactly as the stream watcher does
 * (rendering the diff on the producer thread), and pushes them, 10 every
 * 10 ms, into the queue the watcher fills. That bypasses the network on
 * purpose: what is measured is the UI — the hand-over to the main loop, the
 * once-per-frame list updates, the drop of the oldest rows past the cap,
 * following the newest row, drawing.
 *
 * Measured on the main loop: the longest gap between two runs of a 1 ms
 * heartbeat (a stall), how many gaps passed 50 ms, frames painted, list
 * updates, rows kept (never more than the cap), rows dropped, and the
 * process's resident memory before and after.
 *
 *   meson test -C BUILD --benchmark bench-live-page --verbose
 */
#include "dbt-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "dbt-live-event.h"
#include "dbt-live-page-private.h"
#include "dbt-ui-test.h"

#define EVENTS_PER_SECOND 1000
#define DEFAULT_SECONDS   10
static guint SECONDS = DEFAULT_SECONDS;
#define PUSHES_PER_SECOND 100

typedef struct
{
  DbtLiveQueue *queue;
  gint          done;
  guint64       produced;
  gint64        render_us;     /* time spent making the rows */
} Producer;

static DbtValue *
string_value (const char *text)
{
  return dbt_value_new_string (text, NULL);
}

static DbtValue *
number_value (guint64 n)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, n);

  return dbt_value_new_number (text, NULL);
}

static void
item_set_take (DbtItem    *item,
               const char *name,
               DbtValue   *value)
{
  dbt_item_set (item, name, value);
  dbt_value_unref (value);
}

static DbtLiveEvent *
synthetic_event (guint64 n)
{
  g_autofree char *pk = g_strdup_printf ("order-%06" G_GUINT64_FORMAT, n % 50000);
  g_autofree char *owner = g_strdup_printf ("owner-%02" G_GUINT64_FORMAT, n % 37);
  g_autofree char *event_id = g_strdup_printf ("event-%" G_GUINT64_FORMAT, n);
  g_autofree char *sequence = g_strdup_printf ("1%020" G_GUINT64_FORMAT, n);
  g_autoptr(DbtItem) keys = dbt_item_new ();
  g_autoptr(DbtItem) old_image = dbt_item_new ();
  g_autoptr(DbtItem) new_image = dbt_item_new ();
  DbtStreamRecord record = { 0 };

  item_set_take (keys, "pk", string_value (pk));
  item_set_take (old_image, "pk", string_value (pk));
  item_set_take (old_image, "owner", string_value (owner));
  item_set_take (old_image, "price", number_value (n));
  item_set_take (old_image, "status", string_value ("pending"));
  item_set_take (new_image, "pk", string_value (pk));
  item_set_take (new_image, "owner", string_value (owner));
  item_set_take (new_image, "price", number_value (n + 2));
  item_set_take (new_image, "status", string_value ("shipped"));

  record.event_id = event_id;
  record.event_name = DBT_EVENT_MODIFY;
  record.keys = keys;
  record.old_image = old_image;
  record.new_image = new_image;
  record.sequence_number = sequence;
  record.approximate_creation_ms = g_get_real_time () / 1000;
  return dbt_live_event_new_from_record (&record, "owner", "shardId-00000001");
}

static gpointer
produce (gpointer data)
{
  Producer *producer = data;
  gint64 start = g_get_monotonic_time ();
  guint per_push = EVENTS_PER_SECOND / PUSHES_PER_SECOND;

  for (guint push = 0; push < SECONDS * PUSHES_PER_SECOND; push++)
    {
      /* On a fixed schedule: 1,000 per second whatever the main loop does. */
      gint64 due = start + (gint64) push * G_USEC_PER_SEC / PUSHES_PER_SECOND;
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
      gint64 before;
      gint64 now = g_get_monotonic_time ();

      if (due > now)
        g_usleep (due - now);
      before = g_get_monotonic_time ();
      for (guint i = 0; i < per_push; i++)
        g_ptr_array_add (rows, synthetic_event (producer->produced++));
      producer->render_us += g_get_monotonic_time () - before;
      dbt_live_queue_push (producer->queue, rows);
    }
  g_atomic_int_set (&producer->done, 1);
  return NULL;
}

typedef struct
{
  gint64       start_us;
  gint64       last_us;
  gint64       longest_gap_us;
  guint        gaps_over_50ms;
  guint        gaps_over_16ms;
  guint        beats;
  DbtLiveList *list;
  guint        max_rows;
} Heartbeat;

static gboolean
beat (gpointer data)
{
  Heartbeat *heartbeat = data;
  gint64 now = g_get_monotonic_time ();
  guint rows = g_list_model_get_n_items (dbt_live_list_get_rows (heartbeat->list));

  if (heartbeat->last_us != 0)
    {
      gint64 gap = now - heartbeat->last_us;

      heartbeat->longest_gap_us = MAX (heartbeat->longest_gap_us, gap);
      if (gap > 50000)
        {
          if (g_getenv ("BENCH_VERBOSE") != NULL)
            printf ("# gap %.1f ms at %.2f s, %u rows, following %d\n", gap / 1000.0,
                    (now - heartbeat->start_us) / 1e6, rows, dbt_live_list_get_following (heartbeat->list));
          heartbeat->gaps_over_50ms++;
        }
      if (gap > 16667)
        heartbeat->gaps_over_16ms++;
    }
  heartbeat->last_us = now;
  heartbeat->beats++;
  heartbeat->max_rows = MAX (heartbeat->max_rows, rows);
  return G_SOURCE_CONTINUE;
}

static void
count_frame (GdkFrameClock *clock,
             gpointer       data)
{
  (*(guint *) data)++;
}

static gboolean
producer_done (gpointer data)
{
  return g_atomic_int_get (&((Producer *) data)->done);
}

/* CPU time of the calling thread (user + system), in seconds. */
static double
thread_cpu_s (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_THREAD, &usage) != 0)
    return 0;
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static char *
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  return g_strndup (text, strcspn (text, " "));
}

static double
resident_mb (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL)
      || sscanf (statm, "%lu %lu", &size, &resident) != 2)
    return 0;
  return resident * (double) sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

/* TRUE when a cell on screen shows @text. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_INSCRIPTION (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  DbtWindow *window;
  DbtLivePage *page;
  DbtLiveList *list;
  GtkWidget *scrolled;
  GtkAdjustment *adjustment;
  Producer producer = { 0 };
  Heartbeat heartbeat = { 0 };
  GdkFrameClock *clock;
  guint frames = 0;
  gulong frame_handler;
  guint heartbeat_id;
  GThread *thread;
  gint64 start, elapsed;
  double rss_before, rss_after;
  double cpu_before, cpu_after;
  guint64 updates_before;
  gint64 update_us_before;
  Heartbeat idle = { 0 };
  g_autofree char *load_before = NULL;
  g_autofree char *load_after = NULL;

  dbt_ui_test_init (&argc, &argv);
  if (g_getenv ("BENCH_SECONDS") != NULL)
    SECONDS = MAX (1, atoi (g_getenv ("BENCH_SECONDS")));
  window = dbt_ui_test_open_window ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  dbt_window_set_page_name (window, "live");
  page = DBT_LIVE_PAGE (dbt_window_get_page (window, "live"));
  list = dbt_live_page_get_events_list (page);
  dbt_ui_test_iterate (1500);

  scrolled = dbt_ui_test_find_by_type (GTK_WIDGET (list), GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  producer.queue = dbt_live_list_get_queue (list);
  heartbeat.list = list;
  rss_before = resident_mb ();
  updates_before = dbt_live_list_get_n_updates (list);

  /* The same heartbeat with nothing to show: what this machine's load
   * alone costs the main loop. */
  idle.list = list;
  idle.start_us = g_get_monotonic_time ();
  heartbeat_id = g_timeout_add (1, beat, &idle);
  dbt_ui_test_iterate (3000);
  g_source_remove (heartbeat_id);

  load_before = load_average ();
  update_us_before = dbt_live_list_get_update_time_us (list);
  cpu_before = thread_cpu_s ();
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  frame_handler = g_signal_connect (clock, "after-paint", G_CALLBACK (count_frame), &frames);
  heartbeat_id = g_timeout_add (1, beat, &heartbeat);

  start = g_get_monotonic_time ();
  heartbeat.start_us = start;
  thread = g_thread_new ("bench-producer", produce, &producer);
  dbt_ui_test_wait_until (producer_done, &producer, (SECONDS + 30) * 1000);
  g_thread_join (thread);
  /* The last rows reach the list on the next frame. */
  dbt_ui_test_iterate (200);
  elapsed = g_get_monotonic_time () - start;

  g_source_remove (heartbeat_id);
  g_signal_handler_disconnect (clock, frame_handler);
  cpu_after = thread_cpu_s ();
  load_after = load_average ();
  rss_after = resident_mb ();

  printf ("# Live page, %u synthetic stream events/s for %u s (pushed into the watcher's queue; no network)\n",
          EVENTS_PER_SECOND, SECONDS);
  printf ("machine:                  %u cores, load average %s before, %s after\n",
          g_get_num_processors (), load_before, load_after);
  printf ("events produced:          %" G_GUINT64_FORMAT " in %.2f s\n", producer.produced, elapsed / 1e6);
  printf ("row rendering (producer): %.1f us per event (diff text, keys, time)\n",
          producer.produced > 0 ? (double) producer.render_us / producer.produced : 0);
  printf ("main loop longest stall:  %.1f ms (1 ms heartbeat, %u beats)\n", heartbeat.longest_gap_us / 1000.0,
          heartbeat.beats);
  printf ("  same heartbeat, idle:    %.1f ms longest gap over 3 s (%u gaps over 50 ms): the machine's own noise\n",
          idle.longest_gap_us / 1000.0, idle.gaps_over_50ms);
  printf ("gaps over 16.7 ms:        %u\n", heartbeat.gaps_over_16ms);
  printf ("gaps over 50 ms:          %u\n", heartbeat.gaps_over_50ms);
  printf ("frames painted:           %u (%.1f/s)\n", frames, frames / (elapsed / 1e6));
  printf ("list updates:             %" G_GUINT64_FORMAT " (%.2f ms each on average: drain, splice, counts)\n",
          dbt_live_list_get_n_updates (list) - updates_before,
          (dbt_live_list_get_update_time_us (list) - update_us_before) / 1000.0
          / MAX (1, dbt_live_list_get_n_updates (list) - updates_before));
  printf ("main thread CPU:          %.2f s of %.2f s (%.0f%%: updates, layout, drawing)\n",
          cpu_after - cpu_before, elapsed / 1e6, 100.0 * (cpu_after - cpu_before) / (elapsed / 1e6));
  printf ("rows kept at the end:     %u (cap %u, most seen %u)\n",
          g_list_model_get_n_items (dbt_live_list_get_rows (list)), dbt_live_list_get_cap (list), heartbeat.max_rows);
  printf ("rows dropped (oldest):    %" G_GUINT64_FORMAT "\n", dbt_live_list_get_n_dropped (list));
  printf ("rate shown:               %.0f events/s\n", dbt_live_list_get_rate (list));
  printf ("following the newest:     %s (view at the end: %s)\n",
          dbt_live_list_get_following (list) ? "yes" : "no",
          gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
          >= gtk_adjustment_get_upper (adjustment) - 4 ? "yes" : "no");
  printf ("resident memory:          %.1f MB before, %.1f MB after\n", rss_before, rss_after);
  {
    GListModel *rows = dbt_live_list_get_rows (list);
    g_autoptr(DbtLiveEvent) newest = g_list_model_get_item (rows, g_list_model_get_n_items (rows) - 1);

    printf ("newest row on screen:     %s\n",
            shows_text (GTK_WIDGET (list), dbt_live_event_get_keys_text (newest)) ? "yes" : "no");
  }
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (window), "bench-live-page"));

  dbt_ui_test_close_all ();
  return 0;
}
