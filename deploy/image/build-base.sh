#!/usr/bin/env bash
# Makes a base image with a Java 17 JRE from Debian packages (debootstrap) and imports it into podman, for
# machines that cannot pull from a container registry. Does nothing when the image already exists.
#
#   deploy/image/build-base.sh [--rebuild]
#
# Environment: BASE_IMAGE (the tag to create, default localhost/edge-bridge-jre:17-bookworm),
#   DEBIAN_MIRROR (default: the Debian mirror apt uses here, else deb.debian.org), DEBIAN_SUITE (bookworm).
# Needs root for debootstrap (sudo is used when not root), and the apt packages podman, runc and debootstrap.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
image="${BASE_IMAGE:-localhost/edge-bridge-jre:17-bookworm}"
suite="${DEBIAN_SUITE:-bookworm}"
rebuild=false
[ "${1:-}" = "--rebuild" ] && rebuild=true

for tool in podman debootstrap; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || {
        echo "$tool is missing: apt-get install podman runc debootstrap (./mvnw verify installs them as root)" >&2; exit 1; }
done

if ! $rebuild && podman image exists "$image"; then
    echo "base image $image exists (--rebuild to make it again)"
    exit 0
fi

# The mirror apt already uses is the one known to be reachable (one-line and deb822 source formats).
mirror="${DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
    mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | grep -v '^[[:space:]]*#' | grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ' || true)"
    mirror="${mirror:-http://deb.debian.org/debian}"
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
rootfs="$(mktemp -d)"
trap '$sudo rm -rf "$rootfs"' EXIT

echo "debootstrap $suite from $mirror into $rootfs"
start=$SECONDS
# minbase: dpkg, apt, bash and coreutils only; the JRE brings its CA certificates (ca-certificates-java).
$sudo debootstrap --variant=minbase --include=openjdk-17-jre-headless "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1 \
    || { tail -n 30 "$rootfs.log" >&2; rm -f "$rootfs.log"; exit 1; }
rm -f "$rootfs.log"
# Downloaded packages, package lists, documentation and manuals are not needed at run time.
$sudo rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*

$sudo tar -C "$rootfs" -c . | podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' \
    --message "debootstrap --variant=minbase --include=openjdk-17-jre-headless $suite $mirror" \
    - "$image" >/dev/null
echo "base image $image made in $((SECONDS - start)) s: $(podman image inspect --format '{{.Size}}' "$image") bytes"
