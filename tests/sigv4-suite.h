/* sigv4-suite.h — reading the AWS SigV4 test suite
 * ($DBT_SHARED_DIR/sigv4-test-suite/v4/<case>/), shared by test-sigv4 and
 * sigv4-curl-probe. */
#pragma once

#include <glib.h>

#include "dbt-sigv4.h"

G_BEGIN_DECLS

typedef struct
{
  char      *method;
  char      *path;
  char      *query;      /* NULL when the target has no '?' */
  GPtrArray *headers;    /* DbtHttpHeader* */
  GBytes    *body;
} SuiteRequest;

void          suite_request_free  (SuiteRequest *request);
/* request.txt: "METHOD TARGET HTTP/1.1", header lines (a line starting with
 * a space or tab continues the previous value, kept with its line break as
 * it would arrive folded), a blank line, the body. */
SuiteRequest *suite_request_parse (const char   *text,
                                   gsize         len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SuiteRequest, suite_request_free)

typedef struct
{
  DbtCredentials *credentials;
  char           *region;
  char           *service;
  char           *amz_date;
  gboolean        normalize;
  gboolean        sign_body;
  gboolean        omit_session_token;
  gint64          expires;
} SuiteContext;

void          suite_context_clear (SuiteContext *context);
/* context.json: credentials, region, service, timestamp and flags. */
void          suite_context_load  (SuiteContext *context,
                                   const char   *path);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SuiteContext, suite_context_clear)

/* $DBT_SHARED_DIR/sigv4-test-suite/v4, or NULL when DBT_SHARED_DIR is unset. */
char         *suite_dir           (void);
/* The expected file without a trailing newline; NULL when absent. */
char         *suite_expected      (const char   *case_dir,
                                   const char   *name);
/* The first line of a signed-request file that starts with prefix. */
char         *suite_signed_line   (const char   *case_dir,
                                   const char   *name,
                                   const char   *prefix);

G_END_DECLS
