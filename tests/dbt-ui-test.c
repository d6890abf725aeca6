/* dbt-ui-test.c — the harness of the console's headless UI tests. */
#include "dbt-config.h"

#include <glib/gstdio.h>

#include "dbt-ui-test.h"

static DbtApplication *test_application;

void
dbt_ui_test_init (int    *argc,
                  char ***argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (argc, argv, NULL);
  dbt_application_init_i18n ();

  /* Non-unique: parallel tests never find each other on a bus. */
  test_application = dbt_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (test_application), NULL, &error);
  g_assert_no_error (error);
  /* No window yet, but the application must stay alive between tests. */
  g_application_hold (G_APPLICATION (test_application));
}

DbtApplication *
dbt_ui_test_get_application (void)
{
  g_assert_nonnull (test_application);
  return test_application;
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
dbt_ui_test_wait_until (DbtUiTestCondition condition,
                        gpointer           data,
                        guint              timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  guint tick = g_timeout_add (10, wake_up, NULL);
  gboolean done;

  while (!(done = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
  return done;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
dbt_ui_test_iterate (guint ms)
{
  dbt_ui_test_wait_until (never, NULL, ms);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
dbt_ui_test_wait_for_draw (GtkWidget *widget)
{
  gtk_test_widget_wait_for_draw (widget);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
window_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

DbtWindow *
dbt_ui_test_open_window (void)
{
  DbtWindow *window = dbt_window_new (dbt_ui_test_get_application ());

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (dbt_ui_test_wait_until (window_is_mapped, window, 5000));
  dbt_ui_test_wait_for_draw (GTK_WIDGET (window));
  return window;
}

static gboolean
no_toplevels (gpointer data)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  return toplevels == NULL;
}

void
dbt_ui_test_close_all (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_assert_true (dbt_ui_test_wait_until (no_toplevels, NULL, 5000));
}

typedef gboolean (*WidgetMatch) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find_widget (GtkWidget     *root,
             WidgetMatch    match,
             gconstpointer  data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
match_id (GtkWidget     *widget,
          gconstpointer  data)
{
  return g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), data) == 0;
}

GtkWidget *
dbt_ui_test_find_by_id (GtkWidget  *root,
                        const char *buildable_id)
{
  return find_widget (root, match_id, buildable_id);
}

static gboolean
match_type (GtkWidget     *widget,
            gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, *(const GType *) data);
}

GtkWidget *
dbt_ui_test_find_by_type (GtkWidget *root,
                          GType      type)
{
  return find_widget (root, match_type, &type);
}

static gboolean
match_label (GtkWidget     *widget,
             gconstpointer  data)
{
  g_autofree char *text = NULL;

  if (GTK_IS_LABEL (widget))
    return g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "title") != NULL &&
      G_PARAM_SPEC_VALUE_TYPE (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "title")) == G_TYPE_STRING)
    {
      g_object_get (widget, "title", &text, NULL);
      return g_strcmp0 (text, data) == 0;
    }
  return FALSE;
}

GtkWidget *
dbt_ui_test_find_label (GtkWidget  *root,
                        const char *text)
{
  return find_widget (root, match_label, text);
}

GtkWindow *
dbt_ui_test_find_toplevel (GType      type,
                           GtkWindow *except)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != except && G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) &&
        gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

gboolean
dbt_ui_test_is_showing (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
      return FALSE;
  return TRUE;
}

gboolean
dbt_ui_test_is_inside (GtkWidget *widget,
                       GtkWidget *ancestor)
{
  return widget != NULL && (widget == ancestor || gtk_widget_is_ancestor (widget, ancestor));
}

#define MODIFIERS (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK | GDK_META_MASK)

static gboolean
trigger_matches (GtkShortcutTrigger *trigger,
                 guint               keyval,
                 GdkModifierType     modifiers)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_matches (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval, modifiers) ||
           trigger_matches (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval, modifiers);

  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    return gdk_keyval_to_lower (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger))) == gdk_keyval_to_lower (keyval) &&
           (gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) & MODIFIERS) == (modifiers & MODIFIERS);

  return FALSE;
}

static gboolean
activate_in_controllers (GtkWidget       *widget,
                         guint            keyval,
                         GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  guint n = g_list_model_get_n_items (controllers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      guint n_shortcuts;

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      n_shortcuts = g_list_model_get_n_items (G_LIST_MODEL (controller));
      for (guint j = 0; j < n_shortcuts; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (trigger_matches (gtk_shortcut_get_trigger (shortcut), keyval, modifiers) &&
              gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                            GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                            gtk_event_controller_get_widget (controller),
                                            gtk_shortcut_get_arguments (shortcut)))
            return TRUE;
        }
    }
  return FALSE;
}

gboolean
dbt_ui_test_press (GtkWindow  *window,
                   const char *accelerator)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  guint keyval = 0;
  GdkModifierType modifiers = 0;
  gboolean handled = FALSE;

  g_assert_true (gtk_accelerator_parse (accelerator, &keyval, &modifiers));

  /* The action may close the window: keep it alive until we are done. */
  g_object_ref (window);
  for (GtkWidget *widget = focus != NULL ? focus : GTK_WIDGET (window);
       widget != NULL;
       widget = gtk_widget_get_parent (widget))
    if ((handled = activate_in_controllers (widget, keyval, modifiers)))
      break;
  g_object_unref (window);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  return handled;
}

GtkWidget *
dbt_ui_test_tab_until (GtkWindow               *window,
                       gboolean                 backward,
                       DbtUiTestFocusPredicate  predicate,
                       gpointer                 data,
                       guint                    max_presses)
{
  for (guint i = 0; i < max_presses; i++)
    {
      GtkWidget *focus;

      g_assert_true (dbt_ui_test_press (window, backward ? "<Shift>Tab" : "Tab"));
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus != NULL && predicate (focus, data))
        return focus;
    }
  return NULL;
}

static char *
screenshot_dir (void)
{
  const char *dir = g_getenv ("DBT_SCREENSHOT_DIR");

  if (dir != NULL && *dir != '\0')
    return g_strdup (dir);
  return g_build_filename (g_test_get_dir (G_TEST_BUILT), "screenshots", NULL);
}

static gboolean
tree_is_still (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget)))
    return FALSE;
  if (GTK_IS_REVEALER (widget) &&
      gtk_revealer_get_reveal_child (GTK_REVEALER (widget)) != gtk_revealer_get_child_revealed (GTK_REVEALER (widget)))
    return FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!tree_is_still (child))
      return FALSE;
  return TRUE;
}

static gboolean
tree_is_still_cb (gpointer data)
{
  return tree_is_still (data);
}

/* GNOME Console's shape: widget → paintable → snapshot → render node →
 * texture from the widget's own renderer → PNG. */
char *
dbt_ui_test_save_screenshot (GtkWidget  *widget,
                             const char *name)
{
  g_autofree char *dir = screenshot_dir ();
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  char *path = g_build_filename (dir, file_name, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width, height;

  /* Not halfway through a cross-fade or a search bar sliding in. */
  g_assert_true (dbt_ui_test_wait_until (tree_is_still_cb, widget, 5000));
  dbt_ui_test_wait_for_draw (widget);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  /* The widget paintable gives no node until the widget has rendered a
   * frame; on a loaded machine that can take a few more frame cycles. */
  paintable = gtk_widget_paintable_new (widget);
  for (guint attempt = 0; node == NULL && attempt < 100; attempt++)
    {
      if (attempt > 0)
        {
          dbt_ui_test_iterate (50);
          dbt_ui_test_wait_for_draw (widget);
        }
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_assert_nonnull (renderer);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);

  return path;
}
