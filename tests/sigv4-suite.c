/* sigv4-suite.c — reading the AWS SigV4 test suite; see sigv4-suite.h. */
#include <string.h>
#include <json-glib/json-glib.h>

#include "sigv4-suite.h"

void
suite_request_free (SuiteRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_clear_pointer (&request->headers, g_ptr_array_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

/* request.txt: "METHOD TARGET HTTP/1.1", header lines (a line starting with
 * a space or tab continues the previous value, kept with its line break as
 * it would arrive folded), a blank line, the body. The target may hold raw
 * spaces and UTF-8, so it is everything between the first and last space. */
SuiteRequest *
suite_request_parse (const char *text,
                     gsize       len)
{
  g_autoptr(SuiteRequest) request = g_new0 (SuiteRequest, 1);
  const char *end = text + len;
  const char *line = text;
  const char *eol = memchr (line, '\n', end - line);
  g_autofree char *request_line = NULL;
  const char *first_space;
  const char *last_space;
  const char *question;
  DbtHttpHeader *previous = NULL;

  g_assert_nonnull (eol);
  request_line = g_strndup (line, eol - line);
  g_strchomp (request_line);
  first_space = strchr (request_line, ' ');
  last_space = strrchr (request_line, ' ');
  g_assert_nonnull (first_space);
  g_assert_true (last_space > first_space);
  request->method = g_strndup (request_line, first_space - request_line);
  question = memchr (first_space + 1, '?', last_space - first_space - 1);
  if (question != NULL)
    {
      request->path = g_strndup (first_space + 1, question - first_space - 1);
      request->query = g_strndup (question + 1, last_space - question - 1);
    }
  else
    {
      request->path = g_strndup (first_space + 1, last_space - first_space - 1);
    }

  request->headers = dbt_http_headers_new ();
  line = eol + 1;
  while (line < end)
    {
      g_autofree char *text_line = NULL;
      const char *colon;

      eol = memchr (line, '\n', end - line);
      if (eol == NULL)
        eol = end;
      text_line = g_strndup (line, eol - line);
      if (g_str_has_suffix (text_line, "\r"))
        text_line[strlen (text_line) - 1] = '\0';
      line = eol < end ? eol + 1 : end;

      if (*text_line == '\0')
        break;
      if (text_line[0] == ' ' || text_line[0] == '\t')
        {
          char *joined;

          g_assert_nonnull (previous);
          joined = g_strconcat (previous->value, "\n", text_line, NULL);
          g_free (previous->value);
          previous->value = joined;
          continue;
        }
      colon = strchr (text_line, ':');
      g_assert_nonnull (colon);
      {
        g_autofree char *name = g_strndup (text_line, colon - text_line);

        dbt_http_headers_add (request->headers, name, colon + 1);
        previous = g_ptr_array_index (request->headers, request->headers->len - 1);
      }
    }
  request->body = g_bytes_new (line, end - line);
  return g_steal_pointer (&request);
}

void
suite_context_clear (SuiteContext *context)
{
  g_clear_pointer (&context->credentials, dbt_credentials_free);
  g_clear_pointer (&context->region, g_free);
  g_clear_pointer (&context->service, g_free);
  g_clear_pointer (&context->amz_date, g_free);
}

void
suite_context_load (SuiteContext *context,
                    const char   *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) when = NULL;
  JsonObject *root;
  JsonObject *credentials;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  credentials = json_object_get_object_member (root, "credentials");
  context->credentials =
    dbt_credentials_new (json_object_get_string_member (credentials, "access_key_id"),
                         json_object_get_string_member (credentials, "secret_access_key"),
                         json_object_get_string_member_with_default (credentials, "token", NULL),
                         "the test suite");
  context->region = g_strdup (json_object_get_string_member (root, "region"));
  context->service = g_strdup (json_object_get_string_member (root, "service"));
  context->normalize = json_object_get_boolean_member_with_default (root, "normalize", TRUE);
  context->sign_body = json_object_get_boolean_member_with_default (root, "sign_body", FALSE);
  context->omit_session_token = json_object_get_boolean_member_with_default (root, "omit_session_token", FALSE);
  context->expires = json_object_get_int_member_with_default (root, "expiration_in_seconds", 0);

  when = g_date_time_new_from_iso8601 (json_object_get_string_member (root, "timestamp"), NULL);
  g_assert_nonnull (when);
  context->amz_date = dbt_amz_date_format (g_date_time_to_unix (when));
}

char *
suite_dir (void)
{
  const char *shared = g_getenv ("DBT_SHARED_DIR");

  if (shared == NULL)
    return NULL;
  return g_build_filename (shared, "sigv4-test-suite", "v4", NULL);
}

/* The expected file, without the trailing newline some editors add;
 * NULL when the case has no such file. */
char *
suite_expected (const char *case_dir,
                const char *name)
{
  g_autofree char *path = g_build_filename (case_dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  if (g_str_has_suffix (text, "\n"))
    text[strlen (text) - 1] = '\0';
  return text;
}

/* The first line of a signed-request file that starts with prefix. */
char *
suite_signed_line (const char *case_dir,
                   const char *name,
                   const char *prefix)
{
  g_autofree char *text = suite_expected (case_dir, name);
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i]);
  return NULL;
}
