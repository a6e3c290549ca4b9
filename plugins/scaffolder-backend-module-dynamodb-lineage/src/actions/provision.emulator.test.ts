import { ConfigReader } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import {
  buildSpec,
  DefaultAwsClientFactory,
  inspectForSpec,
} from '@lineage/plugin-dynamodb-lineage-node';
import { isReadOperation } from '../__testUtils__/fakeAws';
import {
  actionContext,
  demoAccounts,
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

  function clientFactory() {
    return DefaultAwsClientFactory.fromConfig(
      new ConfigReader({
        aws: {
          accounts: demoAccounts.map(entity => {
            const accountId =
              entity.metadata.annotations!['aws.amazon.com/account-id'];
            return {
              accountId,
              accessKeyId: accountId,
              secretAccessKey: 'emulator',
            };
          }),
        },
        dynamodbLineage: { aws: { endpoint: emulator.url, maxAttempts: 1 } },
      }),
    );
  }

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

  it('makes only read calls in a dry run', async () => {
    const { action } = provisionAction();
    const dry = actionContext(analytics, { isDryRun: true });

    await action.handler(dry.ctx);

    expect(dry.outputs().plan.changes.length).toBeGreaterThan(5);
    expect(emulator.calls.list().length).toBeGreaterThan(0);
    expect(mutatingCalls()).toEqual([]);
  });

  it('calls AWS not at all when the permission is denied', async () => {
    const { action } = provisionAction(AuthorizeResult.DENY);

    await expect(action.handler(actionContext(analytics).ctx)).rejects.toThrow(
      NotAllowedError,
    );

    expect(emulator.calls.list()).toEqual([]);
  });
});
