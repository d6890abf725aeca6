/* dbt-message.h — the text an owner receives.
 *
 * A DbtMessage is one SNS publish: subject, body and the message attributes
 * `owner`, `table` and `event` (all of type String; subscriptions filter on
 * `owner`). It covers one or more notifications of one owner and one table;
 * the notifications are kept so delivery knows which (eventID, owner) pairs
 * and sequence numbers the message carries.
 *
 * Subjects are what SNS accepts for email: ASCII, no control characters,
 * starting with a letter or digit, fewer than 100 characters. Non-ASCII
 * text is transliterated ("é" → "e", "?" when there is no equivalent) in
 * the subject only; the body is UTF-8 and keeps everything. A subject that
 * is too long is cut and ends in "..." (ASCII).
 *
 * Bodies are plain text: the table, the event, the key and each change as
 * `name: old → new`, values rendered by dbt_value_render() (numbers
 * verbatim, strings quoted, sets in braces, binary as base64). INSERT lists
 * the new item's attributes, REMOVE the old item's.
 *
 * Size. SNS refuses a message above 262,144 bytes counting the body, the
 * subject and every attribute's name, type and value. Messages here stay
 * within DBT_MESSAGE_MAX_BYTES, which keeps DBT_MESSAGE_SAFETY_MARGIN bytes
 * in reserve for what SNS may count beyond that (and for the PublishBatch
 * entry id). Nothing is cut silently: when one change alone cannot fit,
 * its longest values are shortened — each to the same byte budget, the
 * largest that fits — and every shortened value ends with the marker
 * "[... N bytes cut]" giving the exact number of bytes removed; if even
 * that is not enough, the last lines are replaced by
 * "[... N more changes not shown, M bytes cut]".
 */
#pragma once

#include <glib.h>
#include "dbt-notification.h"

G_BEGIN_DECLS

#define DBT_SNS_MESSAGE_MAX_BYTES    262144
#define DBT_MESSAGE_SAFETY_MARGIN    8192
#define DBT_MESSAGE_MAX_BYTES        (DBT_SNS_MESSAGE_MAX_BYTES - DBT_MESSAGE_SAFETY_MARGIN)
#define DBT_MESSAGE_SUBJECT_MAX_CHARS 99

/* The `event` attribute of a message whose changes have different events. */
#define DBT_MESSAGE_EVENT_MIXED "MIXED"

typedef struct
{
  char      *owner;
  char      *table_name;
  char      *event;          /* "INSERT", "MODIFY", "REMOVE" or "MIXED" */
  char      *subject;
  char      *body;
  GPtrArray *notifications;  /* DbtNotification*, stream order */
  guint      part;           /* 1-based; 1 of 1 unless a digest was split */
  guint      parts;
} DbtMessage;

/* Copies the strings and refs @notifications (DbtNotification*, not
 * empty, all of one owner); `owner`, `table` and `event` come from them. */
DbtMessage *dbt_message_new         (const char *subject,
                                     const char *body,
                                     GPtrArray  *notifications,
                                     guint       part,
                                     guint       parts);
void        dbt_message_free        (DbtMessage *message);

/* The message for a single change, within @max_bytes (normally
 * DBT_MESSAGE_MAX_BYTES), shortened as described above when needed. */
DbtMessage *dbt_message_new_single  (DbtNotification *notification,
                                     gsize            max_bytes);

/* What SNS counts: body + subject + each attribute's name, "String" and value. */
gsize       dbt_message_size_bytes  (const DbtMessage *message);
/* The attributes' share of that, for messages not built yet. */
gsize       dbt_message_attributes_size (const char *owner,
                                         const char *table_name,
                                         const char *event);

/* @text made a valid SNS subject, then @suffix (ASCII, may be NULL)
 * appended uncut: "Item changed in orders: id=\"a-1\"", " (part 2 of 3)". */
char       *dbt_message_sanitize_subject (const char *text,
                                          const char *suffix);

/* "Item changed in orders" and the like, by event and role. */
char       *dbt_message_describe    (const DbtNotification *notification);

/* One entry of a digest, numbered @number ("3. MODIFY id=\"a-1\"" and its
 * changes, ending with a blank line), within @max_bytes when shortening can
 * get it there. */
char       *dbt_message_render_digest_entry (const DbtNotification *notification,
                                             guint                  number,
                                             gsize                  max_bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtMessage, dbt_message_free)

G_END_DECLS
