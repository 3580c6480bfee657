#!/usr/bin/env bash
# Rolls one environment back to an earlier image (deployment document §7.2): redeploys the
# template with that image tag, waits for GET /health and runs the smoke tests.
#   --version previous   the newest image tag of an earlier successful deployment that differs
#                        from the one running now (what the pipeline's automatic rollback uses)
#   --version TAG        that tag (e.g. prod-3f2c1e9)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<USAGE
usage: $(basename "$0") --environment dev|integration|prod --version previous|TAG [options]

  --environment ENV        the environment to roll back
  --version previous|TAG   the image tag to return to
  --target-tenant-id ID    tenant the service scans (default: \$TARGET_TENANT_ID)
  --resource-group NAME    resource group (default: \$RESOURCE_GROUP or atg-infrastructure)
  --skip-smoke-tests       only wait for /health
  --dry-run                print the exact az commands instead of running them
  -h, --help               this text
USAGE
}

version=""
tenant="${TARGET_TENANT_ID:-}"
skip_smoke=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --environment) [[ $# -ge 2 ]] || die_usage "--environment needs a value"; ENVIRONMENT="$2"; shift 2 ;;
    --version) [[ $# -ge 2 ]] || die_usage "--version needs a value"; version="$2"; shift 2 ;;
    --target-tenant-id) [[ $# -ge 2 ]] || die_usage "--target-tenant-id needs a value"; tenant="$2"; shift 2 ;;
    --resource-group) [[ $# -ge 2 ]] || die_usage "--resource-group needs a value"; RESOURCE_GROUP="$2"; shift 2 ;;
    --skip-smoke-tests) skip_smoke=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die_usage "unknown option '$1'" ;;
  esac
done
check_environment "$ENVIRONMENT"
[[ -n "$version" ]] || die_usage "--version is required: previous, or an image tag"
[[ "$version" == previous ]] || check_tag "$version"
[[ -n "$tenant" ]] || die_usage "the target tenant is required: --target-tenant-id ID or TARGET_TENANT_ID"
[[ "$tenant" =~ ^[0-9a-fA-F-]{36}$ ]] || die_usage "--target-tenant-id must be a tenant GUID, not '$tenant'"
[[ $DRY_RUN -eq 1 ]] || command -v az >/dev/null || die "the Azure CLI (az) is required"

group="atg-service-$ENVIRONMENT"
running="$(capture running-image az container show --resource-group "$RESOURCE_GROUP" --name "$group" \
  --query "containers[?name=='atg-api'].image | [0]" --output tsv)"
log "running now: $running"
if [[ "$version" == previous ]]; then
  # The image tags of this environment's successful deployments, newest first; the first that
  # is not the running image's tag is the one to return to.
  tags="$(capture deployed-tags az deployment group list --resource-group "$RESOURCE_GROUP" \
    --query "reverse(sort_by([?starts_with(name, 'atg-$ENVIRONMENT-') && properties.provisioningState=='Succeeded' && properties.parameters.deployContainers.value], &properties.timestamp))[].properties.parameters.imageTag.value" \
    --output tsv)"
  if [[ $DRY_RUN -eq 1 ]]; then
    version="<previous-tag>"
  else
    version="$(awk -v cur="${running##*:}" '$0 != cur { print; exit }' <<<"$tags")"
    [[ -n "$version" ]] || die "no earlier successful deployment of $ENVIRONMENT with another image than $running"
  fi
fi
log "rolling $ENVIRONMENT back to image tag $version"
name="atg-$ENVIRONMENT-$version-rollback-$(date -u +%Y%m%d%H%M%S)"
deploy_template "$name" "targetTenantId=$tenant" "imageTag=$version" deployContainers=true restoreBackupUrl=
url="$(deployment_output "$name" serviceUrl)"
vault="$(deployment_output "$name" keyvaultName)"
wait_healthy "$url"
if [[ $skip_smoke -eq 0 ]]; then smoke_tests "$url" "$vault"; fi
log "rolled back $ENVIRONMENT to $version: $url"
