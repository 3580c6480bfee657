#!/usr/bin/env bash
# The deployment checks, each with the real tool that judges it:
#   ShellCheck  every shell script of the repository
#   yamllint    the workflows and the compose file
#   actionlint  the workflows (with shellcheck on their run: scripts)
#   checkov     the Dockerfile, the workflows and the Bicep templates (findings are fixed or
#               suppressed in place with a reason)
#   tree-sitter-bicep  every .bicep file parses with no error node
#   ajv         the parameter files against the deploymentParameters schema of the fixtures
#   crosscheck.py  environment variables, secrets, parameters and alert metrics against atg
#   dry runs    deploy.sh, rollback.sh and restore.sh --dry-run for each environment, and their
#               usage errors
# Needs the tools of tests/tools (ATG_TOOL_* from build/tools/tools.env) and build/atg.
# Prints `checks: N passed, N failed`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
atg="${ATG_BINARY:-$root/build/atg}"
fixtures="${ATG_FIXTURES_DIR:-$root/../shared/azure-fixtures}"
passed=0
failed=0
log_dir="$(mktemp -d)"
trap 'rm -rf "$log_dir"' EXIT

# step NAME CMD...: runs CMD, its output kept for a failure report.
step() {
  local name="$1"
  shift
  if "$@" >"$log_dir/out" 2>&1; then
    echo "ok: $name"
    passed=$((passed + 1))
  else
    echo "FAILED: $name" >&2
    sed 's/^/  /' "$log_dir/out" | tail -n 60 >&2
    failed=$((failed + 1))
  fi
}
tool() { # tool VAR NAME: the ATG_TOOL_* command, or fail with the install hint
  local value="${!1:-}"
  if [[ -z "$value" ]]; then
    if [[ "${ATG_TEST_SERVICES_OPTIONAL:-0}" == "1" ]]; then echo "SKIPPED: $2 ($1 unset)"; return 1; fi
    echo "FAILED: $1 is not set: run ATG_TOOLS_DIR=build/tools tests/tools/all.sh and source build/tools/tools.env" >&2
    failed=$((failed + 1))
    return 1
  fi
  echo "$value"
}

mapfile -t scripts < <(git ls-files '*.sh' 2>/dev/null || find . -name '*.sh' -not -path './build*')
step "shellcheck (${#scripts[@]} scripts)" shellcheck -x --source-path=SCRIPTDIR "${scripts[@]}"
mapfile -t yamls < <(ls .github/workflows/*.yml docker-compose.yml .yamllint.yml)
step "yamllint (${#yamls[@]} files)" yamllint --strict -c .yamllint.yml "${yamls[@]}"
if actionlint="$(tool ATG_TOOL_ACTIONLINT actionlint)"; then
  step "actionlint" "$actionlint" -color=false -shellcheck=shellcheck .github/workflows/*.yml
fi
if checkov="$(tool ATG_TOOL_CHECKOV checkov)"; then
  # --skip-download: no policy metadata from the network. Findings are suppressed in the files
  # themselves (checkov:skip comments with a reason), except where checkov ignores such comments:
  # CKV_AZURE_43, because the storage account name is take('atgst' + uniqueString(...), 24) in
  # main.bicep, an expression checkov cannot evaluate (its Bicep runner skips no Python check).
  step "checkov Dockerfile" "$checkov" --quiet --compact --skip-download --framework dockerfile -f Dockerfile
  step "checkov workflows" "$checkov" --quiet --compact --skip-download --framework github_actions \
    -d .github/workflows
  step "checkov Bicep" "$checkov" --quiet --compact --skip-download --framework bicep -d infrastructure \
    --skip-check CKV_AZURE_43
fi
if bicep_parse="$(tool ATG_TOOL_BICEP_PARSE tree-sitter-bicep)"; then
  mapfile -t bicep_files < <(find infrastructure -name '*.bicep' | sort)
  step "every .bicep parses (${#bicep_files[@]} files)" "$bicep_parse" "${bicep_files[@]}"
  if composecheck="$(tool ATG_TOOL_COMPOSECHECK composecheck)"; then
    # The cross-check reads Bicep with the same tree-sitter grammar, from the parser's venv.
    bicep_python="$(dirname "$(readlink -f "$bicep_parse")")/venv/bin/python"
    step "environment, secrets, parameters and alert metrics cross-check" \
      "$bicep_python" "$here/crosscheck.py" "$atg" "$composecheck"
  fi
fi
if arm_validate="$(tool ATG_TOOL_ARM_VALIDATE ajv)"; then
  node_modules="$(dirname "$(readlink -f "$arm_validate")")/node_modules"
  step "parameter files against deploymentParameters.json" env NODE_PATH="$node_modules" \
    node "$here/validate_params.js" "$fixtures/arm-template-schemas/2019-04-01_deploymentParameters.json" \
    infrastructure/parameters/*.json
fi
step "deploy.sh, rollback.sh, restore.sh: dry runs and usage errors" "$here/dryrun_test.sh"

echo "checks: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
