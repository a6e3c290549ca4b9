import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { DefaultAwsClientFactory } from './clients';

describe('DefaultAwsClientFactory', () => {
  it('builds clients from the aws integration config, with the endpoint and standard retry', async () => {
    const factory = DefaultAwsClientFactory.fromConfig(
      new ConfigReader({
        aws: {
          accounts: [
            {
              accountId: '111111111111',
              accessKeyId: '111111111111',
              secretAccessKey: 'secret',
            },
          ],
        },
        dynamodbLineage: {
          aws: { endpoint: 'http://127.0.0.1:4566', maxAttempts: 5 },
        },
      }),
      { logger: mockServices.logger.mock() },
    );
    const clients = await factory.forAccount('111111111111', 'eu-west-1');

    const credentials = await clients.cloudTrail.config.credentials();
    expect(credentials.accessKeyId).toBe('111111111111');
    expect(await clients.cloudTrail.config.region()).toBe('eu-west-1');
    expect(await clients.cloudTrail.config.maxAttempts()).toBe(5);
    const strategy = await clients.cloudTrail.config.retryStrategy();
    expect((strategy as { mode?: string }).mode).toBe('standard');
    expect((await clients.s3.config.endpoint!()).hostname).toBe('127.0.0.1');
    expect(clients.s3.config.forcePathStyle).toBe(true);
    expect((await clients.dynamodb.config.endpoint!()).port).toBe(4566);
    expect(await clients.sts.config.region()).toBe('eu-west-1');
  });

  it('keeps one client set per account and region', async () => {
    const credentialsFor = jest.fn(async (accountId: string) => ({
      accessKeyId: accountId,
      secretAccessKey: 'x',
    }));
    const factory = new DefaultAwsClientFactory({ credentialsFor });
    const first = await factory.forAccount('111111111111', 'us-east-1');
    expect(await factory.forAccount('111111111111', 'us-east-1')).toBe(first);
    expect(await factory.forAccount('111111111111', 'eu-west-1')).not.toBe(
      first,
    );
    expect(await factory.forAccount('222222222222', 'us-east-1')).not.toBe(
      first,
    );
    expect(credentialsFor).toHaveBeenCalledTimes(3);
    // Real AWS: no endpoint override and virtual-hosted S3 addressing.
    expect(first.s3.config.forcePathStyle).toBe(false);
    expect(await first.cloudTrail.config.maxAttempts()).toBe(3);
  });

  it('does not cache a failed credential lookup', async () => {
    const factory = DefaultAwsClientFactory.fromConfig(new ConfigReader({}), {
      credentialsManager: {
        getCredentialProvider: jest
          .fn()
          .mockRejectedValueOnce(
            new Error('There is no AWS integration that matches 333333333333'),
          )
          .mockResolvedValue({
            sdkCredentialProvider: async () => ({
              accessKeyId: 'a',
              secretAccessKey: 'b',
            }),
          }),
      },
    });
    await expect(
      factory.forAccount('333333333333', 'us-east-1'),
    ).rejects.toThrow(/no AWS integration/);
    await expect(
      factory.forAccount('333333333333', 'us-east-1'),
    ).resolves.toBeDefined();
  });

  it('takes explicit credentials per account, as the emulator wants them', async () => {
    const factory = DefaultAwsClientFactory.fromCredentials(accountId => ({
      accessKeyId: accountId,
      secretAccessKey: 'emulator',
    }));
    const clients = await factory.forAccount('444444444444', 'us-east-1');
    expect((await clients.s3.config.credentials()).accessKeyId).toBe(
      '444444444444',
    );
  });
});
