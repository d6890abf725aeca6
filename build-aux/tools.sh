#!/usr/bin/env bash
# The tools dbtrigger uses that are not Debian packages: moto_server (the AWS
# API emulator behind the local stack) and Terraform.
#   tools.sh check   use them where present, else install moto into the
#                    project's virtualenv, else explain in one message
#   tools.sh path    print a PATH prefix that finds them (the virtualenv)
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
venv="$top/.venv"

path_prefix() {
  if [ -x "$venv/bin/moto_server" ]; then printf '%s:' "$venv/bin"; fi
}

case "${1:-check}" in
  path) path_prefix; exit 0 ;;
  check) ;;
  *) echo "usage: $0 check|path" >&2; exit 2 ;;
esac

export PATH="$(path_prefix)$PATH"
status=0

if ! command -v moto_server >/dev/null 2>&1; then
  echo "tools: moto_server not found; installing moto[server] into $venv"
  if python3 -m venv "$venv" && "$venv/bin/pip" install -q 'moto[server]>=5'; then
    echo "tools: moto_server installed in $venv/bin"
  else
    echo "tools: could not install moto. Install it yourself with:" >&2
    echo "         python3 -m venv $venv && $venv/bin/pip install 'moto[server]'" >&2
    status=1
  fi
fi

if ! command -v terraform >/dev/null 2>&1; then
  cat >&2 <<'MSG'
tools: terraform not found. Install Terraform >= 1.5 from HashiCorp's Debian packages:
         wget -O- https://apt.releases.hashicorp.com/gpg | sudo gpg --dearmor -o /usr/share/keyrings/hashicorp.gpg
         echo "deb [signed-by=/usr/share/keyrings/hashicorp.gpg] https://apt.releases.hashicorp.com $(lsb_release -cs) main" | sudo tee /etc/apt/sources.list.d/hashicorp.list
         sudo apt-get update && sudo apt-get install terraform
MSG
  status=1
fi

if [ $status = 0 ]; then
  echo "tools: moto_server $(command -v moto_server), $(terraform version 2>/dev/null | head -n1)"
fi
exit $status
