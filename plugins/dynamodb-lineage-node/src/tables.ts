import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { InputError } from '@backstage/errors';
import {
  CANARY_TABLE_NAME,
  validateAccountId,
} from '@lineage/plugin-dynamodb-lineage-common';
import { partitionOf } from './arns';
import { AwsClients } from './clients';

/** ListTables answers at most 100 names a page. */
const PAGE_SIZE = 100;
/** 2,500 tables per account-region is AWS's default quota; this bound is far above it. */
const MAX_PAGES = 1000;
/** Region codes of every partition: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, … */
const REGION_CODE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * ARNs of every DynamoDB table of the clients' account-region but the
 * canary, in the order ListTables gives (by name), following every page. `accountId` and `region`
 * must be the ones the clients are bound to: ListTables answers names only.
 * AWS refusals (AccessDenied, throttling after retries) are thrown as the SDK
 * raised them.
 */
export async function listTableArns(
  clients: AwsClients,
  target: { accountId: string; region: string },
): Promise<string[]> {
  const { accountId, region } = target;
  const badAccount = validateAccountId(accountId);
  if (badAccount) throw new InputError(`accountId: ${badAccount}`);
  if (!REGION_CODE.test(region ?? '')) {
    throw new InputError(
      `region: "${region}" is not an AWS region code (for example us-east-1)`,
    );
  }
  const arnOf = (name: string) =>
    `arn:${partitionOf(region)}:dynamodb:${region}:${accountId}:table/${name}`;

  const arns: string[] = [];
  let start: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const output = await clients.dynamodb.send(
      new ListTablesCommand({
        Limit: PAGE_SIZE,
        ...(start ? { ExclusiveStartTableName: start } : {}),
      }),
    );
    // The canary table is the plugin's own, not one of the team's tables.
    arns.push(
      ...(output.TableNames ?? [])
        .filter(name => name !== CANARY_TABLE_NAME)
        .map(arnOf),
    );
    start = output.LastEvaluatedTableName;
    if (!start) return arns;
  }
  throw new Error(
    `ListTables in ${accountId}/${region} returned more than ${
      MAX_PAGES * PAGE_SIZE
    } tables`,
  );
}
