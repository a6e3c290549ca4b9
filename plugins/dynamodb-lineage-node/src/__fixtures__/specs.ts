import {
  buildSpec,
  LineageSpec,
  LineageSpecInput,
} from '@lineage/plugin-dynamodb-lineage-common';

export const ACCOUNT = '111111111111';
export const TRAIL_ARN =
  'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage';
export const BUCKET = 'dynamodb-lineage-111111111111-us-east-1';

export function makeSpec(patch: Partial<LineageSpecInput> = {}): LineageSpec {
  return buildSpec({
    accountId: ACCOUNT,
    region: 'us-east-1',
    owner: 'group:default/team-payments',
    createdBy: 'user:default/jane',
    ...patch,
  });
}

/** A spec that sets every option away from its default. */
export const everyOptionSpec: LineageSpec = makeSpec({
  region: 'eu-west-1',
  s3KeyPrefix: 'ct',
  kmsKeyId: 'alias/cloudtrail',
  scope: {
    mode: 'tables',
    tableArns: ['arn:aws:dynamodb:eu-west-1:111111111111:table/payments-eu'],
  },
  includeStreams: true,
  readWriteType: 'WriteOnly',
  lifecycle: { glacierAfterDays: 30, expireAfterDays: 400 },
  insights: true,
});
