#!/usr/bin/env python3
"""What test-lambda-s3-live needs that libdbtrigger does not do: an IAM role
for the function (moto's Lambda insists it exists) and two deployment zips.

usage: live-lambda-fixture.py OUTDIR
Writes OUTDIR/role-arn, OUTDIR/one.zip, OUTDIR/two.zip. Exits 77 (skip)
when boto3 is missing. Talks to the stack in AWS_ENDPOINT_URL.
"""
import io
import os
import sys
import zipfile

try:
    import boto3
except ImportError:
    print("boto3 is not installed", file=sys.stderr)
    sys.exit(77)


def make_zip(text):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("bootstrap", date_time=(2024, 1, 1, 0, 0, 0))
        info.external_attr = 0o755 << 16
        archive.writestr(info, "#!/bin/sh\necho %s\n" % text)
    return buffer.getvalue()


def main():
    outdir = sys.argv[1]
    iam = boto3.client("iam", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    role = iam.create_role(
        RoleName="dbtrigger-test-handler",
        AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
        '"Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    )
    with open(os.path.join(outdir, "role-arn"), "w") as f:
        f.write(role["Role"]["Arn"])
    for name in ("one", "two", "three"):
        with open(os.path.join(outdir, name + ".zip"), "wb") as f:
            f.write(make_zip(name))


if __name__ == "__main__":
    main()
