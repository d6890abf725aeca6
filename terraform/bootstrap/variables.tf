variable "region" {
  description = "Region of the state bucket, the lock table and the production stack."
  type        = string
}

variable "github_repository" {
  description = "The repository whose workflows deploy, as owner/name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "state_bucket" {
  description = "Name of the S3 bucket for the production state (globally unique)."
  type        = string
}

variable "state_key" {
  description = "Key of the production state in the bucket (repository variable TF_STATE_KEY)."
  type        = string
  default     = "dbtrigger/production.tfstate"
}

variable "lock_table" {
  description = "Name of the DynamoDB table that locks the state."
  type        = string
  default     = "dbtrigger-terraform-locks"
}

variable "prefix" {
  description = "The production stack's var.name: every resource it creates is named after it."
  type        = string
  default     = "dbtrigger"
}

variable "items_table" {
  description = "The production stack's items table (var.table_name, or <prefix>-items when that is null)."
  type        = string
}

variable "create_oidc_provider" {
  description = "Create the account's GitHub OIDC provider; false when the account already has one."
  type        = bool
  default     = true
}

variable "deploy_environment" {
  description = "GitHub environment whose jobs may assume the deploy role."
  type        = string
  default     = "production"
}
