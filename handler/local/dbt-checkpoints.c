/* dbt-checkpoints.c — per-shard progress, in memory and on disk. */
#include "dbt-checkpoints.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

struct _DbtCheckpoints
{
  GMutex      lock;
  char       *path;
  JsonObject *root;   /* uuid → shard id → {"sequenceNumber", "finished"} */
};

DbtCheckpoints *
dbt_checkpoints_open (const char *path)
{
  DbtCheckpoints *checkpoints = g_new0 (DbtCheckpoints, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_mutex_init (&checkpoints->lock);
  checkpoints->path = g_strdup (path);
  if (json_parser_load_from_file (parser, path, &error) &&
      json_parser_get_root (parser) != NULL &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      checkpoints->root = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
      return checkpoints;
    }
  if (error == NULL || !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_autofree char *aside = g_strconcat (path, ".corrupt", NULL);

      g_warning ("%s does not parse (%s); starting from the mappings' starting positions",
                 path, error != NULL ? error->message : "not an object");
      g_rename (path, aside);
    }
  checkpoints->root = json_object_new ();
  return checkpoints;
}

void
dbt_checkpoints_free (DbtCheckpoints *checkpoints)
{
  if (checkpoints == NULL)
    return;
  g_mutex_clear (&checkpoints->lock);
  g_free (checkpoints->path);
  json_object_unref (checkpoints->root);
  g_free (checkpoints);
}

/* With the lock held. */
static JsonObject *
lookup (DbtCheckpoints *checkpoints,
        const char     *mapping_uuid,
        const char     *shard_id,
        gboolean        create)
{
  JsonObject *shards;
  JsonObject *shard;

  if (!json_object_has_member (checkpoints->root, mapping_uuid) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (checkpoints->root, mapping_uuid)))
    {
      if (!create)
        return NULL;
      json_object_set_object_member (checkpoints->root, mapping_uuid, json_object_new ());
    }
  shards = json_object_get_object_member (checkpoints->root, mapping_uuid);
  if (!json_object_has_member (shards, shard_id) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (shards, shard_id)))
    {
      if (!create)
        return NULL;
      shard = json_object_new ();
      json_object_set_boolean_member (shard, "finished", FALSE);
      json_object_set_object_member (shards, shard_id, shard);
    }
  return json_object_get_object_member (shards, shard_id);
}

/* With the lock held: write to a temporary file, then rename. */
static gboolean
save (DbtCheckpoints *checkpoints,
      GError        **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *data = NULL;

  json_node_set_object (root, checkpoints->root);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  data = json_generator_to_data (generator, NULL);
  return g_file_set_contents (checkpoints->path, data, -1, error);
}

char *
dbt_checkpoints_get (DbtCheckpoints *checkpoints,
                     const char     *mapping_uuid,
                     const char     *shard_id)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&checkpoints->lock);
  JsonObject *shard = lookup (checkpoints, mapping_uuid, shard_id, FALSE);
  JsonNode *node = shard != NULL ? json_object_get_member (shard, "sequenceNumber") : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

gboolean
dbt_checkpoints_is_finished (DbtCheckpoints *checkpoints,
                             const char     *mapping_uuid,
                             const char     *shard_id)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&checkpoints->lock);
  JsonObject *shard = lookup (checkpoints, mapping_uuid, shard_id, FALSE);

  return shard != NULL && json_object_get_boolean_member_with_default (shard, "finished", FALSE);
}

gboolean
dbt_checkpoints_set (DbtCheckpoints *checkpoints,
                     const char     *mapping_uuid,
                     const char     *shard_id,
                     const char     *sequence_number,
                     GError        **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&checkpoints->lock);
  JsonObject *shard = lookup (checkpoints, mapping_uuid, shard_id, TRUE);

  json_object_set_string_member (shard, "sequenceNumber", sequence_number);
  return save (checkpoints, error);
}

gboolean
dbt_checkpoints_finish (DbtCheckpoints *checkpoints,
                        const char     *mapping_uuid,
                        const char     *shard_id,
                        GError        **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&checkpoints->lock);
  JsonObject *shard = lookup (checkpoints, mapping_uuid, shard_id, TRUE);

  json_object_set_boolean_member (shard, "finished", TRUE);
  return save (checkpoints, error);
}
