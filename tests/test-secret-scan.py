#!/usr/bin/env python3
"""No secret in what the handler, the local runner and the console write.

usage: local-stack with -- test-secret-scan.py HANDLER_ZIP DBTRIGGER_LOCAL TEST_UI_CONNECTIONS
TAP on stdout. Skips (77) outside a local stack, without terraform, boto3,
xvfb-run or dbus-run-session.

Marked secrets, random per run:
  - the stack's secret access key: written into <stack dir>/stack.env, the
    file the runner reads and whose credentials it hands to the handler;
    also given to Terraform (-var local_secret_key) and exported as
    AWS_SECRET_ACCESS_KEY to every process this test starts;
  - a session token: exported as AWS_SESSION_TOKEN, and set in the
    function's environment (as Lambda gives a function its role's token),
    so the handler signs with it;
  - the console's keyring secret: test-ui-connections saves a connection
    whose secret access key goes to the keyring (libsecret's file backend)
    and resolves it again; its TEST_SECRET is read from its source.

Traffic: items for two owners (delivered), then SNS answering 403
InvalidClientTokenId / SignatureDoesNotMatch (a fake SNS endpoint set in the
function's environment; the batch fails, is retried, and lands in the
failed-batches queue), then delivery again. The fake endpoint also proves
the handler used the marked credentials: each request carries the marked
access key id and session token and its SigV4 signature verifies with the
marked secret key.

Then every file under the stack directory (logs/<function>.log, runner.log,
runner.out, runner-status.json, the outbox, Terraform's state and logs,
the code cache) and under the console test's private home (its keyring
file included, and the test's own output) is searched for each secret in
plain, base64 (at each alignment), URL-encoded and JSON-escaped form.
stack.env itself, where the stack secret is put on purpose, and Terraform's
provider binaries are not searched. None may contain any. The scanner is
shown able to fail first: planted files holding each form must be found.
"""
import base64
import hashlib
import hmac
import http.server
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_stack  # noqa: E402
from e2e_stack import check, note, wait_for  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

if len(sys.argv) != 4 or not os.path.isfile(sys.argv[1]) or not all(os.access(p, os.X_OK) for p in sys.argv[2:]):
    e2e_stack.skip_all("usage: test-secret-scan.py HANDLER_ZIP DBTRIGGER_LOCAL TEST_UI_CONNECTIONS")
e2e_stack.require_stack()
for tool in ("xvfb-run", "dbus-run-session"):
    if shutil.which(tool) is None:
        e2e_stack.skip_all("%s is not installed" % tool)
HANDLER_ZIP, RUNNER, UI_TEST = sys.argv[1:]

ACCESS_KEY_ID = "AKIADBTSCAN" + secrets.token_hex(5).upper()
STACK_SECRET = "dbtSECRETscan" + secrets.token_hex(16)
SESSION_TOKEN = "dbtTOKENscan" + secrets.token_hex(24)
with open(os.path.join(HERE, "test-ui-connections.c")) as f:
    UI_SECRET = re.search(r'#define TEST_SECRET "([^"]+)"', f.read()).group(1)
SECRETS = {"stack secret key": STACK_SECRET, "session token": SESSION_TOKEN, "keyring secret": UI_SECRET}


# --- the scanner ---------------------------------------------------------------

def encodings(secret):
    """name → bytes: the forms in which @secret could be written."""
    raw = secret.encode()
    forms = {"plain": raw,
             "url-encoded": urllib.parse.quote(secret, safe="").encode(),
             "form-encoded": urllib.parse.quote_plus(secret).encode(),
             "json-escaped": json.dumps(secret)[1:-1].replace("/", "\\/").encode()}
    # Base64 of a longer text holding the secret: 3 alignments; the
    # characters that depend on the neighbours are dropped.
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw)
        start = 4 if shift else 0
        end = len(encoded) - (4 if (shift + len(raw)) % 3 else 0)
        forms["base64/%d" % shift] = encoded[start:end]
        forms["base64url/%d" % shift] = encoded[start:end].replace(b"+", b"-").replace(b"/", b"_")
    return {name: form for name, form in forms.items() if len(form) >= 16}


SKIP_DIRS = {os.path.join(".terraform", "providers")}


def scan(roots, skip_files=()):
    """Searches every regular file under @roots: (files, bytes, [finding])."""
    needles = [(label, form_name, form) for label, secret in SECRETS.items()
               for form_name, form in encodings(secret).items()]
    files = size = 0
    findings = []
    for root in roots:
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if not any(os.path.join(folder, d).endswith(s) for s in SKIP_DIRS)]
            for name in names:
                path = os.path.join(folder, name)
                if os.path.islink(path) or not os.path.isfile(path) or path in skip_files:
                    continue
                try:
                    with open(path, "rb") as f:
                        data = f.read()
                except OSError:
                    continue
                files += 1
                size += len(data)
                for label, form_name, form in needles:
                    if form in data:
                        findings.append("%s: %s (%s) at byte %d" % (path, label, form_name, data.find(form)))
    return files, size, findings


def scanner_self_test(folder):
    """Plants each secret in each form inside larger text: all must be found."""
    os.makedirs(folder, exist_ok=True)
    planted = 0
    for label, secret in SECRETS.items():
        for form_name, form in encodings(secret).items():
            planted += 1
            with open(os.path.join(folder, "%d.log" % planted), "wb") as f:
                f.write(b"prefix " + form + b" suffix\n")
    # A secret inside a larger base64 blob (an encrypted or encoded dump).
    blob = base64.b64encode(b"x" * 7 + STACK_SECRET.encode() + b"tail")
    with open(os.path.join(folder, "blob.b64"), "wb") as f:
        f.write(blob)
    planted += 1
    files, size, findings = scan([folder])
    found_files = {f.split(":")[0] for f in findings}
    shutil.rmtree(folder)
    return planted, len(found_files)


# --- a fake SNS that refuses the credentials -----------------------------------

class RefusingSns(http.server.BaseHTTPRequestHandler):
    requests = []
    errors = [("InvalidClientTokenId", "The security token included in the request is invalid."),
              ("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you "
                                        "provided. Check your AWS Secret Access Key and signing method.")]

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        RefusingSns.requests.append((self.command, self.path, dict(self.headers.items()), body))
        code, message = self.errors[len(RefusingSns.requests) % 2]
        reply = ('<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type>'
                 '<Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>' %
                 (code, message, secrets.token_hex(16))).encode()
        self.send_response(403)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


def sigv4_valid(method, path, headers, body, secret_key):
    """Whether the request's SigV4 Authorization verifies with @secret_key."""
    headers = {k.lower(): v for k, v in headers.items()}
    match = re.match(r"AWS4-HMAC-SHA256 Credential=([^/]+)/([^/]+)/([^/]+)/([^/]+)/aws4_request, "
                     r"SignedHeaders=([^,]+), Signature=([0-9a-f]+)", headers.get("authorization", ""))
    if not match:
        return False
    _, day, region, service, signed, signature = match.groups()
    url = urllib.parse.urlsplit(path)
    query = "&".join(sorted("%s=%s" % (urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~"))
                            for k, v in urllib.parse.parse_qsl(url.query, keep_blank_values=True)))
    canonical_headers = "".join("%s:%s\n" % (h, " ".join(headers.get(h, "").split())) for h in signed.split(";"))
    payload = headers.get("x-amz-content-sha256") or hashlib.sha256(body).hexdigest()
    canonical = "\n".join([method, url.path or "/", query, canonical_headers, signed, payload])
    scope = "%s/%s/%s/aws4_request" % (day, region, service)
    to_sign = "\n".join(["AWS4-HMAC-SHA256", headers.get("x-amz-date", ""), scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret_key).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.compare_digest(hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), signature)


# --- the pipeline --------------------------------------------------------------

stack = e2e_stack.Stack()
planted, found = scanner_self_test(os.path.join(stack.dir, "scanner-self-test"))
check(found == planted, "the scanner finds each secret in each of its %d planted forms" % planted,
      {"planted": planted, "found": found})

# The stack's credentials become the marked ones, for the runner, the
# handler it starts, and everything else this test starts.
env_path = os.path.join(stack.dir, "stack.env")
with open(env_path) as f:
    lines = [line for line in f.read().splitlines()
             if not line.startswith(("AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY="))]
with open(env_path, "w") as f:
    f.write("\n".join(lines + ["AWS_ACCESS_KEY_ID=" + ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY=" + STACK_SECRET]) + "\n")
os.environ.update({"AWS_ACCESS_KEY_ID": ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY": STACK_SECRET,
                   "AWS_SESSION_TOKEN": SESSION_TOKEN})
stack = e2e_stack.Stack()

OWNERS = {"alice": ["alice@example.com"], "bob": ["bob@example.com"]}
took = stack.apply(HANDLER_ZIP, {"owners": e2e_stack.hcl_owners(OWNERS), "maximum_batching_window_in_seconds": 1,
                                 "maximum_retry_attempts": 2, "local_access_key": ACCESS_KEY_ID,
                                 "local_secret_key": STACK_SECRET}, "secret-scan-terraform.log")
if not check(took is not None, "terraform apply with the marked stack credentials"):
    e2e_stack.finish()

function = stack.outputs["function_name"]
base_environment = stack.lam.get_function_configuration(FunctionName=function)["Environment"]["Variables"]


def set_environment(extra):
    stack.lam.update_function_configuration(FunctionName=function,
                                            Environment={"Variables": dict(base_environment, **extra)})


set_environment({"AWS_SESSION_TOKEN": SESSION_TOKEN})
if not check(stack.start_runner(RUNNER), "dbtrigger-local serves the mapping with the marked credentials"):
    stack.show_logs()
    stack.stop_runner()
    e2e_stack.finish()


def write_and_wait(pks, owner, what):
    seen = stack.mail_names()
    stack.write([{"pk": pk, "owner": owner, "title": what} for pk in pks])
    mails = stack.wait_mail(lambda n: n >= 1, 60, quiet=2.0, exclude=seen)
    return [m for v in mails.values() for m in v]


mails = write_and_wait(["scan-a-1", "scan-a-2"], "alice", "delivered")
check(mails and all(m.owner == "alice" for m in mails), "the handler, signing with the marked secret, delivers",
      [m.as_dict() for m in mails])

# SNS refuses the credentials: the batch fails, is retried, lands in the queue.
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RefusingSns)
threading.Thread(target=server.serve_forever, daemon=True).start()
set_environment({"AWS_SESSION_TOKEN": SESSION_TOKEN,
                 "AWS_ENDPOINT_URL_SNS": "http://127.0.0.1:%d" % server.server_address[1]})
dlq_before = stack.dlq_depth()
stack.write([{"pk": "scan-b-1", "owner": "bob", "title": "refused"}])
refused = wait_for(lambda: stack.dlq_depth() > dlq_before and len(RefusingSns.requests) >= 2, 90, interval=0.5)
check(refused, "SNS refusing the credentials (403): the batch failed, was retried and went to the queue",
      {"requests": len(RefusingSns.requests), "queue": stack.dlq_depth()})
server.shutdown()
requests = list(RefusingSns.requests)
check(requests and all(("Credential=%s/" % ACCESS_KEY_ID) in r[2].get("Authorization", "") and
                       r[2].get("X-Amz-Security-Token") == SESSION_TOKEN for r in requests),
      "each refused request carried the marked access key id and session token",
      [{k: v for k, v in r[2].items() if k.lower() != "authorization"} for r in requests[:2]])
check(requests and all(sigv4_valid(r[0], r[1], r[2], r[3], STACK_SECRET) for r in requests) and
      not sigv4_valid(requests[0][0], requests[0][1], requests[0][2], requests[0][3], STACK_SECRET + "x"),
      "each refused request was signed with the marked secret key (its SigV4 signature verifies, not with another)")

set_environment({"AWS_SESSION_TOKEN": SESSION_TOKEN})
mails = write_and_wait(["scan-c-1"], "bob", "delivered again")
check(mails and all(m.owner == "bob" for m in mails), "with SNS back, delivery resumes",
      [m.as_dict() for m in mails])
failed_batches = [line for line in stack.batch_lines() if line.get("failed", 0) > 0]
check(failed_batches, "the function logged the refused batches (the error path's logging ran)",
      stack.batch_lines()[-5:])
check(stack.stop_runner(), "the runner stopped cleanly")
stack.check_no_sanitizer_reports()


# --- the console -----------------------------------------------------------------

ui_root = os.path.join(stack.dir, "console")
ui_env = dict(os.environ)
ui_env.update({
    "HOME": os.path.join(ui_root, "home"), "XDG_CONFIG_HOME": os.path.join(ui_root, "config"),
    "XDG_DATA_HOME": os.path.join(ui_root, "data"), "XDG_STATE_HOME": os.path.join(ui_root, "state"),
    "XDG_CACHE_HOME": os.path.join(ui_root, "cache"), "XDG_RUNTIME_DIR": os.path.join(ui_root, "runtime"),
    # Its own stack folder: the resolve test writes and removes a stack.env there.
    "DBT_STACK_DIR": os.path.join(ui_root, "stack"),
    "SECRET_BACKEND": "file", "SECRET_FILE_TEST_PATH": os.path.join(ui_root, "keyring", "test.keyring"),
    "SECRET_FILE_TEST_PASSWORD": "dbt-secret-scan-" + secrets.token_hex(8), "DBT_UI_TEST_ROOT": ui_root,
    "GSK_RENDERER": "cairo", "NO_AT_BRIDGE": "1", "GTK_A11Y": "none", "GDK_BACKEND": "x11",
    "G_MESSAGES_DEBUG": "all", "DBT_SCREENSHOT_DIR": os.path.join(ui_root, "screenshots"),
})
for key in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
            "DBT_STACK_DIR"):
    os.makedirs(ui_env[key], exist_ok=True)
os.makedirs(os.path.join(ui_root, "keyring"), exist_ok=True)
os.chmod(ui_env["XDG_RUNTIME_DIR"], 0o700)
with open(os.path.join(ui_root, "test-ui-connections.out"), "w") as out:
    try:
        ui = subprocess.run(["dbus-run-session", "--", "xvfb-run", "-a", "-n", str(99 + os.getpid() % 400),
                             "-s", "-screen 0 1280x1024x24 -nolisten tcp", UI_TEST, "--tap"],
                            stdout=out, stderr=subprocess.STDOUT, env=ui_env, timeout=180).returncode
    except subprocess.TimeoutExpired:
        ui = "timeout"
with open(os.path.join(ui_root, "test-ui-connections.out"), errors="replace") as f:
    ui_output = f.read()
check(ui == 0 and re.search(r"^ok \d+ /ui/connections/save-with-keyring", ui_output, re.M) and
      re.search(r"^ok \d+ /ui/connections/resolve", ui_output, re.M),
      "the console saved a connection's secret to the keyring and resolved it again",
      {"exit": ui, "output": ui_output.splitlines()[-20:]})
keyring = ui_env["SECRET_FILE_TEST_PATH"]
check(os.path.isfile(keyring) and os.path.getsize(keyring) > 0, "the keyring file was written")


# --- the scan ------------------------------------------------------------------------

files, size, findings = scan([stack.dir], skip_files={env_path})
check(not findings, "no secret, in any form, in any file the handler, runner, Terraform or console wrote",
      findings[:20])
written = {os.path.relpath(os.path.join(d, n), stack.dir) for d, _, names in os.walk(stack.dir) for n in names}
must = ["runner.log", os.path.relpath(stack.function_log_path(), stack.dir), "runner-status.json",
        os.path.join("console", "keyring", "test.keyring"), os.path.join("console", "test-ui-connections.out")]
check(all(m in written for m in must) and any(p.startswith("outbox" + os.sep) for p in written),
      "the scan covered the function's log, runner.log, the outbox, the keyring and the console's output",
      sorted(m for m in must if m not in written))
note("files scanned %d, bytes scanned %d, secrets %d, forms searched %d, findings %d" %
     (files, size, len(SECRETS), sum(len(encodings(s)) for s in SECRETS.values()), len(findings)))
e2e_stack.finish()
