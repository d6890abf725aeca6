/* dbt-http-common.c — helpers both transports share (dbt-http-private.h),
 * and the parts of dbt-http.h that do not depend on the transport. */
#include "dbt-http.h"
#include "dbt-http-private.h"

#include <string.h>

void
dbt_http_response_clear (DbtHttpResponse *response)
{
  response->status = 0;
  g_clear_pointer (&response->headers, g_ptr_array_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
}

char *
dbt_http_url_origin (const char *url)
{
  const char *authority = strstr (url, "://");
  const char *end;

  if (authority == NULL)
    return g_strdup (url);
  end = authority + 3 + strcspn (authority + 3, "/?#");
  return g_strndup (url, end - url);
}

char *
dbt_http_url_host (const char *url)
{
  g_autofree char *origin = dbt_http_url_origin (url);
  const char *start = strstr (origin, "://");
  char *at, *end;

  start = start != NULL ? start + 3 : origin;
  at = strrchr (start, '@');
  if (at != NULL)
    start = at + 1;
  if (start[0] == '[')
    end = strchr (start, ']') != NULL ? strchr (start, ']') + 1 : NULL;
  else
    end = strchr (start, ':');
  return end != NULL ? g_strndup (start, end - start) : g_strdup (start);
}

char *
dbt_http_find_ca_bundle (const char *builtin_bundle)
{
  static const char *const known[] = {
    "/etc/ssl/certs/ca-certificates.crt",   /* Debian, Ubuntu */
    "/etc/pki/tls/certs/ca-bundle.crt",     /* Amazon Linux, Fedora, RHEL */
    "/etc/ssl/ca-bundle.pem",               /* openSUSE */
    "/etc/ssl/cert.pem",                    /* Alpine, BSDs */
  };
  const char *from_env = g_getenv ("SSL_CERT_FILE");

  if (from_env != NULL && g_file_test (from_env, G_FILE_TEST_IS_REGULAR))
    return g_strdup (from_env);
  if (builtin_bundle == NULL || g_file_test (builtin_bundle, G_FILE_TEST_EXISTS))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_file_test (known[i], G_FILE_TEST_IS_REGULAR))
      return g_strdup (known[i]);
  return NULL;
}
