#!/usr/bin/env python3
"""moto_server for the local stack, with moto's own stream-to-Lambda
delivery switched off.

usage: moto-server.py [moto_server arguments...]   (e.g. -H 127.0.0.1 -p PORT)

Why: when a DynamoDB table has an event source mapping, moto invokes the
function itself on every write (through Docker) and, whenever that returns
anything -- including its own "error running docker" text -- it empties the
shard, so GetRecords never sees those records and later sequence numbers
repeat. On the local stack the mapping is served by dbtrigger-local, which
reads the stream like Lambda's poller does; moto must keep the records.
Also: moto delivers a publish only to the first page (100) of a topic's
subscriptions; SNS delivers to all of them. A topic with 100 owner addresses
plus the runner's outbox queue would otherwise lose mail.

Everything else is moto_server unchanged.
"""
import sys
import threading

from moto.dynamodb.models import table as _table
from moto.server import main
from moto.sns import models as _sns

_original_add = _table.StreamShard.add
_lock = threading.Lock()


def _add_without_invoking(self, old, new):
    # The original appends the record, then (with mappings present) invokes
    # and may clear the shard: hide the mappings for the duration.
    with _lock:
        mappings = self.table.lambda_event_source_mappings
        self.table.lambda_event_source_mappings = {}
        try:
            _original_add(self, old, new)
        finally:
            self.table.lambda_event_source_mappings = mappings


_table.StreamShard.add = _add_without_invoking


def _publish_to_every_subscription(self, message, subject=None, message_attributes=None,
                                   group_id=None, deduplication_id=None, message_structure=None):
    # moto's Topic.publish, over every subscription instead of the first page.
    message_id = str(_sns.mock_random.uuid4())
    for subscription in list(self.sns_backend._get_topic_subscriptions(self)):
        subscription.publish(message, message_id, subject=subject,
                             message_attributes=message_attributes, group_id=group_id,
                             deduplication_id=deduplication_id, message_structure=message_structure)
    self.sent_notifications.append((message_id, message, subject, message_attributes, group_id))
    return message_id


_sns.Topic.publish = _publish_to_every_subscription

if __name__ == "__main__":
    sys.exit(main())
