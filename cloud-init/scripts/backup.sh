#!/usr/bin/env bash
# Back the data volume up to s3://<bucket>/<prefix>/ (a versioned bucket).
# SQLite databases go up as online-backup copies; live .sqlite/-wal/-shm/
# -journal files are never uploaded. Everything else is synced as files.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
load_config

script_dir=$(dirname "$(readlink -f "$0")")
mount_point=${OPENCLAW_MOUNT_POINT:-/opt/openclaw}
lock_file=${OPENCLAW_BACKUP_LOCK:-/run/lock/openclaw-backup.lock}

require_data_mount "$mount_point"
target_url=$(backup_url)
[[ -e "$mount_point/$LIVE_MARKER" ]] ||
  die "$mount_point has no $LIVE_MARKER marker (restore not completed); refusing to back it up over $target_url"

exec 9>"$lock_file"
flock -n 9 || die "another backup is running"

# Left behind only by a killed run; the lock says none is running now.
rm -rf "$mount_point"/.backup-staging.*
staging=$(mktemp -d "$mount_point/.backup-staging.XXXXXX")
trap 'rm -rf "$staging"' EXIT

# Prints NUL-separated paths (relative to the mount point) of SQLite databases,
# recognised by their header (or, while still empty, by their -wal file).
find_databases() {
  local path header LC_ALL=C
  while IFS= read -r -d '' path; do
    header=
    IFS= read -r -n 15 -d '' header <"$path" || true
    if [[ "$header" == "SQLite format 3" || -e "$path-wal" ]]; then
      printf '%s\0' "${path#"$mount_point"/}"
    fi
  done < <(find "$mount_point" \( -path "$mount_point/lost+found" -o -name '.backup-staging.*' \
    -o -name '.pre-restore-*' \) -prune -o -type f -print0)
  return 0
}

# aws s3 filters are fnmatch patterns; make a literal path match only itself.
glob_escape() {
  local s=$1
  s=${s//\[/[[]}
  s=${s//\*/[*]}
  s=${s//\?/[?]}
  printf '%s\n' "$s"
}

mapfile -d '' databases < <(find_databases)
filters=(--exclude "$LIVE_MARKER" --exclude "$RESTORE_MARKER" --exclude 'lost+found/*'
  --exclude '.backup-staging.*' --exclude '.pre-restore-*' --exclude '*-wal' --exclude '*-shm' --exclude '*-journal')
for db in "${databases[@]}"; do
  filters+=(--exclude "$(glob_escape "$db")")
done

log "syncing files from $mount_point to $target_url"
aws_cli s3 sync "$mount_point/" "$target_url" --only-show-errors --no-progress "${filters[@]}" ||
  die "file sync to $target_url failed"

n=0
for db in "${databases[@]}"; do
  n=$((n + 1))
  "$script_dir/snapshot-sqlite.sh" "$mount_point/$db" "$staging/$n.sqlite"
  aws_cli s3 cp "$staging/$n.sqlite" "$target_url$db" --only-show-errors --no-progress ||
    die "upload of the copy of $db failed"
  rm -f "$staging/$n.sqlite"
done
log "backup complete: files synced and ${#databases[@]} SQLite database(s) copied to $target_url"
