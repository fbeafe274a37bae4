#!/usr/bin/env bash
# Upload an OpenClaw archive of the data volume to S3 (docs/backups.md).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
load_config

mount_point=${OPENCLAW_MOUNT_POINT:?OPENCLAW_MOUNT_POINT is not set (/etc/openclaw/openclaw.env)}
lock_file=${OPENCLAW_BACKUP_LOCK:-/run/lock/openclaw-backup.lock}
runner=${OPENCLAW_ARCHIVE_RUNNER:-$(dirname "$(readlink -f "$0")")/openclaw-archive.sh}
owner=${OPENCLAW_UID:-1000}
attempts=${OPENCLAW_BACKUP_ATTEMPTS:-2}
success_stamp=${OPENCLAW_BACKUP_STAMP:-/var/lib/openclaw/last-backup}

kind=scheduled
case ${1:-} in
  --final) kind=final ;;
  "") ;;
  *) die "usage: ${0##*/} [--final]" ;;
esac

# Every run that was not skipped publishes its outcome (docs/alerts.md); a success also
# stamps the time the health probe reports as BackupAgeSeconds.
staging='' runner_pid='' report=true
finish() {
  local rc=$?
  [[ -z "$runner_pid" ]] || kill "$runner_pid" 2>/dev/null || true
  [[ -z "$staging" ]] || rm -rf "$staging"
  $report || return 0
  if ((rc == 0)); then
    { mkdir -p "${success_stamp%/*}" && touch "$success_stamp"; } || log "could not stamp $success_stamp"
    emit_metrics BackupSucceeded=1 BackupFailed=0
  else
    emit_metrics BackupSucceeded=0 BackupFailed=1
  fi
}
trap finish EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

require_data_mount "$mount_point"
target_url=$(archive_url)
[[ -e "$mount_point/$LIVE_MARKER" ]] ||
  die "$mount_point has no $LIVE_MARKER marker (restore not completed); refusing to back it up over $target_url"

exec 9>"$lock_file"
if [[ $kind == final ]]; then
  flock -w "${OPENCLAW_FINAL_LOCK_WAIT_SECONDS:-60}" 9 || die "a backup still holds $lock_file; no final backup taken"
  ! gateway_running || die "the gateway is still running; the final backup must start after it stopped"
else
  flock -n 9 || { report=false; die "another backup is running"; }
fi

rm -rf "$mount_point"/.backup-staging.*
staging=$(mktemp -d "$mount_point/.backup-staging.XXXXXX")
create_archive() {
  rm -rf "$staging/out"
  install -d -m 0700 -o "$owner" -g "$owner" "$staging/out"
  "$runner" create "$staging/out" >"$staging/result.json" 2>"$staging/runner.log" &
  runner_pid=$!
  local rc=0
  wait "$runner_pid" || rc=$?
  runner_pid=
  return "$rc"
}

created=false
for ((i = 1; i <= attempts; i++)); do
  if create_archive; then
    created=true
    break
  fi
  log "OpenClaw backup attempt $i/$attempts failed: $(tail -n 5 "$staging/runner.log" | tr '\n' ' ')"
done
if ! $created; then
  find -P "$mount_point/.openclaw" "$mount_point/workspace" -type l -lname '/*' \
    -printf 'backup.sh: link %p -> %l points outside the volume (never followed)\n' >&2 2>/dev/null || true
  die "no archive: openclaw backup create failed $attempts time(s); nothing uploaded"
fi

chown -hR 0:0 "$staging/out"
mapfile -t archives < <(find "$staging/out" -mindepth 1 -maxdepth 1 -type f -name '*.tar.gz')
((${#archives[@]} == 1)) || die "expected one archive in $staging/out, found ${#archives[@]}"
archive=${archives[0]}
[[ "$(jq -r '.verified' "$staging/result.json")" == true ]] || die "OpenClaw did not verify $archive"
created_at=$(jq -r '.createdAt' "$staging/result.json")
[[ "$created_at" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$ ]] ||
  die "unexpected createdAt '$created_at' from openclaw backup create"

while IFS=$'\t' read -r entry link; do
  log "not following link $entry -> $link: it points outside the volume; only the link is in the archive"
done < <(jq -r '.externalSymbolicLinks[]? | [.entryPath, .linkpath] | @tsv' "$staging/result.json")
while IFS= read -r warning; do
  log "OpenClaw: $warning"
done < <(jq -r '.warnings[]?' "$staging/result.json")

stamp=${created_at//[-:]/}
key_url="$target_url$stamp-$kind.tar.gz"
size=$(stat -c %s "$archive")
aws_cli s3 cp "$archive" "$key_url" --only-show-errors --no-progress ||
  die "upload of $archive to $key_url failed"
log "backup complete: $key_url ($size bytes, verified by OpenClaw, state as of $created_at)"
