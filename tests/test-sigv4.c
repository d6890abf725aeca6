/* test-sigv4.c — the signer against every case of the AWS SigV4 test suite,
 * plus the edges the suite does not cover (S3 rules, UNSIGNED-PAYLOAD,
 * refused input, the small helpers).
 *
 * The suite lives in $DBT_SHARED_DIR/sigv4-test-suite/v4/<case>/: request.txt
 * (the HTTP request), context.json (credentials, region, service, time,
 * flags) and the expected canonical request, string to sign and signature
 * for the header form (header-*) and the query form (query-*).
 */
#include <string.h>

#include "dbt-error.h"
#include "dbt-sigv4.h"
#include "sigv4-suite.h"

/* --- the suite ---------------------------------------------------------- */

typedef enum
{
  FORM_HEADER,
  FORM_QUERY,
} SignForm;

typedef struct
{
  char     *case_name;
  SignForm  form;
} SuiteCase;

static void
suite_case_free (gpointer data)
{
  SuiteCase *suite_case = data;

  g_free (suite_case->case_name);
  g_free (suite_case);
}

static void
test_suite_case (gconstpointer data)
{
  const SuiteCase *suite_case = data;
  const char *prefix = suite_case->form == FORM_HEADER ? "header" : "query";
  g_autofree char *dir = suite_dir ();
  g_autofree char *case_dir = g_build_filename (dir, suite_case->case_name, NULL);
  g_autofree char *request_path = g_build_filename (case_dir, "request.txt", NULL);
  g_autofree char *context_path = g_build_filename (case_dir, "context.json", NULL);
  g_autofree char *request_text = NULL;
  g_autofree char *expected_cr = NULL;
  g_autofree char *expected_sts = NULL;
  g_autofree char *expected_signature = NULL;
  g_autofree char *name = NULL;
  gsize request_len = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(SuiteRequest) parsed = NULL;
  g_auto(SuiteContext) context = { 0 };
  DbtSigv4Request request = { 0 };
  DbtSigv4Params params = { 0 };
  DbtSigv4Result result = { 0 };
  gsize body_len = 0;
  gboolean ok;

  name = g_strdup_printf ("%s-canonical-request.txt", prefix);
  expected_cr = suite_expected (case_dir, name);
  if (expected_cr == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s has no %s", case_dir, name);

      g_test_skip (message);
      return;
    }
  g_clear_pointer (&name, g_free);
  name = g_strdup_printf ("%s-string-to-sign.txt", prefix);
  expected_sts = suite_expected (case_dir, name);
  g_clear_pointer (&name, g_free);
  name = g_strdup_printf ("%s-signature.txt", prefix);
  expected_signature = suite_expected (case_dir, name);
  g_assert_nonnull (expected_sts);
  g_assert_nonnull (expected_signature);

  g_file_get_contents (request_path, &request_text, &request_len, &error);
  g_assert_no_error (error);
  parsed = suite_request_parse (request_text, request_len);
  suite_context_load (&context, context_path);

  request.method = parsed->method;
  request.path = parsed->path;
  request.query = parsed->query;
  request.headers = parsed->headers;
  request.payload = g_bytes_get_data (parsed->body, &body_len);
  request.payload_len = body_len;

  params.credentials = context.credentials;
  params.region = context.region;
  params.service = context.service;
  params.amz_date = context.amz_date;
  params.normalize_path = context.normalize;
  params.add_content_sha256 = context.sign_body;
  params.omit_session_token = context.omit_session_token;
  params.expires = context.expires;

  if (suite_case->form == FORM_HEADER)
    ok = dbt_sigv4_sign_headers (&request, &params, &result, &error);
  else
    ok = dbt_sigv4_sign_query (&request, &params, &result, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  g_assert_cmpstr (result.canonical_request, ==, expected_cr);
  g_assert_cmpstr (result.string_to_sign, ==, expected_sts);
  g_assert_cmpstr (result.signature, ==, expected_signature);

  /* What goes on the wire must match the suite's signed request too. */
  if (suite_case->form == FORM_HEADER)
    {
      g_autofree char *expected_auth = suite_signed_line (case_dir, "header-signed-request.txt",
                                                          "Authorization:");
      g_autofree char *auth = g_strconcat ("Authorization:", result.authorization, NULL);

      g_assert_nonnull (expected_auth);
      g_assert_cmpstr (auth, ==, expected_auth);
      g_assert_cmpstr (dbt_http_headers_get (result.add_headers, "x-amz-date"), ==, context.amz_date);
      g_assert_cmpstr (dbt_http_headers_get (result.add_headers, "x-amz-security-token"), ==,
                       context.credentials->session_token);
    }
  else
    {
      g_autofree char *expected_line = suite_signed_line (case_dir, "query-signed-request.txt",
                                                          parsed->method);
      g_autofree char *line = g_strdup_printf ("%s %s?%s HTTP/1.1", parsed->method,
                                               parsed->path, result.signed_query);

      g_assert_nonnull (expected_line);
      g_assert_cmpstr (line, ==, expected_line);
      g_assert_cmpuint (result.add_headers->len, ==, 0);
    }

  dbt_sigv4_result_clear (&result);
  g_assert_null (result.signature);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static guint
add_suite_tests (void)
{
  g_autofree char *dir = suite_dir ();
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    return 0;
  listing = g_dir_open (dir, 0, NULL);
  if (listing == NULL)
    return 0;
  while ((entry = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *request = g_build_filename (dir, entry, "request.txt", NULL);

      if (g_file_test (request, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (names, g_strdup (entry));
    }
  g_ptr_array_sort (names, compare_strings);
  for (guint i = 0; i < names->len; i++)
    {
      for (int form = FORM_HEADER; form <= FORM_QUERY; form++)
        {
          SuiteCase *suite_case = g_new0 (SuiteCase, 1);
          g_autofree char *path = NULL;

          suite_case->case_name = g_strdup (g_ptr_array_index (names, i));
          suite_case->form = form;
          path = g_strdup_printf ("/sigv4/suite/%s/%s",
                                  form == FORM_HEADER ? "header" : "query",
                                  suite_case->case_name);
          g_test_add_data_func_full (path, suite_case, test_suite_case, suite_case_free);
        }
    }
  return names->len;
}

static void
test_suite_missing (void)
{
  g_autofree char *dir = suite_dir ();
  g_autofree char *message =
    g_strdup_printf ("the AWS SigV4 test suite is not at %s (set DBT_SHARED_DIR to the folder holding sigv4-test-suite/)",
                     dir != NULL ? dir : "$DBT_SHARED_DIR/sigv4-test-suite/v4 (DBT_SHARED_DIR is unset)");

  g_test_skip (message);
}

/* --- beyond the suite ---------------------------------------------------- */

static const char *example_secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

static void
init_basic (DbtSigv4Request *request,
            DbtSigv4Params  *params,
            GPtrArray       *headers,
            DbtCredentials  *credentials)
{
  memset (request, 0, sizeof *request);
  memset (params, 0, sizeof *params);
  dbt_http_headers_add (headers, "Host", "example.amazonaws.com");
  request->method = "GET";
  request->path = "/";
  request->headers = headers;
  params->credentials = credentials;
  params->region = "us-east-1";
  params->service = "service";
  params->amz_date = "20150830T123600Z";
  params->normalize_path = TRUE;
}

static void
test_helpers (void)
{
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  g_autofree char *empty = dbt_sha256_hex (NULL, 0);
  g_autofree char *abc = dbt_sha256_hex ((const guint8 *) "abc", 3);
  g_autofree char *encoded = dbt_uri_encode ("a b/ሴ~-_.*+%", strlen ("a b/ሴ~-_.*+%"), FALSE);
  g_autofree char *path = dbt_uri_encode ("/a b/c", 6, TRUE);
  g_autofree char *with_nul = dbt_uri_encode ("a\0b", 3, FALSE);
  g_autofree char *date = dbt_amz_date_format (1440938160);
  g_autofree char *epoch = dbt_amz_date_format (0);

  /* FIPS 180-2 test vectors. */
  g_assert_cmpstr (empty, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  g_assert_cmpstr (abc, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_cmpstr (encoded, ==, "a%20b%2F%E1%88%B4~-_.%2A%2B%25");
  g_assert_cmpstr (path, ==, "/a%20b/c");
  g_assert_cmpstr (with_nul, ==, "a%00b");
  g_assert_cmpstr (date, ==, "20150830T123600Z");
  g_assert_cmpstr (epoch, ==, "19700101T000000Z");

  dbt_http_headers_add (headers, "Content-Type", "text/plain");
  dbt_http_headers_add (headers, "X-Twice", "1");
  dbt_http_headers_add (headers, "x-twice", "2");
  dbt_http_headers_add (headers, "X-Empty", NULL);
  g_assert_cmpuint (headers->len, ==, 4);
  g_assert_cmpstr (dbt_http_headers_get (headers, "content-type"), ==, "text/plain");
  g_assert_cmpstr (dbt_http_headers_get (headers, "X-TWICE"), ==, "1");
  g_assert_cmpstr (dbt_http_headers_get (headers, "x-empty"), ==, "");
  g_assert_null (dbt_http_headers_get (headers, "missing"));
  g_assert_null (dbt_http_headers_get (NULL, "host"));
}

/* The suite's service never exercises S3: no normalisation, no second
 * encoding, x-amz-content-sha256 always signed (botocore S3SigV4Auth). */
static void
test_s3_rules (void)
{
  g_autoptr(DbtCredentials) credentials = dbt_credentials_new ("AKIDEXAMPLE", example_secret, NULL, "test");
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  g_autoptr(GError) error = NULL;
  DbtSigv4Request request;
  DbtSigv4Params params;
  DbtSigv4Result result = { 0 };
  g_autofree char *body_hash = dbt_sha256_hex ((const guint8 *) "hello", 5);
  g_autofree char *expected_prefix = NULL;

  init_basic (&request, &params, headers, credentials);
  request.method = "put";
  request.path = "/bucket//a%20key/./x";
  request.payload = (const guint8 *) "hello";
  request.payload_len = 5;
  params.service = "s3";
  params.normalize_path = TRUE;   /* ignored for s3 */

  g_assert_true (dbt_sigv4_sign_headers (&request, &params, &result, &error));
  g_assert_no_error (error);
  expected_prefix = g_strdup_printf ("PUT\n/bucket//a%%20key/./x\n\nhost:example.amazonaws.com\n"
                                     "x-amz-content-sha256:%s\nx-amz-date:20150830T123600Z\n\n"
                                     "host;x-amz-content-sha256;x-amz-date\n%s",
                                     body_hash, body_hash);
  g_assert_cmpstr (result.canonical_request, ==, expected_prefix);
  g_assert_cmpstr (dbt_http_headers_get (result.add_headers, "x-amz-content-sha256"), ==, body_hash);
  g_assert_true (g_str_has_prefix (result.authorization,
                                   "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, "
                                   "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="));
  dbt_sigv4_result_clear (&result);

  /* The same path for another service: normalised and encoded again. */
  params.service = "lambda";
  g_assert_true (dbt_sigv4_sign_headers (&request, &params, &result, &error));
  g_assert_true (g_str_has_prefix (result.canonical_request, "PUT\n/bucket/a%2520key/x\n\nhost:"));
  g_assert_null (dbt_http_headers_get (result.add_headers, "x-amz-content-sha256"));
  dbt_sigv4_result_clear (&result);
}

static void
test_unsigned_payload_and_token (void)
{
  g_autoptr(DbtCredentials) credentials = dbt_credentials_new ("AKIDEXAMPLE", example_secret, "TOKEN+/=", "test");
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  g_autoptr(GError) error = NULL;
  DbtSigv4Request request;
  DbtSigv4Params params;
  DbtSigv4Result result = { 0 };
  g_autofree char *first_signature = NULL;

  init_basic (&request, &params, headers, credentials);
  /* Caller-supplied values the signer owns are replaced, not doubled. */
  dbt_http_headers_add (headers, "Authorization", "stale");
  dbt_http_headers_add (headers, "X-Amz-Date", "19990101T000000Z");
  dbt_http_headers_add (headers, "X-Amz-Security-Token", "stale");
  dbt_http_headers_add (headers, "User-Agent", "dbtrigger/1");
  request.payload_hash = "UNSIGNED-PAYLOAD";

  g_assert_true (dbt_sigv4_sign_headers (&request, &params, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (result.canonical_request, ==,
                   "GET\n/\n\nhost:example.amazonaws.com\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n"
                   "x-amz-date:20150830T123600Z\nx-amz-security-token:TOKEN+/=\n\n"
                   "host;x-amz-content-sha256;x-amz-date;x-amz-security-token\nUNSIGNED-PAYLOAD");
  g_assert_cmpstr (dbt_http_headers_get (result.add_headers, "X-Amz-Security-Token"), ==, "TOKEN+/=");
  g_assert_cmpstr (dbt_http_headers_get (result.add_headers, "X-Amz-Content-SHA256"), ==, "UNSIGNED-PAYLOAD");
  first_signature = g_strdup (result.signature);
  dbt_sigv4_result_clear (&result);

  /* Omitting the token from the signature still sends it. */
  params.omit_session_token = TRUE;
  g_assert_true (dbt_sigv4_sign_headers (&request, &params, &result, &error));
  g_assert_null (strstr (result.canonical_request, "x-amz-security-token"));
  g_assert_cmpstr (dbt_http_headers_get (result.add_headers, "X-Amz-Security-Token"), ==, "TOKEN+/=");
  g_assert_cmpstr (result.signature, !=, first_signature);
  dbt_sigv4_result_clear (&result);

  /* Query form: the token travels encoded in the query. */
  params.omit_session_token = FALSE;
  params.expires = 60;
  request.payload_hash = NULL;
  g_assert_true (dbt_sigv4_sign_query (&request, &params, &result, &error));
  g_assert_nonnull (strstr (result.signed_query, "&X-Amz-Expires=60&X-Amz-Security-Token=TOKEN%2B%2F%3D&X-Amz-Signature="));
  g_assert_nonnull (strstr (result.canonical_request, "X-Amz-Security-Token=TOKEN%2B%2F%3D"));
  g_assert_null (result.authorization);
  dbt_sigv4_result_clear (&result);
}

static void
test_query_canonical (void)
{
  g_autoptr(DbtCredentials) credentials = dbt_credentials_new ("AKIDEXAMPLE", example_secret, NULL, "test");
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  g_autoptr(GError) error = NULL;
  DbtSigv4Request request;
  DbtSigv4Params params;
  DbtSigv4Result result = { 0 };

  init_basic (&request, &params, headers, credentials);
  request.query = "b=2&a&b=1&=e&%7e=x&c=%zz&d=a+b&&a=";
  g_assert_true (dbt_sigv4_sign_headers (&request, &params, &result, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (result.canonical_request,
                                   "GET\n/\n=&=e&a=&a=&b=1&b=2&c=%25zz&d=a%2Bb&~=x\n"));
  dbt_sigv4_result_clear (&result);
}

static void
test_header_canonical (void)
{
  g_autoptr(DbtCredentials) credentials = dbt_credentials_new ("AKIDEXAMPLE", example_secret, NULL, "test");
  g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
  g_autoptr(GError) error = NULL;
  DbtSigv4Request request;
  DbtSigv4Params params;
  DbtSigv4Result result = { 0 };

  init_basic (&request, &params, headers, credentials);
  dbt_http_headers_add (headers, "X-B", "  two\t\tspaced   words ");
  dbt_http_headers_add (headers, "x-a", "folded\r\n  line");
  dbt_http_headers_add (headers, "X-A", "");
  dbt_http_headers_add (headers, "Connection", "keep-alive");
  g_assert_true (dbt_sigv4_sign_headers (&request, &params, &result, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (result.canonical_request,
                                   "GET\n/\n\nhost:example.amazonaws.com\nx-a:folded line,\n"
                                   "x-amz-date:20150830T123600Z\nx-b:two spaced words\n\n"
                                   "host;x-a;x-amz-date;x-b\n"));
  g_assert_cmpstr (result.signed_headers, ==, "host;x-a;x-amz-date;x-b");
  dbt_sigv4_result_clear (&result);
}

typedef void (*Breaker) (DbtSigv4Request *request, DbtSigv4Params *params, GPtrArray *headers);

static void break_host (DbtSigv4Request *r, DbtSigv4Params *p, GPtrArray *h) { g_ptr_array_remove_index (h, 0); }
static void break_date (DbtSigv4Request *r, DbtSigv4Params *p, GPtrArray *h) { p->amz_date = "2015-08-30T12:36:00Z"; }
static void break_path (DbtSigv4Request *r, DbtSigv4Params *p, GPtrArray *h) { r->path = "relative"; }
static void break_path_query (DbtSigv4Request *r, DbtSigv4Params *p, GPtrArray *h) { r->path = "/a?b=c"; }
static void break_header_name (DbtSigv4Request *r, DbtSigv4Params *p, GPtrArray *h) { dbt_http_headers_add (h, "Bad Name", "x"); }
static void break_header_value (DbtSigv4Request *r, DbtSigv4Params *p, GPtrArray *h) { dbt_http_headers_add (h, "X-Inject", "secretvalue\r\nX-Evil: 1"); }
static void break_region (DbtSigv4Request *r, DbtSigv4Params *p, GPtrArray *h) { p->region = "us/east"; }
static void break_service (DbtSigv4Request *r, DbtSigv4Params *p, GPtrArray *h) { p->service = NULL; }
static void break_method (DbtSigv4Request *r, DbtSigv4Params *p, GPtrArray *h) { r->method = "GE T"; }
static void break_credentials (DbtSigv4Request *r, DbtSigv4Params *p, GPtrArray *h) { p->credentials = NULL; }
static void break_expires (DbtSigv4Request *r, DbtSigv4Params *p, GPtrArray *h) { p->expires = 604801; }
static void break_payload (DbtSigv4Request *r, DbtSigv4Params *p, GPtrArray *h) { r->payload_len = 3; }

static void
test_refused_input (void)
{
  static const struct
  {
    Breaker     breaker;
    const char *message_part;
  } cases[] = {
    { break_host, "no Host header" },
    { break_date, "amz_date \"2015-08-30T12:36:00Z\"" },
    { break_path, "must start with '/'" },
    { break_path_query, "'?'" },
    { break_header_name, "\"Bad Name\"" },
    { break_header_value, "value of header \"X-Inject\"" },
    { break_region, "region \"us/east\"" },
    { break_service, "service name" },
    { break_method, "not an HTTP method" },
    { break_credentials, "no access key id" },
    { break_expires, "expiry" },
    { break_payload, "no payload" },
  };
  g_autoptr(DbtCredentials) credentials = dbt_credentials_new ("AKIDEXAMPLE", example_secret, NULL, "test");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) headers = dbt_http_headers_new ();
      g_autoptr(GError) error = NULL;
      DbtSigv4Request request;
      DbtSigv4Params params;
      DbtSigv4Result result;

      init_basic (&request, &params, headers, credentials);
      cases[i].breaker (&request, &params, headers);
      memset (&result, 0xAA, sizeof result);  /* need not be initialised */
      g_assert_false (dbt_sigv4_sign_headers (&request, &params, &result, &error));
      g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, cases[i].message_part));
      g_assert_null (strstr (error->message, "secretvalue"));
      g_assert_null (strstr (error->message, example_secret));
      g_assert_null (result.signature);
      g_assert_null (result.add_headers);
      dbt_sigv4_result_clear (&result);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (add_suite_tests () == 0)
    g_test_add_func ("/sigv4/suite/missing", test_suite_missing);
  g_test_add_func ("/sigv4/helpers", test_helpers);
  g_test_add_func ("/sigv4/s3-rules", test_s3_rules);
  g_test_add_func ("/sigv4/unsigned-payload-and-token", test_unsigned_payload_and_token);
  g_test_add_func ("/sigv4/query-canonical", test_query_canonical);
  g_test_add_func ("/sigv4/header-canonical", test_header_canonical);
  g_test_add_func ("/sigv4/refused-input", test_refused_input);

  return g_test_run ();
}
