# Alarms on the three ways the pipeline goes wrong: it falls behind the
# stream, the handler fails, or batches end up in the failed-batches queue.
# With ops_email set they notify it through their own topic; without, they
# still exist (visible in the console) with no actions.

resource "aws_sns_topic" "ops" {
  count = var.ops_email == "" ? 0 : 1

  name = "${var.name}-ops"
  # CloudWatch cannot publish to a topic encrypted with the AWS managed key
  # alias/aws/sns (its key policy cannot be changed to admit CloudWatch), so
  # this topic is encrypted only with a customer managed key.
  kms_master_key_id = var.kms_key_arn
}

resource "aws_sns_topic_subscription" "ops" {
  count = var.ops_email == "" ? 0 : 1

  topic_arn = aws_sns_topic.ops[0].arn
  protocol  = "email"
  endpoint  = var.ops_email
}

locals {
  alarm_actions = aws_sns_topic.ops[*].arn
}

resource "aws_cloudwatch_metric_alarm" "iterator_age" {
  alarm_name        = "${local.function_name}-iterator-age"
  alarm_description = "The handler is falling behind the ${local.table_name} stream (records wait longer than ${var.iterator_age_alarm_ms} ms)."

  namespace   = "AWS/Lambda"
  metric_name = "IteratorAge"
  dimensions  = { FunctionName = aws_lambda_function.handler.function_name }
  statistic   = "Maximum"
  period      = var.alarm_period_seconds

  comparison_operator = "GreaterThanThreshold"
  threshold           = var.iterator_age_alarm_ms
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name        = "${local.function_name}-errors"
  alarm_description = "The handler failed invocations; failing batches are retried, then sent to the failed-batches queue."

  namespace   = "AWS/Lambda"
  metric_name = "Errors"
  dimensions  = { FunctionName = aws_lambda_function.handler.function_name }
  statistic   = "Sum"
  period      = var.alarm_period_seconds

  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.errors_alarm_threshold
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "failed_batches" {
  alarm_name        = "${var.name}-failed-batches"
  alarm_description = "Stream records gave up after their retries and wait in ${aws_sqs_queue.failed_batches.name}; their owners were not notified."

  namespace   = "AWS/SQS"
  metric_name = "ApproximateNumberOfMessagesVisible"
  dimensions  = { QueueName = aws_sqs_queue.failed_batches.name }
  statistic   = "Maximum"
  period      = var.alarm_period_seconds

  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}
