import {
  AwsClientFactory,
  AwsClients,
  DefaultAwsClientFactory,
} from '@lineage/plugin-dynamodb-lineage-node';
import { mockClient } from 'aws-sdk-client-mock';

/** One AWS call as the SDK client received it. */
export interface RecordedCall {
  service: 'cloudtrail' | 's3' | 'dynamodb' | 'kms';
  operation: string;
  input: Record<string, unknown>;
}

type Responder = (
  operation: string,
  input: Record<string, any>,
) => unknown | Promise<unknown>;

/** Read-only operation names: anything else changes AWS. */
export const isReadOperation = (operation: string) =>
  /^(Get|Head|List|Describe|Lookup)/.test(operation);

export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: 400 },
  });
}

/**
 * Real SDK clients whose `send` is stubbed with aws-sdk-client-mock, answering
 * like an account with neither the trail nor the bucket. Every call is
 * recorded; `respond` overrides answers per operation.
 */
export function fakeAws(respond?: Partial<Record<string, Responder>>) {
  const calls: RecordedCall[] = [];
  const forAccount = jest.fn(async (accountId: string, region: string) => {
    const clients = await DefaultAwsClientFactory.fromCredentials(id => ({
      accessKeyId: id,
      secretAccessKey: 'test',
    })).forAccount(accountId, region);
    stub(clients, calls, respond ?? {});
    return clients;
  });
  const factory: AwsClientFactory = { forAccount };
  return {
    factory,
    forAccount,
    calls,
    operations: () => calls.map(c => c.operation),
    mutatingOperations: () =>
      calls.map(c => c.operation).filter(op => !isReadOperation(op)),
  };
}

function stub(
  clients: AwsClients,
  calls: RecordedCall[],
  respond: Partial<Record<string, Responder>>,
) {
  const services = {
    cloudtrail: clients.cloudTrail,
    s3: clients.s3,
    dynamodb: clients.dynamodb,
    kms: clients.kms,
  } as const;
  for (const [service, client] of Object.entries(services)) {
    mockClient(client as any).send.callsFake(
      async (command: any): Promise<any> => {
        const operation = String(command.constructor.name).replace(
          /Command$/,
          '',
        );
        const input = command.input ?? {};
        calls.push({
          service: service as RecordedCall['service'],
          operation,
          input,
        });
        const custom = respond[operation];
        if (custom) return custom(operation, input);
        return emptyAccount(operation, input);
      },
    );
  }
}

/**
 * An account without any trail, the bucket or the canary table: reads say "not found", writes
 * succeed. Any KMS key named exists, Enabled, with a policy that lets
 * CloudTrail encrypt for the account's trails.
 */
function emptyAccount(operation: string, input: Record<string, any>): unknown {
  switch (operation) {
    case 'DescribeKey':
      return {
        KeyMetadata: {
          KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
          Arn: 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          KeyState: 'Enabled',
          KeySpec: 'SYMMETRIC_DEFAULT',
          KeyUsage: 'ENCRYPT_DECRYPT',
        },
      };
    case 'GetKeyPolicy':
      return {
        PolicyName: 'default',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 'kms:GenerateDataKey*',
              Resource: '*',
              Condition: {
                StringLike: {
                  'aws:SourceArn': 'arn:aws:cloudtrail:*:*:trail/*',
                },
              },
            },
          ],
        }),
      };
    case 'DescribeTrails':
      return { trailList: [] };
    case 'GetTrail':
      throw awsError('TrailNotFoundException');
    case 'HeadBucket':
      throw awsError('NotFound');
    case 'DescribeTable':
      throw awsError('ResourceNotFoundException');
    case 'CreateTrail':
      return {
        Name: input.Name,
        TrailARN: `arn:aws:cloudtrail:us-east-1:000000000000:trail/${input.Name}`,
      };
    default:
      if (isReadOperation(operation)) {
        throw new Error(`fakeAws has no answer for ${operation}`);
      }
      return {};
  }
}
