#!/usr/bin/env bash
# A short real fuzzing run of every Jazzer target (CI runs it after `mvn -B verify`).
#
# Jazzer fuzzes one @FuzzTest per JVM, so each target gets its own surefire run. The duration per
# target overrides the annotation's maxDuration (Jazzer's `max_duration` option, read from the
# JAZZER_MAX_DURATION environment variable). A finding fails the run and is written as
# crash-<sha1> into the target's inputs directory under src/test/resources, where every later
# `mvn test` replays it. Needs the test classes compiled (`mvn verify` or `mvn test-compile`).
#
# Usage: scripts/fuzz-short.sh [DURATION]    DURATION per target, e.g. 10s (default), 2m, 4h
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10s}"
case "$duration" in
  *[0-9]s|*[0-9]m|*[0-9]h) ;;
  *) echo "fuzz-short: duration must look like 10s, 2m or 4h, not '$duration'" >&2; exit 2 ;;
esac
targets=(
  "PackageFileFuzzTest#readsAndVerifiesOrRefuses"
  "ManifestCodecFuzzTest#parsesOnlyCanonicalManifests"
  "CapabilitySetFuzzTest#parsesToACanonicalSetOrRefuses"
  "InstructionFuzzTest#opensSignedInstructionOrRefuses"
  "InstructionFuzzTest#parsesOnlyCanonicalInstructions"
  "WasmBoundsFuzzTest#boundsCheckRefusesOrPasses"
  "WasmBoundsFuzzTest#readsInterfaceOrRefuses"
  "HostFunctionsFuzzTest#hostAbiReturnsStatusesAndStaysInBounds"
)
offline=()
[ "${FUZZ_OFFLINE:-}" = 1 ] && offline=(-o)
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for target in "${targets[@]}"; do
  started=$(date +%s)
  if ! JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$duration" mvn -B "${offline[@]}" -pl supplier-signing,ecu-host \
      surefire:test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    cat "$log"
    echo "fuzz-short: $target FAILED (a finding is saved as crash-* in its inputs directory)" >&2
    exit 1
  fi
  # libFuzzer's last status line: executions, coverage (edges), features, corpus, exec/s
  summary=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  echo "fuzz: $target $duration ($(( $(date +%s) - started )) s wall): ${summary:-no DONE line}"
done
echo "fuzz: ${#targets[@]} targets, no findings"
