#!/usr/bin/env python3
"""The checks of tests/test-e2e.sh: writes items for several owners with
boto3, waits until the outbox is stable, and checks that every owner got
exactly the mail about their own items, each once.

usage: test-e2e.py RUNNER_PID   (stack from DBT_STACK_DIR / AWS_ENDPOINT_URL)
"""
import json
import os
import signal
import sys
import tempfile
import time
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_stack  # noqa: E402
from e2e_stack import check  # noqa: E402

stack = e2e_stack.Stack()
outputs = stack.outputs
ddb = stack.ddb
table = outputs["table_name"]
stack_dir = stack.dir


def put(pk, owner=None, **attributes):
    item = {"pk": {"S": pk}}
    if owner is not None:
        item["owner"] = {"S": owner}
    for name, value in attributes.items():
        item[name] = {"S": value}
    ddb.put_item(TableName=table, Item=item)


def mails():
    """address → [(owner header, event header, body, message id)]"""
    return {address: [m.as_dict() for m in found] for address, found in stack.mails().items()}


# The handler sends each owner one digest per batch; the writes are spaced
# past the mapping's batching window (1 s in local.tfvars) so every change
# is a batch of its own and gets its own mail.
SPACING = 2.5


def step(action, *args, **kwargs):
    action(*args, **kwargs)
    time.sleep(SPACING)


def delete(pk):
    ddb.delete_item(TableName=table, Key={"pk": {"S": pk}})


step(put, "item-a", "alice", title="first")                     # INSERT          → alice
step(put, "item-b", "bob", title="bob's")                       # INSERT          → bob (2 addresses)
step(put, "item-a", "alice", title="second")                    # MODIFY          → alice
step(put, "item-a", "alice", title="second", updatedAt="now")   # only updatedAt  → nothing
step(put, "item-a", "alice", title="second", updatedAt="now")   # no change       → nothing
step(put, "item-b", "carol", title="bob's")                     # owner bob→carol → bob and carol
step(put, "item-n", None, title="nobody's")                     # no owner        → nothing
step(delete, "item-a")                                          # REMOVE          → alice
put("item-c", "carol", title="carol's")                         # INSERT          → carol

expected = {
    "alice@example.com": 3,
    "bob@example.com": 2,
    "bob@work.example.com": 2,
    "carol@example.com": 2,
}
started = time.monotonic()
deadline = started + 120
last, stable_since = None, time.monotonic()
while time.monotonic() < deadline:
    snapshot = {a: len(v) for a, v in mails().items()}
    if snapshot != last:
        last, stable_since = snapshot, time.monotonic()
    # Stable: the expected total reached and nothing new for 3 s.
    if sum(snapshot.values()) >= sum(expected.values()) and time.monotonic() - stable_since >= 3:
        break
    time.sleep(0.25)
found = mails()
print("# outbox after %.1f s: %s" % (time.monotonic() - started, json.dumps({a: len(v) for a, v in found.items()})))

check({a: len(v) for a, v in found.items()} == expected, "every owner's addresses got exactly their mail",
      {a: [(m["owner"], m["event"], m["subject"]) for m in v] for a, v in found.items()})
owner_of = {"alice@example.com": "alice", "bob@example.com": "bob", "bob@work.example.com": "bob",
            "carol@example.com": "carol"}
check(all(m["owner"] == owner_of.get(a) and m["to"] == a for a, v in found.items() for m in v),
      "nobody got anybody else's mail")
check(all(len({m["id"] for m in v}) == len(v) for v in found.values()), "no message twice")
alice = found.get("alice@example.com", [])
check(sorted(m["event"] or "" for m in alice) == ["INSERT", "MODIFY", "REMOVE"] and
      all("item-a" in m["body"] for m in alice),
      "alice: INSERT, one MODIFY (the no-op and updatedAt-only writes sent nothing), REMOVE",
      [(m["event"], m["subject"]) for m in alice])
bob = found.get("bob@example.com", [])
carol = found.get("carol@example.com", [])
check(len(bob) == 2 and all("item-b" in m["body"] for m in bob) and bob[0]["event"] == "INSERT",
      "bob: his INSERT, and the owner change away from him", [(m["event"], m["subject"]) for m in bob])
check(len(carol) == 2 and ["item-b" in m["body"] for m in carol] == [True, False] and
      "item-c" in carol[1]["body"], "carol: the owner change to her, then her own INSERT",
      [(m["event"], m["subject"]) for m in carol])
check(found.get("bob@example.com") and [m["id"] for m in found["bob@example.com"]] ==
      [m["id"] for m in found.get("bob@work.example.com", [])], "both of bob's addresses got the same messages")
check(not any("item-n" in m["body"] for v in found.values() for m in v), "an item without owner sends nothing")

# The runner is still up, and stops cleanly.
pid = int(sys.argv[1])
os.kill(pid, signal.SIGTERM)
for _ in range(100):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        break
    if os.path.exists("/proc/%d/stat" % pid) and open("/proc/%d/stat" % pid).read().split()[2] == "Z":
        break
    time.sleep(0.1)
check(not os.path.exists(os.path.join(stack_dir, "runner.pid")), "the runner stopped cleanly")
stack.check_no_sanitizer_reports()
with tempfile.TemporaryDirectory() as planted:
    # Self-test: the scan finds what an ASan or UBSan build would print.
    with open(os.path.join(planted, "runner.out"), "w") as f:
        f.write("==12==ERROR: LeakSanitizer: detected memory leaks\n"
                "../lib/dbt-value.c:10:3: runtime error: signed integer overflow\n")
    fake = types.SimpleNamespace(dir=planted, function_log_path=lambda: os.path.join(planted, "none.log"),
                                 _SANITIZER_REPORT=e2e_stack.Stack._SANITIZER_REPORT)
    check(len(e2e_stack.Stack.sanitizer_reports(fake)) == 2, "self-test: a planted sanitizer report is found")

print("# mail: %s" % ", ".join("%s %d" % (a, len(v)) for a, v in sorted(found.items())))
e2e_stack.finish()
