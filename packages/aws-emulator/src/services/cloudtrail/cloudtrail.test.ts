import {
  AddTagsCommand,
  CreateTrailCommand,
  DeleteTrailCommand,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
  ListTrailsCommand,
  LookupEventsCommand,
  PutEventSelectorsCommand,
  PutInsightSelectorsCommand,
  RemoveTagsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  PutBucketPolicyCommand,
} from '@aws-sdk/client-s3';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type RunningEmulator, startEmulator } from '../../index';
import {
  type Clients,
  createTrailBucket,
  rejection,
  sdkClients,
} from '../../__testUtils__/clients';

const ACCOUNT = '111111111111';
const BUCKET = 'trail-logs-111111111111';
const arnOf = (name: string, region = 'us-east-1') =>
  `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`;

describe('CloudTrail over the wire', () => {
  let emulator: RunningEmulator;
  let east: Clients;
  let west: Clients;

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      organizations: [
        {
          id: 'o-abcdefghij',
          managementAccountId: ACCOUNT,
          memberAccountIds: ['555555555555'],
        },
      ],
    });
    east = sdkClients(emulator.url);
    west = sdkClients(emulator.url, { region: 'eu-west-1' });
  });

  afterAll(() => emulator.stop());

  beforeEach(async () => {
    await emulator.reset();
    await createTrailBucket(east.s3, BUCKET, ACCOUNT);
  });

  const createTrail = (name: string, extra: Record<string, unknown> = {}) =>
    east.cloudtrail.send(
      new CreateTrailCommand({ Name: name, S3BucketName: BUCKET, ...extra }),
    );

  it('creates a trail that does not log until StartLogging', async () => {
    const created = await createTrail('lineage', {
      EnableLogFileValidation: true,
    });
    expect(created).toMatchObject({
      Name: 'lineage',
      S3BucketName: BUCKET,
      TrailARN: arnOf('lineage'),
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: false,
      LogFileValidationEnabled: true,
      IsOrganizationTrail: false,
    });
    const before = await east.cloudtrail.send(
      new GetTrailStatusCommand({ Name: 'lineage' }),
    );
    expect(before.IsLogging).toBe(false);
    expect(before.LatestDeliveryTime).toBeUndefined();

    await east.cloudtrail.send(new StartLoggingCommand({ Name: 'lineage' }));
    const started = await east.cloudtrail.send(
      new GetTrailStatusCommand({ Name: arnOf('lineage') }),
    );
    expect(started.IsLogging).toBe(true);
    expect(started.StartLoggingTime).toBeInstanceOf(Date);
    expect(started.LatestDeliveryTime).toBeUndefined();

    await east.cloudtrail.send(new StopLoggingCommand({ Name: 'lineage' }));
    const stopped = await east.cloudtrail.send(
      new GetTrailStatusCommand({ Name: 'lineage' }),
    );
    expect(stopped.IsLogging).toBe(false);
    expect(stopped.StopLoggingTime).toBeInstanceOf(Date);
  });

  it.each([
    'ab',
    '-lineage',
    'lineage-',
    'line..age',
    'line_-age',
    '192.168.1.10',
    'has space',
    'x'.repeat(129),
  ])('refuses the invalid trail name %j', async name => {
    const error = await rejection(createTrail(name));
    expect(error.name).toBe('InvalidTrailNameException');
  });

  it('refuses a second trail of the same name', async () => {
    await createTrail('lineage');
    expect((await rejection(createTrail('lineage'))).name).toBe(
      'TrailAlreadyExistsException',
    );
  });

  it('refuses a multi-region trail whose name a trail in another region uses', async () => {
    await west.s3.send(
      new CreateBucketCommand({
        Bucket: 'west-logs-111111111111',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    await createTrail('shared-name');
    const error = await rejection(
      createTrail('shared-name', { IsMultiRegionTrail: true }),
    );
    expect(error.name).toBe('TrailAlreadyExistsException');
  });

  it('allows five trails per region and refuses the sixth', async () => {
    for (let i = 1; i <= 5; i++) await createTrail(`trail-${i}`);
    const error = await rejection(createTrail('trail-6'));
    expect(error.name).toBe('MaximumNumberOfTrailsExceededException');
    // Another region still has room.
    await expect(
      west.cloudtrail.send(
        new CreateTrailCommand({ Name: 'trail-6', S3BucketName: BUCKET }),
      ),
    ).resolves.toMatchObject({ TrailARN: arnOf('trail-6', 'eu-west-1') });
  });

  it('counts multi-region trails of other regions against the limit', async () => {
    for (let i = 1; i <= 5; i++)
      await createTrail(`everywhere-${i}`, { IsMultiRegionTrail: true });
    const error = await rejection(
      west.cloudtrail.send(
        new CreateTrailCommand({ Name: 'local', S3BucketName: BUCKET }),
      ),
    );
    expect(error.name).toBe('MaximumNumberOfTrailsExceededException');
  });

  it('refuses a bucket that does not exist', async () => {
    const error = await rejection(
      east.cloudtrail.send(
        new CreateTrailCommand({
          Name: 'lineage',
          S3BucketName: 'no-such-bucket-xyz',
        }),
      ),
    );
    expect(error.name).toBe('S3BucketDoesNotExistException');
  });

  it('refuses a bucket whose policy does not let CloudTrail write', async () => {
    await east.s3.send(new CreateBucketCommand({ Bucket: 'no-policy-bucket' }));
    const error = await rejection(
      east.cloudtrail.send(
        new CreateTrailCommand({
          Name: 'lineage',
          S3BucketName: 'no-policy-bucket',
        }),
      ),
    );
    expect(error.name).toBe('InsufficientS3BucketPolicyException');
  });

  it('checks the aws:SourceArn condition against the trail being created', async () => {
    await createTrailBucket(east.s3, 'scoped-bucket', ACCOUNT, {
      sourceArn: arnOf('the-right-trail'),
    });
    const error = await rejection(
      east.cloudtrail.send(
        new CreateTrailCommand({
          Name: 'another-trail',
          S3BucketName: 'scoped-bucket',
        }),
      ),
    );
    expect(error.name).toBe('InsufficientS3BucketPolicyException');
    await expect(
      east.cloudtrail.send(
        new CreateTrailCommand({
          Name: 'the-right-trail',
          S3BucketName: 'scoped-bucket',
        }),
      ),
    ).resolves.toBeDefined();
  });

  it('checks the key prefix against the policy resource', async () => {
    const error = await rejection(
      createTrail('lineage', { S3KeyPrefix: 'cloudtrail' }),
    );
    expect(error.name).toBe('InsufficientS3BucketPolicyException');
    await createTrailBucket(east.s3, 'prefixed-bucket', ACCOUNT, {
      prefix: 'cloudtrail',
    });
    await expect(
      east.cloudtrail.send(
        new CreateTrailCommand({
          Name: 'lineage',
          S3BucketName: 'prefixed-bucket',
          S3KeyPrefix: 'cloudtrail',
        }),
      ),
    ).resolves.toMatchObject({ S3KeyPrefix: 'cloudtrail' });
  });

  it('refuses a multi-region trail without global service events', async () => {
    const error = await rejection(
      createTrail('lineage', {
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: false,
      }),
    );
    expect(error.name).toBe('InvalidParameterCombinationException');
  });

  it('refuses an organization trail outside an organization management account', async () => {
    const member = sdkClients(emulator.url, { accessKeyId: '555555555555' });
    await createTrailBucket(
      member.s3,
      'member-logs-555555555555',
      '555555555555',
    );
    const error = await rejection(
      member.cloudtrail.send(
        new CreateTrailCommand({
          Name: 'org',
          S3BucketName: 'member-logs-555555555555',
          IsOrganizationTrail: true,
        }),
      ),
    );
    expect(error.name).toBe('NotOrganizationMasterAccountException');
    const loner = sdkClients(emulator.url, { accessKeyId: '666666666666' });
    await createTrailBucket(
      loner.s3,
      'loner-logs-666666666666',
      '666666666666',
    );
    const alone = await rejection(
      loner.cloudtrail.send(
        new CreateTrailCommand({
          Name: 'org',
          S3BucketName: 'loner-logs-666666666666',
          IsOrganizationTrail: true,
        }),
      ),
    );
    expect(alone.name).toBe('OrganizationsNotInUseException');
  });

  it('shows organization trails to member accounts as shadow trails', async () => {
    await east.s3.send(new CreateBucketCommand({ Bucket: 'org-logs' }));
    await east.s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'org-logs',
        Policy: JSON.stringify({
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 's3:GetBucketAcl',
              Resource: 'arn:aws:s3:::org-logs',
            },
            {
              Effect: 'Allow',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 's3:PutObject',
              Resource: [
                'arn:aws:s3:::org-logs/AWSLogs/111111111111/*',
                'arn:aws:s3:::org-logs/AWSLogs/o-abcdefghij/*',
              ],
            },
          ],
        }),
      }),
    );
    await east.cloudtrail.send(
      new CreateTrailCommand({
        Name: 'org-trail',
        S3BucketName: 'org-logs',
        IsOrganizationTrail: true,
        IsMultiRegionTrail: true,
      }),
    );
    const member = sdkClients(emulator.url, {
      accessKeyId: '555555555555',
      region: 'eu-west-1',
    });
    const { trailList } = await member.cloudtrail.send(
      new DescribeTrailsCommand({}),
    );
    expect(trailList).toEqual([
      expect.objectContaining({
        TrailARN: arnOf('org-trail'),
        IsOrganizationTrail: true,
        HomeRegion: 'us-east-1',
      }),
    ]);
    const own = await member.cloudtrail.send(
      new DescribeTrailsCommand({ includeShadowTrails: false }),
    );
    expect(own.trailList).toEqual([]);
    const error = await rejection(
      member.cloudtrail.send(
        new StopLoggingCommand({ Name: arnOf('org-trail') }),
      ),
    );
    expect(error.name).toBe('NotOrganizationMasterAccountException');
  });

  it('updates a trail in its home region only, re-checking a new bucket', async () => {
    await createTrail('lineage');
    const updated = await east.cloudtrail.send(
      new UpdateTrailCommand({
        Name: 'lineage',
        EnableLogFileValidation: true,
        IsMultiRegionTrail: true,
      }),
    );
    expect(updated).toMatchObject({
      LogFileValidationEnabled: true,
      IsMultiRegionTrail: true,
    });

    await east.s3.send(new CreateBucketCommand({ Bucket: 'no-policy-bucket' }));
    const policyError = await rejection(
      east.cloudtrail.send(
        new UpdateTrailCommand({
          Name: 'lineage',
          S3BucketName: 'no-policy-bucket',
        }),
      ),
    );
    expect(policyError.name).toBe('InsufficientS3BucketPolicyException');

    const combination = await rejection(
      east.cloudtrail.send(
        new UpdateTrailCommand({
          Name: 'lineage',
          IncludeGlobalServiceEvents: false,
        }),
      ),
    );
    expect(combination.name).toBe('InvalidParameterCombinationException');

    const elsewhere = await rejection(
      west.cloudtrail.send(
        new UpdateTrailCommand({
          Name: arnOf('lineage'),
          EnableLogFileValidation: false,
        }),
      ),
    );
    expect(elsewhere.name).toBe('InvalidHomeRegionException');
  });

  it('describes trails of the region, with shadow trails of multi-region trails', async () => {
    await createTrail('everywhere', { IsMultiRegionTrail: true });
    await createTrail('local-east');
    await west.cloudtrail.send(
      new CreateTrailCommand({ Name: 'local-west', S3BucketName: BUCKET }),
    );

    const fromWest = await west.cloudtrail.send(new DescribeTrailsCommand({}));
    expect(fromWest.trailList?.map(t => [t.Name, t.HomeRegion]).sort()).toEqual(
      [
        ['everywhere', 'us-east-1'],
        ['local-west', 'eu-west-1'],
      ],
    );
    const noShadows = await west.cloudtrail.send(
      new DescribeTrailsCommand({ includeShadowTrails: false }),
    );
    expect(noShadows.trailList?.map(t => t.Name)).toEqual(['local-west']);

    const byName = await east.cloudtrail.send(
      new DescribeTrailsCommand({
        trailNameList: [
          'local-east',
          'unknown',
          arnOf('local-west', 'eu-west-1'),
        ],
      }),
    );
    expect(byName.trailList?.map(t => t.Name)).toEqual([
      'local-east',
      'local-west',
    ]);
    expect(byName.trailList?.[0]).toMatchObject({
      HasCustomEventSelectors: false,
      HasInsightSelectors: false,
      IsOrganizationTrail: false,
    });
  });

  it('gets a trail by name or ARN, including a shadow trail, and refuses unknown ones', async () => {
    await createTrail('everywhere', { IsMultiRegionTrail: true });
    const { Trail } = await west.cloudtrail.send(
      new GetTrailCommand({ Name: 'everywhere' }),
    );
    expect(Trail).toMatchObject({
      HomeRegion: 'us-east-1',
      TrailARN: arnOf('everywhere'),
    });
    expect(
      (
        await rejection(
          east.cloudtrail.send(new GetTrailCommand({ Name: 'missing' })),
        )
      ).name,
    ).toBe('TrailNotFoundException');
    expect(
      (
        await rejection(
          east.cloudtrail.send(
            new GetTrailStatusCommand({ Name: arnOf('missing') }),
          ),
        )
      ).name,
    ).toBe('TrailNotFoundException');
    expect(
      (
        await rejection(
          east.cloudtrail.send(
            new GetTrailCommand({ Name: 'arn:aws:cloudtrail:bad' }),
          ),
        )
      ).name,
    ).toBe('CloudTrailARNInvalidException');
  });

  it('lists the trails of the account in every region', async () => {
    await createTrail('east-trail');
    await west.cloudtrail.send(
      new CreateTrailCommand({ Name: 'west-trail', S3BucketName: BUCKET }),
    );
    const { Trails } = await east.cloudtrail.send(new ListTrailsCommand({}));
    expect(Trails).toEqual(
      expect.arrayContaining([
        {
          TrailARN: arnOf('east-trail'),
          Name: 'east-trail',
          HomeRegion: 'us-east-1',
        },
        {
          TrailARN: arnOf('west-trail', 'eu-west-1'),
          Name: 'west-trail',
          HomeRegion: 'eu-west-1',
        },
      ]),
    );
    const other = sdkClients(emulator.url, { accessKeyId: '222222222222' });
    expect(
      (await other.cloudtrail.send(new ListTrailsCommand({}))).Trails,
    ).toEqual([]);
  });

  it('changes logging only from the home region', async () => {
    await createTrail('everywhere', { IsMultiRegionTrail: true });
    const error = await rejection(
      west.cloudtrail.send(new StartLoggingCommand({ Name: 'everywhere' })),
    );
    expect(error.name).toBe('InvalidHomeRegionException');
  });

  describe('event selectors', () => {
    beforeEach(() => createTrail('lineage'));

    it('starts with the default basic selector', async () => {
      const result = await east.cloudtrail.send(
        new GetEventSelectorsCommand({ TrailName: 'lineage' }),
      );
      expect(result.EventSelectors).toEqual([
        {
          ReadWriteType: 'All',
          IncludeManagementEvents: true,
          DataResources: [],
          ExcludeManagementEventSources: [],
        },
      ]);
      expect(result.AdvancedEventSelectors).toBeUndefined();
    });

    it('stores basic selectors with all-table and exact table values', async () => {
      const selectors = [
        {
          ReadWriteType: 'All' as const,
          IncludeManagementEvents: false,
          DataResources: [
            { Type: 'AWS::DynamoDB::Table', Values: ['arn:aws:dynamodb'] },
            {
              Type: 'AWS::DynamoDB::Table',
              Values: [
                'arn:aws:dynamodb:us-east-1:111111111111:table/payments',
              ],
            },
          ],
        },
      ];
      await east.cloudtrail.send(
        new PutEventSelectorsCommand({
          TrailName: 'lineage',
          EventSelectors: selectors,
        }),
      );
      const result = await east.cloudtrail.send(
        new GetEventSelectorsCommand({ TrailName: arnOf('lineage') }),
      );
      expect(result.EventSelectors?.[0].DataResources).toEqual(
        selectors[0].DataResources,
      );
      const { trailList } = await east.cloudtrail.send(
        new DescribeTrailsCommand({ trailNameList: ['lineage'] }),
      );
      expect(trailList?.[0].HasCustomEventSelectors).toBe(true);
    });

    it.each([
      [
        'a wildcard table ARN',
        [
          {
            DataResources: [
              {
                Type: 'AWS::DynamoDB::Table',
                Values: ['arn:aws:dynamodb:us-east-1:111111111111:table/*'],
              },
            ],
          },
        ],
      ],
      [
        'an unknown resource type',
        [
          {
            DataResources: [
              { Type: 'AWS::Nope::Thing', Values: ['arn:aws:nope'] },
            ],
          },
        ],
      ],
      [
        'six selectors',
        Array.from({ length: 6 }, () => ({ ReadWriteType: 'All' as const })),
      ],
      [
        '251 data resources',
        [
          {
            DataResources: [
              {
                Type: 'AWS::DynamoDB::Table',
                Values: Array.from(
                  { length: 251 },
                  (_, i) =>
                    `arn:aws:dynamodb:us-east-1:111111111111:table/t${i}x`,
                ),
              },
            ],
          },
        ],
      ],
    ])('refuses basic selectors with %s', async (_what, selectors) => {
      const error = await rejection(
        east.cloudtrail.send(
          new PutEventSelectorsCommand({
            TrailName: 'lineage',
            EventSelectors: selectors as any,
          }),
        ),
      );
      expect(error.name).toBe('InvalidEventSelectorsException');
    });

    it('replaces basic selectors with advanced ones', async () => {
      await east.cloudtrail.send(
        new PutEventSelectorsCommand({
          TrailName: 'lineage',
          EventSelectors: [{ ReadWriteType: 'All' }],
        }),
      );
      const advanced = [
        {
          Name: 'DynamoDB',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
            {
              Field: 'resources.ARN',
              StartsWith: ['arn:aws:dynamodb:us-east-1:111111111111:table/pay'],
            },
          ],
        },
      ];
      await east.cloudtrail.send(
        new PutEventSelectorsCommand({
          TrailName: 'lineage',
          AdvancedEventSelectors: advanced,
        }),
      );
      const result = await east.cloudtrail.send(
        new GetEventSelectorsCommand({ TrailName: 'lineage' }),
      );
      expect(result.AdvancedEventSelectors).toEqual(advanced);
      expect(result.EventSelectors).toBeUndefined();
    });

    it('refuses basic and advanced selectors together, or neither', async () => {
      const both = await rejection(
        east.cloudtrail.send(
          new PutEventSelectorsCommand({
            TrailName: 'lineage',
            EventSelectors: [{ ReadWriteType: 'All' }],
            AdvancedEventSelectors: [
              {
                FieldSelectors: [
                  { Field: 'eventCategory', Equals: ['Management'] },
                ],
              },
            ],
          }),
        ),
      );
      expect(both.name).toBe('InvalidParameterCombinationException');
      const neither = await rejection(
        east.cloudtrail.send(
          new PutEventSelectorsCommand({ TrailName: 'lineage' }),
        ),
      );
      expect(neither.name).toBe('InvalidParameterCombinationException');
    });

    it.each([
      [
        'more than 500 condition values',
        [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
              {
                Field: 'resources.ARN',
                Equals: Array.from(
                  { length: 500 },
                  (_, i) =>
                    `arn:aws:dynamodb:us-east-1:111111111111:table/t${i}`,
                ),
              },
            ],
          },
        ],
      ],
      [
        'no eventCategory',
        [
          {
            FieldSelectors: [
              { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
            ],
          },
        ],
      ],
      [
        'data events without resources.type',
        [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }],
      ],
      [
        'an unknown field',
        [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'colour', Equals: ['red'] },
            ],
          },
        ],
      ],
      [
        'a readOnly value other than true/false',
        [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'readOnly', Equals: ['yes'] },
            ],
          },
        ],
      ],
    ])('refuses advanced selectors with %s', async (_what, selectors) => {
      const error = await rejection(
        east.cloudtrail.send(
          new PutEventSelectorsCommand({
            TrailName: 'lineage',
            AdvancedEventSelectors: selectors as any,
          }),
        ),
      );
      expect(error.name).toBe('InvalidEventSelectorsException');
    });

    it('refuses selector changes outside the home region', async () => {
      await east.cloudtrail.send(
        new UpdateTrailCommand({ Name: 'lineage', IsMultiRegionTrail: true }),
      );
      const error = await rejection(
        west.cloudtrail.send(
          new PutEventSelectorsCommand({
            TrailName: 'lineage',
            EventSelectors: [{}],
          }),
        ),
      );
      expect(error.name).toBe('InvalidHomeRegionException');
    });
  });

  it('stores insight selectors and refuses reading them when off', async () => {
    await createTrail('lineage');
    const off = await rejection(
      east.cloudtrail.send(
        new GetInsightSelectorsCommand({ TrailName: 'lineage' }),
      ),
    );
    expect(off.name).toBe('InsightNotEnabledException');
    const invalid = await rejection(
      east.cloudtrail.send(
        new PutInsightSelectorsCommand({
          TrailName: 'lineage',
          InsightSelectors: [{ InsightType: 'Nope' as any }],
        }),
      ),
    );
    expect(invalid.name).toBe('InvalidInsightSelectorsException');
    await east.cloudtrail.send(
      new PutInsightSelectorsCommand({
        TrailName: 'lineage',
        InsightSelectors: [
          { InsightType: 'ApiCallRateInsight' },
          { InsightType: 'ApiErrorRateInsight' },
        ],
      }),
    );
    const on = await east.cloudtrail.send(
      new GetInsightSelectorsCommand({ TrailName: 'lineage' }),
    );
    expect(on.InsightSelectors).toEqual([
      { InsightType: 'ApiCallRateInsight' },
      { InsightType: 'ApiErrorRateInsight' },
    ]);
    const { trailList } = await east.cloudtrail.send(
      new DescribeTrailsCommand({}),
    );
    expect(trailList?.[0].HasInsightSelectors).toBe(true);
  });

  it('adds, lists and removes tags, refusing unknown or malformed ARNs', async () => {
    await createTrail('lineage', {
      TagsList: [
        { Key: 'backstage:owner', Value: 'group:default/team-payments' },
      ],
    });
    await east.cloudtrail.send(
      new AddTagsCommand({
        ResourceId: arnOf('lineage'),
        TagsList: [{ Key: 'env', Value: 'prod' }],
      }),
    );
    const listed = await east.cloudtrail.send(
      new ListTagsCommand({ ResourceIdList: [arnOf('lineage')] }),
    );
    expect(listed.ResourceTagList).toEqual([
      {
        ResourceId: arnOf('lineage'),
        TagsList: [
          { Key: 'backstage:owner', Value: 'group:default/team-payments' },
          { Key: 'env', Value: 'prod' },
        ],
      },
    ]);
    await east.cloudtrail.send(
      new RemoveTagsCommand({
        ResourceId: arnOf('lineage'),
        TagsList: [{ Key: 'env' }],
      }),
    );
    const after = await east.cloudtrail.send(
      new ListTagsCommand({ ResourceIdList: [arnOf('lineage')] }),
    );
    expect(after.ResourceTagList?.[0].TagsList).toEqual([
      { Key: 'backstage:owner', Value: 'group:default/team-payments' },
    ]);

    const unknown = await rejection(
      east.cloudtrail.send(
        new AddTagsCommand({
          ResourceId: arnOf('missing'),
          TagsList: [{ Key: 'a', Value: 'b' }],
        }),
      ),
    );
    expect(unknown.name).toBe('ResourceNotFoundException');
    const malformed = await rejection(
      east.cloudtrail.send(
        new ListTagsCommand({ ResourceIdList: ['not-an-arn'] }),
      ),
    );
    expect(malformed.name).toBe('CloudTrailARNInvalidException');
    const tooMany = await rejection(
      east.cloudtrail.send(
        new AddTagsCommand({
          ResourceId: arnOf('lineage'),
          TagsList: Array.from({ length: 50 }, (_, i) => ({
            Key: `k${i}`,
            Value: 'v',
          })),
        }),
      ),
    );
    expect(tooMany.name).toBe('TagsLimitExceededException');
  });

  it('deletes a trail from its home region only', async () => {
    await createTrail('everywhere', { IsMultiRegionTrail: true });
    const elsewhere = await rejection(
      west.cloudtrail.send(new DeleteTrailCommand({ Name: 'everywhere' })),
    );
    expect(elsewhere.name).toBe('InvalidHomeRegionException');
    await east.cloudtrail.send(new DeleteTrailCommand({ Name: 'everywhere' }));
    const gone = await rejection(
      east.cloudtrail.send(new GetTrailCommand({ Name: 'everywhere' })),
    );
    expect(gone.name).toBe('TrailNotFoundException');
    const again = await rejection(
      east.cloudtrail.send(new DeleteTrailCommand({ Name: 'everywhere' })),
    );
    expect(again.name).toBe('TrailNotFoundException');
  });

  it('keeps working when the policy is removed after creation (it is checked at delivery)', async () => {
    await createTrail('lineage');
    await east.s3.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
    await expect(
      east.cloudtrail.send(new StartLoggingCommand({ Name: 'lineage' })),
    ).resolves.toBeDefined();
  });

  describe('LookupEvents', () => {
    it('finds the management events of the caller account and region in the time range, never data events', async () => {
      await createTrail('lineage');
      await east.dynamodb
        .send(
          new GetItemCommand({ TableName: 'missing', Key: { id: { S: 'x' } } }),
        )
        .catch(() => undefined);
      const created = await east.cloudtrail.send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: 'ResourceName', AttributeValue: BUCKET },
          ],
        }),
      );
      expect(created.Events?.map(e => e.EventName)).toEqual([
        'PutBucketPolicy',
        'CreateBucket',
      ]);
      const all = await east.cloudtrail.send(new LookupEventsCommand({}));
      expect(all.Events?.map(e => e.EventName)).not.toContain('GetItem');
      // newest first; the earlier lookup is a management event itself
      expect(all.Events?.slice(0, 2).map(e => e.EventName)).toEqual([
        'LookupEvents',
        'CreateTrail',
      ]);
      expect(all.Events?.[1]).toMatchObject({
        Username: 'root',
        ReadOnly: 'false',
        EventTime: expect.any(Date),
        CloudTrailEvent: expect.stringContaining('"eventVersion":"1.11"'),
      });
      const other = sdkClients(emulator.url, { accessKeyId: '222222222222' });
      expect(
        (await other.cloudtrail.send(new LookupEventsCommand({}))).Events,
      ).toEqual([]);
      const now = emulator.clock.now();
      expect(
        (
          await east.cloudtrail.send(
            new LookupEventsCommand({
              StartTime: new Date(now - 7_200_000),
              EndTime: new Date(now - 3_600_000),
            }),
          )
        ).Events,
      ).toEqual([]);
    });

    it.each([
      [{ MaxResults: 51 }, 'InvalidMaxResultsException'],
      [
        { StartTime: new Date(2_000_000_000_000), EndTime: new Date(0) },
        'InvalidTimeRangeException',
      ],
      [
        { LookupAttributes: [{ AttributeKey: 'Bogus', AttributeValue: 'x' }] },
        'InvalidLookupAttributesException',
      ],
      [{ EventCategory: 'data' }, 'InvalidEventCategoryException'],
      [{ NextToken: 'not-a-token' }, 'InvalidNextTokenException'],
    ])('refuses %j with %s', async (input, name) => {
      const error = await rejection(
        east.cloudtrail.send(new LookupEventsCommand(input as any)),
      );
      expect(error.name).toBe(name);
    });
  });
});
