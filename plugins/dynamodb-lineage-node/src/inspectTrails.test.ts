import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
} from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  DEFAULT_TRAIL_EVENT_SELECTORS,
  describeTrailsWithTags,
  inspectTrails,
} from './inspectTrails';
import { awsError, testClients } from './__fixtures__/aws';

const cloudTrail = mockClient(CloudTrailClient);
const target = { accountId: '111111111111', region: 'us-east-1' };
const homeArn =
  'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage';
const shadowArn = 'arn:aws:cloudtrail:eu-west-1:999999999999:trail/org-trail';

beforeEach(() => {
  cloudTrail.reset();
  cloudTrail.on(DescribeTrailsCommand).resolves({
    trailList: [
      {
        Name: 'dynamodb-lineage',
        TrailARN: homeArn,
        HomeRegion: 'us-east-1',
        S3BucketName: 'logs',
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        IsOrganizationTrail: false,
        LogFileValidationEnabled: true,
        HasCustomEventSelectors: true,
        HasInsightSelectors: false,
      },
      {
        Name: 'org-trail',
        TrailARN: shadowArn,
        HomeRegion: 'eu-west-1',
        S3BucketName: 'org-logs',
        S3KeyPrefix: 'org',
        IsMultiRegionTrail: true,
        IsOrganizationTrail: true,
        KmsKeyId: 'arn:aws:kms:eu-west-1:999999999999:key/k',
        HasInsightSelectors: true,
      },
    ],
  });
  cloudTrail.on(GetTrailStatusCommand, { Name: homeArn }).resolves({
    IsLogging: true,
    LatestDeliveryTime: new Date('2025-03-08T10:00:00Z'),
  });
  cloudTrail
    .on(GetTrailStatusCommand, { Name: shadowArn })
    .rejects(awsError('ThrottlingException', 'Rate exceeded'));
  cloudTrail.on(GetEventSelectorsCommand, { TrailName: homeArn }).resolves({
    AdvancedEventSelectors: [
      {
        Name: 'x',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'], StartsWith: [] },
        ],
      },
    ],
  });
  cloudTrail.on(GetEventSelectorsCommand, { TrailName: shadowArn }).resolves({
    EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
  });
  cloudTrail
    .on(GetInsightSelectorsCommand)
    .resolves({ InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }] });
  cloudTrail.on(ListTagsCommand).resolves({
    ResourceTagList: [
      {
        ResourceId: homeArn,
        TagsList: [{ Key: 'backstage:owner', Value: 'group:default/a' }],
      },
    ],
  });
});

describe('inspectTrails', () => {
  it('describes once with shadow trails, then asks only what each trail needs', async () => {
    const result = await inspectTrails(testClients(), target);
    expect(result.ok).toBe(true);
    if (!result.ok) return;

    expect(cloudTrail).toHaveReceivedCommandTimes(DescribeTrailsCommand, 1);
    expect(cloudTrail).toHaveReceivedCommandWith(DescribeTrailsCommand, {
      includeShadowTrails: true,
    });
    // Insights only for the trail that has them; tags in one batch of home trails.
    expect(cloudTrail).toHaveReceivedCommandTimes(
      GetInsightSelectorsCommand,
      1,
    );
    expect(cloudTrail).toHaveReceivedCommandWith(GetInsightSelectorsCommand, {
      TrailName: shadowArn,
    });
    expect(cloudTrail).toHaveReceivedCommandTimes(ListTagsCommand, 1);
    expect(cloudTrail).toHaveReceivedCommandWith(ListTagsCommand, {
      ResourceIdList: [homeArn],
    });
    expect(cloudTrail.calls()).toHaveLength(1 + 2 + 2 + 1 + 1);

    const [home, shadow] = result.value;
    expect(home).toEqual({
      trail: {
        name: 'dynamodb-lineage',
        arn: homeArn,
        accountId: '111111111111',
        homeRegion: 'us-east-1',
        s3BucketName: 'logs',
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        isOrganizationTrail: false,
        logFileValidationEnabled: true,
        hasCustomEventSelectors: true,
        hasInsightSelectors: false,
      },
      observedFrom: target,
      status: {
        ok: true,
        value: {
          isLogging: true,
          latestDeliveryTime: '2025-03-08T10:00:00.000Z',
        },
      },
      eventSelectors: {
        ok: true,
        value: {
          advanced: [
            {
              Name: 'x',
              FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }],
            },
          ],
        },
      },
      insightTypes: { ok: true, value: [] },
      tags: { ok: true, value: { 'backstage:owner': 'group:default/a' } },
    });

    expect(shadow.trail).toMatchObject({
      accountId: '999999999999',
      homeRegion: 'eu-west-1',
      isOrganizationTrail: true,
      s3KeyPrefix: 'org',
    });
    expect(shadow.status).toEqual({
      ok: false,
      code: 'ThrottlingException',
      error: 'ThrottlingException: Rate exceeded',
    });
    expect(shadow.eventSelectors).toEqual({
      ok: true,
      value: {
        basic: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
      },
    });
    expect(shadow.insightTypes).toEqual({
      ok: true,
      value: ['ApiCallRateInsight'],
    });
    expect(shadow.tags).toMatchObject({ ok: false, code: 'ShadowTrail' });
  });

  it('answers "not enabled" Insights with an empty list', async () => {
    cloudTrail
      .on(GetInsightSelectorsCommand)
      .rejects(awsError('InsightNotEnabledException'));
    const result = await inspectTrails(testClients(), target);
    expect(result.ok && result.value[1].insightTypes).toEqual({
      ok: true,
      value: [],
    });
  });

  it('falls back to one ListTags per trail when the batch is refused', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: [
        {
          Name: 'a',
          TrailARN: homeArn,
          HomeRegion: 'us-east-1',
          HasInsightSelectors: false,
        },
        {
          Name: 'b',
          TrailARN: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/b',
          HomeRegion: 'us-east-1',
          HasInsightSelectors: false,
        },
      ],
    });
    cloudTrail
      .on(ListTagsCommand)
      .rejects(awsError('AccessDeniedException'))
      .on(ListTagsCommand, { ResourceIdList: [homeArn] })
      .resolves({ ResourceTagList: [{ ResourceId: homeArn, TagsList: [] }] });
    const result = await inspectTrails(testClients(), target);
    expect(cloudTrail).toHaveReceivedCommandTimes(ListTagsCommand, 3);
    expect(result.ok && result.value.map(t => t.tags.ok)).toEqual([
      true,
      false,
    ]);
  });

  it('returns a failed probe, not a throw, when DescribeTrails is denied', async () => {
    cloudTrail
      .on(DescribeTrailsCommand)
      .rejects(awsError('AccessDeniedException', 'User is not authorized'));
    await expect(inspectTrails(testClients(), target)).resolves.toEqual({
      ok: false,
      code: 'AccessDeniedException',
      error: 'AccessDeniedException: User is not authorized',
    });
    expect(cloudTrail.calls()).toHaveLength(1);
  });

  it('does not ask for the selectors of a trail without custom ones: AWS would answer the default', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: [
        {
          Name: 'plain',
          TrailARN: homeArn,
          HomeRegion: 'us-east-1',
          HasCustomEventSelectors: false,
          HasInsightSelectors: false,
        },
      ],
    });
    const result = await inspectTrails(testClients(), target);
    expect(cloudTrail).not.toHaveReceivedCommand(GetEventSelectorsCommand);
    expect(result.ok && result.value[0].eventSelectors).toEqual({
      ok: true,
      value: DEFAULT_TRAIL_EVENT_SELECTORS,
    });
  });

  it('lists the tags of 25 home trails in two calls of at most 20', async () => {
    const arns = Array.from(
      { length: 25 },
      (_, i) => `arn:aws:cloudtrail:us-east-1:111111111111:trail/t${i}`,
    );
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: arns.map((arn, i) => ({
        Name: `t${i}`,
        TrailARN: arn,
        HomeRegion: 'us-east-1',
        HasCustomEventSelectors: false,
        HasInsightSelectors: false,
      })),
    });
    cloudTrail.on(ListTagsCommand).callsFake(input => ({
      ResourceTagList: input.ResourceIdList.map((id: string) => ({
        ResourceId: id,
        TagsList: [{ Key: 'name', Value: id.split('/')[1] }],
      })),
    }));
    const result = await inspectTrails(testClients(), target);
    const batches = cloudTrail
      .commandCalls(ListTagsCommand)
      .map(call => call.args[0].input.ResourceIdList?.length);
    expect(batches).toEqual([20, 5]);
    expect(result.ok && result.value[24].tags).toEqual({
      ok: true,
      value: { name: 't24' },
    });
  });

  it('uses known answers instead of asking again', async () => {
    const status = {
      ok: true as const,
      value: { isLogging: false, latestDeliveryError: 'AccessDenied' },
    };
    const result = await inspectTrails(testClients(), target, {
      known: trail =>
        trail.arn === homeArn
          ? {
              status: Promise.resolve(status),
              eventSelectors: { ok: true, value: { advanced: [] } },
              tags: { ok: true, value: { cached: 'yes' } },
            }
          : undefined,
    });
    expect(cloudTrail).not.toHaveReceivedCommandWith(GetTrailStatusCommand, {
      Name: homeArn,
    });
    expect(cloudTrail).not.toHaveReceivedCommandWith(GetEventSelectorsCommand, {
      TrailName: homeArn,
    });
    expect(cloudTrail).not.toHaveReceivedCommand(ListTagsCommand);
    // The shadow trail is still asked about.
    expect(cloudTrail).toHaveReceivedCommandWith(GetTrailStatusCommand, {
      Name: shadowArn,
    });
    expect(result.ok && result.value[0]).toMatchObject({
      status,
      eventSelectors: { ok: true, value: { advanced: [] } },
      tags: { ok: true, value: { cached: 'yes' } },
    });
  });
});

describe('describeTrailsWithTags', () => {
  it('asks DescribeTrails and ListTags only, and leaves shadow trails without tags', async () => {
    const result = await describeTrailsWithTags(testClients(), target);
    expect(result).toEqual({
      ok: true,
      value: [
        expect.objectContaining({
          trail: expect.objectContaining({ arn: homeArn }),
          observedFrom: target,
          tags: { ok: true, value: { 'backstage:owner': 'group:default/a' } },
        }),
        expect.objectContaining({
          trail: expect.objectContaining({ arn: shadowArn }),
          tags: expect.objectContaining({ ok: false, code: 'ShadowTrail' }),
        }),
      ],
    });
    expect(
      cloudTrail.calls().map(call => call.args[0].constructor.name),
    ).toEqual(['DescribeTrailsCommand', 'ListTagsCommand']);
  });
});
