import { InputError, NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_TRAIL_ARN,
  MANAGED_BY_VALUE,
  RESOURCE_TYPE_CLOUDTRAIL_TRAIL,
  TAG_CREATED_BY,
  TAG_MANAGED_BY,
  TAG_OWNER,
  dynamodbLineageTrailProvisionAnyOwnerPermission,
  dynamodbLineageTrailProvisionPermission,
} from '@lineage/plugin-dynamodb-lineage-common';
import { mockServices } from '@backstage/backend-test-utils';
import { awsError, fakeAws } from '../__testUtils__/fakeAws';
import {
  USER_REF,
  actionContext,
  demoAccounts,
  permissionsWith,
  recordingAuditor,
} from '../__testUtils__/fixtures';
import {
  createDynamoDbLineageProvisionAction,
  PROVISION_AUDIT_EVENT_ID,
} from './provision';

const analytics = {
  accountId: '444444444444',
  region: 'us-east-1',
  owner: 'group:default/team-analytics',
};
const TRAIL_ARN =
  'arn:aws:cloudtrail:us-east-1:444444444444:trail/dynamodb-lineage';
const BUCKET = 'dynamodb-lineage-444444444444-us-east-1';

function setup(
  options: {
    result?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    respond?: Parameters<typeof fakeAws>[0];
  } = {},
) {
  const aws = fakeAws(options.respond);
  const catalog = catalogServiceMock({ entities: demoAccounts });
  jest.spyOn(catalog, 'getEntities');
  const permissions = permissionsWith(options.result ?? AuthorizeResult.ALLOW);
  const { auditor, events } = recordingAuditor();
  const action = createDynamoDbLineageProvisionAction({
    clientFactory: aws.factory,
    catalog,
    permissions,
    auditor,
  });
  return { action, aws, catalog, permissions, events };
}

describe('aws:dynamodb-lineage:provision', () => {
  it('creates the bucket, the trail and its selectors, in order, in a fresh account', async () => {
    const { action, aws, permissions, events } = setup();
    const { ctx, outputs, infoLines, checkpointKeys } =
      actionContext(analytics);

    await action.handler(ctx);

    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: dynamodbLineageTrailProvisionPermission,
          resourceRef: 'resource:default/aws-analytics-prod',
        },
      ],
      { credentials: await ctx.getInitiatorCredentials() },
    );
    expect(aws.forAccount).toHaveBeenCalledWith('444444444444', 'us-east-1');

    const mutating = aws.mutatingOperations();
    expect(mutating.slice(0, 2)).toEqual(['CreateTable', 'CreateBucket']);
    expect(
      aws.calls.find(c => c.operation === 'CreateTable')?.input,
    ).toMatchObject({
      TableName: 'dynamodb-lineage-canary',
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect(mutating.indexOf('PutBucketPolicy')).toBeLessThan(
      mutating.indexOf('CreateTrail'),
    );
    expect(mutating.indexOf('CreateTrail')).toBeLessThan(
      mutating.indexOf('PutEventSelectors'),
    );
    expect(mutating[mutating.length - 1]).toBe('StartLogging');
    expect(mutating).toEqual(
      expect.arrayContaining([
        'PutBucketEncryption',
        'PutPublicAccessBlock',
        'PutBucketOwnershipControls',
        'PutBucketVersioning',
        'PutBucketLifecycleConfiguration',
      ]),
    );

    const selectors = aws.calls.find(c => c.operation === 'PutEventSelectors')!
      .input as any;
    expect(selectors.TrailName).toBe('dynamodb-lineage');
    expect(selectors.AdvancedEventSelectors[0].FieldSelectors).toEqual(
      expect.arrayContaining([
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
      ]),
    );
    const createTrail = aws.calls.find(c => c.operation === 'CreateTrail')!
      .input as any;
    expect(createTrail).toMatchObject({
      Name: 'dynamodb-lineage',
      S3BucketName: BUCKET,
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
    });
    expect(createTrail.TagsList).toEqual(
      expect.arrayContaining([
        { Key: TAG_OWNER, Value: 'group:default/team-analytics' },
        { Key: TAG_MANAGED_BY, Value: MANAGED_BY_VALUE },
        { Key: TAG_CREATED_BY, Value: USER_REF },
      ]),
    );

    const out = outputs();
    const plannedKeys = out.plan.changes.map((c: { key: string }) => c.key);
    expect(plannedKeys.length).toBeGreaterThan(5);
    expect(checkpointKeys).toEqual(plannedKeys);
    expect(new Set(checkpointKeys).size).toBe(checkpointKeys.length);
    expect(out.trailArn).toBe(TRAIL_ARN);
    expect(out.bucketName).toBe(BUCKET);
    expect(out.bucketArn).toBe(`arn:aws:s3:::${BUCKET}`);
    expect(out.changes).toEqual(
      out.plan.changes.map((c: { summary: string }) => c.summary),
    );
    expect(out.consoleUrls).toEqual({
      trail: `https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/trails/${TRAIL_ARN}`,
      bucket: `https://s3.console.aws.amazon.com/s3/buckets/${BUCKET}?region=us-east-1&prefix=AWSLogs%2F`,
    });

    // One log line per change, naming it.
    for (const summary of out.changes as string[]) {
      expect(infoLines().filter(line => line.includes(summary))).toHaveLength(
        1,
      );
    }

    // One audit event per mutation, all succeeded.
    expect(events).toHaveLength(plannedKeys.length);
    expect(events.map(e => e.options.meta?.change)).toEqual(plannedKeys);
    for (const event of events) {
      expect(event.status).toBe('succeeded');
      expect(event.options).toMatchObject({
        eventId: PROVISION_AUDIT_EVENT_ID,
        severityLevel: 'medium',
        meta: {
          who: 'user:default/mock',
          accountId: '444444444444',
          region: 'us-east-1',
        },
      });
      expect(typeof event.options.meta?.what).toBe('string');
    }
  });

  it('names the trail entity when the catalog already has it', async () => {
    const aws = fakeAws();
    const trailEntity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: '444444444444-us-east-1-dynamodb-lineage',
        annotations: { [ANNOTATION_TRAIL_ARN]: TRAIL_ARN },
      },
      spec: { type: RESOURCE_TYPE_CLOUDTRAIL_TRAIL, owner: analytics.owner },
    };
    const action = createDynamoDbLineageProvisionAction({
      clientFactory: aws.factory,
      catalog: catalogServiceMock({ entities: [...demoAccounts, trailEntity] }),
      permissions: permissionsWith(AuthorizeResult.ALLOW),
      auditor: recordingAuditor().auditor,
    });
    const withEntity = actionContext(analytics, { isDryRun: true });

    await action.handler(withEntity.ctx);

    expect(withEntity.outputs().trailEntityRef).toBe(
      'resource:default/444444444444-us-east-1-dynamodb-lineage',
    );

    const { action: withoutEntity } = setup();
    const fresh = actionContext(analytics, { isDryRun: true });
    await withoutEntity.handler(fresh.ctx);
    expect(fresh.outputs()).not.toHaveProperty('trailEntityRef');
  });

  it('returns the plan in a dry run and makes no mutating call', async () => {
    const { action, aws, events } = setup();
    const { ctx, outputs, checkpointKeys, infoLines } = actionContext(
      analytics,
      { isDryRun: true },
    );

    await action.handler(ctx);

    expect(aws.calls.length).toBeGreaterThan(0);
    expect(aws.mutatingOperations()).toEqual([]);
    expect(checkpointKeys).toEqual([]);
    expect(events).toEqual([]);
    const out = outputs();
    expect(out.plan.trailArn).toBe(TRAIL_ARN);
    expect(out.plan.changes.length).toBeGreaterThan(5);
    expect(out.changes).toEqual(
      out.plan.changes.map((c: { summary: string }) => c.summary),
    );
    expect(infoLines().filter(line => line.startsWith('Would '))).toHaveLength(
      out.plan.changes.length,
    );
  });

  describe('with a KMS key', () => {
    const keyArn =
      'arn:aws:kms:us-east-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const describeKey = (state: string) => async () => ({
      KeyMetadata: {
        KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
        Arn: keyArn,
        KeyState: state,
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
      },
    });
    const keyPolicy = (statements: object[]) => async () => ({
      PolicyName: 'default',
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });
    const cloudTrailStatement = {
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
    };
    const input = { ...analytics, kmsKeyId: 'alias/lineage-logs' };

    it('checks the key first, then provisions with it', async () => {
      const { action, aws } = setup({
        respond: {
          DescribeKey: describeKey('Enabled'),
          GetKeyPolicy: keyPolicy([cloudTrailStatement]),
        },
      });
      await action.handler(actionContext(input).ctx);
      expect(aws.calls.find(c => c.operation === 'DescribeKey')?.input).toEqual(
        { KeyId: 'alias/lineage-logs' },
      );
      expect(
        aws.calls.find(c => c.operation === 'GetKeyPolicy')?.input,
      ).toEqual({ KeyId: keyArn, PolicyName: 'default' });
      const createTrail = aws.calls.find(c => c.operation === 'CreateTrail');
      expect(createTrail?.input).toMatchObject({
        KmsKeyId: 'alias/lineage-logs',
      });
    });

    it.each([
      [
        'disabled',
        describeKey('Disabled'),
        keyPolicy([cloudTrailStatement]),
        /the key is disabled/,
      ],
      [
        'pending deletion',
        describeKey('PendingDeletion'),
        keyPolicy([cloudTrailStatement]),
        /the key is scheduled for deletion/,
      ],
      [
        'without CloudTrail in its policy',
        describeKey('Enabled'),
        keyPolicy([
          {
            ...cloudTrailStatement,
            Principal: { Service: 'logs.amazonaws.com' },
          },
        ]),
        /does not let CloudTrail encrypt for this trail/,
      ],
      [
        'missing',
        async () => {
          throw awsError('NotFoundException');
        },
        keyPolicy([]),
        /does not exist/,
      ],
    ])(
      'refuses a key that is %s with 0 mutating calls and says why',
      async (_case, DescribeKey, GetKeyPolicy, message) => {
        const { action, aws, events } = setup({
          respond: { DescribeKey, GetKeyPolicy },
        });
        const { ctx, outputs } = actionContext(input);
        await expect(action.handler(ctx)).rejects.toThrow(message);
        expect(aws.mutatingOperations()).toEqual([]);
        expect(events).toEqual([]);
        expect(outputs().plan.blockers).toEqual([
          expect.stringMatching(message),
        ]);
      },
    );

    it('shows the key policy statement to add', async () => {
      const { action } = setup({
        respond: {
          DescribeKey: describeKey('Enabled'),
          GetKeyPolicy: keyPolicy([]),
        },
      });
      const { ctx, outputs, infoLines } = actionContext(input);
      await expect(action.handler(ctx)).rejects.toThrow(/Nothing was changed/);
      expect(outputs().plan.kmsPolicyStatement).toMatchObject({
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
      });
      expect(
        infoLines().some(line =>
          line.startsWith('Add this statement to the key policy'),
        ),
      ).toBe(true);
    });
  });

  it('refuses with NotAllowedError before any AWS call when the permission is denied', async () => {
    const { action, aws, events } = setup({ result: AuthorizeResult.DENY });
    const { ctx } = actionContext(analytics);

    const error = await action.handler(ctx).catch(e => e);

    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toContain('444444444444');
    expect(error.message).toContain('resource:default/aws-analytics-prod');
    expect(aws.forAccount).not.toHaveBeenCalled();
    expect(aws.calls).toHaveLength(0);
    expect(events).toEqual([]);
  });

  describe('authorizes the owner the trail is tagged with', () => {
    /** Provisioning in the account is allowed; `anyOwner` decides the platform admins' permission. */
    function setupOwner(
      anyOwner: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
    ) {
      const aws = fakeAws();
      const authorize = jest.fn(
        async (requests: Array<{ permission: { name: string } }>) =>
          requests.map(r => ({
            result:
              r.permission.name === dynamodbLineageTrailProvisionPermission.name
                ? AuthorizeResult.ALLOW
                : anyOwner,
          })),
      );
      const action = createDynamoDbLineageProvisionAction({
        clientFactory: aws.factory,
        catalog: catalogServiceMock({ entities: demoAccounts }),
        permissions: mockServices.permissions.mock({
          authorize: authorize as any,
        }),
        auditor: recordingAuditor().auditor,
      });
      return { action, aws, authorize };
    }

    it("refuses another team's owner in the account before any AWS call, saying which owner is allowed", async () => {
      const { action, aws, authorize } = setupOwner(AuthorizeResult.DENY);
      const { ctx } = actionContext({
        ...analytics,
        owner: 'group:default/team-payments',
      });

      const error = await action.handler(ctx).catch(e => e);

      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toContain('for owner group:default/team-payments');
      expect(error.message).toContain(
        'the team that owns the account (group:default/team-analytics)',
      );
      expect(error.message).toContain(
        dynamodbLineageTrailProvisionAnyOwnerPermission.name,
      );
      expect(authorize).toHaveBeenLastCalledWith(
        [{ permission: dynamodbLineageTrailProvisionAnyOwnerPermission }],
        expect.anything(),
      );
      expect(aws.forAccount).not.toHaveBeenCalled();
      expect(aws.calls).toHaveLength(0);
    });

    it("accepts the account's owner in any spelling the catalog resolves", async () => {
      const { action, aws } = setupOwner(AuthorizeResult.DENY);
      const { ctx } = actionContext({
        ...analytics,
        owner: 'group:team-analytics',
      });
      await action.handler(ctx);
      expect(aws.mutatingOperations()).toContain('CreateTrail');
    });

    it('lets a platform admin provision for another owner', async () => {
      const { action, aws } = setupOwner(AuthorizeResult.ALLOW);
      const { ctx } = actionContext({
        ...analytics,
        owner: 'group:default/team-payments',
      });
      await action.handler(ctx);
      expect(aws.mutatingOperations()).toContain('CreateTrail');
    });
  });

  it('refuses clearly when no aws-account entity exists for the account', async () => {
    const { action, aws, permissions } = setup();
    const { ctx } = actionContext({ ...analytics, accountId: '999999999999' });

    const error = await action.handler(ctx).catch(e => e);

    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toMatch(
      /no Resource of type aws-account with annotation aws\.amazon\.com\/account-id: '999999999999'/,
    );
    expect(permissions.authorize).not.toHaveBeenCalled();
    expect(aws.calls).toHaveLength(0);
  });

  it('authorizes against every entity that claims the account', async () => {
    const aws = fakeAws();
    const catalog = catalogServiceMock({
      entities: [
        ...demoAccounts,
        {
          ...demoAccounts[3],
          metadata: { ...demoAccounts[3].metadata, name: 'analytics-copy' },
          spec: { type: 'aws-account', owner: 'group:default/team-orders' },
        },
      ],
    });
    const permissions = permissionsWith(AuthorizeResult.ALLOW);
    permissions.authorize.mockImplementation(async requests =>
      requests.map(r => ({
        result:
          'resourceRef' in r &&
          r.resourceRef === 'resource:default/analytics-copy'
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      })),
    );
    const action = createDynamoDbLineageProvisionAction({
      clientFactory: aws.factory,
      catalog,
      permissions,
      auditor: recordingAuditor().auditor,
    });

    const error = await action
      .handler(actionContext(analytics).ctx)
      .catch(e => e);

    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toContain('resource:default/analytics-copy');
    expect(aws.calls).toHaveLength(0);
  });

  describe('refuses every invalid input before any AWS call, naming the field', () => {
    const otherAccountTable =
      'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
    it.each<[string, Record<string, unknown>, string, RegExp]>([
      ['accountId too short', { accountId: '12345' }, 'accountId', /12 digits/],
      [
        'accountId not digits',
        { accountId: '44444444444x' },
        'accountId',
        /12 digits/,
      ],
      ['accountId missing', { accountId: undefined }, 'accountId', /required/],
      [
        'region unknown',
        { region: 'us-east-9' },
        'region',
        /commercial AWS region code/,
      ],
      [
        'region of another partition',
        { region: 'cn-north-1' },
        'region',
        /commercial AWS region/,
      ],
      ['region missing', { region: undefined }, 'region', /required/],
      [
        'owner not an entity ref',
        { owner: 'team analytics' },
        'owner',
        /entity ref/,
      ],
      ['trailName too short', { trailName: 'ab' }, 'trailName', /3 to 128/],
      [
        'trailName adjacent punctuation',
        { trailName: 'my--trail' },
        'trailName',
        /adjacent/,
      ],
      [
        'trailName looks like an IP',
        { trailName: '10.0.0.1' },
        'trailName',
        /IP/,
      ],
      [
        'bucketName upper case',
        { bucketName: 'Lineage_Logs' },
        'bucketName',
        /lowercase/,
      ],
      [
        'bucketName reserved prefix',
        { bucketName: 'xn--lineage' },
        'bucketName',
        /xn--/,
      ],
      [
        'bucketName reserved suffix',
        { bucketName: 'lineage-s3alias' },
        'bucketName',
        /-s3alias/,
      ],
      [
        's3KeyPrefix with leading slash',
        { s3KeyPrefix: '/logs' },
        's3KeyPrefix',
        /start or end with "\/"/,
      ],
      [
        'scope unknown mode',
        { scope: { mode: 'some' } },
        'scope.mode',
        /all, tables, prefix/,
      ],
      [
        'scope tables without tables',
        { scope: { mode: 'tables', tableArns: [] } },
        'scope.tableArns',
        /non-empty/,
      ],
      [
        'scope tables with a non-ARN',
        { scope: { mode: 'tables', tableArns: ['payments'] } },
        'scope.tableArns[0]',
        /Table ARN/i,
      ],
      [
        'scope tables of another account',
        { scope: { mode: 'tables', tableArns: [otherAccountTable] } },
        'scope.tableArns[0]',
        /444444444444/,
      ],
      [
        'scope prefix with a bad prefix',
        { scope: { mode: 'prefix', prefixes: ['orders*'] } },
        'scope.prefixes[0]',
        /letters, digits/,
      ],
      ['scope not an object', { scope: null }, 'scope', /object/],
      [
        'readWriteType unknown',
        { readWriteType: 'Both' },
        'readWriteType',
        /All, ReadOnly, WriteOnly/,
      ],
      [
        'includeStreams not a boolean',
        { includeStreams: 'yes' },
        'includeStreams',
        /true or false/,
      ],
      ['kmsKeyId not a key', { kmsKeyId: 'my key' }, 'kmsKeyId', /key id/],
      [
        'kmsKeyId ARN without a key id',
        { kmsKeyId: 'arn:aws:kms:us-east-1:444444444444:key/not-a-uuid' },
        'kmsKeyId',
        /key id/,
      ],
      [
        'kmsKeyId in another region',
        {
          kmsKeyId:
            'arn:aws:kms:eu-west-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        },
        'kmsKeyId',
        /home region and account \(us-east-1, 444444444444\)/,
      ],
      [
        'glacierAfterDays zero',
        { lifecycle: { glacierAfterDays: 0 } },
        'lifecycle.glacierAfterDays',
        /whole number/,
      ],
      [
        'glacierAfterDays fractional',
        { lifecycle: { glacierAfterDays: 1.5 } },
        'lifecycle.glacierAfterDays',
        /whole number/,
      ],
      [
        'expireAfterDays before Glacier',
        { lifecycle: { glacierAfterDays: 90, expireAfterDays: 30 } },
        'lifecycle.expireAfterDays',
        /greater than/,
      ],
      [
        'insights not a boolean',
        { insights: 'true' },
        'insights',
        /true or false/,
      ],
      [
        'allowWeakening not a boolean',
        { allowWeakening: 'yes' },
        'allowWeakening',
        /true or false/,
      ],
    ])('%s', async (_name, change, field, rule) => {
      const { action, aws, catalog, permissions } = setup();
      const { ctx } = actionContext({ ...analytics, ...change });

      const error = await action.handler(ctx).catch(e => e);

      expect(error).toBeInstanceOf(InputError);
      expect(error.message.startsWith(`${field}:`)).toBe(true);
      expect(error.message).toMatch(rule);
      expect(catalog.getEntities).not.toHaveBeenCalled();
      expect(permissions.authorize).not.toHaveBeenCalled();
      expect(aws.calls).toHaveLength(0);
    });
  });

  it('does not redo the steps a resumed task already finished', async () => {
    const first = setup();
    const dry = actionContext(analytics, { isDryRun: true });
    await first.action.handler(dry.ctx);
    const planned: { key: string; summary: string }[] =
      dry.outputs().plan.changes;
    const [canary, bucket] = planned;
    expect(canary.key).toBe('canary-table:create');
    expect(bucket.key).toMatch(/^bucket/);

    // The task stopped after two steps; its checkpoints hold their results.
    const checkpoints = new Map<string, unknown>([
      [
        canary.key,
        {
          key: canary.key,
          summary: canary.summary,
          operations: ['CreateTable'],
          outcome: 'applied',
          attempts: 1,
        },
      ],
      [
        bucket.key,
        {
          key: bucket.key,
          summary: bucket.summary,
          operations: ['CreateBucket'],
          outcome: 'applied',
          attempts: 1,
        },
      ],
    ]);
    const { action, aws, events } = setup();
    const resumed = actionContext(analytics, { checkpoints });

    await action.handler(resumed.ctx);

    expect(resumed.checkpointKeys).toEqual(planned.map(c => c.key));
    expect(aws.mutatingOperations()).not.toContain('CreateTable');
    expect(aws.mutatingOperations()).not.toContain('CreateBucket');
    expect(aws.mutatingOperations()).toContain('PutBucketPolicy');
    expect(aws.mutatingOperations()).toContain('CreateTrail');
    expect(events).toHaveLength(planned.length - 2);
    expect(
      resumed.infoLines().filter(l => l.startsWith('Already done earlier')),
    ).toHaveLength(2);
  });

  it('records a failed audit event and stops when a step fails', async () => {
    const { action, aws, events } = setup({
      respond: {
        PutBucketPolicy: () => {
          throw awsError('AccessDenied', 'not allowed to put the policy');
        },
      },
    });
    const { ctx } = actionContext(analytics);

    const error = await action.handler(ctx).catch(e => e);

    expect(error.message).toMatch(/bucket-policy/);
    expect(aws.mutatingOperations()).toEqual([
      'CreateTable',
      'CreateBucket',
      'PutBucketPolicy',
    ]);
    expect(events.map(e => e.status)).toEqual([
      'succeeded',
      'succeeded',
      'failed',
    ]);
    expect(events[2].error?.message).toMatch(/not allowed to put the policy/);
  });
});
