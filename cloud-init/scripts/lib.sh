# shellcheck shell=bash
# Helpers shared by the OpenClaw instance scripts. Sourced, never run.

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Export KEY=VALUE lines from the settings file for keys the caller left unset,
# so systemd, operators and tests can all override single values.
load_config() {
  local file=${OPENCLAW_CONFIG:-/etc/openclaw/openclaw.env} key value
  [[ -r "$file" ]] || return 0
  while IFS='=' read -r key value; do
    [[ "$key" =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
    [[ -z "${!key+x}" ]] || continue
    export "$key=$value"
  done <"$file"
}

# The CLI binary is overridable (tests use Debian's v2 at /usr/bin/aws), and
# the endpoint is passed explicitly because older v2 releases ignore AWS_ENDPOINT_URL.
aws_cli() {
  local -a global=()
  [[ -z "${AWS_ENDPOINT_URL:-}" ]] || global+=(--endpoint-url "$AWS_ENDPOINT_URL")
  [[ -z "${OPENCLAW_REGION:-}" ]] || global+=(--region "$OPENCLAW_REGION")
  "${AWS_BIN:-aws}" "${global[@]}" "$@"
}

# s3://<bucket>/<prefix>/ with exactly one trailing slash; refuses empty parts.
backup_url() {
  local bucket=${OPENCLAW_BACKUP_BUCKET:-} prefix=${OPENCLAW_BACKUP_PREFIX:-}
  prefix=${prefix#/}
  prefix=${prefix%/}
  [[ -n "$bucket" ]] || die "OPENCLAW_BACKUP_BUCKET is not set"
  [[ -n "$prefix" ]] || die "OPENCLAW_BACKUP_PREFIX is not set"
  printf 's3://%s/%s/\n' "$bucket" "$prefix"
}

# Backup and restore act only on the mounted data volume, never on the root
# disk directory underneath it.
require_data_mount() {
  local dir=$1
  [[ "${OPENCLAW_REQUIRE_MOUNT:-1}" == 0 ]] && return 0
  mountpoint -q "$dir" || die "$dir is not a mount point; the data volume is not mounted"
}

# Files kept on the volume that describe the volume itself; never backed up.
# shellcheck disable=SC2034  # used by the scripts that source this file
LIVE_MARKER=.openclaw-live
# shellcheck disable=SC2034
RESTORE_MARKER=.openclaw-restore-incomplete

# <on the volume>:<in the container>, as in docker-compose.yaml (tested).
# shellcheck disable=SC2034
OPENCLAW_STATE_MOUNTS=(".openclaw:/home/node/.openclaw" "workspace:/home/node/.openclaw/workspace")
# shellcheck disable=SC2034
ARCHIVE_OUTPUT_DIR=/home/node/backup-out ARCHIVE_INPUT=/home/node/backup-in/archive.tar.gz ARCHIVE_RESTORE_DIR=/home/node/restore-target

gateway_running() {
  local running
  "${SYSTEMCTL_BIN:-systemctl}" is-active --quiet openclaw.service && return 0
  running=$("${DOCKER_BIN:-docker}" ps --quiet --filter name=^openclaw-gateway$ --filter status=running 2>/dev/null) ||
    return 1
  [[ -n "$running" ]]
}

archive_url() { printf '%sarchives/\n' "$(backup_url)"; }
# shellcheck disable=SC2034
ARCHIVE_NAME_PATTERN='^[0-9]{8}T[0-9]{6}\.[0-9]{3}Z-(scheduled|final)\.tar\.gz$'

# The gateway's own /health answers {"ok":true,"status":"live"} (gateway-ready.sh, health-probe.sh).
gateway_live() {
  "${CURL_BIN:-curl}" -fsS --max-time 5 "$1" 2>/dev/null | jq -e '.ok == true and .status == "live"' >/dev/null 2>&1
}

# Appends one CloudWatch embedded metric format (EMF) line per call: emit_metrics Name=Value...
# The agent ships the file to its own log stream and CloudWatch Logs extracts the metrics into
# METRICS_NAMESPACE with the one dimension Stack (docs/alerts.md). Never fails the caller.
METRICS_NAMESPACE=OpenClaw
emit_metrics() {
  local file=${OPENCLAW_METRICS_LOG:-/var/log/openclaw/metrics.log}
  [[ -n "${OPENCLAW_STACK:-}" ]] || { log "OPENCLAW_STACK is not set; metrics $* not written"; return 0; }
  { mkdir -p "${file%/*}" && jq -cn --arg ns "$METRICS_NAMESPACE" --arg stack "$OPENCLAW_STACK" --argjson ts "$(date +%s%3N)" '
    [$ARGS.positional[] | split("=") | {key: .[0], value: (.[1] | tonumber)}] as $m
    | {_aws: {Timestamp: $ts, CloudWatchMetrics: [{Namespace: $ns, Dimensions: [["Stack"]],
        Metrics: [$m[] | {Name: .key}]}]}, Stack: $stack} + ($m | from_entries)' --args "$@" >>"$file"; } ||
    log "could not write metrics $* to $file"
}
