variable "name" {
  description = "Prefix of every resource name."
  type        = string
}

variable "alarm_email" {
  description = "E-mail address subscribed to the alarms topic (confirm the subscription); empty: none."
  type        = string
}

variable "alb_arn_suffix" {
  type = string
}

variable "http_target_group_arn_suffix" {
  type = string
}

variable "cluster_name" {
  type = string
}

variable "service_names" {
  description = "ECS services watched for CPU and memory."
  type        = list(string)
}

variable "db_cluster_identifier" {
  type = string
}

variable "db_instance_identifiers" {
  type = list(string)
}

variable "error_rate_percent" {
  description = "Alarm when 5xx answers exceed this share of requests (%), 3 periods of 5 minutes."
  type        = number
}

variable "latency_p95_seconds" {
  description = "Alarm when the targets' p95 response time exceeds this (seconds)."
  type        = number
}

variable "db_max_connections" {
  description = "Alarm when the database has more connections than this."
  type        = number
}

variable "db_min_free_local_storage_bytes" {
  description = "Alarm when an Aurora instance's free local storage (temporary files) falls below this."
  type        = number
}
