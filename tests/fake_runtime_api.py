"""A fake Lambda Runtime API (2018-06-01) on loopback, for the handler tests.

A test fake at a boundary the local stack cannot provide: moto emulates the
AWS services but not the Runtime API a custom runtime talks to inside a
Lambda execution environment. (dbtrigger-local serves the real thing for
the local stack; these tests drive the packaged bootstrap directly, one
invocation at a time.)

    api = FakeRuntimeApi()            # listens on 127.0.0.1:<free port>
    api.start()
    env["AWS_LAMBDA_RUNTIME_API"] = api.address
    request_id = api.invoke(b'{"Records": [...]}', deadline_ms=...)
    result = api.wait_result(request_id, timeout=30)
    result.kind      # "response" or "error"
    result.body      # bytes posted
    result.headers   # dict, names lower-cased
    api.init_errors  # [Result] posted to /runtime/init/error
    api.stop()       # a pending next is answered 500: the runtime exits

Every request is recorded in api.requests as (method, path).
"""

import http.server
import json
import queue
import threading
import time
import uuid

PREFIX = "/2018-06-01/runtime"


class Result:
    def __init__(self, kind, body, headers):
        self.kind = kind
        self.body = body
        self.headers = headers

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"Result({self.kind!r}, {self.body[:200]!r})"


class FakeRuntimeApi:
    def __init__(self):
        self.pending = queue.Queue()
        self.results = {}
        self.init_errors = []
        self.requests = []
        self.first_next_at = None  # time.monotonic() of the first next
        self.lock = threading.Condition()
        self.stopping = threading.Event()
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status, body=b"", headers=()):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                with api.lock:
                    api.requests.append(("GET", self.path))
                if self.path != PREFIX + "/invocation/next":
                    self.reply(404, b'{"errorType":"NotFound"}')
                    return
                if api.first_next_at is None:
                    api.first_next_at = time.monotonic()
                while True:
                    if api.stopping.is_set():
                        self.reply(500, b'{"errorType":"Runtime.ExitError","errorMessage":"stopping"}')
                        return
                    try:
                        item = api.pending.get(timeout=0.05)
                        break
                    except queue.Empty:
                        continue
                request_id, event, deadline_ms = item
                self.reply(200, event, [
                    ("Content-Type", "application/json"),
                    ("Lambda-Runtime-Aws-Request-Id", request_id),
                    ("Lambda-Runtime-Deadline-Ms", str(deadline_ms)),
                    ("Lambda-Runtime-Invoked-Function-Arn",
                     "arn:aws:lambda:us-east-1:123456789012:function:dbtrigger-handler"),
                    ("Lambda-Runtime-Trace-Id",
                     "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"),
                ])

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                with api.lock:
                    api.requests.append(("POST", self.path))
                parts = self.path[len(PREFIX):].strip("/").split("/")
                if parts == ["init", "error"]:
                    with api.lock:
                        api.init_errors.append(Result("init-error", body, headers))
                        api.lock.notify_all()
                    self.reply(202, b'{"status":"OK"}')
                elif len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
                    with api.lock:
                        api.results[parts[1]] = Result(parts[2], body, headers)
                        api.lock.notify_all()
                    self.reply(202, b'{"status":"OK"}')
                else:
                    self.reply(404, b'{"errorType":"NotFound"}')

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = "127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        time.sleep(0.1)
        self.server.shutdown()
        self.server.server_close()

    def invoke(self, event, deadline_ms=None, request_id=None):
        if isinstance(event, str):
            event = event.encode()
        request_id = request_id or str(uuid.uuid4())
        if deadline_ms is None:
            deadline_ms = int(time.time() * 1000) + 60_000
        self.pending.put((request_id, event, deadline_ms))
        return request_id

    def wait_result(self, request_id, timeout=30):
        end = time.monotonic() + timeout
        with self.lock:
            while request_id not in self.results:
                left = end - time.monotonic()
                if left <= 0:
                    return None
                self.lock.wait(left)
            return self.results[request_id]

    def wait_init_error(self, timeout=30):
        end = time.monotonic() + timeout
        with self.lock:
            while not self.init_errors:
                left = end - time.monotonic()
                if left <= 0:
                    return None
                self.lock.wait(left)
            return self.init_errors[0]
