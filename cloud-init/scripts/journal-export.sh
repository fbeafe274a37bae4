#!/usr/bin/env bash
# Mirror the OpenClaw units' journal into one file per log group, which the
# CloudWatch agent ships (it cannot read the journal itself). Runs until one
# follower stops, then exits non-zero so systemd restarts it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

log_dir=${OPENCLAW_LOG_DIR:-/var/log/openclaw}
state_dir=${OPENCLAW_STATE_DIR:-/var/lib/openclaw}
journalctl_bin=${JOURNALCTL_BIN:-journalctl}

# log group suffix -> units; must match cloudwatch/amazon-cloudwatch-agent.json
declare -A groups=(
  [boot]="openclaw-mount.service openclaw-interruption.service openclaw-log-export.service"
  [openclaw]="openclaw.service openclaw-auto-approve.service docker.service"
  [backup]="openclaw-restore.service openclaw-backup.service openclaw-final-backup.service"
)

follow() {
  local group=$1 unit
  local -a args=(--follow --no-tail --output=short-iso --cursor-file="$state_dir/journal-$group.cursor")
  for unit in ${groups[$group]}; do args+=(--unit="$unit"); done
  "$journalctl_bin" "${args[@]}" >>"$log_dir/$group.log"
}

mkdir -p "$log_dir" "$state_dir"
for group in "${!groups[@]}"; do
  follow "$group" &
done
wait -n || true
die "a journal follower stopped"
