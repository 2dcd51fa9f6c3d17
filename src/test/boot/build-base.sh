#!/bin/sh
# Builds a bootable CoreOS-like live ISO and initramfs from Debian packages, laid out as RHCOS lays
# out its live ISO: /images/pxeboot/{vmlinuz,initrd.img}, the /images/ignition.img embed area,
# /coreos/igninfo.json, /coreos/kargs.json, ISOLINUX for BIOS and a GRUB EFI image for UEFI (two El
# Torito entries), both loading initrd.img and ignition.img as two initrds, console on ttyS0.
# The initramfs is busybox with an /init that prints, on the serial console, the kernel command line
# and the size, SHA-256 and base64 of /config.ign (the Ignition the kernel unpacked from the second
# archive), or that it found none; then it powers off. Same bytes on every run.
#
# Usage: build-base.sh OUT_DIR KERNEL   (KERNEL: a vmlinuz, e.g. from Debian's linux-image-*-amd64)
# Writes OUT_DIR/base.iso, OUT_DIR/base.initramfs (= initrd.img) and OUT_DIR/base.kernel.
# Needs: xorriso, cpio, gzip, busybox-static, isolinux, syslinux-common, grub-efi-amd64-bin, mtools,
# dosfstools (bash .ci/run installs them).
set -eu

out=$1
kernel=$2
epoch=1577836800  # 2020-01-01: fixed dates (FAT cannot hold 1970)
work=$out/base-build
rm -rf "$work"
mkdir -p "$work/root/bin" "$work/root/proc" "$work/root/sys" "$work/root/dev" \
  "$work/iso/images/pxeboot" "$work/iso/coreos" "$work/iso/isolinux" "$work/iso/EFI/BOOT"

# --- the initramfs: busybox and /init
cp /bin/busybox "$work/root/bin/busybox"
cat > "$work/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo "ICC-BOOT: cmdline: $(cat /proc/cmdline)"
if [ -f /config.ign ]; then
  echo "ICC-BOOT: config.ign size $(wc -c < /config.ign) sha256 $(sha256sum /config.ign | cut -d ' ' -f 1)"
  echo "ICC-BOOT: config.ign base64 begin"
  base64 /config.ign
  echo "ICC-BOOT: config.ign base64 end"
else
  echo "ICC-BOOT: no config.ign"
fi
echo "ICC-BOOT: done"
poweroff -f
INIT
chmod 0755 "$work/root/init" "$work/root/bin/busybox"
find "$work/root" -exec touch -h -d "@$epoch" {} +
(cd "$work/root" && find . | LC_ALL=C sort | cpio -o -H newc --reproducible --quiet -R 0:0) | gzip -n -9 \
  > "$work/iso/images/pxeboot/initrd.img"
cp "$kernel" "$work/iso/images/pxeboot/vmlinuz"

# --- the embed areas, as coreos-installer finds them
head -c 262144 /dev/zero > "$work/iso/images/ignition.img"
printf '{"file": "images/ignition.img"}\n' > "$work/iso/coreos/igninfo.json"
kargs="coreos.liveiso=rhcos-icc-test ignition.firstboot ignition.platform.id=metal"
area=$(printf '%s' "$kargs" | awk '{ s = $0; while (length(s) < 1137) s = s "#"; printf "%s", s }')
cat > "$work/iso/isolinux/isolinux.cfg" <<CFG
SERIAL 0 115200
PROMPT 0
TIMEOUT 1
DEFAULT coreos
LABEL coreos
  KERNEL /images/pxeboot/vmlinuz
  APPEND initrd=/images/pxeboot/initrd.img,/images/ignition.img console=ttyS0 panic=1 $area
CFG
cat > "$work/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=0
search --no-floppy --set=root --file /coreos/igninfo.json
menuentry 'coreos' {
  linux /images/pxeboot/vmlinuz console=ttyS0 panic=1 $area
  initrd /images/pxeboot/initrd.img /images/ignition.img
}
CFG
cp "$work/grub.cfg" "$work/iso/EFI/BOOT/grub.cfg"
offset() { grep -bo "$kargs" "$1" | head -1 | cut -d: -f1; }
printf '{"default": "%s", "files": [{"path": "isolinux/isolinux.cfg", "offset": %s}, {"path": "EFI/BOOT/grub.cfg", "offset": %s}], "size": 1137}\n' \
  "$kargs" "$(offset "$work/iso/isolinux/isolinux.cfg")" "$(offset "$work/iso/EFI/BOOT/grub.cfg")" > "$work/iso/coreos/kargs.json"

# --- BIOS: ISOLINUX
cp /usr/lib/ISOLINUX/isolinux.bin "$work/iso/isolinux/"
cp /usr/lib/syslinux/modules/bios/ldlinux.c32 "$work/iso/isolinux/"

# --- UEFI: GRUB in a FAT image (the second El Torito entry)
grub-mkimage -O x86_64-efi -o "$work/iso/EFI/BOOT/BOOTX64.EFI" -p /EFI/BOOT \
  part_gpt part_msdos fat iso9660 normal linux search search_fs_file configfile echo test serial terminal \
  efi_gop all_video gzio
find "$work/iso" -exec touch -h -d "@$epoch" {} +
mkfs.vfat --invariant -n EFIBOOT -C "$work/iso/images/efiboot.img" 4096 >/dev/null
SOURCE_DATE_EPOCH=$epoch mmd -i "$work/iso/images/efiboot.img" ::/EFI ::/EFI/BOOT
SOURCE_DATE_EPOCH=$epoch mcopy -m -i "$work/iso/images/efiboot.img" "$work/iso/EFI/BOOT/BOOTX64.EFI" "$work/iso/EFI/BOOT/grub.cfg" ::/EFI/BOOT/
touch -h -d "@$epoch" "$work/iso/images/efiboot.img" "$work/iso/images"

SOURCE_DATE_EPOCH=$epoch xorriso -as mkisofs -quiet -o "$out/base.iso" -V rhcos-icc-test -r -J \
  -b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table \
  -eltorito-alt-boot -e images/efiboot.img -no-emul-boot \
  "$work/iso" 2>/dev/null
cp "$work/iso/images/pxeboot/initrd.img" "$out/base.initramfs"
cp "$kernel" "$out/base.kernel"
