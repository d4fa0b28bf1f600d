variable "environment" {
  description = "Environment name (resource prefix furniture-<environment>, GitHub environment of the deploy role)."
  type        = string
  default     = "staging"
}

variable "aws_region" {
  description = "AWS region of the stack."
  type        = string
  default     = "eu-west-1"
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC (/16)."
  type        = string
  default     = "10.41.0.0/16"
}

variable "availability_zones" {
  description = "Availability zones the stack spans (2 or more, in aws_region), by name."
  type        = list(string)
  default     = ["eu-west-1a", "eu-west-1b"]
}

variable "nat_gateway_count" {
  description = "NAT gateways for outbound calls to Stripe, DHL and Twilio: one per AZ survives the loss of an AZ."
  type        = number
  default     = 1
}

variable "certificate_arn" {
  description = "ACM certificate (same region) of the public host name."
  type        = string
}

variable "image_tag" {
  description = "Image tag the task definitions start from (the pipeline deploys later tags itself)."
  type        = string
}

variable "web_cpu" {
  description = "CPU units of one web task (1024 = 1 vCPU)."
  type        = number
  default     = 512
}

variable "web_memory" {
  description = "Memory of one web task (MiB)."
  type        = number
  default     = 1024
}

variable "web_workers" {
  description = "Odoo HTTP worker processes per web task."
  type        = number
  default     = 2
}

variable "web_min_count" {
  description = "Fewest web tasks."
  type        = number
  default     = 1
}

variable "web_max_count" {
  description = "Most web tasks (autoscaling)."
  type        = number
  default     = 2
}

variable "web_cpu_target" {
  description = "Average CPU (%) web autoscaling aims at."
  type        = number
  default     = 70
}

variable "web_requests_per_target" {
  description = "Requests per web task per minute web autoscaling aims at."
  type        = number
  default     = 600
}

variable "worker_cpu" {
  description = "CPU units of the worker task (also the one-off upgrade task)."
  type        = number
  default     = 512
}

variable "worker_memory" {
  description = "Memory of the worker task (MiB; also the one-off upgrade task)."
  type        = number
  default     = 1024
}

variable "worker_count" {
  description = "Worker tasks: keep 1 (one queue_job runner per database)."
  type        = number
  default     = 1
}

variable "upgrade_modules" {
  description = "Modules the one-off task upgrades by default (the pipeline passes the suite's)."
  type        = string
  default     = "all"
}

variable "db_engine_version" {
  description = "Aurora PostgreSQL engine version."
  type        = string
  default     = "16.6"
}

variable "db_name" {
  description = "Odoo's database name."
  type        = string
  default     = "furniture"
}

variable "db_username" {
  description = "Database role of Odoo (never postgres: Odoo refuses it)."
  type        = string
  default     = "furniture"
}

variable "db_instance_count" {
  description = "Aurora instances: 2 = a writer and a reader in another AZ (Multi-AZ failover)."
  type        = number
  default     = 1
}

variable "db_min_acu" {
  description = "Aurora Serverless v2 minimum ACU per instance."
  type        = number
  default     = 0.5
}

variable "db_max_acu" {
  description = "Aurora Serverless v2 maximum ACU per instance."
  type        = number
  default     = 2
}

variable "db_backup_retention_days" {
  description = "Days of automated backups (point-in-time restore), at least 14."
  type        = number
  default     = 14
}

variable "deletion_protection" {
  description = "Deletion protection of the database and the load balancer."
  type        = bool
  default     = true
}

variable "attachments_noncurrent_version_days" {
  description = "Days an overwritten or deleted file's old version is kept."
  type        = number
  default     = 30
}

variable "log_retention_days" {
  description = "Retention of every CloudWatch log group (containers, flow logs, WAF, database)."
  type        = number
  default     = 365
}

variable "alarm_email" {
  description = "E-mail subscribed to the alarms (confirm the subscription); empty: none."
  type        = string
  default     = ""
}

variable "alarm_error_rate_percent" {
  description = "5xx answers above this share of requests (%) raise an alarm."
  type        = number
  default     = 10
}

variable "alarm_latency_p95_seconds" {
  description = "p95 response time above this (s) raises an alarm."
  type        = number
  default     = 3
}

variable "alarm_db_max_connections" {
  description = "Database connections above this raise an alarm."
  type        = number
  default     = 150
}

variable "alarm_db_min_free_local_storage_bytes" {
  description = "Free local storage of an Aurora instance below this raises an alarm."
  type        = number
  default     = 1073741824
}

variable "github_repository" {
  description = "owner/name of the GitHub repository allowed to deploy (OIDC); empty: no deploy role."
  type        = string
  default     = ""
}

variable "github_oidc_provider_arn" {
  description = "ARN of the account's GitHub OIDC provider when another stack already created it; empty: created here."
  type        = string
  default     = ""
}
