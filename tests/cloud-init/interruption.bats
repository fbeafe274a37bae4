#!/usr/bin/env bats
# interruption-watch.sh against a fake IMDSv2 endpoint on 127.0.0.1.
# systemctl is a stub that records what the watcher asks of systemd.

load helpers/common

WATCH=$SCRIPTS/interruption-watch.sh
NOTICE='{"action": "terminate", "time": "2026-11-28T10:40:00Z"}'

setup() {
  isolate_env
  T=$BATS_TEST_TMPDIR
  "$PYTHON" "$HELPERS/fake_imds.py" --port-file "$T/port" --notice-file "$T/notice" \
    --log "$T/imds.log" --reject-file "$T/reject" 3>&- &
  echo $! >"$T/imds.pid"
  wait_for_file "$T/port"
  export OPENCLAW_IMDS_ENDPOINT=http://127.0.0.1:$(cat "$T/port") OPENCLAW_POLL_SECONDS=0.1
  export SYSTEMCTL_BIN
  SYSTEMCTL_BIN=$(stub systemctl)
}

teardown() {
  kill "$(cat "$T/imds.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}

@test "no notice: keeps polling with one IMDSv2 token, touches nothing" {
  run timeout 2 "$WATCH"
  [ "$status" -eq 124 ]
  [ -z "$(calls systemctl)" ]
  [ "$(grep -c '^PUT /latest/api/token token=21600$' "$T/imds.log")" -eq 1 ]
  gets=$(grep -c '^GET /latest/meta-data/spot/instance-action token=token-1$' "$T/imds.log")
  [ "$gets" -ge 5 ]
  [ "$(grep -c . "$T/imds.log")" -eq $((gets + 1)) ]
}

@test "notice: stops the gateway, then any scheduled backup, then runs the final backup unit, then exits 0" {
  (sleep 0.5 && printf '%s' "$NOTICE" >"$T/notice") 3>&- &
  run timeout 10 "$WATCH"
  [ "$status" -eq 0 ]
  assert_output_has "Spot interruption notice: $NOTICE"
  [ "$(calls systemctl)" = "$(printf '%s\n' 'stop openclaw.service' \
    'stop openclaw-backup.timer openclaw-backup.service' 'start openclaw-final-backup.service')" ]
}

@test "notice with persistence: ephemeral: stops the gateway and runs no backup (there is none)" {
  (sleep 0.5 && printf '%s' "$NOTICE" >"$T/notice") 3>&- &
  OPENCLAW_PERSISTENCE=ephemeral run timeout 10 "$WATCH"
  [ "$status" -eq 0 ]
  [ "$(calls systemctl)" = "stop openclaw.service" ]
  assert_output_has "persistence: ephemeral: no backup to run"
}

@test "the final backup unit runs backup.sh --final, a unit of its own so a running scheduled one is never joined" {
  unit=$CLOUD_INIT/systemd/openclaw-final-backup.service
  grep -qx 'ExecStart=/usr/local/lib/openclaw/backup.sh --final' "$unit"
  grep -qx 'Type=oneshot' "$unit"
  grep -qx 'ExecStart=/usr/local/lib/openclaw/backup.sh' "$CLOUD_INIT/systemd/openclaw-backup.service"
}

@test "a failed final backup makes the watcher exit non-zero" {
  printf '%s' "$NOTICE" >"$T/notice"
  SYSTEMCTL_BIN=$(stub systemctl '[[ $1 == start ]] && exit 1; exit 0')
  run timeout 10 "$WATCH"
  [ "$status" -eq 1 ]
  assert_output_has "final backup failed"
  [ "$(calls systemctl | wc -l)" -eq 3 ]
}

@test "a rejected token is replaced and polling goes on" {
  echo token-1 >"$T/reject"
  (sleep 0.5 && printf '%s' "$NOTICE" >"$T/notice") 3>&- &
  run timeout 10 "$WATCH"
  [ "$status" -eq 0 ]
  assert_output_has "IMDS token rejected"
  grep -q 'token=token-2$' "$T/imds.log"
  [ "$(calls systemctl | head -n1)" = "stop openclaw.service" ]
}

@test "IMDS not answering: keeps trying and logs the problem once" {
  kill "$(cat "$T/imds.pid")"
  wait "$(cat "$T/imds.pid")" 2>/dev/null || true
  run timeout 2 "$WATCH"
  [ "$status" -eq 124 ]
  [ "$(grep -c 'cannot get an IMDSv2 token' <<<"$output")" -eq 1 ]
  [ -z "$(calls systemctl)" ]
}
