#!/usr/bin/env bash
# Restore the newest OpenClaw archive onto an empty data volume (docs/backups.md).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
load_config

mount_point=${OPENCLAW_MOUNT_POINT:?OPENCLAW_MOUNT_POINT is not set (/etc/openclaw/openclaw.env)}
attempts=${OPENCLAW_RESTORE_ATTEMPTS:-5}
retry_delay=${OPENCLAW_RETRY_DELAY_SECONDS:-10}
owner=${OPENCLAW_UID:-1000}
runner=${OPENCLAW_ARCHIVE_RUNNER:-$(dirname "$(readlink -f "$0")")/openclaw-archive.sh}

force=false
case ${1:-} in
  --force) force=true ;;
  "") ;;
  *) die "usage: ${0##*/} [--force]" ;;
esac

require_data_mount "$mount_point"
source_url=$(archive_url)
live=$mount_point/$LIVE_MARKER
incomplete=$mount_point/$RESTORE_MARKER

data_entries() {
  find "$mount_point" -mindepth 1 -maxdepth 1 ! -name lost+found ! -name "$RESTORE_MARKER" \
    ! -name "$LIVE_MARKER" ! -name '.restore-staging.*' ! -name '.backup-staging.*' ! -name '.pre-restore-*' -print0
}
volume_is_empty() { [[ -z "$(data_entries | head -c1)" ]]; }

with_retries() {
  local i
  for ((i = 1; i <= attempts; i++)); do
    "$@" && return 0
    log "attempt $i/$attempts failed: $*"
    ((i == attempts)) || sleep $((i * retry_delay))
  done
  return 1
}

newest_archive() {
  local bucket=${source_url#s3://} listing key name newest='' horizon
  local prefix=${bucket#*/}
  bucket=${bucket%%/*}
  listing=$(aws_cli s3api list-objects-v2 --bucket "$bucket" --prefix "$prefix" \
    --query 'Contents[].Key' --output text) || return 1
  horizon=$(date -u -d '+1 day' +%Y%m%dT%H%M%S)
  for key in $listing; do
    name=${key#"$prefix"}
    [[ "$name" =~ $ARCHIVE_NAME_PATTERN ]] || continue
    if [[ "${name:0:15}" > "$horizon" ]]; then
      log "ignoring $name: its time is in the future"
      continue
    fi
    [[ "$name" < "$newest" ]] || newest=$name
  done
  [[ -z "$newest" ]] || printf '%s%s\n' "$source_url" "$newest"
}

move_aside() {
  local aside entry
  ! gateway_running || die "openclaw.service is running; stop it before a forced restore"
  aside=$mount_point/.pre-restore-$(date -u +%Y%m%dT%H%M%SZ)
  mkdir "$aside"
  data_entries | while IFS= read -r -d '' entry; do mv "$entry" "$aside/"; done
  rm -f "$live"
  log "moved the current data aside to $aside"
}

# The restored tree holds the manifest and the state folder, nothing else: a compose file, a script or another
# folder anywhere in it (an archive written by a hostile instance) refuses the whole archive.
refuse_extras() {
  local top=$1 name=$2 state=$3 path entry
  local -A allowed=(["./$name"]=1 ["./$name/manifest.json"]=1)
  path=payload/posix$state
  while [[ $path == */* ]]; do
    path=${path%/*}
    allowed["./$name/$path"]=1
  done
  while IFS= read -r -d '' entry; do
    [[ -z "${allowed[$entry]:-}" ]] || continue
    entry=${entry#./}
    die "the archive holds ${entry#"$name"/} besides the manifest and $state; not restoring"
  done < <(cd "$top" && find . -mindepth 1 -path "./$name/payload/posix$state" -prune -o -print0)
}

place_archive() {
  local manifest root entry inner state=${OPENCLAW_STATE_MOUNTS[0]#*:}
  manifest=$(find "$1" -mindepth 2 -maxdepth 2 -name manifest.json -type f)
  [[ -n "$manifest" && "$(wc -l <<<"$manifest")" -eq 1 ]] || die "no single manifest.json in the restored archive"
  root=$(dirname "$manifest")
  jq -e --arg state "$state" '[.assets[].sourcePath] == [$state]' "$manifest" >/dev/null 2>&1 ||
    die "the archive's assets are not exactly $state (the volume's state folder); not restoring"
  refuse_extras "$1" "${root##*/}" "$state"
  mkdir "$2"
  for ((i = ${#OPENCLAW_STATE_MOUNTS[@]} - 1; i >= 0; i--)); do
    entry=${OPENCLAW_STATE_MOUNTS[i]}
    inner=$root/payload/posix${entry#*:}
    [[ ! -L "$inner" && (-d "$inner" || ! -e "$inner") ]] || die "${entry#*:} in the archive is not a folder; not restoring"
    [[ ! -d "$inner" ]] || mv "$inner" "$2/${entry%%:*}"
  done
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

newest=$(with_retries newest_archive) || die "cannot list $source_url; the volume is not marked live"
if $force; then
  [[ -n "$newest" ]] || die "no backup found at $source_url; keeping the current data"
  move_aside
elif [[ -e "$incomplete" ]]; then
  data_entries | xargs -0 -r rm -rf --
fi
rm -rf "$mount_point"/.restore-staging.*
if [[ -z "$newest" ]]; then
  log "no archive under $source_url: the volume starts empty"
  touch "$live"
  exit 0
fi

touch "$incomplete"
staging=$(mktemp -d "$mount_point/.restore-staging.XXXXXX")
trap 'rm -rf "$staging"' EXIT
log "restoring $mount_point from $newest"
install -d -m 0700 -o "$owner" -g "$owner" "$staging/in" "$staging/tree"
with_retries aws_cli s3 cp "$newest" "$staging/in/archive.tar.gz" --only-show-errors --no-progress ||
  die "download of $newest failed; the volume is not marked live"
chown "$owner:$owner" "$staging/in/archive.tar.gz"
{ "$runner" restore "$staging/in/archive.tar.gz" "$staging/tree" >"$staging/result.json" 2>"$staging/runner.log" &&
  [[ "$(jq -r .ok "$staging/result.json")" == true ]]; } ||
  die "openclaw backup restore refused $newest: $(tail -n 3 "$staging/runner.log" | tr '\n' ' ')"
chown -hR 0:0 "$staging/tree"
place_archive "$staging/tree" "$staging/place"

volume_is_empty || die "data appeared on $mount_point during the restore; not moving the archive into place"
for entry in "${OPENCLAW_STATE_MOUNTS[@]}"; do
  [[ -d "$staging/place/${entry%%:*}" ]] || continue
  chown -hR "$owner:$owner" "$staging/place/${entry%%:*}"
  chmod -R go-rwx "$staging/place/${entry%%:*}"
  mv "$staging/place/${entry%%:*}" "$mount_point/"
done
touch "$live"
rm -f "$incomplete"
log "restore complete from $newest (state as of $(jq -r '.createdAt' "$staging/result.json"))"
