#!/usr/bin/env bash
# Approve pending OpenClaw device-pairing requests. The gateway listens on
# 127.0.0.1 only, so requests can come only through the instance itself (e.g.
# an SSM port forward). A retrying device gets a new request id, so every id is
# checked against a fresh listing right before it is approved.
set -euo pipefail

container=${OPENCLAW_GATEWAY_CONTAINER:-openclaw-gateway}
docker_bin=${DOCKER_BIN:-docker}

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

openclaw_cli() {
  "$docker_bin" exec "$container" node dist/index.js "$@"
}

pending_ids() {
  local listing
  listing=$(openclaw_cli devices list --json) || return 1
  jq -r '.pending // [] | .[].requestId // empty' <<<"$listing"
}

if [[ -z "$("$docker_bin" ps --quiet --filter "name=^$container\$" --filter status=running)" ]]; then
  log "gateway is not running; nothing to approve"
  exit 0
fi

ids=$(pending_ids) || { log "could not list pairing requests"; exit 1; }
[[ -n "$ids" ]] || exit 0
mapfile -t candidates <<<"$ids"
for id in "${candidates[@]}"; do
  current=$(pending_ids) || { log "could not list pairing requests"; exit 1; }
  if grep -qxF -- "$id" <<<"$current"; then
    openclaw_cli devices approve "$id" >/dev/null
    log "approved pairing request $id"
  else
    log "pairing request $id is no longer pending; skipped"
  fi
done
