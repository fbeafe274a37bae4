#!/usr/bin/env bash
# Make `docker compose` available: keep an existing plugin, else take the dnf
# package, else download the pinned release and check it against its published
# SHA-256 before installing it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

version=${OPENCLAW_COMPOSE_VERSION:-v2.29.7}
plugin_dir=${OPENCLAW_COMPOSE_PLUGIN_DIR:-/usr/local/lib/docker/cli-plugins}
docker_bin=${DOCKER_BIN:-docker}
dnf_bin=${DNF_BIN:-dnf}
curl_bin=${CURL_BIN:-curl}

if "$docker_bin" compose version >/dev/null 2>&1; then
  exit 0
fi
if "$dnf_bin" install -y docker-compose-plugin >&2 && "$docker_bin" compose version >/dev/null 2>&1; then
  log "installed docker-compose-plugin with dnf"
  exit 0
fi

case $(uname -m) in
  x86_64 | aarch64) asset=docker-compose-linux-$(uname -m) ;;
  *) die "no docker compose build for $(uname -m)" ;;
esac
url=https://github.com/docker/compose/releases/download/$version/$asset
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$curl_bin" -fsSL --retry 3 -o "$tmp/$asset" "$url" || die "download of $url failed"
"$curl_bin" -fsSL --retry 3 -o "$tmp/$asset.sha256" "$url.sha256" || die "download of $url.sha256 failed"
(cd "$tmp" && sha256sum --check --status "$asset.sha256") || die "checksum mismatch for $url; not installing"
install -D -m 0755 "$tmp/$asset" "$plugin_dir/docker-compose"
log "installed docker compose $version from $url"
