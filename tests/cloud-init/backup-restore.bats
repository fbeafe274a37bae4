#!/usr/bin/env bats
# backup.sh and restore.sh against a real S3 endpoint (s3rver on 127.0.0.1)
# with Debian's AWS CLI v2.

load helpers/common
load helpers/s3
load helpers/loop

BACKUP=$SCRIPTS/backup.sh
RESTORE=$SCRIPTS/restore.sh

setup_file() {
  s3_start
}

teardown_file() {
  s3_stop
}

setup() {
  isolate_env
  s3_env
  T=$BATS_TEST_TMPDIR
  export OPENCLAW_REQUIRE_MOUNT=0 OPENCLAW_UID=$EUID OPENCLAW_RESTORE_ATTEMPTS=1
  export OPENCLAW_BACKUP_LOCK=$T/backup.lock SYSTEMCTL_BIN=false
}

teardown() {
  [[ -f "$T/stop" ]] || touch "$T/stop"
  wait 2>/dev/null || true
  loop_teardown
}

# A volume as the gateway leaves it: config, workspace, a database, the marker.
make_volume() {
  local dir=$1
  mkdir -p "$dir/.openclaw/memory" "$dir/workspace/notes" "$dir/lost+found"
  echo '{"gateway":{"port":18789}}' >"$dir/.openclaw/openclaw.json"
  echo 'first note' >"$dir/workspace/notes/a [draft].md"
  echo 'services: {}' >"$dir/docker-compose.yaml"
  sqlite3 "$dir/.openclaw/memory/main.sqlite" \
    "PRAGMA journal_mode=WAL;" \
    "CREATE TABLE facts (id INTEGER PRIMARY KEY, body TEXT);" \
    "INSERT INTO facts (body) VALUES ('alpha'), ('beta');" >/dev/null
  touch "$dir/.openclaw-live"
}

# A backup in S3 to restore from, taken of a volume made at $T/old.
back_up_old_volume() {
  make_volume "$T/old"
  OPENCLAW_MOUNT_POINT=$T/old "$BACKUP"
}

# Paths and contents of every file under a directory, for exact comparison.
tree_sum() {
  (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

@test "backup refuses a volume that restore has not marked live" {
  make_volume "$T/vol"
  rm "$T/vol/.openclaw-live"
  run "$BACKUP"
  [ "$status" -ne 0 ]
  assert_output_has "no .openclaw-live marker"
  [ -z "$(s3_keys)" ]
}

@test "backup and restore refuse a directory that is not a mounted volume" {
  make_volume "$T/vol"
  export OPENCLAW_MOUNT_POINT=$T/vol OPENCLAW_REQUIRE_MOUNT=1
  run "$BACKUP"
  [ "$status" -ne 0 ]
  assert_output_has "is not a mount point"
  mkdir "$T/empty"
  OPENCLAW_MOUNT_POINT=$T/empty run "$RESTORE"
  [ "$status" -ne 0 ]
  assert_output_has "is not a mount point"
  [ -z "$(ls -A "$T/empty")" ]
  [ -z "$(s3_keys)" ]
}

@test "round trip: restore onto an empty volume brings back files and databases" {
  make_volume "$T/vol"
  OPENCLAW_MOUNT_POINT=$T/vol run "$BACKUP"
  [ "$status" -eq 0 ]
  assert_output_has "1 SQLite database(s) copied"

  # Only content goes up: no markers, no lost+found, no staging, no -wal/-shm.
  run s3_keys
  [ "$output" = "$(printf '%s\n' .openclaw/memory/main.sqlite .openclaw/openclaw.json \
    docker-compose.yaml 'workspace/notes/a [draft].md')" ]

  mkdir -p "$T/new/lost+found"
  OPENCLAW_MOUNT_POINT=$T/new run "$RESTORE"
  [ "$status" -eq 0 ]
  assert_output_has "restore complete"
  [ -e "$T/new/.openclaw-live" ]
  [ ! -e "$T/new/.openclaw-restore-incomplete" ]
  cmp "$T/vol/.openclaw/openclaw.json" "$T/new/.openclaw/openclaw.json"
  cmp "$T/vol/workspace/notes/a [draft].md" "$T/new/workspace/notes/a [draft].md"
  [ "$(sqlite3 "$T/new/.openclaw/memory/main.sqlite" 'PRAGMA integrity_check')" = ok ]
  [ "$(sqlite3 "$T/new/.openclaw/memory/main.sqlite" 'SELECT group_concat(body) FROM facts')" = alpha,beta ]
  [ -z "$(find "$T/new/.openclaw" -perm /077)" ]

  # The next boot sees live data and leaves it alone.
  OPENCLAW_MOUNT_POINT=$T/new run "$RESTORE"
  [ "$status" -eq 0 ]
  assert_output_has "holds live data"
}

@test "restore onto a volume holding newer data changes nothing" {
  back_up_old_volume
  make_volume "$T/vol"
  echo 'newer than the backup' >"$T/vol/workspace/notes/a [draft].md"
  sqlite3 "$T/vol/.openclaw/memory/main.sqlite" "INSERT INTO facts (body) VALUES ('gamma')"
  before=$(tree_sum "$T/vol")

  OPENCLAW_MOUNT_POINT=$T/vol run "$RESTORE"
  [ "$status" -eq 0 ]
  assert_output_has "holds live data"
  [ "$(tree_sum "$T/vol")" = "$before" ]
}

@test "restore onto unmarked non-empty data (e.g. an older snapshot) keeps it and marks it live" {
  back_up_old_volume
  mkdir -p "$T/vol/.openclaw"
  echo 'from a snapshot' >"$T/vol/.openclaw/openclaw.json"
  before=$(tree_sum "$T/vol")

  OPENCLAW_MOUNT_POINT=$T/vol run "$RESTORE"
  [ "$status" -eq 0 ]
  assert_output_has "keeping its data, not restoring"
  assert_output_has "--force"
  [ -e "$T/vol/.openclaw-live" ]
  rm "$T/vol/.openclaw-live"
  [ "$(tree_sum "$T/vol")" = "$before" ]
}

@test "a WAL database written to during backup restores and passes integrity_check" {
  make_volume "$T/vol"
  db=$T/vol/.openclaw/memory/events.sqlite
  "$PYTHON" "$HELPERS/sqlite_writer.py" "$db" "$T/ready" "$T/stop" 3>&- &
  wait_for_file "$T/ready"
  [ -s "$db-wal" ]

  OPENCLAW_MOUNT_POINT=$T/vol run "$BACKUP"
  touch "$T/stop"
  wait
  [ "$status" -eq 0 ]
  assert_output_has "2 SQLite database(s) copied"
  run s3_keys
  [[ "$output" == *".openclaw/memory/events.sqlite"* ]]
  [[ "$output" != *"-wal"* && "$output" != *"-shm"* ]]

  mkdir "$T/new"
  OPENCLAW_MOUNT_POINT=$T/new "$RESTORE"
  [ "$(sqlite3 "$T/new/.openclaw/memory/events.sqlite" 'PRAGMA integrity_check')" = ok ]
  # The first 200 rows were only in the -wal file when the backup ran.
  [ "$(sqlite3 "$T/new/.openclaw/memory/events.sqlite" 'SELECT count(*) >= 200 FROM events')" = 1 ]
}

@test "forced restore moves current data aside, then restores; refused while the gateway runs" {
  back_up_old_volume
  make_volume "$T/vol"
  echo 'current' >"$T/vol/workspace/notes/a [draft].md"
  before=$(tree_sum "$T/vol")

  SYSTEMCTL_BIN=true OPENCLAW_MOUNT_POINT=$T/vol run "$RESTORE" --force
  [ "$status" -ne 0 ]
  assert_output_has "openclaw.service is running"
  [ "$(tree_sum "$T/vol")" = "$before" ]

  OPENCLAW_MOUNT_POINT=$T/vol run "$RESTORE" --force
  [ "$status" -eq 0 ]
  aside=$(find "$T/vol" -maxdepth 1 -name '.pre-restore-*')
  [ -n "$aside" ]
  [ "$(cat "$aside/workspace/notes/a [draft].md")" = current ]
  [ "$(cat "$T/vol/workspace/notes/a [draft].md")" = 'first note' ]
  [ -e "$T/vol/.openclaw-live" ]
  [ -d "$T/vol/lost+found" ]
}

@test "forced restore keeps the data when there is no backup" {
  make_volume "$T/vol"
  before=$(tree_sum "$T/vol")
  OPENCLAW_MOUNT_POINT=$T/vol run "$RESTORE" --force
  [ "$status" -ne 0 ]
  assert_output_has "no backup found"
  [ "$(tree_sum "$T/vol")" = "$before" ]
}

@test "failed restore leaves the volume unmarked (no backup, no gateway); a later run completes it" {
  back_up_old_volume
  mkdir "$T/new"
  good=$AWS_ENDPOINT_URL

  AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_MAX_ATTEMPTS=1 OPENCLAW_MOUNT_POINT=$T/new run "$RESTORE"
  [ "$status" -ne 0 ]
  assert_output_has "not marked live"
  [ ! -e "$T/new/.openclaw-live" ]
  [ -e "$T/new/.openclaw-restore-incomplete" ]
  OPENCLAW_MOUNT_POINT=$T/new run "$BACKUP"
  [ "$status" -ne 0 ]

  AWS_ENDPOINT_URL=$good OPENCLAW_MOUNT_POINT=$T/new run "$RESTORE"
  [ "$status" -eq 0 ]
  [ -e "$T/new/.openclaw-live" ]
  [ ! -e "$T/new/.openclaw-restore-incomplete" ]
  cmp "$T/old/.openclaw/openclaw.json" "$T/new/.openclaw/openclaw.json"
}

@test "backup exits non-zero when S3 is unreachable" {
  make_volume "$T/vol"
  AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_MAX_ATTEMPTS=1 OPENCLAW_MOUNT_POINT=$T/vol run "$BACKUP"
  [ "$status" -ne 0 ]
  assert_output_has "failed"
}

@test "only one backup runs at a time" {
  make_volume "$T/vol"
  exec 8>"$OPENCLAW_BACKUP_LOCK"
  flock 8
  OPENCLAW_MOUNT_POINT=$T/vol run "$BACKUP"
  exec 8>&-
  [ "$status" -ne 0 ]
  assert_output_has "another backup is running"
}

@test "new blank volume end to end: mounted, formatted, then restored from S3" {
  loop_setup
  back_up_old_volume
  dev=$(new_loop data)
  link_volume "$OPENCLAW_DATA_VOLUME_ID" "$dev"
  export OPENCLAW_REQUIRE_MOUNT=1 OPENCLAW_UID=1000

  run "$SCRIPTS/mount-data-volume.sh"
  [ "$status" -eq 0 ]
  run "$RESTORE"
  [ "$status" -eq 0 ]
  assert_output_has "restore complete"
  [ "$(findmnt -rn -o SOURCE --mountpoint "$T/mnt")" = "$dev" ]
  cmp "$T/old/.openclaw/openclaw.json" "$T/mnt/.openclaw/openclaw.json"
  [ "$(sqlite3 "$T/mnt/.openclaw/memory/main.sqlite" 'PRAGMA integrity_check')" = ok ]
  [ "$(stat -c %u "$T/mnt/.openclaw/memory/main.sqlite")" = 1000 ]
  [ "$(stat -c %u "$T/mnt/workspace")" = 1000 ]
}

@test "backing up a database owned by uid 1000 leaves no root-owned files beside it" {
  require_root "files owned by uid 1000"
  make_volume "$T/vol"
  chown -R 1000:1000 "$T/vol/.openclaw"
  OPENCLAW_MOUNT_POINT=$T/vol run "$BACKUP"
  [ "$status" -eq 0 ]
  [ -z "$(find "$T/vol/.openclaw" ! -uid 1000)" ]
  [ -z "$(find "$T/vol" -maxdepth 1 -name '.backup-staging.*')" ]
}
