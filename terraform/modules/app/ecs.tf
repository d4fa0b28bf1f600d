# Two services from one image: `web` (HTTP workers and the websocket process, no crons)
# behind the load balancer, and `worker` (crons and the queue_job runner, no public
# traffic). A third task definition, `upgrade`, is the one-off install/upgrade task.
resource "aws_cloudwatch_log_group" "service" {
  for_each          = toset(["web", "worker", "upgrade"])
  name              = "/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_cloudwatch_log_group" "exec" {
  name              = "/${var.name}/ecs-exec"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  # ECS Exec sessions (admins' shells) are encrypted and logged.
  configuration {
    execute_command_configuration {
      kms_key_id = var.kms_key_arn
      logging    = "OVERRIDE"
      log_configuration {
        cloud_watch_encryption_enabled = true
        cloud_watch_log_group_name     = aws_cloudwatch_log_group.exec.name
      }
    }
  }
}

locals {
  image = "${aws_ecr_repository.suite.repository_url}:${var.image_tag}"

  # Host-specific values: plain environment. Secrets: by ARN, injected by ECS at start.
  common_environment = {
    DB_HOST              = var.db_endpoint
    DB_PORT              = tostring(var.db_port)
    DB_NAME              = var.db_name
    DB_SSLMODE           = "require"
    ATTACHMENT_S3_BUCKET = var.attachments_bucket
    ATTACHMENT_S3_REGION = data.aws_region.current.name
  }
  secrets = [
    { name = "DB_USER", valueFrom = "${var.db_master_secret_arn}:username::" },
    { name = "DB_PASSWORD", valueFrom = "${var.db_master_secret_arn}:password::" },
    { name = "ODOO_ADMIN_PASSWD", valueFrom = aws_secretsmanager_secret.admin_passwd.arn },
  ]
  role_environment = {
    web = {
      ODOO_WORKERS          = tostring(var.web_workers)
      ODOO_MAX_CRON_THREADS = "0"
      # No job runner in the web service.
      ODOO_QUEUE_JOB_CHANNELS = "root:0"
      # Per HTTP worker: the task's memory shared by the workers and the gevent process.
      ODOO_LIMIT_MEMORY_SOFT = tostring(floor(var.web_memory * 1048576 * 0.8 / (var.web_workers + 1)))
      ODOO_LIMIT_MEMORY_HARD = tostring(floor(var.web_memory * 1048576 * 0.95 / (var.web_workers + 1)))
    }
    worker = {
      ODOO_WORKERS          = "2"
      ODOO_MAX_CRON_THREADS = "2"
      # HTTP on the task's loopback only: the job runner starts jobs there.
      ODOO_HTTP_INTERFACE    = "127.0.0.1"
      ODOO_QUEUE_JOB_HOST    = "127.0.0.1"
      ODOO_QUEUE_JOB_PORT    = "8069"
      ODOO_LIMIT_MEMORY_SOFT = tostring(floor(var.worker_memory * 1048576 * 0.8 / 3))
      ODOO_LIMIT_MEMORY_HARD = tostring(floor(var.worker_memory * 1048576 * 0.95 / 3))
    }
    upgrade = {
      ODOO_WORKERS          = "0"
      ODOO_MAX_CRON_THREADS = "0"
    }
  }
  health_check = {
    command     = ["CMD-SHELL", "curl -fsS -o /dev/null --max-time 4 http://127.0.0.1:8069/web/health || exit 1"]
    interval    = 30
    timeout     = 5
    retries     = 3
    startPeriod = 120
  }

  containers = {
    web = {
      name        = "odoo"
      image       = local.image
      essential   = true
      command     = ["odoo"]
      environment = [for k, v in merge(local.common_environment, local.role_environment.web) : { name = k, value = v }]
      secrets     = local.secrets
      portMappings = [
        { name = "http", containerPort = 8069, protocol = "tcp" },
        { name = "websocket", containerPort = 8072, protocol = "tcp" },
      ]
      healthCheck            = local.health_check
      readonlyRootFilesystem = false
      privileged             = false
      linuxParameters        = { initProcessEnabled = true }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.service["web"].name
          awslogs-region        = data.aws_region.current.name
          awslogs-stream-prefix = "web"
        }
      }
    }
    worker = {
      name         = "odoo"
      image        = local.image
      essential    = true
      command      = ["odoo"]
      environment  = [for k, v in merge(local.common_environment, local.role_environment.worker) : { name = k, value = v }]
      secrets      = local.secrets
      portMappings = []
      healthCheck  = local.health_check
      # See web.
      readonlyRootFilesystem = false
      privileged             = false
      linuxParameters        = { initProcessEnabled = true }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.service["worker"].name
          awslogs-region        = data.aws_region.current.name
          awslogs-stream-prefix = "worker"
        }
      }
    }
    upgrade = {
      name         = "odoo"
      image        = local.image
      essential    = true
      command      = ["odoo", "-u", var.upgrade_modules, "--stop-after-init", "--no-http"]
      environment  = [for k, v in merge(local.common_environment, local.role_environment.upgrade) : { name = k, value = v }]
      secrets      = local.secrets
      portMappings = []
      # See web.
      readonlyRootFilesystem = false
      privileged             = false
      linuxParameters        = { initProcessEnabled = true }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.service["upgrade"].name
          awslogs-region        = data.aws_region.current.name
          awslogs-stream-prefix = "upgrade"
        }
      }
    }
  }
  task_sizes = {
    web     = { cpu = var.web_cpu, memory = var.web_memory }
    worker  = { cpu = var.worker_cpu, memory = var.worker_memory }
    upgrade = { cpu = var.worker_cpu, memory = var.worker_memory }
  }
}

resource "aws_ecs_task_definition" "this" {
  #checkov:skip=CKV_AWS_336:Odoo writes its runtime configuration (/run/odoo), data_dir and temporary report files in the container; Fargate's ephemeral volumes do not keep the image's ownership for the odoo user
  for_each                 = local.containers
  family                   = "${var.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(local.task_sizes[each.key].cpu)
  memory                   = tostring(local.task_sizes[each.key].memory)
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions    = jsonencode([each.value])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_ecs_service" "web" {
  name                               = "web"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.this["web"].arn
  desired_count                      = var.web_min_count
  launch_type                        = "FARGATE"
  platform_version                   = "LATEST"
  enable_execute_command             = true
  propagate_tags                     = "SERVICE"
  health_check_grace_period_seconds  = 180
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.http.arn
    container_name   = "odoo"
    container_port   = 8069
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.websocket.arn
    container_name   = "odoo"
    container_port   = 8072
  }

  lifecycle {
    # Autoscaling owns the count; the pipeline deploys new task definition revisions (the
    # new image on the latest revision Terraform made of the family).
    ignore_changes = [desired_count, task_definition]
  }

  depends_on = [aws_lb_listener.https, aws_lb_listener_rule.websocket]
}

resource "aws_ecs_service" "worker" {
  name                   = "worker"
  cluster                = aws_ecs_cluster.this.id
  task_definition        = aws_ecs_task_definition.this["worker"].arn
  desired_count          = var.worker_count
  launch_type            = "FARGATE"
  platform_version       = "LATEST"
  enable_execute_command = true
  propagate_tags         = "SERVICE"
  # One queue_job runner per database: the old task stops before the new one starts.
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  lifecycle {
    ignore_changes = [task_definition]
  }
}

# Web scales out on CPU and on requests per task, whichever asks for more.
resource "aws_appautoscaling_target" "web" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.web.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.web_min_count
  max_capacity       = var.web_max_count
}

resource "aws_appautoscaling_policy" "web_cpu" {
  name               = "${var.name}-web-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.web.service_namespace
  resource_id        = aws_appautoscaling_target.web.resource_id
  scalable_dimension = aws_appautoscaling_target.web.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.web_cpu_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "web_requests" {
  name               = "${var.name}-web-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.web.service_namespace
  resource_id        = aws_appautoscaling_target.web.resource_id
  scalable_dimension = aws_appautoscaling_target.web.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.web_requests_per_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${aws_lb.this.arn_suffix}/${aws_lb_target_group.http.arn_suffix}"
    }
  }
}
