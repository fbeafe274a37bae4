#!/usr/bin/env bash
# Mount the OpenClaw data volume at the mount point, found by its EBS volume id.
# Formats it only when the whole device carries no signature at all; anything
# unexpected is refused (exit 1) instead of guessed.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
load_config

volume_id=${OPENCLAW_DATA_VOLUME_ID:-}
device_name=${OPENCLAW_DATA_DEVICE_NAME:-}
mount_point=${OPENCLAW_MOUNT_POINT:?OPENCLAW_MOUNT_POINT is not set (/etc/openclaw/openclaw.env)}
dev_root=${OPENCLAW_DEVICE_ROOT:-/dev}
sys_root=${OPENCLAW_SYSFS_ROOT:-/sys}
fstab=${OPENCLAW_FSTAB:-/etc/fstab}
wait_seconds=${OPENCLAW_DEVICE_WAIT_SECONDS:-300}
fs_type=${OPENCLAW_FS_TYPE:-xfs}
label=${OPENCLAW_FS_LABEL:-openclawdata}

[[ -n "$volume_id" || -n "$device_name" ]] ||
  die "neither OPENCLAW_DATA_VOLUME_ID nor OPENCLAW_DATA_DEVICE_NAME is set"
[[ -z "$volume_id" || "$volume_id" =~ ^vol-[0-9a-f]+$ ]] || die "malformed volume id '$volume_id'"
[[ "$fs_type" == xfs || "$fs_type" == ext4 ]] || die "unsupported OPENCLAW_FS_TYPE '$fs_type'"

# Nitro: the NVMe serial is the volume id without its dash.
find_by_volume_id() {
  local serial=${volume_id//-/} link sysdev
  for link in "$dev_root/disk/by-id/nvme-Amazon_Elastic_Block_Store_$serial" \
    "$dev_root/disk/by-id/nvme-Amazon_Elastic_Block_Store_${serial}_1"; do
    [[ -e "$link" ]] && { printf '%s\n' "$link"; return 0; }
  done
  for sysdev in "$sys_root"/block/nvme*; do
    [[ -r "$sysdev/device/serial" ]] || continue
    if [[ "$(tr -d '[:space:]' <"$sysdev/device/serial")" == "$serial" ]]; then
      [[ -e "$dev_root/${sysdev##*/}" ]] && { printf '%s\n' "$dev_root/${sysdev##*/}"; return 0; }
    fi
  done
  return 1
}

# Xen: the requested name (/dev/sdf) or its xvd alias. An NVMe device behind
# that name is a Nitro volume whose id did not match: never take it.
find_by_device_name() {
  local name=${device_name#/dev/} candidate
  for candidate in "$dev_root/$name" "$dev_root/xvd${name#sd}"; do
    [[ -e "$candidate" ]] || continue
    if [[ "$(basename "$(readlink -f "$candidate")")" == nvme* ]]; then
      [[ -n "$volume_id" ]] && continue
    fi
    printf '%s\n' "$candidate"
    return 0
  done
  return 1
}

wait_for_device() {
  local deadline=$((SECONDS + wait_seconds)) found
  while :; do
    if [[ -n "$volume_id" ]] && found=$(find_by_volume_id); then break; fi
    if [[ -n "$device_name" ]] && found=$(find_by_device_name); then break; fi
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
  printf '%s\n' "$found"
}

# Refuses partitions, partitioned or stacked disks, swap, and mounts elsewhere.
check_not_in_use() {
  local dev=$1 name type target
  name=$(basename "$dev")
  type=$(lsblk -dno TYPE "$dev")
  [[ "$type" == disk || "$type" == loop ]] || die "$dev is a '$type', not a whole disk; refusing"
  (($(lsblk -nro NAME "$dev" | wc -l) == 1)) || die "$dev has partitions or holders; refusing"
  [[ -z "$(ls -A "/sys/class/block/$name/holders" 2>/dev/null)" ]] || die "$dev is held by another device; refusing"
  ! swapon --show=NAME --noheadings | grep -qxF "$dev" || die "$dev is in use as swap; refusing"
  while read -r target; do
    [[ -z "$target" || "$target" == "$mount_point" ]] || die "$dev is already mounted at $target; refusing"
  done < <(findmnt -rn -o TARGET --source "$dev" || true)
}

# Prints blkid's KEY=VALUE probe of the device, formatting it first only when
# blkid -p reports no signature (exit 2). Every other outcome is kept as is.
probe_or_format() {
  local dev=$1 probe rc=0
  probe=$(blkid -p -o export "$dev" 2>&1) || rc=$?
  case $rc in
    0) ;;
    2)
      [[ -z "$(wipefs --no-act --noheadings "$dev")" ]] || die "wipefs sees a signature on $dev that blkid missed; refusing"
      log "$dev is blank: creating $fs_type labelled $label"
      case $fs_type in
        xfs) mkfs.xfs -q -L "$label" "$dev" >&2 ;;
        ext4) mkfs.ext4 -q -L "$label" "$dev" </dev/null >&2 ;;
      esac
      probe=$(blkid -p -o export "$dev") || die "$dev shows no filesystem after mkfs"
      ;;
    *) die "blkid -p $dev failed (exit $rc: $probe); refusing to touch it" ;;
  esac
  printf '%s\n' "$probe"
}

probe_value() { sed -n "s/^$1=//p" <<<"$2" | head -n1; }

update_fstab() {
  local uuid=$1 type=$2 pass=0 tmp
  [[ "$type" == ext4 ]] && pass=2
  tmp=$(mktemp "$fstab.XXXXXX")
  [[ -e "$fstab" ]] && awk -v mp="$mount_point" '$0 ~ /^[[:space:]]*#/ || $2 != mp' "$fstab" >"$tmp"
  printf 'UUID=%s %s %s defaults,noatime,nofail 0 %s\n' "$uuid" "$mount_point" "$type" "$pass" >>"$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$fstab"
}

main() {
  local link dev probe type uuid current
  log "waiting up to ${wait_seconds}s for volume '${volume_id:-?}' (device name '${device_name:-?}')"
  link=$(wait_for_device) || die "data volume ${volume_id:-$device_name} did not appear within ${wait_seconds}s; not mounting"
  dev=$(readlink -f "$link")
  [[ -b "$dev" ]] || die "$link resolves to $dev, which is not a block device"
  log "data volume is $dev (via $link)"
  check_not_in_use "$dev"

  current=$(findmnt -rn -o SOURCE --mountpoint "$mount_point" || true)
  if [[ -n "$current" && "$(readlink -f "$current")" != "$dev" ]]; then
    die "$mount_point is already mounted from $current; refusing"
  fi

  probe=$(probe_or_format "$dev")
  type=$(probe_value TYPE "$probe")
  uuid=$(probe_value UUID "$probe")
  [[ -z "$(probe_value PTTYPE "$probe")" ]] || die "$dev carries a partition table; refusing"
  [[ "$type" == xfs || "$type" == ext4 ]] || die "$dev carries an unexpected signature '${type:-none}'; refusing"
  [[ -n "$uuid" ]] || die "$dev has no filesystem UUID; refusing"

  update_fstab "$uuid" "$type"
  if [[ -z "$current" ]]; then
    mkdir -p "$mount_point"
    [[ -z "$(ls -A "$mount_point")" ]] || log "warning: $mount_point is not empty on the root disk; the mount hides it"
    mount -t "$type" -o defaults,noatime "$dev" "$mount_point"
  fi
  log "mounted $dev ($type, UUID=$uuid) at $mount_point"
}

main "$@"
