#!/usr/bin/env bash
# Apply Amazon Linux 2023 security advisories in place. AL2023 locks dnf to the
# AMI's release and ships fixes only in newer releases, so dnf-automatic alone
# would find nothing: this asks the latest release for security updates only.
# It does not reboot; it logs when a reboot is needed to finish (kernel, glibc).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

dnf_bin=${DNF_BIN:-dnf}

log "applying security updates from the latest Amazon Linux 2023 release"
"$dnf_bin" upgrade -y --refresh --security --releasever=latest >&2 ||
  die "dnf could not apply the security updates; the next run tries again"
if "$dnf_bin" needs-restarting --reboothint >/dev/null 2>&1; then
  log "security updates applied; no reboot needed"
else
  log "security updates applied; a reboot is needed to finish them (sudo systemctl reboot, or the next stop/start)"
fi
