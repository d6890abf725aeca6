/* dbt-digest.c — one message per owner per invocation. */
#include "dbt-digest.h"

#include <string.h>

typedef struct
{
  const char *owner;
  const char *table_name;
  GPtrArray  *notifications;   /* DbtNotification*, borrowed */
} Group;

static void
group_free (gpointer data)
{
  Group *group = data;

  g_ptr_array_unref (group->notifications);
  g_free (group);
}

/* Groups by (owner, table) in order of first appearance. */
static GPtrArray *
group_notifications (GPtrArray *notifications)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *groups = g_ptr_array_new_with_free_func (group_free);

  for (guint i = 0; i < notifications->len; i++)
    {
      DbtNotification *notification = g_ptr_array_index (notifications, i);
      /* Length-prefixed, so no owner id can collide with another pair. */
      g_autofree char *key = g_strdup_printf ("%" G_GSIZE_FORMAT ":%s%s",
                                              strlen (notification->owner),
                                              notification->owner,
                                              notification->table_name);
      Group *group = g_hash_table_lookup (by_key, key);

      if (group == NULL)
        {
          group = g_new0 (Group, 1);
          group->owner = notification->owner;
          group->table_name = notification->table_name;
          group->notifications = g_ptr_array_new ();
          g_ptr_array_add (groups, group);
          g_hash_table_insert (by_key, g_steal_pointer (&key), group);
        }
      g_ptr_array_add (group->notifications, notification);
    }

  return groups;
}

static char *
digest_subject (guint       total,
                const char *table_name,
                guint       part,
                guint       parts)
{
  g_autofree char *text = g_strdup_printf ("%u items changed in %s", total, table_name);
  g_autofree char *suffix = NULL;

  if (parts > 1)
    suffix = g_strdup_printf (" (part %u of %u)", part, parts);
  return dbt_message_sanitize_subject (text, suffix);
}

static char *
digest_header (guint       total,
               const char *table_name,
               guint       part,
               guint       parts,
               guint       first,
               guint       last)
{
  if (parts == 1)
    return g_strdup_printf ("%u changes to your items in %s, in the order they happened.\n\n",
                            total, table_name);
  return g_strdup_printf ("Part %u of %u: changes %u to %u of %u to your items in %s, "
                          "in the order they happened.\n\n",
                          part, parts, first, last, total, table_name);
}

static void
build_group (Group     *group,
             gsize      max_bytes,
             GPtrArray *messages)
{
  guint total = group->notifications->len;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) part_starts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *widest_header = NULL;
  gsize reserve;
  gsize room;
  gsize used = 0;
  guint parts;

  /* What every part needs besides its entries, at its widest: a full-length
   * subject, the attributes with the longest event name, and the
   * multi-part header with every number at its largest. Reserving the
   * widest keeps each part within @max_bytes whatever its numbers. */
  widest_header = digest_header (total, group->table_name, total, total, total, total);
  reserve = DBT_MESSAGE_SUBJECT_MAX_CHARS + strlen (widest_header) +
            dbt_message_attributes_size (group->owner, group->table_name, "INSERT");
  room = max_bytes > reserve ? max_bytes - reserve : 0;

  /* Greedy packing in stream order gives the fewest parts for entries that
   * must stay in order. */
  for (guint i = 0; i < total; i++)
    {
      char *entry = dbt_message_render_digest_entry (g_ptr_array_index (group->notifications, i),
                                                     i + 1, room);
      gsize size = strlen (entry);

      if (i == 0 || used + size > room)
        {
          g_array_append_val (part_starts, i);
          used = 0;
        }
      used += size;
      g_ptr_array_add (entries, entry);
    }

  parts = part_starts->len;
  for (guint p = 0; p < parts; p++)
    {
      guint first = g_array_index (part_starts, guint, p);
      guint end = p + 1 < parts ? g_array_index (part_starts, guint, p + 1) : total;
      g_autoptr(GPtrArray) covered = g_ptr_array_new ();
      g_autofree char *subject = digest_subject (total, group->table_name, p + 1, parts);
      g_autofree char *header = digest_header (total, group->table_name, p + 1, parts,
                                               first + 1, end);
      GString *body = g_string_new (header);
      g_autofree char *body_text = NULL;

      for (guint i = first; i < end; i++)
        {
          g_string_append (body, g_ptr_array_index (entries, i));
          g_ptr_array_add (covered, g_ptr_array_index (group->notifications, i));
        }
      body_text = g_string_free (body, FALSE);
      g_ptr_array_add (messages, dbt_message_new (subject, body_text, covered, p + 1, parts));
    }
}

GPtrArray *
dbt_digest_build (GPtrArray *notifications,
                  gsize      max_bytes)
{
  g_autoptr(GPtrArray) groups = NULL;
  GPtrArray *messages;

  g_return_val_if_fail (notifications != NULL, NULL);

  groups = group_notifications (notifications);
  messages = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_message_free);
  for (guint i = 0; i < groups->len; i++)
    {
      Group *group = g_ptr_array_index (groups, i);

      if (group->notifications->len == 1)
        g_ptr_array_add (messages,
                         dbt_message_new_single (g_ptr_array_index (group->notifications, 0),
                                                 max_bytes));
      else
        build_group (group, max_bytes, messages);
    }

  return messages;
}
