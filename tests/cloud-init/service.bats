#!/usr/bin/env bats
# The helpers around openclaw.service: volume layout, compose installation,
# device auto-approval and the journal export. docker, dnf, curl and
# journalctl are stubs; the scripts' own decisions are what is tested.

load helpers/common

PREPARE=$SCRIPTS/prepare-data-dir.sh
INSTALL_COMPOSE=$SCRIPTS/install-compose.sh
EXPORT=$SCRIPTS/journal-export.sh
APPROVE=$SCRIPTS/auto-approve-devices.sh

setup() {
  isolate_env
  T=$BATS_TEST_TMPDIR
}

# --- prepare-data-dir.sh ---

# prepare-data-dir.sh on $T/vol, a plain directory.
run_prepare() {
  OPENCLAW_MOUNT_POINT=$T/vol OPENCLAW_REQUIRE_MOUNT=0 run "$PREPARE"
}

@test "prepare: creates state dirs for the container user, puts no code on the volume" {
  mkdir -p "$T/vol"
  touch "$T/vol/.openclaw-live"
  uid=$EUID
  [[ $EUID -eq 0 ]] && uid=1000
  OPENCLAW_UID=$uid run_prepare
  [ "$status" -eq 0 ]
  [ "$(stat -c '%u %a' "$T/vol/.openclaw")" = "$uid 700" ]
  [ "$(stat -c '%u' "$T/vol/workspace")" = "$uid" ]
  [ "$(ls -A "$T/vol" | sort | tr '\n' ' ')" = ".openclaw .openclaw-live workspace " ]
}

@test "prepare: removes the compose file and approval helper an earlier release left on the volume" {
  mkdir -p "$T/vol"
  touch "$T/vol/.openclaw-live"
  printf '#!/bin/sh\necho pwned\n' >"$T/vol/auto-approve-devices.sh"
  ln -s /etc/passwd "$T/vol/docker-compose.yaml"
  OPENCLAW_UID=$EUID run_prepare
  [ "$status" -eq 0 ]
  [ ! -e "$T/vol/auto-approve-devices.sh" ]
  [ ! -L "$T/vol/docker-compose.yaml" ]
  [ -f /etc/passwd ]
  assert_output_has "removed $T/vol/auto-approve-devices.sh left by an earlier release"
}

@test "prepare: hands a root-owned restored tree to uid 1000" {
  require_root "chown to uid 1000"
  mkdir -p "$T/vol/.openclaw/agents" "$T/vol/workspace"
  touch "$T/vol/.openclaw-live" "$T/vol/.openclaw/agents/a.json"
  run_prepare
  [ "$status" -eq 0 ]
  [ -z "$(find "$T/vol/.openclaw" "$T/vol/workspace" ! -uid 1000)" ]
}

@test "prepare: refuses a volume that restore has not marked live" {
  mkdir -p "$T/vol"
  run_prepare
  [ "$status" -ne 0 ]
  assert_output_has "openclaw-restore.service has not completed"
  [ -z "$(ls -A "$T/vol")" ]
}

@test "prepare with persistence: ephemeral: a plain directory on the root disk, no mount and no live marker needed" {
  uid=$EUID
  [[ $EUID -eq 0 ]] && uid=1000
  OPENCLAW_PERSISTENCE=ephemeral OPENCLAW_MOUNT_POINT=$T/root/opt/openclaw OPENCLAW_UID=$uid run "$PREPARE"
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  ! mountpoint -q "$T/root/opt/openclaw"
  [ "$(stat -c '%u %a' "$T/root/opt/openclaw/.openclaw")" = "$uid 700" ]
  [ "$(ls -A "$T/root/opt/openclaw" | sort | tr '\n' ' ')" = ".openclaw workspace " ]
  assert_output_has "state directory ready at $T/root/opt/openclaw (persistence: ephemeral)"
}

@test "prepare with persistence: snapshots still refuses a plain directory (no data volume mounted)" {
  mkdir -p "$T/vol"
  touch "$T/vol/.openclaw-live"
  OPENCLAW_PERSISTENCE=snapshots OPENCLAW_MOUNT_POINT=$T/vol run "$PREPARE"
  [ "$status" -ne 0 ]
  assert_output_has "is not a mount point; the data volume is not mounted"
}

# --- install-compose.sh ---

compose_env() {
  export DOCKER_BIN DNF_BIN CURL_BIN OPENCLAW_COMPOSE_PLUGIN_DIR=$T/plugins
  DOCKER_BIN=$(stub docker "[[ -x '$T/plugins/docker-compose' ]] || exit 1")
  DNF_BIN=$(stub dnf 'exit 1')
  # Serves a fake binary for any URL; a .sha256 beside it would match, but must never be asked for.
  CURL_BIN=$(stub curl "
out=\${@: -2:1}; url=\${@: -1}
case \$url in
  *.sha256) echo \"\$(printf 'fake compose' | sha256sum | cut -d' ' -f1) *\${url##*/}\" >\"\$out\" ;;
  *) printf 'fake compose' >\"\$out\" ;;
esac")
}

# A copy of install-compose.sh (and lib.sh) whose pinned SHA-256 for this machine is the fake binary's.
pinned_to_fake() {
  mkdir -p "$T/scripts"
  cp "$SCRIPTS/lib.sh" "$T/scripts/"
  local pinned fake
  pinned=$(sed -n "s/^  \[$(uname -m)\]=\([0-9a-f]\{64\}\)$/\1/p" "$INSTALL_COMPOSE")
  [ -n "$pinned" ]
  fake=$(printf 'fake compose' | sha256sum | cut -d' ' -f1)
  sed "s/$pinned/$fake/" "$INSTALL_COMPOSE" >"$T/scripts/install-compose.sh"
  chmod +x "$T/scripts/install-compose.sh"
}

@test "install-compose: keeps a working plugin, downloads nothing" {
  compose_env
  mkdir -p "$T/plugins"
  printf '#!/bin/sh\n' >"$T/plugins/docker-compose"
  chmod +x "$T/plugins/docker-compose"
  run "$INSTALL_COMPOSE"
  [ "$status" -eq 0 ]
  [ -z "$(calls dnf)" ]
  [ -z "$(calls curl)" ]
}

@test "install-compose: without dnf package, installs the pinned release when it matches the SHA-256 pinned in the script" {
  compose_env
  pinned_to_fake
  run "$T/scripts/install-compose.sh"
  [ "$status" -eq 0 ]
  [ "$(calls dnf)" = "install -y docker-compose-plugin" ]
  [ "$(calls curl | wc -l)" -eq 1 ]
  grep -q "releases/download/v2.33.0/docker-compose-linux-$(uname -m)\$" "$T/curl.calls"
  [ "$(cat "$T/plugins/docker-compose")" = 'fake compose' ]
  [ "$(stat -c %a "$T/plugins/docker-compose")" = 755 ]
}

@test "install-compose: a binary that does not match the pinned SHA-256 installs nothing, whatever a .sha256 beside it says" {
  compose_env
  run "$INSTALL_COMPOSE"
  [ "$status" -ne 0 ]
  assert_output_has "checksum mismatch"
  [ "$(calls curl | wc -l)" -eq 1 ]
  run grep '\.sha256' "$T/curl.calls"
  [ "$status" -eq 1 ]
  [ ! -e "$T/plugins/docker-compose" ]
}

@test "install-compose: the checksums are pinned in the script for both architectures, none fetched" {
  grep -Eq '^  \[x86_64\]=[0-9a-f]{64}$' "$INSTALL_COMPOSE"
  grep -Eq '^  \[aarch64\]=[0-9a-f]{64}$' "$INSTALL_COMPOSE"
  grep -Eq '^readonly version=v[0-9]+\.[0-9]+\.[0-9]+$' "$INSTALL_COMPOSE"
  run grep 'sha256"' "$INSTALL_COMPOSE"
  [ "$status" -eq 1 ]
  run grep -E '\.sha256|OPENCLAW_COMPOSE_VERSION' "$INSTALL_COMPOSE"
  [ "$status" -eq 1 ]
}

# --- auto-approve-devices.sh ---

# An openclaw-cli whose first listing shows requests a and b; from then on, a
# has been replaced by c (the device retried), so only b may be approved.
approve_env() {
  export OPENCLAW_CLI OPENCLAW_AUTO_APPROVE_DEVICES=true
  OPENCLAW_CLI=$(stub openclaw-cli "
case \"\$*\" in
  'devices list --json')
    if [[ -e '$T/listed' ]]; then echo '{\"pending\":[{\"requestId\":\"b\"},{\"requestId\":\"c\"}],\"paired\":[]}'
    else touch '$T/listed'; echo '{\"pending\":[{\"requestId\":\"a\"},{\"requestId\":\"b\"}],\"paired\":[]}'; fi ;;
  'devices approve '*) ;;
  *) exit 2 ;;
esac")
}

@test "auto-approve: re-lists before approving and approves only still-pending requests" {
  approve_env
  run "$APPROVE"
  [ "$status" -eq 0 ]
  [ "$(calls openclaw-cli | grep -c 'devices approve')" -eq 1 ]
  calls openclaw-cli | grep -qx "devices approve b"
  [ "$(calls openclaw-cli | grep -c 'devices list --json')" -eq 3 ]
  assert_output_has "pairing request a is no longer pending; skipped"
}

@test "auto-approve: off unless the stack opted in (auto_approve_devices), and then asks nothing of the gateway" {
  approve_env
  for value in false "" yes; do
    OPENCLAW_AUTO_APPROVE_DEVICES=$value run "$APPROVE"
    [ "$status" -ne 0 ]
    assert_output_has "auto_approve_devices is off for this stack"
  done
  [ -z "$(calls openclaw-cli)" ]
}

@test "auto-approve: a listing that fails is an error, nothing approved" {
  approve_env
  OPENCLAW_CLI=$(stub openclaw-cli 'echo "openclaw-cli: the gateway container openclaw-gateway is not running" >&2; exit 69')
  run "$APPROVE"
  [ "$status" -ne 0 ]
  assert_output_has "could not list pairing requests"
  [ "$(calls openclaw-cli | grep -c approve || true)" -eq 0 ]
}

# --- journal-export.sh ---

@test "journal export: one follower per log group, each with its units and cursor" {
  export JOURNALCTL_BIN OPENCLAW_LOG_DIR=$T/log OPENCLAW_STATE_DIR=$T/state
  JOURNALCTL_BIN=$(stub journalctl 'echo "$*"')
  run timeout 5 "$EXPORT"
  [ "$status" -eq 1 ]
  assert_output_has "a journal follower stopped"
  grep -q -- "--cursor-file=$T/state/journal-backup.cursor --unit=openclaw-restore.service --unit=openclaw-backup.service" "$T/log/backup.log"
  grep -q -- "--unit=openclaw.service --unit=openclaw-auto-approve.service --unit=docker.service" "$T/log/openclaw.log"
  grep -q -- "--unit=openclaw-mount.service --unit=openclaw-interruption.service" "$T/log/boot.log"
}
