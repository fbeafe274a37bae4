#!/usr/bin/env bats
# Security on the instance (issue 11): security updates (what the script asks
# dnf for; the timer installed, enabled and started at boot), and images
# pulled only when missing (on a deploy), never on a restart.

load helpers/common

UPDATES=$SCRIPTS/security-updates.sh

setup() {
  isolate_env
  T=$BATS_TEST_TMPDIR
}

# dnf stub: upgrade exits $T/upgrade-exit (default 0); needs-restarting exits 1 when $T/reboot exists.
dnf_env() {
  export DNF_BIN
  DNF_BIN=$(stub dnf "
case \$1 in
  upgrade) exit \$(cat '$T/upgrade-exit' 2>/dev/null || echo 0) ;;
  needs-restarting) [[ ! -e '$T/reboot' ]] ;;
  *) exit 2 ;;
esac")
}

@test "security-updates: asks the latest AL2023 release for security updates only, non-interactively" {
  dnf_env
  run "$UPDATES"
  [ "$status" -eq 0 ]
  [ "$(calls dnf | head -n1)" = "upgrade -y --refresh --security --releasever=latest" ]
  assert_output_has "no reboot needed"
}

@test "security-updates: says when a reboot is needed to finish, and does not reboot" {
  dnf_env
  touch "$T/reboot"
  run "$UPDATES"
  [ "$status" -eq 0 ]
  assert_output_has "a reboot is needed"
  [ "$(calls dnf | wc -l)" -eq 2 ]
}

@test "security-updates: a failed dnf run fails the unit" {
  dnf_env
  echo 1 >"$T/upgrade-exit"
  run "$UPDATES"
  [ "$status" -ne 0 ]
  assert_output_has "could not apply the security updates"
}

@test "security-updates: the timer is installed, enabled and started by cloud-init, daily and after boot" {
  run "$PYTHON" - "$CLOUD_INIT/manifest.yaml" <<'PY'
import sys, yaml
manifest = yaml.safe_load(open(sys.argv[1]))
paths = {f["path"] for f in manifest["files"]}
assert "/etc/systemd/system/openclaw-security-updates.timer" in paths, paths
assert "/etc/systemd/system/openclaw-security-updates.service" in paths, paths
assert "/usr/local/lib/openclaw/security-updates.sh" in paths, paths
# An entry is a command, or {modes, command} for one that only some persistence modes run: this timer runs in all.
commands = [c for c in manifest["runcmd"] if isinstance(c, list)]
enable = [c for c in commands if c[:2] == ["systemctl", "enable"]]
start = [c for c in commands if c[:2] == ["systemctl", "start"]]
assert any("openclaw-security-updates.timer" in c for c in enable), enable
assert any("openclaw-security-updates.timer" in c for c in start), start
PY
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  timer=$CLOUD_INIT/systemd/openclaw-security-updates.timer
  grep -qx 'OnCalendar=daily' "$timer"
  grep -qx 'OnBootSec=15min' "$timer"
  grep -qx 'Persistent=true' "$timer"
  grep -qx 'ExecStart=/usr/local/lib/openclaw/security-updates.sh' "$CLOUD_INIT/systemd/openclaw-security-updates.service"
}

@test "images: openclaw.service never pulls; compose pulls only a missing image" {
  unit=$CLOUD_INIT/systemd/openclaw.service
  run bash -c 'grep -E "^Exec" "$1" | grep -w pull' _ "$unit"
  [ "$status" -eq 1 ]
  grep -qx 'ExecStart=/usr/local/lib/openclaw/gateway-start.sh' "$unit"
  # The script the unit starts brings the gateway up without a pull of its own.
  grep -q 'compose -f "$compose_file" up --no-color --remove-orphans' "$CLOUD_INIT/scripts/gateway-start.sh"
  run grep -E -- 'pull|--pull' "$CLOUD_INIT/scripts/gateway-start.sh"
  [ "$status" -eq 1 ]
  run "$PYTHON" - "$CLOUD_INIT/compose/docker-compose.yaml" <<'PY'
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
for name, service in services.items():
    assert service.get("pull_policy", "missing") == "missing", (name, service.get("pull_policy"))
PY
  [ "$status" -eq 0 ] || { echo "$output"; false; }
}
