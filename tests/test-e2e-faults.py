#!/usr/bin/env python3
"""Faults, end to end: the real handler zip deployed by Terraform on a
private local stack, dbtrigger-local serving the stream mapping, and the
pipeline made to fail in the ways production fails.

usage: local-stack with -- test-e2e-faults.py HANDLER_ZIP DBTRIGGER_LOCAL
TAP on stdout. Skips (77) outside a local stack, without terraform or boto3.

  a. SNS unreachable: the function's AWS_ENDPOINT_URL_SNS points at a
     closed loopback port (UpdateFunctionConfiguration; the runner starts
     a new runtime when the environment changes) while items are written,
     then is restored. The batches are retried, then every change reaches
     its owner exactly once and nothing reaches the failed-batches queue.
  b. A poison record: an item whose owner id is longer than a DynamoDB key
     may be (2048 bytes), so the notification log refuses its claim
     (eventID#owner is the log's partition key) on every attempt. After
     the retries it is in the failed-batches queue alone, its
     DDBStreamBatchInfo naming exactly that record; the rest of its batch
     is delivered. (The handler reports it as a batch item failure;
     Lambda retries from it to the end of the batch, so it is written
     last to be the end of its batch.)
  c. The runtime killed (SIGKILL) while an invocation is in flight, with
     claims in the notification log: the batch is retried, the claims of
     the dead attempt go stale after the function timeout and are taken
     over; no change is lost. Duplicates are possible only for messages
     SNS accepted before they were marked SENT (dbt-delivery.h); they are
     counted and reported.
  d. A burst of 10,000 changes across 100 owners (100 e-mail
     subscriptions), batch size 1000: every owner receives each of their
     changes exactly once across their digests.

The stack is applied twice: with three owners for a-c, then with the 100
owners for d. (The runner's outbox queue subscribes to the topic when it
starts; moto delivers a publish to the first 100 subscriptions of a topic
only, so the queue must not come after 100 e-mail subscriptions.)
"""
import collections
import os
import re
import signal
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_stack  # noqa: E402
from e2e_stack import check, note, wait_for  # noqa: E402

if len(sys.argv) != 3 or not os.path.isfile(sys.argv[1]) or not os.access(sys.argv[2], os.X_OK):
    e2e_stack.skip_all("usage: test-e2e-faults.py HANDLER_ZIP DBTRIGGER_LOCAL")
e2e_stack.require_stack()
HANDLER_ZIP, RUNNER = sys.argv[1], sys.argv[2]

OWNERS = {"alice": ["alice@example.com"], "bob": ["bob@example.com"], "carol": ["carol@example.com"]}
ADDRESS = {owner: addresses[0] for owner, addresses in OWNERS.items()}
# Retries are Lambda's short local back-off (0.1 s doubling to 2 s): 15
# outlast the outage and the 10 s function timeout after which the claims
# of a killed attempt may be taken over.
FUNCTION_TIMEOUT = 10
RETRIES = 15
BURST = 10000
BURST_OWNERS = 100
# A bound on the wait, not a target: about 7.5 min on 2 cores.
BURST_DEADLINE = 12 * 60

stack = e2e_stack.Stack()


# --- what the owners got ---------------------------------------------------

REV = re.compile(r'"(r-[a-z]+-\d+)"')


def change_id(event, key, entry):
    """A change as (event, key, revision): every write sets a unique `rev`;
    an entry's last revision is the new one (MODIFY lists old → new)."""
    revisions = REV.findall(entry)
    return (event, key, revisions[-1] if revisions else None)


def delivered(mails):
    """owner → Counter of change ids, over every message of every address
    (one address per owner here)."""
    found = collections.defaultdict(collections.Counter)
    for address, messages in mails.items():
        for mail in messages:
            for event, key, entry in e2e_stack.changes_in(mail.message):
                found[mail.owner][change_id(event, key, entry)] += 1
    return found


def expected_counter(changes):
    """[(owner, event, pk, rev)] → owner → Counter."""
    found = collections.defaultdict(collections.Counter)
    for owner, event, pk, rev in changes:
        found[owner][(event, e2e_stack.key_text(pk), rev)] += 1
    return found


def exactly_once(expected, got):
    """Differences between @expected and @got (owner → Counter): missing,
    duplicated and unexpected changes."""
    problems = {}
    for owner in set(expected) | set(got):
        want, have = expected.get(owner, collections.Counter()), got.get(owner, collections.Counter())
        missing = sorted(str(c) for c in want if have[c] == 0)
        twice = sorted("%s x%d" % (c, have[c]) for c in want if have[c] > 1)
        extra = sorted(str(c) for c in have if c not in want)
        if missing or twice or extra:
            problems[owner] = {"missing": missing[:10], "duplicated": twice[:10], "unexpected": extra[:10],
                               "counts": [len(missing), len(twice), len(extra)]}
    return problems


def mail_to_right_address(mails):
    return all(m.to == address and ADDRESS_OF.get(m.owner) == address for address, v in mails.items() for m in v)


ADDRESS_OF = dict(ADDRESS)


def new_text(text, offset):
    return text[offset:]


def retry_lines(log):
    return re.findall(r"^.*record\(s\) from \d+ \(retry (\d+)\): (partially failed|failed).*$", log, re.M)


def function_config():
    return stack.lam.get_function_configuration(FunctionName=stack.outputs["function_name"])


def set_environment(variables):
    stack.lam.update_function_configuration(FunctionName=stack.outputs["function_name"],
                                            Environment={"Variables": variables})


def item(pk, owner, rev, **more):
    value = {"pk": pk, "rev": rev}
    if owner is not None:
        value["owner"] = owner
    value.update(more)
    return value


class Scenario:
    """Where the logs and the outbox stood when a scenario began."""

    def __init__(self):
        self.mail = stack.mail_names()
        self.runner_log = len(stack.runner_log())
        self.function_log = len(stack.function_log())
        self.dlq = stack.dlq_depth()
        self.started = time.monotonic()

    def runner_text(self):
        return stack.runner_log()[self.runner_log:]

    def function_text(self):
        return stack.function_log()[self.function_log:]

    def wait_changes(self, expected, timeout):
        """Waits until every expected change arrived (or @timeout), then for
        a quiet outbox; returns (mails, owner → Counter)."""
        want = sum(sum(c.values()) for c in expected.values())

        def arrived():
            got = delivered(stack.mails(self.mail))
            return all(got[o][c] >= 1 for o, counter in expected.items() for c in counter) and got

        wait_for(arrived, timeout, interval=0.5)
        mails = stack.wait_mail(lambda n: True, 15, quiet=3.0, exclude=self.mail)
        got = delivered(mails)
        note("%d change(s) expected, %d delivered in %d message(s) after %.1f s" %
             (want, sum(sum(c.values()) for c in got.values()), sum(len(v) for v in mails.values()),
              time.monotonic() - self.started))
        return mails, got


# --- the stack ---------------------------------------------------------------

variables = {
    "owners": e2e_stack.hcl_owners(OWNERS),
    "batch_size": 100,
    "maximum_batching_window_in_seconds": 1,
    "maximum_retry_attempts": RETRIES,
    "lambda_timeout_seconds": FUNCTION_TIMEOUT,
}
took = stack.apply(HANDLER_ZIP, variables, "faults-terraform.log")
if not check(took is not None, "terraform apply (three owners, batch 100, %d retries, timeout %d s)" % (RETRIES, FUNCTION_TIMEOUT)):
    e2e_stack.finish()
note("terraform apply: %.0f s" % took)
if not check(stack.start_runner(RUNNER), "dbtrigger-local serves the mapping and the outbox"):
    stack.show_logs()
    stack.stop_runner()
    e2e_stack.finish()


# --- a. SNS unreachable for a while -----------------------------------------

def sns_outage():
    scenario = Scenario()
    original = dict(function_config().get("Environment", {}).get("Variables", {}))
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))   # bound, never listening: connections are refused
    port = closed.getsockname()[1]
    set_environment(dict(original, AWS_ENDPOINT_URL_SNS="http://127.0.0.1:%d" % port))
    outage_started = time.monotonic()

    changes, items = [], []
    for i in range(6):
        owner = ("alice", "bob", "carol")[i % 3]
        items.append(item("out-%d" % i, owner, "r-out-%d" % i))
        changes.append((owner, "INSERT", "out-%d" % i, "r-out-%d" % i))
    stack.write(items)
    # Later changes of the same items: a MODIFY each, and one owner change.
    stack.write([item("out-0", "alice", "r-out-10"), item("out-2", "carol", "r-out-12"),
                 item("out-1", "carol", "r-out-11")])
    changes += [("alice", "MODIFY", "out-0", "r-out-10"), ("carol", "MODIFY", "out-2", "r-out-12"),
                ("carol", "MODIFY", "out-1", "r-out-11"), ("bob", "MODIFY", "out-1", "r-out-11")]

    # Retries while SNS is unreachable: at least three failed attempts.
    retried = wait_for(lambda: len(retry_lines(scenario.runner_text())) >= 3, 60)
    mail_during = len(stack.mail_names() - scenario.mail)
    set_environment(original)
    closed.close()
    outage = time.monotonic() - outage_started
    failures = retry_lines(scenario.runner_text())
    handler_failed = sum(line.get("failed", 0) for line in stack.batch_lines(scenario.function_text()))
    check(retried, "SNS unreachable: the batches fail and are retried",
          {"runner log": scenario.runner_text().splitlines()[-10:]})
    check(mail_during == 0, "SNS unreachable: nothing delivered during the outage", mail_during)

    expected = expected_counter(changes)
    mails, got = scenario.wait_changes(expected, 120)
    problems = exactly_once(expected, got)
    check(not problems, "SNS back: every change delivered exactly once (%d changes)" % len(changes), problems)
    check(mail_to_right_address(mails), "SNS back: every message went to its owner's address only",
          {a: [(m.owner, m.subject) for m in v] for a, v in mails.items()})
    dlq = stack.dlq_depth() - scenario.dlq
    check(dlq == 0, "SNS outage: nothing went to the failed-batches queue", dlq)
    note("a. outage %.1f s: %d failed attempt(s) (retries up to %s), %d record failure(s) reported by the handler, "
         "%d change(s) delivered in %d message(s), %d duplicate(s), %d in the failed-batches queue" %
         (outage, len(failures), max([int(r) for r, _ in failures] or [0]), handler_failed,
          sum(sum(c.values()) for c in got.values()), sum(len(v) for v in mails.values()),
          sum(n - 1 for c in got.values() for n in c.values() if n > 1), dlq))


# --- b. a poison record ----------------------------------------------------------

def poison():
    scenario = Scenario()
    changes, items = [], []
    for i in range(8):
        owner = ("alice", "bob", "carol")[i % 3]
        items.append(item("ok-%d" % i, owner, "r-ok-%d" % i))
        changes.append((owner, "INSERT", "ok-%d" % i, "r-ok-%d" % i))
    # An owner id over DynamoDB's 2048-byte key limit: the items table takes
    # it (a plain attribute there), the notification log cannot (its key is
    # eventID#owner), on every attempt.
    poison_owner = "team-" + "x" * 3000
    items.append(item("poison-0", poison_owner, "r-poison-0"))
    stack.write(items)

    arrived = wait_for(lambda: stack.dlq_depth() > scenario.dlq, 180, interval=0.5)
    check(arrived, "poison: a record reaches the failed-batches queue after the retries",
          {"runner log": scenario.runner_text().splitlines()[-10:]})
    expected = expected_counter(changes)
    mails, got = scenario.wait_changes(expected, 60)
    problems = exactly_once(expected, got)
    check(not problems, "poison: the rest of its batch is delivered, each change once", problems)
    check(not any("poison-0" in m.message for v in mails.values() for m in v),
          "poison: nobody got mail about the poison record")

    taken = stack.dlq_take()
    sequence = {keys.get("pk", {}).get("S"): seq for seq, keys, _ in stack.stream_records()}
    poison_seq = sequence.get("poison-0")
    info = taken[0].get("DDBStreamBatchInfo", {}) if len(taken) == 1 else {}
    check(len(taken) == 1 and info.get("batchSize") == 1 and
          info.get("startSequenceNumber") == poison_seq == info.get("endSequenceNumber") and
          info.get("streamArn") == stack.outputs["table_stream_arn"],
          "poison: alone in the failed-batches queue, its DDBStreamBatchInfo covering exactly that record",
          {"poison sequence number": poison_seq, "queue": taken})
    check(len(taken) == 1 and taken[0].get("requestContext", {}).get("condition") == "RetryAttemptsExhausted" and
          taken[0]["requestContext"].get("approximateInvokeCount") == RETRIES + 1,
          "poison: given up after %d retries" % RETRIES, taken)
    attempts = [line for line in scenario.runner_text().splitlines() if poison_seq and ("from %s " % poison_seq) in line]
    note("b. poison (owner id of %d bytes): %d invocation(s) of a batch starting at it, %d message(s) in the failed-batches queue "
         "(batch size %s), %d change(s) of its batch delivered, %d duplicate(s)" %
         (len(poison_owner), len(attempts), len(taken), info.get("batchSize"),
          sum(sum(c.values()) for c in got.values()), sum(n - 1 for c in got.values() for n in c.values() if n > 1)))


# --- c. the runtime killed mid-batch ---------------------------------------------

def log_states(prefix):
    """The notification log's entries for items whose key starts with
    @prefix: state → count."""
    states = collections.Counter()
    pages = stack.ddb.get_paginator("scan").paginate(
        TableName=stack.outputs["log_table_name"], ProjectionExpression="#k, #s",
        FilterExpression="begins_with(#k, :p)", ExpressionAttributeNames={"#k": "key", "#s": "state"},
        ExpressionAttributeValues={":p": {"S": e2e_stack.key_text(prefix)[:-1]}})
    for page in pages:
        for entry in page["Items"]:
            states[entry["state"]["S"]] += 1
    return states


def crash():
    scenario = Scenario()
    total = 300
    changes, items = [], []
    for i in range(total):
        owner = ("alice", "bob", "carol")[i % 3]
        items.append(item("crash-%03d" % i, owner, "r-crash-%d" % i))
        changes.append((owner, "INSERT", "crash-%03d" % i, "r-crash-%d" % i))
    stack.write(items)

    # SIGKILL the runtime while an invocation is in flight (START without
    # END) with claims held. Best while it publishes: SENT marks growing
    # while some of the batch is only CLAIMED — the documented window for
    # a duplicate. Else during the claims.
    def in_flight():
        text = scenario.function_text()
        return text.count("START RequestId:") > text.count("END RequestId:")

    last_sent = []

    def publishing():
        if not in_flight():
            last_sent.clear()
            return None
        states = log_states("crash-")
        growing = bool(last_sent) and states["SENT"] > last_sent[-1] and states["CLAIMED"] >= 1
        last_sent.append(states["SENT"])
        return ("publishing", states) if growing else None

    def claiming():
        states = log_states("crash-") if in_flight() else None
        return ("claiming", states) if states and states["CLAIMED"] >= 1 else None

    phase, states = wait_for(publishing, 60, interval=0.02) or wait_for(claiming, 60, interval=0.02) or (None, None)
    pid = stack.bootstrap_pid()
    killed = bool(states) and pid is not None
    if killed:
        os.kill(pid, signal.SIGKILL)
    check(killed, "crash: the runtime killed while an invocation was in flight with claims held",
          {"states": states, "pid": pid})
    note("c. killed bootstrap pid %s while %s, the log at %s" % (pid, phase, dict(states or {})))

    expected = expected_counter(changes)
    mails, got = scenario.wait_changes(expected, 180)
    problems = exactly_once(expected, got)
    missing = sum(problems[o]["counts"][0] for o in problems)
    unexpected = sum(problems[o]["counts"][2] for o in problems)
    duplicates = sum(n - 1 for c in got.values() for n in c.values() if n > 1)
    check(killed and missing == 0 and unexpected == 0, "crash: no change lost (%d changes)" % total, problems)
    check("Runtime.ExitError" in scenario.function_text() or "RUNTIME EXITED" in scenario.function_text(),
          "crash: the runner saw the runtime exit and failed that invocation")
    dlq = stack.dlq_depth() - scenario.dlq
    check(dlq == 0, "crash: nothing went to the failed-batches queue", dlq)
    lines = stack.batch_lines(scenario.function_text())
    note("c. crash: %d change(s) delivered in %d message(s), %d duplicate(s) (the claim boundary), "
         "%d retried attempt(s) in the runner log, handler: %d duplicate(s) suppressed, %d record failure(s)" %
         (sum(sum(c.values()) for c in got.values()), sum(len(v) for v in mails.values()), duplicates,
          len(retry_lines(scenario.runner_text())), sum(line.get("duplicatesSuppressed", 0) for line in lines),
          sum(line.get("failed", 0) for line in lines)))


# --- d. 10,000 changes across 100 owners -------------------------------------------

def burst():
    owners = {"owner%03d" % i: ["owner%03d@example.com" % i] for i in range(BURST_OWNERS)}
    took = stack.apply(HANDLER_ZIP, dict(variables, owners=e2e_stack.hcl_owners(owners), batch_size=1000,
                                         lambda_timeout_seconds=60), "faults-terraform-burst.log")
    if not check(took is not None, "terraform apply (100 owners, batch 1000)"):
        return
    note("terraform apply (100 owners): %.0f s" % took)
    ADDRESS_OF.clear()
    ADDRESS_OF.update({owner: addresses[0] for owner, addresses in owners.items()})
    uuid = stack.outputs["event_source_mapping_uuid"]
    check(wait_for(lambda: re.search(r"mapping %s: .*\(batch 1000," % re.escape(uuid), stack.runner_log()), 60),
          "the runner serves the mapping with batch size 1000")
    subscriptions = wait_for(lambda: len(stack.outputs.get("owner_subscription_arns") or {}) >= BURST_OWNERS, 1)
    check(subscriptions, "100 owners, each with an e-mail subscription",
          len(stack.outputs.get("owner_subscription_arns") or {}))

    scenario = Scenario()
    changes, items = [], []
    for i in range(BURST):
        owner = "owner%03d" % (i % BURST_OWNERS)
        items.append(item("burst-%05d" % i, owner, "r-burst-%d" % i))
        changes.append((owner, "INSERT", "burst-%05d" % i, "r-burst-%d" % i))
    started = time.monotonic()
    stack.write(items)
    written = time.monotonic() - started

    # Cheap progress first (the handler's own counts), then the outbox.
    def handled():
        lines = stack.batch_lines(scenario.function_text())
        return sum(line.get("changesDelivered", 0) for line in lines) >= BURST and lines

    lines = wait_for(handled, BURST_DEADLINE - (time.monotonic() - started), interval=1.0) or \
        stack.batch_lines(scenario.function_text())
    published = sum(line.get("notified", 0) for line in lines)
    remaining = max(30, BURST_DEADLINE - (time.monotonic() - started))
    stack.wait_mail(lambda n: n >= published, remaining, quiet=5.0, exclude=scenario.mail)
    elapsed = time.monotonic() - started
    mails = stack.mails(scenario.mail)
    got = delivered(mails)
    expected = expected_counter(changes)
    problems = exactly_once(expected, got)
    per_owner = {owner: sum(got[owner].values()) for owner in owners}
    check(sum(per_owner.values()) == BURST and not problems,
          "burst: %d changes delivered, each exactly once across the digests" % BURST,
          {"delivered": sum(per_owner.values()), "problems": dict(list(problems.items())[:5])})
    check(all(per_owner[o] == BURST // BURST_OWNERS for o in owners) and
          all(len({m.owner for m in mails.get(owners[o][0], [])}) <= 1 for o in owners),
          "burst: each of the 100 owners got exactly their %d changes" % (BURST // BURST_OWNERS),
          {o: n for o, n in per_owner.items() if n != BURST // BURST_OWNERS})
    check(mail_to_right_address(mails), "burst: every message went to its owner's address only")
    dlq = stack.dlq_depth() - scenario.dlq
    check(dlq == 0, "burst: nothing went to the failed-batches queue", dlq)
    text = scenario.function_text()
    invocations = text.count("START RequestId:")
    messages = sum(len(v) for v in mails.values())
    note("d. burst of %d changes, %d owners: written in %.1f s, all mail in %.1f s; %d invocation(s) "
         "(%d with records), %d message(s) (%s to %s per owner), handler: %d record(s), %d duplicate(s) suppressed" %
         (BURST, BURST_OWNERS, written, elapsed, invocations, sum(1 for line in lines if line.get("records")),
          messages, min(len(v) for v in mails.values()) if mails else 0,
          max(len(v) for v in mails.values()) if mails else 0, sum(line.get("records", 0) for line in lines),
          sum(line.get("duplicatesSuppressed", 0) for line in lines)))


try:
    for scenario_function in (sns_outage, poison, crash, burst):
        before = len(e2e_stack.results)
        scenario_function()
        if not all(e2e_stack.results[before:]):
            stack.show_logs()
finally:
    check(stack.stop_runner(), "the runner stopped cleanly")
    stack.check_no_sanitizer_reports()
e2e_stack.finish()
