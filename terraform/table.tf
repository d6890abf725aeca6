# The items table (its stream drives the handler) and the notification log
# (the handler's idempotency record, and the console's delivered-notifications
# view).

locals {
  table_name     = coalesce(var.table_name, "${var.name}-items")
  log_table_name = "${var.name}-notification-log"

  table_key_attributes = concat(
    [var.table_hash_key],
    var.table_range_key == null ? [] : [var.table_range_key],
  )

  # Index on the notification log: the console lists an owner's latest
  # notifications with Query(owner = X, ScanIndexForward = false).
  log_owner_index = "owner-sentAt-index"
}

resource "aws_dynamodb_table" "items" {
  name         = local.table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = var.table_hash_key.name
  range_key    = try(var.table_range_key.name, null)

  dynamic "attribute" {
    for_each = local.table_key_attributes
    content {
      name = attribute.value.name
      type = attribute.value.type
    }
  }

  # The handler diffs old and new images to decide who hears about what.
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }
}

# One item per (stream record, owner) notified:
#   pk        S  "<eventID>#<owner>"   conditional put makes delivery effectively-once
#   owner     S  owner id              partition of owner-sentAt-index
#   sentAt    S  ISO 8601 UTC time     sort key of owner-sentAt-index
#   expiresAt N  epoch seconds         TTL: now + notification_ttl_days
resource "aws_dynamodb_table" "notification_log" {
  name         = local.log_table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "owner"
    type = "S"
  }

  attribute {
    name = "sentAt"
    type = "S"
  }

  global_secondary_index {
    name            = local.log_owner_index
    hash_key        = "owner"
    range_key       = "sentAt"
    projection_type = "ALL"
  }

  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }
}
