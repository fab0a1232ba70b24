#!/usr/bin/env bash
# The tests, as CI runs them (.ci/run calls exactly this): installs what the tests need when it is
# missing, then runs every test (two Maven modules at a time), a short real fuzzing run of every target, and checks the launcher.
#
# Needs Java 17 and Maven. On Debian or Ubuntu it installs the rest with apt-get (as root, or with
# sudo): Mosquitto (the end-to-end tests run against it too), PostgreSQL (every OEM database test runs
# on it as well as on H2; the tests start their own server in a temporary directory, never the
# machine's cluster), Chromium (the report and console are checked in headless Chromium), OpenSSL
# (our TLS keys are read by it in a test), and the toolchains the supplier-kit examples build with.
# Elsewhere it names what to install and stops.
#
# Usage: scripts/test.sh [MAVEN ARGS...]     e.g. scripts/test.sh -o   (offline)
# Environment: OTA_TEST_FUZZ=0 skips the fuzzing run; OTA_TEST_INSTALL=0 installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
missing() { ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; }
missing /usr/sbin/mosquitto && need+=(mosquitto)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || need+=(postgresql)
missing chromium && need+=(chromium)
missing openssl && need+=(openssl)
# DeploymentIT runs docs/DEPLOY.md, which uses psql and curl
missing psql && need+=(postgresql-client)
missing curl && need+=(curl)
# the supplier kit's examples (SupplierKitIT): clang and lld for C, Debian's rustc 1.63 with its wasm32 std for Rust
missing clang && need+=(clang)
missing wasm-ld && need+=(lld)
missing wasm-ld-14 && need+=(lld-14)
missing /usr/bin/rustc && need+=(rustc)
compgen -G "/usr/lib/rustlib/wasm32-unknown-unknown/lib/libcore-*.rlib" >/dev/null || need+=(libstd-rust-dev-wasm32)

if [ "${#need[@]}" -gt 0 ] && [ "${OTA_TEST_INSTALL:-1}" != 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test: the tests need ${need[*]}; install them (this is not a Debian or Ubuntu machine), then run again" >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "test: installing ${need[*]} needs root or sudo" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "test: installing ${need[*]} ..." >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

command -v java >/dev/null || { echo "test: Java 17 is needed (apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }
command -v mvn >/dev/null || { echo "test: Maven is needed (apt-get install maven)" >&2; exit 1; }
java -version 2>&1 | sed -n 1p
mvn -B -v | sed -n 1p
/usr/sbin/mosquitto -h 2>&1 | head -1 || true
ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | tail -1 || true
/usr/bin/rustc --version 2>/dev/null || true

# Two modules at a time: the graph is two wide where the tests are longest (ota-routes/end-to-end beside
# vehicle-sim then ota-cli), so two cores finish in about 3/4 of the time (27:50 -> 20:02 min measured
# side by side on a loaded 2-core machine). Tests that judge real time run on SCHED_FIFO where permitted.
mvn -B -T 2 verify "$@"
if [ "${OTA_TEST_FUZZ:-1}" != 0 ]; then
  # A short real fuzzing run of every Jazzer target (15 s each, about 3 minutes in all).
  scripts/fuzz-short.sh 15s
fi
# The launcher builds and runs from a clean tree:
./ota --help >/dev/null
echo "test: ok"
