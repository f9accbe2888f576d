#!/usr/bin/env bash
# Builds the JVM image (src/main/docker/Dockerfile.jvm) from what `./mvnw package` left in target/quarkus-app.
#
#   deploy/image/build.sh [--local-base]
#
# Environment:
#   IMAGE       the tag to build (default edge-bridge/edge-bridge:<the chart's appVersion>: what the Helm chart
#               and deploy/compose.yaml run by default)
#   BASE_IMAGE  any image with a Java 17.0.12+ JRE on the PATH (default: Red Hat's UBI OpenJDK 17 runtime; also fine:
#               eclipse-temurin:17-jre). --local-base makes one from Debian packages instead (build-base.sh)
#               and uses it: for machines without a reachable container registry.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"

if [ "${1:-}" = "--local-base" ]; then
    export BASE_IMAGE="${BASE_IMAGE:-localhost/edge-bridge-jre:17-bookworm}"
    "$here/build-base.sh"
elif [ -n "${1:-}" ]; then
    echo "usage: $0 [--local-base]" >&2
    exit 2
fi

command -v podman >/dev/null 2>&1 || { echo "podman is missing: apt-get install podman runc" >&2; exit 1; }
[ -f "$root/target/quarkus-app/quarkus-run.jar" ] || {
    echo "target/quarkus-app/quarkus-run.jar is missing: run ./mvnw package first" >&2; exit 1; }

version="$(sed -n 's:^    <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n1)"
app_version="$(sed -n 's:^appVersion\: *"\{0,1\}\([^"]*\)"\{0,1\}$:\1:p' "$root/helm/edge-bridge/Chart.yaml")"
image="${IMAGE:-edge-bridge/edge-bridge:$app_version}"
base_args=()
[ -n "${BASE_IMAGE:-}" ] && base_args=(--build-arg "BASE_IMAGE=$BASE_IMAGE"
    --label "org.opencontainers.image.base.name=$BASE_IMAGE")

podman build --file "$root/src/main/docker/Dockerfile.jvm" "${base_args[@]}" --build-arg "VERSION=$version" \
    --tag "$image" "$root"
echo "built $image"
