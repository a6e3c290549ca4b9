import type { AwsError } from '../../errors';
import type { EventDraft } from '../../events/record';
import type { CallContext } from '../types';

/**
 * The AWS/DynamoDB metrics CloudWatch holds about served requests, as
 * DynamoDB publishes them: per table and operation for successful requests
 * (`SuccessfulRequestLatency`, whose SampleCount is the request count),
 * throttled requests and server errors; per table for failed conditional
 * writes; per account-region, without dimensions, for other client errors
 * (`UserErrors`). A request over several tables counts once per table, as it
 * yields one CloudTrail data event per table.
 */

export const DYNAMODB_NAMESPACE = 'AWS/DynamoDB';

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

function tableName(arn: string): string {
  return arn.slice(arn.indexOf(':table/') + ':table/'.length).split('/')[0];
}

export function publishDynamoDbMetrics(
  ctx: CallContext,
  served: { events: EventDraft[]; error?: AwsError; latencyMs: number },
): void {
  const { error } = served;
  const time = ctx.time;
  const tableEvents = served.events.filter(
    e => e.category === 'Data' && e.resources?.[0],
  );
  const userError =
    error &&
    error.status < 500 &&
    !THROTTLING.has(error.code) &&
    error.code !== 'ConditionalCheckFailedException';
  if (userError) {
    ctx.world.metrics.put(
      {
        accountId: ctx.identity.accountId,
        region: ctx.region,
        namespace: DYNAMODB_NAMESPACE,
        metricName: 'UserErrors',
        dimensions: [],
        unit: 'Count',
      },
      time,
      1,
    );
    return;
  }
  for (const event of tableEvents) {
    const resource = event.resources![0];
    if (!resource.ARN) continue;
    const where = {
      accountId: resource.accountId ?? event.recipientAccountId,
      region: event.awsRegion,
      namespace: DYNAMODB_NAMESPACE,
    };
    const table = { Name: 'TableName', Value: tableName(resource.ARN) };
    const operation = { Name: 'Operation', Value: event.eventName };
    const put = (
      metricName: string,
      dimensions: Array<typeof table>,
      unit: string,
      value: number,
    ) =>
      ctx.world.metrics.put(
        { ...where, metricName, dimensions, unit },
        time,
        value,
      );
    if (!error) {
      put(
        'SuccessfulRequestLatency',
        [table, operation],
        'Milliseconds',
        Math.max(0, served.latencyMs),
      );
    } else if (THROTTLING.has(error.code)) {
      put('ThrottledRequests', [table, operation], 'Count', 1);
    } else if (error.code === 'ConditionalCheckFailedException') {
      put('ConditionalCheckFailedRequests', [table], 'Count', 1);
    } else {
      put('SystemErrors', [table, operation], 'Count', 1);
    }
  }
}
