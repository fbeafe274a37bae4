#!/usr/bin/env bats
# Static checks of cloud-init/: scripts, units, manifest and configuration.

load helpers/common

setup() {
  isolate_env
  T=$BATS_TEST_TMPDIR
}

all_scripts() {
  { find "$CLOUD_INIT" -name '*.sh'; echo "$CLOUD_INIT/scripts/openclaw-cli"; } | sort
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
    # Runs inside the container, under the image's /bin/sh.
    [[ "$script" == */gateway-entrypoint.sh ]] && continue
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

# Installs the manifest into a scratch root with stub docker.service, so
# systemd-analyze can check every unit against the files it refers to.
install_root() {
  local mode=${1:-snapshots} root=$T/root-${1:-snapshots}
  mkdir -p "$root/usr/lib/systemd" "$root/usr/bin"
  "$PYTHON" "$HELPERS/manifest.py" install "$CLOUD_INIT" "$root" "$mode"
  cp -r /usr/lib/systemd/system "$root/usr/lib/systemd/"
  cp /usr/bin/env "$root/usr/bin/env"
  printf '[Unit]\nDescription=stub\n[Service]\nExecStart=/usr/bin/env true\n' >"$root/etc/systemd/system/docker.service"
  printf '%s\n' "$root"
}

@test "systemd-analyze verify: every unit, no warnings" {
  root=$(install_root)
  units=$(cd "$root/etc/systemd/system" && find . -maxdepth 1 -type f -name 'openclaw*' -printf '%f\n' | sort)
  [ "$(wc -w <<<"$units")" -eq 14 ]
  # openclaw-cli is the path the runbook's OpenClaw/Devices targets run through SSM.
  [ -x "$root/usr/local/bin/openclaw-cli" ]
  for unit in $units; do
    run systemd-analyze verify --root="$root" "/etc/systemd/system/$unit"
    if [ "$status" -ne 0 ] || [ -n "$output" ]; then echo "$unit: $output"; false; fi
  done
}

@test "systemd-analyze verify with persistence: ephemeral: the gateway unit stands without mount, restore and backup units" {
  root=$(install_root ephemeral)
  units=$(cd "$root/etc/systemd/system" && find . -maxdepth 1 -type f -name 'openclaw*' -printf '%f\n' | sort)
  [ "$(tr '\n' ' ' <<<"$units")" = "openclaw-auto-approve.service openclaw-auto-approve.timer openclaw-health.service openclaw-health.timer openclaw-interruption.service openclaw-log-export.service openclaw-security-updates.service openclaw-security-updates.timer openclaw.service " ]
  [ ! -e "$root/usr/local/lib/openclaw/mount-data-volume.sh" ]
  [ ! -e "$root/etc/systemd/system/openclaw.service.d" ]
  for unit in $units; do
    run systemd-analyze verify --root="$root" "/etc/systemd/system/$unit"
    if [ "$status" -ne 0 ] || [ -n "$output" ]; then echo "$unit: $output"; false; fi
  done
  grep -qx 'OPENCLAW_PERSISTENCE=ephemeral' "$root/etc/openclaw/openclaw.env"
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
  grep -qx 'Requires=openclaw-mount.service docker.service' openclaw-restore.service
  grep -qx 'After=openclaw-mount.service docker.service network-online.target' openclaw-restore.service
  grep -qx 'Before=openclaw.service openclaw-backup.service openclaw-final-backup.service' openclaw-restore.service
  grep -qx 'Requires=docker.service' openclaw.service
  # persistence: snapshots only: the gateway's drop-in requires the mount and the restore.
  grep -qx 'Requires=openclaw-mount.service openclaw-restore.service' openclaw-data-volume.conf
  grep -qx 'After=openclaw-mount.service openclaw-restore.service' openclaw-data-volume.conf
  grep -qx '    path: /etc/systemd/system/openclaw.service.d/data-volume.conf' "$CLOUD_INIT/manifest.yaml"
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
  run "$PYTHON" - "$CLOUD_INIT/compose/docker-compose.yaml" <<'PY'
import sys, yaml
svc = yaml.safe_load(open(sys.argv[1]))["services"]["openclaw-gateway"]
assert svc["ports"] == ["127.0.0.1:{{gateway_port}}:{{gateway_port}}"], svc["ports"]
assert svc["command"][-2:] == ["--port", "{{gateway_port}}"], svc["command"]
assert svc["user"] == "1000:1000"
assert svc["restart"] == "no"
mounts = {v["source"]: v for v in svc["volumes"]}
assert set(mounts) == {"{{mount_point}}/.openclaw", "{{mount_point}}/workspace", "/run/openclaw/.env",
                       "/usr/local/lib/openclaw/gateway-entrypoint.sh"}, mounts
assert all(v["bind"]["create_host_path"] is False for v in mounts.values())
PY
  [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "compose: no secret reaches docker's metadata (no env_file, no secret in environment; the entrypoint reads a read-only file)" {
  run "$PYTHON" - "$CLOUD_INIT/compose/docker-compose.yaml" <<'PY'
import sys, yaml
svc = yaml.safe_load(open(sys.argv[1]))["services"]["openclaw-gateway"]
assert "env_file" not in svc, "env_file values land in the container config"
assert sorted(svc["environment"]) == ["HOME", "TERM"], svc["environment"]
assert svc["entrypoint"] == ["/run/openclaw/entrypoint.sh"]
mounts = {v["target"]: v for v in svc["volumes"]}
assert mounts["/run/openclaw/.env"]["source"] == "/run/openclaw/.env"
assert mounts["/run/openclaw/.env"]["read_only"] is True
assert mounts["/run/openclaw/entrypoint.sh"]["read_only"] is True
PY
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  # No unit hands secrets to docker either.
  run grep -lE 'env_file|OPENCLAW_GATEWAY_(TOKEN|PASSWORD)|--env-file' "$CLOUD_INIT"/systemd/*
  [ "$status" -eq 1 ]
}

@test "the static compose check fails on env_file (the check can fail)" {
  sed 's|^    environment:|    env_file: [/run/openclaw/.env]\n    environment:|' "$CLOUD_INIT/compose/docker-compose.yaml" >"$T/compose.yaml"
  grep -q env_file "$T/compose.yaml"
  run "$PYTHON" -c 'import sys, yaml; assert "env_file" not in yaml.safe_load(open(sys.argv[1]))["services"]["openclaw-gateway"]' "$T/compose.yaml"
  [ "$status" -ne 0 ]
}

@test "layout: code and units on the root disk only; the data volume gets no file from user-data" {
  run "$PYTHON" - "$CLOUD_INIT/manifest.yaml" <<'PY'
import sys, yaml
paths = [f["path"] for f in yaml.safe_load(open(sys.argv[1]))["files"]]
on_volume = [p for p in paths if p.startswith("/opt/openclaw")]
assert not on_volume, on_volume
executables = [f["path"] for f in yaml.safe_load(open(sys.argv[1]))["files"] if f["permissions"] == "0755"]
assert all(p.startswith(("/usr/local/lib/openclaw/", "/usr/local/bin/")) for p in executables), executables
PY
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  # No unit runs anything from the mount point.
  run grep -rnE '^(Exec[A-Za-z]*|Condition[A-Za-z]*)=.*(\{\{mount_point\}\}|/opt/openclaw)' "$CLOUD_INIT/systemd"
  [ "$status" -eq 1 ] || { echo "$output"; false; }
  # prepare-data-dir.sh no longer copies code onto the volume.
  run grep -n 'install .*\$mount_point' "$SCRIPTS/prepare-data-dir.sh"
  [ "$status" -eq 1 ] || { echo "$output"; false; }
}

@test "boot facts once: no script spells the mount point or the gateway port (they come from openclaw.env)" {
  run grep -rnE '/opt/openclaw|18789' "$SCRIPTS"
  [ "$status" -eq 1 ] || { echo "$output"; false; }
  grep -qx 'OPENCLAW_MOUNT_POINT={{mount_point}}' "$CLOUD_INIT/config/openclaw.env"
  grep -qx 'OPENCLAW_GATEWAY_PORT={{gateway_port}}' "$CLOUD_INIT/config/openclaw.env"
}

@test "gateway unit: no restart on exit 78; ready only when /health is live; the approval timer is bound to the gateway and never enabled" {
  cd "$CLOUD_INIT/systemd"
  grep -qx 'RestartPreventExitStatus=78' openclaw.service
  grep -qx 'ExecStart=/usr/local/lib/openclaw/gateway-start.sh' openclaw.service
  grep -qx 'ExecStartPost=/usr/local/lib/openclaw/gateway-ready.sh' openclaw.service
  grep -qx 'readonly EX_CONFIG=78' "$SCRIPTS/gateway-start.sh"
  grep -q '/health' "$SCRIPTS/gateway-ready.sh"
  grep -qx 'BindsTo=openclaw.service' openclaw-auto-approve.timer
  grep -qx 'Requisite=openclaw.service' openclaw-auto-approve.service
  run grep '^\[Install\]' openclaw-auto-approve.timer
  [ "$status" -eq 1 ]
  run sh -c "sed -n '/^runcmd:/,\$p' '$CLOUD_INIT/manifest.yaml' | grep -c openclaw-auto-approve"
  [ "$output" = 0 ]
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
