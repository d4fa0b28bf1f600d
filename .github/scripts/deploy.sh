#!/usr/bin/env bash
# Deploys the image saved by the build job (image.tar.gz) to one environment's ECS stack:
#   1. push it to the environment's ECR repository (tags are immutable);
#   2. register new revisions of the web, worker and upgrade task definitions: the latest
#      revision of each family (Terraform's settings) with the new image;
#   3. run the one-off upgrade task (odoo -u <suite modules> --stop-after-init) and stop on
#      any exit code but 0: the services keep the previous image;
#   4. update both services and wait until they are stable (the deployment circuit breaker
#      rolls a service back by itself when the new tasks do not become healthy).
# Needs: STACK (furniture-<environment>: cluster, repository and task families), TAG (the
# commit id); AWS credentials (the deploy role).
set -euo pipefail
: "${STACK:?set STACK to furniture-<environment>}"
: "${TAG:?set TAG to the image tag (commit id)}"
cluster="$STACK"
repository="$(aws ecr describe-repositories --repository-names "$STACK" \
    --query 'repositories[0].repositoryUri' --output text)"
IMAGE="$repository:$TAG"
modules="${UPGRADE_MODULES:-$(find addons -mindepth 2 -maxdepth 2 -name __manifest__.py -printf '%h\n' | xargs -n1 basename | sort | paste -sd, -)}"

local_image="$(gunzip -c image.tar.gz | docker load | sed -n 's/^Loaded image: //p' | head -n1)"
docker tag "$local_image" "$IMAGE"
docker push "$IMAGE"
echo "Deployed image: \`$IMAGE\` (base \`${BASE_DIGEST:-unknown}\`)" >> "${GITHUB_STEP_SUMMARY:-/dev/null}"

register() {
    local family="$1" file
    file="$(mktemp)"
    aws ecs describe-task-definition --task-definition "$family" --query taskDefinition --output json \
        | jq --arg image "$IMAGE" '.containerDefinitions[0].image = $image
            | del(.taskDefinitionArn, .revision, .status, .requiresAttributes, .compatibilities,
                  .registeredAt, .registeredBy, .deregisteredAt)' > "$file"
    aws ecs register-task-definition --cli-input-json "file://$file" \
        --query taskDefinition.taskDefinitionArn --output text
}
web="$(register "$STACK-web")"
worker="$(register "$STACK-worker")"
upgrade="$(register "$STACK-upgrade")"

network="$(aws ecs describe-services --cluster "$cluster" --services web \
    --query 'services[0].networkConfiguration' --output json)"
overrides="$(jq -n --arg modules "$modules" \
    '{containerOverrides: [{name: "odoo", command: ["odoo", "-u", $modules, "--stop-after-init", "--no-http"]}]}')"
task="$(aws ecs run-task --cluster "$cluster" --task-definition "$upgrade" --launch-type FARGATE \
    --network-configuration "$network" --overrides "$overrides" \
    --started-by "github-${GITHUB_RUN_ID:-manual}" --query 'tasks[0].taskArn' --output text)"
echo "upgrade task $task: odoo -u $modules --stop-after-init"
for _ in 1 2 3 4 5 6; do  # up to an hour
    if aws ecs wait tasks-stopped --cluster "$cluster" --tasks "$task"; then break; fi
done
code="$(aws ecs describe-tasks --cluster "$cluster" --tasks "$task" \
    --query 'tasks[0].containers[0].exitCode' --output text)"
if [ "$code" != "0" ]; then
    echo "the upgrade task ended with '$code': services left on their previous image;" \
        "see the log group /$STACK/upgrade" >&2
    exit 1
fi

aws ecs update-service --cluster "$cluster" --service web --task-definition "$web" > /dev/null
aws ecs update-service --cluster "$cluster" --service worker --task-definition "$worker" > /dev/null
aws ecs wait services-stable --cluster "$cluster" --services web worker
echo "web: $web; worker: $worker"
