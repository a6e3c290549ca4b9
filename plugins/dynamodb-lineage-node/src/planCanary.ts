import {
  CANARY_KEY_ATTRIBUTE,
  CANARY_TABLE_NAME,
  LineageSpec,
  canaryTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import { desiredTags } from './desiredState';
import { ExecutableChange } from './planTypes';

/**
 * Creating the home region's canary table (when `canary` and DescribeTable
 * found none): on demand, so an idle table costs nothing and the one read per
 * refresh is billed as a single request; its only attribute is the string
 * key the backend reads; tagged like the trail.
 */
export function planCanaryTableCreation(spec: LineageSpec): ExecutableChange {
  const arn = canaryTableArn(spec.accountId, spec.region);
  return {
    key: 'canary-table:create',
    resource: 'canary-table',
    action: 'create',
    summary: `Create DynamoDB table ${CANARY_TABLE_NAME} in ${spec.region} (on demand): one read per refresh proves the trail captures DynamoDB data events; a few cents a month (about 8,640 reads and as many data events at one refresh every 5 minutes)`,
    changes: [
      {
        field: 'BillingMode',
        desired: 'PAY_PER_REQUEST',
        reason: 'billed per request: nothing while idle, no capacity to size',
      },
      {
        field: 'KeySchema',
        desired: [{ AttributeName: CANARY_KEY_ATTRIBUTE, KeyType: 'HASH' }],
        reason: `the backend reads one item by a unique ${CANARY_KEY_ATTRIBUTE} per refresh`,
      },
      {
        field: 'TableArn',
        desired: arn,
        reason: "the trail's DynamoDB selector captures it whatever the scope",
      },
    ],
    request: {
      operation: 'CreateTable',
      input: {
        TableName: CANARY_TABLE_NAME,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: CANARY_KEY_ATTRIBUTE, AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: CANARY_KEY_ATTRIBUTE, KeyType: 'HASH' }],
        Tags: Object.entries(desiredTags(spec)).map(([Key, Value]) => ({
          Key,
          Value,
        })),
      },
    },
  };
}
