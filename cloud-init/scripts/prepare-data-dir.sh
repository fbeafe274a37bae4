#!/usr/bin/env bash
# Lay out the mounted data volume for the gateway: state directories owned by
# the container user. The volume holds data only: no code, no compose file.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
load_config

mount_point=${OPENCLAW_MOUNT_POINT:?OPENCLAW_MOUNT_POINT is not set (/etc/openclaw/openclaw.env)}
owner=${OPENCLAW_UID:-1000}

if [[ "${OPENCLAW_PERSISTENCE:-snapshots}" == ephemeral ]]; then
  # No data volume, no restore: the state is a directory on the root volume.
  mkdir -p "$mount_point"
else
  require_data_mount "$mount_point"
  [[ -e "$mount_point/$LIVE_MARKER" ]] ||
    die "$mount_point has no $LIVE_MARKER marker: openclaw-restore.service has not completed"
fi

# Earlier releases kept code here; nothing may run from the volume any more.
for legacy in docker-compose.yaml auto-approve-devices.sh; do
  if [[ -e "$mount_point/$legacy" || -L "$mount_point/$legacy" ]]; then
    rm -f "$mount_point/$legacy"
    log "removed $mount_point/$legacy left by an earlier release (code lives on the root disk now)"
  fi
done

for dir in "$mount_point/.openclaw" "$mount_point/workspace"; do
  [[ -d "$dir" ]] || install -d -m 0700 -o "$owner" -g "$owner" "$dir"
  # A tree restored or edited as root would be unwritable for the gateway.
  if [[ -n "$(find "$dir" ! -uid "$owner" -print -quit)" ]]; then
    log "giving $dir to uid $owner"
    chown -R "$owner:$owner" "$dir"
  fi
done
log "state directory ready at $mount_point (persistence: ${OPENCLAW_PERSISTENCE:-snapshots})"
