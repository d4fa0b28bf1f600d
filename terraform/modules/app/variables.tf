variable "name" {
  description = "Prefix of every resource name."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "public_subnet_ids" {
  description = "Subnets of the load balancer."
  type        = list(string)
}

variable "private_subnet_ids" {
  description = "Subnets of the ECS tasks."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "KMS key of the logs, the image repository, the secrets and the bucket."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate of the public host name (HTTPS listener)."
  type        = string
}

variable "image_tag" {
  description = "Tag of the suite's image in the ECR repository (the pipeline sets the commit id)."
  type        = string
}

variable "web_cpu" {
  description = "CPU units of one web task (1024 = 1 vCPU)."
  type        = number
}

variable "web_memory" {
  description = "Memory of one web task (MiB)."
  type        = number
}

variable "web_workers" {
  description = "Odoo HTTP worker processes per web task."
  type        = number
}

variable "web_min_count" {
  description = "Fewest web tasks (autoscaling floor; 2 or more spreads them over AZs)."
  type        = number
}

variable "web_max_count" {
  description = "Most web tasks (autoscaling ceiling)."
  type        = number
}

variable "web_cpu_target" {
  description = "Average CPU (%) that web autoscaling aims at."
  type        = number
}

variable "web_requests_per_target" {
  description = "ALB requests per web task per minute that autoscaling aims at."
  type        = number
}

variable "worker_cpu" {
  description = "CPU units of one worker task."
  type        = number
}

variable "worker_memory" {
  description = "Memory of one worker task (MiB)."
  type        = number
}

variable "worker_count" {
  description = "Worker tasks (crons and queue jobs)."
  type        = number
}

variable "upgrade_modules" {
  description = "Default modules of the one-off upgrade task (`odoo -u <modules> --stop-after-init`)."
  type        = string
}

variable "db_security_group_id" {
  type = string
}

variable "db_endpoint" {
  type = string
}

variable "db_port" {
  type = number
}

variable "db_name" {
  type = string
}

variable "db_master_secret_arn" {
  description = "Secret (JSON username/password) of the database role, managed by RDS."
  type        = string
}

variable "attachments_bucket" {
  type = string
}

variable "attachments_bucket_arn" {
  type = string
}

variable "logs_bucket" {
  description = "Bucket of the load balancer's access logs."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the containers' logs."
  type        = number
}

variable "deletion_protection" {
  description = "Protect the load balancer from deletion."
  type        = bool
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflow may deploy (OIDC); empty: no deploy role."
  type        = string
}

variable "github_environment" {
  description = "GitHub environment the deploy job runs in (its name is checked in the OIDC token)."
  type        = string
}

variable "github_oidc_provider_arn" {
  description = "Existing IAM OIDC provider of GitHub Actions (one per account); empty: created here."
  type        = string
}
