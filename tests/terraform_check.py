#!/usr/bin/env python3
"""Checks what terraform/ created on the local stack, with boto3.

    terraform_check.py applied OUTPUTS_JSON TFVARS_JSON ZIP
    terraform_check.py destroyed OUTPUTS_JSON

OUTPUTS_JSON is `terraform output -json` (build-aux/terraform-local.sh writes
it to <stack dir>/terraform-outputs.json); TFVARS_JSON holds the values the
checks expect (from environments/local.tfvars). The endpoint and credentials
come from the stack's environment (AWS_ENDPOINT_URL etc.).

Prints one TAP line per check without its number ("ok - ..." / "not ok - ...");
tests/test-terraform.sh numbers them. Exits 0 even when checks fail: the TAP
lines carry the verdict.

Everything asserted here is something moto 5 records and returns (stream and
SSE descriptions, PITR, TTL, filter policy scope, the mapping's destination
config and response types); nothing is asserted that the emulator would
accept silently and forget.
"""

import base64
import hashlib
import json
import os
import sys
import traceback

import boto3
import botocore.exceptions


def outputs_from(path):
    with open(path) as f:
        return {name: out["value"] for name, out in json.load(f).items()}


CHECKS = []


def check(description):
    def register(fn):
        CHECKS.append((description, fn))
        return fn
    return register


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def expect_equal(got, want, what):
    if got != want:
        raise AssertionError(f"{what}: got {got!r}, want {want!r}")


class Stack:
    """Clients for the local stack plus what the checks compare against."""

    def __init__(self, outputs, tfvars=None, zip_path=None):
        self.out = outputs
        self.vars = tfvars or {}
        self.zip_path = zip_path
        self.ddb = boto3.client("dynamodb")
        self.sns = boto3.client("sns")
        self.sqs = boto3.client("sqs")
        self.lam = boto3.client("lambda")
        self.iam = boto3.client("iam")
        self.logs = boto3.client("logs")
        self.s3 = boto3.client("s3")
        self.cw = boto3.client("cloudwatch")

    def role_name(self):
        return self.out["function_role_arn"].rsplit("/", 1)[1]


# --- after apply -------------------------------------------------------------

@check("outputs name every resource the console and the runner read")
def outputs_complete(st):
    want = {
        "region", "endpoint_url", "table_name", "table_arn", "table_stream_arn",
        "owner_attribute", "log_table_name", "log_table_arn", "log_table_owner_index",
        "topic_arn", "owner_subscription_arns", "function_name", "function_arn",
        "function_role_arn", "log_group_name", "event_source_mapping_uuid", "queue_url",
        "queue_arn", "code_bucket", "handler_s3_key", "handler_code_sha256",
        "ops_topic_arn", "alarm_names",
    }
    missing = want - set(st.out)
    expect(not missing, f"missing outputs {sorted(missing)}")
    expect_equal(st.out["endpoint_url"], os.environ["AWS_ENDPOINT_URL"], "endpoint_url")


@check("items table: keys, on-demand, stream NEW_AND_OLD_IMAGES, SSE, tags")
def items_table(st):
    t = st.ddb.describe_table(TableName=st.out["table_name"])["Table"]
    expect_equal(t["TableArn"], st.out["table_arn"], "table ARN")
    hash_key = st.vars["table_hash_key"]
    expect_equal(t["KeySchema"], [{"AttributeName": hash_key["name"], "KeyType": "HASH"}], "key schema")
    expect_equal(t["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST", "billing mode")
    expect_equal(t["StreamSpecification"], {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}, "stream")
    expect_equal(t["LatestStreamArn"], st.out["table_stream_arn"], "stream ARN")
    expect_equal(t.get("SSEDescription", {}).get("Status"), "ENABLED", "SSE status")
    tags = {x["Key"]: x["Value"] for x in st.ddb.list_tags_of_resource(ResourceArn=t["TableArn"])["Tags"]}
    expect_equal(tags.get("Project"), "dbtrigger", "Project tag")
    for key, value in st.vars["tags"].items():
        expect_equal(tags.get(key), value, f"tag {key}")


@check("items table: point-in-time recovery enabled")
def items_pitr(st):
    d = st.ddb.describe_continuous_backups(TableName=st.out["table_name"])["ContinuousBackupsDescription"]
    expect_equal(d["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"], "ENABLED", "PITR")


@check("notification log: pk key, TTL on expiresAt, owner/sentAt index, SSE")
def log_table(st):
    name = st.out["log_table_name"]
    t = st.ddb.describe_table(TableName=name)["Table"]
    expect_equal(t["KeySchema"], [{"AttributeName": "pk", "KeyType": "HASH"}], "key schema")
    expect_equal(t["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST", "billing mode")
    expect_equal(t.get("SSEDescription", {}).get("Status"), "ENABLED", "SSE status")
    ttl = st.ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    expect_equal((ttl.get("TimeToLiveStatus"), ttl.get("AttributeName")), ("ENABLED", "expiresAt"), "TTL")
    indexes = {i["IndexName"]: i for i in t.get("GlobalSecondaryIndexes", [])}
    index = indexes.get(st.out["log_table_owner_index"])
    expect(index is not None, f"no index {st.out['log_table_owner_index']} (have {sorted(indexes)})")
    expect_equal(index["KeySchema"], [{"AttributeName": "owner", "KeyType": "HASH"},
                                      {"AttributeName": "sentAt", "KeyType": "RANGE"}], "index keys")
    expect_equal(index["Projection"]["ProjectionType"], "ALL", "index projection")


@check("topic: encrypted with alias/aws/sns")
def topic(st):
    attrs = st.sns.get_topic_attributes(TopicArn=st.out["topic_arn"])["Attributes"]
    expect_equal(attrs.get("KmsMasterKeyId"), "alias/aws/sns", "KmsMasterKeyId")


@check("subscriptions: one e-mail per owner address, filter policy {owner: [id]} on message attributes")
def subscriptions(st):
    want = {(email, owner) for owner, emails in st.vars["owners"].items() for email in emails}
    got = set()
    pages = st.sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=st.out["topic_arn"])
    for sub in (s for page in pages for s in page["Subscriptions"]):
        expect_equal(sub["Protocol"], "email", f"protocol of {sub['Endpoint']}")
        attrs = st.sns.get_subscription_attributes(SubscriptionArn=sub["SubscriptionArn"])["Attributes"]
        expect_equal(attrs.get("FilterPolicyScope"), "MessageAttributes", f"filter scope of {sub['Endpoint']}")
        policy = json.loads(attrs.get("FilterPolicy", "null"))
        expect(isinstance(policy, dict) and list(policy) == ["owner"] and len(policy["owner"]) == 1,
               f"filter policy of {sub['Endpoint']} is {policy!r}")
        got.add((sub["Endpoint"], policy["owner"][0]))
    expect_equal(got, want, "subscriptions (address, owner)")
    expect_equal(set(st.out["owner_subscription_arns"]), {f"{o}/{e}" for e, o in want}, "subscription outputs")


@check("queue: failed batches, server-side encrypted")
def queue(st):
    url = st.sqs.get_queue_url(QueueName=st.out["queue_arn"].rsplit(":", 1)[1])["QueueUrl"]
    attrs = st.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    expect_equal(attrs["QueueArn"], st.out["queue_arn"], "queue ARN")
    expect(attrs.get("SqsManagedSseEnabled") == "true" or attrs.get("KmsMasterKeyId"),
           f"queue not encrypted: {attrs}")


@check("code bucket: versioned, encrypted, public access blocked, zip stored under its sha256")
def code_bucket(st):
    bucket = st.out["code_bucket"]
    expect_equal(st.s3.get_bucket_versioning(Bucket=bucket).get("Status"), "Enabled", "versioning")
    rules = st.s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    algorithm = rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]
    expect(algorithm in ("AES256", "aws:kms"), f"bucket encryption {algorithm}")
    block = st.s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    expect(all(block.values()) and len(block) == 4, f"public access block {block}")
    with open(st.zip_path, "rb") as f:
        data = f.read()
    hex_sha = hashlib.sha256(data).hexdigest()
    b64_sha = base64.b64encode(hashlib.sha256(data).digest()).decode()
    expect_equal(st.out["handler_s3_key"], f"dbtrigger-handler/{hex_sha}.zip", "handler key")
    expect_equal(st.out["handler_code_sha256"], b64_sha, "handler_code_sha256")
    obj = st.s3.get_object(Bucket=bucket, Key=st.out["handler_s3_key"])
    expect(obj["Body"].read() == data, "stored zip differs from the deployed file")
    expect_equal(obj["Metadata"].get("codesha256"), b64_sha, "x-amz-meta-codesha256")


@check("function: provided.al2023, x86_64, bootstrap, code from the bucket, environment")
def function(st):
    c = st.lam.get_function(FunctionName=st.out["function_name"])["Configuration"]
    expect_equal(c["FunctionArn"], st.out["function_arn"], "function ARN")
    expect_equal(c["Runtime"], "provided.al2023", "runtime")
    expect_equal(c["Architectures"], ["x86_64"], "architectures")
    expect_equal(c["Handler"], "bootstrap", "handler")
    expect_equal(c["Role"], st.out["function_role_arn"], "role")
    expect_equal(c["MemorySize"], st.vars["lambda_memory_mb"], "memory")
    expect_equal(c["Timeout"], st.vars["lambda_timeout_seconds"], "timeout")
    expect_equal(c["CodeSha256"], st.out["handler_code_sha256"], "CodeSha256")
    expect_equal(c["Environment"]["Variables"], {
        "TABLE_NAME": st.out["table_name"],
        "TOPIC_ARN": st.out["topic_arn"],
        "LOG_TABLE": st.out["log_table_name"],
        "OWNER_ATTRIBUTE": st.vars["owner_attribute"],
        "IGNORED_ATTRIBUTES": ",".join(st.vars["ignored_attributes"]),
        "NOTIFICATION_TTL_DAYS": str(st.vars["notification_ttl_days"]),
        "FUNCTION_TIMEOUT_SECONDS": str(st.vars["lambda_timeout_seconds"]),
    }, "environment")


@check("log group: /aws/lambda/<function> with the configured retention")
def log_group(st):
    name = st.out["log_group_name"]
    expect_equal(name, "/aws/lambda/" + st.out["function_name"], "log group name")
    groups = [g for g in st.logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
              if g["logGroupName"] == name]
    expect(groups, f"no log group {name}")
    expect_equal(groups[0].get("retentionInDays"), st.vars["log_retention_days"], "retention")


@check("event source mapping: stream to function, batching, bisect, partial failures, on-failure queue")
def mapping(st):
    m = st.lam.get_event_source_mapping(UUID=st.out["event_source_mapping_uuid"])
    expect_equal(m["EventSourceArn"], st.out["table_stream_arn"], "event source")
    expect_equal(m["FunctionArn"], st.out["function_arn"], "function")
    expect_equal(m["StartingPosition"], "TRIM_HORIZON", "starting position")
    expect_equal(m["BatchSize"], st.vars["batch_size"], "batch size")
    expect_equal(m["MaximumBatchingWindowInSeconds"], st.vars["maximum_batching_window_in_seconds"], "window")
    expect(m["MaximumBatchingWindowInSeconds"] >= 1, "window below 1 s would not coalesce bursts")
    expect_equal(m["BisectBatchOnFunctionError"], True, "bisect")
    expect_equal(m["FunctionResponseTypes"], ["ReportBatchItemFailures"], "response types")
    expect_equal(m["MaximumRetryAttempts"], st.vars["maximum_retry_attempts"], "retries")
    expect_equal(m["MaximumRecordAgeInSeconds"], st.vars["maximum_record_age_in_seconds"], "record age")
    expect_equal(m["DestinationConfig"]["OnFailure"]["Destination"], st.out["queue_arn"], "on-failure destination")
    expect_equal(m["State"], "Enabled", "state")


def as_list(value):
    return value if isinstance(value, list) else [value]


@check("role: least privilege, no '*' action or resource, every resource one of ours")
def role_policy(st):
    role = st.role_name()
    trust = st.iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]
    principals = [s.get("Principal", {}).get("Service") for s in trust["Statement"]]
    expect_equal(principals, ["lambda.amazonaws.com"], "trusted principals")
    attached = st.iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    expect_equal(attached, [], "attached managed policies")
    names = st.iam.list_role_policies(RoleName=role)["PolicyNames"]
    expect_equal(len(names), 1, "inline policies")
    doc = st.iam.get_role_policy(RoleName=role, PolicyName=names[0])["PolicyDocument"]
    if isinstance(doc, str):
        doc = json.loads(doc)

    # Exact resources, plus the two sub-resource patterns of resources we own
    # (a table's streams, a log group's streams).
    exact = {st.out[k] for k in ("table_stream_arn", "log_table_arn", "topic_arn", "queue_arn")}
    log_group_arn = st.out["function_arn"].split(":lambda:")[0] + ":logs:" + \
        st.out["function_arn"].split(":lambda:")[1].split(":function:")[0] + \
        ":log-group:" + st.out["log_group_name"]
    patterns = {st.out["table_arn"] + "/stream/*", log_group_arn + ":log-stream:*"}

    granted = {}
    for statement in doc["Statement"]:
        expect_equal(statement.get("Effect"), "Allow", "effect")
        expect("NotAction" not in statement and "NotResource" not in statement,
               f"NotAction/NotResource in {statement}")
        for action in as_list(statement["Action"]):
            expect("*" not in action, f"wildcard action {action!r}")
            for resource in as_list(statement["Resource"]):
                expect(resource != "*", f"resource '*' for {action}")
                expect(resource in exact or resource in patterns,
                       f"{action} on {resource!r}, which is not one of this stack's resources")
                granted.setdefault(action, set()).add(resource)
    want = {
        "dynamodb:DescribeStream": {st.out["table_stream_arn"]},
        "dynamodb:GetRecords": {st.out["table_stream_arn"]},
        "dynamodb:GetShardIterator": {st.out["table_stream_arn"]},
        "dynamodb:ListStreams": {st.out["table_arn"] + "/stream/*"},
        "dynamodb:PutItem": {st.out["log_table_arn"]},
        "dynamodb:GetItem": {st.out["log_table_arn"]},
        "dynamodb:UpdateItem": {st.out["log_table_arn"]},
        "dynamodb:DeleteItem": {st.out["log_table_arn"]},
        "sns:Publish": {st.out["topic_arn"]},
        "sqs:SendMessage": {st.out["queue_arn"]},
        "logs:CreateLogStream": {log_group_arn + ":log-stream:*"},
        "logs:PutLogEvents": {log_group_arn + ":log-stream:*"},
    }
    expect_equal(granted, want, "granted actions and resources")


@check("alarms: iterator age, errors, failed batches; no actions without ops_email")
def alarms(st):
    found = {a["AlarmName"]: a for a in st.cw.describe_alarms(AlarmNames=st.out["alarm_names"])["MetricAlarms"]}
    expect_equal(set(found), set(st.out["alarm_names"]), "alarms")
    metrics = {(a["Namespace"], a["MetricName"], a["Statistic"]) for a in found.values()}
    expect_equal(metrics, {("AWS/Lambda", "IteratorAge", "Maximum"), ("AWS/Lambda", "Errors", "Sum"),
                           ("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum")}, "alarm metrics")
    for a in found.values():
        dims = {d["Name"]: d["Value"] for d in a["Dimensions"]}
        want = ({"QueueName": st.out["queue_arn"].rsplit(":", 1)[1]} if a["Namespace"] == "AWS/SQS"
                else {"FunctionName": st.out["function_name"]})
        expect_equal(dims, want, f"dimensions of {a['AlarmName']}")
        if st.vars.get("ops_email", "") == "":
            expect_equal(a["AlarmActions"], [], f"actions of {a['AlarmName']}")
    if st.vars.get("ops_email", "") == "":
        expect_equal(st.out["ops_topic_arn"], "", "ops topic without ops_email")


# --- after destroy -----------------------------------------------------------

def gone(call, codes):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] in codes:
            return
        raise
    raise AssertionError("still exists")


DESTROYED = []


def destroyed(description):
    def register(fn):
        DESTROYED.append((description, fn))
        return fn
    return register


@destroyed("destroy removed both tables")
def tables_gone(st):
    for name in (st.out["table_name"], st.out["log_table_name"]):
        gone(lambda: st.ddb.describe_table(TableName=name), {"ResourceNotFoundException"})


@destroyed("destroy removed the function, its mapping, role and log group")
def function_gone(st):
    gone(lambda: st.lam.get_function(FunctionName=st.out["function_name"]), {"ResourceNotFoundException"})
    gone(lambda: st.lam.get_event_source_mapping(UUID=st.out["event_source_mapping_uuid"]),
         {"ResourceNotFoundException"})
    gone(lambda: st.iam.get_role(RoleName=st.role_name()), {"NoSuchEntity"})
    groups = st.logs.describe_log_groups(logGroupNamePrefix=st.out["log_group_name"])["logGroups"]
    expect_equal(groups, [], "log groups")


@destroyed("destroy removed the topic, the queue, the code bucket and the alarms")
def messaging_gone(st):
    gone(lambda: st.sns.get_topic_attributes(TopicArn=st.out["topic_arn"]), {"NotFound", "NotFoundException"})
    gone(lambda: st.sqs.get_queue_url(QueueName=st.out["queue_arn"].rsplit(":", 1)[1]),
         {"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"})
    gone(lambda: st.s3.head_bucket(Bucket=st.out["code_bucket"]), {"404", "NoSuchBucket"})
    expect_equal(st.cw.describe_alarms(AlarmNames=st.out["alarm_names"])["MetricAlarms"], [], "alarms")


def run(checks, st):
    for description, fn in checks:
        try:
            fn(st)
            print(f"ok - {description}", flush=True)
        except Exception as e:  # every failure becomes a TAP line, never a crash
            print(f"not ok - {description}", flush=True)
            for line in (str(e) or traceback.format_exc()).splitlines():
                print(f"#   {line}", flush=True)


def main(argv):
    if len(argv) == 5 and argv[1] == "applied":
        with open(argv[3]) as f:
            tfvars = json.load(f)
        run(CHECKS, Stack(outputs_from(argv[2]), tfvars, argv[4]))
    elif len(argv) == 3 and argv[1] == "destroyed":
        run(DESTROYED, Stack(outputs_from(argv[2])))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
