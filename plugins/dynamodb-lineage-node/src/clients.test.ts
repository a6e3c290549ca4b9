import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { startEmulator } from '@lineage/aws-emulator';
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { DefaultAwsClientFactory, assumeRoleProvider } from './clients';
import { AccountRegionRateLimits } from './rateLimit';
import { peakPerSecond } from './__testUtils__/virtualClock';
import { readDynamoDbLineageConfig } from './config';

const sts = mockClient(STSClient);
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000);

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

  it('sends every CloudTrail request of an account-region, retries included, through one rate shared by all factories', async () => {
    const emulator = await startEmulator({ port: 0, seed: 'none' });
    try {
      // Every DescribeTrails is throttled: each send makes two attempts.
      emulator.faults.set({
        throttleRate: { 'cloudtrail:DescribeTrails': 1 },
      });
      const cloudTrailRate = new AccountRegionRateLimits(2);
      const factory = () =>
        DefaultAwsClientFactory.fromCredentials(
          accountId => ({ accessKeyId: accountId, secretAccessKey: 'x' }),
          { endpoint: emulator.url, maxAttempts: 2, cloudTrailRate },
        );
      const [one, other] = await Promise.all([
        factory().forAccount('111111111111', 'us-east-1'),
        factory().forAccount('111111111111', 'us-east-1'),
      ]);
      await Promise.allSettled(
        [one, other, one].map(clients =>
          clients.cloudTrail.send(new DescribeTrailsCommand({})),
        ),
      );
      const received = emulator.calls
        .list({ service: 'cloudtrail' })
        .map(call => Date.parse(call.time));
      expect(received).toHaveLength(6);
      expect(peakPerSecond(received)).toBeLessThanOrEqual(2);
    } finally {
      await emulator.stop();
    }
  });

  describe('per-plugin roles', () => {
    beforeEach(() => {
      sts.reset();
      sts.on(AssumeRoleCommand).callsFake(input => ({
        Credentials: {
          AccessKeyId: `session-of-${input.RoleArn}`,
          SecretAccessKey: 's',
          SessionToken: 't',
          Expiration: inMinutes(60),
        },
      }));
    });

    const config = (extra: object = {}) =>
      new ConfigReader({
        aws: {
          mainAccount: { accessKeyId: 'main', secretAccessKey: 'main' },
          accountDefaults: {
            roleName: 'lineage-read',
            externalId: 'default-id',
            partition: 'aws-cn',
          },
          accounts: [
            {
              accountId: '222222222222',
              roleName: 'legacy',
              externalId: 'own-id',
            },
          ],
        },
        dynamodbLineage: {
          aws: { provisionRoleName: 'lineage-provision', ...extra },
        },
      });
    const sessionKey = async (
      factory: DefaultAwsClientFactory,
      accountId: string,
    ) =>
      (
        await (
          await factory.forAccount(accountId, 'us-east-1')
        ).s3.config.credentials()
      ).accessKeyId;

    it('assumes the provision role for the scaffolder, with the partition and external id of the account', async () => {
      const factory = DefaultAwsClientFactory.fromConfig(config(), {
        role: 'provision',
      });
      expect(await sessionKey(factory, '111111111111')).toBe(
        'session-of-arn:aws-cn:iam::111111111111:role/lineage-provision',
      );
      expect(await sessionKey(factory, '222222222222')).toBe(
        'session-of-arn:aws-cn:iam::222222222222:role/lineage-provision',
      );
      expect(
        sts
          .commandCalls(AssumeRoleCommand)
          .map(call => call.args[0].input.ExternalId),
      ).toEqual(['default-id', 'own-id']);
    });

    it('defaults the read role to aws.accountDefaults.roleName and lets dynamodbLineage.aws.roleName override it', async () => {
      const byDefault = DefaultAwsClientFactory.fromConfig(config(), {
        role: 'read',
      });
      expect(await sessionKey(byDefault, '111111111111')).toBe(
        'session-of-arn:aws-cn:iam::111111111111:role/lineage-read',
      );
      const named = DefaultAwsClientFactory.fromConfig(
        config({ roleName: 'monitor' }),
        { role: 'read' },
      );
      expect(await sessionKey(named, '111111111111')).toBe(
        'session-of-arn:aws-cn:iam::111111111111:role/monitor',
      );
    });

    it('leaves accounts with their own aws.accounts entry to the integration when the plugin names no role', async () => {
      const getCredentialProvider = jest.fn(async () => ({
        sdkCredentialProvider: async () => ({
          accessKeyId: 'from-integration',
          secretAccessKey: 'x',
        }),
      }));
      const factory = DefaultAwsClientFactory.fromConfig(config(), {
        role: 'read',
        credentialsManager: { getCredentialProvider },
      });
      expect(await sessionKey(factory, '222222222222')).toBe(
        'from-integration',
      );
      expect(getCredentialProvider).toHaveBeenCalledWith({
        accountId: '222222222222',
      });
      expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    });

    it('refuses a role name IAM would refuse, naming the key', () => {
      expect(() =>
        readDynamoDbLineageConfig(
          new ConfigReader({
            dynamodbLineage: { aws: { provisionRoleName: 'no spaces' } },
          }),
        ),
      ).toThrow(
        /dynamodbLineage\.aws\.provisionRoleName must be an IAM role name/,
      );
    });
  });

  describe('assumeRoleProvider', () => {
    it('reuses a session until five minutes before it expires, then renews it', async () => {
      sts.reset();
      const expirations = [inMinutes(4), inMinutes(60)];
      let issued = 0;
      sts.on(AssumeRoleCommand).callsFake(() => {
        issued += 1;
        return {
          Credentials: {
            AccessKeyId: `key-${issued}`,
            SecretAccessKey: 's',
            SessionToken: 't',
            Expiration: expirations[issued - 1],
          },
        };
      });
      const provider = assumeRoleProvider({
        sts: new STSClient({ region: 'us-east-1' }),
        roleArn: 'arn:aws:iam::111111111111:role/r',
      }) as () => Promise<{ accessKeyId: string }>;
      // The first session has 4 minutes left: renewed on the next use.
      expect((await provider()).accessKeyId).toBe('key-1');
      expect((await provider()).accessKeyId).toBe('key-2');
      expect((await provider()).accessKeyId).toBe('key-2');
      expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    });

    it('retries AssumeRole after a failure instead of keeping it', async () => {
      sts.reset();
      sts
        .on(AssumeRoleCommand)
        .rejectsOnce(new Error('AccessDenied'))
        .resolves({
          Credentials: {
            AccessKeyId: 'ok',
            SecretAccessKey: 's',
            Expiration: inMinutes(60),
          } as any,
        });
      const provider = assumeRoleProvider({
        sts: new STSClient({ region: 'us-east-1' }),
        roleArn: 'arn:aws:iam::111111111111:role/r',
        externalId: 'x',
      }) as () => Promise<{ accessKeyId: string }>;
      await expect(provider()).rejects.toThrow('AccessDenied');
      expect((await provider()).accessKeyId).toBe('ok');
      expect(
        sts.commandCalls(AssumeRoleCommand)[0].args[0].input,
      ).toMatchObject({
        ExternalId: 'x',
        RoleSessionName: 'backstage-dynamodb-lineage',
      });
    });
  });
});
