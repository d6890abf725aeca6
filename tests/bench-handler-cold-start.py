"""Cold start of the packaged handler: from exec of the unzipped bootstrap
to its first `next` request, against a loopback listener standing in for
the Runtime API (a test fake; the handler is answered 500 right away and
exits).

    bench-handler-cold-start.py HANDLER_ZIP [--compare OTHER_ZIP]... [--runs N]

Prints each phase's median and spread, plus the floor of the measurement
itself (spawning /bin/true and waiting for it). With --compare, the other
packages (the handler linked with the libcurl transport) are measured in
the same run, their runs interleaved with the first's. Exit 0 always: a
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


def unpack(zip_path):
    """The package unzipped into a new folder, and its executable's name."""
    task = tempfile.mkdtemp(prefix="dbt-cold-start.")
    with zipfile.ZipFile(zip_path) as z:
        for info in z.infolist():
            path = z.extract(info, task)
            os.chmod(path, (info.external_attr >> 16) & 0o777)
        names = [i.filename[len("bin/"):] for i in z.infolist() if i.filename.startswith("bin/")]
    return task, names[0]


def report(zip_path, bootstrap, loader):
    size = os.path.getsize(zip_path)
    with zipfile.ZipFile(zip_path) as z:
        libs = sorted((i for i in z.infolist() if i.filename.startswith("runtime/lib/")),
                      key=lambda i: -i.compress_size)
    print(f"== {os.path.basename(zip_path)}")
    print(f"zip: {size} bytes ({size / 1e6:.2f} MB), {len(libs)} bundled libraries")
    print("largest (compressed): " + ", ".join(f"{os.path.basename(i.filename)} {i.compress_size / 1e6:.2f} MB"
                                             for i in libs[:6]))
    describe("exec bootstrap -> first next", bootstrap)
    describe("exec loader directly (no sh) -> first next", loader)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("zip")
    parser.add_argument("--compare", action="append", default=[], metavar="ZIP")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    zips = [args.zip] + args.compare
    tasks = []
    try:
        tasks = [unpack(z) for z in zips]
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        address = "127.0.0.1:%d" % listener.getsockname()[1]

        bootstrap = [[] for _ in zips]
        loader = [[] for _ in zips]
        # One unmeasured run each warms the page cache, as a warm disk would be.
        for task, _ in tasks:
            first_next_ms(["./bootstrap"], task, listener, address)
        for _ in range(args.runs):
            for i, (task, name) in enumerate(tasks):
                bootstrap[i].append(first_next_ms(["./bootstrap"], task, listener, address))
        for _ in range(args.runs):
            for i, (task, name) in enumerate(tasks):
                loader[i].append(first_next_ms([f"{task}/runtime/lib/ld-linux-x86-64.so.2", "--library-path",
                                                f"{task}/runtime/lib", f"{task}/bin/{name}"],
                                               task, listener, address))
        floor = [spawn_floor_ms() for _ in range(args.runs)]

        for i, zip_path in enumerate(zips):
            report(zip_path, bootstrap[i], loader[i])
        describe("floor: spawn and wait /bin/true", floor)
        listener.close()
    finally:
        for task, _ in tasks:
            shutil.rmtree(task)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
