# shellcheck shell=bash
# The instance as the rendered user-data lays it out, in a scratch root: every
# manifest file installed under $ROOT, the data volume a loop device mounted at
# $ROOT<mount point>, docker replaced by docker-standin.py running the real
# OpenClaw from the test cache. Scripts run with the paths of the rendered
# /etc/openclaw/openclaw.env moved under $ROOT, as systemd would run them.

REPO_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
CLOUD_INIT=$REPO_ROOT/cloud-init
PYTHON=${PYTHON:-python3}
UNIT=etc/systemd/system/openclaw.service

# Once per file: the cached OpenClaw, the installed tree, the mounted volume.
instance_setup_file() {
  local install image
  [[ $EUID -eq 0 ]] || skip "needs root (loop device, mount and network namespaces, uid 1000)"
  losetup -f >/dev/null 2>&1 || skip "no free loop device"
  install=$("$BATS_TEST_DIRNAME/ensure-openclaw.sh")
  export OPENCLAW_TEST_NODE OPENCLAW_TEST_PACKAGE
  eval "$install"
  export ROOT=$BATS_FILE_TMPDIR/root
  "$PYTHON" "$REPO_ROOT/tests/cloud-init/helpers/manifest.py" install "$CLOUD_INIT" "$ROOT"
  MOUNT=$ROOT$(setting OPENCLAW_MOUNT_POINT)
  export MOUNT
  new_volume
  # What openclaw-restore.service leaves on a new volume with no backup.
  touch "$MOUNT/.openclaw-live"
}

# A new, empty data volume (a fresh loop device with its own file system)
# mounted at the mount point, in place of the one mounted there before.
new_volume() {
  local image=$BATS_FILE_TMPDIR/volume-$(($(wc -l <"$BATS_FILE_TMPDIR/loops" 2>/dev/null || echo 0) + 1)).img loop
  ! mountpoint -q "$MOUNT" 2>/dev/null || umount "$MOUNT"
  truncate -s 512M "$image"
  loop=$(losetup -f --show "$image")
  echo "$loop" >>"$BATS_FILE_TMPDIR/loops"
  mkfs.xfs -q "$loop"
  mkdir -p "$MOUNT"
  mount "$loop" "$MOUNT"
}

instance_teardown_file() {
  local loop
  [[ -n "${ROOT:-}" ]] || return 0
  stop_containers
  umount "$MOUNT" 2>/dev/null || umount -l "$MOUNT" 2>/dev/null || true
  while read -r loop; do
    losetup -d "$loop" 2>/dev/null || true
  done < <(cat "$BATS_FILE_TMPDIR/loops" 2>/dev/null)
}

# A value of the rendered settings file.
setting() { sed -n "s/^$1=//p" "$ROOT/etc/openclaw/openclaw.env"; }

# The environment systemd gives the unit (EnvironmentFile=), with its paths under $ROOT.
instance_env() {
  export OPENCLAW_CONFIG=$ROOT/etc/openclaw/openclaw.env
  export OPENCLAW_MOUNT_POINT=$MOUNT
  # The secrets file is the bind source of what the container's entrypoint reads.
  OPENCLAW_ENV_FILE=$ROOT$(compose_source /run/openclaw/.env)
  export OPENCLAW_ENV_FILE
  export OPENCLAW_LIB_DIR=$ROOT/usr/local/lib/openclaw
  export OPENCLAW_TEST_ROOT=$ROOT DOCKER_STANDIN_STATE=$BATS_FILE_TMPDIR/docker
  export DOCKER_BIN=$BATS_FILE_TMPDIR/bin/docker AWS_BIN=$BATS_FILE_TMPDIR/bin/aws
  export AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
  mkdir -p "$BATS_FILE_TMPDIR/bin"
  printf '#!/bin/sh\nexec %q %q "$@"\n' "$PYTHON" "$BATS_TEST_DIRNAME/helpers/docker-standin.py" >"$DOCKER_BIN"
  # The SSM parameter's value is whatever the test put in ssm-value.
  printf '#!/bin/sh\ncat %q\n' "$BATS_FILE_TMPDIR/ssm-value" >"$AWS_BIN"
  chmod +x "$DOCKER_BIN" "$AWS_BIN"
}

# The secrets dotenv "in SSM" for the next start.
ssm_value() { printf '%s\n' "$@" >"$BATS_FILE_TMPDIR/ssm-value"; }

# Commands of the rendered unit for KEY (ExecStartPre, ExecStart, ...), one
# per line, with root-disk paths under $ROOT and docker as $DOCKER_BIN; a
# leading "-" (failure ignored) is kept.
unit_commands() {
  sed -n "s/^$1=//p" "$ROOT/$UNIT" |
    sed -e "s|/usr/local/lib/openclaw/|$ROOT/usr/local/lib/openclaw/|g" -e "s|^\(-\{0,1\}\)/usr/bin/env docker |\1$DOCKER_BIN |"
}

# The rendered unit's ExecStartPre steps, except those that talk to a registry
# or install docker's plugin (nothing to do without docker).
run_start_pre() {
  local line
  while read -r line; do
    case $line in
      *install-compose.sh | *ecr-login.sh | *"docker compose"*) continue ;;
      -*) ${line#-} || true ;;
      *) $line || return 1 ;;
    esac
  done < <(unit_commands ExecStartPre)
}

# The host path the rendered compose file binds at container path $1.
compose_source() {
  "$PYTHON" - "$ROOT/usr/local/lib/openclaw/docker-compose.yaml" "$1" <<'PY'
import sys, yaml
svc = yaml.safe_load(open(sys.argv[1]))["services"]["openclaw-gateway"]
print(next(v["source"] for v in svc["volumes"] if v["target"] == sys.argv[2]))
PY
}

container_pid() { cat "$DOCKER_STANDIN_STATE/openclaw-gateway.pid" 2>/dev/null; }

# Runs a command in the gateway container's network namespace (its loopback).
in_container_net() { nsenter --net="/proc/$(container_pid)/ns/net" -- "$@"; }

# Ends every process of every container this file started, then waits for them.
stop_containers() {
  local pid ns want=()
  [[ -s "$BATS_FILE_TMPDIR/namespaces" ]] && mapfile -t want <"$BATS_FILE_TMPDIR/namespaces"
  ((${#want[@]})) || return 0
  for signal in TERM KILL; do
    for pid in /proc/[0-9]*; do
      ns=$(readlink "$pid/ns/mnt" 2>/dev/null) || continue
      printf '%s\n' "${want[@]}" | grep -qxF "$ns" && kill -s "$signal" "${pid#/proc/}" 2>/dev/null
    done
    sleep 3
  done
  return 0
}

remember_namespace() { readlink "/proc/$(container_pid)/ns/mnt" >>"$BATS_FILE_TMPDIR/namespaces"; }

# S3 for backup.sh and restore.sh: tests/cloud-init's s3rver (npm) on
# 127.0.0.1 serving the rendered settings' bucket, once per file.
instance_s3_start() {
  [[ -s "$BATS_FILE_TMPDIR/s3rver.port" ]] && return 0
  S3_BUCKET=$(setting OPENCLAW_BACKUP_BUCKET)  # read by s3_start (tests/cloud-init/helpers/s3.bash)
  export S3_BUCKET
  BATS_TEST_DIRNAME=$REPO_ROOT/tests/cloud-init s3_start
}

# Runs an instance script with the AWS CLI (Debian's v2) pointed at s3rver.
with_s3() {
  AWS_BIN=${OPENCLAW_TEST_AWS:-/usr/bin/aws} AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER \
    AWS_ENDPOINT_URL=http://127.0.0.1:$(cat "$BATS_FILE_TMPDIR/s3rver.port") \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER='' \
    OPENCLAW_BACKUP_LOCK=$BATS_FILE_TMPDIR/backup.lock "$@"
}

# The JSON of `openclaw-cli ARGS`, without the lines OpenClaw prints before it.
cli_json() { "$ROOT/usr/local/bin/openclaw-cli" "$@" | sed -n '/^[{[]/,$p'; }
