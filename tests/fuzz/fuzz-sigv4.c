/* fuzz-sigv4.c — the SigV4 canonicaliser on arbitrary requests.
 *
 * The input is read as lines: method, path, query, then header lines
 * ("Name:value"; a line starting with a space or a tab folds into the
 * previous value); what follows an empty line is the payload. Signing
 * either fails with DBT_AWS_ERROR_INVALID_INPUT or gives a 64-hex-digit
 * signature, the same every time.
 */
#include <string.h>

#include "dbt-error.h"
#include "dbt-sigv4.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static gboolean
is_signature (const char *s)
{
  if (s == NULL || strlen (s) != 64)
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s) && !(*s >= 'a' && *s <= 'f'))
      return FALSE;
  return TRUE;
}

static void
check_sign (const DbtSigv4Request *request,
            const DbtSigv4Params  *params,
            gboolean               query_form)
{
  DbtSigv4Result first = { 0 };
  DbtSigv4Result again = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = query_form ? dbt_sigv4_sign_query (request, params, &first, &error)
                  : dbt_sigv4_sign_headers (request, params, &first, &error);
  if (!ok)
    {
      g_assert (g_error_matches (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT));
      g_assert (first.signature == NULL);
      return;
    }
  g_assert (is_signature (first.signature));
  g_assert (first.canonical_request != NULL && first.string_to_sign != NULL);
  g_assert (query_form ? first.signed_query != NULL : first.authorization != NULL);

  ok = query_form ? dbt_sigv4_sign_query (request, params, &again, NULL)
                  : dbt_sigv4_sign_headers (request, params, &again, NULL);
  g_assert (ok);
  g_assert (strcmp (first.signature, again.signature) == 0);
  dbt_sigv4_result_clear (&first);
  dbt_sigv4_result_clear (&again);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(DbtCredentials) credentials = dbt_credentials_new ("AKIDEXAMPLE", "secret", "token", "fuzz");
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  DbtSigv4Request request = { 0 };
  DbtSigv4Params params = { 0 };
  const char *payload = "";
  guint n = g_strv_length (lines);
  guint i;

  request.method = n > 0 ? lines[0] : "GET";
  request.path = n > 1 ? lines[1] : "/";
  request.query = n > 2 && *lines[2] != '\0' ? lines[2] : NULL;
  for (i = 3; i < n && *lines[i] != '\0'; i++)
    {
      char *colon = strchr (lines[i], ':');

      if ((lines[i][0] == ' ' || lines[i][0] == '\t') && headers->len > 0)
        {
          DbtHttpHeader *last = g_ptr_array_index (headers, headers->len - 1);
          char *joined = g_strconcat (last->value, "\n", lines[i], NULL);

          g_free (last->value);
          last->value = joined;
        }
      else if (colon != NULL)
        {
          *colon = '\0';
          dbt_http_headers_add (headers, lines[i], colon + 1);
        }
      else
        {
          dbt_http_headers_add (headers, lines[i], "");
        }
    }
  if (i + 1 < n)
    payload = lines[i + 1];

  request.headers = headers;
  request.payload = (const guint8 *) payload;
  request.payload_len = strlen (payload);
  params.credentials = credentials;
  params.region = "us-east-1";
  params.service = size % 2 == 0 ? "s3" : "dynamodb";
  params.amz_date = "20150830T123600Z";
  params.normalize_path = TRUE;

  check_sign (&request, &params, FALSE);
  check_sign (&request, &params, TRUE);
  return 0;
}
