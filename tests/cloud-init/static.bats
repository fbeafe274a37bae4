#!/usr/bin/env bats
# Static checks of cloud-init/: scripts, units, manifest and configuration.

load helpers/common

setup() {
  isolate_env
  T=$BATS_TEST_TMPDIR
}

all_scripts() {
  find "$CLOUD_INIT" -name '*.sh' | sort
}

@test "every script is shellcheck clean" {
  mapfile -t scripts < <(all_scripts)
  [ "${#scripts[@]}" -ge 12 ]
  run shellcheck -x "${scripts[@]}"
  [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "every executable script runs under bash with set -euo pipefail" {
  mapfile -t scripts < <(all_scripts)
  for script in "${scripts[@]}"; do
    [[ "$script" == */lib.sh ]] && continue
    [ "$(head -n1 "$script")" = '#!/usr/bin/env bash' ] || { echo "$script: shebang"; false; }
    grep -qx 'set -euo pipefail' "$script" || { echo "$script: no set -euo pipefail"; false; }
    [ -x "$script" ] || { echo "$script: not executable"; false; }
  done
}

@test "manifest: every file exists, placeholders are contract names, template flags are right, nothing unlisted" {
  run "$PYTHON" "$HELPERS/manifest.py" check "$CLOUD_INIT" "$REPO_ROOT/docs/contracts.md"
  [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "manifest check catches an unknown placeholder and a missing file" {
  cp -r "$CLOUD_INIT" "$T/ci"
  echo 'X={{not_a_contract_name}}' >>"$T/ci/config/openclaw.env"
  rm "$T/ci/scripts/backup.sh"
  run "$PYTHON" "$HELPERS/manifest.py" check "$T/ci" "$REPO_ROOT/docs/contracts.md"
  [ "$status" -ne 0 ]
  assert_output_has "{{not_a_contract_name}} is not in docs/contracts.md"
  assert_output_has "scripts/backup.sh: listed in the manifest but missing"
}

@test "assembled user-data is valid cloud-config and fits EC2's 16 KiB once gzipped" {
  "$PYTHON" "$HELPERS/manifest.py" cloud-config "$CLOUD_INIT" "$T/user-data.yaml"
  run cloud-init schema --config-file "$T/user-data.yaml"
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  [ "$(gzip -9c "$T/user-data.yaml" | wc -c)" -le 16384 ]
}

# Installs the manifest into a scratch root with stub docker.service, so
# systemd-analyze can check every unit against the files it refers to.
install_root() {
  local root=$T/root
  mkdir -p "$root/usr/lib/systemd" "$root/usr/bin"
  "$PYTHON" "$HELPERS/manifest.py" install "$CLOUD_INIT" "$root"
  cp -r /usr/lib/systemd/system "$root/usr/lib/systemd/"
  cp /usr/bin/env "$root/usr/bin/env"
  printf '[Unit]\nDescription=stub\n[Service]\nExecStart=/usr/bin/env true\n' >"$root/etc/systemd/system/docker.service"
  # What prepare-data-dir.sh puts on the volume at start.
  mkdir -p "$root/opt/openclaw"
  install -m 0755 "$CLOUD_INIT/volume/auto-approve-devices.sh" "$root/opt/openclaw/"
  printf '%s\n' "$root"
}

@test "systemd-analyze verify: every unit, no warnings" {
  root=$(install_root)
  units=$(cd "$root/etc/systemd/system" && ls openclaw*)
  [ "$(wc -w <<<"$units")" -eq 11 ]
  for unit in $units; do
    run systemd-analyze verify --root="$root" "/etc/systemd/system/$unit"
    if [ "$status" -ne 0 ] || [ -n "$output" ]; then echo "$unit: $output"; false; fi
  done
}

@test "systemd-analyze verify fails on a broken unit (the check can fail)" {
  root=$(install_root)
  sed -i 's|^ExecStart=.*|ExecStart=/usr/local/lib/openclaw/missing.sh|' "$root/etc/systemd/system/openclaw-backup.service"
  run systemd-analyze verify --root="$root" /etc/systemd/system/openclaw-backup.service
  [ -n "$output" ]
  assert_output_has "missing.sh"
}

@test "units order mount -> restore -> gateway, and fetch secrets before start" {
  cd "$CLOUD_INIT/systemd"
  grep -qx 'Before=openclaw-restore.service openclaw.service openclaw-backup.service' openclaw-mount.service
  grep -qx 'Requires=openclaw-mount.service' openclaw-restore.service
  grep -qx 'After=openclaw-mount.service network-online.target' openclaw-restore.service
  grep -qx 'Requires=docker.service openclaw-mount.service openclaw-restore.service' openclaw.service
  grep -q '^After=.*openclaw-restore.service' openclaw.service
  grep -qx 'ExecStartPre=/usr/local/lib/openclaw/fetch-env.sh' openclaw.service
  grep -qx 'Persistent=true' openclaw-backup.timer
}

@test "backup timer renders to a valid calendar for the default and other intervals" {
  for minutes in 20 5 15 30 59; do
    spec=$(sed -n "s/^OnCalendar=//p" "$CLOUD_INIT/systemd/openclaw-backup.timer" | sed "s/{{backup_interval_minutes}}/$minutes/")
    run systemd-analyze calendar "$spec"
    [ "$status" -eq 0 ] || { echo "$minutes: $output"; false; }
  done
  spec=$(sed -n "s/^OnCalendar=//p" "$CLOUD_INIT/systemd/openclaw-backup.timer" | sed "s/{{backup_interval_minutes}}/20/")
  systemd-analyze calendar --iterations=3 "$spec" | grep -Eq ':(00|20|40):00'
}

@test "compose: gateway on 127.0.0.1 only, uid 1000, no restarts by docker, no host paths created" {
  run "$PYTHON" - "$CLOUD_INIT/volume/docker-compose.yaml" <<'PY'
import sys, yaml
svc = yaml.safe_load(open(sys.argv[1]))["services"]["openclaw-gateway"]
assert svc["ports"] == ["127.0.0.1:18789:18789"], svc["ports"]
assert svc["user"] == "1000:1000"
assert svc["restart"] == "no"
assert svc["env_file"] == ["/run/openclaw/.env"]
mounts = {v["source"]: v for v in svc["volumes"]}
assert set(mounts) == {"/opt/openclaw/.openclaw", "/opt/openclaw/workspace"}, mounts
assert all(v["bind"]["create_host_path"] is False for v in mounts.values())
PY
  [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "CloudWatch agent: the contract's three log groups, fed by the files the export writes, data volume disk metrics" {
  run "$PYTHON" - "$CLOUD_INIT/cloudwatch/amazon-cloudwatch-agent.json" "$CLOUD_INIT/scripts/journal-export.sh" <<'PY'
import json, re, sys
conf = json.load(open(sys.argv[1]))
entries = conf["logs"]["logs_collected"]["files"]["collect_list"]
groups = {e["log_group_name"] for e in entries}
assert groups == {"{{log_group_prefix}}/boot", "{{log_group_prefix}}/openclaw", "{{log_group_prefix}}/backup"}, groups
exported = set(re.findall(r"^\s+\[(\w+)\]=", open(sys.argv[2]).read(), re.M))
for group in exported:
    entry = [e for e in entries if e["file_path"] == f"/var/log/openclaw/{group}.log"]
    assert entry and entry[0]["log_group_name"] == "{{log_group_prefix}}/" + group, group
assert exported == {"boot", "openclaw", "backup"}, exported
assert "{{mount_point}}" in conf["metrics"]["metrics_collected"]["disk"]["resources"]
assert "mem_used_percent" in conf["metrics"]["metrics_collected"]["mem"]["measurement"]
PY
  [ "$status" -eq 0 ] || { echo "$output"; false; }
}
