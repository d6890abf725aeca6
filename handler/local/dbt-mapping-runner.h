/* dbt-mapping-runner.h — one event source mapping on a DynamoDB stream,
 * served as Lambda serves it.
 *
 * A coordinator thread lists the stream's shards (DescribeStream, every
 * page) every few seconds and starts one worker thread per shard whose
 * parent is finished (or unknown), so a parent's records always go first.
 * A worker reads its shard (dbt-shard-poller.h), builds batches of at most
 * BatchSize records and 6 MB of event, waiting up to
 * MaximumBatchingWindowInSeconds for a batch to fill, invokes the function
 * (dbt-function-host.h) with {"Records":[...]}, and applies Lambda's rules
 * (dbt-retry-policy.h): checkpoint, partial retry, bisect, retry limits,
 * record age, and the on-failure destination (an SQS queue or SNS topic,
 * sent dbt-failure-record.h's message). A shard's records are handled
 * strictly in order: the next batch only once the current one is done.
 * The checkpoint after each step is in dbt-checkpoints.h.
 */
#pragma once

#include <gio/gio.h>
#include "dbt-function-host.h"
#include "dbt-lambda.h"
#include "dbt-local-context.h"

G_BEGIN_DECLS

typedef struct _DbtMappingRunner DbtMappingRunner;

/* What a runner was started with: a runner whose mapping's signature
 * changed (batch size, retries, destination, function...) is replaced. */
char             *dbt_mapping_signature   (const DbtEventSourceMapping *mapping);

DbtMappingRunner *dbt_mapping_runner_start (DbtLocalContext             *context,
                                            const DbtEventSourceMapping *mapping,
                                            DbtFunctionHost             *host);
/* Cancels and joins every thread. */
void              dbt_mapping_runner_stop  (DbtMappingRunner *runner);
void              dbt_mapping_runner_free  (DbtMappingRunner *runner);

const char       *dbt_mapping_runner_get_signature (DbtMappingRunner *runner);
/* In --once mode: every shard was read to its end (or to nothing new). */
gboolean          dbt_mapping_runner_is_done       (DbtMappingRunner *runner);

G_END_DECLS
