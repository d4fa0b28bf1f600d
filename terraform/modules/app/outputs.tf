output "cluster_name" {
  value = aws_ecs_cluster.this.name
}

output "web_service_name" {
  value = aws_ecs_service.web.name
}

output "worker_service_name" {
  value = aws_ecs_service.worker.name
}

output "task_families" {
  description = "Task definition families: web, worker and the one-off upgrade task."
  value       = { for k, v in aws_ecs_task_definition.this : k => v.family }
}

output "ecr_repository_url" {
  value = aws_ecr_repository.suite.repository_url
}

output "alb_dns_name" {
  description = "Point the public host name (CNAME/alias) here."
  value       = aws_lb.this.dns_name
}

output "alb_arn_suffix" {
  value = aws_lb.this.arn_suffix
}

output "http_target_group_arn_suffix" {
  value = aws_lb_target_group.http.arn_suffix
}

output "admin_passwd_secret_arn" {
  value = aws_secretsmanager_secret.admin_passwd.arn
}

output "tasks_security_group_id" {
  value = aws_security_group.tasks.id
}

output "deploy_role_arn" {
  description = "Role the GitHub workflow assumes (AWS_DEPLOY_ROLE_ARN of the GitHub environment)."
  value       = local.deploy_enabled ? aws_iam_role.deploy[0].arn : ""
}
