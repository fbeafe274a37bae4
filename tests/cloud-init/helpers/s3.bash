# shellcheck shell=bash
# A local S3 endpoint (s3rver from npm) on 127.0.0.1 for one bats file.
# s3_start in setup_file, s3_stop in teardown_file.

S3_BUCKET=openclaw-backups

s3_start() {
  local dir=$BATS_TEST_DIRNAME bin log=$BATS_FILE_TMPDIR/s3rver.log tries=150
  bin=$dir/node_modules/.bin/s3rver
  if [[ ! -x "$bin" ]]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2 || return 1
  fi
  mkdir -p "$BATS_FILE_TMPDIR/s3data"
  "$bin" --directory "$BATS_FILE_TMPDIR/s3data" --address 127.0.0.1 --port 0 \
    --configure-bucket "$S3_BUCKET" >"$log" 2>&1 3>&- &
  echo $! >"$BATS_FILE_TMPDIR/s3rver.pid"
  until grep -q 'S3rver listening on 127.0.0.1:' "$log"; do
    ((tries-- > 0)) || { cat "$log" >&2; return 1; }
    sleep 0.1
  done
  grep -o 'listening on 127.0.0.1:[0-9]*' "$log" | head -n1 | cut -d: -f2 >"$BATS_FILE_TMPDIR/s3rver.port"
}

s3_stop() {
  local pid
  pid=$(cat "$BATS_FILE_TMPDIR/s3rver.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Per test: point the scripts at the local endpoint and a fresh prefix.
s3_env() {
  # s3rver's built-in dummy credentials.
  export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
  export AWS_ENDPOINT_URL=http://127.0.0.1:$(cat "$BATS_FILE_TMPDIR/s3rver.port")
  export OPENCLAW_BACKUP_BUCKET=$S3_BUCKET
  export OPENCLAW_BACKUP_PREFIX=stack-$BATS_TEST_NUMBER/
}

# Object keys under the test's prefix, one per line, sorted.
s3_keys() {
  "$AWS_BIN" --endpoint-url "$AWS_ENDPOINT_URL" s3 ls --recursive "s3://$S3_BUCKET/$OPENCLAW_BACKUP_PREFIX" |
    awk '{ $1 = $2 = $3 = ""; sub(/^ +/, ""); print }' | sed "s|^$OPENCLAW_BACKUP_PREFIX||" | sort
}
