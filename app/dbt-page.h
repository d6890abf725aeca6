/* dbt-page.h — what every page of the main window offers the window.
 *
 * A page is a GtkWidget subclass that implements DbtPage. The window keeps
 * its "connection" property bound to the active connection and forwards the
 * window-wide actions to the visible page: win.refresh → refresh,
 * win.search → search, win.new-item → new_item (items page). A page that
 * does not implement a function leaves the action without effect.
 *
 * Adding a page: write app/dbt-<thing>-page.{c,h,ui} implementing DbtPage,
 * list the .ui in ui/dbtrigger.gresource.xml and the .c in app/meson.build
 * and po/POTFILES.in, and add a GtkStackPage in dbt-window.ui. Its position
 * in the stack gives it Ctrl+<position>.
 */
#pragma once

#include <adwaita.h>

#include "dbt-connection.h"

G_BEGIN_DECLS

#define DBT_TYPE_PAGE (dbt_page_get_type ())
G_DECLARE_INTERFACE (DbtPage, dbt_page, DBT, PAGE, GtkWidget)

struct _DbtPageInterface
{
  GTypeInterface parent_iface;

  void     (*refresh)  (DbtPage *self);
  /* Returns FALSE when the page has nothing to search. */
  gboolean (*search)   (DbtPage *self);
  void     (*new_item) (DbtPage *self);
  /* After "connection" became another connection: forget the old one's
   * content and load the new one's. */
  void     (*connection_changed) (DbtPage *self);
};

DbtConnection *dbt_page_get_connection (DbtPage       *self);
void           dbt_page_set_connection (DbtPage       *self,
                                        DbtConnection *connection);
void           dbt_page_refresh        (DbtPage       *self);
gboolean       dbt_page_search         (DbtPage       *self);
void           dbt_page_new_item       (DbtPage       *self);

/* For implementations: installs the "connection" property override. */
void           dbt_page_install_properties (GObjectClass *klass,
                                            guint         connection_prop_id);

/* For implementations' set_property: keeps the connection in @value in
 * *@connection; when it is another one, runs connection_changed and
 * notifies "connection". */
void           dbt_page_set_connection_property (DbtPage        *self,
                                                 DbtConnection **connection,
                                                 const GValue   *value);

/* For implementations' dispose: lets go of the template of @page_type,
 * every child and the connection in *@connection. */
void           dbt_page_dispose_widgets (DbtPage        *self,
                                         GType           page_type,
                                         DbtConnection **connection);

/* The status page every page shows until it has content: @what says what
 * the page will show; the description names the active connection. */
void           dbt_page_describe_connection (AdwStatusPage *status_page,
                                             const char    *what,
                                             DbtConnection *connection);

G_END_DECLS
