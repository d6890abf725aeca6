/* dbt-email.h — email addresses as the console accepts them for SNS.
 *
 * The practical subset of RFC 5321/5322 that mail systems deliver to:
 *
 *   local part  a dot-atom: one or more runs of letters, digits and
 *               ! # $ % & ' * + - / = ? ^ _ ` { | } ~ joined by single dots
 *               (no leading, trailing or double dot); ASCII only; at most
 *               64 bytes. Quoted local parts ("john doe"@x) are refused:
 *               few systems accept them and they invite look-alikes.
 *   domain      two or more labels joined by dots, at most 255 bytes; a
 *               label is 1..63 bytes of letters, digits and hyphens, neither
 *               starting nor ending with a hyphen; the last label (the
 *               top-level domain) is not all digits. Internationalised
 *               domains are accepted in their UTF-8 form (letters of any
 *               script count as letters; the mail system converts them to
 *               punycode) as well as in their "xn--" form. Address literals
 *               (user@[192.0.2.1]) and single-label hosts (user@localhost)
 *               are refused.
 *   whole       at most 254 bytes (RFC 5321's path limit less the angle
 *               brackets); valid UTF-8; no spaces or control characters
 *               anywhere, exactly one '@'.
 *
 * Lengths count bytes of the UTF-8 text, as SMTP does.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DBT_EMAIL_MAX_LENGTH        254
#define DBT_EMAIL_MAX_LOCAL_LENGTH  64
#define DBT_EMAIL_MAX_DOMAIN_LENGTH 255
#define DBT_EMAIL_MAX_LABEL_LENGTH  63

#define DBT_EMAIL_ERROR (dbt_email_error_quark ())

typedef enum
{
  DBT_EMAIL_ERROR_EMPTY,
  DBT_EMAIL_ERROR_TOO_LONG,
  DBT_EMAIL_ERROR_INVALID_UTF8,
  DBT_EMAIL_ERROR_SPACE,            /* a space or control character */
  DBT_EMAIL_ERROR_NO_AT,
  DBT_EMAIL_ERROR_SEVERAL_AT,
  DBT_EMAIL_ERROR_LOCAL_EMPTY,
  DBT_EMAIL_ERROR_LOCAL_TOO_LONG,
  DBT_EMAIL_ERROR_LOCAL_INVALID,    /* a character outside the dot-atom set */
  DBT_EMAIL_ERROR_LOCAL_DOTS,       /* leading, trailing or double dot */
  DBT_EMAIL_ERROR_DOMAIN_EMPTY,
  DBT_EMAIL_ERROR_DOMAIN_TOO_LONG,
  DBT_EMAIL_ERROR_DOMAIN_LITERAL,
  DBT_EMAIL_ERROR_DOMAIN_SINGLE_LABEL,
  DBT_EMAIL_ERROR_LABEL_EMPTY,      /* leading, trailing or double dot */
  DBT_EMAIL_ERROR_LABEL_TOO_LONG,
  DBT_EMAIL_ERROR_LABEL_INVALID,    /* a character other than letter, digit, hyphen */
  DBT_EMAIL_ERROR_LABEL_HYPHEN,     /* a label starting or ending with '-' */
  DBT_EMAIL_ERROR_NUMERIC_TLD,
} DbtEmailError;

GQuark   dbt_email_error_quark (void);

/* TRUE when @address is acceptable; else FALSE with a DBT_EMAIL_ERROR whose
 * message (translated) tells the user what to change. @address may be NULL
 * (DBT_EMAIL_ERROR_EMPTY). */
gboolean dbt_email_validate    (const char *address,
                                GError    **error);

/* @text without the surrounding white space people paste along, with the
 * domain in lower case (domains are case-insensitive; the local part is
 * kept as typed, RFC 5321 leaves its case to the receiving server). */
char    *dbt_email_normalize   (const char *text);

/* Whether two addresses reach the same mailbox as far as the console can
 * tell: compared case-insensitively as a whole (a duplicate subscription
 * would mean two copies of every message, so doubt counts as the same). */
gboolean dbt_email_equal       (const char *a,
                                const char *b);

G_END_DECLS
