# shellcheck shell=bash
# Loop devices for the mount tests: sparse images in the test's temp dir,
# always unmounted and detached in teardown.

# Skips the test without root or a free loop device.
loop_setup() {
  require_loops
  T=$BATS_TEST_TMPDIR
  export OPENCLAW_DEVICE_ROOT=$T/dev OPENCLAW_SYSFS_ROOT=$T/sys OPENCLAW_FSTAB=$T/fstab
  export OPENCLAW_MOUNT_POINT=$T/mnt OPENCLAW_DEVICE_WAIT_SECONDS=3
  export OPENCLAW_DATA_VOLUME_ID=vol-0aaaaaaaaaaaaaaa1 OPENCLAW_DATA_DEVICE_NAME=/dev/sdf
  mkdir -p "$T/dev/disk/by-id" "$T/sys/block"
  printf '# test fstab\n/dev/vda / ext4 defaults 0 1\n' >"$T/fstab"
}

loop_teardown() {
  local target dev
  [[ -n "${T:-}" ]] || return 0
  while read -r target; do
    umount -l "$target" 2>/dev/null || true
  done < <(findmnt -rn -o TARGET | grep -F "$T" | sort -r)
  if [[ -f "$T/loops" ]]; then
    while read -r dev; do losetup -d "$dev" 2>/dev/null || true; done <"$T/loops"
  fi
}

# new_loop NAME [SIZE] -> prints the loop device backed by a sparse image.
new_loop() {
  local img=$T/$1.img dev
  truncate -s "${2:-320M}" "$img"
  dev=$(losetup -f --show "$img")
  printf '%s\n' "$dev" >>"$T/loops"
  printf '%s\n' "$dev"
}

# link_volume VOLUME_ID DEVICE: the udev by-id name a Nitro instance shows.
link_volume() {
  ln -sfn "$2" "$T/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${1//-/}"
}

# A volume that already holds data: <device> <mkfs command> <label>; writes data.txt = "precious".
seed_volume() {
  "$2" -q -L "$3" "$1"
  mkdir -p "$T/seed"
  mount "$1" "$T/seed"
  echo precious >"$T/seed/data.txt"
  umount "$T/seed"
}

# Fingerprint of the first 4 MiB, where every signature we care about lives.
head_sum() { head -c 4194304 "$1" | sha256sum | cut -d' ' -f1; }

probe_rc() {
  local rc=0
  blkid -p "$1" >/dev/null 2>&1 || rc=$?
  printf '%s\n' "$rc"
}

not_mounted() {
  [[ -z "$(findmnt -rn --mountpoint "$1")" ]] || { echo "$1 is mounted" >&2; return 1; }
}
