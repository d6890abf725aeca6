/* dbt-message.c — the text an owner receives. */
#include "dbt-message.h"

#include <string.h>

/* Values this short are never shortened: cutting them would save less than
 * the marker costs. */
#define MIN_VALUE_CAP 32

#define INDENT "  "

/* ------------------------------------------------------------------ */
/* Subjects                                                           */

char *
dbt_message_sanitize_subject (const char *text,
                              const char *suffix)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *ascii = g_str_to_ascii (valid, "C");
  gsize suffix_len = suffix ? strlen (suffix) : 0;
  gsize room;
  char *start;
  gsize len;
  GString *subject;

  g_return_val_if_fail (suffix_len + 4 <= DBT_MESSAGE_SUBJECT_MAX_CHARS, NULL);

  /* No line breaks or other control characters; SNS refuses them. */
  for (char *p = ascii; *p; p++)
    if (!g_ascii_isprint (*p))
      *p = ' ';

  /* SNS wants the subject to begin with a letter, a digit or punctuation. */
  start = ascii;
  while (*start == ' ')
    start++;
  len = strlen (start);
  while (len > 0 && start[len - 1] == ' ')
    len--;

  subject = g_string_new (NULL);
  room = DBT_MESSAGE_SUBJECT_MAX_CHARS - suffix_len;
  if (len == 0)
    g_string_append (subject, "Notification");
  else if (len <= room)
    g_string_append_len (subject, start, len);
  else
    {
      gsize keep = room - strlen ("...");

      while (keep > 0 && start[keep - 1] == ' ')
        keep--;
      g_string_append_len (subject, start, keep);
      g_string_append (subject, "...");
    }
  if (suffix != NULL)
    g_string_append (subject, suffix);

  return g_string_free (subject, FALSE);
}

char *
dbt_message_describe (const DbtNotification *notification)
{
  const char *table = notification->table_name;

  switch (notification->role)
    {
    case DBT_NOTIFICATION_ASSIGNED:
      return g_strdup_printf ("Item assigned to you in %s", table);
    case DBT_NOTIFICATION_UNASSIGNED:
      return g_strdup_printf ("Item reassigned away from you in %s", table);
    case DBT_NOTIFICATION_CHANGED:
    default:
      break;
    }

  switch (notification->event_name)
    {
    case DBT_EVENT_INSERT:
      return g_strdup_printf ("Item created in %s", table);
    case DBT_EVENT_REMOVE:
      return g_strdup_printf ("Item removed from %s", table);
    case DBT_EVENT_MODIFY:
    default:
      return g_strdup_printf ("Item changed in %s", table);
    }
}

/* The sentence that says why this owner hears of a change of ownership. */
static char *
describe_role (const DbtNotification *notification)
{
  switch (notification->role)
    {
    case DBT_NOTIFICATION_ASSIGNED:
      if (notification->other_owner != NULL)
        return g_strdup_printf ("Assigned to you; previous owner: %s", notification->other_owner);
      return g_strdup ("Assigned to you; it had no owner before");
    case DBT_NOTIFICATION_UNASSIGNED:
      if (notification->other_owner != NULL)
        return g_strdup_printf ("Reassigned away from you; new owner: %s", notification->other_owner);
      return g_strdup ("Reassigned away from you; it has no owner now");
    case DBT_NOTIFICATION_CHANGED:
    default:
      return NULL;
    }
}

/* ------------------------------------------------------------------ */
/* Sections: a literal heading, then one line per change whose values  */
/* may be shortened to fit.                                            */

typedef struct
{
  char *label;  /* literal, e.g. "  price: " */
  char *a;      /* value or NULL */
  char *sep;    /* literal or NULL, e.g. " → " */
  char *b;      /* value or NULL */
} Line;

typedef struct
{
  GString *heading;
  GArray  *lines;      /* Line */
  char    *trailer;    /* literal after the lines, or NULL */
} Section;

static void
line_clear (gpointer data)
{
  Line *line = data;

  g_free (line->label);
  g_free (line->a);
  g_free (line->sep);
  g_free (line->b);
}

static Section *
section_new (void)
{
  Section *section = g_new0 (Section, 1);

  section->heading = g_string_new (NULL);
  section->lines = g_array_new (FALSE, TRUE, sizeof (Line));
  g_array_set_clear_func (section->lines, line_clear);
  return section;
}

static void
section_free (Section *section)
{
  g_string_free (section->heading, TRUE);
  g_array_unref (section->lines);
  g_free (section->trailer);
  g_free (section);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Section, section_free)

static void
section_add_line (Section    *section,
                  const char *path,
                  char       *a,     /* taken */
                  const char *sep,
                  char       *b)     /* taken */
{
  Line line = {
    g_strconcat (INDENT, path, ": ", NULL),
    a,
    g_strdup (sep),
    b,
  };

  g_array_append_val (section->lines, line);
}

static void
section_add_changes (Section               *section,
                     const DbtNotification *notification)
{
  for (guint i = 0; i < notification->changes->len; i++)
    {
      const DbtChange *change = g_ptr_array_index (notification->changes, i);
      char *old_text = change->old_value ? dbt_value_render (change->old_value) : NULL;
      char *new_text = change->new_value ? dbt_value_render (change->new_value) : NULL;

      /* INSERT and REMOVE list the item, not a before/after. */
      if (notification->event_name == DBT_EVENT_INSERT && new_text != NULL)
        {
          section_add_line (section, change->path, new_text, NULL, NULL);
          g_free (old_text);
          continue;
        }
      if (notification->event_name == DBT_EVENT_REMOVE && old_text != NULL)
        {
          section_add_line (section, change->path, old_text, NULL, NULL);
          g_free (new_text);
          continue;
        }

      switch (change->kind)
        {
        case DBT_CHANGE_ADDED:
          {
            Line line = { g_strconcat (INDENT, change->path, ": (absent) → ", NULL),
                          new_text, NULL, NULL };

            g_array_append_val (section->lines, line);
            g_free (old_text);
          }
          break;
        case DBT_CHANGE_REMOVED:
          section_add_line (section, change->path, old_text, " → (absent)", NULL);
          g_free (new_text);
          break;
        case DBT_CHANGE_MODIFIED:
        default:
          section_add_line (section, change->path, old_text, " → ", new_text);
          break;
        }
    }
}

static gsize
utf8_boundary (const char *text,
               gsize       at)
{
  while (at > 0 && ((guchar) text[at] & 0xC0) == 0x80)
    at--;
  return at;
}

static gsize
cut_marker (char   *buffer,
            gsize   size,
            gsize   cut)
{
  return (gsize) g_snprintf (buffer, size, "[... %" G_GSIZE_FORMAT " bytes cut]", cut);
}

/* Bytes @value takes when values are capped at @cap bytes. */
static gsize
value_size (const char *value,
            gsize       cap)
{
  char marker[64];
  gsize len;
  gsize kept;

  if (value == NULL)
    return 0;
  len = strlen (value);
  if (len <= cap)
    return len;
  kept = utf8_boundary (value, cap);
  return kept + cut_marker (marker, sizeof marker, len - kept);
}

static void
value_append (GString    *out,
              const char *value,
              gsize       cap)
{
  char marker[64];
  gsize len;
  gsize kept;

  if (value == NULL)
    return;
  len = strlen (value);
  if (len <= cap)
    {
      g_string_append_len (out, value, len);
      return;
    }
  kept = utf8_boundary (value, cap);
  g_string_append_len (out, value, kept);
  cut_marker (marker, sizeof marker, len - kept);
  g_string_append (out, marker);
}

static gsize
line_size (const Line *line,
           gsize       cap)
{
  return strlen (line->label) + value_size (line->a, cap) +
         (line->sep ? strlen (line->sep) : 0) + value_size (line->b, cap) + 1;
}

static char *
omitted_marker (guint omitted,
                gsize bytes)
{
  return g_strdup_printf (INDENT "[... %u more changes not shown, %" G_GSIZE_FORMAT " bytes cut]\n",
                          omitted, bytes);
}

/* Size of the section with values capped at @cap and only the first
 * @n_lines lines (the rest replaced by the omitted-lines marker). */
static gsize
section_size (const Section *section,
              gsize          cap,
              guint          n_lines)
{
  gsize size = section->heading->len + (section->trailer ? strlen (section->trailer) : 0);
  gsize dropped = 0;

  for (guint i = 0; i < section->lines->len; i++)
    {
      const Line *line = &g_array_index (section->lines, Line, i);

      if (i < n_lines)
        size += line_size (line, cap);
      else
        dropped += line_size (line, G_MAXSIZE);
    }
  if (n_lines < section->lines->len)
    {
      g_autofree char *marker = omitted_marker (section->lines->len - n_lines, dropped);

      size += strlen (marker);
    }
  return size;
}

/* The largest value cap (and, failing any cap, the most lines) that keeps
 * the section within @max_bytes. */
static void
section_fit (const Section *section,
             gsize          max_bytes,
             gsize         *cap_out,
             guint         *n_lines_out)
{
  guint total = section->lines->len;
  gsize longest = 0;
  gsize lo, hi;

  *cap_out = G_MAXSIZE;
  *n_lines_out = total;
  if (section_size (section, G_MAXSIZE, total) <= max_bytes)
    return;

  for (guint i = 0; i < total; i++)
    {
      const Line *line = &g_array_index (section->lines, Line, i);

      longest = MAX (longest, line->a ? strlen (line->a) : 0);
      longest = MAX (longest, line->b ? strlen (line->b) : 0);
    }

  if (longest > MIN_VALUE_CAP && section_size (section, MIN_VALUE_CAP, total) <= max_bytes)
    {
      /* Invariant: lo fits, hi does not. */
      lo = MIN_VALUE_CAP;
      hi = longest;
      while (hi - lo > 1)
        {
          gsize mid = lo + (hi - lo) / 2;

          if (section_size (section, mid, total) <= max_bytes)
            lo = mid;
          else
            hi = mid;
        }
      *cap_out = lo;
      return;
    }

  /* Even the shortest values do not fit: keep as many lines as fit. One
   * pass with running sums, since an item can have tens of thousands of
   * attributes. */
  *cap_out = MIN_VALUE_CAP;
  *n_lines_out = 0;
  {
    gsize fixed = section->heading->len + (section->trailer ? strlen (section->trailer) : 0);
    gsize shown = 0;
    gsize dropped = 0;

    for (guint i = 0; i < total; i++)
      dropped += line_size (&g_array_index (section->lines, Line, i), G_MAXSIZE);

    for (guint n = 0; n < total; n++)
      {
        const Line *line = &g_array_index (section->lines, Line, n);
        g_autofree char *marker = omitted_marker (total - n, dropped);

        /* The first n lines shown, the rest behind the marker. */
        if (fixed + shown + strlen (marker) <= max_bytes)
          *n_lines_out = n;
        shown += line_size (line, MIN_VALUE_CAP);
        dropped -= line_size (line, G_MAXSIZE);
      }
  }
}

static char *
section_render (const Section *section,
                gsize          max_bytes)
{
  GString *out = g_string_new (section->heading->str);
  gsize cap;
  guint n_lines;
  gsize dropped = 0;

  section_fit (section, max_bytes, &cap, &n_lines);

  for (guint i = 0; i < section->lines->len; i++)
    {
      const Line *line = &g_array_index (section->lines, Line, i);

      if (i >= n_lines)
        {
          dropped += line_size (line, G_MAXSIZE);
          continue;
        }
      g_string_append (out, line->label);
      value_append (out, line->a, cap);
      if (line->sep)
        g_string_append (out, line->sep);
      value_append (out, line->b, cap);
      g_string_append_c (out, '\n');
    }
  if (n_lines < section->lines->len)
    {
      g_autofree char *marker = omitted_marker (section->lines->len - n_lines, dropped);

      g_string_append (out, marker);
    }
  if (section->trailer)
    g_string_append (out, section->trailer);

  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------ */
/* Messages                                                           */

static const char *
list_heading (const DbtNotification *notification)
{
  switch (notification->event_name)
    {
    case DBT_EVENT_INSERT:
      return "Attributes:";
    case DBT_EVENT_REMOVE:
      return "Attributes before removal:";
    case DBT_EVENT_MODIFY:
    default:
      return "Changes:";
    }
}

char *
dbt_message_render_digest_entry (const DbtNotification *notification,
                                 guint                  number,
                                 gsize                  max_bytes)
{
  g_autoptr(Section) section = section_new ();
  g_autofree char *role = describe_role (notification);

  g_string_append_printf (section->heading, "%u. %s %s\n", number,
                          dbt_event_name_to_string (notification->event_name),
                          notification->key_text);
  if (role != NULL)
    g_string_append_printf (section->heading, INDENT "%s\n", role);
  section_add_changes (section, notification);
  section->trailer = g_strdup ("\n");

  return section_render (section, max_bytes);
}

static char *
render_single_body (const DbtNotification *notification,
                    gsize                  max_bytes)
{
  g_autoptr(Section) section = section_new ();
  g_autofree char *description = dbt_message_describe (notification);
  g_autofree char *role = describe_role (notification);

  g_string_append_printf (section->heading,
                          "%s.\n\nTable: %s\nEvent: %s\nKey: %s\n",
                          description, notification->table_name,
                          dbt_event_name_to_string (notification->event_name),
                          notification->key_text);
  if (role != NULL)
    g_string_append_printf (section->heading, "%s.\n", role);
  g_string_append_printf (section->heading, "\n%s\n", list_heading (notification));
  section_add_changes (section, notification);

  return section_render (section, max_bytes);
}

static char *
common_event (GPtrArray *notifications)
{
  const DbtNotification *first = g_ptr_array_index (notifications, 0);

  for (guint i = 1; i < notifications->len; i++)
    {
      const DbtNotification *other = g_ptr_array_index (notifications, i);

      if (other->event_name != first->event_name)
        return g_strdup (DBT_MESSAGE_EVENT_MIXED);
    }
  return g_strdup (dbt_event_name_to_string (first->event_name));
}

DbtMessage *
dbt_message_new (const char *subject,
                 const char *body,
                 GPtrArray  *notifications,
                 guint       part,
                 guint       parts)
{
  DbtMessage *message;
  const DbtNotification *first;

  g_return_val_if_fail (notifications != NULL && notifications->len > 0, NULL);

  first = g_ptr_array_index (notifications, 0);
  message = g_new0 (DbtMessage, 1);
  message->owner = g_strdup (first->owner);
  message->table_name = g_strdup (first->table_name);
  message->event = common_event (notifications);
  message->subject = g_strdup (subject);
  message->body = g_strdup (body);
  message->notifications = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_notification_unref);
  for (guint i = 0; i < notifications->len; i++)
    g_ptr_array_add (message->notifications,
                     dbt_notification_ref (g_ptr_array_index (notifications, i)));
  message->part = part;
  message->parts = parts;

  return message;
}

void
dbt_message_free (DbtMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->owner);
  g_free (message->table_name);
  g_free (message->event);
  g_free (message->subject);
  g_free (message->body);
  g_clear_pointer (&message->notifications, g_ptr_array_unref);
  g_free (message);
}

gsize
dbt_message_attributes_size (const char *owner,
                             const char *table_name,
                             const char *event)
{
  const gsize type_len = strlen ("String");

  return strlen ("owner") + type_len + strlen (owner) +
         strlen ("table") + type_len + strlen (table_name) +
         strlen ("event") + type_len + strlen (event);
}

gsize
dbt_message_size_bytes (const DbtMessage *message)
{
  return strlen (message->body) + strlen (message->subject) +
         dbt_message_attributes_size (message->owner, message->table_name, message->event);
}

DbtMessage *
dbt_message_new_single (DbtNotification *notification,
                        gsize            max_bytes)
{
  g_autoptr(GPtrArray) covered = g_ptr_array_new ();
  g_autofree char *description = dbt_message_describe (notification);
  g_autofree char *line = g_strconcat (description, ": ", notification->key_text, NULL);
  g_autofree char *subject = dbt_message_sanitize_subject (line, NULL);
  g_autofree char *body = NULL;
  const char *event = dbt_event_name_to_string (notification->event_name);
  gsize fixed = strlen (subject) +
                dbt_message_attributes_size (notification->owner,
                                             notification->table_name, event);

  body = render_single_body (notification, max_bytes > fixed ? max_bytes - fixed : 0);
  g_ptr_array_add (covered, notification);

  return dbt_message_new (subject, body, covered, 1, 1);
}
