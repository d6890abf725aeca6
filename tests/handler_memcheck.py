"""dbtrigger-handler under valgrind memcheck, one batch end to end.

Run inside `build-aux/local-stack with` (suite 'valgrind'):

    handler_memcheck.py VALGRIND DBTRIGGER_HANDLER

The handler gets the fake Runtime API (tests/fake_runtime_api.py) and the
resources of tests/handler_stack.py, delivers one batch, and exits when the
Runtime API answers next with a 500. Passes when the batch was delivered,
memcheck found no error and nothing was "definitely lost". TAP on stdout.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import handler_stack  # noqa: E402
from fake_runtime_api import FakeRuntimeApi  # noqa: E402

ERROR_EXIT = 99


def main():
    valgrind, handler = sys.argv[1], sys.argv[2]
    stack = handler_stack.create(os.environ["AWS_ENDPOINT_URL"])
    api = FakeRuntimeApi().start()
    log = tempfile.NamedTemporaryFile(prefix="handler-memcheck.", suffix=".log", delete=False)
    log.close()
    argv = [valgrind, "--tool=memcheck", "--leak-check=full", "--show-leak-kinds=definite",
            "--errors-for-leak-kinds=definite", f"--error-exitcode={ERROR_EXIT}",
            f"--log-file={log.name}", handler]
    env = stack.lambda_env(api.address)
    env["PATH"] = os.environ.get("PATH", "/usr/bin:/bin")
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        request_id = api.invoke(json.dumps(handler_stack.the_event()))
        result = api.wait_result(request_id, timeout=120)
    finally:
        api.stop()
        try:
            out, err = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
    with open(log.name) as f:
        report = f.read()
    os.unlink(log.name)

    failures = []
    if result is None or result.kind != "response" or result.json() != {"batchItemFailures": []}:
        failures.append(f"the batch was not delivered: {result!r}")
    summary = re.search(r"ERROR SUMMARY: (\d+) errors", report)
    lost = re.search(r"definitely lost: ([\d,]+) bytes", report)
    if process.returncode == ERROR_EXIT or summary is None or summary.group(1) != "0":
        failures.append("memcheck reported errors")
    if lost is not None and lost.group(1) != "0":
        failures.append(f"definitely lost: {lost.group(1)} bytes")
    if process.returncode != 1:
        failures.append(f"exit status {process.returncode}, expected 1 (container error on next)")

    print("1..1")
    if failures:
        print("not ok 1 - one batch under memcheck")
        for line in failures + report.splitlines()[-60:] + err.decode(errors="replace").splitlines()[-20:]:
            print("#   " + line)
        return 1
    heap = re.search(r"total heap usage: .*", report)
    print(f"ok 1 - one batch under memcheck ({heap.group(0) if heap else 'no heap summary'}; "
          f"definitely lost: {lost.group(1) if lost else '0'} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
