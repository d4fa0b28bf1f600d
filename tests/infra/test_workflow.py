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


RELIABILITY = ROOT / ".github" / "workflows" / "reliability.yml"


def reliability_problems(workflow):
    problems = []
    # PyYAML reads the key `on` as True.
    triggers = workflow.get("on", workflow.get(True, {})) or {}
    if "schedule" not in triggers:
        problems.append("the whole reliability set never runs on its own (no schedule)")
    if {"push", "pull_request"} & set(triggers):
        problems.append("two hours of reliability tests on every push")
    if workflow.get("permissions") != {"contents": "read"}:
        problems.append(f"permissions beyond reading: {workflow.get('permissions')}")
    job = workflow.get("jobs", {}).get("reliability", {})
    runs = [str(s.get("run", "")) for s in steps(job)]
    if not any(re.fullmatch(r"make reliability\s*", r) for r in runs):
        problems.append(f"the whole set (make reliability, no --quick) does not run: {runs}")
    checkout = uses(job, "actions/checkout")
    if not checkout or checkout[0].get("with", {}).get("fetch-depth") != 0:
        problems.append("a shallow clone: the upgrade scenario cannot export the previous version")
    if (job.get("timeout-minutes") or 360) < 180:
        problems.append(f"{job.get('timeout-minutes')} minutes for about two hours of scenarios")
    return problems


def test_the_whole_reliability_set_runs_every_night():
    assert reliability_problems(yaml.safe_load(RELIABILITY.read_text())) == []


@pytest.mark.parametrize(
    "break_it, problem",
    [
        (lambda w: w.pop("on"), "no schedule"),
        (lambda w: w["on"].update(push={"branches": ["main"]}), "every push"),
        (lambda w: w.update(permissions={"contents": "write"}), "permissions"),
        (
            lambda w: w["jobs"]["reliability"]["steps"][-2].update(
                run="make reliability ARGS=--quick"
            ),
            "does not run",
        ),
        (lambda w: w["jobs"]["reliability"]["steps"][0].pop("with"), "shallow clone"),
        (lambda w: w["jobs"]["reliability"].update({"timeout-minutes": 90}), "about two hours"),
    ],
)
def test_a_weaker_reliability_workflow_is_caught(break_it, problem):
    workflow = yaml.safe_load(RELIABILITY.read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    break_it(workflow)
    assert any(problem in p for p in reliability_problems(workflow))
