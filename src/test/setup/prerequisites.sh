#!/usr/bin/env bash
# What ./mvnw verify needs besides a JDK: Debian packages whose programs the tests run for real. The build runs
# this script before the tests (pom.xml, exec-maven-plugin in process-test-classes; -Dprerequisites.skip=true
# leaves it out). Missing packages are installed with apt-get when the build runs as root or may use sudo
# without a password; otherwise it stops, naming each missing package and the tests that need it.
#
# Environment:
#   PREREQUISITES_INSTALL  auto (default): install what is missing if allowed; never: only check
#   PREREQUISITES_PATH     where to look for the programs (default: $PATH and the sbin directories)
set -euo pipefail

search_path="${PREREQUISITES_PATH:-$PATH:/usr/local/sbin:/usr/sbin:/sbin}"
install="${PREREQUISITES_INSTALL:-auto}"

# package | programs the tests run from it | the tests that need it
prerequisites=(
    "mosquitto|mosquitto mosquitto_passwd|integration and fault tests against a real broker, ComposeMosquittoTest"
    "prometheus|prometheus promtool|PrometheusScrapeIT, MetricsCatalogTest, ComposeFileTest"
    "podman|podman|ContainerImageIT"
    "runc|runc|ContainerImageIT (podman's runtime)"
    "debootstrap|debootstrap|ContainerImageIT (the JRE base image)"
    "uidmap|newuidmap newgidmap|ContainerImageIT (podman without root)"
    "slirp4netns|slirp4netns|ContainerImageIT (podman without root)"
    "fuse-overlayfs|fuse-overlayfs|ContainerImageIT (podman without root)"
    "nodejs|node|KubernetesSchemaTest, ReadmeInstallTest (the chart checked against Kubernetes' schemas)"
    "npm|npm|KubernetesSchemaTest, ReadmeInstallTest (npm ci of src/test/kubernetes-schemas)"
)

found() {
    local dir dirs
    IFS=: read -r -a dirs <<<"$search_path"
    for dir in "${dirs[@]}"; do
        [ -n "$dir" ] && [ -x "$dir/$1" ] && [ ! -d "$dir/$1" ] && return 0
    done
    return 1
}

declare -A needed_by
missing=()
check() {
    missing=()
    local entry package programs tests program
    for entry in "${prerequisites[@]}"; do
        IFS='|' read -r package programs tests <<<"$entry"
        for program in $programs; do
            if ! found "$program"; then
                missing+=("$package")
                needed_by[$package]="$tests"
                break
            fi
        done
    done
}

report() {
    echo "The tests need Debian packages that are missing here:" >&2
    local package
    for package in "${missing[@]}"; do
        printf '  %-15s for %s\n' "$package" "${needed_by[$package]}" >&2
    done
    echo "$1" >&2
    echo "Install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    echo "(./mvnw verify installs them itself when run as root or with passwordless sudo;" \
        "-DskipTests builds without tests, -Dprerequisites.skip=true runs the tests without this check.)" >&2
}

check
if [ ${#missing[@]} -eq 0 ]; then
    echo "Test prerequisites: all present (mosquitto, prometheus, podman, debootstrap, node, npm)."
    exit 0
fi

as_root=()
if [ "$(id -u)" -eq 0 ]; then
    as_root=(env)
elif command -v sudo >/dev/null 2>&1 && sudo -n true </dev/null 2>/dev/null; then
    as_root=(sudo -n env)
fi

if [ "$install" = never ]; then
    report "Not installing them (PREREQUISITES_INSTALL=never)."
    exit 1
elif [ ${#as_root[@]} -eq 0 ]; then
    report "Not installing them: the build runs neither as root nor with passwordless sudo."
    exit 1
elif ! command -v apt-get >/dev/null 2>&1; then
    report "Not installing them: there is no apt-get here; install the equivalents with your package manager."
    exit 1
fi

echo "Installing the test prerequisites with apt-get: ${missing[*]}"
if ! "${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null \
    || ! "${as_root[@]}" DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null; then
    report "apt-get failed (above)."
    exit 1
fi
check
if [ ${#missing[@]} -gt 0 ]; then
    report "apt-get ran, but these programs are still not found."
    exit 1
fi
echo "Test prerequisites: installed."
