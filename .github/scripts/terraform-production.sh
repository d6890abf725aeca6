#!/usr/bin/env bash
# The steps deploy.yml and destroy.yml share, run from terraform/:
#
#   terraform-production.sh prepare-backend   an S3 backend block, unless terraform/ has one
#   terraform-production.sh prepare           the same, plus environments/production.tfvars
#                                             written from $PRODUCTION_TFVARS
#   terraform-production.sh init              terraform init against the S3 backend
#
# The backend settings come from the environment (repository variables in
# the workflows): TF_STATE_BUCKET, TF_STATE_KEY (default
# dbtrigger/production.tfstate), TF_LOCK_TABLE, AWS_REGION. None is secret;
# credentials come from the OIDC role the workflow assumed.
set -euo pipefail

die() { echo "::error::$*" >&2; exit 1; }

need() {
  local name
  for name in "$@"; do
    [ -n "${!name:-}" ] || die "repository variable $name is not set (terraform/README.md, Real AWS)"
  done
}

prepare_backend() {
  # terraform/ keeps no backend block so build-aux/terraform-local.sh can add
  # its local one; production adds the S3 backend here, configured by init.
  if ! grep -qs 'backend "s3"' ./*.tf; then
    cat >zz_backend_s3.tf <<'TF'
# Written by .github/scripts/terraform-production.sh (not committed).
terraform {
  backend "s3" {}
}
TF
  fi
}

prepare() {
  prepare_backend
  need PRODUCTION_TFVARS
  umask 077
  printf '%s\n' "$PRODUCTION_TFVARS" >environments/production.tfvars
}

init() {
  need AWS_REGION TF_STATE_BUCKET TF_LOCK_TABLE
  export TF_CLI_CONFIG_FILE
  TF_CLI_CONFIG_FILE="$(../build-aux/terraform-config.sh)"
  terraform init -input=false \
    -backend-config="bucket=$TF_STATE_BUCKET" \
    -backend-config="key=${TF_STATE_KEY:-dbtrigger/production.tfstate}" \
    -backend-config="region=$AWS_REGION" \
    -backend-config="dynamodb_table=$TF_LOCK_TABLE" \
    -backend-config="encrypt=true"
}

case "${1:-}" in
  prepare-backend) prepare_backend ;;
  prepare) prepare ;;
  init) init ;;
  *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
