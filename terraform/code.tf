# The code bucket. The handler zip is stored as an object named after its
# SHA-256 so every build has its own key; the local runner finds the zip a
# function runs by the function's CodeSha256 (the object carries it as the
# metadata x-amz-meta-codesha256, base64 like Lambda's CodeSha256).

data "aws_caller_identity" "current" {}

locals {
  code_bucket_name = coalesce(
    var.code_bucket_name,
    "${replace(lower(var.name), "_", "-")}-code-${data.aws_caller_identity.current.account_id}-${var.region}",
  )
  handler_sha256_base64 = filebase64sha256(var.handler_zip)
  handler_s3_key        = "dbtrigger-handler/${filesha256(var.handler_zip)}.zip"
}

resource "aws_s3_bucket" "code" {
  bucket        = local.code_bucket_name
  force_destroy = var.code_bucket_force_destroy

  lifecycle {
    precondition {
      condition     = length(local.code_bucket_name) <= 63
      error_message = "The derived code bucket name ${local.code_bucket_name} is longer than 63 characters; set code_bucket_name."
    }
  }
}

resource "aws_s3_bucket_versioning" "code" {
  bucket = aws_s3_bucket.code.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "code" {
  bucket = aws_s3_bucket.code.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

resource "aws_s3_bucket_public_access_block" "code" {
  bucket = aws_s3_bucket.code.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "code" {
  bucket = aws_s3_bucket.code.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_object" "handler" {
  bucket      = aws_s3_bucket.code.id
  key         = local.handler_s3_key
  source      = var.handler_zip
  source_hash = local.handler_sha256_base64

  content_type = "application/zip"
  metadata = {
    codesha256 = local.handler_sha256_base64
  }

  # Written only after the bucket encrypts by default.
  depends_on = [aws_s3_bucket_server_side_encryption_configuration.code]

  # A new build gets a new key: upload it before the old object goes, so
  # the zip the function runs is in the bucket at every moment.
  lifecycle {
    create_before_destroy = true
  }
}
