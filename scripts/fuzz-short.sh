#!/usr/bin/env bash
# A short real fuzzing run of every Jazzer target (CI runs it after `mvn -B verify`).
#
# Jazzer fuzzes one @FuzzTest per JVM, so each target gets its own surefire run. The duration per
# target overrides the annotation's maxDuration (Jazzer's `max_duration` option, read from the
# JAZZER_MAX_DURATION environment variable). A finding is written as crash-<sha1> into the
# target's inputs directory under src/test/resources, where every later `mvn test` replays it.
#
# Each run builds what its target needs from the reactor itself (`-pl MODULE -am` up to
# test-compile), so it works on a fresh clone with nothing of this project in ~/.m2.
#
# Exit status: 0 no findings; 1 a finding (a new crash-* file, named); 3 a target could not be
# built or run (not a finding: the Maven log says why); 2 usage.
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
before="$(mktemp)"
trap 'rm -f "$log" "$before"' EXIT

# The Maven module that holds a test class: the directory above its src/test/java.
module_of() {
  local src
  src=$(find . -path ./.git -prune -o -path '*/target' -prune -o -path '*/src/test/java/*' \
    -name "$1.java" -print -quit)
  [ -n "$src" ] || return 1
  src="${src#./}"
  echo "${src%%/src/test/java/*}"
}

crash_files() {
  find . -path ./.git -prune -o -path '*/target' -prune -o -path '*/src/test/resources/*Inputs/*' \
    -type f -name 'crash-*' -print | sort
}

for target in "${targets[@]}"; do
  class="${target%%#*}"
  if ! module=$(module_of "$class"); then
    echo "fuzz-short: no test class $class.java in any module (renamed or moved?)" >&2
    exit 3
  fi
  crash_files >"$before"
  started=$(date +%s)
  if ! JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$duration" mvn -B "${offline[@]}" -pl "$module" -am \
      test-compile surefire:test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    found=$(comm -13 "$before" <(crash_files))
    if [ -n "$found" ]; then
      grep -E '^== Java Exception|^(Caused by|[A-Za-z.]+(Exception|Error))' "$log" | awk '!seen[$0]++' | head -20 || true
      echo "fuzz-short: $target FINDING: the input that triggers it is saved as" >&2
      echo "$found" | sed 's/^/  /' >&2
      echo "  (every later 'mvn test' replays it; full log above the summary)" >&2
      exit 1
    fi
    tail -n 60 "$log"
    echo "fuzz-short: $target could not be built or run (no new crash-* input, so not a finding); Maven's last lines are above" >&2
    exit 3
  fi
  # libFuzzer's last status line: executions, coverage (edges), features, corpus, exec/s
  summary=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  echo "fuzz: $target in $module, $duration ($(( $(date +%s) - started )) s wall): ${summary:-no DONE line}"
done
echo "fuzz: ${#targets[@]} targets, no findings"
