#!/usr/bin/env bash
# The container test: builds the atg image from this checkout (tests/deploy/build_image.sh),
# starts it the way a deployment runs it -- read-only root filesystem, a data volume, HTTPS from
# a mounted certificate, the API keys read from "Key Vault", lowered limits, no capabilities --
# against an Azure simulator on the host, and checks:
#   - the image: uid 1000, port 8000, a HEALTHCHECK, OCI labels, no secret in its config or
#     history, size under 150 MB, every library the binary loads present;
#   - the container becomes healthy (the image's own HEALTHCHECK, and GET /health from outside);
#   - a scan job and an IaC job run to completion through the API, and the IaC artifact
#     downloads with the SHA-256 the service announces;
#   - the service runs as uid 1000, cannot write its root filesystem, wrote its data under
#     ATG_DATA_DIR, never logged the API key;
#   - SIGTERM (podman stop) ends it cleanly, exit code 0.
# Prints `N passed, N failed` at the end; exits non-zero on any failure.
#
#   tests/deploy/container_test.sh          (needs build/atg for the simulator)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
cd "$deploy_root"

need podman "scripts/setup.sh installs it (Debian packages podman and runc)"
need curl "scripts/setup.sh installs it (Debian package curl)"
atg="${ATG_BINARY:-$deploy_root/build/atg}"
[[ -x "$atg" ]] || { echo "FAILED: $atg is missing; build it first (scripts/setup.sh)" >&2; exit 1; }

image="localhost/atg:test"
run_id="atg-deploy-test-$$"
work="$ATG_DEPLOY_DIR/run-$$"
mkdir -p "$work"
chmod 0700 "$work"
passed=0
failed=0
sim_pid=""
ok() { echo "ok: $1"; passed=$((passed + 1)); }
bad() { echo "FAILED: $1" >&2; failed=$((failed + 1)); }
fails() { ! "$@"; }
check() { # check "what" command...
  local what="$1"
  shift
  if "$@"; then ok "$what"; else bad "$what"; fi
}
cleanup() {
  if [[ -n "$sim_pid" ]]; then kill "$sim_pid" 2>/dev/null || true; fi
  podman_cmd rm -f -t 5 "$run_id" >/dev/null 2>&1 || true
  podman_cmd volume rm -f "$run_id-data" >/dev/null 2>&1 || true
  rm -rf "$work"
  # CI's checkout is thrown away: so are the gigabytes of vfs layers (a developer keeps them, so
  # that the next build reuses the package layers).
  if [[ "${CI:-}" == "true" ]]; then podman_cmd system reset --force >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
started=$(date +%s)

# --- the image ---------------------------------------------------------------------------------
"$here/build_image.sh" "$image"
bytes="$(cat "$ATG_DEPLOY_DIR/image.bytes")"
check "image size $((bytes / 1000000)) MB is under 150 MB" test "$bytes" -lt 150000000
inspect() { podman_cmd image inspect --format "$1" "$image"; }
check "image user is 1000:1000" test "$(inspect '{{.Config.User}}')" = "1000:1000"
check "image exposes 8000/tcp" grep -q '8000/tcp' <<<"$(inspect '{{json .Config.ExposedPorts}}')"
check "image has a HEALTHCHECK" grep -q 'atg-healthcheck' <<<"$(inspect '{{json .Config.Healthcheck}}')"
for label in version revision source created; do
  value="$(inspect "{{index .Config.Labels \"org.opencontainers.image.$label\"}}")"
  check "OCI label $label is set ($value)" test -n "$value" -a "$value" != "<no value>"
done
# No secret in the image's configuration or in any layer's history (ENV, ARG, RUN lines).
secret_names="$("$atg" config vars --json | python3 -c 'import json,sys; print("\n".join(v["name"] for v in json.load(sys.stdin) if v["secret"]))')"
image_text="$(inspect '{{json .Config.Env}}'; podman_cmd history --no-trunc --format '{{.CreatedBy}}' "$image")"
leaks=""
while read -r name; do
  if grep -q "$name=" <<<"$image_text"; then leaks+="$name "; fi
done <<<"$secret_names"
check "no secret variable in the image config or history${leaks:+ (found: $leaks)}" test -z "$leaks"
# One-off commands in the image: no network, no health timer, the lowered limits.
in_image() { # in_image ENTRYPOINT ARGS...
  local entry="$1"
  shift
  podman_cmd run --rm --network none --no-healthcheck --ulimit nofile=1024:1024 \
    --ulimit nproc=1024:1024 ${IN_IMAGE_USER:+--user "$IN_IMAGE_USER"} --entrypoint "$entry" \
    "$image" "$@"
}
# As root, so that find sees every directory.
files="$(IN_IMAGE_USER=0:0 in_image /usr/bin/find / -xdev \( -name '*.key' -o -name '.env' -o -name '*.pfx' \
  -o -path '/var/lib/atg/*' \) -print)" || files="(find failed)"
check "no key, .env file or data in the image${files:+ (found: $files)}" test -z "$files"
libs="$(in_image /usr/bin/ldd /usr/local/bin/atg)" || libs="(ldd failed) $libs"
all_found() { [[ "$1" == *libc.so.6* && "$1" != *"not found"* && "$1" != *failed* ]] || { echo "$1" >&2; return 1; }; }
check "every library atg loads is in the image" all_found "$libs"
loop_err="$(in_image /usr/local/bin/atg-backup-loop 2>&1)" && loop_status=0 || loop_status=$?
usage_error() { [[ $1 -eq 2 && "$2" == *BACKUP_BLOB_CONTAINER_URL* ]]; }
check "the backup job refuses to start without a destination (exit $loop_status)" \
  usage_error "$loop_status" "$loop_err"

# --- a simulated tenant on the host, with the API key in its Key Vault -----------------------
key="$(openssl rand -hex 32)"
"$atg" simulate --port 0 --resources 60 --users 8 --groups 3 --seed 9 --throttle off \
  --kv-secret "api-keys=$key" --env-file "$work/sim.env" >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 100); do [[ -s "$work/sim.env" ]] && break; sleep 0.1; done
[[ -s "$work/sim.env" ]] || { cat "$work/sim.err" >&2; echo "FAILED: the simulator did not start" >&2; exit 1; }
port="$(free_port)"
# The container's environment: the simulator's endpoints and client secret (a real deployment
# uses its managed identity), the vault that holds the API keys, the tenant, HTTPS.
grep '^export ' "$work/sim.env" | sed 's/^export //' >"$work/container.env"
tenant="$(sed -n 's/^AZURE_TENANT_ID=//p' "$work/container.env")"
{
  echo "ATG_TARGET_TENANT_ID=$tenant"
  echo "AZURE_KEY_VAULT_NAME=atg-test"
  echo "ATG_SERVER_PORT=$port"
  echo "ATG_TLS_CERT_FILE=/run/tls/tls.crt"
  echo "ATG_TLS_KEY_FILE=/run/tls/tls.key"
} >>"$work/container.env"
mkdir -p "$work/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
  -keyout "$work/tls/tls.key" -out "$work/tls/tls.crt" 2>/dev/null
chown 1000:1000 "$work/tls/tls.key" "$work/tls/tls.crt"
chmod 0400 "$work/tls/tls.key"

# --- run it as a deployment does ------------------------------------------------------------
podman_cmd volume create "$run_id-data" >/dev/null
podman_cmd run -d --name "$run_id" --network host --read-only --read-only-tmpfs=false \
  --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
  --cap-drop ALL --security-opt no-new-privileges \
  --volume "$run_id-data:/var/lib/atg" --volume "$work/tls:/run/tls:ro" \
  --env-file "$work/container.env" "$image" >/dev/null
base="https://127.0.0.1:$port"
curl_api() { curl --silent --show-error --cacert "$work/tls/tls.crt" --max-time 20 "$@"; }

healthy=0
for _ in $(seq 60); do
  if podman_cmd healthcheck run "$run_id" >/dev/null 2>&1; then healthy=1; break; fi
  if [[ "$(podman_cmd inspect --format '{{.State.Running}}' "$run_id")" != "true" ]]; then break; fi
  sleep 1
done
if [[ $healthy -ne 1 ]]; then
  podman_cmd logs "$run_id" 2>&1 | tail -n 30 >&2
fi
check "the image's HEALTHCHECK passes (HTTPS /health inside the container)" test "$healthy" -eq 1
health="$(curl_api "$base/health" || true)"
check "GET /health over HTTPS from the host says healthy ($health)" grep -q '"status":"healthy"' <<<"$health"

json_field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval("d"+sys.argv[1]))' "$1"; }
wait_job() { # wait_job ID -> prints the final state
  local state=""
  for _ in $(seq 120); do
    state="$(curl_api -H "Authorization: Bearer $key" "$base/api/v1/jobs/$1" | json_field '["status"]' || true)"
    case "$state" in completed | failed | cancelled) break ;; esac
    sleep 1
  done
  echo "$state"
}
scan_id="$(curl_api -X POST -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{}' "$base/api/v1/scan" | json_field '["job_id"]' || true)"
scan_state="$(wait_job "$scan_id")"
check "scan job $scan_id completed ($scan_state)" test "$scan_state" = completed
# A failed job says why: its record (error type and message) and the service's last log lines.
explain_job() {
  curl_api -H "Authorization: Bearer $key" "$base/api/v1/jobs/$1" >&2 || true
  echo >&2
  podman_cmd logs "$run_id" 2>&1 | tail -n 20 >&2
}
[[ "$scan_state" == completed ]] || explain_job "$scan_id"
resources="$(curl_api -H "Authorization: Bearer $key" "$base/api/v1/jobs/$scan_id/result" |
  json_field '["result"]["resources"]' || echo 0)"
check "the scan found the simulated resources ($resources)" test "${resources:-0}" -ge 60

iac_id="$(curl_api -X POST -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"format":"bicep"}' "$base/api/v1/generate-iac" | json_field '["job_id"]' || true)"
iac_state="$(wait_job "$iac_id")"
check "generate-iac job $iac_id completed ($iac_state)" test "$iac_state" = completed
[[ "$iac_state" == completed ]] || explain_job "$iac_id"
curl_api -H "Authorization: Bearer $key" -D "$work/artifact.headers" -o "$work/artifact.tar.gz" \
  "$base/api/v1/jobs/$iac_id/artifacts" || true
etag="$(sed -n 's/^[Ee][Tt][Aa][Gg]: *"\([0-9a-f]*\)".*/\1/p' "$work/artifact.headers" | tr -d '\r')"
sum="$(sha256sum "$work/artifact.tar.gz" | cut -d' ' -f1)"
check "the IaC artifact downloads with the announced SHA-256" test -n "$etag" -a "$etag" = "$sum"
check "the IaC artifact holds Bicep" grep -q '\.bicep$' <<<"$(tar -tzf "$work/artifact.tar.gz" 2>/dev/null)"

# --- how it runs ----------------------------------------------------------------------------
check "the service runs as uid 1000" test "$(podman_cmd exec "$run_id" id -u)" = 1000
check "the root filesystem is read-only" fails podman_cmd exec "$run_id" touch /usr/local/probe
data="$(podman_cmd exec "$run_id" ls -A /var/lib/atg)"
check "the service keeps its data under ATG_DATA_DIR ($(tr '\n' ' ' <<<"$data"))" grep -q 'jobs' <<<"$data"
logs="$(podman_cmd logs "$run_id" 2>&1)"
check "the API key never appears in the container's log" fails grep -qF "$key" <<<"$logs"

podman_cmd stop -t 20 "$run_id" >/dev/null
code="$(podman_cmd inspect --format '{{.State.ExitCode}}' "$run_id")"
check "SIGTERM stops the service cleanly (exit code $code)" test "$code" = 0

echo "deploy: container test took $(($(date +%s) - started))s (image build $(cat "$ATG_DEPLOY_DIR/build.seconds") s)"
echo "container: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
