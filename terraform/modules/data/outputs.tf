output "db_security_group_id" {
  value = aws_security_group.db.id
}

output "db_endpoint" {
  description = "Writer endpoint of the Aurora cluster."
  value       = aws_rds_cluster.this.endpoint
}

output "db_port" {
  value = aws_rds_cluster.this.port
}

output "db_name" {
  value = aws_rds_cluster.this.database_name
}

output "db_cluster_identifier" {
  value = aws_rds_cluster.this.cluster_identifier
}

output "db_instance_identifiers" {
  value = aws_rds_cluster_instance.this[*].identifier
}

output "db_master_secret_arn" {
  description = "Secrets Manager secret of the database role (JSON: username, password), managed by RDS."
  value       = aws_rds_cluster.this.master_user_secret[0].secret_arn
}

output "attachments_bucket" {
  value = aws_s3_bucket.attachments.id
}

output "attachments_bucket_arn" {
  value = aws_s3_bucket.attachments.arn
}

output "logs_bucket" {
  value = aws_s3_bucket.logs.id
}
