#!/usr/bin/env bats
# mount-data-volume.sh on real loop devices: formats only a blank whole disk,
# never anything carrying a signature, never a disk it was not asked for.

load helpers/common
load helpers/loop

MOUNT=$SCRIPTS/mount-data-volume.sh

setup() {
  isolate_env
  T=$BATS_TEST_TMPDIR
  # What /etc/openclaw/openclaw.env gives the unit; loop_setup points it at its own mount point.
  export OPENCLAW_MOUNT_POINT=$T/mnt
}

teardown() {
  loop_teardown
}

# --- input validation (no root needed) ---

@test "refuses to run without a volume id or device name" {
  run env -u OPENCLAW_DATA_VOLUME_ID -u OPENCLAW_DATA_DEVICE_NAME "$MOUNT"
  [ "$status" -ne 0 ]
  assert_output_has "neither OPENCLAW_DATA_VOLUME_ID nor OPENCLAW_DATA_DEVICE_NAME is set"
}

@test "refuses to run without a mount point (it has no default of its own)" {
  run env -u OPENCLAW_MOUNT_POINT "$MOUNT"
  [ "$status" -ne 0 ]
  assert_output_has "OPENCLAW_MOUNT_POINT is not set (/etc/openclaw/openclaw.env)"
}

@test "refuses a malformed volume id" {
  OPENCLAW_DATA_VOLUME_ID='vol-*' run "$MOUNT"
  [ "$status" -ne 0 ]
  assert_output_has "malformed volume id"
}

# --- loop devices ---

@test "blank volume: formatted once with a label, mounted, fstab entry by UUID with nofail" {
  loop_setup
  dev=$(new_loop data)
  link_volume "$OPENCLAW_DATA_VOLUME_ID" "$dev"

  run "$MOUNT"
  [ "$status" -eq 0 ]
  assert_output_has "is blank: creating xfs"
  [ "$(findmnt -rn -o SOURCE --mountpoint "$T/mnt")" = "$dev" ]
  uuid=$(blkid -p -s UUID -o value "$dev")
  [ "$(blkid -p -s LABEL -o value "$dev")" = openclawdata ]
  grep -qx "UUID=$uuid $T/mnt xfs defaults,noatime,nofail 0 0" "$T/fstab"
  grep -qx '/dev/vda / ext4 defaults 0 1' "$T/fstab"

  echo keep >"$T/mnt/state.txt"
  umount "$T/mnt"
  run "$MOUNT"
  [ "$status" -eq 0 ]
  [[ "$output" != *"creating"* ]]
  [ "$(blkid -p -s UUID -o value "$dev")" = "$uuid" ]
  [ "$(cat "$T/mnt/state.txt")" = keep ]
  [ "$(grep -c " $T/mnt " "$T/fstab")" -eq 1 ]
}

@test "already mounted at the mount point: idempotent, nothing reformatted" {
  loop_setup
  dev=$(new_loop data)
  link_volume "$OPENCLAW_DATA_VOLUME_ID" "$dev"
  "$MOUNT"
  echo keep >"$T/mnt/state.txt"
  run "$MOUNT"
  [ "$status" -eq 0 ]
  [ "$(cat "$T/mnt/state.txt")" = keep ]
  [ "$(findmnt -rn -o SOURCE --mountpoint "$T/mnt" | wc -l)" -eq 1 ]
}

# A volume that already holds data (seed_volume <mkfs> <label>): mounted as is,
# same UUID and label, data intact. Leaves $dev and $uuid set.
mounts_seeded_volume_as_is() {
  dev=$(new_loop data)
  seed_volume "$dev" "$1" "$2"
  uuid=$(blkid -p -s UUID -o value "$dev")
  link_volume "$OPENCLAW_DATA_VOLUME_ID" "$dev"

  run "$MOUNT"
  [ "$status" -eq 0 ]
  [ "$(blkid -p -s UUID -o value "$dev")" = "$uuid" ]
  [ "$(blkid -p -s LABEL -o value "$dev")" = "$2" ]
  [ "$(cat "$T/mnt/data.txt")" = precious ]
}

@test "ext4 volume with data: mounted as is, never reformatted" {
  loop_setup
  mounts_seeded_volume_as_is mkfs.ext4 mine
  grep -qx "UUID=$uuid $T/mnt ext4 defaults,noatime,nofail 0 2" "$T/fstab"
}

@test "xfs volume with data (e.g. from a snapshot): mounted as is, never reformatted" {
  loop_setup
  mounts_seeded_volume_as_is mkfs.xfs snap
}

# The mount script, given DEV as the data volume, must refuse with MESSAGE and
# leave DEV's signatures, the mount point and the fstab as they were.
refuses_untouched() {
  local dev=$1 message=$2 before
  before=$(head_sum "$dev")
  cp "$T/fstab" "$T/fstab.before"
  link_volume "$OPENCLAW_DATA_VOLUME_ID" "$dev"

  run "$MOUNT"
  [ "$status" -ne 0 ]
  assert_output_has "$message"
  [ "$(head_sum "$dev")" = "$before" ]
  not_mounted "$T/mnt"
  cmp "$T/fstab" "$T/fstab.before"
}

@test "partitioned volume (partition table, no partition scan): refused, untouched" {
  loop_setup
  dev=$(new_loop data)
  echo 'type=83' | sfdisk -q "$dev"
  refuses_untouched "$dev" "partition table; refusing"
}

@test "partitioned volume with visible partitions: refused, untouched" {
  loop_setup
  img=$T/parts.img
  truncate -s 320M "$img"
  echo 'type=83' | sfdisk -q "$img"
  dev=$(losetup -f --show -P "$img")
  echo "$dev" >>"$T/loops"
  if [[ -e "/sys/class/block/${dev#/dev/}p1" ]]; then
    refuses_untouched "$dev" "has partitions or holders; refusing"
  else
    # This kernel creates no loop partitions; the partition table still refuses it.
    refuses_untouched "$dev" "partition table; refusing"
  fi
}

@test "unknown signature (swap): refused, untouched" {
  loop_setup
  dev=$(new_loop data)
  mkswap -q "$dev"
  refuses_untouched "$dev" "unexpected signature 'swap'; refusing"
  [ "$(blkid -p -s TYPE -o value "$dev")" = swap ]
}

@test "probe error (two filesystems, blkid exit 8): refused, untouched" {
  loop_setup
  dev=$(new_loop data)
  mkfs.xfs -q "$dev"
  truncate -s 64M "$T/ext4.img"
  mkfs.ext4 -q -F "$T/ext4.img"
  dd if="$T/ext4.img" of="$dev" bs=1024 skip=1 seek=1 count=1 conv=notrunc status=none
  [ "$(probe_rc "$dev")" -eq 8 ]
  refuses_untouched "$dev" "failed (exit 8"
}

@test "the root disk behind the volume id: refused, never probed for formatting" {
  loop_setup
  root_dev=$(findmnt -n -o SOURCE /)
  [[ -b "$root_dev" ]] || skip "/ is not on a block device here ($root_dev)"
  root_disk=/dev/$(lsblk -no PKNAME "$root_dev" | head -n1)
  [[ -b "$root_disk" ]] || root_disk=$root_dev
  link_volume "$OPENCLAW_DATA_VOLUME_ID" "$root_disk"

  run "$MOUNT"
  [ "$status" -ne 0 ]
  assert_output_has "refusing"
  not_mounted "$T/mnt"
}

@test "a disk in use elsewhere (mounted): refused, stays mounted and intact" {
  loop_setup
  dev=$(new_loop busy)
  mkfs.xfs -q "$dev"
  mkdir "$T/elsewhere"
  mount "$dev" "$T/elsewhere"
  echo live >"$T/elsewhere/f"
  link_volume "$OPENCLAW_DATA_VOLUME_ID" "$dev"

  run "$MOUNT"
  [ "$status" -ne 0 ]
  assert_output_has "already mounted at $T/elsewhere; refusing"
  [ "$(cat "$T/elsewhere/f")" = live ]
  not_mounted "$T/mnt"
}

@test "a second, unrelated blank volume is never touched" {
  loop_setup
  data=$(new_loop data)
  other=$(new_loop other)
  link_volume "$OPENCLAW_DATA_VOLUME_ID" "$data"
  link_volume vol-0bbbbbbbbbbbbbbb2 "$other"

  run "$MOUNT"
  [ "$status" -eq 0 ]
  [ "$(findmnt -rn -o SOURCE --mountpoint "$T/mnt")" = "$data" ]
  [ "$(probe_rc "$other")" -eq 2 ]
}

@test "missing volume: bounded wait, clear failure, other blank volumes untouched" {
  loop_setup
  other=$(new_loop other)
  link_volume vol-0bbbbbbbbbbbbbbb2 "$other"
  ln -s "$other" "$T/dev/xvdg"
  cp "$T/fstab" "$T/fstab.before"

  start=$SECONDS
  run "$MOUNT"
  elapsed=$((SECONDS - start))
  [ "$status" -ne 0 ]
  assert_output_has "did not appear within 3s; not mounting"
  [ "$elapsed" -ge 3 ]
  [ "$elapsed" -le 8 ]
  [ "$(probe_rc "$other")" -eq 2 ]
  cmp "$T/fstab" "$T/fstab.before"
}

@test "volume that appears during the wait is picked up" {
  loop_setup
  dev=$(new_loop data)
  export OPENCLAW_DEVICE_WAIT_SECONDS=10
  (sleep 2 && link_volume "$OPENCLAW_DATA_VOLUME_ID" "$dev") 3>&- &

  run "$MOUNT"
  wait
  [ "$status" -eq 0 ]
  [ "$(findmnt -rn -o SOURCE --mountpoint "$T/mnt")" = "$dev" ]
}

# The mount script must find the data volume through LINK and mount DEV.
mounts_via() {
  local link=$1 dev=$2
  run "$MOUNT"
  [ "$status" -eq 0 ]
  assert_output_has "via $link"
  [ "$(findmnt -rn -o SOURCE --mountpoint "$T/mnt")" = "$dev" ]
}

@test "found by NVMe serial when the by-id link is missing" {
  loop_setup
  dev=$(new_loop data)
  mkdir -p "$T/sys/block/nvme1n1/device"
  printf '%s   \n' "${OPENCLAW_DATA_VOLUME_ID//-/}" >"$T/sys/block/nvme1n1/device/serial"
  ln -s "$dev" "$T/dev/nvme1n1"
  mounts_via "$T/dev/nvme1n1" "$dev"
}

@test "Xen: found by the requested device name's xvd alias" {
  loop_setup
  dev=$(new_loop data)
  ln -s "$dev" "$T/dev/xvdf"
  mounts_via "$T/dev/xvdf" "$dev"
}

@test "mount point already used by another device: refused, volume untouched" {
  loop_setup
  dev=$(new_loop data)
  squatter=$(new_loop squatter)
  mkfs.xfs -q "$squatter"
  mkdir -p "$T/mnt"
  mount "$squatter" "$T/mnt"
  link_volume "$OPENCLAW_DATA_VOLUME_ID" "$dev"

  run "$MOUNT"
  [ "$status" -ne 0 ]
  assert_output_has "is already mounted from $squatter; refusing"
  [ "$(probe_rc "$dev")" -eq 2 ]
}
