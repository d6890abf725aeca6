#!/usr/bin/env python3
"""dbtrigger-local against a private local stack, with a fake bootstrap
(tests/local-runner/fake-bootstrap.py) so every fault is deterministic.

usage: local-stack with -- test-local-runner.py PATH/TO/dbtrigger-local
TAP on stdout. Skips (77) without boto3 or outside a local stack.

Checks: records reach the function in order, in batches of at most
BatchSize, in Lambda's event shape; a partial failure is retried from the
reported record; a poison record is bisected out and only it reaches the
on-failure queue, with a correct DDBStreamBatchInfo; a crash and a timeout
are retried; a new deploy (UpdateFunctionCode) runs from the next batch;
the outbox gets one .eml per matching confirmed e-mail subscription; the
runner resumes from its checkpoint after a restart and stops cleanly.
"""
import base64
import email
import email.header
import email.policy
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile

try:
    import boto3
except ImportError:
    print("1..0 # SKIP boto3 is not installed")
    sys.exit(0)

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "local-runner", "fake-bootstrap.py")
BATCH_SIZE = 4
MAX_RETRIES = 2
FUNCTION_TIMEOUT = 3

results = []


def check(condition, description, detail=""):
    results.append(bool(condition))
    print("%s %d - %s" % ("ok" if condition else "not ok", len(results), description), flush=True)
    if not condition and detail:
        for line in str(detail).splitlines():
            print("#   " + line, flush=True)
    return condition


def wait_for(predicate, timeout, interval=0.2):
    """Polls until predicate() is truthy (returns it) or timeout (returns None)."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= end:
            return None
        time.sleep(interval)


def fake_zip(version):
    with open(FAKE) as f:
        script = f.read().replace('VERSION = "one"', 'VERSION = "%s"' % version)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("bootstrap", date_time=(2024, 1, 1, 0, 0, 0))
        info.external_attr = 0o100755 << 16
        archive.writestr(info, script)
    return buffer.getvalue()


class Stack:
    def __init__(self, stack_dir):
        self.dir = stack_dir
        kw = {"endpoint_url": os.environ["AWS_ENDPOINT_URL"], "region_name": "us-east-1"}
        self.ddb = boto3.client("dynamodb", **kw)
        self.lam = boto3.client("lambda", **kw)
        self.s3 = boto3.client("s3", **kw)
        self.sqs = boto3.client("sqs", **kw)
        self.sns = boto3.client("sns", **kw)
        self.iam = boto3.client("iam", **kw)
        self.bucket = "dbtrigger-code-test"
        self.state = os.path.join(stack_dir, "fake-state")
        self.log = os.path.join(stack_dir, "fake-invocations.jsonl")

    def upload(self, data):
        digest = hashlib.sha256(data)
        b64 = base64.b64encode(digest.digest()).decode()
        key = "dbtrigger-handler/%s.zip" % digest.hexdigest()
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=data, Metadata={"codesha256": b64})
        return key, b64

    def setup(self):
        self.s3.create_bucket(Bucket=self.bucket)
        role = self.iam.create_role(RoleName="local-runner-test", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        key, self.sha_one = self.upload(fake_zip("one"))
        fn = self.lam.create_function(
            FunctionName="local-runner-test", Runtime="provided.al2023", Role=role, Handler="bootstrap",
            Code={"S3Bucket": self.bucket, "S3Key": key}, Timeout=FUNCTION_TIMEOUT, MemorySize=256,
            Environment={"Variables": {"FAKE_LOG": self.log, "FAKE_STATE": self.state}})
        self.function_arn = fn["FunctionArn"]
        table = self.ddb.create_table(
            TableName="items", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        self.stream_arn = table["TableDescription"]["LatestStreamArn"]
        self.dlq_url = self.sqs.create_queue(QueueName="failed-batches")["QueueUrl"]
        dlq_arn = self.sqs.get_queue_attributes(QueueUrl=self.dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.lam.create_event_source_mapping(
            FunctionName="local-runner-test", EventSourceArn=self.stream_arn, StartingPosition="TRIM_HORIZON",
            BatchSize=BATCH_SIZE, MaximumBatchingWindowInSeconds=1, BisectBatchOnFunctionError=True,
            MaximumRetryAttempts=MAX_RETRIES, FunctionResponseTypes=["ReportBatchItemFailures"],
            DestinationConfig={"OnFailure": {"Destination": dlq_arn}})
        self.topic_arn = self.sns.create_topic(Name="notifications")["TopicArn"]
        self.subscriptions = {}
        for address, policy in (("alice@example.com", {"owner": ["alice"]}),
                                ("bob@example.com", {"owner": ["bob"]}),
                                ("zed@example.com", {"owner": ["zed"]}),
                                ("audit@example.com", None),
                                ("prefix@example.com", {"owner": [{"prefix": "al"}]})):
            attributes = {"FilterPolicyScope": "MessageAttributes"}
            if policy is not None:
                attributes["FilterPolicy"] = json.dumps(policy)
            arn = self.sns.subscribe(TopicArn=self.topic_arn, Protocol="email", Endpoint=address,
                                     Attributes=attributes, ReturnSubscriptionArn=True)["SubscriptionArn"]
            self.subscriptions[address] = arn
        outputs = {name: {"value": value, "type": "string", "sensitive": False}
                   for name, value in (("code_bucket", self.bucket), ("topic_arn", self.topic_arn))}
        with open(os.path.join(self.dir, "terraform-outputs.json"), "w") as f:
            json.dump(outputs, f)

    def put(self, *keys):
        for key in keys:
            self.ddb.put_item(TableName="items", Item={"pk": {"S": key}, "n": {"N": "1"}})

    def invocations(self):
        try:
            with open(self.log) as f:
                return [json.loads(line) for line in f if line.strip()]
        except FileNotFoundError:
            return []

    def delivered_ok(self, key):
        return [i for i in self.invocations() if key in i["keys"] and i["outcome"] == "ok"]

    def dlq_messages(self):
        messages = []
        while True:
            got = self.sqs.receive_message(QueueUrl=self.dlq_url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
            if not got:
                return messages
            for m in got:
                messages.append(json.loads(m["Body"]))
                self.sqs.delete_message(QueueUrl=self.dlq_url, ReceiptHandle=m["ReceiptHandle"])


class Runner:
    def __init__(self, binary, stack_dir):
        env = dict(os.environ)
        # Operational warnings are logged, not fatal; programming errors stay fatal.
        env["G_DEBUG"] = "fatal-criticals"
        self.log = open(os.path.join(stack_dir, "runner-stderr.log"), "a")
        self.process = subprocess.Popen([binary, "--stack-dir", stack_dir, "--verbose"],
                                        stdout=self.log, stderr=self.log, env=env)

    def stop(self, timeout=10):
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return None


def runner_log(stack_dir):
    try:
        with open(os.path.join(stack_dir, "runner.log")) as f:
            return f.read()[-3000:]
    except FileNotFoundError:
        return ""


def main():
    if len(sys.argv) != 2 or "AWS_ENDPOINT_URL" not in os.environ or "DBT_STACK_DIR" not in os.environ:
        print("1..0 # SKIP run under build-aux/local-stack with, with the dbtrigger-local path")
        return 0
    binary = sys.argv[1]
    stack_dir = os.environ["DBT_STACK_DIR"]
    stack = Stack(stack_dir)
    stack.setup()
    runner = Runner(binary, stack_dir)
    try:
        run_checks(binary, stack, runner, stack_dir)
    finally:
        if runner.process.poll() is None:
            runner.stop()
    print("1..%d" % len(results))
    failed = results.count(False)
    if failed:
        print("# runner.log tail:\n" + "\n".join("# " + l for l in runner_log(stack_dir).splitlines()))
    return 1 if failed else 0


def run_checks(binary, stack, runner, stack_dir):
    # --- order, batches, event shape ---------------------------------------
    keys = ["a%02d" % i for i in range(10)]
    stack.put(*keys)
    done = wait_for(lambda: all(stack.delivered_ok(k) for k in keys), 60)
    check(done, "ten records reach the function", runner_log(stack_dir))
    calls = [i for i in stack.invocations() if any(k in keys for k in i["keys"])]
    seen = [k for i in calls for k in i["keys"]]
    check(seen == keys, "in order, each once", seen)
    check(all(1 <= len(i["keys"]) <= BATCH_SIZE for i in calls), "in batches of at most BatchSize (%d)" % BATCH_SIZE,
          [len(i["keys"]) for i in calls])
    seqs = [int(s) for i in calls for s in i["seqs"]]
    check(seqs == sorted(seqs), "sequence numbers increase")
    first = calls[0]["first"] if calls else {}
    check(first == {"eventSourceARN": stack.stream_arn, "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
                    "eventVersion": "1.1", "eventName": "INSERT"}, "Lambda's event shape", first)
    check(calls and calls[0]["functionArn"] == stack.function_arn and calls[0]["traceId"].startswith("Root=1-"),
          "Runtime API headers: invoked function ARN, trace id")
    check(calls and abs(calls[0]["deadlineMs"] - time.time() * 1000) < 120000, "deadline header is epoch ms")
    env = json.load(open(os.path.join(stack.state, "environment.json")))
    expected = {"AWS_LAMBDA_FUNCTION_NAME": "local-runner-test", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
                "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "_HANDLER": "bootstrap", "AWS_REGION": "us-east-1",
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_ENDPOINT_URL": os.environ["AWS_ENDPOINT_URL"], "TZ": ":UTC", "FAKE_LOG": stack.log}
    check(all(env.get(k) == v for k, v in expected.items()), "the function's Lambda environment",
          {k: env.get(k) for k in expected})
    check(env.get("AWS_LAMBDA_RUNTIME_API", "").startswith("127.0.0.1:") and
          env.get("LAMBDA_TASK_ROOT", "").startswith(os.path.join(stack_dir, "code")),
          "Runtime API on loopback, task root in the code cache")
    check("DBT_STACK_DIR" not in env and "G_DEBUG" not in env and "HOME" not in env,
          "nothing else of the runner's environment", sorted(env))
    check(os.path.exists(os.path.join(stack_dir, "code", base64.b64decode(stack.sha_one).hex(), "bootstrap")),
          "code unzipped into STACK_DIR/code/<hex sha256>/")

    # --- partial batch failure ---------------------------------------------
    stack.put("b0", "partial-b1", "b2")
    done = wait_for(lambda: stack.delivered_ok("b2"), 30)
    calls = [i for i in stack.invocations() if {"b0", "partial-b1", "b2"} & set(i["keys"])]
    failing = [n for n, i in enumerate(calls) if i["outcome"] == "partial"]
    check(done and len(failing) == 1, "a partial failure is reported once", calls)
    if failing and failing[0] + 1 < len(calls):
        retry = calls[failing[0] + 1]
        check(retry["keys"][0] == "partial-b1", "the retry starts at the reported record", retry["keys"])
    else:
        check(False, "the retry starts at the reported record", calls)
    check(sum(i["keys"].count("b0") for i in calls) == 1, "records before it are not sent again")

    # --- poison record, bisect, on-failure destination ---------------------
    stack.put("c0", "c1", "poison-c2", "c3")
    done = wait_for(lambda: stack.delivered_ok("c3") and stack.delivered_ok("c0") and stack.delivered_ok("c1"), 60)
    check(done, "the records around a poison record succeed", runner_log(stack_dir))
    messages = wait_for(stack.dlq_messages, 20) or []
    poison_seq = next((s for i in stack.invocations() for k, s in zip(i["keys"], i["seqs"]) if k == "poison-c2"), None)
    check(len(messages) == 1, "one message in the on-failure queue", messages)
    if messages:
        m = messages[0]
        info = m.get("DDBStreamBatchInfo", {})
        check(info.get("startSequenceNumber") == poison_seq and info.get("endSequenceNumber") == poison_seq and
              info.get("batchSize") == 1, "it names exactly the poison record", info)
        check(info.get("streamArn") == stack.stream_arn and info.get("shardId", "").startswith("shardId-") and
              info.get("approximateArrivalOfFirstRecord") and info.get("approximateArrivalOfLastRecord"),
              "DDBStreamBatchInfo: stream, shard, arrival times", info)
        ctx = m.get("requestContext", {})
        check(ctx.get("condition") == "RetryAttemptsExhausted" and ctx.get("functionArn") == stack.function_arn and
              ctx.get("approximateInvokeCount") == MAX_RETRIES + 1,
              "requestContext: RetryAttemptsExhausted after %d invocations" % (MAX_RETRIES + 1), ctx)
        check(m.get("version") == "1.0" and m.get("responseContext", {}).get("functionError") == "Unhandled" and
              m.get("timestamp", "").endswith("Z"), "version, responseContext, timestamp", m)
    alone = [i for i in stack.invocations() if i["keys"] == ["poison-c2"]]
    check(len(alone) == MAX_RETRIES + 1, "bisected down to the poison record, then retried %d times" % MAX_RETRIES,
          [i["keys"] for i in stack.invocations() if "poison-c2" in i["keys"]])

    # --- crash and timeout are function errors, retried --------------------
    stack.put("crash-e0")
    check(wait_for(lambda: stack.delivered_ok("crash-e0"), 30), "a crash is retried in a new process")
    pids = open(os.path.join(stack.state, "pids")).read().split()
    check(len(pids) >= 2, "the bootstrap was restarted", pids)
    started = time.monotonic()
    stack.put("sleep-f0")
    check(wait_for(lambda: stack.delivered_ok("sleep-f0"), 40), "a timed-out invocation is retried")
    elapsed = time.monotonic() - started
    check(FUNCTION_TIMEOUT <= elapsed < FUNCTION_TIMEOUT + 20, "after the function's timeout (%.1f s)" % elapsed)
    sleeper = int(open(os.path.join(stack.state, "pids")).read().split()[-2])
    check(not os.path.exists("/proc/%d" % sleeper) or open("/proc/%d/stat" % sleeper).read().split()[2] == "Z",
          "the timed-out process was killed")

    # --- a deploy is picked up by the next batch ---------------------------
    key, sha_two = stack.upload(fake_zip("two"))
    stack.lam.update_function_code(FunctionName="local-runner-test", S3Bucket=stack.bucket, S3Key=key)
    stack.put("d0")
    done = wait_for(lambda: stack.delivered_ok("d0"), 30)
    check(done and done[0]["version"] == "two", "the next batch runs the new code", done)

    # --- outbox ------------------------------------------------------------
    for owner, subject in (("alice", "Änderung an Ihrem Eintrag"), ("bob", "Item changed")):
        stack.sns.publish(TopicArn=stack.topic_arn, Subject=subject, Message="hello %s\nsecond line" % owner,
                          MessageAttributes={"owner": {"DataType": "String", "StringValue": owner},
                                             "table": {"DataType": "String", "StringValue": "items"},
                                             "event": {"DataType": "String", "StringValue": "MODIFY"}})
    outbox = os.path.join(stack_dir, "outbox")

    def mails(address):
        folder = os.path.join(outbox, address)
        return sorted(os.listdir(folder)) if os.path.isdir(folder) else []

    expected = {"alice@example.com": 1, "bob@example.com": 1, "audit@example.com": 2, "prefix@example.com": 1,
                "zed@example.com": 0}
    wait_for(lambda: all(len(mails(a)) >= n for a, n in expected.items()), 30)
    time.sleep(1.5)   # nothing more may arrive
    counts = {a: len(mails(a)) for a in expected}
    check(counts == expected, "one .eml per matching subscription, none for others", counts)
    if mails("alice@example.com"):
        path = os.path.join(outbox, "alice@example.com", mails("alice@example.com")[0])
        raw = open(path, "rb").read()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        check(message["To"] == "alice@example.com" and message["Subject"] == "Änderung an Ihrem Eintrag" and
              message["X-Dbtrigger-Owner"] == "alice" and message["X-Dbtrigger-Table"] == "items" and
              message["X-Dbtrigger-Event"] == "MODIFY", "headers, RFC 2047 subject", dict(message.items()))
        check(b"=?UTF-8?B?" in raw and b"\r\n" in raw and "no-reply@sns.amazonaws.com" in message["From"],
              "encoded-word on the wire, CRLF lines, SNS sender")
        check(message.get_content().replace("\r\n", "\n").startswith("hello alice\nsecond line"), "the message is the body")
        check(message["Message-ID"].endswith("@sns.amazonaws.com>") and
              mails("alice@example.com")[0].endswith(".eml"), "Message-ID from the SNS MessageId")

    # --- checkpoint, clean stop, resume ------------------------------------
    status = json.load(open(os.path.join(stack_dir, "runner-status.json")))
    check(status.get("state") == "running" and status.get("pid") == runner.process.pid and
          len(status.get("mappings", [])) == 1, "runner-status.json lists the mapping", status)
    check(os.path.exists(os.path.join(stack_dir, "runner.pid")), "runner.pid while running")
    last_pid = int(open(os.path.join(stack.state, "pids")).read().split()[-1])
    code = runner.stop()
    check(code == 0, "SIGTERM stops it cleanly (exit %s)" % code)
    check(not os.path.exists(os.path.join(stack_dir, "runner.pid")), "runner.pid removed")
    check(not os.path.exists("/proc/%d" % last_pid), "its bootstrap process is gone")
    checkpoints = json.load(open(os.path.join(stack_dir, "checkpoints.json")))
    shard = next(iter(next(iter(checkpoints.values())).values()))
    d0_seq = stack.delivered_ok("d0")[0]["seqs"][0]
    check(shard.get("sequenceNumber") == d0_seq, "checkpoint = the last record done", shard)

    before = len(stack.invocations())
    stack.put("h0")
    runner2 = Runner(binary, stack_dir)
    try:
        done = wait_for(lambda: stack.delivered_ok("h0"), 30)
        time.sleep(1.5)
        fresh = stack.invocations()[before:]
        check(done and [k for i in fresh for k in i["keys"]] == ["h0"], "a restarted runner resumes after its checkpoint",
              [i["keys"] for i in fresh])
    finally:
        runner2.stop()


if __name__ == "__main__":
    sys.exit(main())
