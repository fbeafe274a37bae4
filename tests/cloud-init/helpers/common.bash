# shellcheck shell=bash
# Shared setup for the cloud-init bats suites.

REPO_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
CLOUD_INIT=$REPO_ROOT/cloud-init
SCRIPTS=$CLOUD_INIT/scripts
HELPERS=$BATS_TEST_DIRNAME/helpers
PYTHON=${PYTHON:-python3}

# Nothing a test runs may reach AWS, the real instance metadata service or
# this machine's /etc/openclaw.
isolate_env() {
  export OPENCLAW_CONFIG=$BATS_TEST_TMPDIR/no-such-config
  export AWS_BIN=${OPENCLAW_TEST_AWS:-/usr/bin/aws}
  export AWS_EC2_METADATA_DISABLED=true
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
  export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
  export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
  export AWS_PAGER=
  export OPENCLAW_IMDS_ENDPOINT=http://127.0.0.1:9
  export OPENCLAW_METRICS_LOG=$BATS_TEST_TMPDIR/metrics.log OPENCLAW_BACKUP_STAMP=$BATS_TEST_TMPDIR/last-backup
  unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL OPENCLAW_REGION
}

require_root() {
  [[ $EUID -eq 0 ]] || skip "needs root (${1:-loop devices and mount})"
}

require_loops() {
  require_root
  losetup -f >/dev/null 2>&1 || skip "no free loop device"
}

# A stub command in $BATS_TEST_TMPDIR/bin that appends its argv to <name>.calls.
# The body (optional) runs after the record.
stub() {
  local name=$1 body=${2:-}
  mkdir -p "$BATS_TEST_TMPDIR/bin"
  cat >"$BATS_TEST_TMPDIR/bin/$name" <<STUB
#!/usr/bin/env bash
printf '%s\n' "\$*" >>"$BATS_TEST_TMPDIR/$name.calls"
$body
STUB
  chmod +x "$BATS_TEST_TMPDIR/bin/$name"
  printf '%s\n' "$BATS_TEST_TMPDIR/bin/$name"
}

calls() { cat "$BATS_TEST_TMPDIR/$1.calls" 2>/dev/null || true; }

# Fails the test with the output shown when the text is missing.
assert_output_has() {
  [[ "$output" == *"$1"* ]] || { printf 'expected output to contain: %s\noutput was:\n%s\n' "$1" "$output" >&2; return 1; }
}

# Waits (bounded) until a file exists and is not empty.
wait_for_file() {
  local file=$1 tries=${2:-100}
  while [[ ! -s "$file" ]] && ((tries-- > 0)); do sleep 0.1; done
  [[ -s "$file" ]]
}
