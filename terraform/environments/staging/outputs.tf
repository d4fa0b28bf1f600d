output "alb_dns_name" {
  description = "Point the public host name here (alias or CNAME)."
  value       = module.app.alb_dns_name
}

output "ecr_repository_url" {
  value = module.app.ecr_repository_url
}

output "cluster_name" {
  value = module.app.cluster_name
}

output "task_families" {
  value = module.app.task_families
}

output "admin_passwd_secret_arn" {
  description = "Set its value once: aws secretsmanager put-secret-value (README)."
  value       = module.app.admin_passwd_secret_arn
}

output "db_cluster_identifier" {
  value = module.data.db_cluster_identifier
}

output "attachments_bucket" {
  value = module.data.attachments_bucket
}

output "alarm_topic_arn" {
  value = module.ops.alarm_topic_arn
}

output "deploy_role_arn" {
  description = "AWS_DEPLOY_ROLE_ARN of the GitHub environment."
  value       = module.app.deploy_role_arn
}
