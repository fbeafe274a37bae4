#!/usr/bin/env bats
# The gateway's own scripts with docker, curl and systemctl as stubs: what the
# container entrypoint reads, the pre-start check, first-boot config, the
# readiness wait and openclaw-cli's argv. tests/openclaw runs them against the
# real OpenClaw.

load helpers/common

ENTRYPOINT=$SCRIPTS/gateway-entrypoint.sh
START=$SCRIPTS/gateway-start.sh
READY=$SCRIPTS/gateway-ready.sh
CLI=$SCRIPTS/openclaw-cli

setup() {
  isolate_env
  T=$BATS_TEST_TMPDIR
  export OPENCLAW_SECRETS_FILE=$T/secrets.env
}

# --- gateway-entrypoint.sh (runs in the container, under the image's /bin/sh) ---

# Prints the variables the entrypoint hands to its command, one per line, sorted.
exported() {
  env -i PATH="$PATH" OPENCLAW_SECRETS_FILE="$OPENCLAW_SECRETS_FILE" "${SHELL_UNDER_TEST:-sh}" "$ENTRYPOINT" env |
    grep -vE '^(PATH|PWD|SHLVL|OPENCLAW_SECRETS_FILE|_)=' | sort
}

@test "entrypoint: exports each KEY=VALUE of the secrets file, as compose's env_file did, under sh and dash" {
  cat >"$OPENCLAW_SECRETS_FILE" <<'EOF'
# a comment
OPENCLAW_GATEWAY_TOKEN=tok=with=equals
export ANTHROPIC_API_KEY="sk-ant quoted"
SINGLE='single $HOME'

EMPTY=
LAST_LINE_WITHOUT_NEWLINE=yes
EOF
  truncate -s -1 "$OPENCLAW_SECRETS_FILE"
  for shell in sh dash bash; do
    command -v "$shell" >/dev/null || continue
    SHELL_UNDER_TEST=$shell run exported
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' 'ANTHROPIC_API_KEY=sk-ant quoted' 'EMPTY=' 'LAST_LINE_WITHOUT_NEWLINE=yes' \
      'OPENCLAW_GATEWAY_TOKEN=tok=with=equals' 'SINGLE=single $HOME')" ] || { echo "$shell: $output"; false; }
  done
}

@test "entrypoint: skips lines that are not KEY=VALUE, naming no value" {
  printf 'bad-key=secret1\n1X=secret2\nno equals sign\nGOOD=1\n' >"$OPENCLAW_SECRETS_FILE"
  run exported
  [ "$status" -eq 0 ]
  [ "$(grep -c '^GOOD=1$' <<<"$output")" -eq 1 ]
  [[ "$output" != *secret1* && "$output" != *secret2* ]]
  [[ "$output" == *"skipped a line of $OPENCLAW_SECRETS_FILE that is not KEY=VALUE"* ]]
}

@test "entrypoint: runs its arguments verbatim, with no value in argv" {
  printf 'OPENCLAW_GATEWAY_TOKEN=s3cr3t\n' >"$OPENCLAW_SECRETS_FILE"
  run sh "$ENTRYPOINT" sh -c 'printf "%s|" "$@"; ps -o args= -p $$' argv0 'a b' '$(x)' ';'
  [ "$status" -eq 0 ]
  [[ "$output" == 'a b|$(x)|;|'* ]]
  [[ "$output" != *s3cr3t* ]]
}

@test "entrypoint: an unreadable secrets file is a configuration error (78), the command never runs" {
  OPENCLAW_SECRETS_FILE=$T/missing.env run sh "$ENTRYPOINT" touch "$T/ran"
  [ "$status" -eq 78 ]
  [[ "$output" == *"cannot read $T/missing.env"* ]]
  [ ! -e "$T/ran" ]
}

# --- gateway-start.sh ---

# A lib dir with the real entrypoint and compose path; docker is a stub that
# "initialises" a config when asked to run setup.
start_env() {
  export OPENCLAW_MOUNT_POINT=$T/vol OPENCLAW_ENV_FILE=$T/run/.env OPENCLAW_LIB_DIR=$T/lib DOCKER_BIN
  mkdir -p "$T/vol/.openclaw" "$T/run" "$T/lib"
  cp "$ENTRYPOINT" "$T/lib/gateway-entrypoint.sh"
  DOCKER_BIN=$(stub docker "[[ \"\$*\" != *'setup --baseline'* ]] || echo '{\"gateway\":{\"mode\":\"local\"}}' >'$T/vol/.openclaw/openclaw.json'")
}

@test "start: no token or password in the secrets: exit 78, one line naming ./build.sh Secrets, docker never called" {
  start_env
  for content in '' 'ANTHROPIC_API_KEY=x' 'OPENCLAW_GATEWAY_TOKEN=' 'OPENCLAW_GATEWAY_PASSWORD=""' '# OPENCLAW_GATEWAY_TOKEN=x'; do
    printf '%s\n' "$content" >"$OPENCLAW_ENV_FILE"
    OPENCLAW_GATEWAY_TOKEN=from-systemd run "$START"
    [ "$status" -eq 78 ] || { echo "$content: $status $output"; false; }
    [ "${#lines[@]}" -eq 1 ]
    assert_output_has "no OPENCLAW_GATEWAY_TOKEN or OPENCLAW_GATEWAY_PASSWORD in $OPENCLAW_ENV_FILE"
    assert_output_has "set it with ./build.sh Secrets"
  done
  [ -z "$(calls docker)" ]
}

@test "start: the root pre-start check exports only the auth keys: LD_PRELOAD or PATH in the secrets reach no process" {
  command -v cc >/dev/null || skip "no C compiler for the preload library"
  start_env
  printf '#include <stdio.h>\n__attribute__((constructor)) static void hit(void) { FILE *f = fopen("%s", "a"); if (f) { fputs("loaded\\n", f); fclose(f); } }\n' \
    "$T/preloaded" >"$T/evil.c"
  cc -shared -fPIC -o "$T/evil.so" "$T/evil.c"
  # The library works: any process started with it writes the marker.
  LD_PRELOAD=$T/evil.so /bin/true
  [ "$(cat "$T/preloaded")" = loaded ]
  rm "$T/preloaded"
  mkdir "$T/evil-bin"
  printf '#!/bin/sh\necho path >>"%s"\n' "$T/preloaded" >"$T/evil-bin/sh"
  chmod +x "$T/evil-bin/sh"
  printf 'LD_PRELOAD=%s\nPATH=%s\nOPENCLAW_GATEWAY_TOKEN=t\n' "$T/evil.so" "$T/evil-bin" >"$OPENCLAW_ENV_FILE"
  echo '{"gateway":{"mode":"local"}}' >"$T/vol/.openclaw/openclaw.json"
  run "$START"
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  [ ! -e "$T/preloaded" ] || { cat "$T/preloaded"; false; }
  [ "$(calls docker | grep -c ' up ')" -eq 1 ]
  # Without the token the same file still fails the check: the allow-list does not hide a missing token.
  printf 'LD_PRELOAD=%s\nOPENCLAW_GATEWAY_TOKENX=t\n' "$T/evil.so" >"$OPENCLAW_ENV_FILE"
  run "$START"
  [ "$status" -eq 78 ]
  [ ! -e "$T/preloaded" ]
}

@test "entrypoint: OPENCLAW_SECRETS_KEYS exports only the keys it names" {
  printf 'A=1\nLD_PRELOAD=/x.so\nOPENCLAW_GATEWAY_TOKEN=t\nOPENCLAW_GATEWAY_PASSWORD=p\n' >"$OPENCLAW_SECRETS_FILE"
  run env -i PATH="$PATH" OPENCLAW_SECRETS_FILE="$OPENCLAW_SECRETS_FILE" OPENCLAW_SECRETS_KEYS="OPENCLAW_GATEWAY_TOKEN OPENCLAW_GATEWAY_PASSWORD" \
    sh "$ENTRYPOINT" env
  [ "$status" -eq 0 ]
  [ "$(grep -vE '^(PATH|PWD|SHLVL|OPENCLAW_SECRETS_FILE|OPENCLAW_SECRETS_KEYS|_)=' <<<"$output" | sort)" = "$(printf 'OPENCLAW_GATEWAY_PASSWORD=p\nOPENCLAW_GATEWAY_TOKEN=t')" ]
}

@test "start: new volume: setup --baseline once in the gateway's container, then compose up in the foreground" {
  start_env
  printf 'OPENCLAW_GATEWAY_PASSWORD=pw\n' >"$OPENCLAW_ENV_FILE"
  run "$START"
  [ "$status" -eq 0 ]
  [ "$(calls docker)" = "$(printf '%s\n' \
    "compose -f $T/lib/docker-compose.yaml run --rm --no-deps -T openclaw-gateway node dist/index.js setup --baseline" \
    "compose -f $T/lib/docker-compose.yaml up --no-color --remove-orphans --abort-on-container-exit --exit-code-from openclaw-gateway")" ]
  assert_output_has "new volume, running openclaw setup --baseline once"
}

@test "start: an existing config is never touched: no setup, straight to compose up" {
  start_env
  printf 'OPENCLAW_GATEWAY_TOKEN=t\n' >"$OPENCLAW_ENV_FILE"
  echo '{"gateway":{"mode":"remote"},"mine":true}' >"$T/vol/.openclaw/openclaw.json"
  before=$(sha256sum "$T/vol/.openclaw/openclaw.json")
  run "$START"
  [ "$status" -eq 0 ]
  [ "$(calls docker | grep -c setup || true)" -eq 0 ]
  [ "$(calls docker | grep -c ' up ')" -eq 1 ]
  [ "$(sha256sum "$T/vol/.openclaw/openclaw.json")" = "$before" ]
}

@test "start: a setup that writes no config stops the start before compose up" {
  start_env
  printf 'OPENCLAW_GATEWAY_TOKEN=t\n' >"$OPENCLAW_ENV_FILE"
  DOCKER_BIN=$(stub docker 'true')
  run "$START"
  [ "$status" -ne 0 ]
  assert_output_has "openclaw setup --baseline did not write $T/vol/.openclaw/openclaw.json"
  [ "$(calls docker | grep -c ' up ' || true)" -eq 0 ]
}

@test "start: compose up's exit code is the unit's (78 from OpenClaw stops systemd's restarts)" {
  start_env
  printf 'OPENCLAW_GATEWAY_TOKEN=t\n' >"$OPENCLAW_ENV_FILE"
  echo '{}' >"$T/vol/.openclaw/openclaw.json"
  DOCKER_BIN=$(stub docker 'exit 78')
  run "$START"
  [ "$status" -eq 78 ]
}

# --- gateway-ready.sh ---

ready_env() {
  export CURL_BIN SYSTEMCTL_BIN OPENCLAW_READY_TIMEOUT_SECONDS=30 OPENCLAW_GATEWAY_PORT=18789
  SYSTEMCTL_BIN=$(stub systemctl)
  # Not listening twice, then "starting"-like JSON, then live.
  CURL_BIN=$(stub curl "
n=\$(wc -l <'$T/curl.calls')
if ((n <= 2)); then exit 7; elif ((n == 3)); then echo '{\"ok\":false,\"status\":\"starting\"}'; else echo '{\"ok\":true,\"status\":\"live\"}'; fi")
}

@test "ready: waits until /health says live, then, with auto_approve_devices off, starts nothing" {
  ready_env
  run "$READY"
  [ "$status" -eq 0 ]
  [ "$(calls curl | wc -l)" -eq 4 ]
  calls curl | grep -q 'http://127.0.0.1:18789/health$'
  assert_output_has "gateway is live at http://127.0.0.1:18789/health"
  [ -z "$(calls systemctl)" ]
}

@test "ready: with auto_approve_devices on, starts the approval timer once the gateway is live" {
  ready_env
  OPENCLAW_AUTO_APPROVE_DEVICES=true run "$READY"
  [ "$status" -eq 0 ]
  [ "$(calls systemctl)" = "start --no-block openclaw-auto-approve.timer" ]
}

@test "ready: a gateway that never goes live fails the start after the timeout" {
  ready_env
  CURL_BIN=$(stub curl 'exit 7')
  OPENCLAW_READY_TIMEOUT_SECONDS=1 run "$READY"
  [ "$status" -ne 0 ]
  assert_output_has "did not answer http://127.0.0.1:18789/health as live within 1s"
  [ -z "$(calls systemctl)" ]
}

# --- openclaw-cli ---

cli_env() {
  export DOCKER_BIN
  DOCKER_BIN=$(stub docker "[[ \$1 != ps ]] || [[ -e '$T/down' ]] || echo 3f2a1b")
}

@test "openclaw-cli: docker exec in the gateway container through its entrypoint, argv verbatim" {
  args=(config set 'a b' '$(touch pwned)' ';' '"q"' '*')
  # A docker that prints its argv one word per line.
  export DOCKER_BIN
  DOCKER_BIN=$(stub docker "[[ \$1 == ps ]] && echo 3f2a1b && exit; printf '%s\n' \"\$@\" >'$T/argv'")
  run "$CLI" "${args[@]}"
  [ "$status" -eq 0 ]
  mapfile -t got <"$T/argv"
  [ "${got[*]:0:5}" = "exec --interactive openclaw-gateway /run/openclaw/entrypoint.sh node" ]
  [ "${got[5]}" = dist/index.js ]
  for i in "${!args[@]}"; do [ "${got[$((i + 6))]}" = "${args[$i]}" ]; done
  [ "${#got[@]}" -eq $((6 + ${#args[@]})) ]
  [ ! -e pwned ] && [ ! -e "$T/pwned" ]
}

@test "openclaw-cli: gateway not running: one sentence, exit 69, no exec" {
  cli_env
  touch "$T/down"
  run "$CLI" devices list
  [ "$status" -eq 69 ]
  assert_output_has "the gateway container openclaw-gateway is not running; start it with: systemctl start openclaw.service"
  [ "$(calls docker | grep -c '^exec' || true)" -eq 0 ]
}
