#!/usr/bin/env bats
# The health signals (docs/alerts.md): the embedded-metric-format lines that
# backup.sh and health-probe.sh append to the file the CloudWatch agent ships,
# and the probe against a local HTTP server that is up, answers not-live, or is down.

load helpers/common

BACKUP=$SCRIPTS/backup.sh
PROBE=$SCRIPTS/health-probe.sh

setup() {
  isolate_env
  T=$BATS_TEST_TMPDIR
  export OPENCLAW_STACK=obs-test
  OPENCLAW_UID=$(id -u)
  export OPENCLAW_REQUIRE_MOUNT=0 OPENCLAW_MOUNT_POINT=$T/vol OPENCLAW_UID
  export OPENCLAW_BACKUP_LOCK=$T/backup.lock SYSTEMCTL_BIN=false DOCKER_BIN=false
  export OPENCLAW_BACKUP_BUCKET=bucket OPENCLAW_BACKUP_PREFIX=obs-test/
  mkdir -p "$T/vol"
  touch "$T/vol/.openclaw-live"
}

teardown() {
  [[ -z "${SERVER_PID:-}" ]] || kill "$SERVER_PID" 2>/dev/null || true
}

# Checks every line of the metrics log is EMF as CloudWatch Logs extracts it:
# one JSON object, _aws.Timestamp in epoch milliseconds (within the last
# minute), namespace OpenClaw, the one dimension set [Stack], each metric a
# number at the root, Stack the stack's name. Prints "Name=Value ..." per line.
emf_lines() {
  "$PYTHON" - "$OPENCLAW_METRICS_LOG" <<'PY'
import json, sys, time
for raw in open(sys.argv[1]):
    line = json.loads(raw)
    aws = line["_aws"]
    assert isinstance(aws["Timestamp"], int) and abs(aws["Timestamp"] - time.time() * 1000) < 60_000, aws["Timestamp"]
    [directive] = aws["CloudWatchMetrics"]
    assert directive["Namespace"] == "OpenClaw", directive
    assert directive["Dimensions"] == [["Stack"]], directive
    assert line["Stack"] == "obs-test", line
    names = [m["Name"] for m in directive["Metrics"]]
    assert all(isinstance(line[n], (int, float)) for n in names), line
    print(" ".join(f"{n}={line[n]}" for n in names))
PY
}

# A runner that makes a stand-in archive at once (backup.sh's own logic only).
quick_runner() {
  stub runner '[[ $1 == create ]] || exit 1
echo archive >"$2/stand-in.tar.gz"
printf "{\"verified\": true, \"createdAt\": \"%s\"}\n" "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"'
}

@test "emit_metrics writes one valid EMF line per call and never fails its caller" {
  run bash -c "source '$SCRIPTS/lib.sh'; emit_metrics GatewayHealthy=1 BackupAgeSeconds=42; emit_metrics BackupFailed=1"
  [ "$status" -eq 0 ]
  run emf_lines
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf '%s\n' 'GatewayHealthy=1 BackupAgeSeconds=42' 'BackupFailed=1')" ]
  # Unwritable file: a message, exit 0.
  OPENCLAW_METRICS_LOG=/proc/no-such/metrics.log run bash -c "source '$SCRIPTS/lib.sh'; emit_metrics GatewayHealthy=1; echo rc=\$?"
  assert_output_has "could not write metrics GatewayHealthy=1"
  assert_output_has "rc=0"
  # No stack name, no dimension value: nothing written.
  OPENCLAW_STACK='' run bash -c "source '$SCRIPTS/lib.sh'; emit_metrics GatewayHealthy=1"
  assert_output_has "OPENCLAW_STACK is not set"
  [ "$(wc -l <"$OPENCLAW_METRICS_LOG")" -eq 2 ]
}

@test "a successful backup publishes BackupSucceeded=1 BackupFailed=0 and stamps its time" {
  export OPENCLAW_ARCHIVE_RUNNER AWS_BIN
  OPENCLAW_ARCHIVE_RUNNER=$(quick_runner)
  AWS_BIN=$(stub aws)
  run "$BACKUP"
  [ "$status" -eq 0 ]
  assert_output_has "backup complete: s3://bucket/obs-test/archives/"
  [[ "$(calls aws)" == "s3 cp "* ]]
  run emf_lines
  [ "$output" = "BackupSucceeded=1 BackupFailed=0" ]
  [ -e "$OPENCLAW_BACKUP_STAMP" ]
}

@test "a failed backup publishes BackupSucceeded=0 BackupFailed=1 and leaves the stamp alone" {
  export OPENCLAW_ARCHIVE_RUNNER AWS_BIN
  OPENCLAW_ARCHIVE_RUNNER=$(quick_runner)
  AWS_BIN=$(stub aws 'exit 1')
  touch -d '2 hours ago' "$OPENCLAW_BACKUP_STAMP"
  run "$BACKUP"
  [ "$status" -ne 0 ]
  assert_output_has "upload of"
  run emf_lines
  [ "$output" = "BackupSucceeded=0 BackupFailed=1" ]
  [ "$(($(date +%s) - $(stat -c %Y "$OPENCLAW_BACKUP_STAMP")))" -ge 7000 ]
  # A volume the restore has not marked live is a failed backup too.
  rm "$T/vol/.openclaw-live"
  run "$BACKUP"
  [ "$status" -ne 0 ]
  run emf_lines
  [ "${lines[1]}" = "BackupSucceeded=0 BackupFailed=1" ]
}

@test "a scheduled backup skipped because another one runs publishes nothing" {
  exec 8>"$OPENCLAW_BACKUP_LOCK"
  flock -n 8
  run "$BACKUP"
  exec 8>&-
  [ "$status" -ne 0 ]
  assert_output_has "another backup is running"
  [ ! -e "$OPENCLAW_METRICS_LOG" ]
}

# A local gateway stand-in on a free port answering /health with $1 as JSON.
serve_health() {
  local body=$1
  "$PYTHON" - "$body" "$T/port" <<'PY' &
import http.server, sys
body = sys.argv[1].encode()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/health" else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args): pass
server = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[2], "w").write(str(server.server_port))
server.serve_forever()
PY
  SERVER_PID=$!
  wait_for_file "$T/port"
  export OPENCLAW_HEALTH_URL="http://127.0.0.1:$(cat "$T/port")/health"
}

@test "the probe publishes GatewayHealthy=1 while the gateway answers /health live" {
  serve_health '{"ok":true,"status":"live"}'
  run "$PROBE"
  [ "$status" -eq 0 ]
  run emf_lines
  [ "$output" = "GatewayHealthy=1" ]
}

@test "the probe publishes GatewayHealthy=0 when /health is not live, and when nothing listens on the port" {
  serve_health '{"ok":false,"status":"starting"}'
  run "$PROBE"
  [ "$status" -eq 0 ]
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
  run "$PROBE"
  [ "$status" -eq 0 ]
  run emf_lines
  [ "$output" = "$(printf '%s\n' GatewayHealthy=0 GatewayHealthy=0)" ]
}

@test "the probe adds BackupAgeSeconds once a backup succeeded on this instance" {
  export OPENCLAW_HEALTH_URL=http://127.0.0.1:9/health
  run "$PROBE"
  touch -d '30 minutes ago' "$OPENCLAW_BACKUP_STAMP"
  run "$PROBE"
  run emf_lines
  [ "${lines[0]}" = "GatewayHealthy=0" ]
  [[ "${lines[1]}" =~ ^GatewayHealthy=0\ BackupAgeSeconds=(18[0-9][0-9])$ ]]
}
