#!/usr/bin/env bash
# Log docker in to ECR when the OpenClaw image lives there; otherwise do nothing.
# The password goes from the AWS CLI to docker through a pipe only.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
load_config

image=${OPENCLAW_IMAGE:-}
[[ -n "$image" ]] || die "OPENCLAW_IMAGE is not set"
registry=${image%%/*}
ecr='^[0-9]{12}\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$'
if [[ "$image" != */* || ! "$registry" =~ $ecr ]]; then
  log "$image is not in ECR: no registry login needed"
  exit 0
fi
region=${BASH_REMATCH[2]}

OPENCLAW_REGION=$region aws_cli ecr get-login-password |
  "${DOCKER_BIN:-docker}" login --username AWS --password-stdin "$registry" >/dev/null ||
  die "docker login to $registry failed"
log "logged in to $registry"
