"""What the handler's process-level tests share: the resources it needs on
a local stack (created as terraform/ declares them), its Lambda
environment, and a stream batch of three records.

    stack = create(os.environ["AWS_ENDPOINT_URL"])
    env = stack.lambda_env(runtime_api_address)
"""

import json
import time

import boto3

STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-05-01T00:00:00.000"
LOG_TABLE = "dbtrigger-notification-log"


class Stack:
    def __init__(self, endpoint, ddb, sns, sqs, topic_arn, queue_url):
        self.endpoint = endpoint
        self.ddb = ddb
        self.sns = sns
        self.sqs = sqs
        self.topic_arn = topic_arn
        self.queue_url = queue_url

    def lambda_env(self, runtime_api):
        """The variables Lambda and terraform/lambda.tf give the function."""
        return {
            "AWS_LAMBDA_RUNTIME_API": runtime_api,
            "AWS_LAMBDA_FUNCTION_NAME": "dbtrigger-handler",
            "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "session-token",
            "AWS_ENDPOINT_URL": self.endpoint,
            "TOPIC_ARN": self.topic_arn,
            "LOG_TABLE": LOG_TABLE,
            "FUNCTION_TIMEOUT_SECONDS": "30",
        }


def create(endpoint):
    """The notification log (terraform/table.tf), the topic, and an SQS
    queue subscribed to the topic standing in for the owners' inboxes."""
    session = boto3.session.Session(region_name="us-east-1", aws_access_key_id="testing",
                                    aws_secret_access_key="testing")
    ddb = session.client("dynamodb", endpoint_url=endpoint)
    sns = session.client("sns", endpoint_url=endpoint)
    sqs = session.client("sqs", endpoint_url=endpoint)

    ddb.create_table(
        TableName=LOG_TABLE,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "owner", "AttributeType": "S"},
                              {"AttributeName": "sentAt", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{
            "IndexName": "owner-sentAt-index",
            "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"},
                          {"AttributeName": "sentAt", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"},
        }])
    topic_arn = sns.create_topic(Name="dbtrigger-notifications")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url,
                                         AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn)
    return Stack(endpoint, ddb, sns, sqs, topic_arn, queue_url)


def record(event_id, seq, event_name, keys, old=None, new=None):
    dynamodb = {
        "Keys": keys,
        "SequenceNumber": seq,
        "SizeBytes": 100,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
        "ApproximateCreationDateTime": 1714521600,
    }
    if old is not None:
        dynamodb["OldImage"] = old
    if new is not None:
        dynamodb["NewImage"] = new
    return {
        "eventID": event_id,
        "eventName": event_name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": dynamodb,
        "eventSourceARN": STREAM_ARN,
    }


def item(item_id, owner, **extra):
    result = {"id": {"S": item_id}, "owner": {"S": owner}}
    result.update(extra)
    return result


def the_event():
    """INSERT for alice, MODIFY for bob, REMOVE for alice."""
    return {"Records": [
        record("ev-1", "100", "INSERT", {"id": {"S": "a-1"}},
               new=item("a-1", "alice", price={"N": "12.50"})),
        record("ev-2", "200", "MODIFY", {"id": {"S": "b-1"}},
               old=item("b-1", "bob", status={"S": "open"}),
               new=item("b-1", "bob", status={"S": "shipped"})),
        record("ev-3", "300", "REMOVE", {"id": {"S": "a-2"}},
               old=item("a-2", "alice", note={"S": "gone"})),
    ]}


def read_queue(sqs, queue_url, want, timeout):
    """Up to @want messages (SNS envelopes, parsed), waiting @timeout s."""
    got = []
    end = time.monotonic() + timeout
    while time.monotonic() < end and len(got) < want:
        answer = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for message in answer.get("Messages", []):
            got.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return got
