/* dbt-stream-record.h — DynamoDB Streams records, as GetRecords returns them
 * and as Lambda delivers them ({"Records":[...]}, which adds eventSourceARN
 * and awsRegion). */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "dbt-value.h"

G_BEGIN_DECLS

typedef enum
{
  DBT_EVENT_INSERT,
  DBT_EVENT_MODIFY,
  DBT_EVENT_REMOVE,
} DbtEventName;

typedef struct
{
  char        *event_id;
  DbtEventName event_name;
  char        *event_source_arn;     /* NULL when absent (GetRecords) */
  char        *aws_region;           /* NULL when absent */
  DbtItem     *keys;                 /* never NULL */
  DbtItem     *old_image;            /* NULL when absent */
  DbtItem     *new_image;            /* NULL when absent */
  char        *sequence_number;      /* decimal string, kept exact */
  gint64       size_bytes;
  gint64       approximate_creation_ms; /* epoch milliseconds, 0 when absent */
  char        *stream_view_type;     /* NULL when absent */
} DbtStreamRecord;

const char      *dbt_event_name_to_string (DbtEventName name);   /* "INSERT"... */

/* One record object. DBT_AWS_ERROR_INVALID_INPUT with the faulty field named. */
DbtStreamRecord *dbt_stream_record_from_json (JsonNode *node, GError **error);
JsonNode        *dbt_stream_record_to_json   (const DbtStreamRecord *record);
void             dbt_stream_record_free      (DbtStreamRecord *record);

/* A Lambda event {"Records":[...]}: every record or an error naming the index. */
GPtrArray       *dbt_stream_event_parse      (const char *json, gssize len, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtStreamRecord, dbt_stream_record_free)

G_END_DECLS
