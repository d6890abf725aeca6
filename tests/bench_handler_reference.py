"""The reference for bench-handler: a stream batch handled the way a plain
Python Lambda on boto3 handles it, timed in its own process.

    bench_handler_reference.py EVENT_JSON WARMUP_JSON --topic-arn ARN
                               [--log-table TABLE] [--pure-iterations N]

Per record: boto3's TypeDeserializer on each image (binary decoded from
the event's base64 first), a diff of old and new
(without `updatedAt`), the owners concerned (the new and the previous one
when it changed), one message text per owner, and ONE sns.publish per
record per owner with the message attributes owner, table and event. No
digest. With --log-table, each publish is preceded by a conditional
put_item of "EVENTID#OWNER" (attribute_not_exists(pk)) into that table:
the naive idempotency log, one DynamoDB request per notification, against
the C handler's two (claim, then mark sent).

WARMUP_JSON is handled first and not measured, so the figures are those
of a warm function: boto3's lazy loading and the first connections are
paid before. Then EVENT_JSON, from its text to the last publish. Prints
one JSON object: CPU of this process (getrusage, user and system: the
server runs elsewhere), wall time, the publish and put_item requests counted on
botocore's before-send hook (each HTTP request, retries included), and the
pure part alone (json.loads + deserialize + diff + format, no network;
time.process_time), median of N, and json.loads's share of it.

Endpoint and credentials come from the environment (AWS_ENDPOINT_URL,
AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: build-aux/local-stack).
"""

import argparse
import base64
import json
import os
import resource
import statistics
import time

import boto3
from boto3.dynamodb.types import Binary, TypeDeserializer

OWNER_ATTRIBUTE = "owner"
IGNORED_ATTRIBUTES = {"updatedAt"}



class StreamDeserializer(TypeDeserializer):
    """TypeDeserializer on Lambda's event: binary arrives base64-encoded
    there (the event is JSON), where boto3's client would have decoded it."""

    def _deserialize_b(self, value):
        return Binary(base64.b64decode(value))

    def _deserialize_bs(self, value):
        return {self._deserialize_b(v) for v in value}


deserializer = StreamDeserializer()


def deserialize(image):
    return {name: deserializer.deserialize(value) for name, value in image.items()}


def render(value):
    """Values as the message shows them: strings quoted, numbers bare,
    sets in braces, lists in brackets, binary in base64."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, Binary):
        return "<binary " + base64.b64encode(value.value).decode() + ">"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(render(v) for v in value)) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(render(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {render(v)}" for k, v in value.items()) + "}"
    return str(value)


def diff(old, new):
    """(name, old value or None, new value or None) of every attribute that
    differs, names in order, ignored attributes left out."""
    changes = []
    for name in sorted(old.keys() | new.keys()):
        if name in IGNORED_ATTRIBUTES:
            continue
        before, after = old.get(name), new.get(name)
        if before != after or type(before) is not type(after):
            changes.append((name, before, after))
    return changes


def owner_of(item):
    value = item.get(OWNER_ATTRIBUTE) if item else None
    return value if isinstance(value, str) and value else None


def table_of(record):
    arn = record.get("eventSourceARN", "")
    parts = arn.split("/")
    return parts[1] if len(parts) > 1 else "unknown"


def message(record, table, key_text, owner, description, role, changes):
    event = record["eventName"]
    lines = [f"{description}.", "", f"Table: {table}", f"Event: {event}", f"Key: {key_text}"]
    if role:
        lines.append(f"{role}.")
    lines.append("")
    lines.append({"INSERT": "Attributes:", "REMOVE": "Attributes before removal:"}.get(event, "Changes:"))
    for name, before, after in changes:
        if event == "MODIFY":
            left = render(before) if before is not None else "(absent)"
            right = render(after) if after is not None else "(removed)"
            lines.append(f"  {name}: {left} → {right}")
        else:
            lines.append(f"  {name}: {render(after if after is not None else before)}")
    subject = f"{description}: {key_text}"
    if len(subject) > 99:
        subject = subject[:96] + "..."
    return {
        "owner": owner,
        "event_id": record["eventID"],
        "Subject": subject,
        "Message": "\n".join(lines) + "\n",
        "MessageAttributes": {
            "owner": {"DataType": "String", "StringValue": owner},
            "table": {"DataType": "String", "StringValue": table},
            "event": {"DataType": "String", "StringValue": event},
        },
    }


def messages_for(record):
    """The messages of one record: none, one, or two (owner changed)."""
    dynamodb = record["dynamodb"]
    event = record["eventName"]
    table = table_of(record)
    keys = deserialize(dynamodb["Keys"])
    key_text = ", ".join(f"{k}={render(v)}" for k, v in keys.items())
    old = deserialize(dynamodb["OldImage"]) if "OldImage" in dynamodb else None
    new = deserialize(dynamodb["NewImage"]) if "NewImage" in dynamodb else None

    if event == "INSERT" and new is not None:
        owner = owner_of(new)
        if owner is None:
            return []
        changes = [(name, None, new[name]) for name in sorted(new)]
        return [message(record, table, key_text, owner, f"Item created in {table}", None, changes)]
    if event == "REMOVE" and old is not None:
        owner = owner_of(old)
        if owner is None:
            return []
        changes = [(name, old[name], None) for name in sorted(old)]
        return [message(record, table, key_text, owner, f"Item removed from {table}", None, changes)]
    if event != "MODIFY" or old is None or new is None:
        return []

    changes = diff(old, new)
    if not changes:
        return []
    before, after = owner_of(old), owner_of(new)
    if before == after:
        if after is None:
            return []
        return [message(record, table, key_text, after, f"Item changed in {table}", None, changes)]
    result = []
    if after is not None:
        role = f"Assigned to you; previous owner: {before}" if before else \
            "Assigned to you; it had no owner before"
        result.append(message(record, table, key_text, after, f"Item assigned to you in {table}",
                              role, changes))
    if before is not None:
        role = f"Reassigned away from you; new owner: {after}" if after else \
            "Reassigned away from you; it has no owner now"
        result.append(message(record, table, key_text, before,
                              f"Item reassigned away from you in {table}", role, changes))
    return result


def build_all(event_text):
    """The pure part: the event's text to every message, nothing sent."""
    event = json.loads(event_text)
    return event, build_messages(event)


def build_messages(event):
    messages = []
    for record in event["Records"]:
        messages.extend(messages_for(record))
    return messages


def cpu_time_us():
    """(user, system) CPU of this process so far, microseconds."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime * 1e6, usage.ru_stime * 1e6


class Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, **kwargs):
        self.count += 1


def handle(event_text, sns, ddb, topic_arn, log_table):
    _, messages = build_all(event_text)
    for m in messages:
        if log_table is not None:
            try:
                ddb.put_item(TableName=log_table,
                             Item={"pk": {"S": f"{m['event_id']}#{m['owner']}"},
                                   "owner": {"S": m["owner"]},
                                   "eventId": {"S": m["event_id"]}},
                             ConditionExpression="attribute_not_exists(pk)")
            except ddb.exceptions.ConditionalCheckFailedException:
                continue
        sns.publish(TopicArn=topic_arn, Subject=m["Subject"], Message=m["Message"],
                    MessageAttributes=m["MessageAttributes"])
    return len(messages)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("event")
    parser.add_argument("warmup")
    parser.add_argument("--topic-arn", required=True)
    parser.add_argument("--log-table")
    parser.add_argument("--pure-iterations", type=int, default=5)
    args = parser.parse_args()

    with open(args.event, encoding="utf-8") as f:
        event_text = f.read()
    with open(args.warmup, encoding="utf-8") as f:
        warmup_text = f.read()

    # What a Lambda does once, at init.
    endpoint = os.environ["AWS_ENDPOINT_URL"]
    session = boto3.session.Session()
    sns = session.client("sns", endpoint_url=endpoint)
    ddb = session.client("dynamodb", endpoint_url=endpoint)
    publishes = Counter()
    puts = Counter()
    sns.meta.events.register("before-send.sns.Publish", publishes)
    ddb.meta.events.register("before-send.dynamodb.PutItem", puts)

    warmup_published = handle(warmup_text, sns, ddb, args.topic_arn, args.log_table)

    pure_cpu, loads_cpu = [], []
    records = messages = 0
    for _ in range(args.pure_iterations):
        start = time.process_time()
        event = json.loads(event_text)
        loaded = time.process_time()
        built = build_messages(event)
        pure_cpu.append(time.process_time() - start)
        loads_cpu.append(loaded - start)
        records, messages = len(event["Records"]), len(built)

    publishes.count = puts.count = 0
    user_start, system_start = cpu_time_us()
    wall_start = time.perf_counter()
    published = handle(event_text, sns, ddb, args.topic_arn, args.log_table)
    wall = time.perf_counter() - wall_start
    user_end, system_end = cpu_time_us()

    print(json.dumps({
        "records": records,
        "messages": messages,
        "published": published,
        "warmup_published": warmup_published,
        "cpu_us": (user_end - user_start) + (system_end - system_start),
        "cpu_user_us": user_end - user_start,
        "cpu_system_us": system_end - system_start,
        "wall_us": wall * 1e6,
        "sns_requests": publishes.count,
        "dynamodb_requests": puts.count,
        "pure_iterations": len(pure_cpu),
        "pure_cpu_us": statistics.median(pure_cpu) * 1e6,
        "pure_loads_cpu_us": statistics.median(loads_cpu) * 1e6,
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
