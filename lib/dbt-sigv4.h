/* dbt-sigv4.h — AWS Signature Version 4, header and query forms.
 *
 * Pure: no clock, no network. The caller gives the time, the request as it
 * will be sent, and the credentials; the signer returns every intermediate
 * (canonical request, string to sign) so they can be checked against the
 * AWS test suite and botocore.
 *
 * Canonicalisation follows botocore (SigV4Auth / S3SigV4Auth) and the AWS
 * test suite:
 *   - path: for every service but "s3", dot segments are removed and runs
 *     of '/' collapsed (when normalize_path), then the path as sent is
 *     percent-encoded once more ("double encoding"). For "s3" the path is
 *     signed exactly as sent.
 *   - query: split on '&', a pair without '=' has an empty value; each key
 *     and value is percent-decoded then encoded the SigV4 way; pairs are
 *     sorted by key, then by value.
 *   - headers: names lowercased; values trimmed, whitespace runs (including
 *     folded continuation lines) become one space; a repeated name has its
 *     values joined with ',' in the order given. Hop-by-hop headers and
 *     User-Agent, Expect, X-Amzn-Trace-Id are never signed, as botocore.
 *     Authorization and X-Amz-Date in the request are ignored (replaced).
 */
#pragma once

#include <glib.h>
#include "dbt-credentials.h"

G_BEGIN_DECLS

typedef struct
{
  char *name;
  char *value;
} DbtHttpHeader;

DbtHttpHeader *dbt_http_header_new  (const char *name, const char *value);
void           dbt_http_header_free (DbtHttpHeader *header);
/* A GPtrArray of DbtHttpHeader* that frees its elements. */
GPtrArray     *dbt_http_headers_new (void);
void           dbt_http_headers_add (GPtrArray *headers, const char *name, const char *value);
/* First header with this name (case-insensitive), or NULL. */
const char    *dbt_http_headers_get (GPtrArray *headers, const char *name);

typedef struct
{
  const char   *method;        /* "GET", "POST"... */
  const char   *path;          /* as it will be sent, percent-encoded as on the wire, e.g. "/a%20b/../c" */
  const char   *query;         /* raw query string without '?', or NULL */
  GPtrArray    *headers;       /* DbtHttpHeader*, must include Host; may repeat names, values may be folded */
  const guint8 *payload;
  gsize         payload_len;
  const char   *payload_hash;  /* hex SHA-256 of the payload if known, or "UNSIGNED-PAYLOAD"; NULL: the
                                * value of an x-amz-content-sha256 header, else computed */
} DbtSigv4Request;

typedef struct
{
  const DbtCredentials *credentials;
  const char           *region;
  const char           *service;          /* signing name; "s3" selects S3's rules (see above) */
  const char           *amz_date;         /* "20150830T123600Z" */
  gboolean              normalize_path;   /* TRUE for every service but S3 (ignored for "s3") */
  gboolean              add_content_sha256; /* header form: also sign and send x-amz-content-sha256
                                           * (always done for "s3" and for UNSIGNED-PAYLOAD) */
  gint64                expires;          /* query form only: X-Amz-Expires seconds, 1..604800; 0: 3600 */
  gboolean              omit_session_token; /* send X-Amz-Security-Token without signing it
                                           * (added after signing); FALSE signs it, as botocore */
} DbtSigv4Params;

typedef struct
{
  char      *canonical_request;
  char      *string_to_sign;
  char      *signature;        /* lowercase hex */
  char      *signed_headers;   /* "host;x-amz-date" */
  char      *authorization;    /* header form: value of the Authorization header */
  char      *signed_query;     /* query form: the full query string to send */
  GPtrArray *add_headers;      /* DbtHttpHeader* the caller must send too: X-Amz-Date, X-Amz-Security-Token, x-amz-content-sha256 */
} DbtSigv4Result;

/* Both forms fail with DBT_AWS_ERROR_INVALID_INPUT when the request cannot
 * be signed as given (no Host header, malformed header name or value, path
 * not starting with '/', malformed amz_date, missing credentials, region or
 * service), naming the cause; result is then left cleared. */

/* Header form: fills result; result->authorization and add_headers. */
gboolean dbt_sigv4_sign_headers (const DbtSigv4Request *request,
                                 const DbtSigv4Params  *params,
                                 DbtSigv4Result        *result,
                                 GError               **error);

/* Query (presigned URL) form: fills result; result->signed_query. */
gboolean dbt_sigv4_sign_query   (const DbtSigv4Request *request,
                                 const DbtSigv4Params  *params,
                                 DbtSigv4Result        *result,
                                 GError               **error);

void     dbt_sigv4_result_clear (DbtSigv4Result *result);

/* Helpers shared with the HTTP layer. */
char    *dbt_sha256_hex         (const guint8 *data, gsize len);
/* RFC 3986 percent-encoding as SigV4 wants it: A-Z a-z 0-9 - _ . ~ kept,
 * every other byte as %XX (uppercase hex); keep_slash for paths. */
char    *dbt_uri_encode         (const char *s, gsize len, gboolean keep_slash);
/* "20150830T123600Z" for a UNIX time; NULL outside years 1..9999. */
char    *dbt_amz_date_format    (gint64 unix_seconds);

G_END_DECLS
