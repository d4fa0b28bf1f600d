provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Project     = "furniture-suite"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

locals {
  name = "furniture-${var.environment}"
}

module "ops" {
  source                          = "../../modules/ops"
  name                            = local.name
  alarm_email                     = var.alarm_email
  alb_arn_suffix                  = module.app.alb_arn_suffix
  http_target_group_arn_suffix    = module.app.http_target_group_arn_suffix
  cluster_name                    = module.app.cluster_name
  service_names                   = ["web", "worker"]
  db_cluster_identifier           = module.data.db_cluster_identifier
  db_instance_identifiers         = module.data.db_instance_identifiers
  error_rate_percent              = var.alarm_error_rate_percent
  latency_p95_seconds             = var.alarm_latency_p95_seconds
  db_max_connections              = var.alarm_db_max_connections
  db_min_free_local_storage_bytes = var.alarm_db_min_free_local_storage_bytes
}

module "network" {
  source             = "../../modules/network"
  name               = local.name
  cidr_block         = var.vpc_cidr
  availability_zones = var.availability_zones
  nat_gateway_count  = var.nat_gateway_count
  kms_key_arn        = module.ops.kms_key_arn
  log_retention_days = var.log_retention_days
}

module "data" {
  source                  = "../../modules/data"
  name                    = local.name
  vpc_id                  = module.network.vpc_id
  isolated_subnet_ids     = module.network.isolated_subnet_ids
  kms_key_arn             = module.ops.kms_key_arn
  engine_version          = var.db_engine_version
  database_name           = var.db_name
  master_username         = var.db_username
  instance_count          = var.db_instance_count
  min_acu                 = var.db_min_acu
  max_acu                 = var.db_max_acu
  backup_retention_days   = var.db_backup_retention_days
  deletion_protection     = var.deletion_protection
  noncurrent_version_days = var.attachments_noncurrent_version_days
  force_destroy_buckets   = false
  log_retention_days      = var.log_retention_days
}

module "app" {
  source                   = "../../modules/app"
  name                     = local.name
  vpc_id                   = module.network.vpc_id
  public_subnet_ids        = module.network.public_subnet_ids
  private_subnet_ids       = module.network.private_subnet_ids
  kms_key_arn              = module.ops.kms_key_arn
  certificate_arn          = var.certificate_arn
  image_tag                = var.image_tag
  web_cpu                  = var.web_cpu
  web_memory               = var.web_memory
  web_workers              = var.web_workers
  web_min_count            = var.web_min_count
  web_max_count            = var.web_max_count
  web_cpu_target           = var.web_cpu_target
  web_requests_per_target  = var.web_requests_per_target
  worker_cpu               = var.worker_cpu
  worker_memory            = var.worker_memory
  worker_count             = var.worker_count
  upgrade_modules          = var.upgrade_modules
  db_security_group_id     = module.data.db_security_group_id
  db_endpoint              = module.data.db_endpoint
  db_port                  = module.data.db_port
  db_name                  = module.data.db_name
  db_master_secret_arn     = module.data.db_master_secret_arn
  attachments_bucket       = module.data.attachments_bucket
  attachments_bucket_arn   = module.data.attachments_bucket_arn
  logs_bucket              = module.data.logs_bucket
  log_retention_days       = var.log_retention_days
  deletion_protection      = var.deletion_protection
  github_repository        = var.github_repository
  github_environment       = var.environment
  github_oidc_provider_arn = var.github_oidc_provider_arn
}
