#!/usr/bin/env bash
# Backup time of a large OpenClaw state under steady writes: a WAL state
# database of SIZE_MB (default 200) MB of incompressible rows, a writer
# committing a row every 3 ms for the whole run, then the backup the instance
# takes (`openclaw backup create --verify`, the real program through the
# tests' runner), the archive size, the restore time (`openclaw backup
# restore`), PRAGMA integrity_check of the restored copy, and for comparison
# SQLite's restarting `.backup` under the same writer (stopped after
# COMPARE_FACTOR x the archive's time; 0 skips it). Needs root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
size_mb=${SIZE_MB:-200}
compare_factor=${COMPARE_FACTOR:-2}
((EUID == 0)) || { echo "bench/backup-large-db.sh needs root (the runner uses a mount namespace and uid 1000)" >&2; exit 1; }

REPO_ROOT=$PWD
HELPERS=$REPO_ROOT/tests/cloud-init/helpers
work=$(mktemp -d /tmp/backup-bench.XXXXXX)
export BATS_FILE_TMPDIR=$work  # where openclaw_template makes the state
writer=
cleanup() {
  touch "$work/stop"
  [[ -z "$writer" ]] || wait "$writer" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source-path=SCRIPTDIR source=../tests/cloud-init/helpers/openclaw.bash
source "$HELPERS/openclaw.bash"
openclaw_runtime
openclaw_template

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

vol=$work/vol
mkdir -p "$vol/workspace" "$work/out" "$work/tree"
cp -a "$work/template/.openclaw" "$vol/.openclaw"
db=$vol/.openclaw/state/openclaw.sqlite
python3 - "$db" "$size_mb" <<'PY'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("CREATE TABLE bench_filler (id INTEGER PRIMARY KEY, body BLOB)")
c.execute("BEGIN")
for _ in range(int(sys.argv[2]) * 256):
    c.execute("INSERT INTO bench_filler (body) VALUES (?)", (os.urandom(4000),))
c.execute("COMMIT")
PY
python3 "$HELPERS/sqlite_writer.py" "$db" "$work/ready" "$work/stop" &
writer=$!
until [[ -s "$work/ready" ]]; do sleep 0.1; done
chown -R 1000:1000 "$vol/.openclaw" "$vol/workspace" "$work/out" "$work/tree"
echo "state database: $(du -m "$db" | cut -f1) MB + $(du -k "$db-wal" | cut -f1) KB WAL, a row committed every 3 ms"

before=$(sqlite3 "$db" 'SELECT count(*) FROM events')
start=$(now)
OPENCLAW_MOUNT_POINT=$vol "$HELPERS/openclaw-runner.sh" create "$work/out" >"$work/create.json" 2>"$work/create.log"
backup_s=$(seconds "$start" "$(now)")
after=$(sqlite3 "$db" 'SELECT count(*) FROM events')
archive=$(find "$work/out" -name '*.tar.gz')
echo "openclaw backup create --verify: ${backup_s} s (rows written meanwhile: $((after - before)))"
echo "archive: $(du -m "$archive" | cut -f1) MB"

cp "$archive" "$work/archive.tar.gz"
chown 1000:1000 "$work/archive.tar.gz"
start=$(now)
"$HELPERS/openclaw-runner.sh" restore "$work/archive.tar.gz" "$work/tree" >"$work/restore.json" 2>"$work/restore.log"
echo "openclaw backup restore: $(seconds "$start" "$(now)") s"
copy=$(find "$work/tree" -path '*/state/openclaw.sqlite')
echo "restored copy: integrity_check $(sqlite3 "$copy" 'PRAGMA integrity_check'), $(sqlite3 "$copy" 'SELECT count(*) FROM events') event rows (live: $before before, $after after)"

if [[ "$compare_factor" != 0 ]]; then
  limit=$(awk -v s="$backup_s" -v f="$compare_factor" 'BEGIN { printf "%d", s * f + 1 }')
  start=$(now)
  if timeout "$limit" sqlite3 "$db" ".timeout 10000" ".backup $work/restarting.sqlite"; then
    echo "sqlite3 .backup (restarts on every write) under the same writer: finished in $(seconds "$start" "$(now)") s"
  else
    echo "sqlite3 .backup (restarts on every write) under the same writer: not finished after ${limit} s"
  fi
fi
