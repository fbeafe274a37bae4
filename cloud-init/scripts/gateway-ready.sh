#!/usr/bin/env bash
# ExecStartPost of openclaw.service: waits until the gateway's own /health
# answers {"ok":true,"status":"live"}, so openclaw.service is "active" only
# once it serves. Then, if the stack opted in (auto_approve_devices), starts
# the device-approval timer, which is bound to openclaw.service.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
load_config

url=${OPENCLAW_HEALTH_URL:-http://127.0.0.1:${OPENCLAW_GATEWAY_PORT:?OPENCLAW_GATEWAY_PORT is not set (/etc/openclaw/openclaw.env)}/health}
timeout=${OPENCLAW_READY_TIMEOUT_SECONDS:-600}
systemctl_bin=${SYSTEMCTL_BIN:-systemctl}

start=$SECONDS
until gateway_live "$url"; do
  ((SECONDS - start < timeout)) || die "the gateway did not answer $url as live within ${timeout}s"
  sleep 2
done
log "gateway is live at $url after $((SECONDS - start))s"

if [[ "${OPENCLAW_AUTO_APPROVE_DEVICES:-false}" == true ]]; then
  "$systemctl_bin" start --no-block openclaw-auto-approve.timer
  log "auto_approve_devices is on: started openclaw-auto-approve.timer"
fi
