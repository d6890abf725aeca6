/* fuzz-xml.c — dbt_xml_parse() on arbitrary bytes.
 *
 * It either fails with DBT_AWS_ERROR_MALFORMED_RESPONSE or returns a tree
 * whose every node has a name, a text and consistent parent links; the
 * path lookups the protocol client uses are run over whatever it accepts.
 */
#include "dbt-error.h"
#include "dbt-xml.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_node (DbtXmlNode *node,
            guint       depth)
{
  g_assert (node->name != NULL && node->text != NULL);
  g_assert (depth <= 128);
  for (guint i = 0; i < node->children->len; i++)
    {
      DbtXmlNode *child = g_ptr_array_index (node->children, i);

      g_assert (child->parent == node);
      check_node (child, depth + 1);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(DbtXmlNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;

  root = dbt_xml_parse ((const char *) data, (gssize) size, &error);
  if (root == NULL)
    {
      g_assert (g_error_matches (error, DBT_AWS_ERROR, DBT_AWS_ERROR_MALFORMED_RESPONSE));
      return 0;
    }

  g_assert (error == NULL);
  g_assert (root->parent == NULL);
  check_node (root, 1);
  (void) dbt_xml_find_text (root, "Error/Code");
  (void) dbt_xml_find_text (root, "Errors/Error/Code");
  (void) dbt_xml_find_text (root, "a//b/");
  members = dbt_xml_find_all (root, "ListTopicsResult/Topics", "member");
  g_assert (members != NULL);
  return 0;
}
