#!/usr/bin/env bash
# The supplier round trip, step by step, in a scratch directory (kept, and printed at the end):
# OEM keys -> supplier key and enrollment -> package -> sign -> OEM integration -> vehicle install and run.
set -uo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d -t ota-roundtrip.XXXXXX)"
step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "OEM creates its PKI" ./ota oem init --out "$work/oem" || exit 1
step "Supplier creates a signing key and a certificate request" \
  ./ota supplier keygen --supplier acme --out "$work/acme" || exit 1
step "OEM enrolls the supplier with the most it may ever request" \
  ./ota oem enroll --oem "$work/oem" --csr "$work/acme/acme.csr.pem" --supplier acme \
  --capabilities log,clock,can.read:100-1ff,can.write:200-2ff --out "$work/acme/acme.cert.pem" || exit 1
step "Supplier packages a module (exports and imports read from the .wasm)" \
  ./ota supplier package --wasm testdata/wasm/healthy_v1.wasm --module healthy --version 1.0.0 \
  --security-version 1 --capabilities log,clock,can.read:120,can.write:220 --memory-pages 1 \
  --deadline-us 2000 --period-ms 10 --hardware ecu-a --out "$work/healthy.wotapkg" || exit 1
step "A module importing what it was not granted is refused (exit 4)" \
  ./ota supplier package --wasm testdata/wasm/forbidden_import.wasm --module bad --version 1.0.0 \
  --security-version 1 --capabilities log --memory-pages 1 --deadline-us 1000 --period-ms 10 --out "$work/bad.wotapkg"
echo "exit code: $?"
step "Supplier signs" ./ota supplier sign --package "$work/healthy.wotapkg" \
  --key "$work/acme/acme.key.pem" --cert "$work/acme/acme.cert.pem" || exit 1
step "The vehicle refuses a package without the OEM countersignature (exit 3)" \
  ./ota ecu verify --trust "$work/oem/vehicle-trust" --package "$work/healthy.wotapkg"
echo "exit code: $?"
step "OEM integrates: checks, test vectors and a soak in the vehicle's sandbox, timing, compile, countersign" \
  ./ota oem integrate --oem "$work/oem" --package "$work/healthy.wotapkg" \
  --vectors testdata/wasm/healthy_v1.vectors.json --out "$work/healthy.release.wotapkg" || exit 1
step "The vehicle installs it: verify, compile (same digest as the OEM's), health check, commit" \
  ./ota ecu install --state "$work/ecu" --trust "$work/oem/vehicle-trust" --hardware-id ecu-a \
  --package "$work/healthy.release.wotapkg" || exit 1
step "The vehicle runs it on its period under its deadline" ./ota ecu run --state "$work/ecu" --duration 2s || exit 1
step "The vehicle's audit log is intact" ./ota ecu log --state "$work/ecu" --verify || exit 1
printf '\nFiles are in %s\n' "$work"
