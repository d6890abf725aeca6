/* dbt-eml.h — an e-mail message as an RFC 5322 file (.eml), the way SNS
 * would have mailed a notification to an e-mail subscriber. Pure.
 *
 * Lines end in CRLF. Header values that are not plain ASCII become RFC 2047
 * encoded-words (UTF-8, base64), folded so no line passes 78 characters.
 * The body is text/plain; charset=UTF-8 sent 8bit, or base64 when one of
 * its lines is longer than RFC 5322's 998 octets.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char        *from_name;     /* display name, NULL: none */
  const char        *from_address;
  const char        *to;
  const char        *subject;
  GDateTime         *date;
  const char        *message_id;    /* without <>, e.g. "<uuid>@sns.amazonaws.com" minus brackets */
  const char *const *extra_headers; /* NULL-terminated name, value pairs, or NULL */
  const char        *body;          /* UTF-8; line ends normalised to CRLF */
} DbtEml;

char *dbt_eml_render (const DbtEml *eml);

/* @value as a header value: unchanged when printable ASCII, else
 * encoded-words; @name_len is the length of "Name: " before it, for
 * folding. */
char *dbt_eml_encode_header (const char *value,
                             gsize       name_len);

/* "Tue, 25 Nov 2026 08:37:09 +0000" (English names, whatever the locale). */
char *dbt_eml_format_date (GDateTime *date);

G_END_DECLS
