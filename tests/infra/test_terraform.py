"""Invariants of the AWS stack (terraform/), read from the HCL itself.

Each invariant is a function that returns the problems it finds (an empty list: it holds).
``test_invariant_holds`` runs it on the real stack; ``test_invariant_catches`` breaks a copy
of the parsed stack the way a careless change would and asserts the invariant notices:
no invariant here can pass whatever the code says.
"""

import copy
import re
from pathlib import Path

import pytest

from .hcl import blocks, first, load_stack

STACK = load_stack()
APP, DATA, NETWORK, OPS = "modules/app", "modules/data", "modules/network", "modules/ops"
ENVIRONMENTS = ("environments/production", "environments/staging")
ARN_REFERENCE = re.compile(
    r"^\$\{(var\.[a-z0-9_]*secret_arn|aws_secretsmanager_secret\.[a-z0-9_]+\.arn)\}(:[a-z_]+::)?$"
)
SECRET_NAME = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE|API_KEY|ACCESS_KEY", re.I)


def res(stack, folder, type_):
    return stack[folder].resources.get(type_, {})


def default(stack, env, name):
    return stack[env].variables[name].get("default")


# ------------------------------------------------------------------------------ database


def db_not_public(stack):
    problems = []
    instances = res(stack, DATA, "aws_rds_cluster_instance")
    if not instances:
        problems.append("no Aurora instance")
    for name, body in instances.items():
        if body.get("publicly_accessible") is not False:
            problems.append(f"aws_rds_cluster_instance.{name} is not explicitly private")
    for name, body in res(stack, DATA, "aws_rds_cluster").items():
        groups = body.get("vpc_security_group_ids", [])
        if groups != ["${aws_security_group.db.id}"]:
            problems.append(f"aws_rds_cluster.{name} is not in the database security group only")
    for name, rule in res(stack, APP, "aws_vpc_security_group_ingress_rule").items():
        if rule.get("security_group_id") == "${var.db_security_group_id}" and (
            "cidr_ipv4" in rule or "cidr_ipv6" in rule
        ):
            problems.append(f"{name} opens the database to addresses, not to the tasks")
    for name, body in res(stack, DATA, "aws_security_group").items():
        if body.get("ingress"):
            problems.append(f"aws_security_group.{name} has inline ingress rules")
    return problems


def db_in_isolated_subnets(stack):
    problems = []
    group = res(stack, DATA, "aws_db_subnet_group").get("this", {})
    if group.get("subnet_ids") != "${var.isolated_subnet_ids}":
        problems.append("the database subnet group is not made of the isolated subnets")
    for env in ENVIRONMENTS:
        wired = stack[env].modules["data"].get("isolated_subnet_ids")
        if wired != "${module.network.isolated_subnet_ids}":
            problems.append(f"{env}: the data module does not get the isolated subnets")
    isolated = res(stack, NETWORK, "aws_route_table").get("isolated", {})
    if not isolated or isolated.get("route"):
        problems.append("the isolated route table is missing or has routes")
    for name, route in res(stack, NETWORK, "aws_route").items():
        if "aws_route_table.isolated" in str(route.get("route_table_id")):
            problems.append(f"aws_route.{name} gives the isolated subnets a way out")
    for name, assoc in res(stack, NETWORK, "aws_route_table_association").items():
        if "aws_subnet.isolated" in str(assoc.get("subnet_id")) and "isolated" not in str(
            assoc.get("route_table_id")
        ):
            problems.append(f"{name} puts isolated subnets on a routed table")
    return problems


def db_durable_and_encrypted(stack):
    problems = []
    cluster = res(stack, DATA, "aws_rds_cluster").get("this", {})
    expected = {
        "engine": "aurora-postgresql",
        "storage_encrypted": True,
        "manage_master_user_password": True,
        "deletion_protection": "${var.deletion_protection}",
        "backup_retention_period": "${var.backup_retention_days}",
        "db_cluster_parameter_group_name": "${aws_rds_cluster_parameter_group.odoo.name}",
        "skip_final_snapshot": False,
    }
    for key, value in expected.items():
        if cluster.get(key) != value:
            problems.append(f"aws_rds_cluster.this: {key} is {cluster.get(key)!r}")
    if "master_password" in cluster:
        problems.append("a master password is written in the code (use the managed one)")
    if not cluster.get("kms_key_id"):
        problems.append("the cluster has no KMS key")
    if not first(cluster.get("serverlessv2_scaling_configuration")):
        problems.append("no Serverless v2 scaling")
    validation = first(stack[DATA].variables["backup_retention_days"].get("validation"), {})
    if "var.backup_retention_days >= 14" not in str(validation.get("condition")):
        problems.append("backup_retention_days is not held at 14 days or more")
    for name, body in res(stack, DATA, "aws_rds_cluster_instance").items():
        if body.get("performance_insights_enabled") is not True:
            problems.append(f"instance {name}: no Performance Insights")
        if body.get("instance_class") != "db.serverless":
            problems.append(f"instance {name}: not Serverless v2")
    for env in ENVIRONMENTS:
        if default(stack, env, "deletion_protection") is not True:
            problems.append(f"{env}: deletion protection is off by default")
        if default(stack, env, "db_backup_retention_days") < 14:
            problems.append(f"{env}: backups kept under 14 days")
    if default(stack, "environments/production", "db_instance_count") < 2:
        problems.append("production's database is not Multi-AZ (fewer than 2 instances)")
    return problems


# ------------------------------------------------------------------------------ secrets


def containers(stack):
    return stack[APP].locals.get("containers", {})


def secrets_by_arn(stack):
    problems = []
    local = stack[APP].locals
    secrets = local.get("secrets", [])
    names = {s.get("name") for s in secrets}
    for needed in ("DB_PASSWORD", "ODOO_ADMIN_PASSWD"):
        if needed not in names:
            problems.append(f"{needed} is not injected from Secrets Manager")
    for secret in secrets:
        if not ARN_REFERENCE.match(str(secret.get("valueFrom", ""))):
            problems.append(f"secret {secret.get('name')} is not taken by ARN: {secret}")
    if not containers(stack):
        problems.append("no container definitions")
    for role, container in containers(stack).items():
        if container.get("secrets") != "${local.secrets}":
            problems.append(f"{role}: secrets do not come from local.secrets")
        if "merge(local.common_environment" not in str(container.get("environment")):
            problems.append(f"{role}: environment does not come from the shared locals")
    environments = [
        local.get("common_environment", {}),
        *local.get("role_environment", {}).values(),
    ]
    for env in environments:
        for key in env:
            if SECRET_NAME.search(key):
                problems.append(f"{key} is set as plain environment, not as a secret")
    policy = stack[APP].data.get("aws_iam_policy_document", {}).get("execution_secrets", {})
    for statement in blocks(policy.get("statement")):
        if "secretsmanager:GetSecretValue" in statement.get("actions", []) and "*" in str(
            statement.get("resources")
        ):
            problems.append("the execution role may read every secret")
    return problems


# ------------------------------------------------------------------------------ bucket


def bucket_private_and_encrypted(stack):
    problems = []
    block = res(stack, DATA, "aws_s3_bucket_public_access_block").get("attachments", {})
    for key in (
        "block_public_acls",
        "block_public_policy",
        "ignore_public_acls",
        "restrict_public_buckets",
    ):
        if block.get(key) is not True:
            problems.append(f"attachments bucket: {key} is not true")
    sse = res(stack, DATA, "aws_s3_bucket_server_side_encryption_configuration").get(
        "attachments", {}
    )
    default_sse = first(first(sse.get("rule"), {}).get("apply_server_side_encryption_by_default"))
    if not default_sse or default_sse.get("sse_algorithm") != "aws:kms":
        problems.append("attachments bucket: not encrypted with KMS")
    versioning = res(stack, DATA, "aws_s3_bucket_versioning").get("attachments", {})
    if first(versioning.get("versioning_configuration"), {}).get("status") != "Enabled":
        problems.append("attachments bucket: not versioned")
    lifecycle = res(stack, DATA, "aws_s3_bucket_lifecycle_configuration").get("attachments", {})
    if not any(
        first(r.get("noncurrent_version_expiration")) for r in blocks(lifecycle.get("rule"))
    ):
        problems.append("attachments bucket: old versions never expire")
    ownership = res(stack, DATA, "aws_s3_bucket_ownership_controls").get("attachments", {})
    if first(ownership.get("rule"), {}).get("object_ownership") != "BucketOwnerEnforced":
        problems.append("attachments bucket: ACLs are not disabled")
    if "acl" in res(stack, DATA, "aws_s3_bucket").get("attachments", {}):
        problems.append("attachments bucket: an ACL is set")
    return problems


def task_role_least_privilege(stack):
    problems = []
    policy = stack[APP].data.get("aws_iam_policy_document", {}).get("task", {})
    statements = blocks(policy.get("statement"))
    if not statements:
        problems.append("the task role has no policy")
    bucket = "${var.attachments_bucket_arn}"
    allowed_s3 = {bucket, "${var.attachments_bucket_arn}/*"}
    for statement in statements:
        actions = statement.get("actions", [])
        resources = statement.get("resources", [])
        if statement.get("effect", "Allow") != "Allow":
            continue
        if any(a == "*" or a.endswith(":*") for a in actions):
            problems.append(f"{statement.get('sid')}: wildcard action {actions}")
        if any(a.startswith("s3:") for a in actions) and not set(resources) <= allowed_s3:
            problems.append(f"{statement.get('sid')}: S3 beyond the attachments bucket")
        if "*" in resources and not all(a.startswith("ssmmessages:") for a in actions):
            problems.append(f"{statement.get('sid')}: {actions} on every resource")
        if any(a.startswith("iam:") for a in actions):
            problems.append(f"{statement.get('sid')}: IAM actions in the task role")
    if not any(bucket in s.get("resources", []) for s in statements):
        problems.append("the task role cannot reach the attachments bucket")
    return problems


# ------------------------------------------------------------------------------ load balancer


def target_group_port(stack, reference):
    name = reference.split(".")[1] if reference.startswith("${aws_lb_target_group.") else None
    group = res(stack, APP, "aws_lb_target_group").get(name, {})
    return group.get("port")


def websocket_routed(stack):
    problems = []
    https = res(stack, APP, "aws_lb_listener").get("https", {})
    default_action = first(https.get("default_action"), {})
    if target_group_port(stack, str(default_action.get("target_group_arn"))) != 8069:
        problems.append("the HTTPS listener's default does not go to Odoo's port 8069")
    rules = res(stack, APP, "aws_lb_listener_rule")
    routed = False
    for rule in rules.values():
        paths = [
            v
            for c in blocks(rule.get("condition"))
            for p in blocks(c.get("path_pattern"))
            for v in p.get("values", [])
        ]
        action = first(rule.get("action"), {})
        if "/websocket" in paths and (
            target_group_port(stack, str(action.get("target_group_arn"))) == 8072
        ):
            routed = rule.get("listener_arn") == "${aws_lb_listener.https.arn}"
    if not routed:
        problems.append("/websocket is not routed to port 8072 on the HTTPS listener")
    for name, group in res(stack, APP, "aws_lb_target_group").items():
        if first(group.get("health_check"), {}).get("path") != "/web/health":
            problems.append(f"target group {name}: health check is not /web/health")
    return problems


MODERN_TLS = ("ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06")


def https_only(stack):
    problems = []
    listeners = res(stack, APP, "aws_lb_listener")
    if not listeners:
        problems.append("no listener")
    for name, listener in listeners.items():
        action = first(listener.get("default_action"), {})
        if listener.get("protocol") == "HTTPS":
            if listener.get("ssl_policy") not in MODERN_TLS:
                problems.append(f"listener {name}: TLS policy {listener.get('ssl_policy')}")
        elif action.get("type") != "redirect" or (
            first(action.get("redirect"), {}).get("protocol") != "HTTPS"
        ):
            problems.append(f"listener {name}: plain HTTP that does not redirect to HTTPS")
    for name, rule in res(stack, APP, "aws_vpc_security_group_ingress_rule").items():
        if rule.get("security_group_id") == "${aws_security_group.alb.id}" and rule.get(
            "from_port"
        ) not in (80, 443):
            problems.append(f"{name}: the load balancer opens port {rule.get('from_port')}")
    alb = res(stack, APP, "aws_lb").get("this", {})
    if first(alb.get("access_logs"), {}).get("enabled") is not True:
        problems.append("the load balancer keeps no access log")
    if alb.get("subnets") != "${var.public_subnet_ids}":
        problems.append("the load balancer is not in the public subnets")
    if alb.get("drop_invalid_header_fields") is not True:
        problems.append("the load balancer passes invalid headers")
    return problems


# ------------------------------------------------------------------------------ ECS


def two_services(stack):
    problems = []
    services = res(stack, APP, "aws_ecs_service")
    if set(services) != {"web", "worker"}:
        problems.append(f"services are {sorted(services)}, not web and worker")
    for name, service in services.items():
        network = first(service.get("network_configuration"), {})
        if network.get("subnets") != "${var.private_subnet_ids}":
            problems.append(f"service {name}: not in the private subnets")
        if network.get("assign_public_ip") is not False:
            problems.append(f"service {name}: tasks may get public addresses")
        if service.get("enable_execute_command") is not True:
            problems.append(f"service {name}: no ECS Exec")
        breaker = first(service.get("deployment_circuit_breaker"), {})
        if breaker.get("enable") is not True or breaker.get("rollback") is not True:
            problems.append(f"service {name}: no circuit breaker with rollback")
        if service.get("launch_type") != "FARGATE":
            problems.append(f"service {name}: not on Fargate")
    web_ports = {
        lb.get("container_port") for lb in blocks(services.get("web", {}).get("load_balancer"))
    }
    if web_ports != {8069, 8072}:
        problems.append(f"web is behind the load balancer on {sorted(web_ports)}, not 8069+8072")
    if blocks(services.get("worker", {}).get("load_balancer")):
        problems.append("the worker takes public traffic")
    for env in ENVIRONMENTS:
        app = stack[env].modules["app"]
        if app.get("private_subnet_ids") != "${module.network.private_subnet_ids}":
            problems.append(f"{env}: tasks are not given the private subnets")
        if app.get("public_subnet_ids") != "${module.network.public_subnet_ids}":
            problems.append(f"{env}: the load balancer is not given the public subnets")
    return problems


def crons_on_worker_only(stack):
    problems = []
    roles = stack[APP].locals.get("role_environment", {})
    web, worker = roles.get("web", {}), roles.get("worker", {})
    if web.get("ODOO_MAX_CRON_THREADS") != "0":
        problems.append("the web service runs crons")
    if web.get("ODOO_QUEUE_JOB_CHANNELS") != "root:0":
        problems.append("the web service runs the job runner")
    if str(worker.get("ODOO_MAX_CRON_THREADS", "0")) in ("0", ""):
        problems.append("no service runs crons")
    if worker.get("ODOO_HTTP_INTERFACE") != "127.0.0.1":
        problems.append("the worker's HTTP port is not on its loopback")
    ports = containers(stack).get("worker", {}).get("portMappings")
    if ports:
        problems.append("the worker container publishes ports")
    return problems


def web_autoscaling(stack):
    policies = res(stack, APP, "aws_appautoscaling_policy")
    metrics = set()
    for policy in policies.values():
        config = first(policy.get("target_tracking_scaling_policy_configuration"), {})
        spec = first(config.get("predefined_metric_specification"), {})
        if policy.get("resource_id") == "${aws_appautoscaling_target.web.resource_id}":
            metrics.add(spec.get("predefined_metric_type"))
    wanted = {"ECSServiceAverageCPUUtilization", "ALBRequestCountPerTarget"}
    return [f"web does not scale on {m}" for m in sorted(wanted - metrics)]


def one_off_upgrade_task(stack):
    command = containers(stack).get("upgrade", {}).get("command", [])
    problems = []
    if command[:2] != ["odoo", "-u"] or "--stop-after-init" not in command:
        problems.append(f"the one-off task does not run odoo -u ... --stop-after-init: {command}")
    if "aws_ecs_service" in str(containers(stack).get("upgrade", {})):
        problems.append("the one-off task is a service")
    return problems


def image_repository(stack):
    problems = []
    repo = res(stack, APP, "aws_ecr_repository").get("suite", {})
    if repo.get("image_tag_mutability") != "IMMUTABLE":
        problems.append("image tags can be moved")
    if first(repo.get("image_scanning_configuration"), {}).get("scan_on_push") is not True:
        problems.append("images are not scanned on push")
    if "suite" not in res(stack, APP, "aws_ecr_lifecycle_policy") and not any(
        p.get("repository") == "${aws_ecr_repository.suite.name}"
        for p in res(stack, APP, "aws_ecr_lifecycle_policy").values()
    ):
        problems.append("no lifecycle policy on the repository")
    return problems


def vpc_endpoints(stack):
    problems = []
    s3 = res(stack, NETWORK, "aws_vpc_endpoint").get("s3", {})
    if s3.get("vpc_endpoint_type") != "Gateway" or not str(s3.get("service_name")).endswith(".s3"):
        problems.append("no S3 gateway endpoint")
    interface = set(stack[NETWORK].locals.get("interface_endpoints", "").replace("${", "").split())
    text = str(stack[NETWORK].locals.get("interface_endpoints"))
    for service in ("ecr.api", "ecr.dkr", "secretsmanager", "logs"):
        if f'"{service}"' not in text and service not in interface:
            problems.append(f"no interface endpoint for {service}")
    endpoint = res(stack, NETWORK, "aws_vpc_endpoint").get("interface", {})
    if endpoint.get("for_each") != "${local.interface_endpoints}":
        problems.append("the interface endpoints are not made from the list")
    return problems


# ------------------------------------------------------------------------------ alarms

ALARM_METRICS = (
    "HTTPCode_Target_5XX_Count",
    "TargetResponseTime",
    "CPUUtilization",
    "MemoryUtilization",
    "DatabaseConnections",
    "FreeLocalStorage",
    "ACUUtilization",
)


def alarms_present(stack):
    problems = []
    alarms = res(stack, OPS, "aws_cloudwatch_metric_alarm")
    found = set()
    for name, alarm in alarms.items():
        found.add(alarm.get("metric_name"))
        for query in blocks(alarm.get("metric_query")):
            for metric in blocks(query.get("metric")):
                found.add(metric.get("metric_name"))
        if alarm.get("alarm_actions") != "${local.actions}":
            problems.append(f"alarm {name} notifies nobody")
    if stack[OPS].locals.get("actions") != ["${aws_sns_topic.alarms.arn}"]:
        problems.append("alarms do not go to the SNS topic")
    problems += [f"no alarm on {m}" for m in ALARM_METRICS if m not in found]
    return problems


# ------------------------------------------------------------------------------ checkov skips

SKIP = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)(?::(.*))?")


def skips_have_reasons(stack):
    problems = []
    for folder, content in stack.items():
        for file_name, text in content.texts.items():
            for match in SKIP.finditer(text):
                reason = (match.group(2) or "").strip()
                if len(reason) < 15:
                    problems.append(
                        f"{folder}/{file_name}: {match.group(1)} skipped without reason"
                    )
    return problems


# ------------------------------------------------------------------------------ the tests


def _set(path, value):
    """A mutation that sets stack[...] at a path of keys (and list indexes)."""

    def mutate(stack):
        target = stack[path[0]]
        for key in path[1:-1]:
            target = (
                getattr(target, key)
                if isinstance(key, str) and hasattr(target, key)
                else target[key]
            )
        target[path[-1]] = value

    return mutate


def _drop_secret(stack):
    stack[APP].locals["secrets"] = [
        s for s in stack[APP].locals["secrets"] if s["name"] != "DB_PASSWORD"
    ]
    stack[APP].locals["common_environment"]["DB_PASSWORD"] = "hunter2"


def _plain_secret(stack):
    stack[APP].locals["secrets"][0]["valueFrom"] = "arn-copied-by-hand"


def _s3_star(stack):
    policy = stack[APP].data["aws_iam_policy_document"]["task"]
    policy["statement"][1]["resources"] = ["*"]


def _task_iam(stack):
    policy = stack[APP].data["aws_iam_policy_document"]["task"]
    policy["statement"].append({"sid": "Oops", "actions": ["s3:*"], "resources": ["*"]})


def _websocket_to_http(stack):
    rule = stack[APP].resources["aws_lb_listener_rule"]["websocket"]
    rule["action"][0]["target_group_arn"] = "${aws_lb_target_group.http.arn}"


def _http_forwards(stack):
    listener = stack[APP].resources["aws_lb_listener"]["http"]
    listener["default_action"] = [
        {"type": "forward", "target_group_arn": "${aws_lb_target_group.http.arn}"}
    ]


def _old_tls(stack):
    stack[APP].resources["aws_lb_listener"]["https"]["ssl_policy"] = "ELBSecurityPolicy-2016-08"


def _third_service(stack):
    services = stack[APP].resources["aws_ecs_service"]
    services["cron"] = copy.deepcopy(services["worker"])


def _no_rollback(stack):
    service = stack[APP].resources["aws_ecs_service"]["web"]
    service["deployment_circuit_breaker"][0]["rollback"] = False


def _public_task(stack):
    service = stack[APP].resources["aws_ecs_service"]["worker"]
    service["network_configuration"][0]["assign_public_ip"] = True


def _db_public_subnets(stack):
    stack["environments/production"].modules["data"]["isolated_subnet_ids"] = (
        "${module.network.public_subnet_ids}"
    )


def _isolated_nat(stack):
    stack[NETWORK].resources["aws_route"]["isolated_nat"] = {
        "route_table_id": "${aws_route_table.isolated.id}",
        "nat_gateway_id": "${aws_nat_gateway.this[0].id}",
    }


def _drop_alarm(stack):
    del stack[OPS].resources["aws_cloudwatch_metric_alarm"]["db_connections"]


def _silent_alarm(stack):
    stack[OPS].resources["aws_cloudwatch_metric_alarm"]["target_latency"]["alarm_actions"] = []


def _web_crons(stack):
    stack[APP].locals["role_environment"]["web"]["ODOO_MAX_CRON_THREADS"] = "2"


def _no_request_scaling(stack):
    del stack[APP].resources["aws_appautoscaling_policy"]["web_requests"]


def _no_stop_after_init(stack):
    stack[APP].locals["containers"]["upgrade"]["command"] = ["odoo", "-u", "all"]


def _bare_skip(stack):
    stack[APP].texts["alb.tf"] += "\n# checkov:skip=CKV_AWS_2\n"


def _no_s3_endpoint(stack):
    del stack[NETWORK].resources["aws_vpc_endpoint"]["s3"]


def _drop_ecr_endpoint(stack):
    stack[NETWORK].locals["interface_endpoints"] = '${toset(["ecr.api", "logs"])}'


def _bucket_acl(stack):
    stack[DATA].resources["aws_s3_bucket"]["attachments"]["acl"] = "public-read"


def _bucket_aes(stack):
    sse = stack[DATA].resources["aws_s3_bucket_server_side_encryption_configuration"]
    sse["attachments"]["rule"][0]["apply_server_side_encryption_by_default"][0]["sse_algorithm"] = (
        "AES256"
    )


def _short_backups(stack):
    stack["environments/staging"].variables["db_backup_retention_days"]["default"] = 7


def _single_az_db(stack):
    stack["environments/production"].variables["db_instance_count"]["default"] = 1


CASES = [
    (
        db_not_public,
        _set([DATA, "resources", "aws_rds_cluster_instance", "this", "publicly_accessible"], True),
    ),
    (db_in_isolated_subnets, _db_public_subnets),
    (db_in_isolated_subnets, _isolated_nat),
    (
        db_durable_and_encrypted,
        _set([DATA, "resources", "aws_rds_cluster", "this", "storage_encrypted"], False),
    ),
    (db_durable_and_encrypted, _short_backups),
    (db_durable_and_encrypted, _single_az_db),
    (
        db_durable_and_encrypted,
        _set([DATA, "resources", "aws_rds_cluster", "this", "master_password"], "x"),
    ),
    (secrets_by_arn, _drop_secret),
    (secrets_by_arn, _plain_secret),
    (
        bucket_private_and_encrypted,
        _set(
            [
                DATA,
                "resources",
                "aws_s3_bucket_public_access_block",
                "attachments",
                "block_public_policy",
            ],
            False,
        ),
    ),
    (bucket_private_and_encrypted, _bucket_acl),
    (bucket_private_and_encrypted, _bucket_aes),
    (
        bucket_private_and_encrypted,
        _set(
            [
                DATA,
                "resources",
                "aws_s3_bucket_versioning",
                "attachments",
                "versioning_configuration",
            ],
            [{"status": "Suspended"}],
        ),
    ),
    (task_role_least_privilege, _s3_star),
    (task_role_least_privilege, _task_iam),
    (websocket_routed, _websocket_to_http),
    (
        websocket_routed,
        _set([APP, "resources", "aws_lb_target_group", "http", "health_check"], [{"path": "/"}]),
    ),
    (https_only, _http_forwards),
    (https_only, _old_tls),
    (two_services, _third_service),
    (two_services, _no_rollback),
    (two_services, _public_task),
    (crons_on_worker_only, _web_crons),
    (web_autoscaling, _no_request_scaling),
    (one_off_upgrade_task, _no_stop_after_init),
    (
        image_repository,
        _set([APP, "resources", "aws_ecr_repository", "suite", "image_tag_mutability"], "MUTABLE"),
    ),
    (vpc_endpoints, _no_s3_endpoint),
    (vpc_endpoints, _drop_ecr_endpoint),
    (alarms_present, _drop_alarm),
    (alarms_present, _silent_alarm),
    (skips_have_reasons, _bare_skip),
]
INVARIANTS = sorted({check for check, _ in CASES}, key=lambda f: f.__name__)


@pytest.mark.parametrize("invariant", INVARIANTS, ids=lambda f: f.__name__)
def test_invariant_holds(invariant):
    assert invariant(STACK) == []


@pytest.mark.parametrize(
    ("invariant", "breakage"),
    CASES,
    ids=[f"{check.__name__}-{i}" for i, (check, _) in enumerate(CASES)],
)
def test_invariant_catches(invariant, breakage):
    broken = copy.deepcopy(STACK)
    breakage(broken)
    assert invariant(broken), f"{invariant.__name__} did not notice {breakage}"


def test_both_environments_use_every_module():
    for env in ENVIRONMENTS:
        sources = {m["source"] for m in STACK[env].modules.values()}
        assert sources == {f"../../modules/{m}" for m in ("network", "data", "app", "ops")}


def test_backend_is_documented_with_locking():
    for env in ENVIRONMENTS:
        text = STACK[env].texts["versions.tf"]
        assert re.search(r'^\s*#\s*backend "s3"', text, re.M), env
        assert re.search(r"^\s*#\s*use_lockfile\s*=\s*true", text, re.M), env


def test_readme_documents_every_variable():
    readme = (Path(__file__).resolve().parents[2] / "terraform" / "README.md").read_text()
    for env in ENVIRONMENTS:
        for name in STACK[env].variables:
            assert f"| `{name}` |" in readme, f"terraform/README.md lacks the variable {name}"
