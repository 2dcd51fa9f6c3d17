#!/bin/sh
# Builds the project's image from the unchanged Containerfile on a locally assembled stand-in for the
# official Open Liberty base image (no registry of container images is reachable here):
#   1. localhost/icc-standin-debian:bookworm  Debian bookworm + OpenJDK 17 JRE, by debootstrap
#   2. localhost/icc-standin-liberty:<ver>    standin/Containerfile: Liberty as the official image has it
#   3. <tag>                                  Containerfile with BASE_IMAGE=2 and the WAR `mvn package` built
# Steps 1 and 2 are skipped when their image exists (ICC_REBUILD_BASE=1 rebuilds them).
# Usage: build-images.sh <openliberty-runtime-<ver>.zip> <tag>   (run from anywhere, as root)
set -eu

zip=$1
tag=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
work=$repo/target/container
ver=$(basename "$zip" .zip)
ver=${ver#openliberty-runtime-}
debian=localhost/icc-standin-debian:bookworm
liberty=localhost/icc-standin-liberty:$ver
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
CONTAINERS_CONF=${CONTAINERS_CONF:-$here/containers.conf}
export CONTAINERS_CONF

[ -f "$repo/target/image-customization-controller.war" ] || {
  echo "build-images.sh: target/image-customization-controller.war is missing: run mvn package first" >&2
  exit 1
}
mkdir -p "$work"

if [ "${ICC_REBUILD_BASE:-}" = 1 ] || ! podman image exists "$debian"; then
  echo "build-images.sh: debootstrap bookworm with openjdk-17-jre-headless from $mirror"
  rm -rf "$work/rootfs"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$work/rootfs" "$mirror" \
    > "$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives"/*.deb "$work/rootfs/var/lib/apt/lists"/*
  tar -C "$work/rootfs" -c . | podman import --quiet --change 'CMD ["/bin/bash"]' - "$debian" >/dev/null
  rm -rf "$work/rootfs"
fi

if [ "${ICC_REBUILD_BASE:-}" = 1 ] || ! podman image exists "$liberty"; then
  echo "build-images.sh: stand-in Open Liberty $ver base"
  rm -rf "$work/standin"
  mkdir -p "$work/standin"
  cp -R "$here/standin/." "$work/standin/"
  unzip -q "$zip" -d "$work/standin"
  podman build --quiet --build-arg DEBIAN_IMAGE="$debian" -t "$liberty" "$work/standin" >/dev/null
  rm -rf "$work/standin"
fi

echo "build-images.sh: $tag from Containerfile on $liberty"
podman build --quiet --build-arg BASE_IMAGE="$liberty" --build-arg WAR_FROM=prebuilt \
  -t "$tag" -f "$repo/Containerfile" "$repo" >/dev/null
podman image inspect --format 'build-images.sh: {{.Id}} {{.Size}} bytes' "$tag"
