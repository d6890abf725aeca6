/* dbt-email.c — email address validation (see dbt-email.h for the rules). */
#include "dbt-config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dbt-email.h"

G_DEFINE_QUARK (dbt-email-error-quark, dbt_email_error)

/* RFC 5322 atext, without the letters and digits. */
static gboolean
is_atext (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

static gboolean
validate_local_part (const char *local,
                     gsize       length,
                     GError    **error)
{
  if (length == 0)
    {
      g_set_error_literal (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_LOCAL_EMPTY,
                           _("Enter the part before the “@”."));
      return FALSE;
    }
  if (length > DBT_EMAIL_MAX_LOCAL_LENGTH)
    {
      g_set_error (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_LOCAL_TOO_LONG,
                   _("The part before the “@” may have at most %d characters."),
                   DBT_EMAIL_MAX_LOCAL_LENGTH);
      return FALSE;
    }

  for (gsize i = 0; i < length; i++)
    {
      char c = local[i];

      if (c == '.')
        {
          if (i == 0 || i + 1 == length || local[i + 1] == '.')
            {
              g_set_error_literal (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_LOCAL_DOTS,
                                   _("The part before the “@” cannot start or end with a dot or have two dots in a row."));
              return FALSE;
            }
          continue;
        }
      if (!is_atext (c))
        {
          /* The text is valid UTF-8 and everything before was ASCII, so
           * this is where a (possibly multi-byte) character starts. */
          g_autofree char *shown = g_strndup (local + i, g_utf8_next_char (local + i) - (local + i));

          g_set_error (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_LOCAL_INVALID,
                       _("“%s” is not allowed before the “@”."), shown);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
validate_label (const char *label,
                gsize       length,
                gboolean    is_last,
                GError    **error)
{
  gboolean all_digits = TRUE;

  if (length == 0)
    {
      g_set_error_literal (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_LABEL_EMPTY,
                           _("The domain cannot start or end with a dot or have two dots in a row."));
      return FALSE;
    }
  if (length > DBT_EMAIL_MAX_LABEL_LENGTH)
    {
      g_set_error (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_LABEL_TOO_LONG,
                   _("Each part of the domain between dots may have at most %d characters."),
                   DBT_EMAIL_MAX_LABEL_LENGTH);
      return FALSE;
    }
  if (label[0] == '-' || label[length - 1] == '-')
    {
      g_set_error_literal (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_LABEL_HYPHEN,
                           _("A part of the domain cannot start or end with a hyphen."));
      return FALSE;
    }

  for (const char *p = label; p < label + length; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '-')
        all_digits = FALSE;
      else if (c < 0x80 ? !g_ascii_isalnum ((char) c) : !g_unichar_isalnum (c))
        {
          g_autofree char *shown = g_strndup (p, g_utf8_next_char (p) - p);

          g_set_error (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_LABEL_INVALID,
                       _("“%s” is not allowed in the domain."), shown);
          return FALSE;
        }
      else if (!g_ascii_isdigit (c))
        all_digits = FALSE;
    }

  if (is_last && all_digits)
    {
      g_set_error_literal (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_NUMERIC_TLD,
                           _("The domain must end in a name such as “.com”, not in a number."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_domain (const char *domain,
                 GError    **error)
{
  gsize length = strlen (domain);
  const char *label = domain;
  guint n_labels = 0;

  if (length == 0)
    {
      g_set_error_literal (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_DOMAIN_EMPTY,
                           _("Enter the domain after the “@”, such as “example.com”."));
      return FALSE;
    }
  if (domain[0] == '[')
    {
      g_set_error_literal (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_DOMAIN_LITERAL,
                           _("Use a domain name after the “@”, not an address in brackets."));
      return FALSE;
    }
  if (length > DBT_EMAIL_MAX_DOMAIN_LENGTH)
    {
      g_set_error (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_DOMAIN_TOO_LONG,
                   _("The domain may have at most %d characters."), DBT_EMAIL_MAX_DOMAIN_LENGTH);
      return FALSE;
    }

  for (;;)
    {
      const char *dot = strchr (label, '.');
      gsize label_length = dot != NULL ? (gsize) (dot - label) : strlen (label);

      n_labels++;
      if (!validate_label (label, label_length, dot == NULL, error))
        return FALSE;
      if (dot == NULL)
        break;
      label = dot + 1;
    }

  if (n_labels < 2)
    {
      g_set_error_literal (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_DOMAIN_SINGLE_LABEL,
                           _("The domain needs a dot, such as “example.com”."));
      return FALSE;
    }
  return TRUE;
}

gboolean
dbt_email_validate (const char *address,
                    GError    **error)
{
  const char *at;
  gsize length;

  if (address == NULL || *address == '\0')
    {
      g_set_error_literal (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_EMPTY,
                           _("Enter an email address."));
      return FALSE;
    }
  if (!g_utf8_validate (address, -1, NULL))
    {
      g_set_error_literal (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_INVALID_UTF8,
                           _("The address contains bytes that are not text."));
      return FALSE;
    }
  for (const char *p = address; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || c == 0x00A0 || c == 0x200B)
        {
          g_set_error_literal (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_SPACE,
                               _("An email address cannot contain spaces."));
          return FALSE;
        }
    }

  length = strlen (address);
  if (length > DBT_EMAIL_MAX_LENGTH)
    {
      g_set_error (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_TOO_LONG,
                   _("An email address may have at most %d characters."), DBT_EMAIL_MAX_LENGTH);
      return FALSE;
    }

  at = strchr (address, '@');
  if (at == NULL)
    {
      g_set_error_literal (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_NO_AT,
                           _("An email address needs an “@”, as in “name@example.com”."));
      return FALSE;
    }
  if (strchr (at + 1, '@') != NULL)
    {
      g_set_error_literal (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_SEVERAL_AT,
                           _("An email address has exactly one “@”."));
      return FALSE;
    }

  return validate_local_part (address, at - address, error)
         && validate_domain (at + 1, error);
}

char *
dbt_email_normalize (const char *text)
{
  g_autofree char *stripped = NULL;
  char *at;

  if (text == NULL)
    return g_strdup ("");

  stripped = g_strstrip (g_strdup (text));
  at = strrchr (stripped, '@');
  if (at == NULL || !g_utf8_validate (stripped, -1, NULL))
    return g_steal_pointer (&stripped);

  {
    g_autofree char *domain = g_utf8_strdown (at + 1, -1);

    *at = '\0';
    return g_strconcat (stripped, "@", domain, NULL);
  }
}

gboolean
dbt_email_equal (const char *a,
                 const char *b)
{
  g_autofree char *folded_a = NULL;
  g_autofree char *folded_b = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  if (!g_utf8_validate (a, -1, NULL) || !g_utf8_validate (b, -1, NULL))
    return g_str_equal (a, b);

  folded_a = g_utf8_casefold (a, -1);
  folded_b = g_utf8_casefold (b, -1);
  return g_str_equal (folded_a, folded_b);
}
