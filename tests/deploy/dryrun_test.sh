#!/usr/bin/env bash
# deploy.sh, rollback.sh and restore.sh: for every environment, --dry-run prints the az
# commands it would run (and runs none: an `az` on PATH that records any call must stay
# unused), and wrong arguments end with exit status 2 and a message naming what is wrong.
# Prints `dryrun: N passed, N failed`.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
scripts="$root/infrastructure/scripts"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
cat >"$work/bin/az" <<STUB
#!/bin/sh
echo "az \$*" >>"$work/az-called"
exit 1
STUB
chmod +x "$work/bin/az"
export PATH="$work/bin:$PATH"
tenant=11111111-2222-3333-4444-555555555555
passed=0
failed=0
expect() { # expect WHAT PATTERN FILE
  if grep -qE -- "$2" "$3"; then passed=$((passed + 1)); else
    echo "FAILED: $1: no line matching '$2' in:" >&2
    sed 's/^/  /' "$3" >&2
    failed=$((failed + 1))
  fi
}
runs() { # runs WHAT EXPECTED_STATUS CMD... (output in $work/out)
  local want="$2" what="$1" status=0
  shift 2
  "$@" >"$work/out" 2>&1 || status=$?
  if [[ $status -eq $want ]]; then passed=$((passed + 1)); else
    echo "FAILED: $what: exit status $status, expected $want" >&2
    sed 's/^/  /' "$work/out" >&2
    failed=$((failed + 1))
  fi
}

for script in deploy.sh rollback.sh restore.sh; do
  runs "$script uses set -euo pipefail" 0 grep -q '^set -euo pipefail' "$scripts/$script"
done

for env in dev integration prod; do
  runs "deploy.sh --dry-run ($env)" 0 "$scripts/deploy.sh" --environment "$env" \
    --image-tag "$env-0123456789ab" --target-tenant-id "$tenant" --admin-ip 203.0.113.7 --dry-run
  expect "deploy $env: foundation" "^\+ az deployment group create .*parameters/$env\.json.* deployContainers=false" "$work/out"
  expect "deploy $env: secrets from files" "^\+ az keyvault secret set .*--name neo4j-password --file " "$work/out"
  expect "deploy $env: the image" "^\+ az deployment group create .*imageTag=$env-0123456789ab .*deployContainers=true" "$work/out"
  expect "deploy $env: admin address" "adminIpRanges=.*203\.0\.113\.7" "$work/out"
  expect "deploy $env: health wait" "^\+ curl .*/health" "$work/out"
  expect "deploy $env: smoke tests" "^\+ SERVICE_URL=.* python3 -m pytest .*tests/smoke" "$work/out"

  runs "deploy.sh --restore-backup --dry-run ($env)" 0 "$scripts/deploy.sh" --environment "$env" \
    --target-tenant-id "$tenant" --restore-backup atg-backup-20260101T020000Z.tar.zst --dry-run
  expect "deploy $env: restore url" "restoreBackupUrl=.*backups.*/atg-backup-20260101T020000Z\.tar\.zst" "$work/out"
  expect "deploy $env: waits for the restore" "^\+ az container logs .*--container-name atg-backup" "$work/out"

  runs "rollback.sh --version previous --dry-run ($env)" 0 "$scripts/rollback.sh" \
    --environment "$env" --version previous --target-tenant-id "$tenant" --dry-run
  expect "rollback $env: running image" "^\+ az container show .*--name atg-service-$env" "$work/out"
  expect "rollback $env: deployment history" "^\+ az deployment group list " "$work/out"
  expect "rollback $env: redeploy" "^\+ az deployment group create .*parameters/$env\.json" "$work/out"
  runs "rollback.sh --version TAG --dry-run ($env)" 0 "$scripts/rollback.sh" \
    --environment "$env" --version "$env-abc" --target-tenant-id "$tenant" --dry-run
  expect "rollback $env: the tag" "^\+ az deployment group create .*imageTag=$env-abc " "$work/out"

  runs "restore.sh --dry-run ($env)" 0 "$scripts/restore.sh" --environment "$env" \
    --target-tenant-id "$tenant" --dry-run
  expect "restore $env: newest backup" "^\+ az storage blob list .*--container-name backups" "$work/out"
  expect "restore $env: redeploy with the backup" "^\+ az deployment group create .*restoreBackupUrl=" "$work/out"
done
if [[ -e "$work/az-called" ]]; then
  echo "FAILED: a dry run called az: $(cat "$work/az-called")" >&2
  failed=$((failed + 1))
else
  passed=$((passed + 1))
fi

# Usage errors: status 2, and the message says what is wrong.
runs "deploy.sh without --environment" 2 "$scripts/deploy.sh" --dry-run --target-tenant-id "$tenant"
expect "names --environment" "--environment is required" "$work/out"
runs "deploy.sh --environment qa" 2 "$scripts/deploy.sh" --environment qa --dry-run --target-tenant-id "$tenant"
expect "names the bad environment" "must be dev, integration or prod, not 'qa'" "$work/out"
runs "deploy.sh with a bad tag" 2 "$scripts/deploy.sh" --environment dev --image-tag 'a b' --dry-run --target-tenant-id "$tenant"
expect "names the bad tag" "not a valid image tag" "$work/out"
runs "deploy.sh without a tenant" 2 env -u TARGET_TENANT_ID "$scripts/deploy.sh" --environment dev --dry-run
expect "names the tenant" "target tenant is required" "$work/out"
runs "deploy.sh with an unknown option" 2 "$scripts/deploy.sh" --environment dev --frobnicate
expect "names the option" "unknown option '--frobnicate'" "$work/out"
runs "deploy.sh --image-tag without a value" 2 "$scripts/deploy.sh" --environment dev --image-tag
expect "names the option" "--image-tag needs a value" "$work/out"
runs "rollback.sh without --version" 2 "$scripts/rollback.sh" --environment dev --dry-run --target-tenant-id "$tenant"
expect "names --version" "--version is required" "$work/out"
runs "restore.sh with a bad backup name" 2 "$scripts/restore.sh" --environment dev --backup '../x' --dry-run --target-tenant-id "$tenant"
expect "names the backup" "--backup must be latest or a backup name" "$work/out"
runs "deploy.sh --help" 0 "$scripts/deploy.sh" --help
expect "help lists --restore-backup" "--restore-backup" "$work/out"

echo "dryrun: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
