#!/usr/bin/env bash
# Lay out the mounted data volume for the gateway: state directories owned by
# the container user, plus the current compose file and approval helper.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
load_config

mount_point=${OPENCLAW_MOUNT_POINT:-/opt/openclaw}
share_dir=${OPENCLAW_SHARE_DIR:-/usr/local/share/openclaw}
owner=${OPENCLAW_UID:-1000}

require_data_mount "$mount_point"
[[ -e "$mount_point/$LIVE_MARKER" ]] ||
  die "$mount_point has no $LIVE_MARKER marker: openclaw-restore.service has not completed"

install -m 0644 "$share_dir/docker-compose.yaml" "$mount_point/docker-compose.yaml"
install -m 0755 "$share_dir/auto-approve-devices.sh" "$mount_point/auto-approve-devices.sh"

for dir in "$mount_point/.openclaw" "$mount_point/workspace"; do
  [[ -d "$dir" ]] || install -d -m 0700 -o "$owner" -g "$owner" "$dir"
  # A tree restored or edited as root would be unwritable for the gateway.
  if [[ -n "$(find "$dir" ! -uid "$owner" -print -quit)" ]]; then
    log "giving $dir to uid $owner"
    chown -R "$owner:$owner" "$dir"
  fi
done
log "data volume ready at $mount_point"
