#!/usr/bin/env bash
# Shared by deploy.sh, rollback.sh and restore.sh: argument checks, the dry-run aware command
# runner, the deployment of main.bicep, the health wait and the smoke tests. Source it after
# `set -euo pipefail`.
#
# In a dry run every az command (and the health and smoke commands) is printed, one per line,
# prefixed with "+ ", exactly as it would run, and nothing is executed; values that only a real
# run can know (deployment outputs) appear as <name>.

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
infra_dir="$(cd "$script_dir/.." && pwd)"
repo_dir="$(cd "$infra_dir/.." && pwd)"
DRY_RUN=0
# Dry-run lines go to the script's own stdout (fd 3) even from inside $(...).
exec 3>&1
RESOURCE_GROUP="${RESOURCE_GROUP:-atg-infrastructure}"
ENVIRONMENT=""

die_usage() {
  echo "$(basename "$0"): $1" >&2
  echo "run '$(basename "$0") --help' for the options" >&2
  exit 2
}
die() {
  echo "$(basename "$0"): $1" >&2
  exit 1
}
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

check_environment() {
  case "$1" in
    dev | integration | prod) ;;
    "") die_usage "--environment is required (dev, integration or prod)" ;;
    *) die_usage "--environment must be dev, integration or prod, not '$1'" ;;
  esac
}

# An image tag as registries accept it: letters, digits, '_', '.', '-', at most 128.
check_tag() {
  [[ "$1" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] ||
    die_usage "'$1' is not a valid image tag (letters, digits, _ . -; at most 128 characters)"
}

# run CMD...: runs it, or prints it in a dry run.
run() {
  if [[ $DRY_RUN -eq 1 ]]; then
    {
      printf '+'
      printf ' %q' "$@"
      printf '\n'
    } >&3
    return 0
  fi
  "$@"
}

# capture NAME CMD...: prints CMD's stdout (trimmed), or in a dry run prints the command and
# then <NAME> as the value it stands for.
capture() {
  local name="$1"
  shift
  if [[ $DRY_RUN -eq 1 ]]; then
    run "$@"
    echo "<$name>"
    return 0
  fi
  local out
  out="$("$@")"
  echo "${out//[$'\r\n']/}"
}

parameters_file() { echo "$infra_dir/parameters/$ENVIRONMENT.json"; }

# deploy_template NAME [KEY=VALUE...]: one deployment of main.bicep with the environment's
# parameter file and the given overrides.
deploy_template() {
  local name="$1"
  shift
  run az deployment group create \
    --resource-group "$RESOURCE_GROUP" \
    --name "$name" \
    --template-file "$infra_dir/main.bicep" \
    --parameters "@$(parameters_file)" \
    --parameters "$@" \
    --output none
}

# deployment_output DEPLOYMENT OUTPUT: one output value of a finished deployment.
deployment_output() {
  capture "$2" az deployment group show \
    --resource-group "$RESOURCE_GROUP" --name "$1" \
    --query "properties.outputs.$2.value" --output tsv
}

# The deployment that is live: the newest successful one of this environment.
current_deployment() {
  capture current-deployment az deployment group list \
    --resource-group "$RESOURCE_GROUP" \
    --query "sort_by([?starts_with(name, 'atg-$ENVIRONMENT-') && properties.provisioningState=='Succeeded' && properties.outputs.containerGroupFqdn.value != ''], &properties.timestamp)[-1].name" \
    --output tsv
}

# wait_healthy URL: GET URL/health until it answers 200 (30 tries, 10 s apart).
wait_healthy() {
  local url="$1"
  local ca_args=()
  if [[ -n "${SMOKE_CA_FILE:-}" ]]; then ca_args=(--cacert "$SMOKE_CA_FILE"); fi
  if [[ $DRY_RUN -eq 1 ]]; then
    run curl --fail --silent --show-error --max-time 10 "${ca_args[@]}" "$url/health"
    return 0
  fi
  local attempt
  for attempt in $(seq 1 30); do
    if curl --fail --silent --show-error --max-time 10 "${ca_args[@]}" "$url/health" >/dev/null; then
      log "healthy: $url/health"
      return 0
    fi
    log "waiting for $url/health ($attempt/30)"
    sleep 10
  done
  echo "$(basename "$0"): $url/health did not answer 200 within 5 minutes" >&2
  return 1
}

# smoke_tests URL VAULT: tests/smoke against the service, with API_KEY from the environment or
# the vault's secret smoke-api-key (one of the keys in api-keys).
smoke_tests() {
  local url="$1" vault="$2" key="${API_KEY:-}"
  if [[ -z "$key" ]]; then
    key="$(capture smoke-api-key az keyvault secret show --vault-name "$vault" --name smoke-api-key \
      --query value --output tsv)"
  fi
  if [[ $DRY_RUN -eq 1 ]]; then
    echo "+ SERVICE_URL=$url API_KEY=<smoke-api-key> python3 -m pytest $repo_dir/tests/smoke -q" >&3
    return 0
  fi
  SERVICE_URL="$url" API_KEY="$key" python3 -m pytest "$repo_dir/tests/smoke" -q
}

# wait_restored GROUP: waits until the backup container of GROUP logged the end of the restore
# it was asked for (BACKUP_RESTORE_URL; atg-backup-loop); fails on "restore failed".
wait_restored() {
  local group="$1" logs attempt
  if [[ $DRY_RUN -eq 1 ]]; then
    run az container logs --resource-group "$RESOURCE_GROUP" --name "$group" --container-name atg-backup
    return 0
  fi
  for attempt in $(seq 1 60); do
    logs="$(az container logs --resource-group "$RESOURCE_GROUP" --name "$group" --container-name atg-backup 2>/dev/null || true)"
    if grep -q '"restore completed"\|restore of this archive already done' <<<"$logs"; then
      log "restore completed"
      return 0
    fi
    if grep -q 'restore failed' <<<"$logs"; then
      grep 'restore' <<<"$logs" >&2
      echo "$(basename "$0"): the restore failed; the service keeps the graph it had" >&2
      return 1
    fi
    log "waiting for the restore to finish ($attempt/60)"
    sleep 10
  done
  echo "$(basename "$0"): no end of the restore in the atg-backup log after 10 minutes" >&2
  return 1
}
