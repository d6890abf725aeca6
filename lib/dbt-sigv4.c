/* dbt-sigv4.c — AWS Signature Version 4 with OpenSSL.
 *
 * libcurl's own CURLOPT_AWS_SIGV4 is not used: on Debian's 7.88 it signs
 * 29 of the 38 AWS test-suite cases even when handed the date and the token
 * as headers (tests/sigv4-curl-probe.c). It does not sort the query, does
 * not merge repeated header names or unfold folded values, does not
 * collapse "//" in the path, cannot sign x-amz-content-sha256 outside S3,
 * has no session-token option, no query (presigned) form, and takes the
 * date from the clock unless an X-Amz-Date header is given, which it then
 * sends twice.
 */
#include "dbt-sigv4.h"
#include "dbt-error.h"

#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define SIGV4_ALGORITHM   "AWS4-HMAC-SHA256"
#define UNSIGNED_PAYLOAD  "UNSIGNED-PAYLOAD"
#define SHA256_LEN        32
#define DEFAULT_EXPIRES   3600
#define MAX_EXPIRES       604800   /* seven days, the SigV4 limit */

/* Never signed, as botocore (SIGNED_HEADERS_BLACKLIST): hop-by-hop headers
 * and the ones proxies rewrite would break the signature in transit. */
static const char * const unsigned_headers[] = {
  "connection", "expect", "keep-alive", "proxy-authenticate",
  "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
  "user-agent", "x-amzn-trace-id",
};

/* --- DbtHttpHeader ---------------------------------------------------- */

DbtHttpHeader *
dbt_http_header_new (const char *name,
                     const char *value)
{
  DbtHttpHeader *header;

  g_return_val_if_fail (name != NULL, NULL);

  header = g_new0 (DbtHttpHeader, 1);
  header->name = g_strdup (name);
  header->value = g_strdup (value != NULL ? value : "");
  return header;
}

void
dbt_http_header_free (DbtHttpHeader *header)
{
  if (header == NULL)
    return;
  g_free (header->name);
  g_free (header->value);
  g_free (header);
}

GPtrArray *
dbt_http_headers_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_http_header_free);
}

void
dbt_http_headers_add (GPtrArray  *headers,
                      const char *name,
                      const char *value)
{
  g_return_if_fail (headers != NULL);
  g_return_if_fail (name != NULL);

  g_ptr_array_add (headers, dbt_http_header_new (name, value));
}

const char *
dbt_http_headers_get (GPtrArray  *headers,
                      const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  if (headers == NULL)
    return NULL;

  for (guint i = 0; i < headers->len; i++)
    {
      const DbtHttpHeader *header = g_ptr_array_index (headers, i);

      if (g_ascii_strcasecmp (header->name, name) == 0)
        return header->value;
    }
  return NULL;
}

/* --- hashing and encoding --------------------------------------------- */

static char *
hex_encode (const guint8 *bytes,
            gsize         len)
{
  static const char digits[] = "0123456789abcdef";
  char *hex = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      hex[2 * i] = digits[bytes[i] >> 4];
      hex[2 * i + 1] = digits[bytes[i] & 0xf];
    }
  hex[len * 2] = '\0';
  return hex;
}

static void
sha256 (const guint8 *data,
        gsize         len,
        guint8        out[SHA256_LEN])
{
  static const guint8 empty[1] = { 0 };
  unsigned int out_len = 0;

  /* EVP_Digest only fails when OpenSSL cannot allocate; like g_malloc,
   * there is nothing sensible left to do then. */
  if (!EVP_Digest (data != NULL ? data : empty, len, out, &out_len, EVP_sha256 (), NULL))
    g_error ("OpenSSL SHA-256 failed");
}

static void
hmac_sha256 (const guint8 *key,
             gsize         key_len,
             const char   *message,
             gsize         message_len,
             guint8        out[SHA256_LEN])
{
  unsigned int out_len = 0;

  if (HMAC (EVP_sha256 (), key, (int) key_len,
            (const unsigned char *) message, message_len, out, &out_len) == NULL)
    g_error ("OpenSSL HMAC-SHA256 failed");
}

char *
dbt_sha256_hex (const guint8 *data,
                gsize         len)
{
  guint8 digest[SHA256_LEN];

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  sha256 (data, len, digest);
  return hex_encode (digest, sizeof digest);
}

static gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.' || c == '~';
}

static void
append_uri_encoded (GString    *out,
                    const char *s,
                    gsize       len,
                    gboolean    keep_slash)
{
  static const char digits[] = "0123456789ABCDEF";

  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) s[i];

      if (is_unreserved (c) || (keep_slash && c == '/'))
        {
          g_string_append_c (out, (char) c);
        }
      else
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, digits[c >> 4]);
          g_string_append_c (out, digits[c & 0xf]);
        }
    }
}

char *
dbt_uri_encode (const char *s,
                gsize       len,
                gboolean    keep_slash)
{
  GString *out;

  g_return_val_if_fail (s != NULL || len == 0, NULL);

  out = g_string_sized_new (len + 8);
  append_uri_encoded (out, s, len, keep_slash);
  return g_string_free (out, FALSE);
}

/* Percent-decoding as a server does before re-encoding: a '%' not followed
 * by two hex digits stays literal; '+' is a plus, not a space. */
static GString *
uri_decode (const char *s,
            gsize       len)
{
  GString *out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      if (s[i] == '%' && i + 2 < len
          && g_ascii_isxdigit (s[i + 1]) && g_ascii_isxdigit (s[i + 2]))
        {
          g_string_append_c (out, (char) (g_ascii_xdigit_value (s[i + 1]) * 16
                                          + g_ascii_xdigit_value (s[i + 2])));
          i += 2;
        }
      else
        {
          g_string_append_c (out, s[i]);
        }
    }
  return out;
}

char *
dbt_amz_date_format (gint64 unix_seconds)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (unix_seconds);

  if (when == NULL)
    return NULL;
  return g_date_time_format (when, "%Y%m%dT%H%M%SZ");
}

/* --- validation -------------------------------------------------------- */

static gboolean
is_token_char (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

static gboolean
is_token (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!is_token_char ((guchar) *s))
      return FALSE;
  return TRUE;
}

/* Region and service go into the credential scope, which '/' separates. */
static gboolean
is_scope_part (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isalnum (*s) && *s != '-' && *s != '_' && *s != '.')
      return FALSE;
  return TRUE;
}

/* The key id goes into the Authorization header and the credential scope. */
static gboolean
is_access_key_id (const char *s)
{
  for (; *s != '\0'; s++)
    {
      guchar c = (guchar) *s;

      if (c <= 0x20 || c >= 0x7f || c == '/' || c == ',' || c == '=')
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_amz_date (const char *s)
{
  if (s == NULL || strlen (s) != 16 || s[8] != 'T' || s[15] != 'Z')
    return FALSE;
  for (int i = 0; i < 15; i++)
    if (i != 8 && !g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* A line break is only allowed as obsolete line folding: CRLF or LF
 * followed by a space or a tab, which canonicalisation turns into one
 * space. Anything else would split the header on the wire. */
static gboolean
is_header_value (const char *s)
{
  for (; *s != '\0'; s++)
    {
      guchar c = (guchar) *s;

      if (c == '\r')
        {
          if (s[1] != '\n')
            return FALSE;
        }
      else if (c == '\n')
        {
          if (s[1] != ' ' && s[1] != '\t')
            return FALSE;
        }
      else if ((c < 0x20 && c != '\t') || c == 0x7f)
        {
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
is_path (const char *s)
{
  if (s[0] != '/')
    return FALSE;
  for (; *s != '\0'; s++)
    {
      guchar c = (guchar) *s;

      if (c < 0x20 || c == 0x7f || c == '?' || c == '#')
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_payload_hash (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if ((guchar) *s <= 0x20 || (guchar) *s >= 0x7f)
      return FALSE;
  return TRUE;
}

static gboolean
check_input (const DbtSigv4Request *request,
             const DbtSigv4Params  *params,
             GError               **error)
{
  const DbtCredentials *credentials = params->credentials;
  const char *host;

  if (credentials == NULL
      || credentials->access_key_id == NULL || *credentials->access_key_id == '\0'
      || credentials->secret_access_key == NULL || *credentials->secret_access_key == '\0')
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "cannot sign: no access key id or secret access key");
      return FALSE;
    }
  if (!is_access_key_id (credentials->access_key_id))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "cannot sign: the access key id holds a space, a control character, '/', ',' or '='");
      return FALSE;
    }
  if (!is_scope_part (params->region))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "cannot sign: region \"%s\" is empty or has characters other than letters, digits, '-', '_' and '.'",
                         params->region != NULL ? params->region : "");
      return FALSE;
    }
  if (!is_scope_part (params->service))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "cannot sign: service name \"%s\" is empty or has characters other than letters, digits, '-', '_' and '.'",
                         params->service != NULL ? params->service : "");
      return FALSE;
    }
  if (!is_amz_date (params->amz_date))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "cannot sign: amz_date \"%s\" is not of the form 20150830T123600Z",
                         params->amz_date != NULL ? params->amz_date : "");
      return FALSE;
    }
  if (params->expires < 0 || params->expires > MAX_EXPIRES)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "cannot sign: expiry of %" G_GINT64_FORMAT " s is outside 1..%d s",
                         params->expires, MAX_EXPIRES);
      return FALSE;
    }
  if (!is_token (request->method))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "cannot sign: \"%s\" is not an HTTP method",
                         request->method != NULL ? request->method : "");
      return FALSE;
    }
  if (request->path != NULL && request->path[0] != '\0' && !is_path (request->path))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "cannot sign: the path must start with '/' and hold no control character, '?' or '#'");
      return FALSE;
    }
  if (request->query != NULL && strpbrk (request->query, "# \t\r\n") != NULL)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "cannot sign: the query string holds a space, a line break or '#'");
      return FALSE;
    }
  if (request->payload_hash != NULL && !is_payload_hash (request->payload_hash))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "cannot sign: the payload hash is empty or holds spaces or control characters");
      return FALSE;
    }
  if (request->payload == NULL && request->payload_len > 0)
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "cannot sign: payload_len is %" G_GSIZE_FORMAT " but there is no payload",
                         request->payload_len);
      return FALSE;
    }

  for (guint i = 0; request->headers != NULL && i < request->headers->len; i++)
    {
      const DbtHttpHeader *header = g_ptr_array_index (request->headers, i);

      if (!is_token (header->name))
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                             "cannot sign: header name \"%s\" is empty or not an HTTP token",
                             header->name != NULL ? header->name : "");
          return FALSE;
        }
      /* The value is not quoted: it may be a secret. */
      if (header->value == NULL || !is_header_value (header->value))
        {
          dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                             "cannot sign: the value of header \"%s\" holds a control character or a line break that is not a folded continuation",
                             header->name);
          return FALSE;
        }
    }

  host = dbt_http_headers_get (request->headers, "host");
  if (host == NULL || strspn (host, " \t\r\n") == strlen (host))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                         "cannot sign: the request has no Host header");
      return FALSE;
    }
  return TRUE;
}

/* --- canonical request pieces ------------------------------------------ */

/* RFC 3986 "remove dot segments" as botocore does it, which also drops
 * empty segments: "//a/./b/../c/" → "/a/c/". A trailing slash survives
 * only when something is left before it. */
static char *
remove_dot_segments (const char *path)
{
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  gsize len = strlen (path);
  GString *out;

  for (guint i = 0; segments[i] != NULL; i++)
    {
      const char *segment = segments[i];

      if (*segment == '\0' || strcmp (segment, ".") == 0)
        continue;
      if (strcmp (segment, "..") == 0)
        {
          if (kept->len > 0)
            g_ptr_array_remove_index (kept, kept->len - 1);
        }
      else
        {
          g_ptr_array_add (kept, (gpointer) segment);
        }
    }

  out = g_string_new ("/");
  for (guint i = 0; i < kept->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, '/');
      g_string_append (out, g_ptr_array_index (kept, i));
    }
  if (len > 0 && path[len - 1] == '/' && kept->len > 0)
    g_string_append_c (out, '/');
  return g_string_free (out, FALSE);
}

static char *
canonical_path (const char *path,
                gboolean    is_s3,
                gboolean    normalize)
{
  g_autofree char *normalized = NULL;

  if (path == NULL || *path == '\0')
    return g_strdup ("/");
  /* S3 object keys are signed exactly as sent: "a//b" and "a/../b" are
   * distinct keys. */
  if (is_s3)
    return g_strdup (path);

  normalized = normalize ? remove_dot_segments (path) : g_strdup (path);
  /* Encoding the already-encoded path once more is what every SDK does
   * for services other than S3. */
  return dbt_uri_encode (normalized, strlen (normalized), TRUE);
}

typedef struct
{
  char *key;    /* encoded */
  char *value;  /* encoded */
} QueryPair;

static void
query_pair_free (QueryPair *pair)
{
  g_free (pair->key);
  g_free (pair->value);
  g_free (pair);
}

static void
query_pairs_add_decoded (GPtrArray  *pairs,
                         const char *key,
                         const char *value)
{
  QueryPair *pair = g_new0 (QueryPair, 1);

  pair->key = dbt_uri_encode (key, strlen (key), FALSE);
  pair->value = dbt_uri_encode (value, strlen (value), FALSE);
  g_ptr_array_add (pairs, pair);
}

static void
query_pairs_add_raw (GPtrArray  *pairs,
                     const char *query)
{
  g_auto(GStrv) parts = NULL;

  if (query == NULL || *query == '\0')
    return;

  /* An empty part ("a&&b") is kept as an empty key with an empty value,
   * as botocore does. */
  parts = g_strsplit (query, "&", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = parts[i];
      const char *equals = strchr (part, '=');
      gsize key_len = equals != NULL ? (gsize) (equals - part) : strlen (part);
      const char *value = equals != NULL ? equals + 1 : "";
      g_autoptr(GString) key = uri_decode (part, key_len);
      g_autoptr(GString) decoded_value = uri_decode (value, strlen (value));
      QueryPair *pair = g_new0 (QueryPair, 1);

      pair->key = dbt_uri_encode (key->str, key->len, FALSE);
      pair->value = dbt_uri_encode (decoded_value->str, decoded_value->len, FALSE);
      g_ptr_array_add (pairs, pair);
    }
}

static int
query_pair_compare (gconstpointer a,
                    gconstpointer b)
{
  const QueryPair *pa = *(const QueryPair * const *) a;
  const QueryPair *pb = *(const QueryPair * const *) b;
  int by_key = strcmp (pa->key, pb->key);

  return by_key != 0 ? by_key : strcmp (pa->value, pb->value);
}

static char *
canonical_query (GPtrArray *pairs)
{
  GString *out = g_string_new (NULL);

  g_ptr_array_sort (pairs, query_pair_compare);
  for (guint i = 0; i < pairs->len; i++)
    {
      const QueryPair *pair = g_ptr_array_index (pairs, i);

      if (i > 0)
        g_string_append_c (out, '&');
      g_string_append_printf (out, "%s=%s", pair->key, pair->value);
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Trimall: no leading or trailing whitespace, every inner run (folded
 * continuation lines included) becomes one space. */
static void
append_trimmed (GString    *out,
                const char *value)
{
  gboolean seen_text = FALSE;
  gboolean pending_space = FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (is_space (*p))
        {
          pending_space = seen_text;
        }
      else
        {
          if (pending_space)
            g_string_append_c (out, ' ');
          g_string_append_c (out, *p);
          pending_space = FALSE;
          seen_text = TRUE;
        }
    }
}

static void
string_free (gpointer string)
{
  g_string_free (string, TRUE);
}

typedef struct
{
  GHashTable *values;  /* lowercase name → GString of values joined by ',' */
  GPtrArray  *names;   /* the keys of values, borrowed */
} CanonicalHeaders;

static void
canonical_headers_init (CanonicalHeaders *headers)
{
  headers->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           string_free);
  headers->names = g_ptr_array_new ();
}

static void
canonical_headers_clear (CanonicalHeaders *headers)
{
  g_clear_pointer (&headers->names, g_ptr_array_unref);
  g_clear_pointer (&headers->values, g_hash_table_unref);
}

static void
canonical_headers_add (CanonicalHeaders *headers,
                       const char       *name,
                       const char       *value)
{
  char *lname = g_ascii_strdown (name, -1);
  GString *joined = g_hash_table_lookup (headers->values, lname);

  if (joined == NULL)
    {
      joined = g_string_new (NULL);
      g_hash_table_insert (headers->values, lname, joined);
      g_ptr_array_add (headers->names, lname);
    }
  else
    {
      g_free (lname);
      g_string_append_c (joined, ',');
    }
  append_trimmed (joined, value);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
is_unsigned_header (const char *lname)
{
  for (gsize i = 0; i < G_N_ELEMENTS (unsigned_headers); i++)
    if (strcmp (lname, unsigned_headers[i]) == 0)
      return TRUE;
  return FALSE;
}

/* --- signing ------------------------------------------------------------ */

static char *
compute_signature (const char *secret,
                   const char *date,
                   const char *region,
                   const char *service,
                   const char *string_to_sign)
{
  g_autofree char *secret_key = g_strconcat ("AWS4", secret, NULL);
  guint8 key[SHA256_LEN];
  guint8 mac[SHA256_LEN];
  char *hex;

  hmac_sha256 ((const guint8 *) secret_key, strlen (secret_key), date, strlen (date), key);
  hmac_sha256 (key, sizeof key, region, strlen (region), key);
  hmac_sha256 (key, sizeof key, service, strlen (service), key);
  hmac_sha256 (key, sizeof key, "aws4_request", strlen ("aws4_request"), key);
  hmac_sha256 (key, sizeof key, string_to_sign, strlen (string_to_sign), mac);
  hex = hex_encode (mac, sizeof mac);

  /* The derived key is as good as the secret for a day. */
  OPENSSL_cleanse (secret_key, strlen (secret_key));
  OPENSSL_cleanse (key, sizeof key);
  return hex;
}

static gboolean
sign (const DbtSigv4Request *request,
      const DbtSigv4Params  *params,
      gboolean               query_form,
      DbtSigv4Result        *result,
      GError               **error)
{
  const DbtCredentials *credentials;
  const char *token;
  const char *given_sha256;
  gboolean is_s3;
  gboolean add_sha256_header;
  gboolean sign_token;
  g_autofree char *payload_hash = NULL;
  g_autofree char *date = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *credential = NULL;
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  g_autofree char *cr_hash = NULL;
  g_autofree char *expires = NULL;
  g_autoptr(GPtrArray) pairs = NULL;
  g_autoptr(GString) header_block = NULL;
  g_autoptr(GString) signed_headers = NULL;
  CanonicalHeaders headers;

  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (result, 0, sizeof *result);
  if (!check_input (request, params, error))
    return FALSE;

  credentials = params->credentials;
  token = credentials->session_token;
  if (token != NULL && *token == '\0')
    token = NULL;
  is_s3 = strcmp (params->service, "s3") == 0;
  date = g_strndup (params->amz_date, 8);
  scope = g_strdup_printf ("%s/%s/%s/aws4_request", date, params->region, params->service);
  credential = g_strdup_printf ("%s/%s", credentials->access_key_id, scope);
  expires = g_strdup_printf ("%" G_GINT64_FORMAT,
                             params->expires > 0 ? params->expires : DEFAULT_EXPIRES);

  given_sha256 = dbt_http_headers_get (request->headers, "x-amz-content-sha256");
  if (request->payload_hash != NULL)
    payload_hash = g_strdup (request->payload_hash);
  else if (given_sha256 != NULL && !is_s3)
    {
      g_autoptr(GString) trimmed = g_string_new (NULL);

      append_trimmed (trimmed, given_sha256);
      payload_hash = g_strdup (trimmed->str);
    }
  else
    payload_hash = dbt_sha256_hex (request->payload, request->payload_len);

  add_sha256_header = !query_form
                      && (params->add_content_sha256 || is_s3
                          || strcmp (payload_hash, UNSIGNED_PAYLOAD) == 0);
  sign_token = token != NULL && !params->omit_session_token;

  /* Headers: the request's, minus those the signer owns, plus the signer's. */
  canonical_headers_init (&headers);
  for (guint i = 0; request->headers != NULL && i < request->headers->len; i++)
    {
      const DbtHttpHeader *header = g_ptr_array_index (request->headers, i);
      g_autofree char *lname = g_ascii_strdown (header->name, -1);

      if (is_unsigned_header (lname)
          || strcmp (lname, "authorization") == 0
          || (!query_form && strcmp (lname, "x-amz-date") == 0)
          || (!query_form && token != NULL && strcmp (lname, "x-amz-security-token") == 0)
          || (add_sha256_header && strcmp (lname, "x-amz-content-sha256") == 0))
        continue;
      canonical_headers_add (&headers, lname, header->value);
    }
  if (!query_form)
    {
      canonical_headers_add (&headers, "x-amz-date", params->amz_date);
      if (sign_token)
        canonical_headers_add (&headers, "x-amz-security-token", token);
      if (add_sha256_header)
        canonical_headers_add (&headers, "x-amz-content-sha256", payload_hash);
    }

  g_ptr_array_sort (headers.names, compare_names);
  header_block = g_string_new (NULL);
  signed_headers = g_string_new (NULL);
  for (guint i = 0; i < headers.names->len; i++)
    {
      const char *name = g_ptr_array_index (headers.names, i);
      const GString *value = g_hash_table_lookup (headers.values, name);

      g_string_append_printf (header_block, "%s:%s\n", name, value->str);
      if (i > 0)
        g_string_append_c (signed_headers, ';');
      g_string_append (signed_headers, name);
    }
  canonical_headers_clear (&headers);

  /* Query: the request's pairs, plus the authentication ones for the
   * query form. */
  pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) query_pair_free);
  query_pairs_add_raw (pairs, request->query);
  if (query_form)
    {
      query_pairs_add_decoded (pairs, "X-Amz-Algorithm", SIGV4_ALGORITHM);
      query_pairs_add_decoded (pairs, "X-Amz-Credential", credential);
      query_pairs_add_decoded (pairs, "X-Amz-Date", params->amz_date);
      query_pairs_add_decoded (pairs, "X-Amz-Expires", expires);
      query_pairs_add_decoded (pairs, "X-Amz-SignedHeaders", signed_headers->str);
      if (sign_token)
        query_pairs_add_decoded (pairs, "X-Amz-Security-Token", token);
    }
  query = canonical_query (pairs);
  path = canonical_path (request->path, is_s3, params->normalize_path);

  {
    g_autofree char *method = g_ascii_strup (request->method, -1);

    result->canonical_request = g_strdup_printf ("%s\n%s\n%s\n%s\n%s\n%s",
                                                 method, path, query,
                                                 header_block->str,
                                                 signed_headers->str,
                                                 payload_hash);
  }
  cr_hash = dbt_sha256_hex ((const guint8 *) result->canonical_request,
                            strlen (result->canonical_request));
  result->string_to_sign = g_strdup_printf (SIGV4_ALGORITHM "\n%s\n%s\n%s",
                                            params->amz_date, scope, cr_hash);
  result->signature = compute_signature (credentials->secret_access_key, date,
                                         params->region, params->service,
                                         result->string_to_sign);
  result->signed_headers = g_string_free (g_steal_pointer (&signed_headers), FALSE);
  result->add_headers = dbt_http_headers_new ();

  if (!query_form)
    {
      result->authorization = g_strdup_printf (SIGV4_ALGORITHM " Credential=%s, SignedHeaders=%s, Signature=%s",
                                               credential, result->signed_headers,
                                               result->signature);
      dbt_http_headers_add (result->add_headers, "X-Amz-Date", params->amz_date);
      if (token != NULL)
        dbt_http_headers_add (result->add_headers, "X-Amz-Security-Token", token);
      if (add_sha256_header)
        dbt_http_headers_add (result->add_headers, "X-Amz-Content-SHA256", payload_hash);
    }
  else
    {
      GString *signed_query = g_string_new (NULL);

      /* The request's own parameters first, untouched, then ours. */
      if (request->query != NULL && *request->query != '\0')
        g_string_append_printf (signed_query, "%s&", request->query);
      g_string_append (signed_query, "X-Amz-Algorithm=" SIGV4_ALGORITHM "&X-Amz-Credential=");
      append_uri_encoded (signed_query, credential, strlen (credential), FALSE);
      g_string_append_printf (signed_query, "&X-Amz-Date=%s&X-Amz-SignedHeaders=", params->amz_date);
      append_uri_encoded (signed_query, result->signed_headers, strlen (result->signed_headers), FALSE);
      g_string_append_printf (signed_query, "&X-Amz-Expires=%s", expires);
      if (token != NULL)
        {
          g_string_append (signed_query, "&X-Amz-Security-Token=");
          append_uri_encoded (signed_query, token, strlen (token), FALSE);
        }
      g_string_append_printf (signed_query, "&X-Amz-Signature=%s", result->signature);
      result->signed_query = g_string_free (signed_query, FALSE);
    }
  return TRUE;
}

gboolean
dbt_sigv4_sign_headers (const DbtSigv4Request *request,
                        const DbtSigv4Params  *params,
                        DbtSigv4Result        *result,
                        GError               **error)
{
  return sign (request, params, FALSE, result, error);
}

gboolean
dbt_sigv4_sign_query (const DbtSigv4Request *request,
                      const DbtSigv4Params  *params,
                      DbtSigv4Result        *result,
                      GError               **error)
{
  return sign (request, params, TRUE, result, error);
}

void
dbt_sigv4_result_clear (DbtSigv4Result *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->canonical_request, g_free);
  g_clear_pointer (&result->string_to_sign, g_free);
  g_clear_pointer (&result->signature, g_free);
  g_clear_pointer (&result->signed_headers, g_free);
  g_clear_pointer (&result->authorization, g_free);
  g_clear_pointer (&result->signed_query, g_free);
  g_clear_pointer (&result->add_headers, g_ptr_array_unref);
}
