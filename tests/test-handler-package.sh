#!/usr/bin/env bash
# The packaged handler zip, unzipped into an empty folder and run as Lambda
# would run it (`env -i ./bootstrap`), against the fake Runtime API
# (tests/fake_runtime_api.py) and a private local stack. The checks are in
# tests/handler_package_check.py; TAP on stdout.
#
#   test-handler-package.sh HANDLER_ZIP [HANDLER_EXECUTABLE]
#
# Given the executable too, it also checks that packaging it again gives
# the same bytes.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/.." && pwd)"
zip="${1:?usage: $0 HANDLER_ZIP [HANDLER_EXECUTABLE]}"
exe="${2:-}"
[ -f "$zip" ] || { echo "Bail out! no handler zip at $zip"; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/dbt-handler-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir "$work/task"
unzip -q "$zip" -d "$work/task"

set -- "$work/task"
if [ -n "$exe" ]; then set -- "$work/task" "$zip" "$exe"; fi
# Not exec: the trap removes the unzipped package afterwards.
"$top/build-aux/local-stack" with -- python3 "$here/handler_package_check.py" "$@"
