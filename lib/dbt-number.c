/* dbt-number.c — DynamoDB numbers as exact decimal strings.
 *
 * DynamoDB stores up to 38 significant digits with magnitudes from 1E-130 to
 * 9.9999999999999999999999999999999999999E+125. All the arithmetic here is
 * on the digit string and a separate power of ten, so nothing goes through
 * double and no precision is lost.
 */
#include "dbt-value-private.h"
#include "dbt-error.h"

#include <string.h>

#define MIN_EXPONENT (-130)
#define MAX_EXPONENT 125
/* Exponents beyond this are out of range whatever the mantissa; clamping
 * keeps the arithmetic below far from gint64 overflow. */
#define EXPONENT_CLAMP G_GINT64_CONSTANT (1000000000000000)

static gboolean
fail (GError **error, const char *text, const char *reason)
{
  g_autofree char *quoted = dbt_quote_for_message (text);

  dbt_aws_set_error (error, DBT_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL,
                     "%s %s", quoted, reason);
  return FALSE;
}

gboolean
dbt_decimal_parse (const char *text,
                   DbtDecimal *out,
                   GError    **error)
{
  const char *p = text;
  const char *mantissa;
  const char *q;
  gint64 int_digits = 0;
  gint64 frac_digits = 0;
  gint64 exponent = 0;
  gint64 first_nonzero = -1;   /* index into the mantissa digits, '.' skipped */
  gint64 last_nonzero = -1;
  gint64 index;

  memset (out, 0, sizeof *out);

  if (*p == '-')
    {
      out->negative = TRUE;
      p++;
    }

  mantissa = p;
  while (g_ascii_isdigit (*p))
    {
      int_digits++;
      p++;
    }
  if (*p == '.')
    {
      p++;
      while (g_ascii_isdigit (*p))
        {
          frac_digits++;
          p++;
        }
    }
  if (int_digits + frac_digits == 0)
    return fail (error, text, "is not a number");

  if (*p == 'e' || *p == 'E')
    {
      gboolean exp_negative = FALSE;

      p++;
      if (*p == '+' || *p == '-')
        {
          exp_negative = (*p == '-');
          p++;
        }
      if (!g_ascii_isdigit (*p))
        return fail (error, text, "is not a number");
      while (g_ascii_isdigit (*p))
        {
          if (exponent < EXPONENT_CLAMP)
            exponent = exponent * 10 + (*p - '0');
          p++;
        }
      if (exp_negative)
        exponent = -exponent;
    }
  if (*p != '\0')
    return fail (error, text, "is not a number");

  index = 0;
  for (q = mantissa; g_ascii_isdigit (*q) || *q == '.'; q++)
    {
      if (*q == '.')
        continue;
      if (*q != '0')
        {
          if (first_nonzero < 0)
            first_nonzero = index;
          last_nonzero = index;
        }
      index++;
    }

  if (first_nonzero < 0)
    {
      /* Zero, whatever its sign or exponent. */
      out->negative = FALSE;
      return TRUE;
    }

  if (last_nonzero - first_nonzero + 1 > DBT_NUMBER_MAX_DIGITS)
    return fail (error, text, "has more than 38 significant digits");

  out->exponent = int_digits - 1 - first_nonzero + exponent;
  if (out->exponent < MIN_EXPONENT || out->exponent > MAX_EXPONENT)
    return fail (error, text,
                 "is out of range (DynamoDB numbers have magnitudes from 1E-130 "
                 "to 9.9999999999999999999999999999999999999E+125)");

  index = 0;
  for (q = mantissa; g_ascii_isdigit (*q) || *q == '.'; q++)
    {
      if (*q == '.')
        continue;
      if (index >= first_nonzero && index <= last_nonzero)
        out->digits[out->n_digits++] = *q;
      index++;
    }
  out->digits[out->n_digits] = '\0';

  return TRUE;
}

/* Compares magnitudes only. */
static int
compare_magnitude (const DbtDecimal *a,
                   const DbtDecimal *b)
{
  int cmp;

  if (a->n_digits == 0 || b->n_digits == 0)
    return (a->n_digits != 0) - (b->n_digits != 0);
  if (a->exponent != b->exponent)
    return a->exponent < b->exponent ? -1 : 1;

  /* Same leading power of ten: the digit strings compare like fractions.
   * Neither has trailing zeros, so on a common prefix the longer is bigger. */
  cmp = strncmp (a->digits, b->digits, MIN (a->n_digits, b->n_digits));
  if (cmp != 0)
    return cmp < 0 ? -1 : 1;
  return (a->n_digits > b->n_digits) - (a->n_digits < b->n_digits);
}

int
dbt_decimal_compare (const DbtDecimal *a,
                     const DbtDecimal *b)
{
  int sign_a = a->n_digits == 0 ? 0 : (a->negative ? -1 : 1);
  int sign_b = b->n_digits == 0 ? 0 : (b->negative ? -1 : 1);

  if (sign_a != sign_b)
    return sign_a < sign_b ? -1 : 1;
  if (sign_a == 0)
    return 0;
  return sign_a * compare_magnitude (a, b);
}

/* Plain positional notation, no exponent and no redundant zeros: the value
 * has at most 38 digits and magnitudes 1E-130..1E126, so this stays short. */
char *
dbt_decimal_to_string (const DbtDecimal *d)
{
  GString *out;
  gint64 i;

  if (d->n_digits == 0)
    return g_strdup ("0");

  out = g_string_sized_new (d->n_digits + 8);
  if (d->negative)
    g_string_append_c (out, '-');

  if (d->exponent < 0)
    {
      g_string_append (out, "0.");
      for (i = -1; i > d->exponent; i--)
        g_string_append_c (out, '0');
      g_string_append_len (out, d->digits, d->n_digits);
    }
  else
    {
      for (i = 0; i <= d->exponent; i++)
        g_string_append_c (out, i < d->n_digits ? d->digits[i] : '0');
      if (d->n_digits > d->exponent + 1)
        {
          g_string_append_c (out, '.');
          g_string_append_len (out, d->digits + d->exponent + 1,
                               d->n_digits - (d->exponent + 1));
        }
    }

  return g_string_free (out, FALSE);
}

char *
dbt_number_normalize (const char *decimal)
{
  DbtDecimal d;

  g_return_val_if_fail (decimal != NULL, NULL);

  if (!dbt_decimal_parse (decimal, &d, NULL))
    return NULL;
  return dbt_decimal_to_string (&d);
}

int
dbt_number_compare (const char *a,
                    const char *b)
{
  DbtDecimal da, db;
  gboolean valid_a = dbt_decimal_parse (a, &da, NULL);
  gboolean valid_b = dbt_decimal_parse (b, &db, NULL);
  int cmp;

  /* Callers promise valid numbers; should one slip through, keep a total
   * order anyway: invalid text after every number, by bytes. */
  if (valid_a && valid_b)
    return dbt_decimal_compare (&da, &db);
  if (valid_a != valid_b)
    return valid_a ? -1 : 1;
  cmp = strcmp (a, b);
  return (cmp > 0) - (cmp < 0);
}

guint
dbt_number_significant_digits (const char *decimal)
{
  DbtDecimal d;

  if (!dbt_decimal_parse (decimal, &d, NULL))
    return (guint) strlen (decimal);
  return d.n_digits;
}
