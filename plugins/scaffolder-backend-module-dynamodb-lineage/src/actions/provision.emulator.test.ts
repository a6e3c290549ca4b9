import { ConflictError, NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import {
  buildSpec,
  inspectForSpec,
  plannedAthenaTable,
} from '@lineage/plugin-dynamodb-lineage-node';
import { isReadOperation } from '../__testUtils__/fakeAws';
import {
  actionContext,
  demoAccounts,
  emulatorClientFactory,
  permissionsWith,
  recordingAuditor,
} from '../__testUtils__/fixtures';
import { createDynamoDbLineageProvisionAction } from './provision';

const analytics = {
  accountId: '444444444444',
  region: 'us-east-1',
  owner: 'group:default/team-analytics',
};

/*
 * Behaviour over real HTTP: the real SDK clients, built from config the way
 * the backend module builds them, against the AWS emulator.
 */
describe('aws:dynamodb-lineage:provision against the AWS emulator', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'none' });
  });
  afterAll(async () => {
    await emulator?.stop();
  });
  beforeEach(async () => {
    await emulator.reset();
  });

  const clientFactory = () => emulatorClientFactory(emulator.url);

  function provisionAction(
    result:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  ) {
    const factory = clientFactory();
    const { auditor, events } = recordingAuditor();
    const action = createDynamoDbLineageProvisionAction({
      clientFactory: factory,
      catalog: catalogServiceMock({ entities: demoAccounts }),
      permissions: permissionsWith(result),
      auditor,
    });
    return { action, events, factory };
  }

  const mutatingCalls = () =>
    emulator.calls
      .list({ accountId: analytics.accountId })
      .filter(call => !isReadOperation(call.operation));

  it('creates a logging trail with DynamoDB selectors, then finds nothing to change', async () => {
    const { action, events, factory } = provisionAction();

    const first = actionContext(analytics);
    await action.handler(first.ctx);

    const firstChanges: string[] = first.outputs().changes;
    expect(firstChanges.length).toBeGreaterThan(5);
    expect(events).toHaveLength(firstChanges.length);
    expect(events.every(e => e.status === 'succeeded')).toBe(true);
    expect(mutatingCalls().map(c => c.operation)).toEqual(
      expect.arrayContaining([
        'CreateBucket',
        'PutBucketPolicy',
        'CreateTrail',
        'PutEventSelectors',
        'StartLogging',
      ]),
    );
    expect(mutatingCalls().every(c => c.outcome === 'success')).toBe(true);

    const spec = buildSpec(analytics);
    const clients = await factory.forAccount(spec.accountId, spec.region);
    const live = await inspectForSpec(clients, spec);
    if (!live.trail.ok || !live.trail.value) {
      throw new Error(`trail not found: ${JSON.stringify(live.trail)}`);
    }
    const trail = live.trail.value;
    expect(trail.trail.arn).toBe(first.outputs().trailArn);
    expect(trail.trail.isMultiRegionTrail).toBe(true);
    expect(trail.trail.logFileValidationEnabled).toBe(true);
    expect(trail.status).toMatchObject({
      ok: true,
      value: { isLogging: true },
    });
    expect(trail.eventSelectors).toMatchObject({ ok: true });
    const advanced = trail.eventSelectors.ok
      ? trail.eventSelectors.value.advanced ?? []
      : [];
    expect(advanced.flatMap(s => s.FieldSelectors)).toEqual(
      expect.arrayContaining([
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
      ]),
    );
    expect(live.bucket.publicAccessBlock).toEqual({
      ok: true,
      value: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    expect(live.bucket.versioning).toEqual({ ok: true, value: 'Enabled' });

    emulator.calls.clear();
    const { action: again, events: againEvents } = provisionAction();
    const second = actionContext(analytics);
    await again.handler(second.ctx);

    expect(second.outputs().changes).toEqual([]);
    expect(second.outputs().plan.changes).toEqual([]);
    expect(second.checkpointKeys).toEqual([]);
    expect(againEvents).toEqual([]);
    expect(emulator.calls.list().length).toBeGreaterThan(0);
    expect(mutatingCalls()).toEqual([]);
  });

  it('creates a KMS key for the trail with its alias, encrypts with it, and reuses it on the next run', async () => {
    const { action, factory } = provisionAction();
    const input = { ...analytics, createKmsKey: true };

    const dry = actionContext(input, { isDryRun: true });
    await action.handler(dry.ctx);
    expect(dry.outputs().plan.changes[0]).toMatchObject({
      key: 'kms-key:create',
      summary: expect.stringContaining('$1.00 a month'),
    });
    expect(mutatingCalls()).toEqual([]);

    const first = actionContext(input);
    await action.handler(first.ctx);
    const kmsMutations = () =>
      mutatingCalls()
        .filter(call => call.service === 'kms')
        .map(call => call.operation);
    expect(kmsMutations()).toEqual(['CreateKey', 'CreateAlias']);

    const spec = first.outputs().plan.spec;
    const clients = await factory.forAccount(spec.accountId, spec.region);
    const live = await inspectForSpec(clients, spec);
    if (!live.kmsKey?.ok || !live.kmsKey.value.exists) {
      throw new Error(`key not found: ${JSON.stringify(live.kmsKey)}`);
    }
    expect(live.kmsKey.value.keyState).toBe('Enabled');
    expect(live.bucket.encryption).toMatchObject({
      ok: true,
      value: { algorithm: 'aws:kms', kmsKeyId: spec.kmsKeyId },
    });
    expect(live.trail.ok && live.trail.value?.trail.kmsKeyId).toBeTruthy();

    emulator.calls.clear();
    const second = actionContext(input);
    await action.handler(second.ctx);
    expect(second.outputs().changes).toEqual([]);
    expect(mutatingCalls()).toEqual([]);
  });

  describe('the canary table', () => {
    const canaryArn =
      'arn:aws:dynamodb:us-east-1:444444444444:table/dynamodb-lineage-canary';
    const tableCreations = () =>
      mutatingCalls().filter(call => call.operation === 'CreateTable');

    it('is created with the defaults, captured in prefix scope, and not created again', async () => {
      const { action, factory } = provisionAction();
      const input = {
        ...analytics,
        scope: { mode: 'prefix' as const, prefixes: ['orders-'] },
      };

      const dry = actionContext(input, { isDryRun: true });
      await action.handler(dry.ctx);
      expect(dry.outputs().plan.changes[0]).toMatchObject({
        key: 'canary-table:create',
        summary: expect.stringContaining('a few cents a month'),
      });
      expect(mutatingCalls()).toEqual([]);

      const first = actionContext(input);
      await action.handler(first.ctx);
      expect(tableCreations().map(call => call.resource)).toEqual([canaryArn]);

      const clients = await factory.forAccount(
        analytics.accountId,
        analytics.region,
      );
      const spec = buildSpec(input);
      const live = await inspectForSpec(clients, spec);
      expect(live.canaryTable).toEqual({ ok: true, value: true });
      const selectors =
        live.trail.ok && live.trail.value?.eventSelectors.ok
          ? live.trail.value.eventSelectors.value.advanced ?? []
          : [];
      expect(selectors.flatMap(s => s.FieldSelectors)).toContainEqual({
        Field: 'resources.ARN',
        StartsWith: [
          'arn:aws:dynamodb:us-east-1:444444444444:table/orders-',
          canaryArn,
        ],
      });

      emulator.calls.clear();
      const second = actionContext(input);
      await action.handler(second.ctx);
      expect(second.outputs().changes).toEqual([]);
      expect(tableCreations()).toEqual([]);
      expect(
        emulator.calls
          .list({ accountId: analytics.accountId })
          .filter(call => call.operation === 'DescribeTable'),
      ).toHaveLength(1);
    });

    it('is not created with the canary off', async () => {
      const { action } = provisionAction();
      const off = actionContext({ ...analytics, canary: false });
      await action.handler(off.ctx);
      expect(off.outputs().changes.length).toBeGreaterThan(5);
      expect(tableCreations()).toEqual([]);
      expect(
        emulator.calls
          .list({ accountId: analytics.accountId })
          .filter(call => call.service === 'dynamodb'),
      ).toEqual([]);
    });
  });

  it('makes only read calls in a dry run', async () => {
    const { action } = provisionAction();
    const dry = actionContext(analytics, { isDryRun: true });

    await action.handler(dry.ctx);

    expect(dry.outputs().plan.changes.length).toBeGreaterThan(5);
    expect(emulator.calls.list().length).toBeGreaterThan(0);
    expect(mutatingCalls()).toEqual([]);
  });

  it('names the Athena forensics table in a dry run, with its DDL, and no step creates it', async () => {
    const action = createDynamoDbLineageProvisionAction({
      clientFactory: clientFactory(),
      catalog: catalogServiceMock({ entities: demoAccounts }),
      permissions: permissionsWith(AuthorizeResult.ALLOW),
      auditor: recordingAuditor().auditor,
      athenaDatabaseFor: accountId =>
        accountId === analytics.accountId ? 'forensics_db' : undefined,
    });
    const dry = actionContext(analytics, { isDryRun: true });

    await action.handler(dry.ctx);

    const plan = dry.outputs().plan;
    expect(plan.athenaTable).toEqual(
      plannedAthenaTable(plan.spec, 'forensics_db'),
    );
    expect(plan.changes.map((c: { key: string }) => c.key)).not.toContain(
      expect.stringMatching(/athena/),
    );
    expect(dry.infoLines()).toContain(
      `Athena table forensics_db.${plan.athenaTable.name}: ${plan.athenaTable.note}`,
    );
    expect(mutatingCalls()).toEqual([]);
  });

  describe('an account-region a trail already covers', () => {
    beforeEach(async () => {
      await emulator.seed('demo');
    });

    const inventory = {
      accountId: '333333333333',
      region: 'us-east-1',
      owner: 'group:default/team-inventory',
    };
    const payments = {
      accountId: '111111111111',
      region: 'us-east-1',
      owner: 'group:default/team-payments',
    };
    const created = (accountId: string) =>
      emulator.calls
        .list({ accountId })
        .filter(
          c => c.operation === 'CreateTrail' || c.operation === 'CreateBucket',
        );

    it('converges the existing trail and bucket with the defaults: no trail and no bucket created, its other selectors kept', async () => {
      const { action, factory } = provisionAction();
      const run = actionContext(inventory);

      await action.handler(run.ctx);

      expect(created(inventory.accountId)).toEqual([]);
      expect(run.outputs().trailArn).toBe(
        'arn:aws:cloudtrail:us-east-1:333333333333:trail/inventory-trail',
      );
      expect(run.outputs().bucketName).toBe(
        'inventory-cloudtrail-logs-333333333333',
      );
      expect(run.infoLines().join('\n')).toContain(
        'Converges the existing trail inventory-trail',
      );
      const spec = buildSpec({
        ...inventory,
        trailName: 'inventory-trail',
        bucketName: 'inventory-cloudtrail-logs-333333333333',
      });
      const live = await inspectForSpec(
        await factory.forAccount(spec.accountId, spec.region),
        spec,
      );
      const selectors =
        live.trail.ok && live.trail.value?.eventSelectors.ok
          ? live.trail.value.eventSelectors.value.advanced ?? []
          : [];
      const types = selectors.flatMap(
        s =>
          s.FieldSelectors.find(f => f.Field === 'resources.type')?.Equals ??
          [],
      );
      expect(types).toEqual(
        expect.arrayContaining(['AWS::S3::Object', 'AWS::DynamoDB::Table']),
      );
    });

    it('refuses a second trail capturing the same DynamoDB data events, unless allowed, and then states the doubled cost', async () => {
      const { action } = provisionAction();
      const second = {
        ...payments,
        trailName: 'second-lineage',
        bucketName: 'second-lineage-111111111111',
      };
      emulator.calls.clear();

      const refused = action.handler(actionContext(second).ctx);
      await expect(refused).rejects.toThrow(ConflictError);
      await expect(refused).rejects.toThrow(
        'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage',
      );
      expect(
        emulator.calls
          .list({ accountId: payments.accountId })
          .filter(call => !isReadOperation(call.operation)),
      ).toEqual([]);

      const allowed = actionContext(
        { ...second, allowDuplicateCapture: true },
        { isDryRun: true },
      );
      await action.handler(allowed.ctx);
      expect(allowed.outputs().plan.spec.trailName).toBe('second-lineage');
      expect(allowed.infoLines().join('\n')).toMatch(
        /captures them a second time \(allowDuplicateCapture\), doubling the data-event bill/,
      );
      expect(created(payments.accountId)).toEqual([]);
    });
  });

  it('calls AWS not at all when the permission is denied', async () => {
    const { action } = provisionAction(AuthorizeResult.DENY);

    await expect(action.handler(actionContext(analytics).ctx)).rejects.toThrow(
      NotAllowedError,
    );

    expect(emulator.calls.list()).toEqual([]);
  });
});
