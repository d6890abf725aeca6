/* fuzz-item-json.c — dbt_item_parse() on arbitrary bytes.
 *
 * Whatever it accepts must serialise to text that parses back to an equal
 * item, and that text must be a fixed point of serialise(parse(·)). Items
 * it accepts are also diffed against themselves (no changes) and rendered,
 * so those walkers see every shape the parser lets through.
 */
#include "dbt-value.h"

#include <string.h>
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
  g_autoptr(DbtItem) item = NULL;
  g_autoptr(DbtItem) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  guint i;

  item = dbt_item_parse ((const char *) data, (gssize) size, &error);
  if (item == NULL)
    {
      g_assert (error != NULL && error->message != NULL);
      return 0;
    }

  text = dbt_item_serialize (item);
  again = dbt_item_parse (text, -1, &error);
  if (again == NULL)
    g_error ("serialised item does not parse back: %s\n%s", error->message, text);
  if (!dbt_item_equal (item, again))
    g_error ("serialised item parses back different:\n%s", text);
  text_again = dbt_item_serialize (again);
  if (strcmp (text, text_again) != 0)
    g_error ("canonical text is not stable:\n%s\n%s", text, text_again);

  changes = dbt_item_diff (item, again, NULL);
  if (changes->len != 0)
    g_error ("an item differs from its own copy:\n%s", text);

  for (i = 0; i < dbt_item_get_size (item); i++)
    g_free (dbt_value_render (dbt_item_get_value (item, i)));
  (void) dbt_item_size_bytes (item);
  (void) dbt_item_validate (item, NULL);

  return 0;
}
