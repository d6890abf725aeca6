/* test-number.c — DynamoDB number syntax, range, normal form and order. */
#include "dbt-value.h"
#include "dbt-error.h"

#include <string.h>

static void
test_number_valid (void)
{
  const char *valid[] = {
    "0", "-0", "0.0", "00", "1", "-1", "1.5", "-1.5", "1e3", "1E3", "1e+3", "1E-3",
    "0.5", ".5", "5.", "-.5", "000123.4500", "1E-130", "-1E-130",
    "9.9999999999999999999999999999999999999E+125",
    "-9.9999999999999999999999999999999999999E+125",
    "12345678901234567890123456789012345678",
    "-1.2345678901234567890123456789012345678E-130",
    "0.00000000000000000000000000000000000000000012345678901234567890123456789012345678",
    "123456789012345678901234567890123456780000000",   /* trailing zeros are not significant */
    "0e999999999999999999999",                          /* zero, whatever the exponent */
    "100E-132",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DbtValue) value = dbt_value_new_number (valid[i], &error);

      g_test_message ("valid: %s", valid[i]);
      g_assert_no_error (error);
      g_assert_nonnull (value);
      g_assert_cmpint (dbt_value_get_kind (value), ==, DBT_VALUE_N);
      /* Kept verbatim, never reformatted. */
      g_assert_cmpstr (dbt_value_get_string (value), ==, valid[i]);
    }
}

static void
test_number_invalid (void)
{
  const struct { const char *text; const char *message; } invalid[] = {
    { "", "\"\" is not a number" },
    { "NaN", "\"NaN\" is not a number" },
    { "Infinity", "\"Infinity\" is not a number" },
    { "-Infinity", "\"-Infinity\" is not a number" },
    { "1e", "\"1e\" is not a number" },
    { "1e+", "\"1e+\" is not a number" },
    { "--1", "\"--1\" is not a number" },
    { "-", "\"-\" is not a number" },
    { ".", "\".\" is not a number" },
    { "-.", "\"-.\" is not a number" },
    { " 1", "\" 1\" is not a number" },
    { "1 ", "\"1 \" is not a number" },
    { "+1", "\"+1\" is not a number" },
    { "1.2.3", "\"1.2.3\" is not a number" },
    { "0x10", "\"0x10\" is not a number" },
    { "1,5", "\"1,5\" is not a number" },
    { "١", "\"١\" is not a number" },
    { "123456789012345678901234567890123456789", "\"123456789012345678901234567890123456789\" has more than 38 significant digits" },
    { "1.23456789012345678901234567890123456789", "\"1.23456789012345678901234567890123456789\" has more than 38 significant digits" },
    { "1E-131", "\"1E-131\" is out of range" },
    { "1E126", "\"1E126\" is out of range" },
    { "10E125", "\"10E125\" is out of range" },
    { "0.1E-130", "\"0.1E-130\" is out of range" },
    { "1e99999999999999999999999", "is out of range" },
    { "-1e-99999999999999999999999", "is out of range" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DbtValue) value = dbt_value_new_number (invalid[i].text, &error);

      g_test_message ("invalid: %s", invalid[i].text);
      g_assert_null (value);
      g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, invalid[i].message));
    }
}

static void
test_number_normalize (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { "-1.50E+2", "-150" },
    { "0", "0" },
    { "-0", "0" },
    { "0.000", "0" },
    { "0E+99", "0" },
    { "1", "1" },
    { "1.0", "1" },
    { "001.100", "1.1" },
    { "1e3", "1000" },
    { "1.5e-3", "0.0015" },
    { ".5", "0.5" },
    { "5.", "5" },
    { "-12.5E1", "-125" },
    { "123.456E2", "12345.6" },
        { "12345678901234567890123456789012345678", "12345678901234567890123456789012345678" },
    { "-1.2345678901234567890123456789012345678E+3", "-1234.5678901234567890123456789012345678" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normal = dbt_number_normalize (cases[i].in);

      g_assert_cmpstr (normal, ==, cases[i].out);
    }

  /* The normal form of a big exponent is positional and exact. */
  {
    g_autofree char *big = dbt_number_normalize ("9.9999999999999999999999999999999999999E+125");
    g_autofree char *nines = g_strnfill (38, '9');
    g_autofree char *zeros = g_strnfill (126 - 38, '0');
    g_autofree char *expected = g_strconcat (nines, zeros, NULL);

    g_assert_cmpstr (big, ==, expected);
    g_assert_cmpuint (strlen (big), ==, 126);
  }

  /* 1E-130: 129 zeros after the point, then the digit. */
  {
    g_autofree char *tiny = dbt_number_normalize ("1E-130");
    g_autofree char *zeros = g_strnfill (129, '0');
    g_autofree char *expected = g_strdup_printf ("0.%s1", zeros);

    g_assert_cmpstr (tiny, ==, expected);
  }

  g_assert_null (dbt_number_normalize ("NaN"));
  g_assert_null (dbt_number_normalize (""));
}

static int
sign (int x)
{
  return (x > 0) - (x < 0);
}

static void
test_number_compare (void)
{
  /* Strictly increasing. */
  const char *ordered[] = {
    "-9.9999999999999999999999999999999999999E+125",
    "-1E+100",
    "-1000",
    "-999.99999999999999999999999999999999999",
    "-1.5",
    "-1.4999999999999999999999999999999999999",
    "-1",
    "-0.5",
    "-1E-130",
    "0",
    "1E-130",
    "1.0000000000000000000000000000000000001E-130",
    "0.001",
    "0.5",
    "1",
    "1.0000000000000000000000000000000000001",
    "1.01",
    "1.1",
    "9",
    "10",
    "12345678901234567890123456789012345678",
    "12345678901234567890123456789012345679",
    "1E+38",
    "9.9999999999999999999999999999999999999E+125",
  };
  const char *equal[][2] = {
    { "1", "1.0" }, { "1", "1E0" }, { "100", "1E2" }, { "100", "1.00e+2" }, { "-0", "0" },
    { "0.0015", "1.5E-3" }, { "0", "0E+100" }, { ".5", "0.50" }, { "-150", "-1.50E+2" },
  };
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (ordered); i++)
    for (j = 0; j < G_N_ELEMENTS (ordered); j++)
      {
        int expected = (i > j) - (i < j);

        if (sign (dbt_number_compare (ordered[i], ordered[j])) != expected)
          g_error ("compare (%s, %s) != %d", ordered[i], ordered[j], expected);
      }

  for (i = 0; i < G_N_ELEMENTS (equal); i++)
    {
      g_assert_cmpint (dbt_number_compare (equal[i][0], equal[i][1]), ==, 0);
      g_assert_cmpint (dbt_number_compare (equal[i][1], equal[i][0]), ==, 0);
    }

  /* A difference in the 38th digit is seen: no double could. */
  g_assert_cmpint (dbt_number_compare ("12345678901234567890123456789012345678",
                                       "12345678901234567890123456789012345677"), >, 0);
  g_assert_cmpint (dbt_number_compare ("0.12345678901234567890123456789012345678",
                                       "0.12345678901234567890123456789012345679"), <, 0);
}

static void
test_number_equal_values (void)
{
  g_autoptr(DbtValue) a = dbt_value_new_number ("1.0", NULL);
  g_autoptr(DbtValue) b = dbt_value_new_number ("1", NULL);
  g_autoptr(DbtValue) c = dbt_value_new_number ("1.0000000000000000000000000000000000001", NULL);
  g_autoptr(DbtValue) s = dbt_value_new_string ("1", NULL);

  g_assert_true (dbt_value_equal (a, b));
  g_assert_false (dbt_value_equal (a, c));
  g_assert_false (dbt_value_equal (b, s));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/number/valid", test_number_valid);
  g_test_add_func ("/number/invalid", test_number_invalid);
  g_test_add_func ("/number/normalize", test_number_normalize);
  g_test_add_func ("/number/compare", test_number_compare);
  g_test_add_func ("/number/equal-values", test_number_equal_values);

  return g_test_run ();
}
