#!/usr/bin/env bash
# Deploys one environment of the ATG service (deployment document §2, §6.2 scenario 3):
#   1. the foundation (network, storage, Key Vault, identity, monitoring) without containers;
#   2. the runtime secrets the vault lacks, generated here and never printed (neo4j-password,
#      metrics-api-key, smoke-api-key, api-keys holding both, and for dev a self-signed TLS
#      certificate: integration and prod need tls-cert/tls-key from your CA first);
#   3. the whole template with the image <repository>:<tag> (and, with --restore-backup, the
#      backup to restore once when the containers start);
#   4. waits for GET /health, waits for the restore to finish when one was asked for, and runs
#      the smoke tests (tests/smoke) against the service.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<USAGE
usage: $(basename "$0") --environment dev|integration|prod [options]

  --environment ENV        the environment to deploy (parameters/ENV.json)
  --image-tag TAG          image tag to run (default: ENV; the pipeline passes ENV-<sha>)
  --image-repository REPO  image without tag (default: the parameter file's imageRepository)
  --target-tenant-id ID    tenant the service scans (default: \$TARGET_TENANT_ID)
  --resource-group NAME    resource group (default: \$RESOURCE_GROUP or atg-infrastructure)
  --admin-ip CIDR          address allowed to the vault and storage data planes (repeatable;
                           the machine running this script needs to be one of them)
  --restore-backup [NAME]  restore the graph from a backup in the backups container once the
                           containers start: NAME, or the newest when none is given
  --skip-smoke-tests       only wait for /health
  --dry-run                print the exact az commands instead of running them
  -h, --help               this text
USAGE
}

image_tag=""
image_repository=""
tenant="${TARGET_TENANT_ID:-}"
restore=""
restore_name=""
skip_smoke=0
admin_ips=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --environment) [[ $# -ge 2 ]] || die_usage "--environment needs a value"; ENVIRONMENT="$2"; shift 2 ;;
    --image-tag) [[ $# -ge 2 ]] || die_usage "--image-tag needs a value"; image_tag="$2"; shift 2 ;;
    --image-repository) [[ $# -ge 2 ]] || die_usage "--image-repository needs a value"; image_repository="$2"; shift 2 ;;
    --target-tenant-id) [[ $# -ge 2 ]] || die_usage "--target-tenant-id needs a value"; tenant="$2"; shift 2 ;;
    --resource-group) [[ $# -ge 2 ]] || die_usage "--resource-group needs a value"; RESOURCE_GROUP="$2"; shift 2 ;;
    --admin-ip) [[ $# -ge 2 ]] || die_usage "--admin-ip needs a value"; admin_ips+=("$2"); shift 2 ;;
    --restore-backup)
      restore=1
      if [[ $# -ge 2 && "$2" != --* ]]; then restore_name="$2"; shift; fi
      shift ;;
    --skip-smoke-tests) skip_smoke=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die_usage "unknown option '$1'" ;;
  esac
done
check_environment "$ENVIRONMENT"
image_tag="${image_tag:-$ENVIRONMENT}"
check_tag "$image_tag"
[[ -n "$tenant" ]] || die_usage "the target tenant is required: --target-tenant-id ID or TARGET_TENANT_ID"
[[ "$tenant" =~ ^[0-9a-fA-F-]{36}$ ]] || die_usage "--target-tenant-id must be a tenant GUID, not '$tenant'"
for ip in "${admin_ips[@]}"; do
  [[ "$ip" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}(/[0-9]{1,2})?$ ]] || die_usage "--admin-ip must be an IPv4 address or CIDR, not '$ip'"
done
if [[ -n "$restore_name" && ! "$restore_name" =~ ^atg-backup-[0-9A-Za-z]+\.tar\.zst$ ]]; then
  die_usage "--restore-backup NAME must be a backup name like atg-backup-20260101T020000Z.tar.zst, not '$restore_name'"
fi
[[ $DRY_RUN -eq 1 ]] || command -v az >/dev/null || die "the Azure CLI (az) is required"

overrides=("targetTenantId=$tenant" "imageTag=$image_tag")
[[ -n "$image_repository" ]] && overrides+=("imageRepository=$image_repository")
if [[ ${#admin_ips[@]} -gt 0 ]]; then
  overrides+=("adminIpRanges=$(printf '%s\n' "${admin_ips[@]}" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read().split()))')")
fi
stamp="$(date -u +%Y%m%d%H%M%S)"

# 1. Foundation.
log "deploying the $ENVIRONMENT foundation to $RESOURCE_GROUP"
deploy_template "atg-$ENVIRONMENT-foundation-$stamp" "${overrides[@]}" deployContainers=false
vault="$(deployment_output "atg-$ENVIRONMENT-foundation-$stamp" keyvaultName)"

# 2. Secrets: generated into a private temporary directory, uploaded from files (never on a
# command line), removed on exit.
secrets_dir="$(umask 077 && mktemp -d)"
trap 'rm -rf "$secrets_dir"' EXIT
secret_exists() {
  [[ $DRY_RUN -eq 1 ]] && { run az keyvault secret show --vault-name "$vault" --name "$1" --query id --output tsv; return 1; }
  az keyvault secret show --vault-name "$vault" --name "$1" --query id --output tsv >/dev/null 2>&1
}
put_secret() { # NAME FILE
  run az keyvault secret set --vault-name "$vault" --name "$1" --file "$2" --output none
}
for name in neo4j-password metrics-api-key smoke-api-key; do
  if ! secret_exists "$name"; then
    log "creating the missing secret $name"
    openssl rand -hex 32 >"$secrets_dir/$name"
    put_secret "$name" "$secrets_dir/$name"
  fi
done
# api-keys must hold the collector's and the smoke tests' keys (the service accepts only what is
# in api-keys); a missing one is appended, the others are kept as they are.
if [[ $DRY_RUN -eq 1 ]]; then
  run az keyvault secret show --vault-name "$vault" --name api-keys --query value --output tsv
  put_secret api-keys "$secrets_dir/api-keys"
else
  current="$(az keyvault secret show --vault-name "$vault" --name api-keys --query value --output tsv 2>/dev/null || true)"
  [[ -n "$current" ]] || current="$(openssl rand -hex 32)"
  printf '%s\n' "$current" | tr ',' '\n' | sed '/^[[:space:]]*$/d' >"$secrets_dir/api-keys"
  changed=0
  for name in metrics-api-key smoke-api-key; do
    k="$(az keyvault secret show --vault-name "$vault" --name "$name" --query value --output tsv)"
    if ! grep -qxF "$k" "$secrets_dir/api-keys"; then echo "$k" >>"$secrets_dir/api-keys"; changed=1; fi
  done
  if [[ $changed -eq 1 ]]; then log "updating api-keys"; put_secret api-keys "$secrets_dir/api-keys"; fi
fi
if ! secret_exists tls-cert; then
  if [[ "$ENVIRONMENT" == dev ]]; then
    log "dev: creating a self-signed TLS certificate (replace it with one from your CA)"
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=atg-service-dev" \
      -keyout "$secrets_dir/tls-key" -out "$secrets_dir/tls-cert" 2>/dev/null
    put_secret tls-cert "$secrets_dir/tls-cert"
    put_secret tls-key "$secrets_dir/tls-key"
  else
    msg="the vault $vault has no tls-cert/tls-key: store the certificate chain and key issued for the service's name (docs/operations/runbook.md, TLS) and run again"
    [[ $DRY_RUN -eq 1 ]] || die "$msg"
    log "a real run stops here unless tls-cert exists: $msg"
  fi
fi

# 3. Everything, with the image (and the backup to restore).
restore_url=""
if [[ -n "$restore" ]]; then
  container_url="$(deployment_output "atg-$ENVIRONMENT-foundation-$stamp" backupsContainerUrl)"
  account="$(deployment_output "atg-$ENVIRONMENT-foundation-$stamp" storageAccountName)"
  if [[ -z "$restore_name" ]]; then
    restore_name="$(capture latest-backup az storage blob list --auth-mode login \
      --account-name "$account" --container-name backups \
      --query "sort_by([?starts_with(name, 'atg-backup-')], &properties.creationTime)[-1].name" --output tsv)"
    [[ -n "$restore_name" ]] || die "the backups container of $account holds no backup to restore"
  fi
  restore_url="$container_url/$restore_name"
  log "the containers will restore $restore_name when they start"
fi
name="atg-$ENVIRONMENT-$image_tag-$stamp"
log "deploying $name"
deploy_template "$name" "${overrides[@]}" deployContainers=true "restoreBackupUrl=$restore_url"
url="$(deployment_output "$name" serviceUrl)"
group="$(deployment_output "$name" containerGroupName)"

# 4. Health, restore, smoke tests.
wait_healthy "$url"
if [[ -n "$restore" ]]; then wait_restored "$group"; fi
if [[ $skip_smoke -eq 0 ]]; then smoke_tests "$url" "$vault"; fi
log "deployed $ENVIRONMENT: $url (image tag $image_tag)"
