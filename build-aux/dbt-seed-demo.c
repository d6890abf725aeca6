/* dbt-seed-demo.c — a few demo orders for the local stack, so the console
 * has something to show on first run.
 *
 *   dbt-seed-demo TABLE
 *
 * Talks to the endpoint in the environment (AWS_ENDPOINT_URL and the test
 * credentials of the local stack's stack.env). Writes nothing when the
 * table already holds items, so running it twice is harmless.
 */
#include <stdio.h>

#include "dbt-dynamodb.h"
#include "dbt-value.h"

typedef struct
{
  const char *pk;
  const char *owner;
  const char *customer;
  const char *total;
  const char *status;
} DemoOrder;

static const DemoOrder orders[] = {
  { "order-1001", "alice", "Ada Lovelace",        "129.90",                                  "shipped" },
  { "order-1002", "alice", "Grace Hopper",        "2450",                                    "open" },
  { "order-1003", "alice", "Zoë Ångström",        "0.01",                                    "open" },
  { "order-1004", "bob",   "Alan Turing",         "99.5",                                    "cancelled" },
  { "order-1005", "bob",   "Edsger Dijkstra",     "12345678901234567890123456789012345678", "open" },
  { "order-1006", "bob",   "Barbara Liskov",      "310.00",                                  "shipped" },
  { "order-1007", "carol", "Donald Knuth",        "2.56E+2",                                 "open" },
  { "order-1008", "carol", "Margaret Hamilton",   "1969.07",                                 "delivered" },
};

static DbtValue *
string_value (const char *s)
{
  return dbt_value_new_string (s, NULL);
}

static DbtItem *
order_item (const DemoOrder *order,
            GError         **error)
{
  g_autoptr(DbtItem) item = dbt_item_new ();
  g_autoptr(DbtItem) address = dbt_item_new ();
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();
  g_autoptr(DbtValue) total = NULL;
  g_autoptr(DbtValue) tag_set = NULL;
  g_autoptr(DbtValue) pk = string_value (order->pk);
  g_autoptr(DbtValue) owner = string_value (order->owner);
  g_autoptr(DbtValue) customer = string_value (order->customer);
  g_autoptr(DbtValue) status = string_value (order->status);
  g_autoptr(DbtValue) city = string_value ("Zürich");
  g_autoptr(DbtValue) zip = NULL;
  g_autoptr(DbtValue) address_value = NULL;
  g_autoptr(DbtValue) gift = dbt_value_new_bool (g_str_equal (order->owner, "carol"));

  total = dbt_value_new_number (order->total, error);
  zip = dbt_value_new_number ("8001", error);
  if (total == NULL || zip == NULL)
    return NULL;
  g_ptr_array_add (tags, (gpointer) order->status);
  g_ptr_array_add (tags, (gpointer) "demo");
  tag_set = dbt_value_new_set (DBT_VALUE_SS, tags, error);
  if (tag_set == NULL)
    return NULL;

  dbt_item_set (address, "city", city);
  dbt_item_set (address, "zip", zip);
  address_value = dbt_value_new_map (address);

  dbt_item_set (item, "pk", pk);
  dbt_item_set (item, "owner", owner);
  dbt_item_set (item, "customer", customer);
  dbt_item_set (item, "total", total);
  dbt_item_set (item, "status", status);
  dbt_item_set (item, "tags", tag_set);
  dbt_item_set (item, "address", address_value);
  dbt_item_set (item, "gift", gift);
  return g_steal_pointer (&item);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbtAwsConfig) config = NULL;
  g_autoptr(DbtAwsClient) client = NULL;
  DbtItemPage *page;
  DbtReadOptions probe = { .limit = 1 };
  gboolean empty;

  if (argc != 2)
    {
      g_printerr ("usage: %s TABLE\n", argv[0]);
      return 2;
    }

  config = dbt_aws_config_load (NULL, &error);
  if (config == NULL)
    {
      g_printerr ("dbt-seed-demo: %s\n", error->message);
      return 1;
    }
  client = dbt_aws_client_new (config);

  page = dbt_dynamodb_scan (client, argv[1], &probe, NULL, &error);
  if (page == NULL)
    {
      g_printerr ("dbt-seed-demo: %s\n", error->message);
      return 1;
    }
  empty = page->items->len == 0;
  dbt_item_page_free (page);
  if (!empty)
    {
      g_print ("dbt-seed-demo: %s already holds items; nothing written\n", argv[1]);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      g_autoptr(DbtItem) item = order_item (&orders[i], &error);

      if (item == NULL ||
          !dbt_dynamodb_put_item (client, argv[1], item, NULL, NULL, NULL, NULL, &error))
        {
          g_printerr ("dbt-seed-demo: %s: %s\n", orders[i].pk, error->message);
          return 1;
        }
    }
  g_print ("dbt-seed-demo: wrote %u demo orders to %s\n", (guint) G_N_ELEMENTS (orders), argv[1]);
  return 0;
}
