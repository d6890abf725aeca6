#!/usr/bin/env python3
"""One owner's burst, end to end: 500 items of one owner changed at once
on a private local stack (the real handler zip deployed by Terraform with
environments/local.tfvars: batch size 100, batching window 1 s;
dbtrigger-local serving the mapping).

usage: local-stack with -- test-e2e-burst.py HANDLER_ZIP DBTRIGGER_LOCAL
TAP on stdout. Skips (77) outside a local stack, without terraform or boto3.

Checks that the owner gets one digest per invocation at most — never one
mail per change — and that each of the 500 changes is listed exactly once
across those digests (the bodies are parsed: every change names its key).
Prints the number of invocations, of messages the owner received, and the
largest message's size.
"""
import collections
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_stack  # noqa: E402
from e2e_stack import check, note, wait_for  # noqa: E402

if len(sys.argv) != 3 or not os.path.isfile(sys.argv[1]) or not os.access(sys.argv[2], os.X_OK):
    e2e_stack.skip_all("usage: test-e2e-burst.py HANDLER_ZIP DBTRIGGER_LOCAL")
e2e_stack.require_stack()
HANDLER_ZIP, RUNNER = sys.argv[1], sys.argv[2]

CHANGES = 500
OWNER, ADDRESS = "alice", "alice@example.com"
owners = {OWNER: [ADDRESS], "bob": ["bob@example.com"]}

stack = e2e_stack.Stack()
took = stack.apply(HANDLER_ZIP, {"owners": e2e_stack.hcl_owners(owners)}, "burst-terraform.log")
if not check(took is not None, "terraform apply"):
    e2e_stack.finish()
note("terraform apply: %.0f s" % took)
if not check(stack.start_runner(RUNNER), "dbtrigger-local serves the mapping and the outbox"):
    stack.show_logs()
    stack.stop_runner()
    e2e_stack.finish()

try:
    log_offset = len(stack.function_log())
    keys = ["burst-%03d" % i for i in range(CHANGES)]
    started = time.monotonic()
    stack.write({"pk": key, "owner": OWNER, "title": "change %d of the burst" % i} for i, key in enumerate(keys))
    written = time.monotonic() - started

    def batch_lines():
        return stack.batch_lines(stack.function_log()[log_offset:])

    # The handler's own count first, then the outbox: the mail it published.
    lines = wait_for(lambda: sum(line.get("changesDelivered", 0) for line in batch_lines()) >= CHANGES and
                     batch_lines(), 300, interval=0.5) or batch_lines()
    published = sum(line.get("notified", 0) for line in lines)
    mails = stack.wait_mail(lambda n: n >= published, 120, quiet=3.0)
    elapsed = time.monotonic() - started

    text = stack.function_log()[log_offset:]
    invocations = len(re.findall(r"^START RequestId: ", text, re.M))
    with_records = [line for line in lines if line.get("records", 0) > 0]
    received = mails.get(ADDRESS, [])
    check(len(with_records) >= 1 and all(line.get("notified", 0) <= 1 for line in with_records),
          "every invocation published at most one message (one owner)",
          [(line.get("records"), line.get("notified")) for line in with_records])
    check(1 <= len(received) <= len(with_records) <= invocations,
          "the owner received at most one message per invocation that had their records",
          {"messages": len(received), "invocations with records": len(with_records), "invocations": invocations})

    listed = collections.Counter()
    for mail in received:
        for event, key, _ in e2e_stack.changes_in(mail.message):
            listed[(event, key)] += 1
    expected = collections.Counter(("INSERT", e2e_stack.key_text(key)) for key in keys)
    check(listed == expected, "each of the %d changes is listed exactly once across the digests" % CHANGES,
          {"missing": sorted(str(k) for k in expected if listed[k] == 0)[:10],
           "twice": sorted(str(k) for k in listed if listed[k] > 1)[:10],
           "unexpected": sorted(str(k) for k in listed if k not in expected)[:10]})
    check(all(m.owner == OWNER and m.to == ADDRESS for m in received) and set(mails) == {ADDRESS},
          "only the owner got mail, addressed to them", sorted(mails))
    digests = [m for m in received if len(e2e_stack.changes_in(m.message)) > 1]
    check(all(re.match(r"^\d+ items changed in ", m.subject) for m in digests) and
          sum(len(e2e_stack.changes_in(m.message)) for m in digests) >= CHANGES - len(received),
          "the messages are digests (\"N items changed in TABLE\")", [m.subject for m in received])
    check(stack.dlq_depth() == 0, "nothing went to the failed-batches queue")

    largest = max(received, key=lambda m: m.size) if received else None
    note("burst of %d changes of one owner: written in %.1f s, all mail in %.1f s" % (CHANGES, written, elapsed))
    note("invocations: %d (%d with records)" % (invocations, len(with_records)))
    note("messages the owner received: %d" % len(received))
    if largest is not None:
        note("largest message: %d bytes as e-mail (.eml), %d bytes as published (body), %d changes" %
             (largest.size, len(largest.message.encode()), len(e2e_stack.changes_in(largest.message))))
    if not all(e2e_stack.results):
        stack.show_logs()
finally:
    check(stack.stop_runner(), "the runner stopped cleanly")
    stack.check_no_sanitizer_reports()
e2e_stack.finish()
