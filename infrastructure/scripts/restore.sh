#!/usr/bin/env bash
# Restores one environment's graph (and job metadata) from a backup in its backups container:
# the deployment document's §6.2 scenario 2 (database corruption), scripted. The live template
# is deployed again with restoreBackupUrl set; the backup container (atg-backup-loop) restores
# the archive with `atg restore --blob-url` when it starts, once (a marker under ATG_DATA_DIR
# keeps a restart from repeating it), before its next daily backup. Then it waits for the end of
# the restore, for GET /health, and runs the smoke tests.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<USAGE
usage: $(basename "$0") --environment dev|integration|prod [--backup NAME|latest] [options]

  --environment ENV        the environment to restore
  --backup NAME|latest     the archive in the backups container (default: latest)
  --target-tenant-id ID    tenant the service scans (default: \$TARGET_TENANT_ID)
  --resource-group NAME    resource group (default: \$RESOURCE_GROUP or atg-infrastructure)
  --skip-smoke-tests       only wait for /health
  --dry-run                print the exact az commands instead of running them
  -h, --help               this text
USAGE
}

backup=latest
tenant="${TARGET_TENANT_ID:-}"
skip_smoke=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --environment) [[ $# -ge 2 ]] || die_usage "--environment needs a value"; ENVIRONMENT="$2"; shift 2 ;;
    --backup) [[ $# -ge 2 ]] || die_usage "--backup needs a value"; backup="$2"; shift 2 ;;
    --target-tenant-id) [[ $# -ge 2 ]] || die_usage "--target-tenant-id needs a value"; tenant="$2"; shift 2 ;;
    --resource-group) [[ $# -ge 2 ]] || die_usage "--resource-group needs a value"; RESOURCE_GROUP="$2"; shift 2 ;;
    --skip-smoke-tests) skip_smoke=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die_usage "unknown option '$1'" ;;
  esac
done
check_environment "$ENVIRONMENT"
if [[ "$backup" != latest && ! "$backup" =~ ^atg-backup-[0-9A-Za-z]+\.tar\.zst$ ]]; then
  die_usage "--backup must be latest or a backup name like atg-backup-20260101T020000Z.tar.zst, not '$backup'"
fi
[[ -n "$tenant" ]] || die_usage "the target tenant is required: --target-tenant-id ID or TARGET_TENANT_ID"
[[ "$tenant" =~ ^[0-9a-fA-F-]{36}$ ]] || die_usage "--target-tenant-id must be a tenant GUID, not '$tenant'"
[[ $DRY_RUN -eq 1 ]] || command -v az >/dev/null || die "the Azure CLI (az) is required"

live="$(current_deployment)"
[[ -n "$live" ]] || die "no successful deployment of $ENVIRONMENT in $RESOURCE_GROUP to restore into"
image="$(deployment_output "$live" image)"
account="$(deployment_output "$live" storageAccountName)"
container_url="$(deployment_output "$live" backupsContainerUrl)"
if [[ "$backup" == latest ]]; then
  backup="$(capture latest-backup az storage blob list --auth-mode login \
    --account-name "$account" --container-name backups \
    --query "sort_by([?starts_with(name, 'atg-backup-')], &properties.creationTime)[-1].name" --output tsv)"
  [[ -n "$backup" ]] || die "the backups container of $account holds no backup"
fi
log "restoring $ENVIRONMENT from $backup (image $image)"
name="atg-$ENVIRONMENT-restore-$(date -u +%Y%m%d%H%M%S)"
deploy_template "$name" "targetTenantId=$tenant" "imageTag=${image##*:}" deployContainers=true \
  "restoreBackupUrl=$container_url/$backup"
group="$(deployment_output "$name" containerGroupName)"
url="$(deployment_output "$name" serviceUrl)"
vault="$(deployment_output "$name" keyvaultName)"
wait_restored "$group"
wait_healthy "$url"
if [[ $skip_smoke -eq 0 ]]; then smoke_tests "$url" "$vault"; fi
log "restored $ENVIRONMENT from $backup: $url"
