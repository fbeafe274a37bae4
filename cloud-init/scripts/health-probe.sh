#!/usr/bin/env bash
# Every minute (openclaw-health.timer): publishes GatewayHealthy (1 when the
# gateway's own /health answers live, as gateway-ready.sh checks, else 0) and,
# once a backup succeeded on this instance, BackupAgeSeconds since it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
load_config

url=${OPENCLAW_HEALTH_URL:-http://127.0.0.1:${OPENCLAW_GATEWAY_PORT:?OPENCLAW_GATEWAY_PORT is not set (/etc/openclaw/openclaw.env)}/health}
stamp=${OPENCLAW_BACKUP_STAMP:-/var/lib/openclaw/last-backup}

healthy=0
gateway_live "$url" && healthy=1
metrics=("GatewayHealthy=$healthy")
[[ ! -e "$stamp" ]] || metrics+=("BackupAgeSeconds=$(($(date +%s) - $(stat -c %Y "$stamp")))")
emit_metrics "${metrics[@]}"
