#!/bin/sh
# Runs one UI test headless and isolated: a private session bus
# (dbus-run-session), a private X server (xvfb-run), and a private home with
# its own XDG folders and a file keyring (libsecret's file backend), all in a
# temporary folder removed afterwards.
#
#   run-ui-test.sh TEST [ARGS...]
set -eu

root="$(mktemp -d "${TMPDIR:-/tmp}/dbt-ui-test.XXXXXX")"
trap 'rm -rf "$root"' EXIT INT TERM

export HOME="$root/home"
export XDG_CONFIG_HOME="$root/config"
export XDG_DATA_HOME="$root/data"
export XDG_STATE_HOME="$root/state"
export XDG_CACHE_HOME="$root/cache"
export XDG_RUNTIME_DIR="$root/runtime"
# A stack provisioned by tests/with-provisioned-stack.sh is kept.
export DBT_STACK_DIR="${DBT_STACK_DIR:-$root/stack}"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME" \
         "$XDG_RUNTIME_DIR" "$DBT_STACK_DIR" "$root/keyring"
chmod 700 "$XDG_RUNTIME_DIR"

# libsecret 0.20: SECRET_BACKEND=file stores secrets encrypted in this file.
export SECRET_BACKEND=file
export SECRET_FILE_TEST_PATH="$root/keyring/test.keyring"
export SECRET_FILE_TEST_PASSWORD="dbt-ui-test-keyring-password"
export DBT_UI_TEST_ROOT="$root"

export GSK_RENDERER="${GSK_RENDERER:-cairo}"
export NO_AT_BRIDGE=1
# GTK 4 talks to the accessibility bus itself; headless, nobody listens.
export GTK_A11Y=none
export GDK_BACKEND=x11

rc=0
# -a searches a free display from -n on; starting from a number of our own
# keeps tests started together from racing for the same one.
dbus-run-session -- xvfb-run -a -n $((99 + $$ % 400)) -s "-screen 0 1280x1024x24 -nolisten tcp" "$@" || rc=$?
exit $rc
