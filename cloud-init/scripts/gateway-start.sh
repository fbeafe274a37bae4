#!/usr/bin/env bash
# Main process of openclaw.service: refuses to start a gateway that would
# refuse to serve, gives a new volume OpenClaw's baseline config (once), then
# runs the gateway in the foreground until it exits.
# Exit 78 (EX_CONFIG, also what OpenClaw uses for "not configured") means a
# setting must be fixed: the unit's RestartPreventExitStatus=78 stops systemd
# from restarting it in a loop.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
load_config

readonly EX_CONFIG=78
mount_point=${OPENCLAW_MOUNT_POINT:?OPENCLAW_MOUNT_POINT is not set (/etc/openclaw/openclaw.env)}
env_file=${OPENCLAW_ENV_FILE:-/run/openclaw/.env}
lib_dir=${OPENCLAW_LIB_DIR:-/usr/local/lib/openclaw}
compose_file=$lib_dir/docker-compose.yaml
docker_bin=${DOCKER_BIN:-docker}
config=$mount_point/.openclaw/openclaw.json

# The check reads the secrets through the container's own entrypoint, so it
# parses them exactly as the gateway will. It runs as root: a clean
# environment, and only the two auth keys are exported (OPENCLAW_SECRETS_KEYS),
# so a key such as LD_PRELOAD in the file never reaches the shell it starts.
has_gateway_auth() {
  # shellcheck disable=SC2016  # expanded by the inner shell, after the entrypoint exported the file
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin OPENCLAW_SECRETS_FILE="$env_file" \
    OPENCLAW_SECRETS_KEYS="OPENCLAW_GATEWAY_TOKEN OPENCLAW_GATEWAY_PASSWORD" \
    "$lib_dir/gateway-entrypoint.sh" /bin/sh -c '[ -n "${OPENCLAW_GATEWAY_TOKEN:-}${OPENCLAW_GATEWAY_PASSWORD:-}" ]' 2>/dev/null
}

if ! has_gateway_auth; then
  log "ERROR: no OPENCLAW_GATEWAY_TOKEN or OPENCLAW_GATEWAY_PASSWORD in $env_file (SSM ${OPENCLAW_SSM_ENV_PARAMETER:-parameter}), and the gateway refuses to serve without one: set it with ./build.sh Secrets, then restart openclaw.service"
  exit "$EX_CONFIG"
fi

compose() { "$docker_bin" compose -f "$compose_file" "$@"; }

# First boot of a new volume: OpenClaw's own non-interactive setup writes the
# config (gateway.mode=local), the workspace and the session folders. An
# existing config, restored or not, is never touched.
if [[ ! -e "$config" ]]; then
  log "no $config: new volume, running openclaw setup --baseline once"
  compose run --rm --no-deps -T openclaw-gateway node dist/index.js setup --baseline </dev/null >&2 ||
    die "openclaw setup --baseline failed; see the lines above"
  [[ -s "$config" ]] || die "openclaw setup --baseline did not write $config"
  log "wrote $config"
fi

exec "$docker_bin" compose -f "$compose_file" up --no-color --remove-orphans \
  --abort-on-container-exit --exit-code-from openclaw-gateway
