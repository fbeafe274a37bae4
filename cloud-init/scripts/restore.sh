#!/usr/bin/env bash
# Restore the data volume from s3://<bucket>/<prefix>/, but only onto a new,
# empty volume. A volume that holds data is never overwritten at boot.
#   restore.sh           boot-time restore (openclaw-restore.service)
#   restore.sh --force   operator action: move the current data aside into
#                        .pre-restore-<time>/ on the volume, then restore
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
load_config

mount_point=${OPENCLAW_MOUNT_POINT:-/opt/openclaw}
attempts=${OPENCLAW_RESTORE_ATTEMPTS:-5}
retry_delay=${OPENCLAW_RETRY_DELAY_SECONDS:-10}
owner=${OPENCLAW_UID:-1000}

force=false
case ${1:-} in
  --force) force=true ;;
  "") ;;
  *) die "usage: ${0##*/} [--force]" ;;
esac

require_data_mount "$mount_point"
source_url=$(backup_url)
live=$mount_point/$LIVE_MARKER
incomplete=$mount_point/$RESTORE_MARKER

volume_is_empty() {
  [[ -z "$(find "$mount_point" -mindepth 1 -maxdepth 1 \
    ! -name lost+found ! -name "$RESTORE_MARKER" -print -quit)" ]]
}

move_aside() {
  local aside entry
  if "${SYSTEMCTL_BIN:-systemctl}" is-active --quiet openclaw.service; then
    die "openclaw.service is running; stop it before a forced restore"
  fi
  [[ -n "$(aws_cli s3 ls --recursive "$source_url" 2>/dev/null | head -n1)" ]] ||
    die "no backup found at $source_url (or it is unreachable); keeping the current data"
  aside=$mount_point/.pre-restore-$(date -u +%Y%m%dT%H%M%SZ)
  mkdir "$aside"
  find "$mount_point" -mindepth 1 -maxdepth 1 ! -name lost+found ! -name '.pre-restore-*' \
    -print0 | while IFS= read -r -d '' entry; do mv "$entry" "$aside/"; done
  log "moved the current data aside to $aside"
}

sync_down() {
  local i
  for ((i = 1; i <= attempts; i++)); do
    # WAL/SHM files are never uploaded; excluding them guards against stray ones
    # that would be replayed into a restored database.
    aws_cli s3 sync "$source_url" "$mount_point/" --only-show-errors --no-progress \
      --exclude '*-wal' --exclude '*-shm' --exclude "$LIVE_MARKER" --exclude "$RESTORE_MARKER" &&
      return 0
    log "restore attempt $i/$attempts from $source_url failed"
    ((i == attempts)) || sleep $((i * retry_delay))
  done
  return 1
}

fix_ownership() {
  local dir
  for dir in "$mount_point/.openclaw" "$mount_point/workspace"; do
    [[ -d "$dir" ]] && chown -R "$owner:$owner" "$dir"
  done
  [[ ! -d "$mount_point/.openclaw" ]] || chmod -R go-rwx "$mount_point/.openclaw"
}

if [[ -e "$live" ]] && ! $force; then
  log "volume holds live data ($live exists): not restoring"
  exit 0
fi
if ! $force && ! volume_is_empty && [[ ! -e "$incomplete" ]]; then
  log "volume is not empty and has no $LIVE_MARKER marker: keeping its data, not restoring"
  log "to replace it with the S3 backup: stop openclaw.service, then run ${0##*/} --force"
  touch "$live"
  exit 0
fi

$force && move_aside
touch "$incomplete"
log "restoring $mount_point from $source_url"
sync_down || die "restore from $source_url failed; the volume is not marked live"
fix_ownership
touch "$live"
rm -f "$incomplete"
log "restore complete from $source_url"
