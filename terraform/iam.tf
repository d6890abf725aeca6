# The handler's role: exactly the actions it needs, each on the ARN of the
# one resource it touches. No "*" action or resource.

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    sid     = "LambdaAssumesRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "handler" {
  name               = "${var.name}-handler"
  description        = "Execution role of the dbtrigger handler"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

data "aws_iam_policy_document" "handler" {
  # The stream mapping reads the items table's stream on the function's
  # behalf with these permissions.
  statement {
    sid    = "ReadItemsStream"
    effect = "Allow"
    actions = [
      "dynamodb:DescribeStream",
      "dynamodb:GetRecords",
      "dynamodb:GetShardIterator",
    ]
    resources = [aws_dynamodb_table.items.stream_arn]
  }

  # ListStreams is authorized against the table's stream ARNs
  # (table/<name>/stream/<label>); the label is only known once the stream
  # exists and changes if it is ever re-enabled, so this statement names the
  # streams of this one table, as in the DynamoDB guide's
  # "read access for a DynamoDB stream only" policy.
  statement {
    sid       = "ListItemsStreams"
    effect    = "Allow"
    actions   = ["dynamodb:ListStreams"]
    resources = ["${aws_dynamodb_table.items.arn}/stream/*"]
  }

  # Conditional put keyed by eventID#owner: the effectively-once record.
  # GetItem reads an entry's state after a refused claim; UpdateItem marks
  # it SENT or takes over a stale claim; DeleteItem releases a claim whose
  # publish failed, so the retry sends exactly that message.
  statement {
    sid       = "WriteNotificationLog"
    effect    = "Allow"
    actions   = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
    resources = [aws_dynamodb_table.notification_log.arn]
  }

  # PublishBatch is authorized as sns:Publish.
  statement {
    sid       = "PublishNotifications"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.notifications.arn]
  }

  # The mapping's on-failure destination sends with the function's role.
  statement {
    sid       = "SendFailedBatches"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.failed_batches.arn]
  }

  statement {
    sid       = "WriteOwnLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.handler.arn}:log-stream:*"]
  }

  # Only with a customer managed key: the AWS managed keys' own policies
  # already let services in the account use them.
  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "UseCustomerManagedKey"
      effect    = "Allow"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "handler" {
  name   = "${var.name}-handler"
  role   = aws_iam_role.handler.id
  policy = data.aws_iam_policy_document.handler.json
}
