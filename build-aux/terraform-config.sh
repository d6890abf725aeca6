#!/usr/bin/env bash
# Writes the project's Terraform CLI config and prints its path. It uses the
# machine's filesystem mirror of providers when /opt/tf-plugins exists (no
# network needed), the public registry otherwise. Scripts export
# TF_CLI_CONFIG_FILE to the printed path.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
out="$top/terraform/.terraformrc"
mirror="${DBT_TF_MIRROR:-/opt/tf-plugins}"
mkdir -p "$top/terraform"
# Written to a temporary file and renamed, so a concurrent reader never sees
# it half-written.
tmp="$(mktemp "$out.XXXXXX")"
if [ -d "$mirror" ]; then
  cat > "$tmp" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
RC
else
  cat > "$tmp" <<RC
provider_installation {
  direct {}
}
RC
fi
mv "$tmp" "$out"
echo "$out"
