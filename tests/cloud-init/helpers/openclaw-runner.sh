#!/usr/bin/env bash
# The tests' stand-in for cloud-init/scripts/openclaw-archive.sh (there is no
# docker here): the same two commands, run by the real OpenClaw under Node 24,
# as uid 1000, seeing the volume through the same paths as the container does
# (a private mount namespace binds the volume's folders, the output folder and
# the archive where the container would see them). Needs root.
#   openclaw-runner.sh create OUTPUT_DIR | restore ARCHIVE TARGET
# Environment: OPENCLAW_MOUNT_POINT (the volume), OPENCLAW_TEST_NODE (node
# binary), OPENCLAW_TEST_PACKAGE (the openclaw package folder).
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
# shellcheck source-path=SCRIPTDIR source=../../../cloud-init/scripts/lib.sh
source "$here/../../../cloud-init/scripts/lib.sh"

mount_point=${OPENCLAW_MOUNT_POINT:-/opt/openclaw}
node=$(readlink -f "${OPENCLAW_TEST_NODE:?}")
package=$(readlink -f "${OPENCLAW_TEST_PACKAGE:?}")
owner=${OPENCLAW_UID:-1000}
((EUID == 0)) || die "needs root (mount namespace, uid $owner)"

# bind SOURCE TARGET [ro]: like docker's --mount, the source must exist.
binds=()
bind() { binds+=("$1" "$2" "${3:-rw}"); }

case ${1:-} in
  create)
    (($# == 2)) || die "usage: ${0##*/} create OUTPUT_DIR"
    for entry in "${OPENCLAW_STATE_MOUNTS[@]}"; do bind "$mount_point/${entry%%:*}" "${entry#*:}"; done
    bind "$2" "$ARCHIVE_OUTPUT_DIR"
    args=(backup create --verify --json --output "$ARCHIVE_OUTPUT_DIR")
    ;;
  restore)
    (($# == 3)) || die "usage: ${0##*/} restore ARCHIVE TARGET"
    bind "$2" "$ARCHIVE_INPUT" ro
    bind "$3" "$ARCHIVE_RESTORE_DIR"
    args=(backup restore "$ARCHIVE_INPUT" --target "$ARCHIVE_RESTORE_DIR" --json)
    ;;
  *) die "usage: ${0##*/} create OUTPUT_DIR | restore ARCHIVE TARGET" ;;
esac

# /home becomes a private tmpfs holding the container's view; the host's is untouched.
# shellcheck disable=SC2016
exec unshare --mount --propagation private bash -euo pipefail -c '
  node=$1 package=$2 owner=$3; shift 3
  mount -t tmpfs -o mode=0755 openclaw-test-home /home
  # The package with the node_modules folder its dependencies are hoisted to.
  mkdir -p /home/.runtime/node /home/.runtime/node_modules /home/node
  mount --bind -o ro "$(dirname "$node")" /home/.runtime/node
  mount --bind -o ro "$(dirname "$package")" /home/.runtime/node_modules
  chown "$owner:$owner" /home/node  # as in the image: the user owns its home
  while [[ $1 != -- ]]; do
    [[ -e $1 ]] || { echo "bind source $1 does not exist" >&2; exit 1; }
    if [[ -d $1 ]]; then mkdir -p "$2"; else mkdir -p "$(dirname "$2")"; touch "$2"; fi
    mount --bind "$1" "$2"
    [[ $3 == rw ]] || mount -o remount,bind,ro "$2"
    shift 3
  done
  shift
  cd /home/node
  exec setpriv --reuid "$owner" --regid "$owner" --clear-groups env -i HOME=/home/node PATH=/usr/bin:/bin \
    TZ=UTC "/home/.runtime/node/$(basename "$node")" "/home/.runtime/node_modules/$(basename "$package")/dist/index.js" "$@"
' openclaw-runner "$node" "$package" "$owner" "${binds[@]}" -- "${args[@]}"
