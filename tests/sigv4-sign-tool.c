/* sigv4-sign-tool — signs request descriptions read as JSON lines on stdin
 * and prints one JSON line per request on stdout; driven by
 * sigv4-differential.py to compare the signer with botocore.
 *
 * In:  {"method": "GET", "path": "/a", "query": "x=1" | null,
 *       "headers": [["Host", "h"], ...], "body_b64": "...",
 *       "payload_hash": "UNSIGNED-PAYLOAD" | null,
 *       "access_key": "...", "secret_key": "...", "token": "..." | null,
 *       "region": "...", "service": "...", "amz_date": "20150830T123600Z",
 *       "normalize": true, "form": "header" | "query", "expires": 3600}
 * Out: {"canonical_request": ..., "string_to_sign": ..., "signature": ...,
 *       "authorization": ..., "signed_query": ..., "add_headers": [[n, v], ...]}
 *      or {"error": "..."}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "dbt-sigv4.h"

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return json_node_get_string (node);
}

static void
add_result (JsonBuilder          *builder,
            const DbtSigv4Result *result)
{
  json_builder_set_member_name (builder, "canonical_request");
  json_builder_add_string_value (builder, result->canonical_request);
  json_builder_set_member_name (builder, "string_to_sign");
  json_builder_add_string_value (builder, result->string_to_sign);
  json_builder_set_member_name (builder, "signature");
  json_builder_add_string_value (builder, result->signature);
  json_builder_set_member_name (builder, "authorization");
  json_builder_add_string_value (builder, result->authorization);
  json_builder_set_member_name (builder, "signed_query");
  json_builder_add_string_value (builder, result->signed_query);
  json_builder_set_member_name (builder, "add_headers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->add_headers->len; i++)
    {
      const DbtHttpHeader *header = g_ptr_array_index (result->add_headers, i);

      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, header->name);
      json_builder_add_string_value (builder, header->value);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
}

static char *
sign_line (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  g_autoptr(DbtCredentials) credentials = NULL;
  g_autofree guint8 *body = NULL;
  gsize body_len = 0;
  DbtSigv4Request request = { 0 };
  DbtSigv4Params params = { 0 };
  DbtSigv4Result result = { 0 };
  JsonObject *in;
  JsonArray *header_list;
  gboolean ok = FALSE;

  json_builder_begin_object (builder);
  if (!json_parser_load_from_data (parser, line, -1, &error))
    goto done;
  in = json_node_get_object (json_parser_get_root (parser));

  header_list = json_object_get_array_member (in, "headers");
  for (guint i = 0; i < json_array_get_length (header_list); i++)
    {
      JsonArray *pair = json_array_get_array_element (header_list, i);

      dbt_http_headers_add (headers, json_array_get_string_element (pair, 0),
                            json_array_get_string_element (pair, 1));
    }
  body = g_base64_decode (json_object_get_string_member_with_default (in, "body_b64", ""), &body_len);
  credentials = dbt_credentials_new (member_string (in, "access_key"),
                                     member_string (in, "secret_key"),
                                     member_string (in, "token"), "request");

  request.method = member_string (in, "method");
  request.path = member_string (in, "path");
  request.query = member_string (in, "query");
  request.headers = headers;
  request.payload = body;
  request.payload_len = body_len;
  request.payload_hash = member_string (in, "payload_hash");
  params.credentials = credentials;
  params.region = member_string (in, "region");
  params.service = member_string (in, "service");
  params.amz_date = member_string (in, "amz_date");
  params.normalize_path = json_object_get_boolean_member_with_default (in, "normalize", TRUE);
  params.expires = json_object_get_int_member_with_default (in, "expires", 0);

  if (g_strcmp0 (member_string (in, "form"), "query") == 0)
    ok = dbt_sigv4_sign_query (&request, &params, &result, &error);
  else
    ok = dbt_sigv4_sign_headers (&request, &params, &result, &error);

done:
  if (ok)
    {
      add_result (builder, &result);
    }
  else
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error != NULL ? error->message : "unknown");
    }
  json_builder_end_object (builder);
  dbt_sigv4_result_clear (&result);

  out = json_builder_get_root (builder);
  json_generator_set_root (generator, out);
  return json_generator_to_data (generator, NULL);
}

int
main (int   argc,
      char *argv[])
{
  char *line = NULL;
  size_t capacity = 0;
  ssize_t len;

  while ((len = getline (&line, &capacity, stdin)) > 0)
    {
      g_autofree char *answer = NULL;

      if (line[len - 1] == '\n')
        line[len - 1] = '\0';
      if (*line == '\0')
        continue;
      answer = sign_line (line);
      fputs (answer, stdout);
      fputc ('\n', stdout);
    }
  free (line);
  return fflush (stdout) == 0 ? 0 : 1;
}
