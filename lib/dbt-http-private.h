/* dbt-http-private.h — what the two transports (dbt-http.c over libcurl,
 * dbt-http-openssl.c over OpenSSL and sockets) share, so both name
 * endpoints, find CA bundles and cap bodies the same way. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The largest response body accepted: well above any AWS API response or
 * the handler zips we fetch, low enough to refuse a runaway server. */
#define DBT_HTTP_MAX_BODY_SIZE (512u * 1024 * 1024)

/* "http://host:port" of a URL, for messages that name the endpoint. */
char *dbt_http_url_origin     (const char *url);
/* The host of a URL as written in it ("[::1]" keeps its brackets). */
char *dbt_http_url_host       (const char *url);

/* The CA bundle to load when the TLS library's built-in one
 * (@builtin_bundle; NULL: none needed) is missing: a program built on
 * Debian that runs elsewhere, as the packaged handler does on Lambda's
 * Amazon Linux 2023. SSL_CERT_FILE, when it names a file, wins, as it does
 * for OpenSSL. NULL: the built-in default is there. Free with g_free(). */
char *dbt_http_find_ca_bundle (const char *builtin_bundle);

G_END_DECLS
