/* test-xml.c — the small XML reader used for query and REST-XML responses. */
#include <string.h>

#include "dbt-error.h"
#include "dbt-xml.h"

static const char list_subscriptions[] =
  "<?xml version=\"1.0\"?>\n"
  "<ListSubscriptionsByTopicResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">\n"
  "  <ListSubscriptionsByTopicResult>\n"
  "    <Subscriptions>\n"
  "      <member>\n"
  "        <Protocol>email</Protocol>\n"
  "        <Endpoint>a@example.com</Endpoint>\n"
  "        <SubscriptionArn>PendingConfirmation</SubscriptionArn>\n"
  "      </member>\n"
  "      <member>\n"
  "        <Protocol>email</Protocol>\n"
  "        <Endpoint>b&amp;c@example.com</Endpoint>\n"
  "        <SubscriptionArn>arn:aws:sns:us-east-1:1:t:2</SubscriptionArn>\n"
  "        <Owner><Id>42</Id></Owner>\n"
  "      </member>\n"
  "    </Subscriptions>\n"
  "    <NextToken/>\n"
  "  </ListSubscriptionsByTopicResult>\n"
  "  <ResponseMetadata><RequestId>384ac68d</RequestId></ResponseMetadata>\n"
  "</ListSubscriptionsByTopicResponse>\n";

static void
test_parse_and_find (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtXmlNode) root = dbt_xml_parse (list_subscriptions, -1, &error);
  g_autoptr(GPtrArray) members = NULL;
  DbtXmlNode *second;

  g_assert_no_error (error);
  g_assert_nonnull (root);
  g_assert_cmpstr (root->name, ==, "ListSubscriptionsByTopicResponse");
  g_assert_null (root->parent);
  g_assert_cmpstr (dbt_xml_find_text (root, "ResponseMetadata/RequestId"), ==, "384ac68d");
  /* The first <member> reached: document order. */
  g_assert_cmpstr (dbt_xml_find_text (root, "ListSubscriptionsByTopicResult/Subscriptions/member/Endpoint"),
                   ==, "a@example.com");
  /* Depth first: the first <member> has no <Owner>, the second does. */
  g_assert_cmpstr (dbt_xml_find_text (root, "ListSubscriptionsByTopicResult/Subscriptions/member/Owner/Id"),
                   ==, "42");
  g_assert_cmpstr (dbt_xml_find_text (root, "ListSubscriptionsByTopicResult/NextToken"), ==, "");
  g_assert_null (dbt_xml_find_text (root, "ListSubscriptionsByTopicResult/Nope"));
  g_assert_null (dbt_xml_find (root, "Subscriptions"));   /* paths start at the children */
  g_assert_true (dbt_xml_find (root, NULL) == root);
  g_assert_true (dbt_xml_find (root, "") == root);
  g_assert_null (dbt_xml_find (NULL, "x"));

  members = dbt_xml_find_all (root, "ListSubscriptionsByTopicResult/Subscriptions", "member");
  g_assert_cmpuint (members->len, ==, 2);
  second = g_ptr_array_index (members, 1);
  g_assert_cmpstr (dbt_xml_find_text (second, "Endpoint"), ==, "b&c@example.com");
  g_assert_cmpstr (second->parent->name, ==, "Subscriptions");
  /* Whitespace between elements is not text. */
  g_assert_cmpstr (second->text, ==, "");
}

static void
test_find_all_absent (void)
{
  g_autoptr(DbtXmlNode) root = dbt_xml_parse ("<a><b/><c/><b/></a>", -1, NULL);
  g_autoptr(GPtrArray) none = dbt_xml_find_all (root, "x/y", "b");
  g_autoptr(GPtrArray) direct = dbt_xml_find_all (root, NULL, "b");

  g_assert_nonnull (none);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (direct->len, ==, 2);
}

static void
test_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtXmlNode) root = NULL;
  const char *doc =
    "<s3:Error xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<s3:Message>  it&apos;s &lt;here&gt; &#x263A; </s3:Message>"
    "<Data><![CDATA[<not> & markup]]></Data>"
    "<Mixed>a<i>b</i>c</Mixed>"
    "</s3:Error>";

  root = dbt_xml_parse (doc, strlen (doc), &error);
  g_assert_no_error (error);
  /* Namespace prefixes are dropped. */
  g_assert_cmpstr (root->name, ==, "Error");
  g_assert_cmpstr (dbt_xml_find_text (root, "Message"), ==, "it's <here> \u263A");
  g_assert_cmpstr (dbt_xml_find_text (root, "Data"), ==, "<not> & markup");
  /* An element's own text, without its children's. */
  g_assert_cmpstr (dbt_xml_find_text (root, "Mixed"), ==, "ac");
  g_assert_cmpstr (dbt_xml_find_text (root, "Mixed/i"), ==, "b");
}

/* Only @len bytes are read: the rest of the buffer does not matter. */
static void
test_length (void)
{
  g_autoptr(GError) error = NULL;
  const char buffer[] = "<a>1</a>garbage that is not XML";
  g_autoptr(DbtXmlNode) root = dbt_xml_parse (buffer, 8, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (root->text, ==, "1");
}

static void
test_malformed (void)
{
  const char *const bad[] = {
    "",
    "   ",
    "not xml",
    "<a>",
    "<a></b>",
    "<a/><b/>",
    "<a>&nbsp;</a>",
    "<html><body>It works<br></body></html>",
    "<a x=1/>",
    "\xff\xfe<\0a\0>",
    NULL
  };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DbtXmlNode) root = dbt_xml_parse (bad[i], -1, &error);

      g_test_message ("document %u", i);
      g_assert_null (root);
      g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_MALFORMED_RESPONSE);
    }
}

/* Deep nesting is refused, not recursed into. */
static void
test_too_deep (void)
{
  g_autoptr(GString) doc = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtXmlNode) shallow = NULL;
  g_autoptr(DbtXmlNode) deep = NULL;

  for (guint i = 0; i < 100; i++)
    g_string_append (doc, "<a>");
  for (guint i = 0; i < 100; i++)
    g_string_append (doc, "</a>");
  shallow = dbt_xml_parse (doc->str, doc->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (shallow);

  g_string_truncate (doc, 0);
  for (guint i = 0; i < 10000; i++)
    g_string_append (doc, "<a>");
  for (guint i = 0; i < 10000; i++)
    g_string_append (doc, "</a>");
  deep = dbt_xml_parse (doc->str, doc->len, &error);
  g_assert_null (deep);
  g_assert_error (error, DBT_AWS_ERROR, DBT_AWS_ERROR_MALFORMED_RESPONSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/xml/parse-and-find", test_parse_and_find);
  g_test_add_func ("/xml/find-all-absent", test_find_all_absent);
  g_test_add_func ("/xml/text", test_text);
  g_test_add_func ("/xml/length", test_length);
  g_test_add_func ("/xml/malformed", test_malformed);
  g_test_add_func ("/xml/too-deep", test_too_deep);

  return g_test_run ();
}
