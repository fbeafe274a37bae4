#!/usr/bin/env bash
# Fetch the OpenClaw secrets (a dotenv SecureString in SSM) into a 0600 file on
# tmpfs, atomically. The value never passes through a variable, argv or log.
# The file belongs to the gateway's uid: the container reads it through a
# read-only bind mount; on the host, its 0700 root directory keeps others out.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
load_config

parameter=${OPENCLAW_SSM_ENV_PARAMETER:-}
env_file=${OPENCLAW_ENV_FILE:-/run/openclaw/.env}
mount_point=${OPENCLAW_MOUNT_POINT:?OPENCLAW_MOUNT_POINT is not set (/etc/openclaw/openclaw.env)}
owner=${OPENCLAW_UID:-1000}

env_dir=$(dirname "$env_file")
mkdir -p "$env_dir"
env_dir=$(readlink -f "$env_dir")
case "$env_dir/" in
  "$(readlink -m "$mount_point")"/*) die "refusing to write secrets under the data volume ($env_file)" ;;
esac
chmod 0700 "$env_dir"

umask 077
tmp=$(mktemp "$env_dir/.env.XXXXXX")
trap 'rm -f "$tmp"' EXIT
if [[ -z "$parameter" ]]; then
  log "no SSM parameter configured: writing an empty $env_file"
else
  aws_cli ssm get-parameter --name "$parameter" --with-decryption \
    --query Parameter.Value --output text >"$tmp" ||
    die "could not read SSM parameter $parameter (check that it exists and the instance role may decrypt it)"
fi
chmod 0600 "$tmp"
[[ $EUID -ne 0 ]] || chown "$owner:$owner" "$tmp"
mv -f "$tmp" "$env_file"
trap - EXIT
log "wrote $env_file ($(grep -c '=' "$env_file" || true) entries) from ${parameter:-nothing}"
