/* dbt-ui-test.h — the harness of the console's headless UI tests.
 *
 * The tests run the real application and widgets under Xvfb (see
 * run-ui-test.sh) and drive them as a user would: through the sidebar, the
 * keyboard shortcuts and focus moves, the forms.
 *
 * Keys. GTK 4.8 cannot synthesise a key event from inside the process, so
 * dbt_ui_test_press() resolves an accelerator ("<Control>1", "Tab") the way
 * GTK does on a key press: it walks from the focus widget up to the window,
 * asks each widget's shortcut controllers (class key bindings, the
 * application's accelerators, shortcut controllers added by the widget) for
 * a shortcut whose trigger is that key, and activates its action. A key that
 * no shortcut answers fails the test.
 *
 * Screenshots go to $DBT_SCREENSHOT_DIR (the test setup points it at
 * <builddir>/meson-logs/screenshots), else $G_TEST_BUILDDIR/screenshots.
 */
#pragma once

#include <gtk/gtk.h>

#include "dbt-application.h"
#include "dbt-window.h"

G_BEGIN_DECLS

/* g_test_init, the message catalogue, the application (registered, started). */
void            dbt_ui_test_init              (int    *argc,
                                               char ***argv);
DbtApplication *dbt_ui_test_get_application   (void);

/* A new main window, presented and drawn once. */
DbtWindow      *dbt_ui_test_open_window       (void);
/* Closes every toplevel and lets them go. */
void            dbt_ui_test_close_all         (void);

/* Runs the main loop for @ms milliseconds. */
void            dbt_ui_test_iterate           (guint ms);
typedef gboolean (*DbtUiTestCondition)        (gpointer data);
/* Runs the main loop until @condition holds; FALSE after @timeout_ms. */
gboolean        dbt_ui_test_wait_until        (DbtUiTestCondition condition,
                                               gpointer           data,
                                               guint              timeout_ms);
/* Until @widget has been drawn (its frame clock painted). */
void            dbt_ui_test_wait_for_draw     (GtkWidget *widget);

/* Depth-first search of @root's widget tree. */
GtkWidget      *dbt_ui_test_find_by_id        (GtkWidget  *root,
                                               const char *buildable_id);
GtkWidget      *dbt_ui_test_find_by_type      (GtkWidget  *root,
                                               GType       type);
/* A GtkLabel (or a widget with a "label"/"title" property) showing exactly @text. */
GtkWidget      *dbt_ui_test_find_label        (GtkWidget  *root,
                                               const char *text);
/* The first visible toplevel of @type other than @except, or NULL. */
GtkWindow      *dbt_ui_test_find_toplevel     (GType       type,
                                               GtkWindow  *except);
/* TRUE when @widget and all its ancestors are visible (child-visible too). */
gboolean        dbt_ui_test_is_showing        (GtkWidget *widget);

/* Presses @accelerator on @window (see above). FALSE when no shortcut answers. */
gboolean        dbt_ui_test_press             (GtkWindow  *window,
                                               const char *accelerator);

/* Presses Tab (or Shift+Tab) until @predicate holds for the focus widget;
 * returns that widget, or NULL after @max_presses. */
typedef gboolean (*DbtUiTestFocusPredicate)   (GtkWidget *focus,
                                               gpointer   data);
GtkWidget      *dbt_ui_test_tab_until         (GtkWindow               *window,
                                               gboolean                 backward,
                                               DbtUiTestFocusPredicate  predicate,
                                               gpointer                 data,
                                               guint                    max_presses);
/* TRUE when @ancestor is @widget or contains it. */
gboolean        dbt_ui_test_is_inside         (GtkWidget *widget,
                                               GtkWidget *ancestor);

/* Saves @widget as <screenshot dir>/<name>.png and prints the path. */
char           *dbt_ui_test_save_screenshot   (GtkWidget  *widget,
                                               const char *name);

G_END_DECLS
