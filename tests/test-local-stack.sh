#!/usr/bin/env bash
# Two local stacks side by side: distinct ports, both healthy, each stopped
# cleanly without touching the other. TAP output.
set -euo pipefail
stack="$DBT_SOURCE_ROOT/build-aux/local-stack"
a="$(mktemp -d)"; b="$(mktemp -d)"
trap '"$stack" stop --dir "$a" >/dev/null 2>&1 || true; "$stack" stop --dir "$b" >/dev/null 2>&1 || true; rm -rf "$a" "$b"' EXIT
echo "1..7"
ok() { echo "ok $1 - $2"; }
not_ok() { echo "not ok $1 - $2"; }

"$stack" start --dir "$a" >/dev/null & pa=$!
"$stack" start --dir "$b" >/dev/null & pb=$!
if wait $pa && wait $pb; then ok 1 "two stacks started in parallel"; else not_ok 1 "two stacks started in parallel"; fi

url_a="$(. "$a/stack.env"; echo "$AWS_ENDPOINT_URL")"
url_b="$(. "$b/stack.env"; echo "$AWS_ENDPOINT_URL")"
if [ "$url_a" != "$url_b" ]; then ok 2 "distinct addresses ($url_a, $url_b)"; else not_ok 2 "same address $url_a"; fi

if "$stack" status --dir "$a" >/dev/null && "$stack" status --dir "$b" >/dev/null; then ok 3 "both healthy"; else not_ok 3 "both healthy"; fi

# A table created in one stack does not exist in the other.
python3 - "$url_a" "$url_b" <<'PY' && ok 4 "stacks hold separate state" || not_ok 4 "stacks hold separate state"
import sys, boto3
kw = dict(region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
a = boto3.client("dynamodb", endpoint_url=sys.argv[1], **kw)
b = boto3.client("dynamodb", endpoint_url=sys.argv[2], **kw)
a.create_table(TableName="only-in-a", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
               AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
assert "only-in-a" in a.list_tables()["TableNames"]
assert "only-in-a" not in b.list_tables()["TableNames"]
PY

# SNS delivers a publish to every subscription, not only the first page of 100.
python3 - "$url_a" <<'PY' && ok 5 "a publish reaches the 101st subscription of a topic" || not_ok 5 "a publish reaches the 101st subscription of a topic"
import sys, boto3
kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
sns, sqs = boto3.client("sns", **kw), boto3.client("sqs", **kw)
topic = sns.create_topic(Name="many")["TopicArn"]
for i in range(100):
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint=f"owner{i}@example.com")
queue = sqs.create_queue(QueueName="last")["QueueUrl"]
arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
sns.publish(TopicArn=topic, Message="to everyone")
assert len(sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=5).get("Messages", [])) == 1
PY

pid_a="$(cat "$a/moto.pid")"
"$stack" stop --dir "$a" >/dev/null
if ! kill -0 "$pid_a" 2>/dev/null && [ ! -e "$a/stack.env" ]; then ok 6 "stop ends the server and removes its address"; else not_ok 6 "stop ends the server"; fi
if "$stack" status --dir "$b" >/dev/null; then ok 7 "the other stack is untouched"; else not_ok 7 "the other stack is untouched"; fi
