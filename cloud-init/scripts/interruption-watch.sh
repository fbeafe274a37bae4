#!/usr/bin/env bash
# Poll IMDSv2 for a Spot interruption notice every few seconds (AWS advises 5).
# On a notice: stop the gateway, any scheduled backup, then run the final one.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
load_config

endpoint=${OPENCLAW_IMDS_ENDPOINT:-http://169.254.169.254}
poll_seconds=${OPENCLAW_POLL_SECONDS:-5}
systemctl_bin=${SYSTEMCTL_BIN:-systemctl}
token_ttl=21600
token=
token_age=0
last_problem=

fetch_token() {
  token=$(curl -fsS --max-time 2 -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: $token_ttl" \
    "$endpoint/latest/api/token" 2>/dev/null) || { token=; return 1; }
  token_age=$SECONDS
}

# Logs a problem once, not on every poll.
problem() {
  [[ "$1" == "$last_problem" ]] || log "$1"
  last_problem=$1
}

# Sets $notice and returns 0 when a notice is posted; 1 otherwise.
check_notice() {
  local response code
  if [[ -z "$token" ]] || ((SECONDS - token_age > token_ttl - 600)); then
    fetch_token || { problem "cannot get an IMDSv2 token from $endpoint"; return 1; }
  fi
  response=$(curl -sS --max-time 2 -w '\n%{http_code}' -H "X-aws-ec2-metadata-token: $token" \
    "$endpoint/latest/meta-data/spot/instance-action" 2>&1) || { problem "IMDS request failed: $response"; return 1; }
  code=${response##*$'\n'}
  case $code in
    200) notice=${response%$'\n'*}; return 0 ;;
    404) last_problem= ;;
    401) token=; problem "IMDS token rejected; fetching a new one" ;;
    *) problem "unexpected IMDS answer $code" ;;
  esac
  return 1
}

log "watching $endpoint for Spot interruption notices every ${poll_seconds}s"
notice=
until check_notice; do
  sleep "$poll_seconds"
done

log "Spot interruption notice: $notice"
status=0
log "stopping openclaw.service"
timeout 90 "$systemctl_bin" stop openclaw.service || { log "stopping openclaw.service failed"; status=1; }
if [[ "${OPENCLAW_PERSISTENCE:-snapshots}" == ephemeral ]]; then
  log "persistence: ephemeral: no backup to run (the state stays on the root volume while the instance is stopped)"
else
  "$systemctl_bin" stop openclaw-backup.timer openclaw-backup.service ||
    { log "stopping the scheduled backup failed"; status=1; }
  log "running the final backup"
  "$systemctl_bin" start openclaw-final-backup.service || { log "final backup failed"; status=1; }
fi
log "interruption handling finished (status $status)"
exit "$status"
