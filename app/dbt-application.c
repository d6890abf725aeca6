/* dbt-application.c — the dbtrigger console application. */
#include "dbt-config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "dbt-application.h"
#include "dbt-connections-window.h"
#include "dbt-window.h"

struct _DbtApplication
{
  AdwApplication parent_instance;

  GSettings          *settings;
  DbtConnectionStore *store;
};

G_DEFINE_FINAL_TYPE (DbtApplication, dbt_application, ADW_TYPE_APPLICATION)

void
dbt_application_init_i18n (void)
{
  const char *localedir = g_getenv ("DBT_LOCALEDIR");

  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static void
dbt_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (dbt_window_new (DBT_APPLICATION (application)));
  gtk_window_present (window);
}

static void
dbt_application_quit_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  GtkApplication *application = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (application));

  /* Closing (not destroying) lets each window save its state. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
dbt_application_preferences_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  dbt_application_show_connections (DBT_APPLICATION (user_data));
}

static void
dbt_application_about_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  GtkApplication *application = user_data;
  static const char *developers[] = { "The dbtrigger authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "application-icon", APP_ID,
                        "application-name", _("dbtrigger Console"),
                        "developer-name", _("The dbtrigger authors"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/dbtrigger/dbtrigger",
                        "issue-url", "https://github.com/dbtrigger/dbtrigger/issues",
                        "license-type", GTK_LICENSE_APACHE_2_0,
                        "developers", developers,
                        /* Translators: replace with your names, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", dbt_application_quit_action, NULL, NULL, NULL, { 0 } },
  { "preferences", dbt_application_preferences_action, NULL, NULL, NULL, { 0 } },
  { "about", dbt_application_about_action, NULL, NULL, NULL, { 0 } },
};

static void
dbt_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *help_accels[] = { "<Control>question", "<Control>slash", NULL };

  G_APPLICATION_CLASS (dbt_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-help-overlay", help_accels);

  gtk_window_set_default_icon_name (APP_ID);
}

static void
dbt_application_dispose (GObject *object)
{
  DbtApplication *self = DBT_APPLICATION (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dbt_application_parent_class)->dispose (object);
}

static void
dbt_application_class_init (DbtApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = dbt_application_dispose;
  application_class->activate = dbt_application_activate;
  application_class->startup = dbt_application_startup;
}

static void
dbt_application_init (DbtApplication *self)
{
  self->settings = g_settings_new (APP_ID);
  self->store = dbt_connection_store_new (self->settings);
}

DbtApplication *
dbt_application_new (GApplicationFlags flags)
{
  return g_object_new (DBT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

GSettings *
dbt_application_get_settings (DbtApplication *self)
{
  g_return_val_if_fail (DBT_IS_APPLICATION (self), NULL);
  return self->settings;
}

DbtConnectionStore *
dbt_application_get_connection_store (DbtApplication *self)
{
  g_return_val_if_fail (DBT_IS_APPLICATION (self), NULL);
  return self->store;
}

GtkWindow *
dbt_application_show_connections (DbtApplication *self)
{
  GtkWindow *parent;
  GtkWindow *window;

  g_return_val_if_fail (DBT_IS_APPLICATION (self), NULL);

  parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  window = GTK_WINDOW (dbt_connections_window_new (self->store));
  gtk_window_set_transient_for (window, parent);
  gtk_window_set_modal (window, TRUE);
  gtk_window_present (window);
  return window;
}
