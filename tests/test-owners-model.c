/* test-owners-model.c — the pure parts of app/dbt-owners-model.h: which
 * owner a filter policy delivers to, the policy the console writes, and
 * owner ids as typed. */
#include "dbt-config.h"

#include "dbt-owners-model.h"

static void
test_owner_from_policy (void)
{
  struct { const char *policy, *scope, *owner; } cases[] = {
    { "{\"owner\":[\"alice\"]}", NULL, "alice" },
    { "{\"owner\": [\"alice\"]}", "MessageAttributes", "alice" },
    { "{ \"owner\" : [ \"Ünïcode id\" ] }", "", "Ünïcode id" },
    /* Narrowed further by another attribute: still only alice's messages. */
    { "{\"owner\":[\"alice\"],\"event\":[\"MODIFY\"]}", NULL, "alice" },
    /* Not one owner: every one of these lets other owners' messages in,
     * or names nobody. */
    { NULL, NULL, NULL },
    { "", NULL, NULL },
    { "{}", NULL, NULL },
    { "{\"owner\":[\"alice\",\"bob\"]}", NULL, NULL },
    { "{\"owner\":[]}", NULL, NULL },
    { "{\"owner\":[\"\"]}", NULL, NULL },
    { "{\"owner\":[{\"prefix\":\"a\"}]}", NULL, NULL },
    { "{\"owner\":[{\"anything-but\":[\"bob\"]}]}", NULL, NULL },
    { "{\"owner\":\"alice\"}", NULL, NULL },
    { "{\"owner\":[1]}", NULL, NULL },
    { "{\"table\":[\"items\"]}", NULL, NULL },
    { "[\"owner\"]", NULL, NULL },
    { "{\"owner\":[\"alice\"]", NULL, NULL },
    /* A policy on the message body never sees the owner attribute. */
    { "{\"owner\":[\"alice\"]}", "MessageBody", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *owner = dbt_owners_owner_from_filter_policy (cases[i].policy, cases[i].scope);

      g_test_message ("%s (%s)", cases[i].policy != NULL ? cases[i].policy : "(null)",
                      cases[i].scope != NULL ? cases[i].scope : "(null)");
      g_assert_cmpstr (owner, ==, cases[i].owner);
    }
}

/* What the console writes reads back as the same owner, whatever the id. */
static void
test_policy_round_trip (void)
{
  const char *ids[] = { "alice", "o\"brien", "back\\slash", "tab\there", "日本", "a b" };
  g_autofree char *simple = dbt_owners_filter_policy_for ("alice");

  g_assert_cmpstr (simple, ==, "{\"owner\":[\"alice\"]}");

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *policy = dbt_owners_filter_policy_for (ids[i]);
      g_autofree char *owner = dbt_owners_owner_from_filter_policy (policy, "MessageAttributes");

      g_assert_cmpstr (owner, ==, ids[i]);
    }
}

static void
test_owner_ids (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dbt_owners_validate_owner_id ("alice", NULL));
  g_assert_true (dbt_owners_validate_owner_id ("team 7 / Ölwerk", NULL));

  g_assert_false (dbt_owners_validate_owner_id ("", &error));
  g_assert_error (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_INVALID_OWNER);
  g_clear_error (&error);
  g_assert_false (dbt_owners_validate_owner_id (NULL, &error));
  g_assert_error (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_INVALID_OWNER);
  g_clear_error (&error);
  g_assert_false (dbt_owners_validate_owner_id ("two\nlines", &error));
  g_assert_error (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_INVALID_OWNER);
  g_clear_error (&error);
  g_assert_false (dbt_owners_validate_owner_id ("bad\xff", &error));
  g_assert_error (error, DBT_OWNERS_ERROR, DBT_OWNERS_ERROR_INVALID_OWNER);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/owners-model/owner-from-policy", test_owner_from_policy);
  g_test_add_func ("/owners-model/policy-round-trip", test_policy_round_trip);
  g_test_add_func ("/owners-model/owner-ids", test_owner_ids);

  return g_test_run ();
}
