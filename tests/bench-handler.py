"""bench-handler: the C handler pipeline against the Python/boto3 way, on
the same generated batch, against a private local stack; then the cold
start and the size of the package.

    local-stack with -- bench-handler.py BENCH_HANDLER HANDLER_ZIP
                                         [--records N] [--seed S] [--pure-iterations N]

The batch: N stream records (default 1,000) from a seeded generator,
INSERT/MODIFY/REMOVE about 50/35/15 %, items of about 1 KB (strings,
numbers up to 38 digits, a nested map, a list of maps, string and number
sets, binary, a boolean), 50 owners, some items without one; among the
MODIFYs some change the owner and some touch only `updatedAt`. One Lambda
event {"Records": [...]}, written once and read by both sides.

On the stack: the notification log (as terraform/ declares it), the topic,
and an SQS queue subscribed to it that counts what was delivered
(tests/handler_stack.py). Runs, in order, each in its own process:

  C        tests/bench-handler.c: parse → processor → delivery with the
           real AWS sink (claim, PublishBatch, mark sent)
  Python   tests/bench_handler_reference.py: TypeDeserializer, diff, text,
           one sns.publish per record per owner, no log (what the original
           function did)
  Python+log  the same with a conditional put_item per notification first

CPU is the client process's own (getrusage / time.process_time); the
server's (moto, another process) is read from /proc and shown beside it.
Exit 0 whatever the figures: a benchmark reports, it does not judge; it
fails only when one side could not run at all.
"""

import argparse
import base64
import json
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import handler_stack  # noqa: E402

PYTHON_LOG_TABLE = "python-notification-log"
OWNERS = [f"owner-{i:02d}" for i in range(50)]
WORDS = ("order parcel invoice shelf crate pallet label route depot fragile express "
         "returned priority customs sealed inspected weighed scanned delayed "
         "Zürich café crème naïve").split()
STATUSES = ["open", "pending", "packed", "shipped", "delivered", "closed"]
TAGS = ["red", "blue", "green", "bulk", "cold", "fragile", "gift", "heavy", "late", "vip"]


# ------------------------------------------------------------------------
# The batch

class Generator:
    def __init__(self, seed, event_prefix):
        self.rng = random.Random(seed)
        self.prefix = event_prefix
        self.live = {}
        self.next_item = 0
        self.sequence = 100000000000000000000
        self.clock = 1714521600

    def words(self, n):
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def number(self, digits, scale):
        text = "".join(self.rng.choice("0123456789") for _ in range(digits)).lstrip("0") or "0"
        if scale:
            text = text.rjust(scale + 1, "0")
            text = text[:-scale] + "." + text[-scale:]
        return text

    def timestamp(self):
        self.clock += self.rng.randint(1, 30)
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.clock))

    def new_item(self):
        self.next_item += 1
        item = {
            "id": {"S": f"{self.prefix}item-{self.next_item:05d}"},
            "title": {"S": self.words(6)},
            "description": {"S": self.words(32)},
            "status": {"S": self.rng.choice(STATUSES)},
            "price": {"N": self.number(6, 2)},
            "quantity": {"N": str(self.rng.randint(1, 500))},
            "serial": {"N": self.number(38, 0)},
            "discount": {"N": "-0." + self.number(5, 0).rjust(5, "0")},
            "active": {"BOOL": self.rng.random() < 0.8},
            "tags": {"SS": sorted(self.rng.sample(TAGS, self.rng.randint(2, 5)))},
            "sizes": {"NS": sorted({str(self.rng.randint(1, 60)) for _ in range(4)})},
            "checksum": {"B": base64.b64encode(self.rng.randbytes(16)).decode()},
            "dimensions": {"M": {
                "width": {"N": self.number(3, 1)},
                "height": {"N": self.number(3, 1)},
                "depth": {"N": self.number(3, 1)},
                "unit": {"S": "cm"},
                "origin": {"M": {"country": {"S": self.rng.choice(["CH", "DE", "FR", "JP"])},
                                 "warehouse": {"S": self.words(2)}}},
            }},
            "history": {"L": [{"M": {"at": {"S": self.timestamp()}, "by": {"S": self.words(1)},
                                     "note": {"S": self.words(4)}}}
                              for _ in range(self.rng.randint(1, 3))]},
            "updatedAt": {"S": self.timestamp()},
        }
        if self.rng.random() >= 0.03:
            item["owner"] = {"S": self.rng.choice(OWNERS)}
        return item

    def modified(self, old):
        new = json.loads(json.dumps(old))
        new["updatedAt"] = {"S": self.timestamp()}
        roll = self.rng.random()
        if roll < 0.08:
            return new                      # only updatedAt: notifies nobody
        if roll < 0.18:
            new["owner"] = {"S": self.rng.choice(OWNERS)}
        edits = [
            lambda: new.__setitem__("status", {"S": self.rng.choice(STATUSES)}),
            lambda: new.__setitem__("price", {"N": self.number(6, 2)}),
            lambda: new.__setitem__("quantity", {"N": str(self.rng.randint(1, 500))}),
            lambda: new.__setitem__("tags", {"SS": sorted(set(new["tags"]["SS"]) |
                                                          {self.rng.choice(TAGS)})}),
            lambda: new["dimensions"]["M"].__setitem__("width", {"N": self.number(3, 1)}),
            lambda: new["history"]["L"].append({"M": {"at": {"S": self.timestamp()},
                                                      "by": {"S": self.words(1)},
                                                      "note": {"S": self.words(4)}}}),
            lambda: new.__setitem__("title", {"S": self.words(6)}),
        ]
        for edit in self.rng.sample(edits, self.rng.randint(1, 3)):
            edit()
        return new

    def record(self, event_name, keys, old=None, new=None):
        self.sequence += self.rng.randint(1, 1000)
        result = handler_stack.record(f"{self.rng.getrandbits(128):032x}", str(self.sequence),
                                      event_name, keys, old=old, new=new)
        result["dynamodb"]["SizeBytes"] = len(json.dumps(old or {})) + len(json.dumps(new or {}))
        result["dynamodb"]["ApproximateCreationDateTime"] = self.clock
        return result

    def batch(self, n, existing):
        for _ in range(existing):
            item = self.new_item()
            self.live[item["id"]["S"]] = item
        records = []
        for _ in range(n):
            roll = self.rng.random()
            if roll < 0.50 or not self.live:
                item = self.new_item()
                self.live[item["id"]["S"]] = item
                records.append(self.record("INSERT", {"id": item["id"]}, new=item))
            elif roll < 0.85:
                key = self.rng.choice(sorted(self.live))
                old = self.live[key]
                new = self.live[key] = self.modified(old)
                records.append(self.record("MODIFY", {"id": old["id"]}, old=old, new=new))
            else:
                key = self.rng.choice(sorted(self.live))
                old = self.live.pop(key)
                records.append(self.record("REMOVE", {"id": old["id"]}, old=old))
        return {"Records": records}


def write_event(path, event):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(event, f, ensure_ascii=False, separators=(",", ":"))


def describe_batch(event):
    records = event["Records"]
    names = [r["eventName"] for r in records]
    items = [r["dynamodb"].get("NewImage") or r["dynamodb"].get("OldImage") for r in records]
    sizes = sorted(len(json.dumps(i, ensure_ascii=False).encode()) for i in items)
    return (f"{len(records)} records: INSERT {names.count('INSERT')}, MODIFY {names.count('MODIFY')}, "
            f"REMOVE {names.count('REMOVE')}; item median {sizes[len(sizes) // 2]} bytes "
            f"(DynamoDB JSON)")


# ------------------------------------------------------------------------
# Measuring

def server_cpu_s(pid):
    """CPU seconds (user + system) of the local stack's server so far."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def queued(stack):
    attributes = stack.sqs.get_queue_attributes(QueueUrl=stack.queue_url,
                                                AttributeNames=["ApproximateNumberOfMessages"])
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


def measure(name, argv, env, stack, server_pid):
    delivered_before = queued(stack)
    server_before = server_cpu_s(server_pid)
    run = subprocess.run(argv, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        sys.stderr.write(run.stderr)
        raise SystemExit(f"bench-handler: {name} exited with {run.returncode}")
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    figures["server_cpu_us"] = (server_cpu_s(server_pid) - server_before) * 1e6
    # What the measured batch delivered, without the warm-up's messages.
    figures["delivered"] = queued(stack) - delivered_before - figures["warmup_published"]
    return figures


def report(c, variants):
    n = c["records"]
    rows = [("C (dbt pipeline)", c)] + variants
    print()
    print("per record; CPU = the client process's own (user + system); server = moto's")
    print(f"{'':26} {'CPU us':>8} {'user':>7} {'sys':>6} {'wall ms':>8} {'SNS req':>8} {'DDB req':>8} "
          f"{'msgs':>5} {'queued':>6} {'server CPU us':>13}")
    for name, f in rows:
        print(f"{name:26} {f['cpu_us'] / n:8.1f} {f['cpu_user_us'] / n:7.1f} "
              f"{f['cpu_system_us'] / n:6.1f} {f['wall_us'] / 1000:8.0f} "
              f"{f['sns_requests'] / n:8.4f} {f['dynamodb_requests'] / n:8.4f} "
              f"{f['published']:5d} {f['delivered']:6d} {f['server_cpu_us'] / n:13.0f}")
    print()
    for name, f in variants:
        print(f"{name} / C: CPU {f['cpu_us'] / c['cpu_us']:.2f}x, "
              f"wall {f['wall_us'] / c['wall_us']:.2f}x, "
              f"SNS requests {f['sns_requests'] / max(c['sns_requests'], 1):.0f}x")
    python = variants[0][1]
    print(f"pure part (no network), CPU us/record, median of {c['pure_iterations']}: "
          f"C {c['pure_cpu_us'] / n:.1f} (parse {c['pure_parse_cpu_us'] / n:.1f}, "
          f"process {c['pure_process_cpu_us'] / n:.1f}, digest {c['pure_digest_cpu_us'] / n:.1f}); "
          f"Python {python['pure_cpu_us'] / n:.1f} (json.loads {python['pure_loads_cpu_us'] / n:.1f}, "
          f"deserialize+diff+format {(python['pure_cpu_us'] - python['pure_loads_cpu_us']) / n:.1f}); "
          f"Python / C {python['pure_cpu_us'] / c['pure_cpu_us']:.2f}x")
    print(f"C: {c['notifications']} notifications -> {c['messages']} messages (digests), "
          f"{c['sns_entries']} PublishBatch entries in {c['sns_requests']} requests, "
          f"failed {c['failed']}, duplicates {c['duplicates']}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("driver", help="the bench-handler executable")
    parser.add_argument("zip", help="dbtrigger-handler.zip, for the cold start")
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--pure-iterations", type=int, default=5)
    args = parser.parse_args()

    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint:
        raise SystemExit("bench-handler: no AWS_ENDPOINT_URL; run it under build-aux/local-stack with")
    server_pid = None
    pid_file = os.path.join(os.environ.get("DBT_STACK_DIR", ""), "moto.pid")
    if os.path.exists(pid_file):
        with open(pid_file) as f:
            server_pid = int(f.read().strip())

    stack = handler_stack.create(endpoint)
    stack.ddb.create_table(TableName=PYTHON_LOG_TABLE, BillingMode="PAY_PER_REQUEST",
                           KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                           AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])

    with tempfile.TemporaryDirectory(prefix="dbt-bench-handler.") as work:
        event_path = os.path.join(work, "event.json")
        warmup_path = os.path.join(work, "warmup.json")
        event = Generator(args.seed, "").batch(args.records, existing=max(args.records // 3, 1))
        write_event(event_path, event)
        # Its own items and event ids: nothing it logs collides with the batch.
        write_event(warmup_path, Generator(args.seed + 1, "warmup-").batch(10, existing=5))
        print(f"batch: seed {args.seed}, {describe_batch(event)}, "
              f"event {os.path.getsize(event_path)} bytes")

        env = dict(os.environ)
        env.update({"TOPIC_ARN": stack.topic_arn, "LOG_TABLE": handler_stack.LOG_TABLE,
                    "FUNCTION_TIMEOUT_SECONDS": "30"})
        env.pop("TABLE_NAME", None)     # the table comes from each record's ARN
        pure = ["--pure-iterations", str(args.pure_iterations)]
        c = measure("C", [args.driver, event_path, warmup_path] + pure, env, stack, server_pid)
        reference = [sys.executable, os.path.join(HERE, "bench_handler_reference.py"),
                     event_path, warmup_path, "--topic-arn", stack.topic_arn] + pure
        python = measure("Python", reference, env, stack, server_pid)
        python_log = measure("Python+log", reference + ["--log-table", PYTHON_LOG_TABLE],
                             env, stack, server_pid)

    report(c, [("Python (publish/record)", python), ("Python+log (put+publish)", python_log)])

    print()
    sys.stdout.flush()
    subprocess.run([sys.executable, os.path.join(HERE, "bench-handler-cold-start.py"), args.zip,
                    "--runs", "20"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
