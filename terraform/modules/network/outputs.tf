output "vpc_id" {
  value = aws_vpc.this.id
}

output "vpc_cidr_block" {
  value = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "For the load balancer only."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "For the ECS tasks."
  value       = aws_subnet.private[*].id
}

output "isolated_subnet_ids" {
  description = "For the database: no route out of the VPC."
  value       = aws_subnet.isolated[*].id
}
