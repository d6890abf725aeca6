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

/* One record object, in either shape. Fields that are not listed above
 * (eventVersion, userIdentity...) are ignored; eventSource, when present,
 * must be "aws:dynamodb". Required: eventID, eventName, dynamodb.Keys and
 * dynamodb.SequenceNumber (digits only). ApproximateCreationDateTime is
 * epoch seconds, integer or fractional. Errors are
 * DBT_AWS_ERROR_INVALID_INPUT naming the faulty field
 * ("dynamodb.NewImage.price: N value \"x\" is not a number"). */
DbtStreamRecord *dbt_stream_record_from_json (JsonNode *node, GError **error);
/* The Lambda-event shape (eventVersion "1.1", eventSource "aws:dynamodb",
 * ApproximateCreationDateTime in seconds, fields that are NULL/0 left out);
 * dbt_stream_record_from_json() of it gives back an equal record. */
JsonNode        *dbt_stream_record_to_json   (const DbtStreamRecord *record);
void             dbt_stream_record_free      (DbtStreamRecord *record);
/* Every field equal; images and keys by dbt_item_equal(). */
gboolean         dbt_stream_record_equal     (const DbtStreamRecord *a,
                                              const DbtStreamRecord *b);

/* A Lambda event {"Records":[...]} (a GetRecords response parses too; its
 * NextShardIterator is ignored): a GPtrArray of DbtStreamRecord* that frees
 * them, or an error naming the index ("Records[3].eventName: ..."). */
GPtrArray       *dbt_stream_event_parse      (const char *json, gssize len, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtStreamRecord, dbt_stream_record_free)

G_END_DECLS
