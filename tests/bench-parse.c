/* bench-parse.c — dbt_stream_event_parse() against the json-glib tree route.
 *
 *   bench-parse [EVENT_JSON] [--iterations N]
 *
 * Parses one Lambda event N times (default 30) through each route, in
 * alternation, and prints the median CPU time per record of each and their
 * ratio. Without EVENT_JSON, the event is 1,000 generated records shaped
 * like bench-handler.py's batch (items of about 1.2 KB: strings, numbers up
 * to 38 digits, a nested map, a list of maps, sets, binary; INSERT, MODIFY
 * with both images, REMOVE). Both routes must give equal records.
 *
 * Prints one JSON object on stdout; a benchmark reports, it does not judge.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dbt-json-reader.h"
#include "dbt-stream-record.h"

static const char *const words[] = {
  "order", "parcel", "invoice", "shelf", "crate", "pallet", "label", "route", "depot",
  "fragile", "express", "returned", "priority", "customs", "sealed", "Zürich", "café", "naïve",
};

static void
append_words (GString *out,
              GRand   *rand,
              guint    n)
{
  guint i;

  for (i = 0; i < n; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " " : "",
                            words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
}

static void
append_digits (GString *out,
               GRand   *rand,
               guint    n)
{
  guint i;

  g_string_append_c (out, '1' + g_rand_int_range (rand, 0, 9));
  for (i = 1; i < n; i++)
    g_string_append_c (out, '0' + g_rand_int_range (rand, 0, 10));
}

static void
append_item (GString *out,
             GRand   *rand,
             guint    id)
{
  guint8 checksum[16];
  g_autofree char *b64 = NULL;
  guint i, n;

  for (i = 0; i < sizeof checksum; i++)
    checksum[i] = (guint8) g_rand_int (rand);
  b64 = g_base64_encode (checksum, sizeof checksum);

  g_string_append_printf (out, "{\"id\":{\"S\":\"item-%05u\"},\"title\":{\"S\":\"", id);
  append_words (out, rand, 6);
  g_string_append (out, "\"},\"description\":{\"S\":\"");
  append_words (out, rand, 32);
  g_string_append_printf (out, "\"},\"status\":{\"S\":\"shipped\"},\"price\":{\"N\":\"%u.%02u\"},"
                          "\"quantity\":{\"N\":\"%u\"},\"serial\":{\"N\":\"",
                          g_rand_int_range (rand, 0, 10000), g_rand_int_range (rand, 0, 100),
                          g_rand_int_range (rand, 1, 500));
  append_digits (out, rand, 38);
  g_string_append_printf (out, "\"},\"discount\":{\"N\":\"-0.%05u\"},\"active\":{\"BOOL\":%s},"
                          "\"tags\":{\"SS\":[\"blue\",\"bulk\",\"red\"]},"
                          "\"sizes\":{\"NS\":[\"12\",\"3\",\"41\",\"7\"]},\"checksum\":{\"B\":\"%s\"},"
                          "\"dimensions\":{\"M\":{\"width\":{\"N\":\"12.5\"},\"height\":{\"N\":\"40.1\"},"
                          "\"depth\":{\"N\":\"7.0\"},\"unit\":{\"S\":\"cm\"},\"origin\":{\"M\":"
                          "{\"country\":{\"S\":\"CH\"},\"warehouse\":{\"S\":\"",
                          g_rand_int_range (rand, 0, 100000), g_rand_boolean (rand) ? "true" : "false", b64);
  append_words (out, rand, 2);
  g_string_append (out, "\"}}}}},\"history\":{\"L\":[");
  n = g_rand_int_range (rand, 1, 4);
  for (i = 0; i < n; i++)
    {
      g_string_append_printf (out, "%s{\"M\":{\"at\":{\"S\":\"2024-05-01T00:%02u:00Z\"},\"by\":{\"S\":\"",
                              i > 0 ? "," : "", g_rand_int_range (rand, 0, 60));
      append_words (out, rand, 1);
      g_string_append (out, "\"},\"note\":{\"S\":\"");
      append_words (out, rand, 4);
      g_string_append (out, "\"}}}");
    }
  g_string_append_printf (out, "]},\"updatedAt\":{\"S\":\"2024-05-01T00:00:%02u\"},"
                          "\"owner\":{\"S\":\"owner-%02u\"}}",
                          g_rand_int_range (rand, 0, 60), g_rand_int_range (rand, 0, 50));
}

static char *
generate_event (guint n_records)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240501);
  GString *out = g_string_new ("{\"Records\":[");
  guint i;

  for (i = 0; i < n_records; i++)
    {
      gdouble roll = g_rand_double (rand);
      const char *name = roll < 0.50 ? "INSERT" : roll < 0.85 ? "MODIFY" : "REMOVE";

      g_string_append_printf (out, "%s{\"eventID\":\"%08x%08x\",\"eventName\":\"%s\","
                              "\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\","
                              "\"awsRegion\":\"eu-central-1\",\"dynamodb\":{"
                              "\"ApproximateCreationDateTime\":%u,\"Keys\":{\"id\":{\"S\":\"item-%05u\"}},",
                              i > 0 ? "," : "", g_rand_int (rand), g_rand_int (rand), name,
                              1714521600 + i, i);
      if (name[0] != 'R')
        {
          g_string_append (out, "\"NewImage\":");
          append_item (out, rand, i);
          g_string_append_c (out, ',');
        }
      if (name[0] != 'I')
        {
          g_string_append (out, "\"OldImage\":");
          append_item (out, rand, i);
          g_string_append_c (out, ',');
        }
      g_string_append_printf (out, "\"SequenceNumber\":\"1000000000000%08u\",\"SizeBytes\":%u,"
                              "\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},"
                              "\"eventSourceARN\":\"arn:aws:dynamodb:eu-central-1:123456789012:"
                              "table/items/stream/2024-05-01T00:00:00.000\"}",
                              i, 1200 + i);
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

static gint64
cpu_now_ns (void)
{
  struct timespec now;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &now);
  return (gint64) now.tv_sec * G_GINT64_CONSTANT (1000000000) + now.tv_nsec;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gint64
median (gint64 *samples,
        guint   n)
{
  qsort (samples, n, sizeof *samples, compare_gint64);
  return samples[n / 2];
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tree_records = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *json = NULL;
  g_autofree gint64 *tree_ns = NULL;
  g_autofree gint64 *one_pass_ns = NULL;
  gsize len = 0;
  guint iterations = 30;
  const char *path = NULL;
  gdouble tree_us, one_pass_us;
  guint i;
  int arg;

  for (arg = 1; arg < argc; arg++)
    {
      if (strcmp (argv[arg], "--iterations") == 0 && arg + 1 < argc)
        {
          arg++;
          iterations = (guint) MAX (1, atoi (argv[arg]));
        }
      else
        path = argv[arg];
    }

  if (path != NULL)
    {
      if (!g_file_get_contents (path, &json, &len, &error))
        g_error ("%s", error->message);
    }
  else
    {
      json = generate_event (1000);
      len = strlen (json);
    }

  tree_records = dbt_stream_event_parse_tree (json, (gssize) len, &error);
  if (tree_records == NULL)
    g_error ("the event does not parse: %s", error->message);
  records = dbt_stream_event_parse (json, (gssize) len, &error);
  g_assert_nonnull (records);
  g_assert_cmpuint (records->len, ==, tree_records->len);
  for (i = 0; i < records->len; i++)
    g_assert_true (dbt_stream_record_equal (records->pdata[i], tree_records->pdata[i]));

  tree_ns = g_new (gint64, iterations);
  one_pass_ns = g_new (gint64, iterations);
  for (i = 0; i < iterations; i++)
    {
      gint64 start = cpu_now_ns ();

      g_ptr_array_unref (dbt_stream_event_parse_tree (json, (gssize) len, NULL));
      tree_ns[i] = cpu_now_ns () - start;

      start = cpu_now_ns ();
      g_ptr_array_unref (dbt_stream_event_parse (json, (gssize) len, NULL));
      one_pass_ns[i] = cpu_now_ns () - start;
    }

  tree_us = median (tree_ns, iterations) / 1000.0 / records->len;
  one_pass_us = median (one_pass_ns, iterations) / 1000.0 / records->len;
  g_print ("{\"records\": %u, \"bytes\": %" G_GSIZE_FORMAT ", \"iterations\": %u, "
           "\"tree_us_per_record\": %.1f, \"one_pass_us_per_record\": %.1f, \"speedup\": %.2f}\n",
           records->len, len, iterations, tree_us, one_pass_us, tree_us / one_pass_us);
  return 0;
}
