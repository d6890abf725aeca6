"""Cold start of the packaged handler: from exec of the unzipped bootstrap
to its first `next` request, against a loopback listener standing in for
the Runtime API (a test fake; the handler is answered 500 right away and
exits).

    bench-handler-cold-start.py HANDLER_ZIP [--runs N]

Prints each phase's median and spread, plus the floor of the measurement
itself (spawning /bin/true and waiting for it). Exit 0 always: a
benchmark reports, it does not judge.
"""

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import zipfile


def lambda_env(address):
    return {
        "AWS_LAMBDA_RUNTIME_API": address,
        "AWS_LAMBDA_FUNCTION_NAME": "dbtrigger-handler",
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:dbtrigger",
        "LOG_TABLE": "dbtrigger-notification-log",
    }


def first_next_ms(argv, cwd, listener, address):
    """Milliseconds from spawning @argv to its first request arriving."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=lambda_env(address),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    connection, _ = listener.accept()
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            break
        data += chunk
    elapsed = (time.perf_counter() - start) * 1000
    if not data.startswith(b"GET /2018-06-01/runtime/invocation/next "):
        raise SystemExit(f"unexpected first request: {data[:80]!r}")
    connection.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\n\r\n{}")
    process.wait(timeout=10)
    connection.close()
    return elapsed


def spawn_floor_ms():
    start = time.perf_counter()
    subprocess.run(["/bin/true"], env={})
    return (time.perf_counter() - start) * 1000


def describe(name, samples):
    samples = sorted(samples)
    print(f"{name}: median {statistics.median(samples):.2f} ms "
          f"(min {samples[0]:.2f}, max {samples[-1]:.2f}, n={len(samples)})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("zip")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    task = tempfile.mkdtemp(prefix="dbt-cold-start.")
    try:
        with zipfile.ZipFile(args.zip) as z:
            for info in z.infolist():
                path = z.extract(info, task)
                os.chmod(path, (info.external_attr >> 16) & 0o777)
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        address = "127.0.0.1:%d" % listener.getsockname()[1]

        # One unmeasured run warms the page cache, as a warm disk would be.
        first_next_ms(["./bootstrap"], task, listener, address)
        bootstrap = [first_next_ms(["./bootstrap"], task, listener, address) for _ in range(args.runs)]
        loader = [first_next_ms([f"{task}/lib/ld-linux-x86-64.so.2", "--library-path", f"{task}/lib",
                                 f"{task}/bin/dbtrigger-handler"], task, listener, address)
                  for _ in range(args.runs)]
        floor = [spawn_floor_ms() for _ in range(args.runs)]

        size = os.path.getsize(args.zip)
        with zipfile.ZipFile(args.zip) as z:
            libs = [i for i in z.infolist() if i.filename.startswith("lib/")]
        print(f"zip: {size} bytes ({size / 1e6:.2f} MB), {len(libs)} bundled libraries")
        describe("exec bootstrap -> first next", bootstrap)
        describe("exec loader directly (no sh) -> first next", loader)
        describe("floor: spawn and wait /bin/true", floor)
        listener.close()
    finally:
        shutil.rmtree(task)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
