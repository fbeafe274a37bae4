#!/usr/bin/env bats
# The real OpenClaw (pinned, from tests/openclaw/ensure-openclaw.sh) run the way
# the rendered user-data runs it: openclaw.service's own commands, the rendered
# compose file's entrypoint, command, user, environment and mounts, the secrets
# file fetch-env.sh writes, on a loop device mounted as the data volume.
# Tests run in order and share the instance: first boot, then the CLI path,
# then a backup while the gateway works and its restore onto a new volume (the
# gateway then runs on that volume), then the refusals.

load helpers/instance
load ../cloud-init/helpers/s3

setup_file() {
  instance_setup_file
  instance_env
  # Generous: a first boot on a loaded 2-core machine took up to 4 minutes.
  export OPENCLAW_READY_TIMEOUT_SECONDS=600
}

teardown_file() {
  [[ ! -s "$BATS_FILE_TMPDIR/node-host.pid" ]] || kill "$(cat "$BATS_FILE_TMPDIR/node-host.pid")" 2>/dev/null || true
  instance_teardown_file
  s3_stop
}

setup() {
  [[ -n "${ROOT:-}" ]] || skip "instance not set up"
  instance_env
  TOKEN=gw-token-$BATS_ROOT_PID
}

# openclaw.service's ExecStart in the background, as systemd runs it.
start_gateway() {
  : >"$BATS_FILE_TMPDIR/start.log"
  $(unit_commands ExecStart) >>"$BATS_FILE_TMPDIR/start.log" 2>&1 &
  echo $! >"$BATS_FILE_TMPDIR/start.pid"
}

# Until the container exists (first boot initialises the config first).
wait_for_container() {
  local tries=1200
  until [[ -n "$(container_pid)" ]] && [[ -e "/proc/$(container_pid)" ]]; do
    kill -0 "$(cat "$BATS_FILE_TMPDIR/start.pid")" 2>/dev/null || { cat "$BATS_FILE_TMPDIR/start.log"; return 1; }
    ((tries-- > 0)) || { cat "$BATS_FILE_TMPDIR/start.log"; return 1; }
    sleep 0.5
  done
  remember_namespace
}

@test "fresh volume: first start writes OpenClaw's baseline config once, and /health says live" {
  ssm_value "OPENCLAW_GATEWAY_TOKEN=$TOKEN" "ANTHROPIC_API_KEY=sk-ant-test"
  [ "$(ls -A "$MOUNT")" = .openclaw-live ]
  run_start_pre
  started=$SECONDS
  start_gateway
  wait_for_container
  container=$SECONDS
  # ExecStartPost: the unit is active once this passes.
  run in_container_net $(unit_commands ExecStartPost)
  echo "# first start: config init $((container - started))s, then gateway live after $((SECONDS - container))s" >&3
  [ "$status" -eq 0 ] || { echo "$output"; cat "$BATS_FILE_TMPDIR/start.log"; false; }
  [[ "$output" == *"gateway is live at http://127.0.0.1:18789/health"* ]]

  run in_container_net curl -fsS http://127.0.0.1:18789/health
  [ "$(jq -c '{ok, status}' <<<"$output")" = '{"ok":true,"status":"live"}' ]

  config=$MOUNT/.openclaw/openclaw.json
  [ "$(jq -r .gateway.mode "$config")" = local ]
  [ "$(stat -c %u "$config")" = 1000 ]
  [ "$(grep -c 'running openclaw setup --baseline once' "$BATS_FILE_TMPDIR/start.log")" -eq 1 ]
  [ "$(grep -c ' run --rm --no-deps -T openclaw-gateway node dist/index.js setup --baseline' "$DOCKER_STANDIN_STATE/calls")" -eq 1 ]
  [ -f "$MOUNT/.openclaw/state/openclaw.sqlite" ]
}

@test "the gateway gets its secrets from the entrypoint, not from the container's config" {
  pid=$(container_pid)
  [ -n "$pid" ]
  tr '\0' '\n' <"/proc/$pid/environ" | grep -qx "OPENCLAW_GATEWAY_TOKEN=$TOKEN"
  tr '\0' '\n' <"/proc/$pid/environ" | grep -qx "ANTHROPIC_API_KEY=sk-ant-test"
  # The container's configuration (what docker inspect shows) has none of them.
  run "$PYTHON" - "$ROOT/usr/local/lib/openclaw/docker-compose.yaml" <<'PY'
import sys, yaml
svc = yaml.safe_load(open(sys.argv[1]))["services"]["openclaw-gateway"]
print(sorted(svc.get("environment", {})), "env_file" in svc)
PY
  [ "$output" = "['HOME', 'TERM'] False" ]
  # The secrets file is mounted read-only: the gateway cannot change it.
  run nsenter --target="$pid" --mount -- sh -c 'echo X=1 >>/run/openclaw/.env'
  [ "$status" -ne 0 ]
}

@test "openclaw-cli runs the real CLI in the running gateway, with its token and argv verbatim" {
  cli=$ROOT/usr/local/bin/openclaw-cli
  run "$cli" devices list --json
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  json=$(sed -n '/^{/,$p' <<<"$output")
  [ "$(jq -c '[(.pending | type), (.paired | type)]' <<<"$json")" = '["array","array"]' ]
  [ "$(tail -n1 "$DOCKER_STANDIN_STATE/calls")" = "exec --interactive openclaw-gateway /run/openclaw/entrypoint.sh node dist/index.js devices list --json" ]

  run "$cli" config get 'gateway.mode'
  [ "$status" -eq 0 ]
  [[ "$output" == *local* ]]
}

# Another machine (its own HOME, hence its own device identity) running
# `openclaw node run` against the gateway, over the container's loopback.
start_node_host() {
  mkdir -p "$BATS_FILE_TMPDIR/node-home"
  : >"$BATS_FILE_TMPDIR/node-host.log"
  (cd "$BATS_FILE_TMPDIR/node-home" && exec nsenter --net="/proc/$(container_pid)/ns/net" -- \
    timeout 600 env -i HOME="$BATS_FILE_TMPDIR/node-home" PATH=/usr/bin:/bin TZ=UTC OPENCLAW_GATEWAY_TOKEN="$TOKEN" \
    "$OPENCLAW_TEST_NODE" "$OPENCLAW_TEST_PACKAGE/dist/index.js" node run --host 127.0.0.1 --port 18789 \
    --display-name backup-test-node) >>"$BATS_FILE_TMPDIR/node-host.log" 2>&1 &
  echo $! >"$BATS_FILE_TMPDIR/node-host.pid"
  local tries=600
  until grep -q 'node host gateway connected' "$BATS_FILE_TMPDIR/node-host.log"; do
    kill -0 "$(cat "$BATS_FILE_TMPDIR/node-host.pid")" 2>/dev/null && ((tries-- > 0)) ||
      { cat "$BATS_FILE_TMPDIR/node-host.log"; return 1; }
    sleep 0.5
  done
}

stop_node_host() {
  local pid
  pid=$(cat "$BATS_FILE_TMPDIR/node-host.pid")
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  : >"$BATS_FILE_TMPDIR/node-host.pid"
}

# What must survive a restore, from `devices list --json` on stdin: pending
# requests and paired devices without the fields that change with use
# (connection, last seen, and the label the writer changes).
paired_devices() {
  jq -S '[.pending, (.paired | map(del(.operatorLabel, .connected, .lastSeenAtMs, .lastSeenReason)))]'
}

@test "a backup taken while the gateway writes: backup.sh archives it with openclaw backup create --verify in a sibling container and uploads it" {
  cli=$ROOT/usr/local/bin/openclaw-cli
  [ -n "$(container_pid)" ]
  instance_s3_start
  W=$BATS_FILE_TMPDIR/writer
  mkdir -p "$W"

  # State the gateway writes: a config value, a paired device, a label on it.
  run "$cli" config set ui.seamColor '#0b5fff'
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  start_node_host
  stop_node_host
  cli_json devices list --json >"$BATS_FILE_TMPDIR/devices.before"
  device=$(jq -r '.paired[] | select(.displayName == "backup-test-node") | .deviceId' "$BATS_FILE_TMPDIR/devices.before")
  [ -n "$device" ]
  echo "$device" >"$BATS_FILE_TMPDIR/node-device"
  paired_devices <"$BATS_FILE_TMPDIR/devices.before" >"$BATS_FILE_TMPDIR/paired.before"
  cli_json node identity --json | jq -S . >"$BATS_FILE_TMPDIR/identity.before"
  [ "$(jq -r '.deviceId | length' "$BATS_FILE_TMPDIR/identity.before")" -eq 64 ]

  # The writer: the gateway relabels the device (a row of its state database)
  # again and again, label N after N; `started` and `done` hold the last N.
  (
    n=0
    while [[ ! -e "$W/stop" ]]; do
      n=$((n + 1))
      echo "$n" >"$W/started"
      "$cli" devices rename --device "$device" --name "backup-label-$n" --json >>"$W/log" 2>&1 || { echo "rename $n failed" >"$W/failed"; exit 1; }
      echo "$n" >"$W/done"
    done
  ) &
  writer=$!
  tries=600
  until [[ -s "$W/done" ]]; do ((tries-- > 0)) || { cat "$W/log"; false; }; sleep 0.5; done

  # Until the gateway committed a write while backup.sh ran (a fast backup may
  # fit between two writes; restore.sh then takes the newest archive).
  for attempt in 1 2 3; do
    done_before=$(cat "$W/done")
    started=$SECONDS
    run with_s3 "$ROOT/usr/local/lib/openclaw/backup.sh"
    backup_seconds=$((SECONDS - started))
    started_after=$(cat "$W/started")
    done_after=$(cat "$W/done")
    echo "# backup.sh: ${backup_seconds}s; renames done before/after it: $done_before/$done_after (last started: $started_after)" >&3
    [ "$status" -eq 0 ] || break
    ((done_after == done_before)) || break
  done
  touch "$W/stop"
  wait "$writer" || true
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  [ ! -e "$W/failed" ] || { cat "$W/failed" "$W/log"; false; }
  ((done_after > done_before))
  printf '%s %s\n' "$done_before" "$started_after" >"$BATS_FILE_TMPDIR/labels-during-backup"

  # The way the instance takes it: the deployed image, the gateway's user and mounts, no network.
  bucket=$(setting OPENCLAW_BACKUP_BUCKET) prefix=$(setting OPENCLAW_BACKUP_PREFIX)
  [[ "${lines[-1]}" =~ backup\ complete:\ s3://$bucket/${prefix}archives/[0-9]{8}T[0-9]{6}\.[0-9]{3}Z-scheduled\.tar\.gz\ \([0-9]+\ bytes,\ verified\ by\ OpenClaw ]]
  call=$(grep '^run ' "$DOCKER_STANDIN_STATE/calls" | tail -n1)
  [[ "$call" == "run --rm --pull never --network none --user 1000:1000 --security-opt no-new-privileges:true --env HOME=/home/node --mount type=bind,source=$MOUNT/.openclaw,target=/home/node/.openclaw --mount type=bind,source=$MOUNT/workspace,target=/home/node/.openclaw/workspace --mount type=bind,source=$MOUNT/.backup-staging."*",target=/home/node/backup-out $(setting OPENCLAW_IMAGE) node dist/index.js backup create --verify --json --output /home/node/backup-out" ]]
}

@test "restore onto a fresh volume (restore.sh), then the gateway starts with the same device identity, pairing entries and config" {
  [ -s "$BATS_FILE_TMPDIR/paired.before" ] || skip "no backup was taken"
  # The old instance is gone: its gateway stops and a new, empty volume is mounted in its place.
  pid=$(cat "$BATS_FILE_TMPDIR/start.pid")
  $(unit_commands ExecStop)
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  run kill -0 "$pid"
  [ "$status" -ne 0 ]
  new_volume
  [ -z "$(ls -A "$MOUNT")" ]

  # openclaw-restore.service.
  started=$SECONDS
  run with_s3 env OPENCLAW_RESTORE_ATTEMPTS=1 "$ROOT/usr/local/lib/openclaw/restore.sh"
  echo "# restore.sh: $((SECONDS - started))s" >&3
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  [[ "${lines[-1]}" == *"restore complete from s3://$(setting OPENCLAW_BACKUP_BUCKET)/"* ]]
  [ -e "$MOUNT/.openclaw-live" ]
  [ -f "$MOUNT/.openclaw/openclaw.json" ]
  grep -q "^run .* node dist/index.js backup restore /home/node/backup-in/archive.tar.gz --target /home/node/restore-target --json$" "$DOCKER_STANDIN_STATE/calls"

  # openclaw.service on the restored volume: no first-boot setup, live.
  run_start_pre
  : >"$DOCKER_STANDIN_STATE/calls"
  started=$SECONDS
  start_gateway
  wait_for_container
  run in_container_net $(unit_commands ExecStartPost)
  echo "# restored gateway live after $((SECONDS - started))s" >&3
  [ "$status" -eq 0 ] || { echo "$output"; cat "$BATS_FILE_TMPDIR/start.log"; false; }
  [ "$(grep -c 'setup --baseline' "$DOCKER_STANDIN_STATE/calls")" -eq 0 ]
  run in_container_net curl -fsS http://127.0.0.1:18789/health
  [ "$(jq -c '{ok, status}' <<<"$output")" = '{"ok":true,"status":"live"}' ]

  # The same state, read through openclaw-cli (the Devices target's path).
  [ "$(cli_json node identity --json | jq -S .)" = "$(cat "$BATS_FILE_TMPDIR/identity.before")" ]
  devices=$(cli_json devices list --json)
  [ "$(paired_devices <<<"$devices")" = "$(cat "$BATS_FILE_TMPDIR/paired.before")" ]
  run "$ROOT/usr/local/bin/openclaw-cli" config get ui.seamColor
  [[ "$output" == *'#0b5fff'* ]]
  # The label is one the gateway had committed while the backup ran: a consistent state.
  label=$(jq -r --arg d "$(cat "$BATS_FILE_TMPDIR/node-device")" '.paired[] | select(.deviceId == $d) | .operatorLabel' <<<"$devices")
  read -r low high <"$BATS_FILE_TMPDIR/labels-during-backup"
  echo "# restored label: $label (committed during the backup: $low..$high)" >&3
  [[ "$label" =~ ^backup-label-([0-9]+)$ ]]
  ((BASH_REMATCH[1] >= low && BASH_REMATCH[1] <= high))
}

@test "stopping the gateway the unit's way ends the foreground start with no restart needed" {
  pid=$(cat "$BATS_FILE_TMPDIR/start.pid")
  $(unit_commands ExecStop)
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  run kill -0 "$pid"
  [ "$status" -ne 0 ]
  [ -z "$(container_pid)" ]
}

@test "no gateway token: the pre-start check refuses in one line naming ./build.sh Secrets, no container starts" {
  ssm_value "ANTHROPIC_API_KEY=sk-ant-test" "OPENCLAW_GATEWAY_TOKEN="
  run_start_pre
  : >"$DOCKER_STANDIN_STATE/calls"
  run $(unit_commands ExecStart)
  [ "$status" -eq 78 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ "$output" == *"no OPENCLAW_GATEWAY_TOKEN or OPENCLAW_GATEWAY_PASSWORD"*"./build.sh Secrets"* ]]
  [ ! -s "$DOCKER_STANDIN_STATE/calls" ]
  grep -qx 'RestartPreventExitStatus=78' "$ROOT/$UNIT"
}

@test "no gateway token past the check: OpenClaw itself exits 78 once, the status the unit does not restart on" {
  [ -s "$OPENCLAW_ENV_FILE" ]
  run grep '^OPENCLAW_GATEWAY_TOKEN=.' "$OPENCLAW_ENV_FILE"
  [ "$status" -eq 1 ]
  run timeout 300 "$DOCKER_BIN" compose -f "$ROOT/usr/local/lib/openclaw/docker-compose.yaml" up
  [ "$status" -eq 78 ]
  [[ "$output" == *"Refusing to bind gateway to lan without auth"* ]]
  [ "$(grep -c ' up$' "$DOCKER_STANDIN_STATE/calls")" -eq 1 ]
}
