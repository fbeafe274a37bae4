#!/usr/bin/env bash
# Write a consistent copy of a live SQLite database with the online backup API
# (never a file copy of the .sqlite/-wal/-shm files), then verify the copy.
#   snapshot-sqlite.sh <live database> <copy to create>
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

(($# == 2)) || die "usage: ${0##*/} <database> <copy>"
src=$(readlink -f "$1")
dest=$2
[[ -f "$src" ]] || die "$src does not exist"
[[ ! -e "$dest" ]] || die "$dest already exists"

dest_dir=$(readlink -f "$(dirname "$dest")")
tmp_name=.snapshot-$$.tmp
# Work inside the destination directory so the path inside the dot-command
# needs no quoting, whatever characters the real paths contain.
(
  cd "$dest_dir"
  timeout "${OPENCLAW_SQLITE_TIMEOUT_SECONDS:-300}" \
    sqlite3 -bail "$src" ".timeout 10000" ".backup main $tmp_name"
) || { rm -f "$dest_dir/$tmp_name"; die "online backup of $src failed"; }

check=$(sqlite3 -bail "$dest_dir/$tmp_name" "PRAGMA integrity_check" 2>&1) || check="error: $check"
if [[ "$check" != ok ]]; then
  rm -f "$dest_dir/$tmp_name"
  die "copy of $src failed integrity_check: $check"
fi
mv "$dest_dir/$tmp_name" "$dest"
