"""The packaged handler, end to end, against a private local stack.

Run by tests/test-handler-package.sh inside `build-aux/local-stack with`:

    handler_package_check.py UNZIPPED_DIR [ZIP EXECUTABLE]

Creates the notification log (as terraform/table.tf does), a topic and an
SQS queue subscribed to it, starts the fake Runtime API, runs the unzipped
`bootstrap` under `env -i` (only the Lambda variables), feeds it one stream
batch, then the same batch again, and checks what reached the queue, the
log and stdout. Given the zip and the executable it was made from, also
packages that executable again and checks the zip is byte for byte the same
(a reproducible build). TAP on stdout.
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import handler_stack  # noqa: E402
from fake_runtime_api import FakeRuntimeApi  # noqa: E402
from handler_stack import read_queue, the_event  # noqa: E402

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok" if ok else "not ok") + f" {len(results)} - {name}")
    if not ok and detail:
        for line in str(detail).splitlines():
            print("#   " + line)
    sys.stdout.flush()
    return ok


def mapped_files(pid):
    files = set()
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            fields = line.split(maxsplit=5)
            if len(fields) == 6:
                files.add(fields[5].strip())
    return files


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check_reproducible(zip_path, executable):
    packager = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build-aux", "package-handler.sh")
    with tempfile.TemporaryDirectory() as scratch:
        again = os.path.join(scratch, "again.zip")
        subprocess.run([packager, executable, again], check=True)
        check("packaging the same executable again gives the same bytes",
              sha256(again) == sha256(zip_path), f"{sha256(again)} != {sha256(zip_path)}")


def check_lean(package):
    """The handler links the OpenSSL transport: Debian's libcurl, and the
    TLS stack and protocol libraries it loads, stay out of the zip."""
    bundled = sorted(os.listdir(os.path.join(package, "runtime", "lib")))
    unwanted = [name for name in bundled
                if name.startswith(("libcurl", "libgnutls", "libnghttp2", "libssh", "librtmp",
                                    "libldap", "libkrb5", "libgssapi"))]
    check("no libcurl, GnuTLS, LDAP, Kerberos, SSH or RTMP in the zip", not unwanted,
          "bundled: %s" % " ".join(bundled))
    check("the zip bundles libssl for the transport", any(n.startswith("libssl.so") for n in bundled),
          "bundled: %s" % " ".join(bundled))
    # Lambda puts /var/task and /var/task/lib on every process's
    # LD_LIBRARY_PATH: a bundled libc there would be loaded into the
    # runtime's own /bin/sh, which runs bootstrap.
    on_lambda_path = [name for name in os.listdir(package) + (
        os.listdir(os.path.join(package, "lib")) if os.path.isdir(os.path.join(package, "lib")) else [])
        if ".so" in name]
    check("no shared library where Lambda's default LD_LIBRARY_PATH looks (/var/task, /var/task/lib)",
          not on_lambda_path, " ".join(on_lambda_path))


def main():
    package = os.path.realpath(sys.argv[1])
    if len(sys.argv) > 3:
        check_reproducible(sys.argv[2], sys.argv[3])
    check_lean(package)
    endpoint = os.environ["AWS_ENDPOINT_URL"]
    stack = handler_stack.create(endpoint)
    ddb, sqs, queue_url = stack.ddb, stack.sqs, stack.queue_url

    api = FakeRuntimeApi().start()
    lambda_env = stack.lambda_env(api.address)
    argv = ["env", "-i"] + [f"{k}={v}" for k, v in lambda_env.items()] + ["./bootstrap"]
    process = subprocess.Popen(argv, cwd=package, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(l.decode() for l in process.stdout), daemon=True)
    reader.start()
    stderr = []
    errors = threading.Thread(target=lambda: stderr.extend(l.decode() for l in process.stderr), daemon=True)
    errors.start()

    try:
        event = json.dumps(the_event())
        first = api.invoke(event)
        result = api.wait_result(first, timeout=60)
        check("first invocation answered", result is not None and result.kind == "response",
              f"{result!r} stderr: {''.join(stderr)}")
        check("response is {\"batchItemFailures\":[]}",
              result is not None and result.kind == "response" and result.json() == {"batchItemFailures": []},
              repr(result))

        # Back in next: nothing it has mapped comes from outside the package.
        time.sleep(0.3)
        files = mapped_files(process.pid)
        outside = sorted(f for f in files
                         if f.startswith("/") and not f.startswith(package + "/"))
        inside = sorted(f for f in files if f.startswith(package + "/"))
        check("every mapped file is in the unzipped package", not outside and len(inside) > 10,
              "outside: %s\ninside: %d files" % (outside, len(inside)))
        check("the bundled loader and libc are the ones mapped",
              package + "/runtime/lib/ld-linux-x86-64.so.2" in files
              and package + "/runtime/lib/libc.so.6" in files,
              "\n".join(inside))

        messages = read_queue(sqs, queue_url, 2, timeout=20)
        owners = sorted(m["MessageAttributes"]["owner"]["Value"] for m in messages)
        check("two messages reached the queue, one per owner", owners == ["alice", "bob"],
              json.dumps(messages, indent=1)[:2000])
        alice = [m for m in messages if m["MessageAttributes"]["owner"]["Value"] == "alice"]
        check("alice's digest covers her two changes",
              len(alice) == 1 and "a-1" in alice[0]["Message"] and "a-2" in alice[0]["Message"]
              and alice[0]["MessageAttributes"]["table"]["Value"] == "orders"
              and alice[0]["MessageAttributes"]["event"]["Value"] == "MIXED",
              json.dumps(alice, indent=1)[:2000])

        entries = ddb.scan(TableName=handler_stack.LOG_TABLE, ConsistentRead=True)["Items"]
        by_pk = {e["pk"]["S"]: e for e in entries}
        check("the log holds SENT entries for each (eventID#owner)",
              sorted(by_pk) == ["ev-1#alice", "ev-2#bob", "ev-3#alice"]
              and all(e["state"]["S"] == "SENT" and e["messageId"]["S"] for e in entries),
              json.dumps(entries, indent=1)[:3000])
        sample = by_pk.get("ev-2#bob", {})
        check("log entries carry the console's attributes",
              sample.get("owner", {}).get("S") == "bob"
              and sample.get("sequenceNumber", {}).get("S") == "200"
              and sample.get("table", {}).get("S") == "orders"
              and sample.get("event", {}).get("S") == "MODIFY"
              and sample.get("key", {}).get("S") == 'id="b-1"'
              and sample.get("sentAt", {}).get("S", "").endswith("Z")
              and int(sample.get("expiresAt", {}).get("N", "0")) > time.time() + 29 * 86400
              and int(sample.get("claimedAt", {}).get("N", "0")) > 0
              and sample.get("subject", {}).get("S", "") != "",
              json.dumps(sample, indent=1))
        index = ddb.query(TableName=handler_stack.LOG_TABLE, IndexName="owner-sentAt-index",
                          KeyConditionExpression="#o = :o", ExpressionAttributeNames={"#o": "owner"},
                          ExpressionAttributeValues={":o": {"S": "alice"}}, ScanIndexForward=False)
        check("owner-sentAt-index lists alice's notifications", index["Count"] == 2, repr(index))

        # The same batch again: Lambda's at-least-once redelivery.
        second = api.invoke(event)
        result = api.wait_result(second, timeout=60)
        check("the same batch again: answered with no failures",
              result is not None and result.kind == "response"
              and result.json() == {"batchItemFailures": []}, repr(result))
        again = read_queue(sqs, queue_url, 1, timeout=3)
        check("nothing new reached the queue", again == [], json.dumps(again)[:1000])

        time.sleep(0.2)
        logs = [json.loads(l) for l in lines if l.startswith("{")]
        batches = [l for l in logs if l.get("message") == "batch processed"]
        check("one log line per invocation, with its request id",
              [b.get("requestId") for b in batches] == [first, second], "\n".join(lines))
        check("the log line shows the duplicates suppressed",
              len(batches) == 2 and batches[0].get("notified") == 2 and batches[0].get("changesDelivered") == 3
              and batches[1].get("notified") == 0 and batches[1].get("duplicatesSuppressed") == 3,
              json.dumps(batches))
        emf = [l for l in logs if "_aws" in l]
        check("an EMF document per invocation",
              len(emf) == 2 and emf[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "dbtrigger",
              json.dumps(emf)[:2000])
        check("stdout carries no owner ids, keys or secrets",
              not any(s in "".join(lines) for s in ("alice", "bob", "a-1", "testing", "session-token")),
              "".join(lines))
    finally:
        api.stop()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    check("the runtime exits when the Runtime API reports a container error",
          process.returncode == 1, f"exit status {process.returncode}")
    print(f"1..{len(results)}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
