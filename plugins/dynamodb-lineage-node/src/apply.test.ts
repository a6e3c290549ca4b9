import {
  AddTagsCommand,
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { applyPlan } from './apply';
import { diffPlan } from './plan';
import { AppliedChange } from './planTypes';
import { awsError, testClients } from './__fixtures__/aws';
import {
  convergedLive,
  emptyLive,
  usableKmsKey,
  withLive,
} from './__fixtures__/live';
import { BUCKET, TRAIL_ARN, makeSpec } from './__fixtures__/specs';

const s3 = mockClient(S3Client);
const cloudTrail = mockClient(CloudTrailClient);
const kms = mockClient(KMSClient);
const dynamodb = mockClient(DynamoDBClient);
const noSleep = async () => {};

beforeEach(() => {
  s3.reset();
  cloudTrail.reset();
  kms.reset();
  dynamodb.reset();
  dynamodb.resolves({});
  s3.resolves({});
  cloudTrail.resolves({});
});

/** Every call to either client, in order, as the operation name. */
function callOrder(): string[] {
  // sinon numbers every spy call globally; its typings omit the field.
  const id = (call: object) => (call as { callId: number }).callId;
  return [...s3.calls(), ...cloudTrail.calls(), ...dynamodb.calls()]
    .sort((a, b) => id(a) - id(b))
    .map(call =>
      (call.args[0] as object).constructor.name.replace(/Command$/, ''),
    );
}

describe('applyPlan', () => {
  describe('a key created for the trail', () => {
    const spec = makeSpec({ createKmsKey: true });
    const plan = diffPlan(spec, {
      ...emptyLive(spec),
      kmsKey: { ok: true, value: { reference: spec.kmsKeyId!, exists: false } },
    });
    const aliasName = 'alias/dynamodb-lineage/dynamodb-lineage';
    const keyId = '0b7d3c1e-2f4a-4b6c-8d9e-1a2b3c4d5e6f';

    it('is created with the planned policy, then given its alias, before the bucket and the trail', async () => {
      kms
        .on(DescribeKeyCommand)
        .rejects(awsError('NotFoundException'))
        .on(CreateKeyCommand)
        .resolves({ KeyMetadata: { KeyId: keyId } });
      const applied = await applyPlan(testClients(), plan, {
        sleep: noSleep,
      });
      expect(applied[0]).toMatchObject({
        key: 'kms-key:create',
        outcome: 'applied',
        operations: ['DescribeKey', 'CreateKey', 'CreateAlias'],
      });
      const planned = plan.changes[0].request;
      expect(kms).toHaveReceivedCommandWith(
        CreateKeyCommand,
        planned.operation === 'CreateKey' ? planned.input : {},
      );
      expect(kms).toHaveReceivedCommandWith(CreateAliasCommand, {
        AliasName: aliasName,
        TargetKeyId: keyId,
      });
      expect(kms).toHaveReceivedCommandWith(DescribeKeyCommand, {
        KeyId: aliasName,
      });
    });

    it('is not created again when its alias already names a key', async () => {
      kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: keyId } });
      const applied = await applyPlan(testClients(), plan, {
        sleep: noSleep,
      });
      expect(applied[0]).toMatchObject({
        key: 'kms-key:create',
        outcome: 'already-done',
        operations: ['DescribeKey'],
      });
      expect(kms).not.toHaveReceivedCommand(CreateKeyCommand);
      expect(kms).not.toHaveReceivedCommand(CreateAliasCommand);
    });
  });

  it('refuses a blocked plan before any AWS call', async () => {
    const spec = makeSpec({ kmsKeyId: 'alias/logs' });
    const plan = diffPlan(spec, {
      ...emptyLive(spec),
      kmsKey: {
        ok: true,
        value: { ...usableKmsKey(spec), keyState: 'Disabled' },
      },
    });
    expect(plan.changes.length).toBeGreaterThan(0);
    await expect(
      applyPlan(testClients(), plan, { sleep: noSleep }),
    ).rejects.toThrow(/Refusing to apply .*the key is disabled/);
    expect(callOrder()).toEqual([]);
  });

  it('runs every change in the planned order with exactly the planned request', async () => {
    const spec = makeSpec();
    const plan = diffPlan(spec, emptyLive(spec));
    const applied = await applyPlan(testClients(), plan, { sleep: noSleep });

    expect(applied.map(a => a.key)).toEqual(plan.changes.map(c => c.key));
    expect(
      applied.every(a => a.outcome === 'applied' && a.attempts === 1),
    ).toBe(true);
    // us-east-1 refuses an explicit location constraint.
    expect(s3).toHaveReceivedCommandWith(CreateBucketCommand, {
      Bucket: BUCKET,
    });
    expect(
      s3.commandCalls(CreateBucketCommand)[0].args[0].input,
    ).not.toHaveProperty('CreateBucketConfiguration');
    const order = callOrder();
    expect(order[0]).toBe('CreateTable');
    expect(dynamodb).toHaveReceivedCommandWith(CreateTableCommand, {
      TableName: 'dynamodb-lineage-canary',
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect(order.indexOf('PutBucketPolicy')).toBeLessThan(
      order.indexOf('CreateTrail'),
    );
    expect(order.indexOf('CreateTrail')).toBeLessThan(
      order.indexOf('PutEventSelectors'),
    );
    expect(order[order.length - 1]).toBe('StartLogging');
    expect(cloudTrail).toHaveReceivedCommandWith(StartLoggingCommand, {
      Name: TRAIL_ARN,
    });
    expect(
      JSON.parse(
        s3.commandCalls(PutBucketPolicyCommand)[0].args[0].input.Policy!,
      ),
    ).toMatchObject({ Statement: [{ Sid: 'AWSCloudTrailAclCheck' }, {}, {}] });
  });

  it('sends a shared trail’s selectors together with ours', async () => {
    const spec = makeSpec();
    const s3Selector = {
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
          eventSelectors: { ok: true, value: { advanced: [s3Selector] } },
        },
      }),
    );
    await applyPlan(testClients(), plan);
    expect(cloudTrail).toHaveReceivedCommandTimes(PutEventSelectorsCommand, 1);
    const sent = cloudTrail.commandCalls(PutEventSelectorsCommand)[0].args[0]
      .input;
    expect(sent.AdvancedEventSelectors?.map(s => s.Name)).toEqual([
      'S3 audit',
      'dynamodb-lineage: DynamoDB tables',
    ]);
    expect(sent.EventSelectors).toBeUndefined();
    expect(s3.calls()).toHaveLength(0);
  });

  it('retries CreateTrail with bounded backoff while the bucket policy propagates', async () => {
    const spec = makeSpec();
    const sleeps: number[] = [];
    cloudTrail
      .on(CreateTrailCommand)
      .rejectsOnce(awsError('InsufficientS3BucketPolicyException'))
      .rejectsOnce(awsError('InsufficientS3BucketPolicyException'))
      .resolves({ TrailARN: TRAIL_ARN });
    const applied = await applyPlan(
      testClients(),
      diffPlan(spec, emptyLive(spec)),
      {
        sleep: async ms => {
          sleeps.push(ms);
        },
      },
    );
    expect(cloudTrail).toHaveReceivedCommandTimes(CreateTrailCommand, 3);
    expect(sleeps).toEqual([1000, 2000]);
    expect(applied.find(a => a.key === 'trail:create')?.attempts).toBe(3);
  });

  it('gives up after the bounded attempts and names the failed step', async () => {
    const spec = makeSpec();
    cloudTrail
      .on(CreateTrailCommand)
      .rejects(awsError('InsufficientS3BucketPolicyException'));
    await expect(
      applyPlan(testClients(), diffPlan(spec, emptyLive(spec)), {
        sleep: noSleep,
        policyPropagation: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
      }),
    ).rejects.toThrow(/Step trail:create failed/);
    expect(cloudTrail).toHaveReceivedCommandTimes(CreateTrailCommand, 3);
    expect(cloudTrail).not.toHaveReceivedCommand(StartLoggingCommand);
  });

  it('does not retry other errors', async () => {
    const spec = makeSpec();
    cloudTrail
      .on(CreateTrailCommand)
      .rejects(awsError('InvalidTrailNameException'));
    await expect(
      applyPlan(testClients(), diffPlan(spec, emptyLive(spec)), {
        sleep: noSleep,
      }),
    ).rejects.toThrow(/InvalidTrailNameException/);
    expect(cloudTrail).toHaveReceivedCommandTimes(CreateTrailCommand, 1);
  });

  it('treats resources that appeared since the plan as done, updating the trail instead', async () => {
    const spec = makeSpec();
    s3.on(CreateBucketCommand).rejects(awsError('BucketAlreadyOwnedByYou'));
    dynamodb.on(CreateTableCommand).rejects(awsError('ResourceInUseException'));
    cloudTrail
      .on(CreateTrailCommand)
      .rejects(awsError('TrailAlreadyExistsException'));
    cloudTrail.on(UpdateTrailCommand).resolves({ TrailARN: TRAIL_ARN });
    const applied = await applyPlan(
      testClients(),
      diffPlan(spec, emptyLive(spec)),
    );
    expect(applied.find(a => a.key === 'bucket:create')?.outcome).toBe(
      'already-done',
    );
    expect(applied.find(a => a.key === 'canary-table:create')).toMatchObject({
      outcome: 'already-done',
      operations: ['CreateTable'],
    });
    expect(applied.find(a => a.key === 'trail:create')).toMatchObject({
      outcome: 'already-done',
      operations: ['CreateTrail', 'UpdateTrail', 'AddTags'],
    });
    expect(cloudTrail).toHaveReceivedCommandWith(UpdateTrailCommand, {
      Name: 'dynamodb-lineage',
      S3BucketName: BUCKET,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
    });
    expect(cloudTrail).toHaveReceivedCommandWith(AddTagsCommand, {
      ResourceId: TRAIL_ARN,
    });
  });

  it('refuses a bucket name owned by another account clearly', async () => {
    const spec = makeSpec();
    s3.on(CreateBucketCommand).rejects(awsError('BucketAlreadyExists'));
    await expect(
      applyPlan(testClients(), diffPlan(spec, emptyLive(spec))),
    ).rejects.toThrow(/belongs to another AWS account/);
    expect(cloudTrail.calls()).toHaveLength(0);
  });

  it('lets the caller wrap each step, e.g. to skip finished ones on resume', async () => {
    const spec = makeSpec();
    const plan = diffPlan(spec, emptyLive(spec));
    const finished = new Map<string, AppliedChange>();
    const runStep = async (
      change: { key: string },
      fn: () => Promise<AppliedChange>,
    ) => {
      const done = finished.get(change.key);
      if (done) return done;
      const result = await fn();
      finished.set(change.key, result);
      return result;
    };
    cloudTrail
      .on(PutEventSelectorsCommand)
      .rejectsOnce(awsError('ThrottlingException'));
    await expect(applyPlan(testClients(), plan, { runStep })).rejects.toThrow(
      /event-selectors/,
    );
    const callsBefore = s3.calls().length + cloudTrail.calls().length;

    const second = await applyPlan(testClients(), plan, { runStep });
    expect(second.map(a => a.key)).toEqual(plan.changes.map(c => c.key));
    // Only the failed step and those after it ran again.
    expect(s3.calls().length + cloudTrail.calls().length - callsBefore).toBe(3);
    expect(cloudTrail).toHaveReceivedCommandTimes(CreateTrailCommand, 1);
  });

  it('sends lifecycle dates as Date objects after the plan went through JSON', async () => {
    const spec = makeSpec();
    const foreign = {
      ID: 'legacy',
      Status: 'Enabled' as const,
      Filter: { Prefix: 'tmp/' },
      Expiration: { Date: new Date('2030-01-01T00:00:00Z') },
    };
    const plan = JSON.parse(
      JSON.stringify(
        diffPlan(
          spec,
          withLive(convergedLive(spec), {
            bucket: { lifecycle: { ok: true, value: [foreign as never] } },
          }),
        ),
      ),
    );
    await applyPlan(testClients(), plan);
    const rules = s3.commandCalls(PutBucketLifecycleConfigurationCommand)[0]
      .args[0].input.LifecycleConfiguration?.Rules;
    expect(rules?.[0].Expiration?.Date).toEqual(
      new Date('2030-01-01T00:00:00Z'),
    );
    expect(rules?.map(r => r.ID)).toEqual([
      'legacy',
      'dynamodb-lineage-archive',
    ]);
  });

  it('makes no call for a converged plan', async () => {
    const spec = makeSpec();
    expect(
      await applyPlan(testClients(), diffPlan(spec, convergedLive(spec))),
    ).toEqual([]);
    expect(s3.calls().length + cloudTrail.calls().length).toBe(0);
  });
});
