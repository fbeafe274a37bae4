#!/usr/bin/env bash
# create OUT | restore ARCHIVE TARGET: OpenClaw in a sibling container (docs/backups.md).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
load_config

mount_point=${OPENCLAW_MOUNT_POINT:?OPENCLAW_MOUNT_POINT is not set (/etc/openclaw/openclaw.env)}
owner=${OPENCLAW_UID:-1000}
docker_bin=${DOCKER_BIN:-docker}
image=${OPENCLAW_IMAGE:-}
[[ -n "$image" ]] || die "OPENCLAW_IMAGE is not set"

ensure_image() {
  "$docker_bin" image inspect "$image" >/dev/null 2>&1 && return 0
  [[ $1 == pull ]] || die "$image is not on this instance; the gateway has not started yet"
  log "pulling $image"
  "$(dirname "$(readlink -f "$0")")/ecr-login.sh"
  "$docker_bin" pull --quiet "$image" >/dev/null || die "docker pull $image failed"
}

run_openclaw() {
  exec "$docker_bin" run --rm --pull never --network none --user "$owner:$owner" \
    --security-opt no-new-privileges:true --env HOME=/home/node "$@"
}

state_mounts=()
for entry in "${OPENCLAW_STATE_MOUNTS[@]}"; do
  state_mounts+=(--mount "type=bind,source=$mount_point/${entry%%:*},target=${entry#*:}")
done

case ${1:-} in
  create)
    (($# == 2)) || die "usage: ${0##*/} create OUTPUT_DIR"
    ensure_image local
    run_openclaw "${state_mounts[@]}" --mount "type=bind,source=$2,target=$ARCHIVE_OUTPUT_DIR" \
      "$image" node dist/index.js backup create --verify --json --output "$ARCHIVE_OUTPUT_DIR"
    ;;
  restore)
    (($# == 3)) || die "usage: ${0##*/} restore ARCHIVE TARGET"
    ensure_image pull
    run_openclaw --mount "type=bind,source=$2,target=$ARCHIVE_INPUT,readonly" \
      --mount "type=bind,source=$3,target=$ARCHIVE_RESTORE_DIR" \
      "$image" node dist/index.js backup restore "$ARCHIVE_INPUT" --target "$ARCHIVE_RESTORE_DIR" --json
    ;;
  *) die "usage: ${0##*/} create OUTPUT_DIR | restore ARCHIVE TARGET" ;;
esac
