#!/usr/bin/env bash
# Runs the smoke suite against a local `atg serve` -- HTTPS with a throw-away certificate, the
# API key in a key file, a simulated tenant -- exactly as the deploy pipeline runs it against an
# environment, with SMOKE_SCAN=1 so the scan and IaC jobs run end to end too.
#
#   tests/smoke/run_local.sh     (needs build/atg and ATG_TOOL_SMOKE_PYTHON from tests/tools)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
atg="${ATG_BINARY:-$root/build/atg}"
python="${ATG_TOOL_SMOKE_PYTHON:-}"
if [[ -z "$python" ]]; then
  if [[ "${ATG_TEST_SERVICES_OPTIONAL:-0}" == "1" ]]; then echo "SKIPPED: no ATG_TOOL_SMOKE_PYTHON"; exit 0; fi
  echo "FAILED: ATG_TOOL_SMOKE_PYTHON is not set: run ATG_TOOLS_DIR=build/tools tests/tools/all.sh and source build/tools/tools.env" >&2
  exit 1
fi
[[ -x "$atg" ]] || { echo "FAILED: $atg is missing; build it first" >&2; exit 1; }

work="$(mktemp -d)"
chmod 0700 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

"$atg" simulate --port 0 --resources 40 --users 5 --groups 2 --seed 11 --throttle off \
  --env-file "$work/sim.env" >"$work/sim.out" 2>"$work/sim.err" &
pids+=($!)
for _ in $(seq 100); do [[ -s "$work/sim.env" ]] && break; sleep 0.1; done
[[ -s "$work/sim.env" ]] || { cat "$work/sim.err" >&2; echo "FAILED: the simulator did not start" >&2; exit 1; }

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
  -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
openssl rand -hex 32 >"$work/api-keys"
# Only the simulator's variables and the service's own: nothing from the caller's environment
# (a REDIS_URL or a client secret there) reaches the service.
mapfile -t sim_vars < <(sed -n 's/^export //p' "$work/sim.env")
tenant="$(sed -n 's/^export AZURE_TENANT_ID=//p' "$work/sim.env")"
(
  cd "$work"
  exec env -i PATH="$PATH" HOME="$work" "${sim_vars[@]}" ATG_TARGET_TENANT_ID="$tenant" \
    ATG_API_KEYS_FILE="$work/api-keys" ATG_DATA_DIR="$work/data" \
    ATG_TLS_CERT_FILE="$work/tls.crt" ATG_TLS_KEY_FILE="$work/tls.key" \
    "$atg" serve --host 127.0.0.1 --port 0 >"$work/serve.out" 2>"$work/serve.err"
) &
pids+=($!)
url=""
for _ in $(seq 200); do
  url="$(sed -n 's/.*listening on \(https:[^ ]*\).*/\1/p' "$work/serve.out" | head -n 1)"
  [[ -n "$url" ]] && break
  sleep 0.05
done
[[ -n "$url" ]] || { cat "$work/serve.err" >&2; echo "FAILED: atg serve did not start" >&2; exit 1; }

SERVICE_URL="$url" API_KEY="$(cat "$work/api-keys")" SMOKE_CA_FILE="$work/tls.crt" SMOKE_SCAN=1 \
  "$python" -m pytest "$root/tests/smoke" -q -p no:cacheprovider
