variable "name" {
  description = "Prefix of every resource name."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "isolated_subnet_ids" {
  description = "Subnets of the database: no route out of the VPC."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the database, its secret, Performance Insights and the bucket."
  type        = string
}

variable "engine_version" {
  description = "Aurora PostgreSQL version."
  type        = string
}

variable "database_name" {
  description = "Odoo's database (created with the cluster)."
  type        = string
}

variable "master_username" {
  description = "Role Odoo connects with; its password is managed by RDS in Secrets Manager."
  type        = string
}

variable "instance_count" {
  description = "Aurora instances (writer + readers in other AZs); 2 or more is Multi-AZ."
  type        = number
}

variable "min_acu" {
  description = "Aurora Serverless v2 minimum capacity (ACU)."
  type        = number
}

variable "max_acu" {
  description = "Aurora Serverless v2 maximum capacity (ACU)."
  type        = number
}

variable "backup_retention_days" {
  description = "Automated backups (point-in-time restore) kept this many days."
  type        = number
  validation {
    condition     = var.backup_retention_days >= 14
    error_message = "Backups are kept at least 14 days."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the cluster (turn off only to tear an environment down)."
  type        = bool
}

variable "noncurrent_version_days" {
  description = "Days an overwritten or deleted attachment's old version is kept."
  type        = number
}

variable "force_destroy_buckets" {
  description = "Allow terraform destroy to empty the buckets (staging only)."
  type        = bool
}

variable "log_retention_days" {
  description = "Retention of the database's PostgreSQL log in CloudWatch."
  type        = number
}
