/* dbt-live-event.c — a stream record, rendered once for the Live page. */
#include "dbt-config.h"

#include <glib/gi18n.h>

#include "dbt-live-event.h"

/* A value longer than this is cut in the changes text. */
#define MAX_VALUE_CHARS 80

struct _DbtLiveEvent
{
  GObject      parent_instance;

  DbtEventName event_name;
  DbtItem     *keys;
  char        *keys_text;
  char        *old_owner;    /* NULL when none */
  char        *new_owner;
  char        *owner_text;
  char        *changes_text;
  gint64       time_ms;
  char        *time_text;
  char        *sequence_number;
  char        *shard_id;
  char        *event_id;
};

G_DEFINE_FINAL_TYPE (DbtLiveEvent, dbt_live_event, G_TYPE_OBJECT)

static void
dbt_live_event_finalize (GObject *object)
{
  DbtLiveEvent *self = DBT_LIVE_EVENT (object);

  g_clear_pointer (&self->keys, dbt_item_unref);
  g_free (self->keys_text);
  g_free (self->old_owner);
  g_free (self->new_owner);
  g_free (self->owner_text);
  g_free (self->changes_text);
  g_free (self->time_text);
  g_free (self->sequence_number);
  g_free (self->shard_id);
  g_free (self->event_id);

  G_OBJECT_CLASS (dbt_live_event_parent_class)->finalize (object);
}

static void
dbt_live_event_class_init (DbtLiveEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dbt_live_event_finalize;
}

static void
dbt_live_event_init (DbtLiveEvent *self)
{
}

/* The owner named by @image: an S attribute, not empty. */
static char *
owner_of (const DbtItem *image,
          const char    *owner_attribute)
{
  DbtValue *value = image != NULL ? dbt_item_get (image, owner_attribute) : NULL;

  if (value == NULL || dbt_value_get_kind (value) != DBT_VALUE_S
      || *dbt_value_get_string (value) == '\0')
    return NULL;
  return g_strdup (dbt_value_get_string (value));
}

/* @text cut after @max characters, with "…"; takes @text. */
static char *
truncate_text (char  *text,
               glong  max)
{
  g_autofree char *owned = text;
  g_autofree char *head = NULL;

  if (g_utf8_strlen (owned, -1) <= max)
    return g_steal_pointer (&owned);
  head = g_utf8_substring (owned, 0, max);
  return g_strconcat (head, "…", NULL);
}

static char *
render_short (const DbtValue *value)
{
  return truncate_text (dbt_value_render (value), MAX_VALUE_CHARS);
}

/* Appends ", " between parts; FALSE once the text is long enough. */
static gboolean
append_part (GString    *out,
             const char *part)
{
  if (out->len > 0)
    g_string_append (out, ", ");
  g_string_append (out, part);
  return out->len < DBT_LIVE_EVENT_MAX_CHANGES_CHARS * 2;
}

static void
append_attributes (GString       *out,
                   const DbtItem *image,
                   const DbtItem *keys)
{
  for (guint i = 0; i < dbt_item_get_size (image); i++)
    {
      const char *name = dbt_item_get_name (image, i);
      g_autofree char *value = NULL;
      g_autofree char *part = NULL;

      if (dbt_item_get (keys, name) != NULL)
        continue;
      value = render_short (dbt_item_get_value (image, i));
      /* Translators: an attribute of a new or removed item: "price = 10". */
      part = g_strdup_printf (_("%s = %s"), name, value);
      if (!append_part (out, part))
        return;
    }
}

static void
append_changes (GString       *out,
                const DbtItem *old_image,
                const DbtItem *new_image)
{
  g_autoptr(GPtrArray) changes = dbt_item_diff (old_image, new_image, NULL);

  if (changes->len == 0)
    {
      g_string_append (out, _("no change"));
      return;
    }
  for (guint i = 0; i < changes->len; i++)
    {
      DbtChange *change = g_ptr_array_index (changes, i);
      g_autofree char *old_text = change->old_value != NULL ? render_short (change->old_value) : NULL;
      g_autofree char *new_text = change->new_value != NULL ? render_short (change->new_value) : NULL;
      g_autofree char *part = NULL;

      switch (change->kind)
        {
        case DBT_CHANGE_ADDED:
          /* Translators: an attribute added by a change: "color: added \"red\"". */
          part = g_strdup_printf (_("%s: added %s"), change->path, new_text);
          break;
        case DBT_CHANGE_REMOVED:
          /* Translators: an attribute removed by a change: "note: removed \"x\"". */
          part = g_strdup_printf (_("%s: removed %s"), change->path, old_text);
          break;
        case DBT_CHANGE_MODIFIED:
        default:
          /* Translators: a changed attribute: "price: 10 → 12". */
          part = g_strdup_printf (_("%s: %s → %s"), change->path, old_text, new_text);
          break;
        }
      if (!append_part (out, part))
        return;
    }
}

static char *
render_changes (const DbtStreamRecord *record)
{
  g_autoptr(GString) out = g_string_new (NULL);

  switch (record->event_name)
    {
    case DBT_EVENT_INSERT:
      if (record->new_image != NULL)
        append_attributes (out, record->new_image, record->keys);
      break;
    case DBT_EVENT_REMOVE:
      if (record->old_image != NULL)
        append_attributes (out, record->old_image, record->keys);
      break;
    case DBT_EVENT_MODIFY:
    default:
      /* A stream without both images (KEYS_ONLY, NEW_IMAGE...) cannot say what changed. */
      if (record->old_image != NULL && record->new_image != NULL)
        append_changes (out, record->old_image, record->new_image);
      break;
    }

  return truncate_text (g_string_free (g_steal_pointer (&out), FALSE),
                        DBT_LIVE_EVENT_MAX_CHANGES_CHARS);
}

DbtLiveEvent *
dbt_live_event_new_from_record (const DbtStreamRecord *record,
                                const char            *owner_attribute,
                                const char            *shard_id)
{
  DbtLiveEvent *self;
  g_autoptr(GDateTime) time = NULL;

  g_return_val_if_fail (record != NULL, NULL);

  if (owner_attribute == NULL)
    owner_attribute = "owner";

  self = g_object_new (DBT_TYPE_LIVE_EVENT, NULL);
  self->event_name = record->event_name;
  self->keys = dbt_item_ref (record->keys);
  self->keys_text = dbt_item_render_key (record->keys);
  self->old_owner = owner_of (record->old_image, owner_attribute);
  self->new_owner = owner_of (record->new_image, owner_attribute);
  if (self->old_owner != NULL && self->new_owner != NULL && g_strcmp0 (self->old_owner, self->new_owner) != 0)
    self->owner_text = g_strdup_printf ("%s → %s", self->old_owner, self->new_owner);
  else if (self->new_owner != NULL || self->old_owner != NULL)
    self->owner_text = g_strdup (self->new_owner != NULL ? self->new_owner : self->old_owner);
  else
    self->owner_text = g_strdup ("");
  self->changes_text = render_changes (record);
  self->time_ms = record->approximate_creation_ms > 0 ? record->approximate_creation_ms
                                                      : g_get_real_time () / 1000;
  time = g_date_time_new_from_unix_local (self->time_ms / 1000);
  self->time_text = time != NULL ? g_date_time_format (time, "%H:%M:%S") : g_strdup ("");
  self->sequence_number = g_strdup (record->sequence_number);
  self->shard_id = g_strdup (shard_id);
  self->event_id = g_strdup (record->event_id);
  return self;
}

DbtEventName
dbt_live_event_get_event_name (DbtLiveEvent *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_EVENT (self), DBT_EVENT_INSERT);
  return self->event_name;
}

const char *
dbt_live_event_get_keys_text (DbtLiveEvent *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_EVENT (self), NULL);
  return self->keys_text;
}

const char *
dbt_live_event_get_owner_text (DbtLiveEvent *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_EVENT (self), NULL);
  return self->owner_text;
}

gboolean
dbt_live_event_has_owner (DbtLiveEvent *self,
                          const char   *owner)
{
  g_return_val_if_fail (DBT_IS_LIVE_EVENT (self), FALSE);
  return g_strcmp0 (self->old_owner, owner) == 0 || g_strcmp0 (self->new_owner, owner) == 0;
}

const char *
dbt_live_event_get_changes_text (DbtLiveEvent *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_EVENT (self), NULL);
  return self->changes_text;
}

gint64
dbt_live_event_get_time_ms (DbtLiveEvent *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_EVENT (self), 0);
  return self->time_ms;
}

const char *
dbt_live_event_get_time_text (DbtLiveEvent *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_EVENT (self), NULL);
  return self->time_text;
}

const char *
dbt_live_event_get_sequence_number (DbtLiveEvent *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_EVENT (self), NULL);
  return self->sequence_number;
}

const char *
dbt_live_event_get_shard_id (DbtLiveEvent *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_EVENT (self), NULL);
  return self->shard_id;
}

const char *
dbt_live_event_get_event_id (DbtLiveEvent *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_EVENT (self), NULL);
  return self->event_id;
}

DbtItem *
dbt_live_event_get_keys (DbtLiveEvent *self)
{
  g_return_val_if_fail (DBT_IS_LIVE_EVENT (self), NULL);
  return self->keys;
}

void
dbt_live_event_style_badge (GtkLabel     *label,
                            DbtEventName  event_name)
{
  static const char *const kinds[] = { "insert", "modify", "remove" };

  gtk_label_set_label (label, dbt_event_name_to_string (event_name));
  gtk_widget_add_css_class (GTK_WIDGET (label), "live-badge");
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (i == (guint) event_name)
        gtk_widget_add_css_class (GTK_WIDGET (label), kinds[i]);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (label), kinds[i]);
    }
}
