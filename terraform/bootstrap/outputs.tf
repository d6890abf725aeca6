output "deploy_role_arn" {
  description = "Repository secret AWS_DEPLOY_ROLE_ARN."
  value       = aws_iam_role.deploy.arn
}

output "plan_role_arn" {
  description = "Repository secret AWS_PLAN_ROLE_ARN."
  value       = aws_iam_role.plan.arn
}

output "repository_variables" {
  description = "Repository variables the workflows read (besides PRODUCTION_TFVARS)."
  value = {
    AWS_REGION      = var.region
    TF_STATE_BUCKET = aws_s3_bucket.state.id
    TF_STATE_KEY    = var.state_key
    TF_LOCK_TABLE   = aws_dynamodb_table.lock.name
  }
}
