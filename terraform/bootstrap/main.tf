# Created once, by hand, with administrator credentials (terraform/README.md,
# "Real AWS"): the production state's bucket and lock table, the account's
# GitHub OIDC provider, and the two roles the workflows assume. Its own small
# state stays local (keep it, or move it into the bucket afterwards).

data "aws_caller_identity" "current" {}

locals {
  account_id  = data.aws_caller_identity.current.account_id
  github_oidc = "token.actions.githubusercontent.com"

  # terraform/deploy-role-policy.json with its placeholders filled in.
  deploy_policy = jsondecode(templatefile("${path.module}/../deploy-role-policy.json", {
    AccountId   = local.account_id
    Region      = var.region
    Prefix      = var.prefix
    ItemsTable  = var.items_table
    StateBucket = var.state_bucket
    StateKey    = var.state_key
    LockTable   = var.lock_table
  }))

  # The plan role gets the same policy's read statements (Sid Read*) only.
  plan_policy = {
    Version   = local.deploy_policy.Version
    Statement = [for s in local.deploy_policy.Statement : s if startswith(s.Sid, "Read")]
  }

  oidc_provider_arn = (var.create_oidc_provider
    ? aws_iam_openid_connect_provider.github[0].arn
  : "arn:aws:iam::${local.account_id}:oidc-provider/${local.github_oidc}")
}

# --- state -------------------------------------------------------------------

resource "aws_s3_bucket" "state" {
  bucket = var.state_bucket

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket = aws_s3_bucket.state.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# TLS only.
resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })

  depends_on = [aws_s3_bucket_public_access_block.state]
}

resource "aws_dynamodb_table" "lock" {
  name         = var.lock_table
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "LockID"

  attribute {
    name = "LockID"
    type = "S"
  }

  server_side_encryption {
    enabled = true
  }

  point_in_time_recovery {
    enabled = true
  }

  lifecycle {
    prevent_destroy = true
  }
}

# --- GitHub OIDC ---------------------------------------------------------------

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 1 : 0

  url            = "https://${local.github_oidc}"
  client_id_list = ["sts.amazonaws.com"]
}

# Deploy role: only jobs running in the production environment, which allows
# the main branch only (repository Settings > Environments > production >
# Deployment branches), get its token subject.
data "aws_iam_policy_document" "trust_deploy" {
  statement {
    sid     = "GitHubProductionEnvironment"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc}:sub"
      values   = ["repo:${var.github_repository}:environment:${var.deploy_environment}"]
    }
  }
}

# Plan role: read-only, for plans of pull requests and of main.
data "aws_iam_policy_document" "trust_plan" {
  statement {
    sid     = "GitHubPullRequestsAndMain"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc}:sub"
      values = [
        "repo:${var.github_repository}:pull_request",
        "repo:${var.github_repository}:ref:refs/heads/main",
      ]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name                 = "${var.prefix}-github-deploy"
  description          = "Plans, applies and destroys the dbtrigger production stack from GitHub Actions (production environment)"
  assume_role_policy   = data.aws_iam_policy_document.trust_deploy.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "deploy" {
  name   = "${var.prefix}-deploy"
  role   = aws_iam_role.deploy.id
  policy = jsonencode(local.deploy_policy)
}

resource "aws_iam_role" "plan" {
  name                 = "${var.prefix}-github-plan"
  description          = "Plans the dbtrigger production stack from GitHub Actions (read only)"
  assume_role_policy   = data.aws_iam_policy_document.trust_plan.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "plan" {
  name   = "${var.prefix}-plan"
  role   = aws_iam_role.plan.id
  policy = jsonencode(local.plan_policy)
}
