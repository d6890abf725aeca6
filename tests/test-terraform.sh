#!/usr/bin/env bash
# terraform/: formatted, valid, rejects bad variables, and applies to a
# private local stack (build-aux/terraform-local.sh) creating what the
# pipeline needs — checked with boto3 by tests/terraform_check.py — then
# plans no changes on a second run and destroys everything. TAP output; the
# plan line comes last. Apply and destroy times are printed as comments.
set -uo pipefail

top="${DBT_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}"
tf_dir="$top/terraform"
stack="$top/build-aux/local-stack"
tf_local="$top/build-aux/terraform-local.sh"
checker="$top/tests/terraform_check.py"

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
verdict() { if [ "$1" = 0 ]; then ok "$2"; else not_ok "$2"; fi; }
# Indents a command's output as TAP comments.
diag() { sed 's/^/#   /'; }
finish() { echo "1..$n"; exit 0; }
# Numbers the unnumbered TAP lines of tests/terraform_check.py.
relay_checks() {
  local line
  while IFS= read -r line; do
    case "$line" in
      "ok - "*) ok "${line#ok - }" ;;
      "not ok - "*) not_ok "${line#not ok - }" ;;
      *) echo "$line" ;;
    esac
  done
}

if ! command -v terraform >/dev/null; then
  echo "1..0 # SKIP terraform not installed (build-aux/tools.sh check)"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/dbt-tf-test.XXXXXX")"
dir="$work/stack"
mkdir -p "$dir"
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  "$stack" stop --dir "$dir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

export TF_CLI_CONFIG_FILE
TF_CLI_CONFIG_FILE="$("$top/build-aux/terraform-config.sh")"
export TF_IN_AUTOMATION=1 TF_INPUT=0

# --- static checks -----------------------------------------------------------

out="$(terraform -chdir="$tf_dir" fmt -check -recursive -diff 2>&1)"
verdict $? "terraform fmt -check -recursive"
[ -z "$out" ] || echo "$out" | diag

# Its own data dir, and the committed lock file left as it is.
out="$(TF_DATA_DIR="$work/validate" terraform -chdir="$tf_dir" init -backend=false -lockfile=readonly -input=false 2>&1 &&
       TF_DATA_DIR="$work/validate" terraform -chdir="$tf_dir" validate -no-color 2>&1)"
rc=$?
verdict $rc "terraform init -backend=false && terraform validate"
[ $rc = 0 ] || echo "$out" | diag

# --- apply to a private stack ------------------------------------------------

if ! "$stack" start --dir "$dir" >"$work/stack.log" 2>&1; then
  not_ok "local stack started"
  diag <"$work/stack.log"
  finish
fi
set -a
# shellcheck disable=SC1091  # written by build-aux/local-stack
. "$dir/stack.env"
set +a
ok "local stack started ($AWS_ENDPOINT_URL)"

# No handler zip yet: the script deploys its placeholder; --zip is what the
# console and later builds pass. Use a test zip so the test never depends on
# a build tree.
zip="$work/handler.zip"
python3 - "$zip" <<'PY'
import sys, zipfile
info = zipfile.ZipInfo("bootstrap", date_time=(2020, 1, 1, 0, 0, 0))
info.external_attr = 0o100755 << 16
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr(info, "#!/bin/sh\necho test handler >&2\nexit 1\n")
PY

start=$(date +%s.%N)
"$tf_local" apply --dir "$dir" --zip "$zip" >"$work/apply.log" 2>&1
rc=$?
apply_s=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)")
resources=$(grep -o 'Resources: [0-9]* added' "$work/apply.log" | grep -o '[0-9]*' || echo "?")
verdict $rc "build-aux/terraform-local.sh apply ($resources resources)"
echo "# apply: ${apply_s} s, $resources resources"
if [ $rc != 0 ]; then tail -n 40 "$work/apply.log" | diag; finish; fi

outputs="$dir/terraform-outputs.json"
python3 -c "import json,sys; json.load(open(sys.argv[1]))['table_name']['value']" "$outputs" 2>/dev/null
verdict $? "outputs written as JSON to <stack dir>/terraform-outputs.json"

# Bad variables are refused before anything is touched; one plan reports
# every invalid variable at once.
bad_vars=(batch_size=0 maximum_batching_window_in_seconds=301 lambda_memory_mb=64
          lambda_timeout_seconds=901 log_retention_days=2 'owners={carol=["not-an-email"]}'
          'name=no spaces' 'table_hash_key={name="id",type="X"}' ops_email=ops)
args=()
for bad in "${bad_vars[@]}"; do args+=(-var "$bad"); done
out="$("$tf_local" plan --dir "$dir" --zip "$zip" -- -no-color "${args[@]}" 2>&1)"
rc=$?
for bad in "${bad_vars[@]}"; do
  if [ $rc = 1 ] && echo "$out" | grep -q "Invalid value for variable" &&
     echo "$out" | grep -qF "var.${bad%%=*}"; then
    ok "refuses $bad"
  else
    not_ok "refuses $bad (plan exited $rc)"
  fi
done
[ $rc = 1 ] || echo "$out" | tail -n 20 | diag

# What Terraform resolved from local.tfvars: the values the checks expect.
expected="$work/expected.json"
echo 'jsonencode({ tags = var.tags, owners = var.owners, owner_attribute = var.owner_attribute,
  ignored_attributes = var.ignored_attributes, notification_ttl_days = var.notification_ttl_days,
  table_hash_key = var.table_hash_key, lambda_memory_mb = var.lambda_memory_mb,
  lambda_timeout_seconds = var.lambda_timeout_seconds, log_retention_days = var.log_retention_days,
  batch_size = var.batch_size, maximum_batching_window_in_seconds = var.maximum_batching_window_in_seconds,
  maximum_retry_attempts = var.maximum_retry_attempts,
  maximum_record_age_in_seconds = var.maximum_record_age_in_seconds, ops_email = var.ops_email })' |
  tr -d '\n' |
  TF_DATA_DIR="$dir/terraform/.terraform" terraform -chdir="$dir/terraform" console \
    -var-file="$tf_dir/environments/local.tfvars" -var "endpoint_url=$AWS_ENDPOINT_URL" \
    -var "handler_zip=$zip" 2>"$work/console.err" |
  python3 -c "import json,sys; doc = json.loads(sys.stdin.read()); json.loads(doc); print(doc)" \
    >"$expected" 2>>"$work/console.err"
if [ -s "$expected" ]; then
  relay_checks < <(python3 "$checker" applied "$outputs" "$expected" "$zip" 2>&1)
else
  not_ok "read the expected values from local.tfvars (terraform console)"
  diag <"$work/console.err"
fi

# A second run changes nothing: the configuration and what the provider
# reads back from the emulator agree.
"$tf_local" plan --dir "$dir" --zip "$zip" -- -no-color >"$work/plan.log" 2>&1
rc=$?
verdict $rc "a second plan shows no changes (exit $rc)"
[ $rc = 0 ] || grep -E '^\s*[-+~]|will be|must be' "$work/plan.log" | head -n 30 | diag

# Without a built handler the script falls back to its placeholder and says
# so; applying it redeploys the function's code from the new object.
export DBT_HANDLER_ZIP="$work/not-built.zip"
"$tf_local" apply --dir "$dir" -- -no-color >"$work/redeploy.log" 2>&1
rc=$?
if [ $rc = 0 ] && grep -q "PLACEHOLDER" "$work/redeploy.log" &&
   grep -q "Resources: 1 added, 1 changed, 1 destroyed" "$work/redeploy.log"; then
  ok "no handler zip: the placeholder is announced and deployed (new object, function updated, old object removed)"
else
  not_ok "no handler zip: the placeholder is announced and deployed (apply exited $rc)"
  tail -n 20 "$work/redeploy.log" | diag
fi
python3 - "$dir/terraform-outputs.json" "$dir/placeholder-handler.zip" <<'PY' 2>&1 | diag
import base64, hashlib, json, sys, boto3
out = {k: v["value"] for k, v in json.load(open(sys.argv[1])).items()}
sha = base64.b64encode(hashlib.sha256(open(sys.argv[2], "rb").read()).digest()).decode()
code = boto3.client("lambda").get_function(FunctionName=out["function_name"])["Configuration"]["CodeSha256"]
keys = [o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket=out["code_bucket"]).get("Contents", [])]
assert code == sha == out["handler_code_sha256"], (code, sha, out["handler_code_sha256"])
assert keys == [out["handler_s3_key"]], keys
PY
verdict "${PIPESTATUS[0]}" "the function runs the placeholder's code, the only zip in the bucket"
mkdir -p "$work/placeholder"
( cd "$work/placeholder" && python3 -m zipfile -e "$dir/placeholder-handler.zip" . ) &&
  chmod +x "$work/placeholder/bootstrap" 2>/dev/null
env -i "$work/placeholder/bootstrap" >/dev/null 2>"$work/placeholder.err"
rc=$?
if [ $rc = 1 ] && grep -q placeholder "$work/placeholder.err" &&
   python3 -c "import sys,zipfile; i = zipfile.ZipFile(sys.argv[1]).getinfo('bootstrap'); sys.exit(0 if (i.external_attr >> 16) & 0o111 else 1)" "$dir/placeholder-handler.zip"; then
  ok "the placeholder's bootstrap is executable in the zip and exits 1"
else
  not_ok "the placeholder's bootstrap is executable in the zip and exits 1 (exit $rc)"
fi

# --- destroy -----------------------------------------------------------------

cp "$outputs" "$work/outputs.json"
start=$(date +%s.%N)
"$tf_local" destroy --dir "$dir" >"$work/destroy.log" 2>&1
rc=$?
destroy_s=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)")
destroyed=$(grep -o 'Resources: [0-9]* destroyed' "$work/destroy.log" | grep -o '[0-9]*' || echo "?")
verdict $rc "build-aux/terraform-local.sh destroy ($destroyed resources)"
echo "# destroy: ${destroy_s} s, $destroyed resources"
[ $rc = 0 ] || tail -n 40 "$work/destroy.log" | diag
[ ! -e "$outputs" ]
verdict $? "destroy removes terraform-outputs.json"

relay_checks < <(python3 "$checker" destroyed "$work/outputs.json" 2>&1)

finish
