# --- where -------------------------------------------------------------------

variable "region" {
  description = "AWS region everything is created in."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must look like an AWS region, e.g. us-east-1."
  }
}

variable "endpoint_url" {
  description = "One endpoint for every AWS service (the local stack, e.g. http://127.0.0.1:5000). null means real AWS. build-aux/terraform-local.sh passes it with -var because the local stack's port changes on every start."
  type        = string
  default     = null

  validation {
    condition     = var.endpoint_url == null || can(regex("^https?://[^\\s/]+(/.*)?$", var.endpoint_url))
    error_message = "endpoint_url must be an http:// or https:// URL, or null for real AWS."
  }
}

variable "local_access_key" {
  description = "Access key sent to the local stack; used only when endpoint_url is set (the emulator accepts any)."
  type        = string
  default     = "testing"
  sensitive   = true
}

variable "local_secret_key" {
  description = "Secret key sent to the local stack; used only when endpoint_url is set (the emulator accepts any)."
  type        = string
  default     = "testing"
  sensitive   = true
}

variable "tags" {
  description = "Tags added to every resource, on top of Project = \"dbtrigger\"."
  type        = map(string)
  default     = {}
}

# --- names -------------------------------------------------------------------

variable "name" {
  description = "Prefix of every resource name: <name>-items, <name>-notification-log, <name>-notifications, <name>-failed-batches, <name>-handler."
  type        = string
  default     = "dbtrigger"

  validation {
    # The tightest rule among the names derived from it: Lambda function and
    # SQS queue names ([A-Za-z0-9_-], 64 characters with the longest suffix).
    condition     = can(regex("^[A-Za-z0-9_-]{1,40}$", var.name))
    error_message = "name must be 1-40 characters of letters, digits, '-' and '_'."
  }
}

variable "table_name" {
  description = "Name of the items table whose changes are notified; null means <name>-items."
  type        = string
  default     = null

  validation {
    condition     = var.table_name == null || can(regex("^[A-Za-z0-9_.-]{3,255}$", var.table_name))
    error_message = "table_name must be 3-255 characters of letters, digits, '_', '-' and '.'."
  }
}

variable "code_bucket_name" {
  description = "S3 bucket that holds the handler zips; null means <name>-code-<account id>-<region> (bucket names are global)."
  type        = string
  default     = null

  validation {
    condition = var.code_bucket_name == null || (
      can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.code_bucket_name)) &&
      !can(regex("\\.\\.|^\\d+\\.\\d+\\.\\d+\\.\\d+$", var.code_bucket_name))
    )
    error_message = "code_bucket_name must follow S3 bucket naming rules: 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit."
  }
}

variable "code_bucket_force_destroy" {
  description = "Let terraform destroy delete the code bucket with the handler zips still in it. Handy for throw-away stacks; keep false in production."
  type        = bool
  default     = false
}

# --- the items table ---------------------------------------------------------

variable "table_hash_key" {
  description = "Partition key of the items table: attribute name and type (S, N or B)."
  type = object({
    name = string
    type = string
  })
  default = { name = "pk", type = "S" }

  validation {
    condition     = contains(["S", "N", "B"], var.table_hash_key.type) && length(var.table_hash_key.name) >= 1 && length(var.table_hash_key.name) <= 255
    error_message = "table_hash_key.type must be S, N or B and its name 1-255 characters."
  }
}

variable "table_range_key" {
  description = "Optional sort key of the items table (name and type S, N or B); null for a table with a partition key only."
  type = object({
    name = string
    type = string
  })
  default = null

  validation {
    condition = var.table_range_key == null || (
      contains(["S", "N", "B"], try(var.table_range_key.type, "")) &&
      length(try(var.table_range_key.name, "")) >= 1 &&
      length(try(var.table_range_key.name, "")) <= 255
    )
    error_message = "table_range_key.type must be S, N or B and its name 1-255 characters."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups (point-in-time recovery) on the items table."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "Customer managed KMS key (key ARN) for the tables, the topics and the queue. null uses the AWS managed keys (alias/aws/dynamodb, alias/aws/sns) and SQS-managed encryption; the handler's role is granted kms:Decrypt and kms:GenerateDataKey on this key only when it is set."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias."
  }
}

# --- who is notified ---------------------------------------------------------

variable "owner_attribute" {
  description = "Item attribute that names the item's owner; each owner is notified about their own items only."
  type        = string
  default     = "owner"

  validation {
    condition     = length(var.owner_attribute) >= 1 && length(var.owner_attribute) <= 255
    error_message = "owner_attribute must be 1-255 characters."
  }
}

variable "ignored_attributes" {
  description = "Attributes whose changes alone never notify (a MODIFY that only touches these sends nothing), e.g. bookkeeping timestamps."
  type        = list(string)
  default     = ["updatedAt"]

  validation {
    condition     = alltrue([for a in var.ignored_attributes : length(a) >= 1 && !strcontains(a, ",")])
    error_message = "ignored_attributes must be non-empty names without commas (they travel comma-separated)."
  }
}

variable "owners" {
  description = "Owner id => e-mail addresses. Each address gets an SNS e-mail subscription with the filter policy {\"owner\": [\"<owner id>\"]} on message attributes; the owner is authenticated once they confirm it. SNS allows 200 filter policies per topic by default."
  type        = map(list(string))
  default     = {}

  validation {
    condition = alltrue(flatten([
      for owner, emails in var.owners : [
        for email in emails : can(regex("^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$", email))
      ]
    ]))
    error_message = "Every address in owners must be a valid e-mail address."
  }

  validation {
    condition     = alltrue([for owner, emails in var.owners : length(owner) >= 1 && length(emails) >= 1 && length(distinct(emails)) == length(emails)])
    error_message = "Every owner needs a non-empty id and at least one address, each listed once."
  }

  validation {
    condition     = length(flatten(values(var.owners))) <= 200
    error_message = "At most 200 subscriptions with filter policies per topic (the SNS default quota)."
  }
}

variable "notification_ttl_days" {
  description = "How long a notification-log entry lives (DynamoDB TTL on expiresAt). It must outlast every retry of a record so a redelivered record is never notified twice."
  type        = number
  default     = 30

  validation {
    condition     = var.notification_ttl_days >= 1 && var.notification_ttl_days <= 365 && floor(var.notification_ttl_days) == var.notification_ttl_days
    error_message = "notification_ttl_days must be a whole number of days from 1 to 365."
  }
}

# --- the handler -------------------------------------------------------------

variable "handler_zip" {
  description = "Path of the packaged handler zip (build/handler/dbtrigger-handler.zip); uploaded to the code bucket under dbtrigger-handler/<sha256>.zip."
  type        = string

  validation {
    condition     = endswith(var.handler_zip, ".zip") && fileexists(var.handler_zip)
    error_message = "handler_zip must name an existing .zip file (build the handler first)."
  }
}

variable "lambda_memory_mb" {
  description = "Memory of the handler function in MB (CPU grows with it)."
  type        = number
  default     = 256

  validation {
    condition     = var.lambda_memory_mb >= 128 && var.lambda_memory_mb <= 10240 && floor(var.lambda_memory_mb) == var.lambda_memory_mb
    error_message = "lambda_memory_mb must be a whole number from 128 to 10240."
  }
}

variable "lambda_timeout_seconds" {
  description = "Timeout of one handler invocation (one batch) in seconds."
  type        = number
  default     = 60

  validation {
    condition     = var.lambda_timeout_seconds >= 1 && var.lambda_timeout_seconds <= 900 && floor(var.lambda_timeout_seconds) == var.lambda_timeout_seconds
    error_message = "lambda_timeout_seconds must be a whole number from 1 to 900."
  }
}

variable "log_retention_days" {
  description = "Retention of the handler's CloudWatch log group, in days (0 keeps logs forever)."
  type        = number
  default     = 30

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of the values CloudWatch Logs allows: 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

# --- the stream mapping ------------------------------------------------------

variable "batch_size" {
  description = "Most stream records handed to one invocation."
  type        = number
  default     = 100

  validation {
    condition     = var.batch_size >= 1 && var.batch_size <= 10000 && floor(var.batch_size) == var.batch_size
    error_message = "batch_size must be a whole number from 1 to 10000."
  }
}

variable "maximum_batching_window_in_seconds" {
  description = "How long Lambda gathers records before invoking. A window of a few seconds coalesces a burst of writes to the same items into one batch, so the handler sends each owner one digest instead of one e-mail per write (and stays below SNS's 10 e-mails/s per address). 0 invokes as soon as records arrive."
  type        = number
  default     = 5

  validation {
    condition     = var.maximum_batching_window_in_seconds >= 0 && var.maximum_batching_window_in_seconds <= 300 && floor(var.maximum_batching_window_in_seconds) == var.maximum_batching_window_in_seconds
    error_message = "maximum_batching_window_in_seconds must be a whole number from 0 to 300."
  }
}

variable "maximum_retry_attempts" {
  description = "Retries of a failing batch before its records go to the failed-batches queue (-1 retries until the record expires)."
  type        = number
  default     = 5

  validation {
    condition     = var.maximum_retry_attempts >= -1 && var.maximum_retry_attempts <= 10000 && floor(var.maximum_retry_attempts) == var.maximum_retry_attempts
    error_message = "maximum_retry_attempts must be a whole number from -1 to 10000."
  }
}

variable "maximum_record_age_in_seconds" {
  description = "Records older than this are not retried but sent to the failed-batches queue (-1: no limit, up to the stream's 24 h retention)."
  type        = number
  default     = 3600

  validation {
    condition     = var.maximum_record_age_in_seconds == -1 || (var.maximum_record_age_in_seconds >= 60 && var.maximum_record_age_in_seconds <= 604800)
    error_message = "maximum_record_age_in_seconds must be -1 or from 60 to 604800."
  }
}

variable "dlq_message_retention_seconds" {
  description = "How long the failed-batches queue keeps a failure record (the console shows them)."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dlq_message_retention_seconds >= 60 && var.dlq_message_retention_seconds <= 1209600
    error_message = "dlq_message_retention_seconds must be from 60 to 1209600 (14 days)."
  }
}

# --- alarms ------------------------------------------------------------------

variable "ops_email" {
  description = "Address that receives the alarms (through its own SNS topic); empty creates the alarms without actions."
  type        = string
  default     = ""

  validation {
    condition     = var.ops_email == "" || can(regex("^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$", var.ops_email))
    error_message = "ops_email must be a valid e-mail address or empty."
  }
}

variable "iterator_age_alarm_ms" {
  description = "Alarm when the oldest unprocessed stream record is older than this (IteratorAge maximum, milliseconds): the handler is falling behind."
  type        = number
  default     = 300000

  validation {
    condition     = var.iterator_age_alarm_ms > 0
    error_message = "iterator_age_alarm_ms must be positive."
  }
}

variable "errors_alarm_threshold" {
  description = "Alarm when the handler fails at least this many invocations in one alarm period."
  type        = number
  default     = 1

  validation {
    condition     = var.errors_alarm_threshold >= 1
    error_message = "errors_alarm_threshold must be at least 1."
  }
}

variable "alarm_period_seconds" {
  description = "Period over which each alarm's metric is evaluated."
  type        = number
  default     = 300

  validation {
    condition     = contains([60, 300, 900, 3600], var.alarm_period_seconds)
    error_message = "alarm_period_seconds must be 60, 300, 900 or 3600."
  }
}
