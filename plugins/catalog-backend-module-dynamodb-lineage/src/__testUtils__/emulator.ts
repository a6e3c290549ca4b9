import { Entity } from '@backstage/catalog-model';
import { DefaultAwsClientFactory } from '@lineage/plugin-dynamodb-lineage-node';

/** Clients of the emulator at `url`, whose access key id is the account id; no retries. */
export function emulatorClients(url: string): DefaultAwsClientFactory {
  return DefaultAwsClientFactory.fromCredentials(
    accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
    { endpoint: url, maxAttempts: 1 },
  );
}

/**
 * The demo's aws-account Resources, as in examples/aws-accounts.yaml; `owners`
 * replaces the owner of single accounts.
 */
export function demoAccountEntities(
  owners: Record<string, string> = {},
): Entity[] {
  const accounts = [
    [
      'aws-payments-prod',
      '111111111111',
      'us-east-1,eu-west-1',
      'team-payments',
    ],
    ['aws-orders-prod', '222222222222', 'us-east-1', 'team-orders'],
    ['aws-inventory-prod', '333333333333', 'us-east-1', 'team-inventory'],
    ['aws-analytics-prod', '444444444444', 'us-east-1', 'team-analytics'],
  ];
  return accounts.map(([name, accountId, regions, team]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      annotations: {
        'aws.amazon.com/account-id': accountId,
        'dynamodb-lineage/regions': regions,
      },
    },
    spec: {
      type: 'aws-account',
      owner: owners[accountId] ?? `group:default/${team}`,
    },
  }));
}

/**
 * Sends one AWS API call to the emulator over its wire protocol, for changes the
 * providers themselves never make (deleting a trail or a table, changing a
 * bucket policy). The emulator reads the account from the signature scope and does not verify it.
 */
export async function emulatorCall(
  url: string,
  call: {
    accountId: string;
    region: string;
    service: 'cloudtrail' | 's3' | 'dynamodb';
    method?: string;
    path?: string;
    target?: string;
    body: unknown;
  },
): Promise<void> {
  const response = await fetch(`${url}${call.path ?? '/'}`, {
    method: call.method ?? 'POST',
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=${call.accountId}/20250101/${call.region}/${call.service}/aws4_request, SignedHeaders=host, Signature=00`,
      ...(call.target
        ? jsonTarget(call.service, call.target)
        : { 'content-type': 'application/json' }),
    },
    body: JSON.stringify(call.body),
  });
  if (!response.ok) {
    throw new Error(
      `${call.target ?? call.path} failed with ${
        response.status
      }: ${await response.text()}`,
    );
  }
}

/** The JSON protocol headers of an operation of CloudTrail or DynamoDB. */
function jsonTarget(
  service: string,
  operation: string,
): Record<string, string> {
  return service === 'dynamodb'
    ? {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${operation}`,
      }
    : {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.${operation}`,
      };
}
