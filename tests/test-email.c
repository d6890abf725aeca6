/* test-email.c — the console's email address rules (app/dbt-email.h). */
#include "dbt-config.h"

#include <string.h>

#include "dbt-email.h"

typedef struct
{
  const char *address;
  int         code;   /* -1: valid */
} EmailCase;

#define VALID (-1)

static const EmailCase cases[] = {
  /* valid */
  { "alice@example.com", VALID },
  { "a@b.co", VALID },
  { "first.last@example.com", VALID },
  { "first.middle.last@sub.example.co.uk", VALID },
  { "user+tag@example.com", VALID },
  { "user-name_1@example-domain.org", VALID },
  { "UPPER@EXAMPLE.COM", VALID },
  { "x!#$%&'*+-/=?^_`{|}~y@example.com", VALID },
  { "1234567890@example.com", VALID },
  { "user@123.example.com", VALID },
  { "user@xn--bcher-kva.example", VALID },
  { "user@bücher.example", VALID },
  { "user@пример.рф", VALID },
  { "user@a-b.c-d.example", VALID },
  { "o'brien@example.ie", VALID },
  /* invalid */
  { "", DBT_EMAIL_ERROR_EMPTY },
  { "alice", DBT_EMAIL_ERROR_NO_AT },
  { "alice.example.com", DBT_EMAIL_ERROR_NO_AT },
  { "alice@@example.com", DBT_EMAIL_ERROR_SEVERAL_AT },
  { "a@b@example.com", DBT_EMAIL_ERROR_SEVERAL_AT },
  { "@example.com", DBT_EMAIL_ERROR_LOCAL_EMPTY },
  { "alice@", DBT_EMAIL_ERROR_DOMAIN_EMPTY },
  { "alice smith@example.com", DBT_EMAIL_ERROR_SPACE },
  { " alice@example.com", DBT_EMAIL_ERROR_SPACE },
  { "alice@example.com\n", DBT_EMAIL_ERROR_SPACE },
  { "alice\t@example.com", DBT_EMAIL_ERROR_SPACE },
  { "alice@exa\xc2\xa0mple.com", DBT_EMAIL_ERROR_SPACE },
  { ".alice@example.com", DBT_EMAIL_ERROR_LOCAL_DOTS },
  { "alice.@example.com", DBT_EMAIL_ERROR_LOCAL_DOTS },
  { "al..ice@example.com", DBT_EMAIL_ERROR_LOCAL_DOTS },
  { "\"alice smith\"@example.com", DBT_EMAIL_ERROR_SPACE },
  { "\"alice\"@example.com", DBT_EMAIL_ERROR_LOCAL_INVALID },
  { "ali(ce)@example.com", DBT_EMAIL_ERROR_LOCAL_INVALID },
  { "alice,bob@example.com", DBT_EMAIL_ERROR_LOCAL_INVALID },
  { "ali<ce>@example.com", DBT_EMAIL_ERROR_LOCAL_INVALID },
  { "jörg@example.com", DBT_EMAIL_ERROR_LOCAL_INVALID },
  { "alice@localhost", DBT_EMAIL_ERROR_DOMAIN_SINGLE_LABEL },
  { "alice@[192.0.2.1]", DBT_EMAIL_ERROR_DOMAIN_LITERAL },
  { "alice@.example.com", DBT_EMAIL_ERROR_LABEL_EMPTY },
  { "alice@example.com.", DBT_EMAIL_ERROR_LABEL_EMPTY },
  { "alice@example..com", DBT_EMAIL_ERROR_LABEL_EMPTY },
  { "alice@-example.com", DBT_EMAIL_ERROR_LABEL_HYPHEN },
  { "alice@example-.com", DBT_EMAIL_ERROR_LABEL_HYPHEN },
  { "alice@exam_ple.com", DBT_EMAIL_ERROR_LABEL_INVALID },
  { "alice@example.c*m", DBT_EMAIL_ERROR_LABEL_INVALID },
  { "alice@192.168.1.1", DBT_EMAIL_ERROR_NUMERIC_TLD },
  { "alice@example.123", DBT_EMAIL_ERROR_NUMERIC_TLD },
  { "alice@exa\xffmple.com", DBT_EMAIL_ERROR_INVALID_UTF8 },
};

static void
test_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean valid = dbt_email_validate (cases[i].address, &error);
      g_autofree char *shown = g_strescape (cases[i].address, NULL);

      g_test_message ("%s", shown);
      if (cases[i].code == VALID)
        {
          g_assert_no_error (error);
          g_assert_true (valid);
        }
      else
        {
          g_assert_false (valid);
          g_assert_error (error, DBT_EMAIL_ERROR, cases[i].code);
          /* The message tells the user something. */
          g_assert_cmpuint (strlen (error->message), >, 10);
        }
    }

  /* NULL counts as empty. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (dbt_email_validate (NULL, &error));
    g_assert_error (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_EMPTY);
  }
}

static char *
repeat (char c, guint n)
{
  char *s = g_malloc (n + 1);

  memset (s, c, n);
  s[n] = '\0';
  return s;
}

/* The limits, at and one past each. */
static void
test_lengths (void)
{
  g_autofree char *local_64 = repeat ('a', 64);
  g_autofree char *local_65 = repeat ('a', 65);
  g_autofree char *label_63 = repeat ('b', 63);
  g_autofree char *label_64 = repeat ('b', 64);
  g_autofree char *at_64 = g_strconcat (local_64, "@example.com", NULL);
  g_autofree char *at_65 = g_strconcat (local_65, "@example.com", NULL);
  g_autofree char *label_ok = g_strconcat ("x@", label_63, ".com", NULL);
  g_autofree char *label_long = g_strconcat ("x@", label_64, ".com", NULL);
  /* 254 bytes exactly: 64 + 1 + 189 (three 61-byte labels, ".bbb" and dots). */
  g_autofree char *l61 = repeat ('c', 61);
  g_autofree char *total_254 = g_strconcat (local_64, "@", l61, ".", l61, ".", l61, ".bbb", NULL);
  g_autofree char *total_255 = g_strconcat (local_64, "@", l61, ".", l61, ".", l61, ".bbbb", NULL);
  /* A domain over 255 bytes with a short local part is too long overall first. */
  g_autofree char *long_domain = g_strconcat ("x@", label_63, ".", label_63, ".", label_63, ".", label_63, ".com", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (strlen (total_254), ==, 254);
  g_assert_true (dbt_email_validate (at_64, NULL));
  g_assert_false (dbt_email_validate (at_65, &error));
  g_assert_error (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_LOCAL_TOO_LONG);
  g_clear_error (&error);

  g_assert_true (dbt_email_validate (label_ok, NULL));
  g_assert_false (dbt_email_validate (label_long, &error));
  g_assert_error (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_LABEL_TOO_LONG);
  g_clear_error (&error);

  g_assert_true (dbt_email_validate (total_254, NULL));
  g_assert_false (dbt_email_validate (total_255, &error));
  g_assert_error (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_TOO_LONG);
  g_clear_error (&error);

  g_assert_false (dbt_email_validate (long_domain, &error));
  g_assert_error (error, DBT_EMAIL_ERROR, DBT_EMAIL_ERROR_TOO_LONG);
  g_clear_error (&error);
}

static void
test_normalize (void)
{
  struct { const char *in, *out; } norm[] = {
    { "  alice@Example.COM \n", "alice@example.com" },
    { "Alice@example.com", "Alice@example.com" },
    { "user@BÜCHER.example", "user@bücher.example" },
    { "no-at-sign ", "no-at-sign" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (norm); i++)
    {
      g_autofree char *out = dbt_email_normalize (norm[i].in);

      g_assert_cmpstr (out, ==, norm[i].out);
    }
}

static void
test_equal (void)
{
  g_assert_true (dbt_email_equal ("alice@example.com", "alice@example.com"));
  g_assert_true (dbt_email_equal ("Alice@Example.com", "alice@example.COM"));
  g_assert_true (dbt_email_equal ("user@BÜCHER.example", "user@bücher.example"));
  g_assert_false (dbt_email_equal ("alice@example.com", "alice@example.org"));
  g_assert_false (dbt_email_equal ("alice@example.com", NULL));
  g_assert_true (dbt_email_equal (NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/email/cases", test_cases);
  g_test_add_func ("/email/lengths", test_lengths);
  g_test_add_func ("/email/normalize", test_normalize);
  g_test_add_func ("/email/equal", test_equal);

  return g_test_run ();
}
