#!/usr/bin/env bash
# Runs a command against a private, provisioned local stack: moto_server on a
# free loopback port with terraform/ applied to it (environments/local.tfvars),
# so the table, stream, topic, log table, queue, code bucket and function
# exist. The command sees DBT_STACK_DIR (stack.env, terraform-outputs.json)
# and the AWS_* variables. Everything is torn down afterwards.
#
#   with-provisioned-stack.sh [--zip HANDLER_ZIP] -- CMD [ARGS...]
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
zip_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --zip) zip_args=(--zip "$2"); shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "with-provisioned-stack: no command" >&2; exit 2; }

# Runs inside the private stack: provision, then the command.
if [ "${DBT_PROVISIONED_INNER:-}" = 1 ]; then
  unset DBT_PROVISIONED_INNER
  "$top/build-aux/terraform-local.sh" apply --dir "$DBT_STACK_DIR" "${zip_args[@]}" \
    >"$DBT_STACK_DIR/terraform-apply.log" 2>&1 ||
    { tail -n 40 "$DBT_STACK_DIR/terraform-apply.log" >&2; exit 1; }
  exec "$@"
fi
export DBT_PROVISIONED_INNER=1
exec "$top/build-aux/local-stack" with -- "$0" "${zip_args[@]}" -- "$@"
