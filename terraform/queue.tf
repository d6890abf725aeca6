# Failed batches: when a batch still fails after its retries (or its records
# grow too old), Lambda sends a description of it here instead of blocking
# the shard. The console lists these.

resource "aws_sqs_queue" "failed_batches" {
  name                      = "${var.name}-failed-batches"
  message_retention_seconds = var.dlq_message_retention_seconds

  sqs_managed_sse_enabled = var.kms_key_arn == null ? true : null
  kms_master_key_id       = var.kms_key_arn
}
