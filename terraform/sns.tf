# The notifications topic and one e-mail subscription per owner address. The
# handler publishes with the message attribute owner = <id>; each
# subscription's filter policy lets through only its owner's messages, and
# SNS delivers only to confirmed (authenticated) addresses.

locals {
  owner_subscriptions = merge([
    for owner, emails in var.owners : {
      for email in emails : "${owner}/${email}" => { owner = owner, email = email }
    }
  ]...)
}

resource "aws_sns_topic" "notifications" {
  name              = "${var.name}-notifications"
  kms_master_key_id = coalesce(var.kms_key_arn, "alias/aws/sns")
}

resource "aws_sns_topic_subscription" "owner" {
  for_each = local.owner_subscriptions

  topic_arn           = aws_sns_topic.notifications.arn
  protocol            = "email"
  endpoint            = each.value.email
  filter_policy_scope = "MessageAttributes"
  filter_policy       = jsonencode({ owner = [each.value.owner] })
}
