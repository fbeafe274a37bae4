#!/usr/bin/env bats
# The real OpenClaw (pinned, from tests/openclaw/ensure-openclaw.sh) run the way
# the rendered user-data runs it: openclaw.service's own commands, the rendered
# compose file's entrypoint, command, user, environment and mounts, the secrets
# file fetch-env.sh writes, on a loop device mounted as the data volume.
# Tests run in order and share one volume: first boot, then the CLI path, then
# the refusals.

load helpers/instance

setup_file() {
  instance_setup_file
  instance_env
  # Generous: a first boot on a loaded 2-core machine took up to 4 minutes.
  export OPENCLAW_READY_TIMEOUT_SECONDS=600
}

teardown_file() {
  instance_teardown_file
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
  ! grep -q '^OPENCLAW_GATEWAY_TOKEN=.' "$OPENCLAW_ENV_FILE"
  run timeout 300 "$DOCKER_BIN" compose -f "$ROOT/usr/local/lib/openclaw/docker-compose.yaml" up
  [ "$status" -eq 78 ]
  [[ "$output" == *"Refusing to bind gateway to lan without auth"* ]]
  [ "$(grep -c ' up$' "$DOCKER_STANDIN_STATE/calls")" -eq 1 ]
}
