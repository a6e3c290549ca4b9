import {
  CreateTrailCommand,
  GetTrailStatusCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListResourceTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  KMSInvalidStateException,
  ListAliasesCommand,
  MalformedPolicyDocumentException,
  NotFoundException,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  AlreadyExistsException,
} from '@aws-sdk/client-kms';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { type RunningEmulator, startEmulator } from '../../index';
import {
  type Clients,
  createTrailBucket,
  sdkClients,
} from '../../__testUtils__/clients';

const ACCOUNT = '111111111111';
const BUCKET = 'kms-logs-111111111111';
const TRAIL = 'kms-trail';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${TRAIL}`;
const INTERVAL = 60_000;

/** The key policy statement CloudTrail documents for encrypting a trail's logs. */
function cloudTrailKeyPolicy(trailArn: string, extra: object = {}): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'Allow CloudTrail to encrypt logs',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceArn': trailArn },
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*`,
          },
        },
        ...extra,
      },
    ],
  });
}

describe('KMS', () => {
  let emulator: RunningEmulator;
  let root: Clients;
  let west: Clients;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, deliveryIntervalMs: INTERVAL });
    root = sdkClients(emulator.url);
    west = sdkClients(emulator.url, { region: 'eu-west-1' });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.reset());

  it('keeps the tags a key is created with and changed by, and reports no rotation', async () => {
    const { KeyMetadata } = await root.kms.send(
      new CreateKeyCommand({
        Tags: [
          { TagKey: 'owner', TagValue: 'group:default/team-a' },
          { TagKey: 'managed-by', TagValue: 'lineage' },
        ],
      }),
    );
    const KeyId = KeyMetadata!.Arn!;
    const tags = async () =>
      (await root.kms.send(new ListResourceTagsCommand({ KeyId }))).Tags;
    expect(await tags()).toEqual([
      { TagKey: 'managed-by', TagValue: 'lineage' },
      { TagKey: 'owner', TagValue: 'group:default/team-a' },
    ]);
    await root.kms.send(
      new TagResourceCommand({
        KeyId,
        Tags: [{ TagKey: 'owner', TagValue: 'group:default/team-b' }],
      }),
    );
    await root.kms.send(
      new UntagResourceCommand({ KeyId, TagKeys: ['managed-by'] }),
    );
    expect(await tags()).toEqual([
      { TagKey: 'owner', TagValue: 'group:default/team-b' },
    ]);
    expect(
      await root.kms.send(new GetKeyRotationStatusCommand({ KeyId })),
    ).toMatchObject({ KeyRotationEnabled: false });
    // IAM sees the tags a call puts on a key as aws:RequestTag/<key>.
    expect(
      emulator.calls
        .list()
        .filter(call => call.operation === 'CreateKey')
        .map(call => call.conditionKeys),
    ).toEqual([
      {
        'aws:RequestTag/owner': 'group:default/team-a',
        'aws:RequestTag/managed-by': 'lineage',
      },
    ]);
  });

  it('judges a call naming a key by alias against the key, and an alias operation against its key', async () => {
    const { KeyMetadata } = await root.kms.send(new CreateKeyCommand({}));
    await root.kms.send(
      new CreateAliasCommand({
        AliasName: 'alias/lineage/judged',
        TargetKeyId: KeyMetadata!.KeyId,
      }),
    );
    emulator.calls.clear();
    for (const KeyId of [
      'alias/lineage/judged',
      `arn:aws:kms:us-east-1:${ACCOUNT}:alias/lineage/judged`,
    ]) {
      await root.kms.send(new DescribeKeyCommand({ KeyId }));
    }
    expect(emulator.calls.list().map(call => call.resource)).toEqual([
      KeyMetadata!.Arn,
      KeyMetadata!.Arn,
    ]);
  });

  it('creates, describes and resolves keys by id, ARN, alias name and alias ARN', async () => {
    const created = await root.kms.send(
      new CreateKeyCommand({ Description: 'lineage logs' }),
    );
    const meta = created.KeyMetadata!;
    expect(meta).toMatchObject({
      AWSAccountId: ACCOUNT,
      KeyId: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      ),
      Enabled: true,
      KeyState: 'Enabled',
      KeySpec: 'SYMMETRIC_DEFAULT',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      MultiRegion: false,
      Description: 'lineage logs',
    });
    expect(meta.Arn).toBe(`arn:aws:kms:us-east-1:${ACCOUNT}:key/${meta.KeyId}`);
    expect(meta.CreationDate).toBeInstanceOf(Date);

    await root.kms.send(
      new CreateAliasCommand({
        AliasName: 'alias/lineage',
        TargetKeyId: meta.KeyId,
      }),
    );
    await expect(
      root.kms.send(
        new CreateAliasCommand({
          AliasName: 'alias/lineage',
          TargetKeyId: meta.KeyId,
        }),
      ),
    ).rejects.toBeInstanceOf(AlreadyExistsException);
    const aliasArn = `arn:aws:kms:us-east-1:${ACCOUNT}:alias/lineage`;
    for (const reference of [
      meta.KeyId!,
      meta.Arn!,
      'alias/lineage',
      aliasArn,
    ]) {
      const described = await root.kms.send(
        new DescribeKeyCommand({ KeyId: reference }),
      );
      expect(described.KeyMetadata?.Arn).toBe(meta.Arn);
    }
    // Aliases and key ids belong to one region and account.
    await expect(
      west.kms.send(new DescribeKeyCommand({ KeyId: 'alias/lineage' })),
    ).rejects.toBeInstanceOf(NotFoundException);
    await expect(
      west.kms.send(new DescribeKeyCommand({ KeyId: meta.KeyId })),
    ).rejects.toBeInstanceOf(NotFoundException);
    await expect(
      root.kms.send(new DescribeKeyCommand({ KeyId: 'alias/missing' })),
    ).rejects.toBeInstanceOf(NotFoundException);
    await expect(
      root.kms.send(new DescribeKeyCommand({ KeyId: 'not-a-key' })),
    ).rejects.toBeInstanceOf(NotFoundException);

    const aliases = await root.kms.send(new ListAliasesCommand({}));
    expect(aliases.Aliases).toEqual([
      expect.objectContaining({
        AliasName: 'alias/lineage',
        AliasArn: aliasArn,
        TargetKeyId: meta.KeyId,
      }),
    ]);
    expect((await west.kms.send(new ListAliasesCommand({}))).Aliases).toEqual(
      [],
    );

    const mrk = await root.kms.send(
      new CreateKeyCommand({ MultiRegion: true }),
    );
    expect(mrk.KeyMetadata?.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(mrk.KeyMetadata?.MultiRegion).toBe(true);

    const signing = await root.kms.send(
      new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }),
    );
    expect(signing.KeyMetadata).toMatchObject({
      KeySpec: 'RSA_2048',
      KeyUsage: 'SIGN_VERIFY',
    });
  });

  it('keeps the key policy: the default one, one given at creation, and PutKeyPolicy', async () => {
    const plain = await root.kms.send(new CreateKeyCommand({}));
    const keyId = plain.KeyMetadata!.KeyId!;
    const initial = await root.kms.send(
      new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }),
    );
    expect(JSON.parse(initial.Policy!).Statement[0]).toMatchObject({
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 'kms:*',
    });

    const policy = cloudTrailKeyPolicy(TRAIL_ARN);
    const withPolicy = await root.kms.send(
      new CreateKeyCommand({ Policy: policy }),
    );
    expect(
      (
        await root.kms.send(
          new GetKeyPolicyCommand({ KeyId: withPolicy.KeyMetadata!.Arn }),
        )
      ).Policy,
    ).toBe(policy);

    await root.kms.send(
      new PutKeyPolicyCommand({ KeyId: keyId, Policy: policy }),
    );
    expect(
      (await root.kms.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy,
    ).toBe(policy);
    await expect(
      root.kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: '{not' })),
    ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
    await expect(
      root.kms.send(
        new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'other' }),
      ),
    ).rejects.toBeInstanceOf(NotFoundException);
  });

  it('disables, enables and schedules deletion with the states and errors of KMS', async () => {
    const { KeyMetadata } = await root.kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    await root.kms.send(new DisableKeyCommand({ KeyId: keyId }));
    expect(
      (await root.kms.send(new DescribeKeyCommand({ KeyId: keyId })))
        .KeyMetadata,
    ).toMatchObject({ Enabled: false, KeyState: 'Disabled' });
    await root.kms.send(new EnableKeyCommand({ KeyId: keyId }));

    const before = emulator.clock.now();
    const scheduled = await root.kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }),
    );
    expect(scheduled).toMatchObject({
      KeyId: KeyMetadata!.Arn,
      KeyState: 'PendingDeletion',
      PendingWindowInDays: 7,
    });
    const deletion = scheduled.DeletionDate!.getTime() - 7 * 86_400_000;
    expect(deletion).toBeGreaterThanOrEqual(before);
    expect(deletion).toBeLessThanOrEqual(emulator.clock.now());
    const pending = (
      await root.kms.send(new DescribeKeyCommand({ KeyId: keyId }))
    ).KeyMetadata!;
    expect(pending).toMatchObject({
      Enabled: false,
      KeyState: 'PendingDeletion',
    });
    expect(pending.DeletionDate).toBeInstanceOf(Date);
    await expect(
      root.kms.send(new EnableKeyCommand({ KeyId: keyId })),
    ).rejects.toBeInstanceOf(KMSInvalidStateException);
    await expect(
      root.kms.send(
        new ScheduleKeyDeletionCommand({
          KeyId: keyId,
          PendingWindowInDays: 7,
        }),
      ),
    ).rejects.toBeInstanceOf(KMSInvalidStateException);
    await root.kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    expect(
      (await root.kms.send(new DescribeKeyCommand({ KeyId: keyId })))
        .KeyMetadata?.KeyState,
    ).toBe('Disabled');
    await expect(
      root.kms.send(
        new ScheduleKeyDeletionCommand({
          KeyId: keyId,
          PendingWindowInDays: 3,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    // Mutations take a key id or key ARN, not an alias.
    await root.kms.send(
      new CreateAliasCommand({ AliasName: 'alias/x', TargetKeyId: keyId }),
    );
    await expect(
      root.kms.send(new DisableKeyCommand({ KeyId: 'alias/x' })),
    ).rejects.toBeInstanceOf(NotFoundException);
  });

  describe('log delivery with SSE-KMS', () => {
    async function trailWithKey(policy: string) {
      const { KeyMetadata } = await root.kms.send(
        new CreateKeyCommand({ Policy: policy }),
      );
      await root.kms.send(
        new CreateAliasCommand({
          AliasName: 'alias/trail',
          TargetKeyId: KeyMetadata!.KeyId,
        }),
      );
      await createTrailBucket(root.s3, BUCKET, ACCOUNT, {
        sourceArn: TRAIL_ARN,
      });
      await root.cloudtrail.send(
        new CreateTrailCommand({
          Name: TRAIL,
          S3BucketName: BUCKET,
          KmsKeyId: 'alias/trail',
        }),
      );
      await root.cloudtrail.send(new StartLoggingCommand({ Name: TRAIL }));
      return KeyMetadata!;
    }

    const logObjects = async () =>
      (
        await root.s3.send(
          new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'AWSLogs/' }),
        )
      ).Contents ?? [];

    const status = () =>
      root.cloudtrail.send(new GetTrailStatusCommand({ Name: TRAIL }));

    it('delivers when the key policy lets CloudTrail encrypt for this trail', async () => {
      await trailWithKey(cloudTrailKeyPolicy(TRAIL_ARN));
      const report = await emulator.advance(INTERVAL);
      expect(report.logFiles).toBeGreaterThan(0);
      expect((await status()).LatestDeliveryError).toBeUndefined();
      const objects = await logObjects();
      expect(objects.length).toBeGreaterThan(0);
      expect(objects[0].Key).toMatch(/\.json\.gz$/);
    });

    it.each([
      [
        'disabled',
        (keyId: string) =>
          root.kms.send(new DisableKeyCommand({ KeyId: keyId })),
        'KMS.DisabledException',
      ],
      [
        'pending deletion',
        (keyId: string) =>
          root.kms.send(
            new ScheduleKeyDeletionCommand({
              KeyId: keyId,
              PendingWindowInDays: 7,
            }),
          ),
        'KMS.KMSInvalidStateException',
      ],
      [
        'without CloudTrail in its policy',
        (keyId: string) =>
          root.kms.send(
            new PutKeyPolicyCommand({
              KeyId: keyId,
              Policy: cloudTrailKeyPolicy(
                `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/another`,
              ),
            }),
          ),
        'KMS.AccessDeniedException',
      ],
    ])(
      'writes nothing and reports the error when the key is %s',
      async (_case, breakKey, error) => {
        const key = await trailWithKey(cloudTrailKeyPolicy(TRAIL_ARN));
        await breakKey(key.KeyId!);
        const report = await emulator.advance(INTERVAL);
        expect(report.logFiles).toBe(0);
        expect(report.failures).toContainEqual({ trailArn: TRAIL_ARN, error });
        expect((await status()).LatestDeliveryError).toBe(error);
        expect(await logObjects()).toEqual([]);
      },
    );
  });
});
