#!/bin/sh
# Boots a QEMU VM from a served image, as a host does, and prints what the guest saw: its serial
# console, then the Ignition config it found (decoded).
#   boot-vm.sh iso URL|FILE [bios|uefi]     the ISO as a CD-ROM read straight from URL by QEMU's curl
#                                           block driver (a HEAD, then ranges on demand, as a BMC's
#                                           virtual media read it), or from a local file; SeaBIOS or OVMF
#   boot-vm.sh pxe KERNEL_URL INITRD_URL [ARGS]
#                                           iPXE (Debian's ROM) runs a script that fetches the kernel and
#                                           the initramfs with ARGS, as Ironic's PXE boot does
# The guest must be one of build-base.sh's images (a real CoreOS ISO boots too, but says nothing).
# The guest reaches the host as 10.0.2.2: localhost URLs are rewritten for iPXE.
# BOOT_TIMEOUT (seconds, default 180) ends a boot that hangs; the exit status is 0 only when the
# guest's init finished. Needs qemu-system-x86, qemu-block-extra, ovmf, ipxe-qemu (no KVM needed).
set -u

mode=${1:-}
timeout=${BOOT_TIMEOUT:-180}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
common="-m 768 -nographic -no-reboot -nodefaults -serial stdio -display none"

case $mode in
  iso)
    url=$2
    firmware=${3:-bios}
    bios=""
    if [ "$firmware" = uefi ]; then
      for f in /usr/share/ovmf/OVMF.fd /usr/share/OVMF/OVMF.fd; do [ -f "$f" ] && bios="-bios $f" && break; done
      [ -n "$bios" ] || { echo "boot-vm: OVMF.fd not found (apt-get install ovmf)" >&2; exit 2; }
    fi
    case $url in
      http://*|https://*) driver=$(echo "$url" | cut -d: -f1) ;;
      *) driver="file" ;;  # a local ISO (the unmodified base, say)
    esac
    if [ "$driver" = file ]; then
      cd0="{\"driver\":\"file\",\"filename\":\"$url\",\"node-name\":\"cd0\",\"read-only\":true}"
    else
      cd0="{\"driver\":\"$driver\",\"url\":\"$url\",\"node-name\":\"cd0\",\"read-only\":true}"
    fi
    # shellcheck disable=SC2086
    timeout "$timeout" qemu-system-x86_64 $common $bios -boot d -blockdev "$cd0" \
      -device ide-cd,drive=cd0 > "$work/serial" 2> "$work/qemu.err"
    status=$?
    ;;
  pxe)
    kernel=$(printf '%s' "$2" | sed 's#//\(127\.0\.0\.1\|localhost\)\([:/]\)#//10.0.2.2\2#')
    initrd=$(printf '%s' "$3" | sed 's#//\(127\.0\.0\.1\|localhost\)\([:/]\)#//10.0.2.2\2#')
    args=${4:-}
    printf '#!ipxe\ndhcp\nkernel %s initrd=initrd console=ttyS0 %s\ninitrd --name initrd %s\nboot\n' \
      "$kernel" "$args" "$initrd" > "$work/boot.ipxe"
    # shellcheck disable=SC2086
    timeout "$timeout" qemu-system-x86_64 $common -boot n \
      -netdev "user,id=n0,tftp=$work,bootfile=boot.ipxe" -device e1000,netdev=n0 \
      > "$work/serial" 2> "$work/qemu.err"
    status=$?
    ;;
  *)
    sed -n '2,12s/^# \{0,1\}//p' "$0" >&2
    exit 2
    ;;
esac

tr -d '\r' < "$work/serial"
cat "$work/qemu.err" >&2
if sed -n '/ICC-BOOT: config.ign base64 begin/,/ICC-BOOT: config.ign base64 end/p' "$work/serial" | tr -d '\r' \
    | grep -v '^ICC-BOOT' | base64 -d > "$work/config.ign" 2>/dev/null && [ -s "$work/config.ign" ]; then
  echo "--- the guest's /config.ign:"
  cat "$work/config.ign"
  echo
fi
if grep -q 'ICC-BOOT: done' "$work/serial"; then
  exit 0
fi
[ "$status" = 124 ] && echo "boot-vm: no end of boot within ${timeout}s" >&2
exit 1
