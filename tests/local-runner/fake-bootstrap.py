#!/usr/bin/env python3
"""A stand-in Lambda runtime for tests/test-local-runner.py: speaks the
Runtime API like a real bootstrap and behaves by the record keys it gets.

Environment (the function's variables): FAKE_LOG, a file to which each
invocation appends one JSON line (request id, deadline, version, sequence
numbers, keys, the first record's envelope fields, outcome); FAKE_STATE, a
folder for one-shot markers. Keys (attribute "pk"):
  poison-*   the invocation posts an error, every time
  partial-*  the first time: {"batchItemFailures":[{"itemIdentifier": its seq}]}
  crash-*    the first time: the process exits in the middle
  sleep-*    the first time: no answer until long past the deadline
  initfail-* (in FAKE_INIT_FAIL) posts init/error and exits
anything else succeeds ({"batchItemFailures":[]}). VERSION is replaced when
the test builds another zip, to see which code ran.
"""
import http.client
import json
import os
import sys
import time

VERSION = "one"


def main():
    host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
    log_path = os.environ["FAKE_LOG"]
    state = os.environ["FAKE_STATE"]
    os.makedirs(state, exist_ok=True)
    with open(os.path.join(state, "pids"), "a") as f:
        f.write("%d\n" % os.getpid())
    # What the runner passed on: the test checks nothing else leaked in.
    with open(os.path.join(state, "environment.json"), "w") as f:
        json.dump(dict(os.environ), f)
    conn = http.client.HTTPConnection(host, int(port))

    def post(path, body, headers=None):
        conn.request("POST", path, body=json.dumps(body), headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status

    def once(marker):
        path = os.path.join(state, marker)
        if os.path.exists(path):
            return False
        open(path, "w").close()
        return True

    while True:
        conn.request("GET", "/2018-06-01/runtime/invocation/next")
        response = conn.getresponse()
        event = json.loads(response.read())
        request_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
        records = event["Records"]
        keys = [r["dynamodb"]["Keys"]["pk"]["S"] for r in records]
        seqs = [r["dynamodb"]["SequenceNumber"] for r in records]
        entry = {
            "requestId": request_id,
            "deadlineMs": int(response.getheader("Lambda-Runtime-Deadline-Ms")),
            "functionArn": response.getheader("Lambda-Runtime-Invoked-Function-Arn"),
            "traceId": response.getheader("Lambda-Runtime-Trace-Id"),
            "version": VERSION,
            "keys": keys,
            "seqs": seqs,
            "first": {k: records[0].get(k) for k in ("eventSourceARN", "eventSource", "awsRegion", "eventVersion", "eventName")},
        }
        outcome = "ok"
        body = {"batchItemFailures": []}
        for key, seq in zip(keys, seqs):
            if key.startswith("poison-"):
                outcome = "error"
                break
            if key.startswith("partial-") and once(key):
                outcome = "partial"
                body = {"batchItemFailures": [{"itemIdentifier": seq}]}
                break
            if key.startswith("crash-") and once(key):
                outcome = "crash"
                break
            if key.startswith("sleep-") and once(key):
                outcome = "sleep"
                break
        entry["outcome"] = outcome
        with open(log_path, "a") as f:
            f.write(json.dumps(entry) + "\n")
        if outcome == "crash":
            os._exit(3)
        if outcome == "sleep":
            time.sleep(60)
        if outcome == "error":
            post("/2018-06-01/runtime/invocation/%s/error" % request_id,
                 {"errorMessage": "poison record", "errorType": "Poison"},
                 {"Lambda-Runtime-Function-Error-Type": "Poison"})
        else:
            post("/2018-06-01/runtime/invocation/%s/response" % request_id, body)


if __name__ == "__main__":
    sys.exit(main())
