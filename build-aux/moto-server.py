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
Everything else is moto_server unchanged.
"""
import sys
import threading

from moto.dynamodb.models import table as _table
from moto.server import main

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

if __name__ == "__main__":
    sys.exit(main())
