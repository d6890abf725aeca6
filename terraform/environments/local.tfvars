# The local stack (moto_server on loopback). Its port changes on every start,
# so build-aux/terraform-local.sh adds -var endpoint_url=$AWS_ENDPOINT_URL
# (and -var handler_zip=<the zip it deploys>) on top of this file:
#
#   build-aux/terraform-local.sh apply [--dir STACK_DIR] [--zip PATH]

region = "us-east-1"
name   = "dbtrigger"

table_name       = "dbtrigger-items"
table_hash_key   = { name = "pk", type = "S" }
table_range_key  = null
code_bucket_name = "dbtrigger-code"

# Throw-away stack: destroy removes the code bucket with its zips.
code_bucket_force_destroy = true

# Relative to terraform/; the script passes the zip it deploys explicitly.
handler_zip = "../build/handler/dbtrigger-handler.zip"

owner_attribute       = "owner"
ignored_attributes    = ["updatedAt"]
notification_ttl_days = 30

owners = {
  alice = ["alice@example.com"]
  bob   = ["bob@example.com"]
}

lambda_memory_mb       = 256
lambda_timeout_seconds = 60
log_retention_days     = 7

# Small batches and a short window keep the local runner's feedback quick.
batch_size                         = 100
maximum_batching_window_in_seconds = 1
maximum_retry_attempts             = 3
maximum_record_age_in_seconds      = 3600

ops_email = ""

tags = {
  Environment = "local"
}
