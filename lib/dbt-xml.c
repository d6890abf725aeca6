/* dbt-xml.c — a read-only XML tree built with GMarkup. */
#include "dbt-xml.h"

#include <string.h>

#include "dbt-error.h"

/* AWS responses nest a handful of levels; anything far deeper is hostile
 * or broken, and refusing it keeps the parser's stack bounded. */
#define MAX_DEPTH 128

typedef struct
{
  DbtXmlNode *root;
  DbtXmlNode *current;
  GString    *text;     /* character data of the current element */
  GPtrArray  *texts;    /* the GString of each open ancestor */
  guint       depth;
  /* Why the document was refused. The callbacks never set GMarkup's error
   * themselves: GLib 2.74's GMarkup can go on parsing after a callback's
   * error and then set a second error over the first. Once refused, every
   * later callback is ignored and the parse fails at the end. */
  char       *refusal;
} ParseState;

static const char *
local_name (const char *name)
{
  const char *colon = strrchr (name, ':');

  return colon != NULL ? colon + 1 : name;
}

static DbtXmlNode *
node_new (const char *name,
          DbtXmlNode *parent)
{
  DbtXmlNode *node = g_new0 (DbtXmlNode, 1);

  node->name = g_strdup (local_name (name));
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) dbt_xml_node_free);
  node->parent = parent;
  return node;
}

void
dbt_xml_node_free (DbtXmlNode *node)
{
  if (node == NULL)
    return;
  g_free (node->name);
  g_free (node->text);
  g_ptr_array_unref (node->children);
  g_free (node);
}

static void
on_start_element (GMarkupParseContext  *context,
                  const char           *element_name,
                  const char          **attribute_names,
                  const char          **attribute_values,
                  gpointer              user_data,
                  GError              **error)
{
  ParseState *state = user_data;
  DbtXmlNode *node;

  if (state->refusal != NULL)
    return;

  if (state->depth >= MAX_DEPTH)
    {
      state->refusal = g_strdup_printf ("elements nested deeper than %d levels", MAX_DEPTH);
      return;
    }

  if (state->current == NULL)
    {
      if (state->root != NULL)
        {
          state->refusal = g_strdup ("more than one root element");
          return;
        }
      node = state->root = node_new (element_name, NULL);
    }
  else
    {
      node = node_new (element_name, state->current);
      g_ptr_array_add (state->current->children, node);
    }

  g_ptr_array_add (state->texts, state->text);
  state->text = g_string_new (NULL);
  state->current = node;
  state->depth++;
}

static void
on_end_element (GMarkupParseContext  *context,
                const char           *element_name,
                gpointer              user_data,
                GError              **error)
{
  ParseState *state = user_data;
  DbtXmlNode *node = state->current;

  if (state->refusal != NULL)
    return;

  node->text = g_strdup (g_strstrip (state->text->str));
  g_string_free (state->text, TRUE);
  state->text = g_ptr_array_steal_index (state->texts, state->texts->len - 1);
  state->current = node->parent;
  state->depth--;
}

static void
on_text (GMarkupParseContext  *context,
         const char           *text,
         gsize                 text_len,
         gpointer              user_data,
         GError              **error)
{
  ParseState *state = user_data;

  /* Outside the root only whitespace reaches here (GMarkup refuses the rest). */
  if (state->current != NULL && state->refusal == NULL)
    g_string_append_len (state->text, text, text_len);
}

static const GMarkupParser parser = {
  on_start_element,
  on_end_element,
  on_text,
  NULL,
  NULL,
};

static void
free_gstring (gpointer data)
{
  if (data != NULL)
    g_string_free (data, TRUE);
}

DbtXmlNode *
dbt_xml_parse (const char  *data,
               gssize       len,
               GError     **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  ParseState state = { 0 };
  DbtXmlNode *root = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len < 0)
    len = strlen (data);

  /* AWS writes UTF-8. Checking first also keeps bad bytes away from
   * GLib 2.74's GMarkup, which on some of them sets a second error over its
   * first (a GLib warning, fatal in tests). */
  if (!g_utf8_validate_len (data, len, NULL))
    {
      dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                         "malformed XML: not valid UTF-8 (or contains a NUL byte)");
      return NULL;
    }

  state.texts = g_ptr_array_new_with_free_func (free_gstring);
  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT,
                                        &state, NULL);

  if (g_markup_parse_context_parse (context, data, len, &local_error) &&
      g_markup_parse_context_end_parse (context, &local_error))
    {
      if (state.refusal != NULL)
        g_set_error_literal (&local_error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                             state.refusal);
      else if (state.root == NULL)
        g_set_error_literal (&local_error, G_MARKUP_ERROR, G_MARKUP_ERROR_EMPTY,
                             "no root element");
      else
        root = g_steal_pointer (&state.root);
    }

  if (state.text != NULL)
    g_string_free (state.text, TRUE);
  g_ptr_array_unref (state.texts);
  dbt_xml_node_free (state.root);
  g_free (state.refusal);

  if (root == NULL)
    dbt_aws_set_error (error, DBT_AWS_ERROR_MALFORMED_RESPONSE, NULL, 0, NULL,
                       "malformed XML: %s", local_error->message);
  return root;
}

static DbtXmlNode *
find_segments (DbtXmlNode        *node,
               const char *const *segments)
{
  if (segments[0] == NULL)
    return node;

  if (segments[0][0] == '\0')    /* "a//b" or a trailing '/' */
    return find_segments (node, segments + 1);

  /* Depth first over every child of that name: "the first descendant
   * reached", even when the first <Member> lacks the rest of the path. */
  for (guint i = 0; i < node->children->len; i++)
    {
      DbtXmlNode *child = g_ptr_array_index (node->children, i);
      DbtXmlNode *found;

      if (strcmp (child->name, segments[0]) != 0)
        continue;
      found = find_segments (child, segments + 1);
      if (found != NULL)
        return found;
    }
  return NULL;
}

DbtXmlNode *
dbt_xml_find (DbtXmlNode *node,
              const char *path)
{
  g_auto(GStrv) segments = NULL;

  if (node == NULL)
    return NULL;
  if (path == NULL || path[0] == '\0')
    return node;

  segments = g_strsplit (path, "/", -1);
  return find_segments (node, (const char *const *) segments);
}

const char *
dbt_xml_find_text (DbtXmlNode *node,
                   const char *path)
{
  DbtXmlNode *found = dbt_xml_find (node, path);

  return found != NULL ? found->text : NULL;
}

GPtrArray *
dbt_xml_find_all (DbtXmlNode *node,
                  const char *path,
                  const char *name)
{
  DbtXmlNode *parent = dbt_xml_find (node, path);
  GPtrArray *all = g_ptr_array_new ();

  g_return_val_if_fail (name != NULL, all);

  if (parent == NULL)
    return all;

  for (guint i = 0; i < parent->children->len; i++)
    {
      DbtXmlNode *child = g_ptr_array_index (parent->children, i);

      if (strcmp (child->name, name) == 0)
        g_ptr_array_add (all, child);
    }
  return all;
}
