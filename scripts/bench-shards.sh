#!/usr/bin/env bash
# bench-shards.sh: `ota bench campaign --thin` across three processes: one runs the OEM (on the shared
# PostgreSQL) and vehicles 1..N/3, two run only vehicles with its OEM directory, all on one broker.
# Each process prints its own figures into WORK/A.out, B.out, C.out (docs/BENCHMARKS.md, issue 20).
#
#   BROKER=tcp://127.0.0.1:1883 DB='jdbc:postgresql://127.0.0.1:5432/wasmota?user=ota' \
#     scripts/bench-shards.sh WORK [VEHICLES [ONLINE]]
#
# The broker: a plain listener (e.g. Mosquitto with allow_anonymous, max_queued_messages 100000); the
# database: an empty PostgreSQL database. Thin vehicles park with sessions that never expire.
set -euo pipefail
: "${BROKER:?set BROKER=tcp://host:port}"
: "${DB:?set DB=jdbc:postgresql://host:port/db?user=...}"
WORK="${1:?usage: scripts/bench-shards.sh WORK [VEHICLES [ONLINE]]}"
VEHICLES="${2:-30000}"
ONLINE="${3:-2000}"
OTA="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/ota"
THIRD=$((VEHICLES / 3))
mkdir -p "$WORK"
COMMON=(--vehicles "$VEHICLES" --thin --online "$ONLINE" --session-expiry never --broker "$BROKER")
"$OTA" --version >/dev/null # builds once, before three processes start
"$OTA" bench campaign "${COMMON[@]}" --vehicle-ids "1-$THIRD" --db "$DB" --work "$WORK/A" --campaign-delay 90s \
  >"$WORK/A.out" 2>&1 &
until grep -q "OEM directory" "$WORK/A.out" 2>/dev/null; do
  kill -0 $! 2>/dev/null || { echo "the OEM's process ended early; see $WORK/A.out" >&2; exit 1; }
  sleep 1
done
"$OTA" bench campaign "${COMMON[@]}" --vehicle-ids "$((THIRD + 1))-$((2 * THIRD))" --vehicles-only --oem "$WORK/A/oem" \
  --work "$WORK/B" >"$WORK/B.out" 2>&1 &
"$OTA" bench campaign "${COMMON[@]}" --vehicle-ids "$((2 * THIRD + 1))-$VEHICLES" --vehicles-only --oem "$WORK/A/oem" \
  --work "$WORK/C" >"$WORK/C.out" 2>&1 &
wait
grep -h "^campaign_" "$WORK/A.out" "$WORK/B.out" "$WORK/C.out"
