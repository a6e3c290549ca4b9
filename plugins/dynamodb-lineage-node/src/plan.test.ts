import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import {
  MANAGED_BY_VALUE,
  TAG_CREATED_BY,
  TAG_MANAGED_BY,
  TAG_OWNER,
  cloudTrailMayEncrypt,
} from '@lineage/plugin-dynamodb-lineage-common';
import { desiredEventSelectors } from './desiredState';
import { diffPlan } from './plan';
import { ExecutablePlan } from './planTypes';
import { BUCKET, TRAIL_ARN, makeSpec } from './__fixtures__/specs';
import {
  convergedLive,
  emptyLive,
  usableKmsKey,
  withLive,
} from './__fixtures__/live';

const keys = (plan: ExecutablePlan) => plan.changes.map(c => c.key);
const change = (plan: ExecutablePlan, key: string) => {
  const found = plan.changes.find(c => c.key === key);
  if (!found) throw new Error(`no change ${key} in ${keys(plan).join(', ')}`);
  return found;
};
const ok = <T>(value: T) => ({ ok: true as const, value });

describe('diffPlan', () => {
  describe('the canary table', () => {
    it('is created on demand with a string key id, tagged, when missing', () => {
      const spec = makeSpec();
      const plan = diffPlan(spec, emptyLive(spec));
      const create = change(plan, 'canary-table:create');
      expect(create.summary).toMatch(/a few cents a month/);
      expect(create.request).toEqual({
        operation: 'CreateTable',
        input: {
          TableName: 'dynamodb-lineage-canary',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          Tags: [
            { Key: TAG_OWNER, Value: 'group:default/team-payments' },
            { Key: TAG_MANAGED_BY, Value: MANAGED_BY_VALUE },
            { Key: TAG_CREATED_BY, Value: 'user:default/jane' },
          ],
        },
      });
    });

    it('is left alone when it exists, and not planned with the canary off', () => {
      const spec = makeSpec();
      const existing = { ...emptyLive(spec), canaryTable: ok(true) };
      expect(keys(diffPlan(spec, existing))).not.toContain(
        'canary-table:create',
      );
      const off = makeSpec({ canary: false });
      expect(off.canary).toBeUndefined();
      expect(keys(diffPlan(off, emptyLive(off)))).not.toContain(
        'canary-table:create',
      );
      expect(diffPlan(spec, convergedLive(spec)).changes).toEqual([]);
    });

    it('stops the plan when DescribeTable was not answered', () => {
      const spec = makeSpec();
      expect(() =>
        diffPlan(spec, {
          ...emptyLive(spec),
          canaryTable: { ok: false, error: 'AccessDeniedException: no' },
        }),
      ).toThrow(
        /canary table dynamodb-lineage-canary: AWS did not answer DescribeTable \(AccessDeniedException: no\)/,
      );
    });
  });

  it('plans everything, in the safe order, on an empty account', () => {
    const spec = makeSpec();
    const plan = diffPlan(spec, emptyLive(spec));
    expect(plan.trailArn).toBe(TRAIL_ARN);
    expect(plan.bucketArn).toBe(`arn:aws:s3:::${BUCKET}`);
    expect(keys(plan)).toEqual([
      'canary-table:create',
      'bucket:create',
      'bucket-policy:update',
      'bucket-encryption:update',
      'bucket-public-access-block:update',
      'bucket-ownership:update',
      'bucket-versioning:update',
      'bucket-lifecycle:update',
      'trail:create',
      'event-selectors:update',
      'bucket-tags:update',
      'logging:start',
    ]);
    expect(change(plan, 'bucket:create').request).toEqual({
      operation: 'CreateBucket',
      input: { Bucket: BUCKET, ObjectOwnership: 'BucketOwnerEnforced' },
    });
    expect(change(plan, 'trail:create').request).toEqual({
      operation: 'CreateTrail',
      input: {
        Name: 'dynamodb-lineage',
        S3BucketName: BUCKET,
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
        TagsList: [
          { Key: TAG_OWNER, Value: 'group:default/team-payments' },
          { Key: TAG_MANAGED_BY, Value: MANAGED_BY_VALUE },
          { Key: TAG_CREATED_BY, Value: 'user:default/jane' },
        ],
      },
    });
    expect(change(plan, 'event-selectors:update').request).toEqual({
      operation: 'PutEventSelectors',
      input: {
        TrailName: 'dynamodb-lineage',
        AdvancedEventSelectors: desiredEventSelectors(spec),
      },
    });
    expect(change(plan, 'logging:start').request).toEqual({
      operation: 'StartLogging',
      input: { Name: TRAIL_ARN },
    });
    expect(plan.notes).toEqual([]);
    // The plan is data: it survives JSON (the scaffolder stores it, the UI shows it).
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('creates the bucket with a location constraint outside us-east-1, and KMS and Insights when asked', () => {
    const spec = makeSpec({
      region: 'eu-west-1',
      kmsKeyId: 'alias/logs',
      insights: true,
    });
    const plan = diffPlan(spec, emptyLive(spec));
    expect(change(plan, 'bucket:create').request.input).toEqual({
      Bucket: 'dynamodb-lineage-111111111111-eu-west-1',
      CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      ObjectOwnership: 'BucketOwnerEnforced',
    });
    expect(change(plan, 'trail:create').request.input).toMatchObject({
      KmsKeyId: 'alias/logs',
    });
    expect(change(plan, 'bucket-encryption:update').request.input).toEqual({
      Bucket: 'dynamodb-lineage-111111111111-eu-west-1',
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: 'alias/logs',
            },
            BucketKeyEnabled: true,
          },
        ],
      },
    });
    expect(change(plan, 'insight-selectors:update').request.input).toEqual({
      TrailName: 'dynamodb-lineage',
      InsightSelectors: [
        { InsightType: 'ApiCallRateInsight' },
        { InsightType: 'ApiErrorRateInsight' },
      ],
    });
    expect(keys(plan).indexOf('insight-selectors:update')).toBe(
      keys(plan).indexOf('event-selectors:update') + 1,
    );
  });

  it('is empty when the live state is converged', () => {
    for (const spec of [
      makeSpec(),
      makeSpec({
        kmsKeyId: 'alias/logs',
        insights: true,
        includeStreams: true,
      }),
      makeSpec({
        s3KeyPrefix: 'ct',
        lifecycle: { glacierAfterDays: 30, expireAfterDays: 400 },
      }),
    ]) {
      const plan = diffPlan(spec, convergedLive(spec));
      expect(plan.changes).toEqual([]);
      expect(plan.notes).toEqual([]);
    }
  });

  it('only starts logging on a stopped trail', () => {
    const spec = makeSpec();
    const plan = diffPlan(
      spec,
      withLive(convergedLive(spec), {
        trail: { status: ok({ isLogging: false }) },
      }),
    );
    expect(keys(plan)).toEqual(['logging:start']);
    expect(plan.changes[0].changes[0]).toMatchObject({
      field: 'IsLogging',
      current: false,
      desired: true,
    });
  });

  it('hardens a misconfigured trail field by field', () => {
    const spec = makeSpec();
    const plan = diffPlan(
      spec,
      withLive(convergedLive(spec), {
        description: {
          isMultiRegionTrail: false,
          includeGlobalServiceEvents: false,
          logFileValidationEnabled: false,
        },
      }),
    );
    expect(keys(plan)).toEqual(['trail:update']);
    expect(plan.changes[0].changes.map(c => c.field)).toEqual([
      'IsMultiRegionTrail',
      'IncludeGlobalServiceEvents',
      'LogFileValidationEnabled',
    ]);
    expect(plan.changes[0].request).toEqual({
      operation: 'UpdateTrail',
      input: {
        Name: 'dynamodb-lineage',
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
      },
    });
  });

  it('keeps a shared trail’s S3 selectors and its management events, adding ours', () => {
    const spec = makeSpec();
    const s3 = {
      Name: 'S3 audit',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      ],
    };
    const plan = diffPlan(
      spec,
      withLive(convergedLive(spec), {
        trail: {
          eventSelectors: ok({ advanced: [s3] }),
          tags: ok({ team: 'security' }),
        },
      }),
    );
    expect(keys(plan)).toEqual(['event-selectors:update', 'trail-tags:update']);
    expect(change(plan, 'event-selectors:update').request.input).toEqual({
      TrailName: 'dynamodb-lineage',
      AdvancedEventSelectors: [s3, ...desiredEventSelectors(spec)],
    });
    expect(plan.notes).toEqual([
      'Kept 1 selector(s) already on the trail: S3 audit',
    ]);
    expect(change(plan, 'trail-tags:update').request).toEqual({
      operation: 'AddTags',
      input: {
        ResourceId: TRAIL_ARN,
        TagsList: [
          { Key: TAG_OWNER, Value: 'group:default/team-payments' },
          { Key: TAG_MANAGED_BY, Value: MANAGED_BY_VALUE },
          { Key: TAG_CREATED_BY, Value: 'user:default/jane' },
        ],
      },
    });
  });

  it('does not add a management selector for Insights when a shared trail logs management events', () => {
    const spec = makeSpec({ insights: true });
    const plan = diffPlan(
      spec,
      withLive(convergedLive(spec), {
        trail: {
          eventSelectors: ok({
            basic: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
          }),
          insightTypes: ok([]),
          tags: ok({}),
        },
      }),
    );
    const input = change(plan, 'event-selectors:update').request.input as {
      AdvancedEventSelectors: { Name: string }[];
    };
    expect(input.AdvancedEventSelectors.map(s => s.Name)).toEqual([
      'Management events (basic selector 1)',
      'dynamodb-lineage: DynamoDB tables',
    ]);
    expect(keys(plan)).toContain('insight-selectors:update');
  });

  it('never weakens KMS to SSE-S3 unless allowed, and says so', () => {
    const spec = makeSpec();
    const live = withLive(convergedLive(spec), {
      description: {
        kmsKeyId:
          'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
      bucket: {
        encryption: ok({
          algorithm: 'aws:kms',
          kmsKeyId:
            'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        }),
      },
    });
    const kept = diffPlan(spec, live);
    expect(kept.changes).toEqual([]);
    expect(kept.notes).toEqual([
      expect.stringMatching(/^Kept aws:kms encryption of .*set allowWeakening/),
      expect.stringMatching(/^Kept SSE-KMS .* on dynamodb-lineage/),
    ]);

    const weakened = diffPlan(makeSpec({ allowWeakening: true }), live);
    expect(keys(weakened)).toEqual([
      'bucket-encryption:update',
      'trail:update',
    ]);
    expect(change(weakened, 'trail:update').request.input).toEqual({
      Name: 'dynamodb-lineage',
      KmsKeyId: '',
    });
  });

  describe('with a KMS key', () => {
    const spec = makeSpec({ kmsKeyId: 'alias/logs' });
    const withKey = (patch: object) => ({
      ...emptyLive(spec),
      kmsKey: ok({ ...usableKmsKey(spec), ...patch }),
    });

    it('plans without blockers when CloudTrail may use the key', () => {
      const plan = diffPlan(spec, emptyLive(spec));
      expect(plan.blockers).toBeUndefined();
      expect(plan.kmsPolicyStatement).toBeUndefined();
      expect(plan.changes.length).toBeGreaterThan(0);
    });

    it('blocks a missing, disabled, pending-deletion or asymmetric key', () => {
      expect(diffPlan(spec, withKey({ exists: false })).blockers).toEqual([
        expect.stringContaining('the key alias/logs does not exist'),
      ]);
      expect(
        diffPlan(spec, withKey({ keyState: 'Disabled' })).blockers,
      ).toEqual([expect.stringContaining('the key is disabled')]);
      expect(
        diffPlan(spec, withKey({ keyState: 'PendingDeletion' })).blockers,
      ).toEqual([
        expect.stringContaining(
          'the key is scheduled for deletion. Cancel the deletion, then enable the key: aws kms cancel-key-deletion --key-id',
        ),
      ]);
      expect(
        diffPlan(
          spec,
          withKey({ keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' }),
        ).blockers,
      ).toEqual([expect.stringContaining('symmetric')]);
    });

    it('blocks a policy without CloudTrail and shows the statement to add', () => {
      const plan = diffPlan(
        spec,
        withKey({
          policy: ok({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: 'arn:aws:iam::111111111111:root' },
                Action: 'kms:*',
                Resource: '*',
              },
            ],
          }),
        }),
      );
      expect(plan.blockers).toEqual([
        expect.stringContaining(
          'does not let CloudTrail encrypt for this trail',
        ),
      ]);
      expect(plan.kmsPolicyStatement).toEqual({
        Sid: 'AllowCloudTrailToEncryptLogs',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceArn': TRAIL_ARN },
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn':
              'arn:aws:cloudtrail:*:111111111111:trail/*',
          },
        },
      });
    });

    it('refuses to plan when KMS does not answer', () => {
      const denied = {
        ok: false as const,
        error: 'AccessDeniedException: no',
        code: 'AccessDeniedException',
      };
      expect(() =>
        diffPlan(spec, { ...emptyLive(spec), kmsKey: denied }),
      ).toThrow(/did not answer kms:DescribeKey/);
      expect(() => diffPlan(spec, withKey({ policy: denied }))).toThrow(
        /did not answer kms:GetKeyPolicy/,
      );
      const { kmsKey: _none, ...uninspected } = emptyLive(spec);
      expect(() => diffPlan(spec, uninspected)).toThrow(
        ServiceUnavailableError,
      );
    });
  });

  describe('with a key created for the trail', () => {
    const spec = makeSpec({ createKmsKey: true });
    const aliasArn =
      'arn:aws:kms:us-east-1:111111111111:alias/dynamodb-lineage/dynamodb-lineage';
    const missingKey = {
      ...emptyLive(spec),
      kmsKey: ok({ reference: aliasArn, exists: false }),
    };

    it('names the key by its alias', () => {
      expect(spec.kmsKeyId).toBe(aliasArn);
      expect(spec.createKmsKey).toBe(true);
    });

    it('creates the key first, with a policy CloudTrail may use for this trail only, and states its cost', () => {
      const plan = diffPlan(spec, missingKey);
      expect(plan.blockers).toBeUndefined();
      expect(keys(plan)[0]).toBe('kms-key:create');
      const create = change(plan, 'kms-key:create');
      expect(create.summary).toBe(
        "Create KMS key alias/dynamodb-lineage/dynamodb-lineage for dynamodb-lineage's logs: $1.00 a month, plus about $0.06 a month of requests per region that delivers logs",
      );
      if (create.request.operation !== 'CreateKey') throw new Error('no key');
      expect(create.request.aliasName).toBe(
        'alias/dynamodb-lineage/dynamodb-lineage',
      );
      const policy = JSON.parse(create.request.input.Policy!);
      expect(
        cloudTrailMayEncrypt(policy, {
          partition: 'aws',
          accountId: '111111111111',
          trailArn: TRAIL_ARN,
        }),
      ).toBe(true);
      expect(create.request.input.Tags).toContainEqual({
        TagKey: TAG_MANAGED_BY,
        TagValue: MANAGED_BY_VALUE,
      });
      // The bucket and the trail name the key by its alias.
      expect(JSON.stringify(change(plan, 'trail:create').request)).toContain(
        aliasArn,
      );
      expect(
        JSON.stringify(change(plan, 'bucket-encryption:update').request),
      ).toContain(aliasArn);
    });

    it('uses the key the alias already names: no second key, no change to a trail and bucket encrypted with it', () => {
      const key = usableKmsKey(spec);
      const live = withLive(convergedLive(spec), {
        description: { kmsKeyId: key.arn },
        bucket: {
          encryption: ok({
            algorithm: 'aws:kms',
            kmsKeyId: key.arn,
            bucketKeyEnabled: true,
          }),
        },
      });
      const plan = diffPlan(spec, { ...live, kmsKey: ok(key) });
      expect(keys(plan)).toEqual([]);
      expect(plan.notes.join(' ')).not.toMatch(/aliases are not resolved/);
    });

    it('judges an existing key with that alias like any key', () => {
      const plan = diffPlan(spec, {
        ...emptyLive(spec),
        kmsKey: ok({ ...usableKmsKey(spec), keyState: 'Disabled' }),
      });
      expect(keys(plan)).not.toContain('kms-key:create');
      expect(plan.blockers).toEqual([
        expect.stringContaining('the key is disabled'),
      ]);
    });
  });

  it('does not rewrite a KMS key given by id that AWS reports as an ARN', () => {
    const id = '1234abcd-12ab-34cd-56ef-1234567890ab';
    const spec = makeSpec({ kmsKeyId: id });
    const arn = `arn:aws:kms:us-east-1:111111111111:key/${id}`;
    const live = withLive(convergedLive(spec), {
      description: { kmsKeyId: arn },
      bucket: {
        encryption: ok({
          algorithm: 'aws:kms',
          kmsKeyId: arn,
          bucketKeyEnabled: true,
        }),
      },
    });
    expect(diffPlan(spec, live).changes).toEqual([]);
  });

  it('merges bucket tags (PutBucketTagging replaces the set) and keeps the creator', () => {
    const spec = makeSpec({ createdBy: 'user:default/someone-else' });
    const plan = diffPlan(
      spec,
      withLive(convergedLive(makeSpec()), {
        bucket: {
          tags: ok({
            'cost-center': '42',
            [TAG_CREATED_BY]: 'user:default/jane',
          }),
        },
      }),
    );
    expect(change(plan, 'bucket-tags:update').request.input).toEqual({
      Bucket: BUCKET,
      Tagging: {
        TagSet: [
          { Key: 'cost-center', Value: '42' },
          { Key: TAG_CREATED_BY, Value: 'user:default/jane' },
          { Key: TAG_OWNER, Value: 'group:default/team-payments' },
          { Key: TAG_MANAGED_BY, Value: MANAGED_BY_VALUE },
        ],
      },
    });
  });

  it('repairs a bucket whose policy was removed and whose public access block is partial', () => {
    const spec = makeSpec();
    const plan = diffPlan(
      spec,
      withLive(convergedLive(spec), {
        bucket: {
          policy: ok(null),
          publicAccessBlock: ok({
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: false,
            RestrictPublicBuckets: false,
          }),
        },
      }),
    );
    expect(keys(plan)).toEqual([
      'bucket-policy:update',
      'bucket-public-access-block:update',
    ]);
    expect(change(plan, 'bucket-policy:update').action).toBe('create');
    expect(
      change(plan, 'bucket-public-access-block:update').changes.map(
        c => c.field,
      ),
    ).toEqual([
      'PublicAccessBlock.BlockPublicPolicy',
      'PublicAccessBlock.RestrictPublicBuckets',
    ]);
  });

  it('moves the trail to the spec’s bucket and notes the old one is kept', () => {
    const spec = makeSpec();
    const plan = diffPlan(
      spec,
      withLive(convergedLive(spec), {
        description: { s3BucketName: 'old-bucket' },
      }),
    );
    expect(change(plan, 'trail:update').request.input).toEqual({
      Name: 'dynamodb-lineage',
      S3BucketName: BUCKET,
    });
    expect(plan.notes).toContainEqual(
      expect.stringMatching(/objects already in old-bucket stay there/),
    );
  });

  it('refuses to plan on questions AWS did not answer', () => {
    const spec = makeSpec();
    const denied = {
      ok: false as const,
      error: 'AccessDenied: no',
      code: 'AccessDenied',
    };
    expect(() =>
      diffPlan(
        spec,
        withLive(convergedLive(spec), { bucket: { policy: denied } }),
      ),
    ).toThrow(ServiceUnavailableError);
    expect(() =>
      diffPlan(
        spec,
        withLive(convergedLive(spec), { trail: { eventSelectors: denied } }),
      ),
    ).toThrow(/GetEventSelectors \(AccessDenied: no\)/);
    expect(() =>
      diffPlan(spec, { ...convergedLive(spec), trail: denied }),
    ).toThrow(/did not answer GetTrail/);
  });

  it('refuses a trail name homed elsewhere', () => {
    const spec = makeSpec();
    expect(() =>
      diffPlan(
        spec,
        withLive(convergedLive(spec), {
          description: { homeRegion: 'eu-west-1' },
        }),
      ),
    ).toThrow(ConflictError);
  });

  it('refuses a scope that exceeds CloudTrail’s 500 condition values with the shared selectors', () => {
    const tableArns = Array.from(
      { length: 200 },
      (_, i) =>
        `arn:aws:dynamodb:us-east-1:111111111111:table/t${String(i).padStart(
          3,
          '0',
        )}`,
    );
    const spec = makeSpec({
      scope: { mode: 'tables', tableArns },
      includeStreams: true,
    });
    const big = {
      Name: 'big',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.ARN', StartsWith: tableArns.map(a => `${a}x`) },
      ],
    };
    expect(() =>
      diffPlan(
        spec,
        withLive(convergedLive(spec), {
          trail: { eventSelectors: ok({ advanced: [big] }), tags: ok({}) },
        }),
      ),
    ).toThrow(/CloudTrail allows 500/);
  });
});
