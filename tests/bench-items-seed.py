#!/usr/bin/env python3
"""Writes COUNT items into TABLE of the local stack in the environment
(AWS_ENDPOINT_URL...), with BatchWriteItem through boto3's batch_writer:
the C library has no BatchWriteItem, and one PutItem per item takes about
ten times longer on moto. Used by bench-items-page only.

    bench-items-seed.py TABLE COUNT
"""
import decimal
import os
import sys
import time

import boto3


def item(i: int) -> dict:
    value = {
        "pk": f"item-{i:06d}",
        "n": decimal.Decimal(f"{'-' if i % 4 == 1 else ''}{(i * 37) % 100000}{'.5' if i % 5 == 0 else ''}"),
        "name": f"Grüße {i} — 東京" if i % 7 == 0 else f"name {i}",
        "active": i % 2 == 0,
        "meta": {"rank": i % 10, "note": "ok"},
    }
    if i % 3 != 2:
        value["owner"] = "alice" if i % 3 == 0 else "bob"
    if i % 4 == 0:
        value["tags"] = {"red" if i % 8 == 0 else "blue", "green"}
    return value


def main() -> int:
    table_name, count = sys.argv[1], int(sys.argv[2])
    resource = boto3.resource("dynamodb", endpoint_url=os.environ["AWS_ENDPOINT_URL"],
                              region_name=os.environ.get("AWS_REGION", "us-east-1"))
    start = time.monotonic()
    with resource.Table(table_name).batch_writer() as writer:
        for i in range(count):
            writer.put_item(Item=item(i))
    print(f"seeded {count} items in {time.monotonic() - start:.1f} s (BatchWriteItem, 25 per request)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
