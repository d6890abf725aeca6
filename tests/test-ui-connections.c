/* test-ui-connections.c — the Connections window, the keyring, and resolving
 * a connection into an AWS configuration. */
#include "dbt-config.h"

#include <glib/gstdio.h>

#include "dbt-connection-editor.h"
#include "dbt-connection-resolve.h"
#include "dbt-connections-window.h"
#include "dbt-ui-test.h"

/* Never written anywhere but the keyring. */
#define TEST_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY-dbt-ui"
#define TEST_ACCESS_KEY "AKIAIOSFODNN7EXAMPLE"

static DbtConnectionStore *
test_store (void)
{
  return dbt_application_get_connection_store (dbt_ui_test_get_application ());
}

static GtkWindow *
open_connections_window (DbtWindow *window)
{
  GtkWindow *connections;

  /* Ctrl+, is the preferences: the Connections window. */
  g_assert_true (dbt_ui_test_press (GTK_WINDOW (window), "<Control>comma"));
  connections = dbt_ui_test_find_toplevel (DBT_TYPE_CONNECTIONS_WINDOW, NULL);
  g_assert_nonnull (connections);
  dbt_ui_test_wait_for_draw (GTK_WIDGET (connections));
  return connections;
}

static DbtConnectionEditor *
open_editor (GtkWindow *connections)
{
  GtkWidget *editor;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (connections), "connections.add", NULL));
  dbt_ui_test_iterate (100);
  editor = dbt_ui_test_find_by_type (GTK_WIDGET (connections), DBT_TYPE_CONNECTION_EDITOR);
  g_assert_nonnull (editor);
  g_assert_true (dbt_ui_test_is_showing (editor));
  return DBT_CONNECTION_EDITOR (editor);
}

static void
set_field (DbtConnectionEditor *editor,
           const char          *id,
           const char          *text)
{
  GtkWidget *row = dbt_ui_test_find_by_id (GTK_WIDGET (editor), id);

  g_assert_true (GTK_IS_EDITABLE (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* The error shown under the field @field ("endpoint"), or NULL. */
static const char *
field_error (DbtConnectionEditor *editor,
             const char          *field)
{
  g_autofree char *row_id = g_strdup_printf ("%s_row", field);
  g_autofree char *error_row_id = g_strdup_printf ("%s_error_row", field);
  g_autofree char *label_id = g_strdup_printf ("%s_error_label", field);
  GtkWidget *row = dbt_ui_test_find_by_id (GTK_WIDGET (editor), row_id);
  GtkWidget *error_row = dbt_ui_test_find_by_id (GTK_WIDGET (editor), error_row_id);
  GtkWidget *label = dbt_ui_test_find_by_id (GTK_WIDGET (editor), label_id);

  g_assert_nonnull (row);
  g_assert_nonnull (error_row);
  g_assert_nonnull (label);

  if (!gtk_widget_get_visible (error_row))
    {
      g_assert_false (gtk_widget_has_css_class (row, "error"));
      return NULL;
    }

  /* At the field: the row right under it, and the field marked. */
  g_assert_true (gtk_widget_get_next_sibling (row) == error_row);
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  return gtk_label_get_text (GTK_LABEL (label));
}

static void
save (DbtConnectionEditor *editor)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  dbt_ui_test_iterate (50);
}

static gboolean
model_has_string (gpointer data)
{
  GListModel *model = data;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), "dev"))
        return TRUE;
    }
  return FALSE;
}

/* The profiles of ~/.aws are offered, read off the main thread. */
static void
test_profiles (void)
{
  g_autofree char *aws_dir = g_build_filename (g_get_home_dir (), ".aws", NULL);
  g_autofree char *config = g_build_filename (aws_dir, "config", NULL);
  DbtWindow *window;
  GtkWindow *connections;
  DbtConnectionEditor *editor;
  GtkWidget *profile_row;

  g_assert_cmpint (g_mkdir_with_parents (aws_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (config, "[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n", -1, NULL));

  window = dbt_ui_test_open_window ();
  connections = open_connections_window (window);
  editor = open_editor (connections);
  profile_row = dbt_ui_test_find_by_id (GTK_WIDGET (editor), "profile_row");
  g_assert_true (dbt_ui_test_is_showing (profile_row));
  g_assert_true (dbt_ui_test_wait_until (model_has_string, adw_combo_row_get_model (ADW_COMBO_ROW (profile_row)), 5000));

  dbt_ui_test_close_all ();
  g_assert_cmpint (g_unlink (config), ==, 0);
}

static void
test_invalid_fields (void)
{
  DbtWindow *window = dbt_ui_test_open_window ();
  GtkWindow *connections = open_connections_window (window);
  DbtConnectionEditor *editor = open_editor (connections);
  guint n_before = g_list_model_get_n_items (G_LIST_MODEL (test_store ()));

  /* Empty name, not a URL. */
  set_field (editor, "endpoint_row", "localhost:4566");
  save (editor);
  g_assert_nonnull (field_error (editor, "name"));
  g_assert_nonnull (field_error (editor, "endpoint"));
  g_assert_null (field_error (editor, "region"));

  /* Duplicate name (case-insensitive), wrong scheme, bad region. */
  set_field (editor, "name_row", "local STACK");
  set_field (editor, "endpoint_row", "ftp://127.0.0.1:4566");
  set_field (editor, "region_row", "Europe West");
  save (editor);
  g_assert_nonnull (strstr (field_error (editor, "name"), "local STACK"));
  g_assert_nonnull (strstr (field_error (editor, "endpoint"), "http"));
  g_assert_nonnull (field_error (editor, "region"));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (connections), "connection-invalid-fields"));

  /* Typing clears the error of that field only. */
  set_field (editor, "name_row", "Staging");
  g_assert_null (field_error (editor, "name"));
  g_assert_nonnull (field_error (editor, "endpoint"));

  set_field (editor, "endpoint_row", "not a url at all");
  set_field (editor, "region_row", "eu-central-1");
  save (editor);
  g_assert_nonnull (field_error (editor, "endpoint"));
  g_assert_null (field_error (editor, "region"));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (connections), "connection-invalid-endpoint"));

  /* Keyring credentials need both halves of the key. */
  set_field (editor, "endpoint_row", "");
  adw_combo_row_set_selected (ADW_COMBO_ROW (dbt_ui_test_find_by_id (GTK_WIDGET (editor), "auth_row")), 1);
  save (editor);
  g_assert_nonnull (field_error (editor, "access_key"));
  g_assert_nonnull (field_error (editor, "secret"));

  /* Nothing was saved. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (test_store ())), ==, n_before);
  dbt_ui_test_close_all ();
}

typedef struct
{
  gboolean  done;
  char     *secret;
  GError   *error;
} LookupResult;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LookupResult *lookup = user_data;

  lookup->secret = dbt_connection_store_lookup_secret_finish (DBT_CONNECTION_STORE (object), result, &lookup->error);
  lookup->done = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
editor_is_gone (gpointer data)
{
  return dbt_ui_test_find_by_type (GTK_WIDGET (data), DBT_TYPE_CONNECTION_EDITOR) == NULL ||
         !dbt_ui_test_is_showing (dbt_ui_test_find_by_type (GTK_WIDGET (data), DBT_TYPE_CONNECTION_EDITOR));
}

/* Every regular file under @dir, except @except, must not contain @needle. */
static void
assert_absent_from_files (const char *dir,
                          const char *except,
                          const char *needle,
                          guint      *n_files)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        assert_absent_from_files (path, except, needle, n_files);
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *contents = NULL;
          gsize length = 0;

          if (g_strcmp0 (path, except) == 0 || !g_file_get_contents (path, &contents, &length, NULL))
            continue;
          (*n_files)++;
          if (memmem (contents, length, needle, strlen (needle)) != NULL)
            g_error ("the secret access key was found in %s", path);
        }
    }
}

static void
test_save_with_keyring (void)
{
  DbtWindow *window = dbt_ui_test_open_window ();
  GtkWindow *connections = open_connections_window (window);
  DbtConnectionEditor *editor = open_editor (connections);
  DbtConnectionStore *store = test_store ();
  GSettings *settings = dbt_application_get_settings (dbt_ui_test_get_application ());
  GtkWidget *dropdown = dbt_ui_test_find_by_id (GTK_WIDGET (window), "connection_dropdown");
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  DbtConnection *saved;
  LookupResult lookup = { 0 };
  const char *root = g_getenv ("DBT_UI_TEST_ROOT");
  const char *keyring = g_getenv ("SECRET_FILE_TEST_PATH");
  guint n_files = 0;
  gboolean listed = FALSE;

  set_field (editor, "name_row", "Staging");
  set_field (editor, "endpoint_row", "https://dynamodb.eu-central-1.amazonaws.com");
  set_field (editor, "region_row", "eu-central-1");
  adw_combo_row_set_selected (ADW_COMBO_ROW (dbt_ui_test_find_by_id (GTK_WIDGET (editor), "auth_row")), 1);
  set_field (editor, "access_key_row", TEST_ACCESS_KEY);
  set_field (editor, "secret_row", TEST_SECRET);
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (connections), "connection-editor"));
  save (editor);

  /* The secret goes to the keyring asynchronously, then the form closes. */
  g_assert_true (dbt_ui_test_wait_until (editor_is_gone, connections, 10000));
  saved = dbt_connection_store_find_by_name (store, "Staging");
  g_assert_nonnull (saved);
  g_assert_cmpint (dbt_connection_get_auth (saved), ==, DBT_CONNECTION_AUTH_KEYRING);
  g_assert_cmpstr (dbt_connection_get_access_key_id (saved), ==, TEST_ACCESS_KEY);
  g_assert_cmpstr (dbt_connection_get_endpoint_url (saved), ==, "https://dynamodb.eu-central-1.amazonaws.com");
  dbt_ui_test_iterate (100);
  g_assert_nonnull (dbt_ui_test_find_label (GTK_WIDGET (connections), "Staging"));
  g_free (dbt_ui_test_save_screenshot (GTK_WIDGET (connections), "connections-window"));

  /* It appears in the window's connection selector. */
  for (guint i = 0; i < g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown))); i++)
    {
      g_autoptr(DbtConnection) item = g_list_model_get_item (gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown)), i);

      if (item == saved)
        {
          listed = TRUE;
          gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i);
        }
    }
  g_assert_true (listed);
  g_assert_true (dbt_connection_store_get_active (store) == saved);
  {
    g_autofree char *active_id = g_settings_get_string (settings, "active-connection");

    g_assert_cmpstr (active_id, ==, dbt_connection_get_id (saved));
  }

  /* The secret round-trips through the keyring... */
  dbt_connection_store_lookup_secret_async (store, saved, NULL, lookup_cb, &lookup);
  g_assert_true (dbt_ui_test_wait_until (flag_is_set, &lookup.done, 10000));
  g_assert_no_error (lookup.error);
  g_assert_cmpstr (lookup.secret, ==, TEST_SECRET);
  dbt_connection_store_free_secret (lookup.secret);

  /* ...and is nowhere in GSettings... */
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, TRUE);

      g_assert_null (strstr (printed, TEST_SECRET));
    }
  {
    g_autoptr(GVariant) list = g_settings_get_value (settings, "connections");
    g_autofree char *printed = g_variant_print (list, TRUE);

    g_assert_nonnull (strstr (printed, "Staging"));
    g_assert_nonnull (strstr (printed, TEST_ACCESS_KEY));
  }

  /* ...nor in any file of the test's home, XDG folders and stack folder.
   * The keyring file is encrypted: it must exist and not hold it in clear. */
  g_assert_nonnull (root);
  g_assert_nonnull (keyring);
  g_assert_true (g_file_test (keyring, G_FILE_TEST_IS_REGULAR));
  assert_absent_from_files (root, keyring, TEST_SECRET, &n_files);
  {
    g_autofree char *contents = NULL;
    gsize length = 0;

    g_assert_true (g_file_get_contents (keyring, &contents, &length, NULL));
    g_assert_cmpuint (length, >, 0);
    g_assert_null (memmem (contents, length, TEST_SECRET, strlen (TEST_SECRET)));
  }
  g_test_message ("searched %u files for the secret", n_files);

  dbt_connection_store_set_active (store, NULL);
  dbt_ui_test_close_all ();
}

typedef struct
{
  gboolean               done;
  DbtResolvedConnection *resolved;
  GError                *error;
} ResolveResult;

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ResolveResult *resolve = user_data;

  resolve->resolved = dbt_connection_resolve_finish (result, &resolve->error);
  resolve->done = TRUE;
}

static void
resolve_and_wait (DbtConnection *connection,
                  ResolveResult *result)
{
  dbt_connection_resolve_async (connection, NULL, resolve_cb, result);
  g_assert_true (dbt_ui_test_wait_until (flag_is_set, &result->done, 10000));
}

static void
test_resolve (void)
{
  DbtConnectionStore *store = test_store ();
  DbtConnection *local = g_list_model_get_item (G_LIST_MODEL (store), 0);
  DbtConnection *staging = dbt_connection_store_find_by_name (store, "Staging");
  const char *stack_dir = g_getenv ("DBT_STACK_DIR");
  g_autofree char *env_path = g_build_filename (stack_dir, "stack.env", NULL);
  g_autofree char *outputs_path = g_build_filename (stack_dir, "terraform-outputs.json", NULL);
  ResolveResult result = { 0 };

  g_object_unref (local);   /* the store keeps it */

  /* No stack.env: the local stack is not running, and the error says how to start it. */
  g_assert_nonnull (stack_dir);
  resolve_and_wait (local, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (result.error->message, "local-stack start"));
  g_clear_error (&result.error);

  /* With a stack.env and the Terraform outputs. */
  g_assert_true (g_file_set_contents (env_path,
                                      "# Written by build-aux/local-stack\n"
                                      "DBT_STACK_DIR=/nowhere\n"
                                      "AWS_ENDPOINT_URL=http://127.0.0.1:45999\n"
                                      "AWS_REGION=us-east-1\n"
                                      "AWS_DEFAULT_REGION=us-east-1\n"
                                      "AWS_ACCESS_KEY_ID=testing\n"
                                      "AWS_SECRET_ACCESS_KEY=testing\n", -1, NULL));
  g_assert_true (g_file_set_contents (outputs_path,
                                      "{\"table_name\":{\"sensitive\":false,\"type\":\"string\",\"value\":\"dbtrigger-items\"},"
                                      "\"batch_size\":{\"sensitive\":false,\"type\":\"number\",\"value\":100}}", -1, NULL));
  memset (&result, 0, sizeof result);
  resolve_and_wait (local, &result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (result.resolved->config->region, ==, "us-east-1");
  g_assert_true (g_str_has_prefix (result.resolved->config->endpoint_urls[DBT_SERVICE_DYNAMODB], "http://127.0.0.1:45999"));
  g_assert_cmpstr (result.resolved->config->credentials->access_key_id, ==, "testing");
  g_assert_cmpstr (g_hash_table_lookup (result.resolved->outputs, "table_name"), ==, "dbtrigger-items");
  g_assert_cmpstr (g_hash_table_lookup (result.resolved->outputs, "batch_size"), ==, "100");
  g_clear_pointer (&result.resolved, dbt_resolved_connection_free);

  /* The keyring connection saved before: its secret comes from the keyring. */
  g_assert_nonnull (staging);
  memset (&result, 0, sizeof result);
  resolve_and_wait (staging, &result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (result.resolved->config->region, ==, "eu-central-1");
  g_assert_cmpstr (result.resolved->config->credentials->access_key_id, ==, TEST_ACCESS_KEY);
  g_assert_cmpstr (result.resolved->config->credentials->secret_access_key, ==, TEST_SECRET);
  g_clear_pointer (&result.resolved, dbt_resolved_connection_free);

  g_assert_cmpint (g_unlink (env_path), ==, 0);
  g_assert_cmpint (g_unlink (outputs_path), ==, 0);
}

static void
remove_response (GtkWindow *connections)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (dbt_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL));

  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "remove");
  dbt_ui_test_iterate (50);
}

static void
test_edit_and_remove (void)
{
  DbtWindow *window = dbt_ui_test_open_window ();
  GtkWindow *connections = open_connections_window (window);
  DbtConnectionStore *store = test_store ();
  DbtConnection *staging = dbt_connection_store_find_by_name (store, "Staging");
  g_autoptr(DbtConnection) kept = NULL;
  GtkWidget *editor;
  LookupResult lookup = { 0 };

  g_assert_nonnull (staging);
  kept = g_object_ref (staging);

  /* Editing keeps the stored secret when the field stays empty. */
  editor = dbt_connections_window_edit (DBT_CONNECTIONS_WINDOW (connections), staging);
  dbt_ui_test_iterate (50);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dbt_ui_test_find_by_id (editor, "name_row"))), ==, "Staging");
  set_field (DBT_CONNECTION_EDITOR (editor), "name_row", "Staging EU");
  save (DBT_CONNECTION_EDITOR (editor));
  g_assert_true (dbt_ui_test_wait_until (editor_is_gone, connections, 10000));
  g_assert_cmpstr (dbt_connection_get_name (staging), ==, "Staging EU");

  /* Removing forgets it, and its secret. */
  editor = dbt_connections_window_edit (DBT_CONNECTIONS_WINDOW (connections), staging);
  dbt_ui_test_iterate (50);
  g_assert_true (gtk_widget_activate_action (editor, "editor.remove", NULL));
  dbt_ui_test_iterate (50);
  remove_response (connections);
  g_assert_null (dbt_connection_store_find_by_name (store, "Staging EU"));

  dbt_ui_test_iterate (200);
  dbt_connection_store_lookup_secret_async (store, kept, NULL, lookup_cb, &lookup);
  g_assert_true (dbt_ui_test_wait_until (flag_is_set, &lookup.done, 10000));
  g_assert_no_error (lookup.error);
  g_assert_null (lookup.secret);

  dbt_ui_test_close_all ();
}

int
main (int   argc,
      char *argv[])
{
  dbt_ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/connections/profiles", test_profiles);
  g_test_add_func ("/ui/connections/invalid-fields", test_invalid_fields);
  g_test_add_func ("/ui/connections/save-with-keyring", test_save_with_keyring);
  g_test_add_func ("/ui/connections/resolve", test_resolve);
  g_test_add_func ("/ui/connections/edit-and-remove", test_edit_and_remove);

  return g_test_run ();
}
