/* dbt-checkpoints.h — how far each mapping got in each shard: the sequence
 * number of the last record done (processed or given up), and whether the
 * shard is finished (closed and drained). Kept in memory and in a JSON file
 * ({"<mapping uuid>": {"<shard id>": {"sequenceNumber": "...",
 * "finished": false}}}) rewritten atomically on every change, so a runner
 * started again resumes where the last one stopped. Thread-safe.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _DbtCheckpoints DbtCheckpoints;

/* Reads @path when it exists; a file that does not parse is set aside as
 * @path.corrupt and the runner starts afresh (warning). */
DbtCheckpoints *dbt_checkpoints_open     (const char *path);
void            dbt_checkpoints_free     (DbtCheckpoints *checkpoints);

/* The last sequence number done, or NULL (nothing yet). */
char           *dbt_checkpoints_get      (DbtCheckpoints *checkpoints,
                                          const char     *mapping_uuid,
                                          const char     *shard_id);
gboolean        dbt_checkpoints_is_finished (DbtCheckpoints *checkpoints,
                                             const char     *mapping_uuid,
                                             const char     *shard_id);

gboolean        dbt_checkpoints_set      (DbtCheckpoints *checkpoints,
                                          const char     *mapping_uuid,
                                          const char     *shard_id,
                                          const char     *sequence_number,
                                          GError        **error);
gboolean        dbt_checkpoints_finish   (DbtCheckpoints *checkpoints,
                                          const char     *mapping_uuid,
                                          const char     *shard_id,
                                          GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtCheckpoints, dbt_checkpoints_free)

G_END_DECLS
