#!/usr/bin/env bash
# Applies or destroys terraform/ against a running local stack.
#
#   terraform-local.sh apply   [--dir STACK_DIR] [--zip PATH] [-- TERRAFORM ARGS...]
#   terraform-local.sh destroy [--dir STACK_DIR] [--zip PATH] [-- TERRAFORM ARGS...]
#   terraform-local.sh plan    [--dir STACK_DIR] [--zip PATH] [-- TERRAFORM ARGS...]
#   terraform-local.sh output  [--dir STACK_DIR]
#
# STACK_DIR is the local stack's directory (build-aux/local-stack; default
# $DBT_STACK_DIR, else $XDG_STATE_HOME/dbtrigger/local-stack). Everything
# Terraform keeps for that stack lives there: its state
# (STACK_DIR/terraform.tfstate) and a working root (STACK_DIR/terraform/:
# links to terraform/*.tf plus a local backend naming that state, and
# Terraform's data dir), so stacks side by side never share state and
# terraform/ itself stays free of state. After apply the outputs are
# written as JSON to STACK_DIR/terraform-outputs.json (terraform output
# -json: {"<name>": {"value": ..., "type": ..., "sensitive": ...}}), which
# the console and the local runner read; destroy removes that file.
#
# The handler zip: --zip PATH, else build/handler/dbtrigger-handler.zip (or
# $DBT_HANDLER_ZIP). When none exists yet a placeholder zip is made in
# STACK_DIR (a bootstrap that exits 1) so the infrastructure can still be
# applied; every invocation of it fails until a real zip is deployed.
#
# Arguments after -- go to terraform (e.g. -var name=value, -no-color). plan
# runs terraform plan -detailed-exitcode and exits with its status: 0 no
# changes, 2 changes, 1 error.
#
# The emulator keeps everything in memory: when the state was written
# against another server (the stack was restarted since), it describes
# resources that no longer exist, so it is set aside as terraform.tfstate.stale
# and apply starts afresh.
set -euo pipefail

top="$(cd "$(dirname "$0")/.." && pwd)"
tf_dir="$top/terraform"

die() { echo "terraform-local: $*" >&2; exit 1; }
say() { echo "terraform-local: $*" >&2; }

cmd="${1:-}"; shift || true
dir="${DBT_STACK_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/dbtrigger/local-stack}"
zip=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; extra=("$@"); break ;;
    --dir) [ $# -ge 2 ] || die "--dir needs a value"; dir="$2"; shift 2 ;;
    --zip) [ $# -ge 2 ] || die "--zip needs a value"; zip="$2"; shift 2 ;;
    *) die "unknown argument: $1 (usage: $0 apply|destroy|output [--dir STACK_DIR] [--zip PATH])" ;;
  esac
done
case "$cmd" in
  apply|destroy|plan|output) ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2 ;;
esac

command -v terraform >/dev/null || die "terraform not found (run build-aux/tools.sh check)"
dir="$(cd "$dir" 2>/dev/null && pwd)" || die "no stack directory $dir (start one with build-aux/local-stack start --dir DIR)"
[ -f "$dir/stack.env" ] || die "no $dir/stack.env: the local stack is not running"

set -a
# shellcheck disable=SC1091
. "$dir/stack.env"
set +a
[ -n "${AWS_ENDPOINT_URL:-}" ] || die "$dir/stack.env sets no AWS_ENDPOINT_URL"

# One Terraform run per stack at a time (the working root is rewritten).
exec 9>"$dir/terraform.run.lock"
flock 9

# The project's CLI config (provider mirror), copied into the stack so a
# concurrent rewrite of the shared file is never read half-written.
cli_config() {
  local _
  for _ in 1 2 3; do
    cp "$("$top/build-aux/terraform-config.sh")" "$dir/terraform.rc.tmp"
    if grep -q provider_installation "$dir/terraform.rc.tmp"; then
      mv "$dir/terraform.rc.tmp" "$dir/terraform.rc"
      return 0
    fi
    sleep 0.2
  done
  die "could not write the Terraform CLI config (build-aux/terraform-config.sh)"
}
cli_config
export TF_CLI_CONFIG_FILE="$dir/terraform.rc"
root="$dir/terraform"
export TF_DATA_DIR="$root/.terraform"
export TF_IN_AUTOMATION=1
export TF_INPUT=0
state="$dir/terraform.tfstate"
outputs="$dir/terraform-outputs.json"
# Which server the state describes: its address and process.
server_stamp="$AWS_ENDPOINT_URL pid=$(cat "$dir/moto.pid" 2>/dev/null || echo unknown)"

# The placeholder lets the infrastructure exist before the handler is built.
placeholder_zip() {
  local out="$dir/placeholder-handler.zip"
  python3 - "$out" <<'PY'
import sys, zipfile
script = (
    "#!/bin/sh\n"
    "# Placeholder written by build-aux/terraform-local.sh: the real handler\n"
    "# zip (build/handler/dbtrigger-handler.zip) was not built yet.\n"
    "echo 'dbtrigger: placeholder handler, build and deploy the real zip' >&2\n"
    "exit 1\n"
)
info = zipfile.ZipInfo("bootstrap", date_time=(2020, 1, 1, 0, 0, 0))
info.external_attr = 0o100755 << 16
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(info, script)
PY
  echo "$out"
}

resolve_zip() {
  if [ -n "$zip" ]; then
    [ -f "$zip" ] || die "--zip $zip: no such file"
  else
    zip="${DBT_HANDLER_ZIP:-$top/build/handler/dbtrigger-handler.zip}"
    if [ ! -f "$zip" ]; then
      say "no handler zip at $zip; deploying a PLACEHOLDER handler (a bootstrap that exits 1)."
      say "build the handler and re-run with --zip PATH to deploy the real one."
      zip="$(placeholder_zip)"
    fi
  fi
  zip="$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")"
}

tf() { terraform -chdir="$root" "$@"; }

# The stack's working root: the configuration linked in afresh each run (so
# added or removed files are picked up), the project's provider lock file,
# and a local backend whose state lives in STACK_DIR.
init() {
  mkdir -p "$root"
  find "$root" -maxdepth 1 -name '*.tf' -delete
  local f
  for f in "$tf_dir"/*.tf; do ln -s "$f" "$root/"; done
  if [ -f "$tf_dir/.terraform.lock.hcl" ]; then cp "$tf_dir/.terraform.lock.hcl" "$root/"; fi
  cat >"$root/zz_local_backend.tf" <<TF
# Written by build-aux/terraform-local.sh: this stack's state.
terraform {
  backend "local" {
    path = "$state"
  }
}
TF
  tf init -input=false -reconfigure >"$dir/terraform-init.log" 2>&1 ||
    { cat "$dir/terraform-init.log" >&2; die "terraform init failed"; }
}

write_outputs() {
  local tmp="$outputs.tmp"
  tf output -json >"$tmp"
  mv "$tmp" "$outputs"
  say "outputs written to $outputs"
}

# Sets the state aside when it describes another server's resources.
check_server() {
  if [ -f "$state" ] && [ "$(cat "$dir/terraform.server" 2>/dev/null)" != "$server_stamp" ]; then
    say "state was written against another server (the stack restarted); starting afresh"
    mv "$state" "$state.stale"
  fi
}

vars=(
  -var-file="$tf_dir/environments/local.tfvars"
  -var "endpoint_url=$AWS_ENDPOINT_URL"
)

case "$cmd" in
  apply)
    resolve_zip
    say "applying terraform/ to $AWS_ENDPOINT_URL (state $state, handler $zip)"
    check_server
    init
    echo "$server_stamp" >"$dir/terraform.server"
    tf apply -auto-approve -input=false "${vars[@]}" -var "handler_zip=$zip" "${extra[@]}"
    write_outputs
    ;;
  destroy)
    check_server
    [ -f "$state" ] || { say "nothing to destroy (no $state)"; rm -f "$outputs"; exit 0; }
    # destroy evaluates the configuration too, so it needs some zip; the one
    # deployed is not needed to delete it.
    if [ -z "$zip" ] && [ ! -f "${DBT_HANDLER_ZIP:-$top/build/handler/dbtrigger-handler.zip}" ]; then
      zip="$(placeholder_zip)"
    fi
    resolve_zip
    say "destroying what terraform/ created at $AWS_ENDPOINT_URL (state $state)"
    init
    tf destroy -auto-approve -input=false "${vars[@]}" -var "handler_zip=$zip" "${extra[@]}"
    rm -f "$outputs"
    ;;
  plan)
    check_server
    resolve_zip
    init
    set +e
    tf plan -detailed-exitcode -input=false -lock=false "${vars[@]}" -var "handler_zip=$zip" "${extra[@]}"
    exit $?
    ;;
  output)
    [ -f "$state" ] || die "no $state: apply first"
    init
    write_outputs
    cat "$outputs"
    ;;
esac
