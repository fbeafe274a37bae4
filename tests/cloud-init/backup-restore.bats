#!/usr/bin/env bats
# backup.sh and restore.sh with the real OpenClaw (`openclaw backup create
# --verify` / `openclaw backup restore`, through helpers/openclaw-runner.sh)
# against a real S3 endpoint (s3rver on 127.0.0.1) with Debian's AWS CLI v2.

load helpers/common
load helpers/s3
load helpers/loop
load helpers/openclaw

BACKUP=$SCRIPTS/backup.sh
RESTORE=$SCRIPTS/restore.sh

setup_file() {
  s3_start
  if [[ $EUID -eq 0 ]]; then
    openclaw_runtime
    openclaw_template
  fi
}

teardown_file() {
  s3_stop
}

setup() {
  isolate_env
  s3_env
  T=$BATS_TEST_TMPDIR
  export OPENCLAW_REQUIRE_MOUNT=0 OPENCLAW_RESTORE_ATTEMPTS=1
  export OPENCLAW_BACKUP_LOCK=$T/backup.lock SYSTEMCTL_BIN=false DOCKER_BIN=false
  export OPENCLAW_ARCHIVE_RUNNER=$HELPERS/openclaw-runner.sh
  [[ $EUID -ne 0 ]] || openclaw_runtime
}

teardown() {
  [[ -f "$T/stop" ]] || touch "$T/stop"
  wait 2>/dev/null || true
  loop_teardown
}

# A volume as the gateway leaves it: OpenClaw's state (made by OpenClaw), a
# workspace, a table of our own in the state database, the live marker.
make_volume() {
  local dir=$1
  mkdir -p "$dir/lost+found" "$dir/workspace/notes"
  cp -a "$BATS_FILE_TMPDIR/template/.openclaw" "$dir/.openclaw"
  echo 'first note' >"$dir/workspace/notes/a [draft].md"
  sqlite3 "$dir/.openclaw/state/openclaw.sqlite" \
    "CREATE TABLE test_facts (id INTEGER PRIMARY KEY, body TEXT);" \
    "INSERT INTO test_facts (body) VALUES ('alpha'), ('beta');"
  chown -R 1000:1000 "$dir/.openclaw" "$dir/workspace"
  touch "$dir/.openclaw-live"
}

# Restore tests read the backup of one volume, made once per file at $OLD.
OLD_PREFIX=shared-old-volume
use_old_backup() {
  export OLD=$BATS_FILE_TMPDIR/old OPENCLAW_BACKUP_PREFIX=$OLD_PREFIX/
  [[ -n "$(s3_keys)" ]] && return 0
  make_volume "$OLD"
  OPENCLAW_MOUNT_POINT=$OLD "$BACKUP"
}

# Paths and contents of every file under a directory, for exact comparison.
tree_sum() {
  (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

# The archive behind a key, downloaded to a file; prints the file.
fetch_archive() {
  "$AWS_BIN" --endpoint-url "$AWS_ENDPOINT_URL" s3 cp --only-show-errors \
    "s3://$S3_BUCKET/$OPENCLAW_BACKUP_PREFIX$1" "$T/fetched.tar.gz" >&2
  printf '%s\n' "$T/fetched.tar.gz"
}

# A runner that makes a stand-in archive at once, for tests of backup.sh's own logic.
quick_runner() {
  stub runner '[[ $1 == create ]] || exit 1
echo archive >"$2/stand-in.tar.gz"
printf "{\"verified\": true, \"createdAt\": \"%s\"}\n" "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"'
}

facts() { sqlite3 "$1/.openclaw/state/openclaw.sqlite" 'SELECT group_concat(body) FROM test_facts'; }

@test "backup refuses a volume that restore has not marked live" {
  make_volume "$T/vol"
  rm "$T/vol/.openclaw-live"
  OPENCLAW_MOUNT_POINT=$T/vol run "$BACKUP"
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

@test "round trip: one verified OpenClaw archive, restored onto an empty volume" {
  require_root "the OpenClaw runner"
  make_volume "$T/vol"
  OPENCLAW_MOUNT_POINT=$T/vol run "$BACKUP"
  [ "$status" -eq 0 ]
  assert_output_has "verified by OpenClaw"

  # One archive under archives/, named by its time; nothing else goes up.
  run s3_keys
  [[ "$output" =~ ^archives/[0-9]{8}T[0-9]{6}\.[0-9]{3}Z-scheduled\.tar\.gz$ ]]
  archive=$(fetch_archive "$output")
  run tar -tzf "$archive"
  [[ "$output" == *"/payload/posix/home/node/.openclaw/state/openclaw.sqlite"* ]]
  [[ "$output" == *"/payload/posix/home/node/.openclaw/workspace/notes/a [draft].md"* ]]
  [[ "$output" != *"-wal"* && "$output" != *"-shm"* && "$output" != *".openclaw-live"* ]]
  # What the manifest says a backup holds (docs/backups.md quotes it).
  manifest=$(tar -xzOf "$archive" --wildcards '*/manifest.json')
  [ "$(jq -r '.assets[] | "\(.kind) \(.sourcePath)"' <<<"$manifest")" = "state /home/node/.openclaw" ]
  [ "$(jq -r '.skipped[] | "\(.sourcePath) \(.reason)"' <<<"$manifest")" = "/home/node/.openclaw/workspace covered" ]

  mkdir -p "$T/new/lost+found"
  OPENCLAW_MOUNT_POINT=$T/new run "$RESTORE"
  [ "$status" -eq 0 ]
  assert_output_has "restore complete"
  [ -e "$T/new/.openclaw-live" ]
  [ ! -e "$T/new/.openclaw-restore-incomplete" ]
  [ -z "$(find "$T/new" -maxdepth 1 -name '.restore-staging.*')" ]
  cmp "$T/vol/.openclaw/openclaw.json" "$T/new/.openclaw/openclaw.json"
  cmp "$T/vol/workspace/notes/a [draft].md" "$T/new/workspace/notes/a [draft].md"
  [ ! -e "$T/new/.openclaw/workspace/notes" ]
  [ "$(sqlite3 "$T/new/.openclaw/state/openclaw.sqlite" 'PRAGMA integrity_check')" = ok ]
  [ "$(facts "$T/new")" = alpha,beta ]
  [ -z "$(find "$T/new/.openclaw" "$T/new/workspace" ! -uid 1000)" ]
  [ -z "$(find "$T/new/.openclaw" -perm /077)" ]

  # The next boot sees live data and leaves it alone.
  OPENCLAW_MOUNT_POINT=$T/new run "$RESTORE"
  [ "$status" -eq 0 ]
  assert_output_has "holds live data"
}

@test "restore reproduces the last backup: files deleted before it stay deleted, nothing in S3 is removed" {
  require_root "the OpenClaw runner"
  make_volume "$T/vol"
  echo 'to be deleted' >"$T/vol/workspace/notes/old.md"
  OPENCLAW_MOUNT_POINT=$T/vol "$BACKUP"
  rm "$T/vol/workspace/notes/old.md"
  echo 'written later' >"$T/vol/workspace/notes/new.md"
  sqlite3 "$T/vol/.openclaw/state/openclaw.sqlite" "DELETE FROM test_facts WHERE body = 'alpha'"
  sleep 0.01
  OPENCLAW_MOUNT_POINT=$T/vol "$BACKUP"
  [ "$(s3_keys | wc -l)" -eq 2 ]

  mkdir "$T/new"
  OPENCLAW_MOUNT_POINT=$T/new run "$RESTORE"
  [ "$status" -eq 0 ]
  assert_output_has "$(s3_keys | tail -n1)"
  [ ! -e "$T/new/workspace/notes/old.md" ]
  [ "$(cat "$T/new/workspace/notes/new.md")" = 'written later' ]
  [ "$(facts "$T/new")" = beta ]
  [ "$(s3_keys | wc -l)" -eq 2 ]
}

@test "a database written every few ms during the whole backup restores consistent (one read transaction)" {
  require_root "the OpenClaw runner"
  make_volume "$T/vol"
  db=$T/vol/.openclaw/state/openclaw.sqlite
  # 40 MB that does not compress: SQLite's restarting .backup never finishes
  # this under the writer below (bench/backup-large-db.sh shows it).
  "$PYTHON" - "$db" <<'PY'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("CREATE TABLE test_filler (id INTEGER PRIMARY KEY, body BLOB)")
c.execute("BEGIN")
for _ in range(10240):
    c.execute("INSERT INTO test_filler (body) VALUES (?)", (os.urandom(4000),))
c.execute("COMMIT")
PY
  "$PYTHON" "$HELPERS/sqlite_writer.py" "$db" "$T/ready" "$T/stop" 3>&- &
  wait_for_file "$T/ready"
  [ -s "$db-wal" ]
  chown 1000:1000 "$db" "$db-wal" "$db-shm"  # the gateway's user owns them on the instance
  before=$(sqlite3 "$db" 'SELECT count(*) FROM events')

  OPENCLAW_MOUNT_POINT=$T/vol run "$BACKUP"
  after=$(sqlite3 "$db" 'SELECT count(*) FROM events')
  touch "$T/stop"
  wait
  [ "$status" -eq 0 ]

  mkdir "$T/new"
  OPENCLAW_MOUNT_POINT=$T/new "$RESTORE"
  copy=$T/new/.openclaw/state/openclaw.sqlite
  [ "$(sqlite3 "$copy" 'PRAGMA integrity_check')" = ok ]
  [ "$(sqlite3 "$copy" 'SELECT count(*) FROM test_filler')" -eq 10240 ]
  # Rows written while the backup ran: the copy is one moment inside it.
  restored=$(sqlite3 "$copy" 'SELECT count(*) FROM events')
  echo "rows: before $before, restored $restored, after $after"
  [ "$restored" -gt "$before" ]
  [ "$restored" -lt "$after" ]
  [ ! -e "$copy-wal" ] || [ ! -s "$copy-wal" ]
}

@test "links are never followed: links to secrets outside the volume stay links, and are logged" {
  require_root "the OpenClaw runner"
  make_volume "$T/vol"
  # Readable by uid 1000 (so following it would work) and outside the volume.
  secret=$(mktemp /tmp/openclaw-test-secret.XXXXXX)
  echo "OPENCLAW_GATEWAY_TOKEN=SECRET-$BATS_TEST_NUMBER-$$" >"$secret"
  chmod 0644 "$secret"
  # Links as the container (uid 1000) would make them.
  ln -s "$secret" "$T/vol/workspace/notes/env"
  ln -s /etc/shadow "$T/vol/.openclaw/shadow"
  ln -s /run/openclaw/.env "$T/vol/.openclaw/run-env"
  chown -h 1000:1000 "$T/vol/workspace/notes/env" "$T/vol/.openclaw/shadow" "$T/vol/.openclaw/run-env"
  OPENCLAW_MOUNT_POINT=$T/vol run "$BACKUP"
  rm -f "$secret"
  [ "$status" -eq 0 ]
  assert_output_has "workspace/notes/env -> $secret: it points outside the volume; only the link is in the archive"
  assert_output_has ".openclaw/shadow -> /etc/shadow: it points outside the volume"
  assert_output_has ".openclaw/run-env -> /run/openclaw/.env: it points outside the volume"

  archive=$(fetch_archive "$(s3_keys)")
  [ "$(gzip -dc "$archive" | grep -c "SECRET-$BATS_TEST_NUMBER-$$")" -eq 0 ]
  [ "$(gzip -dc "$archive" | grep -cF "$(head -n1 /etc/shadow)")" -eq 0 ]
  run tar -tvzf "$archive"
  [[ "$output" == *"workspace/notes/env -> $secret"* ]]

  mkdir "$T/new"
  OPENCLAW_MOUNT_POINT=$T/new "$RESTORE"
  [ "$(readlink "$T/new/workspace/notes/env")" = "$secret" ]
  [ "$(readlink "$T/new/.openclaw/shadow")" = /etc/shadow ]
}

@test "a failed archive names the links that point off the volume" {
  make_volume "$T/vol"
  ln -s /root/.aws/credentials "$T/vol/workspace/creds"
  export OPENCLAW_ARCHIVE_RUNNER
  OPENCLAW_ARCHIVE_RUNNER=$(stub runner 'echo "Private update capture marker is unreadable; export refused." >&2; exit 1')
  OPENCLAW_MOUNT_POINT=$T/vol run "$BACKUP"
  [ "$status" -ne 0 ]
  assert_output_has "link $T/vol/workspace/creds -> /root/.aws/credentials points outside the volume (never followed)"
  [ -z "$(s3_keys)" ]
}

@test "restore onto a volume holding newer data changes nothing" {
  require_root "the OpenClaw runner"
  use_old_backup
  make_volume "$T/vol"
  echo 'newer than the backup' >"$T/vol/workspace/notes/a [draft].md"
  before=$(tree_sum "$T/vol")

  OPENCLAW_MOUNT_POINT=$T/vol run "$RESTORE"
  [ "$status" -eq 0 ]
  assert_output_has "holds live data"
  [ "$(tree_sum "$T/vol")" = "$before" ]
}

@test "restore onto unmarked non-empty data (e.g. an older snapshot) keeps it and marks it live" {
  require_root "the OpenClaw runner"
  use_old_backup
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

@test "an empty prefix: the new volume starts empty and live" {
  mkdir "$T/new"
  OPENCLAW_MOUNT_POINT=$T/new run "$RESTORE"
  [ "$status" -eq 0 ]
  assert_output_has "the volume starts empty"
  [ -e "$T/new/.openclaw-live" ]
}

@test "restore skips archive names it does not know and names from the future" {
  require_root "the OpenClaw runner"
  use_old_backup
  good=$(s3_keys)
  export OPENCLAW_BACKUP_PREFIX=stack-$BATS_TEST_NUMBER/
  for key in "$good" archives/99991231T000000.000Z-scheduled.tar.gz archives/zzz.tar.gz; do
    "$AWS_BIN" --endpoint-url "$AWS_ENDPOINT_URL" s3 cp --only-show-errors \
      "s3://$S3_BUCKET/$OLD_PREFIX/$good" "s3://$S3_BUCKET/$OPENCLAW_BACKUP_PREFIX$key"
  done
  mkdir "$T/new"
  OPENCLAW_MOUNT_POINT=$T/new run "$RESTORE"
  [ "$status" -eq 0 ]
  assert_output_has "ignoring 99991231T000000.000Z-scheduled.tar.gz: its time is in the future"
  assert_output_has "restore complete from s3://$S3_BUCKET/$OPENCLAW_BACKUP_PREFIX$good"
}

@test "an archive OpenClaw cannot verify is not restored and the volume stays unmarked" {
  require_root "the OpenClaw runner"
  head -c 4096 /dev/urandom >"$T/bad.tar.gz"
  "$AWS_BIN" --endpoint-url "$AWS_ENDPOINT_URL" s3 cp --only-show-errors "$T/bad.tar.gz" \
    "s3://$S3_BUCKET/${OPENCLAW_BACKUP_PREFIX}archives/20260101T000000.000Z-scheduled.tar.gz"
  mkdir "$T/new"
  OPENCLAW_MOUNT_POINT=$T/new run "$RESTORE"
  [ "$status" -ne 0 ]
  assert_output_has "openclaw backup restore refused"
  [ ! -e "$T/new/.openclaw-live" ]
  [ -z "$(find "$T/new" -mindepth 1 ! -name .openclaw-restore-incomplete)" ]
}

# A runner whose "restore" leaves the tree an archive written by a hostile instance would give:
# OpenClaw's layout (<name>/manifest.json, <name>/payload/posix/home/node/.openclaw/...) with $1 done to it.
hostile_runner() {
  stub runner '[[ $1 == restore ]] || exit 1
root=$3/2026-01-01T00-00-00.000+00-00-openclaw-backup
mkdir -p "$root/payload/posix/home/node/.openclaw/workspace"
echo "{\"gateway\": {}}" >"$root/payload/posix/home/node/.openclaw/openclaw.json"
echo note >"$root/payload/posix/home/node/.openclaw/workspace/note.md"
printf "%s\n" "{\"assets\": [{\"kind\": \"state\", \"sourcePath\": \"/home/node/.openclaw\"}]}" >"$root/manifest.json"
'"$1"'
echo "{\"ok\": true, \"createdAt\": \"2026-01-01T00:00:00.000Z\"}"'
}

upload_stand_in_archive() {
  echo stand-in >"$T/stand-in.tar.gz"
  "$AWS_BIN" --endpoint-url "$AWS_ENDPOINT_URL" s3 cp --only-show-errors "$T/stand-in.tar.gz" \
    "s3://$S3_BUCKET/${OPENCLAW_BACKUP_PREFIX}archives/20260101T000000.000Z-scheduled.tar.gz"
}

@test "a hostile archive is refused: assets beyond the state folder, or a compose file or script anywhere in it" {
  require_root "chown to the gateway's user"
  upload_stand_in_archive
  # The same runner with nothing added restores: the refusals below are for what was added.
  mkdir "$T/clean"
  OPENCLAW_ARCHIVE_RUNNER=$(hostile_runner :) OPENCLAW_MOUNT_POINT=$T/clean run "$RESTORE"
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  [ -e "$T/clean/.openclaw-live" ]
  [ "$(cat "$T/clean/workspace/note.md")" = note ]

  local -a cases=(
    'printf "%s\n" "{\"assets\": [{\"kind\": \"state\", \"sourcePath\": \"/home/node/.openclaw\"}, {\"kind\": \"state\", \"sourcePath\": \"/home/node/.ssh\"}]}" >"$root/manifest.json"; mkdir -p "$root/payload/posix/home/node/.ssh"'
    'printf "%s\n" "{\"assets\": [{\"kind\": \"state\", \"sourcePath\": \"/home/node\"}]}" >"$root/manifest.json"'
    'echo "services: {}" >"$root/docker-compose.yaml"'
    'echo "services: {}" >"$3/docker-compose.yaml"'
    'echo "services: {}" >"$root/payload/posix/home/node/docker-compose.yaml"'
    'printf "#!/bin/sh\n" >"$root/payload/posix/auto-approve-devices.sh"'
  )
  local -a reasons=("not exactly /home/node/.openclaw" "not exactly /home/node/.openclaw" "holds docker-compose.yaml besides"
    "holds docker-compose.yaml besides" "holds payload/posix/home/node/docker-compose.yaml besides"
    "holds payload/posix/auto-approve-devices.sh besides")
  for i in "${!cases[@]}"; do
    mkdir "$T/vol$i"
    OPENCLAW_ARCHIVE_RUNNER=$(hostile_runner "${cases[i]}") OPENCLAW_MOUNT_POINT=$T/vol$i run "$RESTORE"
    [ "$status" -ne 0 ] || { echo "case $i restored: $output"; false; }
    assert_output_has "${reasons[i]}"
    assert_output_has "not restoring"
    # Unmarked, and nothing of the archive on the volume: the next boot tries again.
    [ ! -e "$T/vol$i/.openclaw-live" ]
    [ -z "$(find "$T/vol$i" -mindepth 1 ! -name .openclaw-restore-incomplete)" ] || { echo "case $i: $(ls -A "$T/vol$i")"; false; }
  done
}

@test "forced restore moves current data aside, then restores; refused while the gateway runs" {
  require_root "the OpenClaw runner"
  use_old_backup
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
  require_root "the OpenClaw runner"
  use_old_backup
  mkdir "$T/new"
  good=$AWS_ENDPOINT_URL

  AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_MAX_ATTEMPTS=1 OPENCLAW_MOUNT_POINT=$T/new run "$RESTORE"
  [ "$status" -ne 0 ]
  assert_output_has "not marked live"
  [ ! -e "$T/new/.openclaw-live" ]
  OPENCLAW_MOUNT_POINT=$T/new run "$BACKUP"
  [ "$status" -ne 0 ]

  # An interrupted restore's leftovers are replaced, not merged.
  touch "$T/new/.openclaw-restore-incomplete"
  mkdir -p "$T/new/.openclaw" "$T/new/.restore-staging.abc123"
  echo partial >"$T/new/.openclaw/partial"
  AWS_ENDPOINT_URL=$good OPENCLAW_MOUNT_POINT=$T/new run "$RESTORE"
  [ "$status" -eq 0 ]
  [ -e "$T/new/.openclaw-live" ]
  [ ! -e "$T/new/.openclaw-restore-incomplete" ]
  [ ! -e "$T/new/.openclaw/partial" ]
  [ ! -e "$T/new/.restore-staging.abc123" ]
  cmp "$OLD/.openclaw/openclaw.json" "$T/new/.openclaw/openclaw.json"
}

@test "backup exits non-zero when S3 is unreachable" {
  make_volume "$T/vol"
  OPENCLAW_ARCHIVE_RUNNER=$(quick_runner)
  AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_MAX_ATTEMPTS=1 OPENCLAW_MOUNT_POINT=$T/vol run "$BACKUP"
  [ "$status" -ne 0 ]
  assert_output_has "upload of"
  assert_output_has "failed"
  [ -z "$(find "$T/vol" -maxdepth 1 -name '.backup-staging.*')" ]
}

@test "backup exits non-zero, naming the failure, when OpenClaw cannot make the archive" {
  make_volume "$T/vol"
  export OPENCLAW_ARCHIVE_RUNNER
  OPENCLAW_ARCHIVE_RUNNER=$(stub runner 'echo "state database is locked" >&2; exit 1')
  OPENCLAW_MOUNT_POINT=$T/vol run "$BACKUP"
  [ "$status" -ne 0 ]
  assert_output_has "attempt 2/2 failed: state database is locked"
  assert_output_has "nothing uploaded"
  [ "$(calls runner | wc -l)" -eq 2 ]
  [ -z "$(s3_keys)" ]
}

@test "only one scheduled backup runs at a time" {
  make_volume "$T/vol"
  exec 8>"$OPENCLAW_BACKUP_LOCK"
  flock 8
  OPENCLAW_MOUNT_POINT=$T/vol run "$BACKUP"
  exec 8>&-
  [ "$status" -ne 0 ]
  assert_output_has "another backup is running"
}

@test "the final backup waits for a running backup, then takes its own archive after it" {
  make_volume "$T/vol"
  OPENCLAW_ARCHIVE_RUNNER=$(quick_runner)
  exec 8>"$OPENCLAW_BACKUP_LOCK"
  flock 8
  # Not holding the test's lock (fd 8) itself.
  OPENCLAW_MOUNT_POINT=$T/vol "$BACKUP" --final >"$T/final.log" 2>&1 3>&- 8>&- &
  final=$!
  sleep 2
  kill -0 "$final"
  [ -z "$(s3_keys)" ]
  released=$(date -u +%Y%m%dT%H%M%S.%3NZ)
  exec 8>&-
  wait "$final" || { cat "$T/final.log"; false; }
  key=$(s3_keys)
  [[ "$key" =~ ^archives/([0-9T.Z]+)-final\.tar\.gz$ ]]
  [[ ! "${BASH_REMATCH[1]}" < "$released" ]]
}

@test "the final backup refuses while the gateway's unit or container still runs" {
  make_volume "$T/vol"
  SYSTEMCTL_BIN=true OPENCLAW_MOUNT_POINT=$T/vol run "$BACKUP" --final
  [ "$status" -ne 0 ]
  assert_output_has "the gateway is still running"
  DOCKER_BIN=$(stub docker 'echo 0123abcd') OPENCLAW_MOUNT_POINT=$T/vol run "$BACKUP" --final
  [ "$status" -ne 0 ]
  assert_output_has "the gateway is still running"
  [ "$(calls docker)" = 'ps --quiet --filter name=^openclaw-gateway$ --filter status=running' ]
  [ -z "$(s3_keys)" ]
}

@test "new blank volume end to end: mounted, formatted, then restored from S3" {
  loop_setup
  use_old_backup
  dev=$(new_loop data)
  link_volume "$OPENCLAW_DATA_VOLUME_ID" "$dev"
  export OPENCLAW_REQUIRE_MOUNT=1

  run "$SCRIPTS/mount-data-volume.sh"
  [ "$status" -eq 0 ]
  run "$RESTORE"
  [ "$status" -eq 0 ]
  assert_output_has "restore complete"
  [ "$(findmnt -rn -o SOURCE --mountpoint "$T/mnt")" = "$dev" ]
  cmp "$OLD/.openclaw/openclaw.json" "$T/mnt/.openclaw/openclaw.json"
  [ "$(sqlite3 "$T/mnt/.openclaw/state/openclaw.sqlite" 'PRAGMA integrity_check')" = ok ]
  [ "$(stat -c %u "$T/mnt/.openclaw/state/openclaw.sqlite")" = 1000 ]
  [ "$(stat -c %u "$T/mnt/workspace")" = 1000 ]
}

@test "the instance's runner: the deployed image, the gateway's user and mounts, no network, no secrets" {
  export OPENCLAW_MOUNT_POINT=/opt/openclaw OPENCLAW_IMAGE=registry.example/openclaw@sha256:abc
  export DOCKER_BIN
  DOCKER_BIN=$(stub docker)
  run "$SCRIPTS/openclaw-archive.sh" create "$T/out"
  [ "$status" -eq 0 ]
  run calls docker
  [ "${lines[0]}" = "image inspect $OPENCLAW_IMAGE" ]
  [ "${lines[1]}" = "run --rm --pull never --network none --user 1000:1000 --security-opt no-new-privileges:true --env HOME=/home/node --mount type=bind,source=/opt/openclaw/.openclaw,target=/home/node/.openclaw --mount type=bind,source=/opt/openclaw/workspace,target=/home/node/.openclaw/workspace --mount type=bind,source=$T/out,target=/home/node/backup-out $OPENCLAW_IMAGE node dist/index.js backup create --verify --json --output /home/node/backup-out" ]

  # The same state mounts, user and program as the gateway's compose service.
  compose=$(ls "$CLOUD_INIT"/*/docker-compose.yaml)
  run "$PYTHON" - "$compose" "${lines[1]}" <<'PY'
import sys, yaml
text = open(sys.argv[1]).read().replace("{{mount_point}}", "/opt/openclaw")
svc = yaml.safe_load(text)["services"]["openclaw-gateway"]
svc["volumes"] = [v for v in svc["volumes"] if v["target"].startswith("/home/node/")]
assert len(svc["volumes"]) == 2, svc["volumes"]
argv = sys.argv[2].split(" ")
mounts = {dict(kv.split("=", 1) for kv in argv[i + 1].split(","))["target"]: dict(kv.split("=", 1) for kv in argv[i + 1].split(","))["source"]
          for i, a in enumerate(argv) if a == "--mount"}
for v in svc["volumes"]:
    assert mounts.pop(v["target"]) == v["source"], v
assert list(mounts) == ["/home/node/backup-out"], mounts
assert argv[argv.index("--user") + 1] == svc["user"]
assert svc["command"][:2] == argv[argv.index("node"):argv.index("node") + 2], svc["command"]
assert not any(a.startswith("--env-file") for a in argv)
PY
  [ "$status" -eq 0 ] || { echo "$output"; false; }

  # Restore: the archive read-only, nothing of the volume mounted.
  DOCKER_BIN=$(stub docker2)
  run "$SCRIPTS/openclaw-archive.sh" restore "$T/a.tar.gz" "$T/tree"
  [ "$status" -eq 0 ]
  [ "$(calls docker2 | tail -n1)" = "run --rm --pull never --network none --user 1000:1000 --security-opt no-new-privileges:true --env HOME=/home/node --mount type=bind,source=$T/a.tar.gz,target=/home/node/backup-in/archive.tar.gz,readonly --mount type=bind,source=$T/tree,target=/home/node/restore-target $OPENCLAW_IMAGE node dist/index.js backup restore /home/node/backup-in/archive.tar.gz --target /home/node/restore-target --json" ]
}

@test "the instance's runner pulls a missing image after a registry login, and fails clearly without one" {
  export OPENCLAW_MOUNT_POINT=/opt/openclaw OPENCLAW_IMAGE=registry.example/openclaw:1
  export DOCKER_BIN
  DOCKER_BIN=$(stub docker '[[ $1 == image ]] && exit 1; [[ $1 == pull ]] && exit 1; exit 0')
  run "$SCRIPTS/openclaw-archive.sh" restore "$T/a.tar.gz" "$T/tree"
  [ "$status" -ne 0 ]
  assert_output_has "docker pull $OPENCLAW_IMAGE failed"
  [ "$(calls docker | grep -c '^run')" -eq 0 ]
  # A backup never pulls: it uses the image the gateway runs.
  DOCKER_BIN=$(stub docker3 '[[ $1 == image ]] && exit 1; exit 0')
  run "$SCRIPTS/openclaw-archive.sh" create "$T/out"
  [ "$status" -ne 0 ]
  assert_output_has "is not on this instance"
  [ "$(calls docker3)" = "image inspect $OPENCLAW_IMAGE" ]
}
