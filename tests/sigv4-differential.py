#!/usr/bin/env python3
"""Differential test: lib/dbt-sigv4.c against botocore's signers.

Generates requests with a fixed seed (odd paths with dot segments, double
slashes, percent-encoded and raw UTF-8; queries with unicode, repeated and
empty keys, keys without '='; headers with runs of whitespace, folded
continuation lines, repeated names, hop-by-hop names; session tokens; S3 with
its own path rules; payloads and UNSIGNED-PAYLOAD; the presigned query form),
signs each with botocore (SigV4Auth, S3SigV4Auth, SigV4QueryAuth) at a fixed
time and with tests/sigv4-sign-tool, and compares canonical request, string
to sign, signature and the headers to add.

Every request is one that could go on the wire: the query is encoded the way
an SDK sends it, header values hold no line break except obsolete folding.

    sigv4-differential.py SIGN_TOOL [--count N] [--seed S]

Exit status 0 when all agree, 1 on any difference (each printed with both
canonical requests), 77 (skipped) when botocore is not installed.
"""

import argparse
import base64
import datetime
import json
import random
import subprocess
import sys
import types
from urllib.parse import quote

try:
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError:  # pragma: no cover - depends on the machine
    print("botocore is not installed; skipping the differential test")
    sys.exit(77)

SERVICES = ["dynamodb", "sqs", "sns", "lambda", "s3", "execute-api", "service"]
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1", "local"]
METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"]
WORDS = ["a", "b", "example", "items", "2015-03-31", "functions", "x.y", "~user",
         "A-Z_09", "key", "..a", "a..", ".hidden", "v1"]
UNICODE_WORDS = ["ሴ", "héllo", "日本語", "emoji😀", "ß", "Ω"]
SUB_DELIMS = "!$&'()*+,;=:@"
QUERY_ALPHABET = "abcXYZ019-_.~ +/=&?%:@,;!*'()ሴé😀"
HEADER_NAME_EXTRA = "!#$%&'*+-.^_`|~"
HEADER_VALUE_ALPHABET = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                         " \t!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"


def rand_path(rng):
    segments = []
    for _ in range(rng.randint(0, 6)):
        kind = rng.random()
        if kind < 0.35:
            segments.append(rng.choice(WORDS))
        elif kind < 0.5:
            segments.append(rng.choice([".", "..", ""]))
        elif kind < 0.62:
            segments.append(quote(rng.choice(UNICODE_WORDS), safe=""))
        elif kind < 0.7:
            # Raw UTF-8, as the AWS suite sends it.
            segments.append(rng.choice(UNICODE_WORDS))
        elif kind < 0.8:
            segments.append("".join(rng.choice(SUB_DELIMS) for _ in range(rng.randint(1, 4))))
        elif kind < 0.9:
            segments.append(rng.choice(["%20", "a%20b", "%2F", "%25", "%2e%2E", "%7E"]))
        else:
            segments.append("".join(rng.choice("abc-_.~0") for _ in range(rng.randint(1, 5))))
    path = "/" + "/".join(segments)
    if rng.random() < 0.2:
        path += "/"
    if rng.random() < 0.1:
        path = "/" + path
    return path


def rand_text(rng, alphabet, low, high):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def enc(s):
    # botocore.utils.percent_encode: what an SDK puts on the wire.
    return quote(s.encode("utf-8"), safe="-_.~")


def rand_query(rng, simple):
    """A query as it goes on the wire, or None. simple: unique keys, every
    pair with '=' (what botocore's presigner can round-trip)."""
    if rng.random() < 0.3:
        return None
    if rng.random() < 0.05 and not simple:
        return ""
    parts = []
    keys = set()
    for _ in range(rng.randint(1, 6)):
        key = rand_text(rng, QUERY_ALPHABET, 0 if not simple else 1, 6)
        if simple:
            if key in keys or "+" in key or " " in key:
                continue
            keys.add(key)
        if not simple and parts and rng.random() < 0.2:
            key = rng.choice(parts).split("=")[0]  # repeated key (already encoded)
            parts.append(key + "=" + enc(rand_text(rng, QUERY_ALPHABET, 0, 4)))
            continue
        value = rand_text(rng, QUERY_ALPHABET, 0, 8)
        if simple:
            value = value.replace("+", "").replace(" ", "")
        if not simple and rng.random() < 0.15:
            parts.append(enc(key))  # key without '='
        elif not simple and rng.random() < 0.05:
            parts.append("")  # "a&&b"
        else:
            parts.append(enc(key) + "=" + enc(value))
    if not parts:
        return None
    return "&".join(parts)


def rand_header_value(rng):
    value = rand_text(rng, HEADER_VALUE_ALPHABET, 0, 20)
    roll = rng.random()
    if roll < 0.15:
        value = "  " + value + "   "
    elif roll < 0.25:
        value = value + "    " + rand_text(rng, HEADER_VALUE_ALPHABET, 1, 8)
    elif roll < 0.35:
        # Obsolete line folding: CRLF (or LF, as the suite) then SP/HT.
        fold = rng.choice(["\r\n ", "\r\n\t", "\n  ", "\n     "])
        value = rand_text(rng, HEADER_VALUE_ALPHABET, 1, 8) + fold + rand_text(rng, HEADER_VALUE_ALPHABET, 1, 8)
    return value


def rand_header_name(rng):
    base = rng.choice(["X-Amz-Target", "Content-Type", "x-amz-meta-color", "My-Header1",
                       "X-Custom", "Accept", "If-Match", "Range"])
    if rng.random() < 0.2:
        base = "X-" + rand_text(rng, "abcXYZ019" + HEADER_NAME_EXTRA, 1, 6)
    # Header names are case-insensitive: vary the case.
    return "".join(c.upper() if rng.random() < 0.3 else c.lower() for c in base) \
        if rng.random() < 0.4 else base


def rand_request(rng, index):
    service = rng.choice(SERVICES)
    region = rng.choice(REGIONS)
    form = "query" if rng.random() < 0.2 else "header"
    simple = form == "query"
    host = rng.choice(["example.amazonaws.com", f"{service}.{region}.amazonaws.com",
                       "127.0.0.1:4566", "localhost:8000"])
    headers = [[rng.choice(["Host", "host", "HOST"]), host]]
    names_used = []
    for _ in range(rng.randint(0, 6)):
        if names_used and rng.random() < 0.2:
            name = rng.choice(names_used)
            name = name.upper() if rng.random() < 0.5 else name
        elif rng.random() < 0.1:
            name = rng.choice(["User-Agent", "Expect", "Connection", "X-Amzn-Trace-Id",
                               "Transfer-Encoding", "Keep-Alive"])
        else:
            name = rand_header_name(rng)
        if simple and name.lower() == "content-type":
            continue
        names_used.append(name)
        headers.append([name, rand_header_value(rng)])
    if form == "header" and rng.random() < 0.05:
        # Stale values the signer must replace, not sign twice.
        headers.append([rng.choice(["Authorization", "X-Amz-Date"]), "stale"])

    body = b""
    if form == "header" and rng.random() < 0.5:
        body = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 200)))
        if rng.random() < 0.5:
            body = rand_text(rng, QUERY_ALPHABET, 1, 60).encode("utf-8")
    token = None
    if rng.random() < 0.3:
        token = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(rng.randint(20, 120)))).decode()
    access_key = "AKIA" + rand_text(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, 16)
    secret_key = rand_text(rng, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/", 40, 40)
    when = datetime.datetime(2000, 1, 1) + datetime.timedelta(seconds=rng.randint(0, 30 * 365 * 86400))
    payload_hash = None
    if form == "header" and rng.random() < 0.1:
        payload_hash = UNSIGNED_PAYLOAD
    if form == "query" and service == "s3":
        payload_hash = UNSIGNED_PAYLOAD  # a presigned S3 URL never signs the body

    return {
        "index": index,
        "method": rng.choice(METHODS),
        "path": rand_path(rng),
        "query": rand_query(rng, simple),
        "headers": headers,
        "body_b64": base64.b64encode(body).decode(),
        "payload_hash": payload_hash,
        "access_key": access_key,
        "secret_key": secret_key,
        "token": token,
        "region": region,
        "service": service,
        "amz_date": when.strftime("%Y%m%dT%H%M%SZ"),
        "when": when,
        "normalize": service != "s3",
        "form": form,
        "expires": rng.choice([1, 60, 3600, 604800]),
    }


class Recorder:
    """Mixin keeping what botocore signed."""

    def string_to_sign(self, request, canonical_request):
        self.recorded_canonical_request = canonical_request
        sts = super().string_to_sign(request, canonical_request)
        self.recorded_string_to_sign = sts
        return sts

    def signature(self, string_to_sign, request):
        sig = super().signature(string_to_sign, request)
        self.recorded_signature = sig
        return sig


class HeaderAuth(Recorder, botocore.auth.SigV4Auth):
    pass


class S3HeaderAuth(Recorder, botocore.auth.S3SigV4Auth):
    pass


class QueryAuth(Recorder, botocore.auth.SigV4QueryAuth):
    pass


class S3QueryAuth(Recorder, botocore.auth.S3SigV4QueryAuth):
    pass


def botocore_sign(req):
    credentials = Credentials(req["access_key"], req["secret_key"], req["token"])
    url = "https://" + req["headers"][0][1] + req["path"]
    if req["query"] is not None:
        url += "?" + req["query"]
    request = AWSRequest(method=req["method"], url=url, data=base64.b64decode(req["body_b64"]))
    for name, value in req["headers"]:
        request.headers[name] = value  # HTTPHeaders appends: names may repeat
    if req["payload_hash"] == UNSIGNED_PAYLOAD:
        request.context["payload_signing_enabled"] = False
        request.context["client_config"] = types.SimpleNamespace(s3={"payload_signing_enabled": False})

    if req["form"] == "query" and req["service"] == "s3":
        auth = S3QueryAuth(credentials, req["service"], req["region"], expires=req["expires"])
    elif req["form"] == "query":
        auth = QueryAuth(credentials, req["service"], req["region"], expires=req["expires"])
    elif req["service"] == "s3":
        auth = S3HeaderAuth(credentials, req["service"], req["region"])
    else:
        auth = HeaderAuth(credentials, req["service"], req["region"])

    original = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda *args, **kwargs: req["when"]
    try:
        auth.add_auth(request)
    finally:
        botocore.auth.get_current_datetime = original

    # The generator never sets these itself (X-Amz-Date only as a stale
    # value botocore replaces), so whatever is there botocore added.
    added = {}
    if req["form"] == "header":
        for name in ("X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-SHA256"):
            if name in request.headers:
                added[name.lower()] = request.headers[name]
    return {
        "canonical_request": auth.recorded_canonical_request,
        "string_to_sign": auth.recorded_string_to_sign,
        "signature": auth.recorded_signature,
        "authorization": request.headers.get("Authorization"),
        "added": added,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sign_tool")
    parser.add_argument("--count", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=20150830)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    requests = [rand_request(rng, i) for i in range(args.count)]
    lines = "".join(json.dumps({k: v for k, v in r.items() if k != "when"}) + "\n" for r in requests)
    run = subprocess.run([args.sign_tool], input=lines.encode("utf-8"), capture_output=True, check=False)
    if run.returncode != 0:
        print("sign tool failed:", run.stderr.decode(errors="replace"))
        return 1
    answers = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    if len(answers) != len(requests):
        print(f"sign tool answered {len(answers)} of {len(requests)} requests")
        return 1

    identical = 0
    counts = {"header": 0, "query": 0, "s3": 0, "token": 0, "unsigned": 0}
    for req, ours in zip(requests, answers):
        theirs = botocore_sign(req)
        counts[req["form"]] += 1
        counts["s3"] += req["service"] == "s3"
        counts["token"] += req["token"] is not None
        counts["unsigned"] += req["payload_hash"] == UNSIGNED_PAYLOAD and req["form"] == "header" and req["form"] == "header"
        problems = []
        if "error" in ours:
            problems.append("dbt refused it: " + ours["error"])
        else:
            for key in ("canonical_request", "string_to_sign", "signature"):
                if ours[key] != theirs[key]:
                    problems.append(key + " differs")
            if req["form"] == "header":
                if ours["authorization"] != theirs["authorization"]:
                    problems.append("Authorization differs")
                ours_added = {n.lower(): v for n, v in ours["add_headers"]}
                if ours_added != theirs["added"]:
                    problems.append(f"headers to add differ: dbt {ours_added} botocore {theirs['added']}")
        if problems:
            shown = {k: v for k, v in req.items() if k not in ("when", "secret_key")}
            print(f"MISMATCH request {req['index']}: {'; '.join(problems)}")
            print("  request:", json.dumps(shown, ensure_ascii=False))
            print("  botocore canonical request:\n    " + theirs["canonical_request"].replace("\n", "\n    "))
            if "canonical_request" in ours:
                print("  dbt canonical request:\n    " + ours["canonical_request"].replace("\n", "\n    "))
        else:
            identical += 1

    print(f"{len(requests)} requests, {identical} identical "
          f"({counts['header']} header form, {counts['query']} query form, {counts['s3']} s3, "
          f"{counts['token']} with session token, {counts['unsigned']} UNSIGNED-PAYLOAD)")
    return 0 if identical == len(requests) else 1


if __name__ == "__main__":
    sys.exit(main())
