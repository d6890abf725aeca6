/* handler-fixtures.h — stream records and configurations for the handler
 * core's tests. */
#pragma once

#include <glib.h>
#include "dbt-handler-config.h"
#include "dbt-stream-record.h"
#include "dbt-value.h"

G_BEGIN_DECLS

#define FIXTURE_TABLE_ARN "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2024-05-01T00:00:00.000"
#define FIXTURE_TOPIC_ARN "arn:aws:sns:eu-west-1:123456789012:dbtrigger"

/* A configuration from TOPIC_ARN, LOG_TABLE and the NULL-terminated
 * "NAME=value" strings given; aborts the test when it does not load. */
DbtHandlerConfig *fixture_config (const char *first_setting, ...);

/* A record with eventID "ev-SEQ", sequence number @seq, the orders table's
 * stream ARN; images in DynamoDB-JSON or NULL. Keys are taken from
 * @keys_json. */
DbtStreamRecord *fixture_record (DbtEventName event_name,
                                 const char  *seq,
                                 const char  *keys_json,
                                 const char  *old_json,
                                 const char  *new_json);

/* A GPtrArray owning DbtStreamRecords. */
GPtrArray *fixture_records_new (void);

/* An item {"id":{"S":ID}, "owner":{"S":OWNER}, ...EXTRA} where @extra is
 * more DynamoDB-JSON members (without braces) or NULL; @owner NULL leaves
 * the owner out. Returns JSON text. */
char *fixture_item_json (const char *id,
                         const char *owner,
                         const char *extra);

/* Number of non-overlapping occurrences of @needle in @haystack. */
guint fixture_count (const char *haystack,
                     const char *needle);

G_END_DECLS
