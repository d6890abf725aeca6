#!/usr/bin/env bash
# End to end on a private local stack: the real handler zip deployed by
# Terraform, dbtrigger-local serving the stream mapping, items written for
# several owners, and every owner's mail checked in the outbox.
#
#   local-stack with -- test-e2e.sh HANDLER_ZIP DBTRIGGER_LOCAL
#
# TAP on stdout (the checks are in test-e2e.py). Skips (exit 77) outside a
# local stack, without terraform or boto3.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/.." && pwd)"
zip="${1:-}"; runner="${2:-}"

skip() { echo "1..0 # SKIP $*"; exit 77; }
[ -n "${DBT_STACK_DIR:-}" ] && [ -n "${AWS_ENDPOINT_URL:-}" ] || skip "run under build-aux/local-stack with"
[ -f "$zip" ] && [ -x "$runner" ] || skip "usage: test-e2e.sh HANDLER_ZIP DBTRIGGER_LOCAL"
command -v terraform >/dev/null || skip "terraform is not installed"
python3 -c 'import boto3' 2>/dev/null || skip "boto3 is not installed"

owners='{alice=["alice@example.com"],bob=["bob@example.com","bob@work.example.com"],carol=["carol@example.com"]}'
started=$(date +%s)
if ! "$top/build-aux/terraform-local.sh" apply --dir "$DBT_STACK_DIR" --zip "$zip" -- -var "owners=$owners" \
     >"$DBT_STACK_DIR/e2e-terraform.log" 2>&1; then
  echo "1..1"
  echo "not ok 1 - terraform apply"
  sed 's/^/#   /' "$DBT_STACK_DIR/e2e-terraform.log" | tail -n 30
  exit 1
fi
echo "# terraform apply: $(( $(date +%s) - started )) s"

# Warnings are logged, not fatal, in the runner; criticals stay fatal.
G_DEBUG=fatal-criticals "$runner" --stack-dir "$DBT_STACK_DIR" --verbose \
  >"$DBT_STACK_DIR/e2e-runner.out" 2>&1 &
runner_pid=$!
trap 'kill -TERM $runner_pid 2>/dev/null; wait $runner_pid 2>/dev/null' EXIT

python3 "$here/test-e2e.py" "$runner_pid"
rc=$?
if [ $rc != 0 ]; then
  echo "# runner.log tail:"; tail -n 40 "$DBT_STACK_DIR/runner.log" | sed 's/^/#   /'
  echo "# handler log tail:"; tail -n 40 "$DBT_STACK_DIR"/logs/*.log 2>/dev/null | sed 's/^/#   /'
fi
exit $rc
