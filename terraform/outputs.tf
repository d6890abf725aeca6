# build-aux/terraform-local.sh writes these as JSON to
# <stack dir>/terraform-outputs.json for the console and the local runner.

output "region" {
  description = "Region everything lives in."
  value       = var.region
}

# Empty strings rather than null: terraform output -json leaves null outputs
# out, and readers should find every key.
output "endpoint_url" {
  description = "The single endpoint of every service (the local stack); empty for real AWS."
  value       = var.endpoint_url == null ? "" : var.endpoint_url
}

output "table_name" {
  description = "Items table."
  value       = aws_dynamodb_table.items.name
}

output "table_arn" {
  description = "ARN of the items table."
  value       = aws_dynamodb_table.items.arn
}

output "table_stream_arn" {
  description = "ARN of the items table's stream (NEW_AND_OLD_IMAGES) that feeds the handler."
  value       = aws_dynamodb_table.items.stream_arn
}

output "owner_attribute" {
  description = "Item attribute that names an item's owner."
  value       = var.owner_attribute
}

output "log_table_name" {
  description = "Notification log table (pk = <eventID>#<owner>, TTL on expiresAt)."
  value       = aws_dynamodb_table.notification_log.name
}

output "log_table_arn" {
  description = "ARN of the notification log table."
  value       = aws_dynamodb_table.notification_log.arn
}

output "log_table_owner_index" {
  description = "Index of the notification log by owner (partition) and sentAt (sort, ISO 8601): an owner's latest notifications."
  value       = local.log_owner_index
}

output "topic_arn" {
  description = "Notifications topic the handler publishes to."
  value       = aws_sns_topic.notifications.arn
}

output "owner_subscription_arns" {
  description = "\"<owner>/<email>\" => subscription ARN, for every address in var.owners."
  value       = { for key, sub in aws_sns_topic_subscription.owner : key => sub.arn }
}

output "function_name" {
  description = "Handler Lambda function."
  value       = aws_lambda_function.handler.function_name
}

output "function_arn" {
  description = "ARN of the handler Lambda function."
  value       = aws_lambda_function.handler.arn
}

output "function_role_arn" {
  description = "Execution role of the handler."
  value       = aws_iam_role.handler.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the handler."
  value       = aws_cloudwatch_log_group.handler.name
}

output "event_source_mapping_uuid" {
  description = "UUID of the stream-to-handler event source mapping."
  value       = aws_lambda_event_source_mapping.items_stream.uuid
}

output "queue_url" {
  description = "URL of the failed-batches queue (the mapping's on-failure destination)."
  value       = aws_sqs_queue.failed_batches.url
}

output "queue_arn" {
  description = "ARN of the failed-batches queue."
  value       = aws_sqs_queue.failed_batches.arn
}

output "code_bucket" {
  description = "S3 bucket holding the handler zips."
  value       = aws_s3_bucket.code.id
}

output "handler_s3_key" {
  description = "Key of the deployed handler zip in the code bucket (dbtrigger-handler/<hex sha256>.zip)."
  value       = aws_s3_object.handler.key
}

output "handler_code_sha256" {
  description = "Base64 SHA-256 of the deployed zip, as Lambda reports it in CodeSha256."
  value       = local.handler_sha256_base64
}

output "ops_topic_arn" {
  description = "Topic the alarms notify; empty when ops_email is empty."
  value       = try(aws_sns_topic.ops[0].arn, "")
}

output "alarm_names" {
  description = "CloudWatch alarms on the pipeline."
  value = [
    aws_cloudwatch_metric_alarm.iterator_age.alarm_name,
    aws_cloudwatch_metric_alarm.errors.alarm_name,
    aws_cloudwatch_metric_alarm.failed_batches.alarm_name,
  ]
}
