# One provider for real AWS and for the local stack. When endpoint_url is set
# (environments/local.tfvars plus -var endpoint_url=... from
# build-aux/terraform-local.sh) every service the configuration touches is
# pointed at that one address and the checks that need real AWS are skipped.
# For real AWS endpoint_url stays null and credentials come from the usual
# chain (environment, profile, instance role); nothing here is hard-coded.

locals {
  local_stack = var.endpoint_url != null

  tags = merge(var.tags, { Project = "dbtrigger" })
}

provider "aws" {
  region = var.region

  access_key = local.local_stack ? var.local_access_key : null
  secret_key = local.local_stack ? var.local_secret_key : null

  skip_credentials_validation = local.local_stack
  skip_requesting_account_id  = local.local_stack
  skip_metadata_api_check     = local.local_stack
  s3_use_path_style           = local.local_stack

  dynamic "endpoints" {
    for_each = local.local_stack ? [var.endpoint_url] : []
    content {
      cloudwatch = endpoints.value
      dynamodb   = endpoints.value
      iam        = endpoints.value
      kms        = endpoints.value
      lambda     = endpoints.value
      logs       = endpoints.value
      s3         = endpoints.value
      sns        = endpoints.value
      sqs        = endpoints.value
      sts        = endpoints.value
    }
  }

  default_tags {
    tags = local.tags
  }
}
