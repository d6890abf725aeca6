/* dbt-notification-feed.c — delivered notifications from the log and the outbox. */
#include "dbt-config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "dbt-dynamodb.h"
#include "dbt-notification-feed.h"

#define SCAN_INTERVAL_US   (3 * G_USEC_PER_SEC)
#define QUERY_INTERVAL_US  (2 * G_USEC_PER_SEC)
#define RECENT_WINDOW_MS   (60 * 60 * 1000)      /* what is shown at the start */
#define OVERLAP_MS         (60 * 1000)           /* polls overlap by this much */
#define LOG_STATE_SENT     "SENT"                /* handler/dbt-sink-aws.h */

/* Requests to the worker: a mail to read, a folder to read, or a wake-up. */
#define REQUEST_FILE   'f'
#define REQUEST_FOLDER 'd'
#define REQUEST_WAKE   'w'

struct _DbtNotificationFeed
{
  GObject        parent_instance;

  DbtSession    *session;
  DbtLiveQueue  *queue;
  GCancellable  *cancellable;
  GAsyncQueue   *requests;         /* char*: type letter + path */
  char          *outbox_dir;       /* NULL: no outbox */
  gboolean       started;

  /* Main thread. */
  GHashTable    *monitors;         /* folder path → GFileMonitor */

  /* Shared with the worker. */
  GMutex         lock;
  char          *owner;            /* NULL: everyone */
  guint          owner_generation;
  char          *error_message;

  /* The worker's own. */
  GHashTable    *seen_log;         /* pk → sentAt */
  GHashTable    *seen_mail;        /* path */
  char          *since;            /* ISO 8601: read entries sent after this */
};

G_DEFINE_FINAL_TYPE (DbtNotificationFeed, dbt_notification_feed, G_TYPE_OBJECT)

static void
dbt_notification_feed_finalize (GObject *object)
{
  DbtNotificationFeed *self = DBT_NOTIFICATION_FEED (object);

  g_clear_pointer (&self->session, dbt_session_unref);
  g_clear_pointer (&self->queue, dbt_live_queue_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->requests, g_async_queue_unref);
  g_clear_pointer (&self->monitors, g_hash_table_unref);
  g_free (self->outbox_dir);
  g_free (self->owner);
  g_free (self->error_message);
  g_clear_pointer (&self->seen_log, g_hash_table_unref);
  g_clear_pointer (&self->seen_mail, g_hash_table_unref);
  g_free (self->since);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (dbt_notification_feed_parent_class)->finalize (object);
}

static void
dbt_notification_feed_dispose (GObject *object)
{
  DbtNotificationFeed *self = DBT_NOTIFICATION_FEED (object);

  /* Monitors deliver to the main thread; let them go there. */
  if (self->monitors != NULL)
    g_hash_table_remove_all (self->monitors);

  G_OBJECT_CLASS (dbt_notification_feed_parent_class)->dispose (object);
}

static void
dbt_notification_feed_class_init (DbtNotificationFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dbt_notification_feed_dispose;
  object_class->finalize = dbt_notification_feed_finalize;
}

static void
cancel_monitor (gpointer data)
{
  g_file_monitor_cancel (data);
  g_object_unref (data);
}

static void
dbt_notification_feed_init (DbtNotificationFeed *self)
{
  g_mutex_init (&self->lock);
  self->cancellable = g_cancellable_new ();
  self->requests = g_async_queue_new_full (g_free);
  self->monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cancel_monitor);
  self->seen_log = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->seen_mail = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

DbtNotificationFeed *
dbt_notification_feed_new (DbtSession   *session,
                           DbtLiveQueue *queue)
{
  DbtNotificationFeed *self;

  g_return_val_if_fail (session != NULL, NULL);
  g_return_val_if_fail (queue != NULL, NULL);

  self = g_object_new (DBT_TYPE_NOTIFICATION_FEED, NULL);
  self->session = dbt_session_ref (session);
  self->queue = dbt_live_queue_ref (queue);
  if (session->is_local_stack && session->stack_dir != NULL)
    self->outbox_dir = g_build_filename (session->stack_dir, "outbox", NULL);
  return self;
}

static void
request (DbtNotificationFeed *self,
         char                 type,
         const char          *path)
{
  g_async_queue_push (self->requests, g_strdup_printf ("%c%s", type, path != NULL ? path : ""));
}

static void
set_error (DbtNotificationFeed *self,
           const char          *message)
{
  g_mutex_lock (&self->lock);
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  g_mutex_unlock (&self->lock);
}

/* Mail headers ---------------------------------------------------------- */

/* RFC 2047 encoded-words ("=?UTF-8?B?...?="), B and Q; whitespace between
 * two encoded-words is dropped. Anything else is kept as it is. */
static char *
decode_header (const char *value)
{
  GString *out = g_string_new (NULL);
  const char *p = value;
  gboolean last_was_word = FALSE;

  while (*p != '\0')
    {
      const char *charset_end, *text_end;

      if (p[0] == '=' && p[1] == '?'
          && (charset_end = strchr (p + 2, '?')) != NULL
          && charset_end[1] != '\0' && charset_end[2] == '?'
          && (text_end = strstr (charset_end + 3, "?=")) != NULL)
        {
          char encoding = g_ascii_toupper (charset_end[1]);
          g_autofree char *text = g_strndup (charset_end + 3, text_end - (charset_end + 3));

          if (encoding == 'B')
            {
              gsize len = 0;
              g_autofree guchar *bytes = g_base64_decode (text, &len);

              g_string_append_len (out, (const char *) bytes, len);
            }
          else
            {
              for (const char *q = text; *q != '\0'; q++)
                {
                  if (*q == '_')
                    g_string_append_c (out, ' ');
                  else if (*q == '=' && g_ascii_isxdigit (q[1]) && g_ascii_isxdigit (q[2]))
                    {
                      g_string_append_c (out, (char) (g_ascii_xdigit_value (q[1]) * 16 + g_ascii_xdigit_value (q[2])));
                      q += 2;
                    }
                  else
                    g_string_append_c (out, *q);
                }
            }
          p = text_end + 2;
          last_was_word = TRUE;
          continue;
        }
      if (last_was_word && g_ascii_isspace (*p))
        {
          const char *next = p;

          while (g_ascii_isspace (*next))
            next++;
          if (next[0] == '=' && next[1] == '?')
            {
              p = next;
              continue;
            }
        }
      last_was_word = FALSE;
      g_string_append_c (out, *p++);
    }

  if (!g_utf8_validate (out->str, out->len, NULL))
    {
      char *valid = g_utf8_make_valid (out->str, out->len);

      g_string_free (out, TRUE);
      return valid;
    }
  return g_string_free (out, FALSE);
}

/* "Tue, 25 Nov 2026 08:37:09 +0000" → epoch ms; 0 when unreadable. */
static gint64
parse_mail_date (const char *value)
{
  static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  const char *comma = strchr (value, ',');
  int day, year, hour, minute, second, month = 0;
  char month_name[4] = { 0 }, zone[8] = { 0 };
  int zone_minutes = 0;
  g_autoptr(GDateTime) utc = NULL;

  if (comma != NULL)
    value = comma + 1;
  if (sscanf (value, " %d %3s %d %d:%d:%d %7s", &day, month_name, &year, &hour, &minute, &second, zone) < 6)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    if (g_ascii_strcasecmp (month_name, months[i]) == 0)
      month = i + 1;
  if (month == 0)
    return 0;
  if ((zone[0] == '+' || zone[0] == '-') && strlen (zone) == 5)
    {
      zone_minutes = (g_ascii_digit_value (zone[1]) * 10 + g_ascii_digit_value (zone[2])) * 60
                     + g_ascii_digit_value (zone[3]) * 10 + g_ascii_digit_value (zone[4]);
      if (zone[0] == '-')
        zone_minutes = -zone_minutes;
    }
  utc = g_date_time_new_utc (year, month, day, hour, minute, second);
  if (utc == NULL)
    return 0;
  return (g_date_time_to_unix (utc) - zone_minutes * 60) * 1000;
}

DbtLiveNotification *
dbt_notification_feed_parse_mail (const char *text,
                                  gsize       length,
                                  const char *address)
{
  g_autoptr(GHashTable) headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) unfolded = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  g_autofree char *block = NULL;
  const char *end = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *to = NULL;
  g_autofree char *subject = NULL;
  const char *value;
  gint64 sent_ms;

  /* Only a complete header block: it ends at the first empty line. */
  for (gsize i = 0; i + 1 < length; i++)
    {
      if (text[i] == '\n' && text[i + 1] == '\n')
        {
          end = text + i;
          break;
        }
      if (i + 3 < length && memcmp (text + i, "\r\n\r\n", 4) == 0)
        {
          end = text + i;
          break;
        }
    }
  if (end == NULL)
    return NULL;

  /* Folded lines continue with a space or a tab. */
  block = g_strndup (text, end - text);
  lines = g_strsplit (block, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strchomp (lines[i]);

      if ((line[0] == ' ' || line[0] == '\t') && unfolded->len > 0)
        {
          g_string_append (unfolded, line);
          continue;
        }
      if (unfolded->len > 0)
        g_string_append_c (unfolded, '\n');
      g_string_append (unfolded, line);
    }
  g_strfreev (lines);
  lines = g_strsplit (unfolded->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');

      if (colon == NULL)
        continue;
      *colon = '\0';
      g_hash_table_insert (headers, g_ascii_strdown (g_strstrip (lines[i]), -1),
                           g_strdup (g_strstrip (colon + 1)));
    }

  value = g_hash_table_lookup (headers, "message-id");
  if (value == NULL)
    return NULL;
  message_id = g_strdup (value[0] == '<' ? value + 1 : value);
  if (strchr (message_id, '>') != NULL)
    *strchr (message_id, '>') = '\0';
  /* SNS ids are "<uuid>@sns.amazonaws.com"; the log keeps the uuid. */
  if (g_str_has_suffix (message_id, "@sns.amazonaws.com"))
    message_id[strlen (message_id) - strlen ("@sns.amazonaws.com")] = '\0';

  value = g_hash_table_lookup (headers, "to");
  to = value != NULL ? decode_header (value) : g_strdup (address);
  value = g_hash_table_lookup (headers, "subject");
  subject = value != NULL ? decode_header (value) : NULL;
  value = g_hash_table_lookup (headers, "date");
  sent_ms = value != NULL ? parse_mail_date (value) : 0;
  if (sent_ms == 0)
    sent_ms = g_get_real_time () / 1000;

  return dbt_live_notification_new (DBT_LIVE_NOTIFICATION_FROM_OUTBOX, message_id,
                                    g_hash_table_lookup (headers, "x-dbtrigger-owner"), to, subject,
                                    g_hash_table_lookup (headers, "x-dbtrigger-event"), NULL, sent_ms);
}

/* The worker: the outbox ---------------------------------------------- */

static void
read_mail (DbtNotificationFeed *self,
           const char          *path,
           GPtrArray           *rows)
{
  g_autofree char *text = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *folder_path = NULL;
  gsize length = 0;
  DbtLiveNotification *row;

  if (!g_str_has_suffix (path, ".eml") || g_hash_table_contains (self->seen_mail, path))
    return;
  /* A file still being written is read again on its next event. */
  if (!g_file_get_contents (path, &text, &length, NULL))
    return;
  folder_path = g_path_get_dirname (path);
  folder = g_path_get_basename (folder_path);
  row = dbt_notification_feed_parse_mail (text, length, folder);
  if (row == NULL)
    return;
  g_hash_table_add (self->seen_mail, g_strdup (path));
  g_ptr_array_add (rows, row);
}

/* The recent mails of a folder: those changed within the recent window. */
static void
read_folder (DbtNotificationFeed *self,
             const char          *folder,
             gboolean             recent_only,
             GPtrArray           *rows)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  gint64 oldest_s = (g_get_real_time () / 1000 - RECENT_WINDOW_MS) / 1000;
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      GStatBuf buf;

      if (!g_str_has_suffix (name, ".eml") || g_stat (path, &buf) != 0)
        continue;
      if (recent_only && buf.st_mtime < oldest_s)
        continue;
      read_mail (self, path, rows);
    }
}

static int
compare_sent (gconstpointer a,
              gconstpointer b)
{
  gint64 ta = dbt_live_notification_get_sent_ms (*(DbtLiveNotification **) a);
  gint64 tb = dbt_live_notification_get_sent_ms (*(DbtLiveNotification **) b);

  return ta < tb ? -1 : ta > tb;
}

static void
push_rows (DbtNotificationFeed *self,
           GPtrArray           *rows)
{
  if (rows->len == 0)
    return;
  g_ptr_array_sort (rows, compare_sent);
  dbt_live_queue_push (self->queue, rows);
}

/* The worker: the log ---------------------------------------------------- */

static const char *
item_string (const DbtItem *item,
             const char    *name)
{
  DbtValue *value = dbt_item_get (item, name);

  return value != NULL && dbt_value_get_kind (value) == DBT_VALUE_S ? dbt_value_get_string (value) : NULL;
}

static char *
iso_time (gint64 epoch_ms)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (epoch_ms / 1000);
  g_autofree char *seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, (int) (epoch_ms % 1000));
}

typedef struct
{
  DbtNotificationFeed *self;
  GPtrArray           *rows;
  char                *newest;   /* the latest sentAt seen */
} PollData;

static gboolean
take_page (const DbtItemPage *page,
           gpointer           user_data)
{
  PollData *poll = user_data;

  for (guint i = 0; i < page->items->len; i++)
    {
      DbtItem *item = g_ptr_array_index (page->items, i);
      const char *pk = item_string (item, "pk");
      const char *sent_at = item_string (item, "sentAt");
      g_autoptr(GDateTime) time = NULL;

      if (pk == NULL || sent_at == NULL || g_hash_table_contains (poll->self->seen_log, pk))
        continue;
      g_hash_table_insert (poll->self->seen_log, g_strdup (pk), g_strdup (sent_at));
      if (poll->newest == NULL || strcmp (sent_at, poll->newest) > 0)
        {
          g_free (poll->newest);
          poll->newest = g_strdup (sent_at);
        }
      time = g_date_time_new_from_iso8601 (sent_at, NULL);
      g_ptr_array_add (poll->rows,
                       dbt_live_notification_new (DBT_LIVE_NOTIFICATION_FROM_LOG,
                                                  item_string (item, "messageId"),
                                                  item_string (item, "owner"), NULL,
                                                  item_string (item, "subject"),
                                                  item_string (item, "event"),
                                                  item_string (item, "key"),
                                                  time != NULL ? g_date_time_to_unix (time) * 1000
                                                                 + g_date_time_get_microsecond (time) / 1000
                                                               : g_get_real_time () / 1000));
    }
  return !g_cancellable_is_cancelled (poll->self->cancellable);
}

static gboolean
set_string (DbtItem    *item,
            const char *name,
            const char *text)
{
  g_autoptr(DbtValue) value = dbt_value_new_string (text, NULL);

  if (value == NULL)
    return FALSE;
  dbt_item_set (item, name, value);
  return TRUE;
}

static void
poll_log (DbtNotificationFeed *self,
          const char          *owner)
{
  static const char *const names[] = { "#state", "state", "#sentAt", "sentAt", "#owner", "owner", NULL };
  g_autoptr(DbtItem) values = dbt_item_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  PollData poll = { self, rows, NULL };
  DbtReadOptions options = { 0 };
  gboolean by_index = owner != NULL && self->session->log_owner_index != NULL;
  gboolean ok;
  g_autofree char *newest = NULL;

  if (self->session->log_table_name == NULL)
    return;

  if (!set_string (values, ":sent", LOG_STATE_SENT) || !set_string (values, ":since", self->since)
      || (owner != NULL && !set_string (values, ":owner", owner)))
    return;
  options.expression_attribute_names = names;
  options.expression_attribute_values = values;
  if (by_index)
    {
      options.index_name = self->session->log_owner_index;
      options.key_condition_expression = "#owner = :owner AND #sentAt > :since";
      options.filter_expression = "#state = :sent";
      ok = dbt_dynamodb_query_pages (self->session->client, self->session->log_table_name, &options,
                                     take_page, &poll, self->cancellable, &error);
    }
  else
    {
      /* Only the names a Scan uses may be listed. */
      static const char *const scan_names[] = { "#state", "state", "#sentAt", "sentAt", NULL };

      options.expression_attribute_names = owner != NULL ? names : scan_names;
      options.filter_expression = owner != NULL
                                  ? "#state = :sent AND #sentAt > :since AND #owner = :owner"
                                  : "#state = :sent AND #sentAt > :since";
      ok = dbt_dynamodb_scan_pages (self->session->client, self->session->log_table_name, &options,
                                    take_page, &poll, self->cancellable, &error);
    }
  newest = poll.newest;

  if (!ok)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s is why the notification log could not be read. */
      message = g_strdup_printf (_("Cannot read the notification log: %s"), error->message);
      set_error (self, message);
      return;
    }
  set_error (self, NULL);
  push_rows (self, rows);

  /* Next time: from a minute before the newest entry, so one marked SENT
   * late (its sentAt is when it was published) is still found. */
  if (newest != NULL)
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (newest, NULL);

      if (time != NULL)
        {
          g_autofree char *next = iso_time (g_date_time_to_unix (time) * 1000 - OVERLAP_MS);

          if (strcmp (next, self->since) > 0)
            {
              GHashTableIter iter;
              const char *sent_at;

              g_free (self->since);
              self->since = g_steal_pointer (&next);
              /* What is older than the cursor cannot come again. */
              g_hash_table_iter_init (&iter, self->seen_log);
              while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &sent_at))
                if (strcmp (sent_at, self->since) <= 0)
                  g_hash_table_iter_remove (&iter);
            }
        }
    }
}

static void
reset_cursor (DbtNotificationFeed *self)
{
  g_free (self->since);
  self->since = iso_time (g_get_real_time () / 1000 - RECENT_WINDOW_MS);
}

static gpointer
feed_thread (gpointer data)
{
  g_autoptr(DbtNotificationFeed) self = data;
  guint generation = G_MAXUINT;

  if (self->outbox_dir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (self->outbox_dir, 0, NULL);
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *folder = g_build_filename (self->outbox_dir, name, NULL);

          if (g_file_test (folder, G_FILE_TEST_IS_DIR))
            read_folder (self, folder, TRUE, rows);
        }
      push_rows (self, rows);
    }

  while (!g_cancellable_is_cancelled (self->cancellable))
    {
      g_autofree char *owner = NULL;
      gint64 deadline;
      guint current;

      g_mutex_lock (&self->lock);
      owner = g_strdup (self->owner);
      current = self->owner_generation;
      g_mutex_unlock (&self->lock);
      if (current != generation)
        {
          generation = current;
          reset_cursor (self);
        }

      poll_log (self, owner);

      /* Until the next poll: the mails the monitors report, in batches. */
      deadline = g_get_monotonic_time () + (owner != NULL ? QUERY_INTERVAL_US : SCAN_INTERVAL_US);
      while (!g_cancellable_is_cancelled (self->cancellable))
        {
          g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
          gint64 left = deadline - g_get_monotonic_time ();
          char *item;

          if (left <= 0)
            break;
          item = g_async_queue_timeout_pop (self->requests, left);
          while (item != NULL)
            {
              if (item[0] == REQUEST_FILE)
                read_mail (self, item + 1, rows);
              else if (item[0] == REQUEST_FOLDER)
                read_folder (self, item + 1, FALSE, rows);
              g_free (item);
              item = g_async_queue_try_pop (self->requests);
            }
          push_rows (self, rows);

          g_mutex_lock (&self->lock);
          current = self->owner_generation;
          g_mutex_unlock (&self->lock);
          if (current != generation)
            break;
        }
    }

  return NULL;
}

/* Main thread: the monitors ------------------------------------------- */

static void watch_folder (DbtNotificationFeed *self, GFile *folder);

static void
monitor_changed_cb (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  DbtNotificationFeed *self = user_data;
  GFile *target = event == G_FILE_MONITOR_EVENT_RENAMED ? other_file : file;
  g_autofree char *path = NULL;

  if (target == NULL
      || (event != G_FILE_MONITOR_EVENT_CREATED && event != G_FILE_MONITOR_EVENT_MOVED_IN
          && event != G_FILE_MONITOR_EVENT_RENAMED && event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT))
    return;

  path = g_file_get_path (target);
  if (path == NULL)
    return;
  if (g_str_has_suffix (path, ".eml"))
    {
      if (event != G_FILE_MONITOR_EVENT_CREATED)
        request (self, REQUEST_FILE, path);
    }
  else if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_hash_table_contains (self->monitors, path))
    {
      /* A new address: watch it, then read what got there before. */
      watch_folder (self, target);
      request (self, REQUEST_FOLDER, path);
    }
}

static void
watch_folder (DbtNotificationFeed *self,
              GFile               *folder)
{
  g_autoptr(GError) error = NULL;
  GFileMonitor *monitor;
  g_autofree char *path = g_file_get_path (folder);

  monitor = g_file_monitor_directory (folder, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (monitor == NULL)
    {
      g_debug ("cannot watch %s: %s", path, error->message);
      return;
    }
  g_signal_connect_object (monitor, "changed", G_CALLBACK (monitor_changed_cb), self, 0);
  g_hash_table_insert (self->monitors, g_steal_pointer (&path), monitor);
}

void
dbt_notification_feed_start (DbtNotificationFeed *self)
{
  g_autoptr(GThread) thread = NULL;

  g_return_if_fail (DBT_IS_NOTIFICATION_FEED (self));

  if (self->started)
    return;
  self->started = TRUE;

  if (self->outbox_dir != NULL)
    {
      g_autoptr(GFile) outbox = g_file_new_for_path (self->outbox_dir);
      g_autoptr(GDir) dir = NULL;
      const char *name;

      /* The runner makes it with the first mail; watch it from now on. */
      g_mkdir_with_parents (self->outbox_dir, 0755);
      watch_folder (self, outbox);
      dir = g_dir_open (self->outbox_dir, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autoptr(GFile) folder = g_file_get_child (outbox, name);
          g_autofree char *path = g_file_get_path (folder);

          if (g_file_test (path, G_FILE_TEST_IS_DIR))
            watch_folder (self, folder);
        }
    }

  thread = g_thread_new ("dbt-notification-feed", feed_thread, g_object_ref (self));
}

void
dbt_notification_feed_stop (DbtNotificationFeed *self)
{
  g_return_if_fail (DBT_IS_NOTIFICATION_FEED (self));

  g_cancellable_cancel (self->cancellable);
  request (self, REQUEST_WAKE, NULL);
  g_hash_table_remove_all (self->monitors);
}

void
dbt_notification_feed_set_owner (DbtNotificationFeed *self,
                                 const char          *owner)
{
  g_return_if_fail (DBT_IS_NOTIFICATION_FEED (self));

  if (owner != NULL && *owner == '\0')
    owner = NULL;
  g_mutex_lock (&self->lock);
  if (g_strcmp0 (self->owner, owner) != 0)
    {
      g_free (self->owner);
      self->owner = g_strdup (owner);
      self->owner_generation++;
    }
  g_mutex_unlock (&self->lock);
  request (self, REQUEST_WAKE, NULL);
}

char *
dbt_notification_feed_dup_error (DbtNotificationFeed *self)
{
  char *message;

  g_return_val_if_fail (DBT_IS_NOTIFICATION_FEED (self), NULL);

  g_mutex_lock (&self->lock);
  message = g_strdup (self->error_message);
  g_mutex_unlock (&self->lock);
  return message;
}

const char *
dbt_notification_feed_get_outbox (DbtNotificationFeed *self)
{
  g_return_val_if_fail (DBT_IS_NOTIFICATION_FEED (self), NULL);
  return self->outbox_dir;
}
