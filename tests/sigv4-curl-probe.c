/* sigv4-curl-probe — how far libcurl's own CURLOPT_AWS_SIGV4 gets through the
 * AWS SigV4 test suite (header form; curl has no query form).
 *
 *   sigv4-curl-probe [SUITE_DIR]     default $DBT_SHARED_DIR/sigv4-test-suite/v4
 *
 * Each case's request is sent by curl to a loopback socket that never
 * answers (the kernel completes the handshake, so curl sends the request);
 * the Authorization header curl wrote is captured through
 * CURLOPT_DEBUGFUNCTION and its signature compared with the suite's. The
 * request is given to curl as it would go on the wire (raw spaces and UTF-8
 * in the path percent-encoded), with the suite's date in X-Amz-Date and the
 * session token, when there is one, as an X-Amz-Security-Token header.
 * Prints one line per case and the total; not a test.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <curl/curl.h>

#include "sigv4-suite.h"

static int
on_debug (CURL          *handle,
          curl_infotype  type,
          char          *data,
          size_t         size,
          void          *user_data)
{
  GString *sent = user_data;

  if (type == CURLINFO_HEADER_OUT)
    g_string_append_len (sent, data, size);
  return 0;
}

static int
listen_loopback (int *port)
{
  struct sockaddr_in address = { 0 };
  socklen_t len = sizeof address;
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0
      || bind (fd, (struct sockaddr *) &address, sizeof address) != 0
      || listen (fd, 64) != 0
      || getsockname (fd, (struct sockaddr *) &address, &len) != 0)
    return -1;
  *port = ntohs (address.sin_port);
  return fd;
}

/* What the suite writes raw (spaces, UTF-8) as it must go on the wire. */
static char *
wire_form (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p <= 0x20 || *p >= 0x7f)
        g_string_append_printf (out, "%%%02X", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  return g_string_free (out, FALSE);
}

/* The "Authorization:" line curl sent, or NULL. */
static char *
find_authorization (const char *sent)
{
  g_auto(GStrv) lines = g_strsplit (sent, "\r\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], "Authorization:", 14) == 0)
      return g_strdup (lines[i]);
  return NULL;
}

static gboolean
probe_case (const char *case_dir,
            int         port,
            GString    *diagnosis)
{
  g_autofree char *request_path = g_build_filename (case_dir, "request.txt", NULL);
  g_autofree char *context_path = g_build_filename (case_dir, "context.json", NULL);
  g_autofree char *expected = suite_expected (case_dir, "header-signature.txt");
  g_autofree char *text = NULL;
  g_autofree char *target = NULL;
  g_autofree char *url = NULL;
  g_autofree char *userpwd = NULL;
  g_autofree char *sigv4 = NULL;
  g_autofree char *connect_to = NULL;
  g_autofree char *date_header = NULL;
  g_autofree char *token_header = NULL;
  g_autofree char *authorization = NULL;
  g_autoptr(SuiteRequest) request = NULL;
  g_autoptr(GString) sent = g_string_new (NULL);
  g_auto(SuiteContext) context = { 0 };
  struct curl_slist *headers = NULL;
  const char *host = NULL;
  const char *found;
  gsize len = 0;
  gsize body_len = 0;
  const char *body;
  CURL *curl;

  if (expected == NULL || !g_file_get_contents (request_path, &text, &len, NULL))
    {
      g_string_append (diagnosis, "no request or expected signature");
      return FALSE;
    }
  request = suite_request_parse (text, len);
  suite_context_load (&context, context_path);

  for (guint i = 0; i < request->headers->len; i++)
    {
      const DbtHttpHeader *header = g_ptr_array_index (request->headers, i);
      g_auto(GStrv) folds = g_strsplit (header->value, "\n", -1);
      g_autofree char *value = g_strjoinv ("\r\n", folds);
      g_autofree char *line = g_strdup_printf ("%s:%s", header->name, value);

      if (g_ascii_strcasecmp (header->name, "host") == 0)
        host = header->value;
      /* Folded values go out as they are: CRLF then the indentation. */
      headers = curl_slist_append (headers, line);
    }
  /* curl's default Accept: is not signed; disabling it with "Accept:"
   * would be (7.88 signs the removed header), so it stays. */
  date_header = g_strdup_printf ("X-Amz-Date: %s", context.amz_date);
  headers = curl_slist_append (headers, date_header);
  if (context.credentials->session_token != NULL && !context.omit_session_token)
    {
      token_header = g_strdup_printf ("X-Amz-Security-Token: %s", context.credentials->session_token);
      headers = curl_slist_append (headers, token_header);
    }

  target = wire_form (request->path);
  if (request->query != NULL)
    {
      g_autofree char *query = wire_form (request->query);
      char *joined = g_strconcat (target, "?", query, NULL);

      g_free (target);
      target = joined;
    }
  url = g_strdup_printf ("http://%s%s", host, target);
  connect_to = g_strdup_printf ("%s:80:127.0.0.1:%d", host, port);
  userpwd = g_strdup_printf ("%s:%s", context.credentials->access_key_id,
                             context.credentials->secret_access_key);
  sigv4 = g_strdup_printf ("aws:amz:%s:%s", context.region, context.service);

  curl = curl_easy_init ();
  {
    struct curl_slist *connect_list = curl_slist_append (NULL, connect_to);

    curl_easy_setopt (curl, CURLOPT_URL, url);
    curl_easy_setopt (curl, CURLOPT_CONNECT_TO, connect_list);
    curl_easy_setopt (curl, CURLOPT_AWS_SIGV4, sigv4);
    curl_easy_setopt (curl, CURLOPT_USERPWD, userpwd);
    curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, request->method);
    curl_easy_setopt (curl, CURLOPT_PATH_AS_IS, context.normalize ? 0L : 1L);
    curl_easy_setopt (curl, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt (curl, CURLOPT_DEBUGDATA, sent);
    curl_easy_setopt (curl, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, 300L);
    body = g_bytes_get_data (request->body, &body_len);
    if (body_len > 0)
      {
        curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE, (long) body_len);
      }
    curl_easy_perform (curl);   /* times out: nobody answers */
    curl_easy_cleanup (curl);
    curl_slist_free_all (connect_list);
  }
  curl_slist_free_all (headers);

  authorization = find_authorization (sent->str);
  if (authorization == NULL)
    {
      g_string_append (diagnosis, "curl sent no Authorization header");
      return FALSE;
    }
  found = strstr (authorization, "Signature=");
  if (found != NULL && strcmp (found + strlen ("Signature="), expected) == 0)
    return TRUE;

  {
    g_auto(GStrv) lines = g_strsplit (sent->str, "\r\n", -1);

    g_string_append_printf (diagnosis, "request line \"%s\"; %s", lines[0],
                            strstr (authorization, "SignedHeaders="));
  }
  return FALSE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = argc > 1 ? g_strdup (argv[1]) : suite_dir ();
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;
  guint passed = 0;
  int port = 0;
  int fd;

  if (dir == NULL || (listing = g_dir_open (dir, 0, NULL)) == NULL)
    {
      fprintf (stderr, "sigv4-curl-probe: no test suite at %s\n", dir != NULL ? dir : "(DBT_SHARED_DIR unset)");
      return 2;
    }
  fd = listen_loopback (&port);
  if (fd < 0)
    {
      perror ("sigv4-curl-probe: loopback listener");
      return 2;
    }
  while ((entry = g_dir_read_name (listing)) != NULL)
    g_ptr_array_add (names, g_strdup (entry));
  g_ptr_array_sort (names, compare_strings);

  curl_global_init (CURL_GLOBAL_DEFAULT);
  printf ("%s\n", curl_version ());
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *case_dir = g_build_filename (dir, name, NULL);
      g_autoptr(GString) diagnosis = g_string_new (NULL);
      gboolean ok = probe_case (case_dir, port, diagnosis);

      passed += ok;
      printf ("%-42s %s%s\n", name, ok ? "same signature" : "DIFFERENT: ", diagnosis->str);
    }
  printf ("curl CURLOPT_AWS_SIGV4: %u of %u suite cases signed as expected\n", passed, names->len);
  curl_global_cleanup ();
  close (fd);
  return 0;
}
