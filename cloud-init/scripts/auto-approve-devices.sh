#!/usr/bin/env bash
# Approve pending OpenClaw device-pairing requests (opt-in: stack config
# auto_approve_devices, off by default). The gateway listens on 127.0.0.1
# only, so requests can come only through the instance itself (e.g. an SSM
# port forward). A retrying device gets a new request id, so every id is
# checked against a fresh listing right before it is approved.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
load_config

[[ "${OPENCLAW_AUTO_APPROVE_DEVICES:-false}" == true ]] ||
  die "auto_approve_devices is off for this stack; not approving anything"
openclaw_cli=${OPENCLAW_CLI:-/usr/local/bin/openclaw-cli}

pending_ids() {
  local listing
  listing=$("$openclaw_cli" devices list --json) || return 1
  jq -r '.pending // [] | .[].requestId // empty' <<<"$listing"
}

ids=$(pending_ids) || die "could not list pairing requests"
[[ -n "$ids" ]] || exit 0
mapfile -t candidates <<<"$ids"
for id in "${candidates[@]}"; do
  current=$(pending_ids) || die "could not list pairing requests"
  if grep -qxF -- "$id" <<<"$current"; then
    "$openclaw_cli" devices approve "$id" >/dev/null
    log "approved pairing request $id"
  else
    log "pairing request $id is no longer pending; skipped"
  fi
done
