# The handler function, its log group, and the stream mapping that feeds it.

locals {
  function_name = "${var.name}-handler"
}

# Created here (not by Lambda on first write) so it carries a retention and
# tags, and so the role can be scoped to it.
resource "aws_cloudwatch_log_group" "handler" {
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_lambda_function" "handler" {
  function_name = local.function_name
  description   = "dbtrigger: turns changes of ${local.table_name} into owner notifications"
  role          = aws_iam_role.handler.arn

  runtime       = "provided.al2023"
  architectures = ["x86_64"]
  handler       = "bootstrap"
  memory_size   = var.lambda_memory_mb
  timeout       = var.lambda_timeout_seconds

  s3_bucket        = aws_s3_object.handler.bucket
  s3_key           = aws_s3_object.handler.key
  source_code_hash = local.handler_sha256_base64

  environment {
    variables = {
      TABLE_NAME            = aws_dynamodb_table.items.name
      TOPIC_ARN             = aws_sns_topic.notifications.arn
      LOG_TABLE             = aws_dynamodb_table.notification_log.name
      OWNER_ATTRIBUTE       = var.owner_attribute
      IGNORED_ATTRIBUTES    = join(",", var.ignored_attributes)
      NOTIFICATION_TTL_DAYS = tostring(var.notification_ttl_days)
      # A claim older than the timeout belongs to an attempt that cannot
      # still be running, so the handler may take it over.
      FUNCTION_TIMEOUT_SECONDS = tostring(var.lambda_timeout_seconds)
    }
  }

  depends_on = [
    aws_cloudwatch_log_group.handler,
    aws_iam_role_policy.handler,
  ]
}

resource "aws_lambda_event_source_mapping" "items_stream" {
  function_name     = aws_lambda_function.handler.arn
  event_source_arn  = aws_dynamodb_table.items.stream_arn
  starting_position = "TRIM_HORIZON"

  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.maximum_batching_window_in_seconds

  # The handler reports the first record it could not notify; Lambda retries
  # from there, halving a failing batch until the poison record is alone,
  # then hands it to the failed-batches queue so the shard moves on.
  function_response_types        = ["ReportBatchItemFailures"]
  bisect_batch_on_function_error = true
  maximum_retry_attempts         = var.maximum_retry_attempts
  maximum_record_age_in_seconds  = var.maximum_record_age_in_seconds

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.failed_batches.arn
    }
  }

  # Lambda checks the role's stream and queue permissions when the mapping
  # is created.
  depends_on = [aws_iam_role_policy.handler]
}
