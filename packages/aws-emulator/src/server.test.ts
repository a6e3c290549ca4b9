import http from 'node:http';
import {
  CreateTrailCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
  ListTrailsCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  CreateBucketCommand,
} from '@aws-sdk/client-s3';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
} from '@aws-sdk/client-sts';
import { type RunningEmulator, startEmulator } from './index';
import { type Clients, rejection, sdkClients } from './__testUtils__/clients';

/** Makes a client send its requests without the SigV4 Authorization header. */
function unsigned<T extends { middlewareStack: any }>(client: T): T {
  client.middlewareStack.addRelativeTo(
    (next: any) => async (args: any) => {
      delete args.request.headers.authorization;
      delete args.request.headers.Authorization;
      return next(args);
    },
    {
      relation: 'after',
      toMiddleware: 'httpSigningMiddleware',
      name: 'dropSignature',
    },
  );
  return client;
}

describe('the server', () => {
  let emulator: RunningEmulator;
  let clients: Clients;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    clients = sdkClients(emulator.url);
  });

  afterAll(() => emulator.stop());
  beforeEach(() => emulator.reset());

  describe('refuses unsigned requests the way each service does', () => {
    it.each([
      [
        'cloudtrail',
        () =>
          unsigned(sdkClients(emulator.url).cloudtrail).send(
            new ListTrailsCommand({}),
          ),
        'MissingAuthenticationTokenException',
        403,
      ],
      [
        'dynamodb',
        () =>
          unsigned(sdkClients(emulator.url).dynamodb).send(
            new ListTablesCommand({}),
          ),
        'MissingAuthenticationTokenException',
        403,
      ],
      [
        'sts',
        () =>
          unsigned(sdkClients(emulator.url).sts).send(
            new GetCallerIdentityCommand({}),
          ),
        'MissingAuthenticationToken',
        403,
      ],
      [
        's3',
        () =>
          unsigned(sdkClients(emulator.url).s3).send(
            new ListObjectsV2Command({ Bucket: 'any-bucket' }),
          ),
        'AccessDenied',
        403,
      ],
    ])('%s', async (_service, call, name, status) => {
      const error = await rejection(call());
      expect(error.name).toBe(name);
      expect(error.$metadata.httpStatusCode).toBe(status);
    });
  });

  it.each([
    ['test', '000000000000'],
    ['AKIAUNKNOWNKEY000000', '000000000000'],
    ['12345', '000000000000'],
    ['555555555555', '555555555555'],
  ])(
    'maps the access key %s to account %s, as LocalStack does',
    async (accessKeyId, account) => {
      const c = sdkClients(emulator.url, { accessKeyId });
      await expect(
        c.sts.send(new GetCallerIdentityCommand({})),
      ).resolves.toMatchObject({
        Account: account,
        Arn: `arn:aws:iam::${account}:root`,
      });
      await c.dynamodb.send(new ListTablesCommand({}));
      await c.cloudtrail.send(new ListTrailsCommand({}));
      expect(
        emulator.calls
          .list()
          .map(call => [call.service, call.accountId, call.outcome]),
      ).toEqual([
        ['sts', account, 'success'],
        ['dynamodb', account, 'success'],
        ['cloudtrail', account, 'success'],
      ]);
    },
  );

  it('takes the region from the credential scope', async () => {
    const west = sdkClients(emulator.url, { region: 'eu-west-1' });
    await west.s3.send(
      new CreateBucketCommand({
        Bucket: 'west-bucket',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    expect(emulator.calls.list({ action: 's3:CreateBucket' })[0]).toMatchObject(
      { region: 'eu-west-1', accountId: '111111111111' },
    );
  });

  it('logs the IAM resource of each call, or * when the action takes none', async () => {
    const west = sdkClients(emulator.url, { region: 'eu-west-1' });
    await west.s3.send(
      new CreateBucketCommand({
        Bucket: 'west-logs',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    await west.s3.send(
      new PutObjectCommand({
        Bucket: 'west-logs',
        Key: 'prefix/AWSLogs/a b.json',
        Body: '{}',
      }),
    );
    await west.cloudtrail
      .send(
        new CreateTrailCommand({ Name: 'audit', S3BucketName: 'west-logs' }),
      )
      .catch(() => undefined);
    const trail = 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/audit';
    await rejection(
      west.cloudtrail.send(new GetTrailStatusCommand({ Name: 'missing' })),
    );
    await west.cloudtrail
      .send(new ListTagsCommand({ ResourceIdList: [trail] }))
      .catch(() => undefined);
    await west.cloudtrail.send(new ListTrailsCommand({}));
    await west.dynamodb.send(
      new CreateTableCommand({
        TableName: 'orders',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await west.dynamodb.send(
      new DescribeTableCommand({
        TableName: 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders',
      }),
    );
    await west.dynamodb.send(new ListTablesCommand({}));
    await west.sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::222222222222:role/reader',
        RoleSessionName: 'test',
        ExternalId: 'shared',
      }),
    );
    await west.sts.send(new GetCallerIdentityCommand({}));
    expect(
      emulator.calls.list().map(call => [call.action, call.resource]),
    ).toEqual([
      ['s3:CreateBucket', 'arn:aws:s3:::west-logs'],
      ['s3:PutObject', 'arn:aws:s3:::west-logs/prefix/AWSLogs/a b.json'],
      ['cloudtrail:CreateTrail', trail],
      [
        'cloudtrail:GetTrailStatus',
        'arn:aws:cloudtrail:eu-west-1:111111111111:trail/missing',
      ],
      ['cloudtrail:ListTags', trail],
      ['cloudtrail:ListTrails', '*'],
      [
        'dynamodb:CreateTable',
        'arn:aws:dynamodb:eu-west-1:111111111111:table/orders',
      ],
      [
        'dynamodb:DescribeTable',
        'arn:aws:dynamodb:eu-west-1:111111111111:table/orders',
      ],
      ['dynamodb:ListTables', '*'],
      ['sts:AssumeRole', 'arn:aws:iam::222222222222:role/reader'],
      ['sts:GetCallerIdentity', '*'],
    ]);
    expect(
      emulator.calls.list({ resource: trail }).map(call => call.action),
    ).toEqual(['cloudtrail:CreateTrail', 'cloudtrail:ListTags']);
    expect(
      emulator.calls.list({ action: 'sts:AssumeRole' })[0].conditionKeys,
    ).toEqual({ 'sts:ExternalId': 'shared' });
  });

  it("logs the kms:Decrypt S3 makes with the caller's permissions to read an SSE-KMS object", async () => {
    const key =
      'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    await clients.s3.send(new CreateBucketCommand({ Bucket: 'kms-logs' }));
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: 'kms-logs',
        Key: 'plain.json',
        Body: '{}',
      }),
    );
    await clients.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: 'kms-logs',
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: key,
              },
            },
          ],
        },
      }),
    );
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: 'kms-logs',
        Key: 'sealed.json',
        Body: '{}',
      }),
    );
    emulator.calls.clear();
    await clients.s3.send(
      new GetObjectCommand({ Bucket: 'kms-logs', Key: 'sealed.json' }),
    );
    await clients.s3.send(
      new GetObjectCommand({ Bucket: 'kms-logs', Key: 'plain.json' }),
    );
    expect(
      emulator.calls
        .list()
        .map(call => [call.action, call.resource, call.invokedBy]),
    ).toEqual([
      ['s3:GetObject', 'arn:aws:s3:::kms-logs/sealed.json', undefined],
      ['kms:Decrypt', key, 's3.amazonaws.com'],
      ['s3:GetObject', 'arn:aws:s3:::kms-logs/plain.json', undefined],
    ]);
  });

  it('accepts presigned query authentication', async () => {
    await clients.s3.send(
      new CreateBucketCommand({ Bucket: 'presigned-bucket' }),
    );
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: 'presigned-bucket',
        Key: 'file.txt',
        Body: 'presigned!',
      }),
    );
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': '111111111111/20240101/us-east-1/s3/aws4_request',
      'X-Amz-Date': '20240101T000000Z',
      'X-Amz-Expires': '900',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': 'abcdef0123456789',
    });
    const response = await fetch(
      `${emulator.url}/presigned-bucket/file.txt?${query}`,
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('presigned!');
    const anonymous = await fetch(`${emulator.url}/presigned-bucket/file.txt`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('accepts virtual-hosted style on <bucket>.localhost', async () => {
    await clients.s3.send(new CreateBucketCommand({ Bucket: 'hosted-bucket' }));
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: 'hosted-bucket',
        Key: 'k.txt',
        Body: 'hosted',
      }),
    );
    const body = await new Promise<string>((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port: emulator.port,
          path: '/k.txt',
          headers: {
            host: `hosted-bucket.localhost:${emulator.port}`,
            authorization:
              'AWS4-HMAC-SHA256 Credential=111111111111/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=abc',
          },
        },
        response => {
          let text = '';
          response.on('data', chunk => (text += chunk));
          response.on('end', () => resolve(text));
        },
      );
      request.on('error', reject);
      request.end();
    });
    expect(body).toBe('hosted');
  });

  it('answers unknown JSON targets with UnknownOperationException', async () => {
    const response = await fetch(`${emulator.url}/`, {
      method: 'POST',
      headers: {
        'x-amz-target': 'Logs_20140328.DescribeLogGroups',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect((await response.json()).__type).toBe('UnknownOperationException');
  });
});
