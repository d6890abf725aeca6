/* fuzz-stream-record.c — dbt_stream_event_parse() on arbitrary bytes.
 *
 * Every record it accepts must survive dbt_stream_record_to_json() and come
 * back equal, as the local runner relies on.
 */
#include "dbt-stream-record.h"

#include <unistd.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* GLib 2.74's slice allocator keeps freed JsonNodes in per-thread caches,
 * so every run ends with more mallocs than frees and libFuzzer follows each
 * input with a full leak scan: a hundred times slower. GLib reads G_SLICE
 * before this runs, hence the restart with it set. */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  if (g_getenv ("G_SLICE") == NULL)
    {
      g_setenv ("G_SLICE", "always-malloc", TRUE);
      execv ("/proc/self/exe", *argv);
      /* Not restarted: still correct, only slower. */
    }
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  records = dbt_stream_event_parse ((const char *) data, (gssize) size, &error);
  if (records == NULL)
    {
      g_assert (error != NULL && error->message != NULL);
      return 0;
    }

  for (i = 0; i < records->len; i++)
    {
      DbtStreamRecord *record = g_ptr_array_index (records, i);
      g_autoptr(JsonNode) node = dbt_stream_record_to_json (record);
      g_autoptr(DbtStreamRecord) back = dbt_stream_record_from_json (node, &error);

      if (back == NULL)
        g_error ("record %u does not parse back: %s", i, error->message);
      if (!dbt_stream_record_equal (record, back))
        g_error ("record %u parses back different", i);
      if (record->old_image != NULL && record->new_image != NULL)
        g_ptr_array_unref (dbt_item_diff (record->old_image, record->new_image, NULL));
    }

  return 0;
}
