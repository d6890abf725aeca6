"""What the end-to-end tests share: TAP output, bounded waits, and a
private local stack provisioned by Terraform with the real handler zip
and dbtrigger-local serving it — its outbox, logs, failed-batches queue
and the stream itself, as the tests read them.

The stack is the one build-aux/local-stack started for the test
(DBT_STACK_DIR, AWS_ENDPOINT_URL); nothing here starts or stops moto.
"""
import email
import email.policy
import json
import os
import re
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)


# --- TAP -----------------------------------------------------------------

results = []


def check(condition, description, detail=""):
    """One TAP line; on failure, @detail (anything JSON can show) as comments."""
    results.append(bool(condition))
    print("%s %d - %s" % ("ok" if condition else "not ok", len(results), description), flush=True)
    if not condition and detail:
        for line in json.dumps(detail, indent=1, default=str).splitlines():
            print("#   " + line, flush=True)
    return bool(condition)


def note(text):
    for line in str(text).splitlines():
        print("# " + line, flush=True)


def skip_all(reason):
    print("1..0 # SKIP %s" % reason, flush=True)
    sys.exit(77)


def finish():
    print("1..%d" % len(results), flush=True)
    sys.exit(0 if results and all(results) else 1)


def wait_for(predicate, timeout, interval=0.25):
    """Polls until predicate() is truthy (returns it) or @timeout seconds
    pass (returns the last value)."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= end:
            return value
        time.sleep(interval)


def require_stack():
    """Skips the test (exit 77) outside a local stack or without its tools."""
    if not os.environ.get("DBT_STACK_DIR") or not os.environ.get("AWS_ENDPOINT_URL"):
        skip_all("run under build-aux/local-stack with")
    try:
        import boto3  # noqa: F401
    except ImportError:
        skip_all("boto3 is not installed")
    if subprocess.run(["sh", "-c", "command -v terraform"], stdout=subprocess.DEVNULL).returncode != 0:
        skip_all("terraform is not installed")


# --- mail ----------------------------------------------------------------

class Mail:
    """One .eml of the outbox."""

    def __init__(self, address, path):
        with open(path, "rb") as f:
            raw = f.read()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        self.address = address
        self.name = os.path.basename(path)
        self.size = len(raw)
        self.owner = message["X-Dbtrigger-Owner"]
        self.event = message["X-Dbtrigger-Event"]
        self.to = message["To"]
        self.id = message["Message-ID"]
        self.subject = message["Subject"]
        self.body = message.get_content()
        # What the handler published (SNS appends its footer to e-mail).
        self.message = self.body.split("\n\n--\nIf you wish to stop receiving", 1)[0]

    def as_dict(self):
        return {"owner": self.owner, "event": self.event, "to": self.to, "id": self.id,
                "subject": self.subject, "body": self.body}


# "3. MODIFY pk="a-1"" opens a digest entry; a single change's message says
# "Event: MODIFY" and "Key: pk="a-1"" (handler/dbt-message.c).
_DIGEST_ENTRY = re.compile(r"^(\d+)\. (INSERT|MODIFY|REMOVE) (.+)$", re.M)
_SINGLE_EVENT = re.compile(r"^Event: (INSERT|MODIFY|REMOVE)$", re.M)
_SINGLE_KEY = re.compile(r"^Key: (.+)$", re.M)


def changes_in(message_text):
    """The changes one message lists, in order: [(event, key text, entry text)]."""
    # .eml bodies end their lines with CRLF; the patterns expect LF.
    message_text = message_text.replace("\r\n", "\n")
    entries = list(_DIGEST_ENTRY.finditer(message_text))
    if entries:
        found = []
        for i, match in enumerate(entries):
            end = entries[i + 1].start() if i + 1 < len(entries) else len(message_text)
            found.append((match.group(2), match.group(3).strip(), message_text[match.start():end]))
        return found
    event, key = _SINGLE_EVENT.search(message_text), _SINGLE_KEY.search(message_text)
    if event and key:
        return [(event.group(1), key.group(1).strip(), message_text)]
    return []


def key_text(pk):
    """How a message names the item with partition key @pk (an S key)."""
    return 'pk="%s"' % pk


# --- the stack -----------------------------------------------------------

def hcl_owners(owners):
    """owner id → [addresses] as a Terraform -var value."""
    return "{%s}" % ",".join("%s=[%s]" % (json.dumps(owner), ",".join(json.dumps(a) for a in addresses))
                             for owner, addresses in sorted(owners.items()))


class Stack:
    def __init__(self):
        import boto3

        self.boto3 = boto3
        self.dir = os.environ["DBT_STACK_DIR"]
        self.endpoint = os.environ["AWS_ENDPOINT_URL"]
        self.outbox = os.path.join(self.dir, "outbox")
        self.runner = None
        self.outputs = {}
        self._load_outputs()

    # Terraform ----------------------------------------------------------

    def _load_outputs(self):
        path = os.path.join(self.dir, "terraform-outputs.json")
        if os.path.exists(path):
            with open(path) as f:
                self.outputs = {k: v["value"] for k, v in json.load(f).items()}
        region = self.outputs.get("region") or os.environ.get("AWS_REGION", "us-east-1")
        kw = {"endpoint_url": self.endpoint, "region_name": region}
        self.ddb = self.boto3.client("dynamodb", **kw)
        self.ddb_resource = self.boto3.resource("dynamodb", **kw)
        self.streams = self.boto3.client("dynamodbstreams", **kw)
        self.lam = self.boto3.client("lambda", **kw)
        self.sqs = self.boto3.client("sqs", **kw)
        self.sns = self.boto3.client("sns", **kw)

    def apply(self, handler_zip, variables, log_name="terraform.log"):
        """terraform-local.sh apply with -var NAME=VALUE for each of
        @variables; returns the seconds it took, or None (after showing the
        log's tail) when it failed."""
        args = [os.path.join(TOP, "build-aux", "terraform-local.sh"), "apply", "--dir", self.dir,
                "--zip", handler_zip, "--"]
        for name, value in variables.items():
            args += ["-var", "%s=%s" % (name, value)]
        log_path = os.path.join(self.dir, log_name)
        started = time.monotonic()
        with open(log_path, "w") as log:
            rc = subprocess.run(args, stdout=log, stderr=subprocess.STDOUT).returncode
        if rc != 0:
            with open(log_path) as f:
                note("terraform apply failed:\n" + "".join(f.readlines()[-30:]))
            return None
        self._load_outputs()
        return time.monotonic() - started

    # The runner -----------------------------------------------------------

    def start_runner(self, runner_path):
        env = dict(os.environ)
        # Warnings are logged, not fatal, in the runner; criticals stay fatal.
        env["G_DEBUG"] = "fatal-criticals"
        out = open(os.path.join(self.dir, "runner.out"), "a")
        self.runner = subprocess.Popen([runner_path, "--stack-dir", self.dir, "--verbose"],
                                       stdout=out, stderr=subprocess.STDOUT, env=env)
        out.close()
        # Up when it serves the mapping and its outbox queue hears the topic.
        return wait_for(lambda: self.runner.poll() is None and self._mapping_served() and
                        "outbox: subscribed to %s" % self.outputs.get("topic_arn") in self.runner_log(), 60)

    def _mapping_served(self):
        status = self.runner_status()
        uuid = self.outputs.get("event_source_mapping_uuid")
        return status.get("state") == "running" and any(m.get("uuid") == uuid for m in status.get("mappings", []))

    def stop_runner(self):
        """SIGTERM and wait; TRUE when it exited 0 and removed its pid file."""
        if self.runner is None:
            return False
        self.runner.send_signal(signal.SIGTERM)
        try:
            rc = self.runner.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.runner.kill()
            self.runner.wait()
            rc = None
        self.runner = None
        return rc == 0 and not os.path.exists(os.path.join(self.dir, "runner.pid"))

    def runner_status(self):
        try:
            with open(os.path.join(self.dir, "runner-status.json")) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def runner_log(self):
        try:
            with open(os.path.join(self.dir, "runner.log"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def function_log_path(self):
        return os.path.join(self.dir, "logs", "%s.log" % self.outputs.get("function_name", "dbtrigger-handler"))

    def function_log(self):
        try:
            with open(self.function_log_path(), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def bootstrap_pid(self):
        """The pid of the function's running bootstrap process (a child of
        the runner), or None."""
        if self.runner is None:
            return None
        pids = re.findall(r"started bootstrap \(pid (\d+)\)", self.runner_log())
        for pid in reversed(pids):
            try:
                with open("/proc/%s/stat" % pid) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.runner.pid and fields[0] != "Z":
                return int(pid)
        return None

    # What a sanitizer build (build-aux/dbt test's second pass) prints when
    # it finds an error: the handler's go to the function's log, the
    # runner's to runner.out.
    _SANITIZER_REPORT = re.compile(r"ERROR: (?:Address|Leak|Memory|Thread)Sanitizer|"
                                   r"SUMMARY: \w+Sanitizer|: runtime error: ")

    def sanitizer_reports(self):
        """The lines of the function's log and the runner's output that
        report a sanitizer finding: [(file name, line)]."""
        found = []
        for path in (self.function_log_path(), os.path.join(self.dir, "runner.out"),
                     os.path.join(self.dir, "runner.log")):
            try:
                with open(path, errors="replace") as f:
                    found += [(os.path.basename(path), line.rstrip()) for line in f
                              if self._SANITIZER_REPORT.search(line)]
            except OSError:
                pass
        return found

    def check_no_sanitizer_reports(self):
        reports = self.sanitizer_reports()
        return check(not reports, "no sanitizer report from the handler or the runner", reports[:20])

    def show_logs(self, lines=40):
        note("runner.log tail:\n" + "\n".join(self.runner_log().splitlines()[-lines:]))
        note("function log tail:\n" + "\n".join(self.function_log().splitlines()[-lines:]))

    # The function's log ---------------------------------------------------

    def batch_lines(self, text=None):
        """The handler's per-invocation "batch processed" JSON lines."""
        found = []
        for line in (self.function_log() if text is None else text).splitlines():
            if line.startswith("{") and '"batch processed"' in line:
                try:
                    found.append(json.loads(line))
                except ValueError:
                    pass
        return found

    # Items ----------------------------------------------------------------

    def table(self):
        return self.ddb_resource.Table(self.outputs["table_name"])

    def write(self, items):
        """Puts @items (plain dicts, boto3 resource types) with batch_writer."""
        with self.table().batch_writer() as writer:
            for item in items:
                writer.put_item(Item=item)

    def stream_records(self):
        """Every record of the table's stream so far: [(sequence number, keys, new image)]."""
        arn = self.outputs["table_stream_arn"]
        records = []
        shards = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
        for shard in shards:
            iterator = self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                                      ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            while iterator:
                page = self.streams.get_records(ShardIterator=iterator, Limit=1000)
                for record in page["Records"]:
                    change = record["dynamodb"]
                    records.append((change["SequenceNumber"], change.get("Keys", {}), change.get("NewImage")))
                if not page["Records"]:
                    break
                iterator = page.get("NextShardIterator")
        return records

    # The failed-batches queue ---------------------------------------------

    def dlq_depth(self):
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=self.outputs["queue_url"],
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        return sum(int(v) for v in attributes.values())

    def dlq_take(self):
        """Receives and deletes what the failed-batches queue holds: [parsed JSON]."""
        taken = []
        while True:
            page = self.sqs.receive_message(QueueUrl=self.outputs["queue_url"], MaxNumberOfMessages=10,
                                            WaitTimeSeconds=0)
            messages = page.get("Messages", [])
            if not messages:
                return taken
            for message in messages:
                taken.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=self.outputs["queue_url"], ReceiptHandle=message["ReceiptHandle"])

    # The outbox -------------------------------------------------------------

    def mail_names(self):
        """{(address, file name)} of every .eml so far."""
        names = set()
        if not os.path.isdir(self.outbox):
            return names
        for address in os.listdir(self.outbox):
            folder = os.path.join(self.outbox, address)
            if os.path.isdir(folder):
                names.update((address, n) for n in os.listdir(folder) if n.endswith(".eml"))
        return names

    def mails(self, exclude=frozenset()):
        """address → [Mail], in file-name (time) order, without @exclude
        ({(address, file name)} seen before)."""
        found = {}
        for address, name in sorted(self.mail_names() - set(exclude)):
            found.setdefault(address, []).append(Mail(address, os.path.join(self.outbox, address, name)))
        return found

    def wait_mail(self, enough, timeout, quiet=3.0, exclude=frozenset()):
        """Waits until enough(count of new mails) holds and the outbox has not
        changed for @quiet seconds, or @timeout; returns the new mails."""
        end = time.monotonic() + timeout
        last, since = None, time.monotonic()
        while time.monotonic() < end:
            count = len(self.mail_names() - set(exclude))
            if count != last:
                last, since = count, time.monotonic()
            if enough(count) and time.monotonic() - since >= quiet:
                break
            time.sleep(0.25)
        return self.mails(exclude)
