import { ListTrailsCommand } from '@aws-sdk/client-cloudtrail';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
} from '@aws-sdk/client-sts';
import { type RunningEmulator, startEmulator } from '../index';
import { rejection, sdkClients } from '../__testUtils__/clients';

describe('STS over the wire', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      accounts: { AKIACONFIGUREDKEY001: '222222222222' },
    });
  });

  afterAll(() => emulator.stop());
  beforeEach(() => emulator.reset());

  it('names the root of the account whose id is the access key', async () => {
    const { sts } = sdkClients(emulator.url);
    await expect(
      sts.send(new GetCallerIdentityCommand({})),
    ).resolves.toMatchObject({
      Account: '111111111111',
      Arn: 'arn:aws:iam::111111111111:root',
      UserId: '111111111111',
    });
  });

  it('resolves configured access keys to their account', async () => {
    const { sts } = sdkClients(emulator.url, {
      accessKeyId: 'AKIACONFIGUREDKEY001',
    });
    await expect(
      sts.send(new GetCallerIdentityCommand({})),
    ).resolves.toMatchObject({ Account: '222222222222' });
  });

  it('issues credentials of the role account that work against other services', async () => {
    const { sts } = sdkClients(emulator.url);
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::333333333333:role/backstage-dynamodb-lineage',
        RoleSessionName: 'backstage',
      }),
    );
    expect(assumed.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(assumed.Credentials?.Expiration).toBeInstanceOf(Date);
    expect(assumed.AssumedRoleUser).toMatchObject({
      Arn: 'arn:aws:sts::333333333333:assumed-role/backstage-dynamodb-lineage/backstage',
      AssumedRoleId: expect.stringMatching(/^AROA\w+:backstage$/),
    });
    const asRole = sdkClients(emulator.url, {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      sessionToken: assumed.Credentials!.SessionToken,
    });
    await expect(
      asRole.sts.send(new GetCallerIdentityCommand({})),
    ).resolves.toMatchObject({
      Account: '333333333333',
      Arn: 'arn:aws:sts::333333333333:assumed-role/backstage-dynamodb-lineage/backstage',
    });
    await expect(
      asRole.cloudtrail.send(new ListTrailsCommand({})),
    ).resolves.toMatchObject({ Trails: [] });
  });

  it('expires session credentials on the emulated clock', async () => {
    const { sts } = sdkClients(emulator.url);
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::333333333333:role/reader',
        RoleSessionName: 'short',
        DurationSeconds: 900,
      }),
    );
    await emulator.advance(16 * 60_000);
    const asRole = sdkClients(emulator.url, {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
    });
    expect(
      (await rejection(asRole.sts.send(new GetCallerIdentityCommand({})))).name,
    ).toBe('ExpiredToken');
    expect(
      (await rejection(asRole.cloudtrail.send(new ListTrailsCommand({})))).name,
    ).toBe('ExpiredTokenException');
  });

  it('refuses roles configured to refuse, and malformed requests', async () => {
    const { sts } = sdkClients(emulator.url);
    emulator.faults.set({
      assumeRoleDenied: ['arn:aws:iam::444444444444:role/*'],
    });
    const denied = await rejection(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::444444444444:role/locked',
          RoleSessionName: 'x1',
        }),
      ),
    );
    expect(denied.name).toBe('AccessDenied');
    expect(denied.$metadata.httpStatusCode).toBe(403);
    const badArn = await rejection(
      sts.send(
        new AssumeRoleCommand({ RoleArn: 'not-an-arn', RoleSessionName: 'x1' }),
      ),
    );
    expect(badArn.name).toBe('ValidationError');
    const badDuration = await rejection(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::333333333333:role/r',
          RoleSessionName: 'x1',
          DurationSeconds: 60,
        }),
      ),
    );
    expect(badDuration.name).toBe('ValidationError');
  });
});
