/* dbt-stream-record.c — DynamoDB Streams records in both of their shapes.
 *
 * GetRecords and Lambda deliver the same record object; Lambda adds
 * eventSourceARN. Every field is checked for its JSON type, and errors say
 * which record and which field, so one bad record in a batch of 1,000 can
 * be found. Events are read from text in one pass (dbt-json-reader.h); the
 * route through a json-glib tree is the reference, and decides whenever
 * the one-pass route declines.
 */
#include "dbt-stream-record.h"
#include "dbt-json-reader.h"
#include "dbt-error.h"

#include <stdarg.h>
#include <string.h>

static const char *const event_names[] = {
  [DBT_EVENT_INSERT] = "INSERT",
  [DBT_EVENT_MODIFY] = "MODIFY",
  [DBT_EVENT_REMOVE] = "REMOVE",
};

/* Timestamps beyond the year 33658 are not timestamps. */
#define MAX_CREATION_SECONDS 1e12

const char *
dbt_event_name_to_string (DbtEventName name)
{
  g_return_val_if_fail ((guint) name < G_N_ELEMENTS (event_names), NULL);

  return event_names[name];
}

static gboolean
event_name_from_string (const char   *text,
                        DbtEventName *name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (event_names); i++)
    {
      if (strcmp (text, event_names[i]) == 0)
        {
          *name = (DbtEventName) i;
          return TRUE;
        }
    }
  return FALSE;
}

void
dbt_stream_record_free (DbtStreamRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->event_id);
  g_free (record->event_source_arn);
  g_free (record->aws_region);
  g_clear_pointer (&record->keys, dbt_item_unref);
  g_clear_pointer (&record->old_image, dbt_item_unref);
  g_clear_pointer (&record->new_image, dbt_item_unref);
  g_free (record->sequence_number);
  g_free (record->stream_view_type);
  g_free (record);
}

/* ---- parsing ----------------------------------------------------------- */

typedef struct
{
  const char *prefix;   /* "Records[3]." or "" */
  GError    **error;
} Context;

static gboolean field_error (Context *ctx, const char *field, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
field_error (Context    *ctx,
             const char *field,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  dbt_aws_set_error (ctx->error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                     "%s%s: %s", ctx->prefix, field, message);
  return FALSE;
}

/* A string member; absent is fine unless @required. */
static gboolean
get_string (Context    *ctx,
            JsonObject *object,
            const char *field,
            const char *member,
            gboolean    required,
            char      **out)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return field_error (ctx, field, "missing");
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return field_error (ctx, field, "must be a string, got %s", dbt_json_kind_name (node));

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_image (Context    *ctx,
           JsonObject *dynamodb,
           const char *member,
           gboolean    required,
           DbtItem   **out)
{
  JsonNode *node = json_object_get_member (dynamodb, member);
  g_autofree char *path = g_strconcat (ctx->prefix, "dynamodb.", member, NULL);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return field_error (ctx, path + strlen (ctx->prefix), "missing");
      return TRUE;
    }
  *out = dbt_item_from_json_at (node, path, ctx->error);
  return *out != NULL;
}

static gboolean
parse_dynamodb (Context         *ctx,
                JsonObject      *dynamodb,
                DbtStreamRecord *record)
{
  JsonNode *node;
  const char *p;

  if (!get_image (ctx, dynamodb, "Keys", TRUE, &record->keys)
      || !get_image (ctx, dynamodb, "NewImage", FALSE, &record->new_image)
      || !get_image (ctx, dynamodb, "OldImage", FALSE, &record->old_image))
    return FALSE;

  if (!get_string (ctx, dynamodb, "dynamodb.SequenceNumber", "SequenceNumber", TRUE,
                   &record->sequence_number))
    return FALSE;
  for (p = record->sequence_number; g_ascii_isdigit (*p); p++)
    ;
  if (*p != '\0' || p == record->sequence_number)
    {
      g_autofree char *quoted = dbt_quote_for_message (record->sequence_number);

      return field_error (ctx, "dynamodb.SequenceNumber", "%s is not a decimal sequence number", quoted);
    }

  if (!get_string (ctx, dynamodb, "dynamodb.StreamViewType", "StreamViewType", FALSE,
                   &record->stream_view_type))
    return FALSE;

  node = json_object_get_member (dynamodb, "SizeBytes");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
          || json_node_get_int (node) < 0)
        return field_error (ctx, "dynamodb.SizeBytes", "must be a whole number of bytes ≥ 0");
      record->size_bytes = json_node_get_int (node);
    }

  node = json_object_get_member (dynamodb, "ApproximateCreationDateTime");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
      gdouble seconds;

      if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
        return field_error (ctx, "dynamodb.ApproximateCreationDateTime",
                            "must be a number of seconds since the epoch, got %s", dbt_json_kind_name (node));
      seconds = json_node_get_double (node);
      /* The negated test also refuses NaN. */
      if (!(seconds >= 0 && seconds < MAX_CREATION_SECONDS))
        return field_error (ctx, "dynamodb.ApproximateCreationDateTime",
                            "%g is not a time in seconds since the epoch", seconds);
      record->approximate_creation_ms = (gint64) (seconds * 1000.0 + 0.5);
    }

  return TRUE;
}

static DbtStreamRecord *
record_from_json (JsonNode   *node,
                  const char *prefix,
                  GError    **error)
{
  g_autoptr(DbtStreamRecord) record = g_new0 (DbtStreamRecord, 1);
  g_autofree char *event_name = NULL;
  g_autofree char *event_source = NULL;
  Context ctx = { prefix, error };
  JsonObject *object;
  JsonNode *dynamodb;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "%srecord must be a JSON object, got %s", prefix, dbt_json_kind_name (node));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!get_string (&ctx, object, "eventID", "eventID", TRUE, &record->event_id))
    return NULL;
  if (record->event_id[0] == '\0')
    return field_error (&ctx, "eventID", "is empty"), NULL;

  if (!get_string (&ctx, object, "eventName", "eventName", TRUE, &event_name))
    return NULL;
  if (!event_name_from_string (event_name, &record->event_name))
    {
      g_autofree char *quoted = dbt_quote_for_message (event_name);

      return field_error (&ctx, "eventName", "%s is not INSERT, MODIFY or REMOVE", quoted), NULL;
    }

  if (!get_string (&ctx, object, "eventSource", "eventSource", FALSE, &event_source))
    return NULL;
  if (event_source != NULL && strcmp (event_source, "aws:dynamodb") != 0)
    {
      g_autofree char *quoted = dbt_quote_for_message (event_source);

      return field_error (&ctx, "eventSource", "%s is not aws:dynamodb", quoted), NULL;
    }

  if (!get_string (&ctx, object, "eventSourceARN", "eventSourceARN", FALSE, &record->event_source_arn)
      || !get_string (&ctx, object, "awsRegion", "awsRegion", FALSE, &record->aws_region))
    return NULL;

  dynamodb = json_object_get_member (object, "dynamodb");
  if (dynamodb == NULL)
    return field_error (&ctx, "dynamodb", "missing"), NULL;
  if (!JSON_NODE_HOLDS_OBJECT (dynamodb))
    return field_error (&ctx, "dynamodb", "must be an object, got %s", dbt_json_kind_name (dynamodb)), NULL;
  if (!parse_dynamodb (&ctx, json_node_get_object (dynamodb), record))
    return NULL;

  return g_steal_pointer (&record);
}

DbtStreamRecord *
dbt_stream_record_from_json (JsonNode *node,
                             GError  **error)
{
  g_return_val_if_fail (node != NULL, NULL);

  return record_from_json (node, "", error);
}

GPtrArray *
dbt_stream_event_parse_tree (const char *json,
                             gssize      len,
                             GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) records = NULL;
  JsonNode *root;
  JsonNode *list;
  JsonArray *array;
  guint i, n;

  parser = dbt_json_parse (json, len, "event", error);
  if (parser == NULL)
    return NULL;

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "event must be a JSON object with a \"Records\" array");
      return NULL;
    }
  list = json_object_get_member (json_node_get_object (root), "Records");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "Records: %s", list == NULL ? "missing" : "must be an array");
      return NULL;
    }

  array = json_node_get_array (list);
  n = json_array_get_length (array);
  records = g_ptr_array_new_full (n, (GDestroyNotify) dbt_stream_record_free);
  for (i = 0; i < n; i++)
    {
      char prefix[32];
      DbtStreamRecord *record;

      g_snprintf (prefix, sizeof prefix, "Records[%u].", i);
      record = record_from_json (json_array_get_element (array, i), prefix, error);
      if (record == NULL)
        return NULL;
      g_ptr_array_add (records, record);
    }

  return g_steal_pointer (&records);
}

/* ---- parsing text in one pass ------------------------------------------ */

/* As in dbt-item-json.c: these accept what the tree route accepts, with
 * the same result, or return FALSE: with the reader's error set when the
 * text is not JSON, else declined. A field given twice is declined
 * (json-glib keeps the last one), and so are numbers whose value json-glib
 * might type differently (signs, integers past 18 digits). */

enum
{
  FIELD_EVENT_ID = 1 << 0,
  FIELD_EVENT_NAME = 1 << 1,
  FIELD_EVENT_SOURCE = 1 << 2,
  FIELD_EVENT_SOURCE_ARN = 1 << 3,
  FIELD_AWS_REGION = 1 << 4,
  FIELD_DYNAMODB = 1 << 5,
  FIELD_KEYS = 1 << 6,
  FIELD_NEW_IMAGE = 1 << 7,
  FIELD_OLD_IMAGE = 1 << 8,
  FIELD_SEQUENCE_NUMBER = 1 << 9,
  FIELD_STREAM_VIEW_TYPE = 1 << 10,
  FIELD_SIZE_BYTES = 1 << 11,
  FIELD_CREATION = 1 << 12,
};

/* The field of the name just read, marked as seen; 0 for other names and
 * for a repeat (*@repeated). */
static guint
field_for_name (const char *name,
                const char *const *names,
                const guint       *fields,
                guint              n_names,
                guint             *seen,
                gboolean          *repeated)
{
  guint i;

  for (i = 0; i < n_names; i++)
    {
      if (strcmp (name, names[i]) == 0)
        {
          if (*seen & fields[i])
            {
              *repeated = TRUE;
              return 0;
            }
          *seen |= fields[i];
          return fields[i];
        }
    }
  return 0;
}

/* A string or null (left NULL). */
static gboolean
read_optional_string (DbtJsonReader *reader,
                      char         **out)
{
  DbtJsonKind kind = dbt_json_reader_peek (reader);

  if (kind == DBT_JSON_NULL)
    return dbt_json_reader_read_word (reader, kind);
  if (kind != DBT_JSON_STRING || !dbt_json_reader_read_string (reader))
    return FALSE;
  *out = g_strndup (reader->string->str, reader->string->len);
  return TRUE;
}

/* An image object or null (left NULL). */
static gboolean
read_optional_image (DbtJsonReader *reader,
                     DbtItem      **out)
{
  DbtJsonKind kind = dbt_json_reader_peek (reader);

  if (kind == DBT_JSON_NULL)
    return dbt_json_reader_read_word (reader, kind);
  if (kind != DBT_JSON_OBJECT)
    return FALSE;
  *out = dbt_item_read (reader);
  return *out != NULL;
}

/* A number or null (*@present FALSE); only unsigned numbers are taken. */
static gboolean
read_optional_number (DbtJsonReader *reader,
                      gboolean      *present,
                      gboolean      *integer,
                      gint64        *int_value,
                      gdouble       *double_value)
{
  DbtJsonKind kind = dbt_json_reader_peek (reader);
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  gsize start, len, i;

  *present = FALSE;
  if (kind == DBT_JSON_NULL)
    return dbt_json_reader_read_word (reader, kind);
  if (kind != DBT_JSON_NUMBER || !dbt_json_reader_read_number (reader, &start))
    return FALSE;

  len = reader->pos - start;
  if (reader->text[start] == '-' || len >= sizeof text)
    return FALSE;
  memcpy (text, reader->text + start, len);
  text[len] = '\0';
  for (i = 0; i < len && g_ascii_isdigit (text[i]); i++)
    ;
  *present = TRUE;
  *integer = i == len;
  if (*integer)
    {
      /* json-glib's int64; past 18 digits it may wrap. */
      if (len > 18)
        return FALSE;
      *int_value = (gint64) g_ascii_strtoull (text, NULL, 10);
      *double_value = (gdouble) *int_value;
    }
  else
    /* json-glib's g_strtod(), in the C locale. */
    *double_value = g_ascii_strtod (text, NULL);
  return TRUE;
}

static gboolean
read_dynamodb (DbtJsonReader   *reader,
               DbtStreamRecord *record,
               guint           *seen)
{
  static const char *const names[] = {
    "Keys", "NewImage", "OldImage", "SequenceNumber", "StreamViewType", "SizeBytes",
    "ApproximateCreationDateTime",
  };
  static const guint fields[] = {
    FIELD_KEYS, FIELD_NEW_IMAGE, FIELD_OLD_IMAGE, FIELD_SEQUENCE_NUMBER, FIELD_STREAM_VIEW_TYPE,
    FIELD_SIZE_BYTES, FIELD_CREATION,
  };
  gboolean more, present, integer;
  gboolean repeated = FALSE;
  gint64 int_value = 0;
  gdouble seconds = 0;
  const char *p;

  if (!dbt_json_reader_enter (reader, '}', &more))
    return FALSE;
  while (more)
    {
      gboolean ok;

      if (!dbt_json_reader_read_name (reader))
        return FALSE;
      switch (field_for_name (reader->string->str, names, fields, G_N_ELEMENTS (names), seen, &repeated))
        {
        case FIELD_KEYS:
          ok = read_optional_image (reader, &record->keys);
          break;
        case FIELD_NEW_IMAGE:
          ok = read_optional_image (reader, &record->new_image);
          break;
        case FIELD_OLD_IMAGE:
          ok = read_optional_image (reader, &record->old_image);
          break;
        case FIELD_SEQUENCE_NUMBER:
          ok = read_optional_string (reader, &record->sequence_number);
          break;
        case FIELD_STREAM_VIEW_TYPE:
          ok = read_optional_string (reader, &record->stream_view_type);
          break;
        case FIELD_SIZE_BYTES:
          ok = read_optional_number (reader, &present, &integer, &int_value, &seconds)
               && (!present || integer);
          if (ok && present)
            record->size_bytes = int_value;
          break;
        case FIELD_CREATION:
          ok = read_optional_number (reader, &present, &integer, &int_value, &seconds)
               && (!present || (seconds >= 0 && seconds < MAX_CREATION_SECONDS));
          if (ok && present)
            record->approximate_creation_ms = (gint64) (seconds * 1000.0 + 0.5);
          break;
        default:
          ok = !repeated && dbt_json_reader_skip (reader);
          break;
        }
      if (!ok || !dbt_json_reader_next (reader, '}', &more))
        return FALSE;
    }

  if (record->keys == NULL || record->sequence_number == NULL)
    return FALSE;
  for (p = record->sequence_number; g_ascii_isdigit (*p); p++)
    ;
  return *p == '\0' && p != record->sequence_number;
}

static DbtStreamRecord *
read_record (DbtJsonReader *reader)
{
  static const char *const names[] = {
    "eventID", "eventName", "eventSource", "eventSourceARN", "awsRegion", "dynamodb",
  };
  static const guint fields[] = {
    FIELD_EVENT_ID, FIELD_EVENT_NAME, FIELD_EVENT_SOURCE, FIELD_EVENT_SOURCE_ARN,
    FIELD_AWS_REGION, FIELD_DYNAMODB,
  };
  g_autoptr(DbtStreamRecord) record = g_new0 (DbtStreamRecord, 1);
  g_autofree char *event_name = NULL;
  g_autofree char *event_source = NULL;
  gboolean repeated = FALSE;
  gboolean more;
  guint seen = 0;

  if (dbt_json_reader_peek (reader) != DBT_JSON_OBJECT || !dbt_json_reader_enter (reader, '}', &more))
    return NULL;
  while (more)
    {
      gboolean ok;

      if (!dbt_json_reader_read_name (reader))
        return NULL;
      switch (field_for_name (reader->string->str, names, fields, G_N_ELEMENTS (names), &seen, &repeated))
        {
        case FIELD_EVENT_ID:
          ok = read_optional_string (reader, &record->event_id);
          break;
        case FIELD_EVENT_NAME:
          ok = read_optional_string (reader, &event_name);
          break;
        case FIELD_EVENT_SOURCE:
          ok = read_optional_string (reader, &event_source);
          break;
        case FIELD_EVENT_SOURCE_ARN:
          ok = read_optional_string (reader, &record->event_source_arn);
          break;
        case FIELD_AWS_REGION:
          ok = read_optional_string (reader, &record->aws_region);
          break;
        case FIELD_DYNAMODB:
          ok = dbt_json_reader_peek (reader) == DBT_JSON_OBJECT && read_dynamodb (reader, record, &seen);
          break;
        default:
          ok = !repeated && dbt_json_reader_skip (reader);
          break;
        }
      if (!ok || !dbt_json_reader_next (reader, '}', &more))
        return NULL;
    }

  if (record->event_id == NULL || record->event_id[0] == '\0'
      || event_name == NULL || !event_name_from_string (event_name, &record->event_name)
      || (event_source != NULL && strcmp (event_source, "aws:dynamodb") != 0)
      || !(seen & FIELD_DYNAMODB))
    return NULL;
  return g_steal_pointer (&record);
}

GPtrArray *
dbt_stream_event_parse_one_pass (const char         *json,
                                 gsize               len,
                                 DbtJsonReadOutcome *outcome,
                                 GError            **error)
{
  g_autoptr(GString) string = g_string_sized_new (256);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  DbtJsonReader reader;
  gboolean more;

  *outcome = DBT_JSON_READ_DECLINED;
  if (!dbt_json_reader_init (&reader, json, len, DBT_JSON_MAX_DEPTH, string, &local_error))
    goto invalid;
  if (dbt_json_reader_peek (&reader) != DBT_JSON_OBJECT)
    return NULL;   /* empty, or an array */
  if (!dbt_json_reader_enter (&reader, '}', &more))
    goto invalid;

  while (more)
    {
      gboolean ok = TRUE;

      if (!dbt_json_reader_read_name (&reader))
        goto invalid;
      if (strcmp (reader.string->str, "Records") != 0)
        ok = dbt_json_reader_skip (&reader);
      else if (records != NULL || dbt_json_reader_peek (&reader) != DBT_JSON_ARRAY)
        return NULL;   /* repeated, or not an array */
      else
        {
          gboolean more_records;

          records = g_ptr_array_new_full (64, (GDestroyNotify) dbt_stream_record_free);
          ok = dbt_json_reader_enter (&reader, ']', &more_records);
          while (ok && more_records)
            {
              DbtStreamRecord *record = read_record (&reader);

              if (record == NULL)
                {
                  ok = FALSE;
                  break;
                }
              g_ptr_array_add (records, record);
              ok = dbt_json_reader_next (&reader, ']', &more_records);
            }
        }
      if (!ok || !dbt_json_reader_next (&reader, '}', &more))
        {
          if (local_error == NULL)
            return NULL;
          goto invalid;
        }
    }

  if (!dbt_json_reader_finish (&reader))
    goto invalid;
  if (records == NULL)
    return NULL;   /* no Records */

  *outcome = DBT_JSON_READ_OK;
  return g_steal_pointer (&records);

invalid:
  *outcome = DBT_JSON_READ_INVALID;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

GPtrArray *
dbt_stream_event_parse (const char *json,
                        gssize      len,
                        GError    **error)
{
  DbtJsonReadOutcome outcome;
  GPtrArray *records;

  g_return_val_if_fail (json != NULL, NULL);

  records = dbt_stream_event_parse_one_pass (json, len < 0 ? strlen (json) : (gsize) len,
                                             &outcome, error);
  if (outcome != DBT_JSON_READ_DECLINED)
    return records;
  return dbt_stream_event_parse_tree (json, len, error);
}

/* ---- writing and comparing --------------------------------------------- */

JsonNode *
dbt_stream_record_to_json (const DbtStreamRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (record != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "eventID");
  json_builder_add_string_value (builder, record->event_id);
  json_builder_set_member_name (builder, "eventName");
  json_builder_add_string_value (builder, dbt_event_name_to_string (record->event_name));
  json_builder_set_member_name (builder, "eventVersion");
  json_builder_add_string_value (builder, "1.1");
  json_builder_set_member_name (builder, "eventSource");
  json_builder_add_string_value (builder, "aws:dynamodb");
  if (record->aws_region != NULL)
    {
      json_builder_set_member_name (builder, "awsRegion");
      json_builder_add_string_value (builder, record->aws_region);
    }

  json_builder_set_member_name (builder, "dynamodb");
  json_builder_begin_object (builder);
  if (record->approximate_creation_ms != 0)
    {
      json_builder_set_member_name (builder, "ApproximateCreationDateTime");
      if (record->approximate_creation_ms % 1000 == 0)
        json_builder_add_int_value (builder, record->approximate_creation_ms / 1000);
      else
        json_builder_add_double_value (builder, record->approximate_creation_ms / 1000.0);
    }
  json_builder_set_member_name (builder, "Keys");
  json_builder_add_value (builder, dbt_item_to_json (record->keys));
  if (record->new_image != NULL)
    {
      json_builder_set_member_name (builder, "NewImage");
      json_builder_add_value (builder, dbt_item_to_json (record->new_image));
    }
  if (record->old_image != NULL)
    {
      json_builder_set_member_name (builder, "OldImage");
      json_builder_add_value (builder, dbt_item_to_json (record->old_image));
    }
  json_builder_set_member_name (builder, "SequenceNumber");
  json_builder_add_string_value (builder, record->sequence_number);
  json_builder_set_member_name (builder, "SizeBytes");
  json_builder_add_int_value (builder, record->size_bytes);
  if (record->stream_view_type != NULL)
    {
      json_builder_set_member_name (builder, "StreamViewType");
      json_builder_add_string_value (builder, record->stream_view_type);
    }
  json_builder_end_object (builder);

  if (record->event_source_arn != NULL)
    {
      json_builder_set_member_name (builder, "eventSourceARN");
      json_builder_add_string_value (builder, record->event_source_arn);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
images_equal (const DbtItem *a,
              const DbtItem *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return dbt_item_equal (a, b);
}

gboolean
dbt_stream_record_equal (const DbtStreamRecord *a,
                         const DbtStreamRecord *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return g_strcmp0 (a->event_id, b->event_id) == 0
         && a->event_name == b->event_name
         && g_strcmp0 (a->event_source_arn, b->event_source_arn) == 0
         && g_strcmp0 (a->aws_region, b->aws_region) == 0
         && images_equal (a->keys, b->keys)
         && images_equal (a->old_image, b->old_image)
         && images_equal (a->new_image, b->new_image)
         && g_strcmp0 (a->sequence_number, b->sequence_number) == 0
         && a->size_bytes == b->size_bytes
         && a->approximate_creation_ms == b->approximate_creation_ms
         && g_strcmp0 (a->stream_view_type, b->stream_view_type) == 0;
}
