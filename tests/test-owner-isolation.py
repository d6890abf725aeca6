#!/usr/bin/env python3
"""Owner isolation, end to end: nobody receives anybody else's changes.

usage: local-stack with -- test-owner-isolation.py HANDLER_ZIP DBTRIGGER_LOCAL
TAP on stdout. Skips (77) outside a local stack, without terraform or boto3.

Terraform deploys the real handler zip with 50 owners, each with one or two
addresses (one e-mail subscription per address, filter policy
{"owner": ["<id>"]}); dbtrigger-local serves the stream mapping and writes
every e-mail an address would receive to the outbox. Then, in random order
within each phase (seed printed; DBT_TEST_SEED repeats a run):

  1. 1,000 items are written, most with a random owner, some without;
  2. 300 of them are reassigned to another owner, a few ownerless ones
     get an owner;
  3. 100 are modified under the same owner;
  4. 50 lose their owner attribute;
  5. 150 are deleted.

Every write sets a unique `rev`, so each change of the stream is known by
(event, key, rev) and the owners it concerns are known in advance: INSERT
the new owner, MODIFY the old and the new owner, REMOVE the old owner.

Checked from the outbox, after the subscriptions' filter policies are read
back from SNS and match the owners map:
  - every .eml sits in the folder of an address of the owners map, is
    addressed To it, and its X-Dbtrigger-Owner is the owner subscribed
    there;
  - every change listed in its body is a known change that concerns that
    owner (a violation otherwise, also when a change cannot be identified);
  - every change reached each address of each owner it concerns exactly
    once; changes of ownerless items reached nobody.

The subscriptions stay below 100: moto delivers a publish to the first 100
subscriptions of a topic only, and the runner's outbox queue subscribes
after Terraform's e-mail subscriptions.
"""
import collections
import copy
import json
import os
import random
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_stack  # noqa: E402
from e2e_stack import check, note  # noqa: E402

if len(sys.argv) != 3 or not os.path.isfile(sys.argv[1]) or not os.access(sys.argv[2], os.X_OK):
    e2e_stack.skip_all("usage: test-owner-isolation.py HANDLER_ZIP DBTRIGGER_LOCAL")
e2e_stack.require_stack()
HANDLER_ZIP, RUNNER = sys.argv[1], sys.argv[2]

N_OWNERS = 50
MAX_ADDRESSES = 90
N_ITEMS = 1000
N_OWNERLESS = 30
N_REASSIGN = 300
N_ADOPT = 10
N_MODIFY = 100
N_DISOWN = 50
N_DELETE = 150
DELIVERY_DEADLINE = 240

seed = int(os.environ.get("DBT_TEST_SEED") or random.SystemRandom().randrange(1 << 30))
rng = random.Random(seed)
note("seed %d (DBT_TEST_SEED=%d repeats this run)" % (seed, seed))
started = time.monotonic()

# --- owners and their addresses --------------------------------------------

OWNER_IDS = ["owner%02d" % i for i in range(N_OWNERS)]
OWNERS = {}
for owner in OWNER_IDS:
    OWNERS[owner] = ["%s@example.com" % owner]
    if rng.random() < 0.5:
        OWNERS[owner].append("%s.team@work.example.org" % owner)
while sum(len(a) for a in OWNERS.values()) > MAX_ADDRESSES:
    OWNERS[rng.choice([o for o, a in OWNERS.items() if len(a) == 2])].pop()
OWNER_AT = {address: owner for owner, addresses in OWNERS.items() for address in addresses}

stack = e2e_stack.Stack()
took = stack.apply(HANDLER_ZIP, {"owners": e2e_stack.hcl_owners(OWNERS), "batch_size": 100,
                                 "maximum_batching_window_in_seconds": 1},
                   "isolation-terraform.log")
if not check(took is not None, "terraform apply: %d owners, %d addresses" % (len(OWNERS), len(OWNER_AT))):
    e2e_stack.finish()
note("terraform apply: %.0f s" % took)

# What SNS holds: one subscription per address, filtering on its owner.
topic = stack.outputs["topic_arn"]
policies = {}
for page in stack.sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic):
    for subscription in page["Subscriptions"]:
        if subscription["Protocol"] != "email":
            continue
        attributes = stack.sns.get_subscription_attributes(
            SubscriptionArn=subscription["SubscriptionArn"])["Attributes"]
        policies.setdefault(subscription["Endpoint"], []).append(json.loads(attributes.get("FilterPolicy") or "{}"))
check(policies == {address: [{"owner": [owner]}] for address, owner in OWNER_AT.items()},
      "SNS: each address has one subscription whose filter policy names its owner only",
      {a: p for a, p in policies.items() if p != [{"owner": [OWNER_AT.get(a)]}]})

if not check(stack.start_runner(RUNNER), "dbtrigger-local serves the mapping and the outbox"):
    stack.show_logs()
    stack.stop_runner()
    e2e_stack.finish()

# --- the writes ----------------------------------------------------------------

state = {}          # pk → (owner or None, rev)
changes = {}        # (event, key text, rev) → frozenset of owners it concerns
writes = 0


def next_rev():
    global writes
    writes += 1
    return "r-w-%d" % writes


def put_all(updates):
    """updates: [(pk, owner or None)], distinct keys; one put each."""
    items = []
    for pk, owner in updates:
        rev = next_rev()
        old = state.get(pk)
        event = "INSERT" if old is None else "MODIFY"
        concerned = {owner} | ({old[0]} if old else set())
        changes[(event, e2e_stack.key_text(pk), rev)] = frozenset(o for o in concerned if o is not None)
        state[pk] = (owner, rev)
        item = {"pk": pk, "rev": rev, "title": "item %s" % pk}
        if owner is not None:
            item["owner"] = owner
        items.append(item)
    stack.write(items)


def delete_all(pks):
    with stack.table().batch_writer() as writer:
        for pk in pks:
            owner, rev = state.pop(pk)
            changes[("REMOVE", e2e_stack.key_text(pk), rev)] = frozenset([owner] if owner else [])
            writer.delete_item(Key={"pk": pk})


pks = ["item-%04d" % i for i in range(N_ITEMS)]
ownerless = set(rng.sample(pks, N_OWNERLESS))
put_all([(pk, None if pk in ownerless else rng.choice(OWNER_IDS)) for pk in rng.sample(pks, len(pks))])
owned = [pk for pk in pks if state[pk][0] is not None]
reassign = rng.sample(owned, N_REASSIGN)
adopt = rng.sample(sorted(ownerless), N_ADOPT)
put_all([(pk, rng.choice([o for o in OWNER_IDS if o != state[pk][0]])) for pk in reassign] +
        [(pk, rng.choice(OWNER_IDS)) for pk in adopt])
owned = [pk for pk in pks if state[pk][0] is not None]
put_all([(pk, state[pk][0]) for pk in rng.sample(owned, N_MODIFY)])
put_all([(pk, None) for pk in rng.sample(owned, N_DISOWN)])
delete_all(rng.sample(pks, N_DELETE))

expected = collections.Counter()     # (address, change) → 1
for change, owners in changes.items():
    for owner in owners:
        for address in OWNERS[owner]:
            expected[(address, change)] += 1
no_owner = [c for c, owners in changes.items() if not owners]
note("%d puts and %d deletes in %.0f s: %d changes, %d of them concern nobody; %d deliveries expected" %
     (writes, N_DELETE, time.monotonic() - started, len(changes), len(no_owner), len(expected)))

# --- the outbox ----------------------------------------------------------------

REV = re.compile(r'"(r-w-\d+)"')
parsed = {}          # (folder, file name) → Mail


def change_of(entry_match):
    """(event, key text, rev) of one listed change of changes_in()."""
    event, key, entry = entry_match
    revisions = REV.findall(entry)
    return (event, key, revisions[-1] if revisions else None)


def listed(mail):
    """The changes @mail lists. The .eml bodies end lines in CRLF; the
    single-change patterns of changes_in() expect LF."""
    return e2e_stack.changes_in(mail.message.replace("\r\n", "\n"))


def read_outbox():
    for folder, name in stack.mail_names() - set(parsed):
        parsed[(folder, name)] = e2e_stack.Mail(folder, os.path.join(stack.outbox, folder, name))
    return parsed


def tally():
    """(address, change) → count, over every listed change of every mail."""
    got = collections.Counter()
    for mail in read_outbox().values():
        for match in listed(mail):
            got[(mail.address, change_of(match))] += 1
    return got


def all_arrived():
    got = tally()
    return all(got[pair] >= 1 for pair in expected)


wait_started = time.monotonic()
e2e_stack.wait_for(all_arrived, DELIVERY_DEADLINE, interval=1.0)
stack.wait_mail(lambda n: True, 20, quiet=4.0)     # and nothing more comes
got = tally()
note("outbox: %d message(s) in %d folder(s) after %.0f s" %
     (len(parsed), len({f for f, _ in parsed}), time.monotonic() - wait_started))

def violations_of(mails):
    """What is wrong with @mails ((folder, file name) → Mail): [text]."""
    found = []
    for (folder, name), mail in sorted(mails.items()):
        owner = OWNER_AT.get(folder)
        if owner is None:
            found.append("%s/%s: no subscribed address has this folder" % (folder, name))
            continue
        if mail.to != folder:
            found.append("%s/%s: To %s" % (folder, name, mail.to))
        if mail.owner != owner:
            found.append("%s/%s: X-Dbtrigger-Owner %s, subscribed owner %s" % (folder, name, mail.owner, owner))
        changes_listed = listed(mail)
        if not changes_listed:
            found.append("%s/%s: lists no change" % (folder, name))
        for match in changes_listed:
            change = change_of(match)
            if change not in changes:
                found.append("%s/%s: unknown change %s" % (folder, name, change))
            elif owner not in changes[change]:
                found.append("%s/%s: change %s concerns %s, not %s" %
                             (folder, name, change, sorted(changes[change]), owner))
    return found


def delivery_problems(got):
    """(missing, duplicated, unexpected) against @expected."""
    return ([p for p in expected if got[p] == 0], [p for p in expected if got[p] > 1],
            [p for p in got if p not in expected])


violations = violations_of(parsed)
check(not violations, "every message went to an address of its own owner and lists only that owner's changes",
      violations[:20])

missing, twice, unexpected = delivery_problems(got)
check(not missing and not twice and not unexpected,
      "every change reached each address of each owner it concerns exactly once",
      {"missing": [str(p) for p in missing[:10]], "duplicated": ["%s x%d" % (p, got[p]) for p in twice[:10]],
       "unexpected": [str(p) for p in unexpected[:10]],
       "counts": [len(missing), len(twice), len(unexpected)]})
no_owner = set(no_owner)
check(not any(p[1] in no_owner for p in got), "changes of ownerless items reached nobody")

# The checks can fail: the same outbox, altered in memory.
if parsed:
    (folder, name), mail = sorted(parsed.items())[0]
    other = next(a for a, o in sorted(OWNER_AT.items()) if o != OWNER_AT.get(folder))
    moved = dict(parsed)
    moved[(other, name)] = mail            # a message in another owner's folder
    relabelled = copy.copy(mail)
    relabelled.owner = OWNER_AT[other]     # ... or carrying another owner's header
    moved[(folder, name)] = relabelled
    found = violations_of(moved)
    check(any(v.startswith(other + "/") for v in found) and
          any("X-Dbtrigger-Owner %s" % OWNER_AT[other] in v for v in found),
          "self-test: a message in another owner's folder, and one with another owner's header, are violations",
          found[:5])
    doubled, lost = collections.Counter(got), collections.Counter(got)
    pair = next(iter(expected))
    doubled[pair] += 1
    lost[pair] = 0
    check(delivery_problems(doubled)[1] and delivery_problems(lost)[0],
          "self-test: a change delivered twice, or not at all, is found")
per_owner = collections.Counter(OWNER_AT[a] for a, _ in expected)
check(all(per_owner[o] > 0 for o in OWNER_IDS), "every one of the %d owners was notified" % N_OWNERS,
      sorted(o for o in OWNER_IDS if per_owner[o] == 0))

check(stack.stop_runner(), "the runner stopped cleanly")
stack.check_no_sanitizer_reports()
if not all(e2e_stack.results):
    stack.show_logs()
note("items %d, writes %d, changes %d, messages %d, addresses %d, deliveries %d, violations %d, "
     "missing %d, duplicated %d; %.0f s in all" %
     (N_ITEMS, writes + N_DELETE, len(changes), len(parsed), len(OWNER_AT), sum(got.values()),
      len(violations), len(missing), len(twice), time.monotonic() - started))
e2e_stack.finish()
