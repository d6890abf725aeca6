#!/usr/bin/env bash
# The README's run command, as a new user runs it on a machine with no
# display: build-aux/dbt run starts the local stack, applies Terraform,
# starts the local Lambda runner, seeds demo orders and serves the console
# through Broadway on loopback; stopping it stops everything it started.
# TAP output.
set -uo pipefail
top="$DBT_SOURCE_ROOT"
build="$DBT_BUILD_ROOT"
work="$(mktemp -d "${TMPDIR:-/tmp}/dbt-run-test.XXXXXX")"
stack="$work/stack"
log="$work/run.log"
run_pid=""
trap '[ -n "$run_pid" ] && kill -TERM "$run_pid" 2>/dev/null; sleep 2; "$top/build-aux/local-stack" stop --dir "$stack" >/dev/null 2>&1; rm -rf "$work"' EXIT

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; failed=1; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }
failed=0
echo "1..8"

# setsid: its own process group, like a terminal session.
env -u DISPLAY -u WAYLAND_DISPLAY DBT_RUN_SKIP_BUILD=1 BUILD_DIR="$build" DBT_STACK_DIR="$stack" \
  XDG_CONFIG_HOME="$work/config" GSETTINGS_BACKEND=memory GTK_A11Y=none NO_AT_BRIDGE=1 \
  setsid "$top/build-aux/dbt" run >"$log" 2>&1 &
run_pid=$!

url=""
for _ in $(seq 360); do
  url="$(grep -o 'http://127.0.0.1:[0-9]*/' "$log" | tail -n 1)"
  [ -n "$url" ] && break
  kill -0 "$run_pid" 2>/dev/null || break
  sleep 0.5
done
check "the console is served at a loopback address ($url)" '[ -n "$url" ]'
if [ -z "$url" ]; then sed 's/^/# /' "$log"; exit 1; fi

check "Broadway answers with the console's page" 'curl -fs "$url" | grep -qi "<html"'
check "Terraform outputs written for the console" '[ -s "$stack/terraform-outputs.json" ]'
check "the local Lambda runner is running" '[ -f "$stack/runner.pid" ] && kill -0 "$(cat "$stack/runner.pid")"'
check "the console process is running" 'pgrep -f "$build/app/dbtrigger-console" >/dev/null'

# The demo orders went through the pipeline: alice owns three of them.
seen=0
for _ in $(seq 120); do
  seen="$(cat "$stack"/outbox/alice@example.com/*.eml 2>/dev/null | grep -c '^[0-9]*\. INSERT pk=' || true)"
  [ "$seen" -ge 3 ] && break
  sleep 0.5
done
check "alice's outbox holds the 3 demo orders she owns (saw $seen)" '[ "$seen" = 3 ]'

moto_pid="$(cat "$stack/moto.pid")"
runner_pid="$(cat "$stack/runner.pid")"
kill -TERM "$run_pid"
for _ in $(seq 60); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.5; done
check "stopping the command ends it" '! kill -0 "$run_pid" 2>/dev/null'
run_pid=""
port="${url#http://127.0.0.1:}"; port="${port%/}"
left_over() {
  kill -0 "$moto_pid" 2>/dev/null && echo "moto_server (pid $moto_pid)"
  kill -0 "$runner_pid" 2>/dev/null && echo "runner (pid $runner_pid)"
  pgrep -f "$build/app/dbtrigger-console" >/dev/null && echo "console"
  pgrep -f "gtk4-broadwayd --port $port " >/dev/null && echo "Broadway (port $port)"
  true
}
# The command waits for its children; moto_server (not its child) may take
# a moment to be reaped.
for _ in $(seq 20); do
  left="$(left_over)"
  [ -z "$left" ] && break
  sleep 0.5
done
check "and everything it started: stack, runner, console, Broadway" '[ -z "$left" ]'
[ -z "$left" ] || echo "$left" | sed 's/^/#   still running: /'
exit $failed
