#!/usr/bin/env bash
# Make `docker compose` available: keep an existing plugin, else take the dnf
# package, else download the pinned release and check it against the SHA-256
# pinned below. The checksums live here, in the repository, not beside the
# binary: whoever can replace the download cannot also replace what it is
# checked against. Bumping the version means updating both sums (from the
# release's published checksums, compared against a second source).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

readonly version=v2.33.0
declare -A sha256=(
  [x86_64]=6395dbb256db6ea28d5c6695bc9bc33866c07ad1c93792f8d85857f1c21c34ee
  [aarch64]=03a42a0fc0614ffc3c9ebca521cab75e02c427b68e45e3f6867d9510b9a28818
)
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

arch=$(uname -m)
[[ -n "${sha256[$arch]:-}" ]] || die "no pinned docker compose build for $arch"
asset=docker-compose-linux-$arch
url=https://github.com/docker/compose/releases/download/$version/$asset
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$curl_bin" -fsSL --retry 3 -o "$tmp/$asset" "$url" || die "download of $url failed"
printf '%s  %s\n' "${sha256[$arch]}" "$tmp/$asset" | sha256sum --check --status ||
  die "checksum mismatch for $url (expected the SHA-256 pinned in install-compose.sh); not installing"
install -D -m 0755 "$tmp/$asset" "$plugin_dir/docker-compose"
log "installed docker compose $version from $url"
