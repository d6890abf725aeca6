/* dbt-xml.h — a small read-only XML tree built with GMarkup, for the query
 * (SNS) and REST-XML (S3) protocols' responses. Namespaces are ignored:
 * element names are local names. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _DbtXmlNode DbtXmlNode;
struct _DbtXmlNode
{
  char       *name;
  char       *text;        /* concatenated character data, trimmed */
  GPtrArray  *children;    /* DbtXmlNode* */
  DbtXmlNode *parent;
};

DbtXmlNode *dbt_xml_parse        (const char *data, gssize len, GError **error); /* DBT_AWS_ERROR_MALFORMED_RESPONSE on bad XML */
void        dbt_xml_node_free    (DbtXmlNode *node);
/* The first descendant reached by a '/'-separated path of names, e.g. "PublishResult/MessageId". */
DbtXmlNode *dbt_xml_find         (DbtXmlNode *node, const char *path);
const char *dbt_xml_find_text    (DbtXmlNode *node, const char *path); /* NULL if absent */
/* Every direct child named @name of the node at @path (NULL or "": @node
 * itself), in document order. The array is the caller's (g_ptr_array_unref);
 * its elements are not. Empty, never NULL, when nothing matches. */
GPtrArray  *dbt_xml_find_all     (DbtXmlNode *node, const char *path, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbtXmlNode, dbt_xml_node_free)

G_END_DECLS
