import {
  entityEnvelopeSchemaValidator,
  resourceEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { AwsAccount } from '@lineage/plugin-dynamodb-lineage-node';
import { observation, trailDescription } from '../__testUtils__/trails';
import { selectTrails } from './selectTrails';
import { toTrailEntity, trailLinks } from './trailEntity';

const payments: AwsAccount = {
  accountId: '111111111111',
  regions: ['us-east-1', 'eu-west-1'],
  entityRef: 'resource:default/aws-payments-prod',
  title: 'aws-payments-prod',
  owner: 'group:default/team-payments',
};
const inventory: AwsAccount = {
  accountId: '333333333333',
  regions: ['us-east-1'],
  entityRef: 'resource:default/aws-inventory-prod',
  title: 'aws-inventory-prod',
  owner: 'group:default/team-inventory',
};
const accounts = new Map([payments, inventory].map(a => [a.accountId, a]));

function entityFor(
  observations: Parameters<typeof selectTrails>[0],
  known: ReadonlyMap<string, AwsAccount> = accounts,
) {
  const [selected] = selectTrails(observations);
  return toTrailEntity(selected, known);
}

describe('toTrailEntity', () => {
  const trail = trailDescription(
    '111111111111',
    'us-east-1',
    'dynamodb-lineage',
    {
      isMultiRegionTrail: true,
      s3BucketName: 'payments-trail-logs',
      s3KeyPrefix: 'lineage',
    },
  );

  it('maps a tagged home trail to a valid cloudtrail-trail Resource', async () => {
    const { entity, warnings } = entityFor([
      observation(
        trail,
        { accountId: '111111111111', region: 'us-east-1' },
        { 'backstage:owner': 'group:default/team-platform-payments' },
      ),
    ]);
    expect(warnings).toEqual([]);
    expect(entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: '111111111111-us-east-1-dynamodb-lineage',
        title: 'dynamodb-lineage',
        description: expect.stringContaining('multi-region'),
        annotations: {
          'backstage.io/managed-by-location': `dynamodb-lineage-trails:${trail.arn}`,
          'backstage.io/managed-by-origin-location': `dynamodb-lineage-trails:${trail.arn}`,
          'dynamodb-lineage/trail-arn': trail.arn,
          'dynamodb-lineage/bucket': 'payments-trail-logs',
          'dynamodb-lineage/home-region': 'us-east-1',
          'aws.amazon.com/account-id': '111111111111',
        },
        links: expect.any(Array),
      },
      spec: {
        type: 'cloudtrail-trail',
        owner: 'group:default/team-platform-payments',
        dependsOn: ['resource:default/aws-payments-prod'],
      },
    });
    expect(entityEnvelopeSchemaValidator()(entity)).toBe(entity);
    await expect(resourceEntityV1alpha1Validator.check(entity)).resolves.toBe(
      true,
    );
  });

  it('accepts owner tags written as a bare group name or namespace/name', () => {
    const bare = entityFor([
      observation(
        trail,
        { accountId: '111111111111', region: 'us-east-1' },
        {
          'backstage:owner': 'team-payments',
        },
      ),
    ]);
    expect(bare.entity.spec?.owner).toBe('group:default/team-payments');
    const namespaced = entityFor([
      observation(
        trail,
        { accountId: '111111111111', region: 'us-east-1' },
        {
          'backstage:owner': 'finance/ledger-team',
        },
      ),
    ]);
    expect(namespaced.entity.spec?.owner).toBe('group:finance/ledger-team');
  });

  it("falls back to the account entity's owner without an owner tag", () => {
    const { entity, warnings } = entityFor([
      observation(
        trail,
        { accountId: '111111111111', region: 'us-east-1' },
        {
          Environment: 'prod',
        },
      ),
    ]);
    expect(entity.spec?.owner).toBe('group:default/team-payments');
    expect(warnings).toEqual([]);
  });

  it("falls back to the account entity's owner when tags could not be read", () => {
    const { entity } = entityFor([
      observation(trail, { accountId: '111111111111', region: 'eu-west-1' }),
    ]);
    expect(entity.spec?.owner).toBe('group:default/team-payments');
  });

  it('ignores an owner tag that is no entity ref, with a warning naming the tag', () => {
    const { entity, warnings } = entityFor([
      observation(
        trail,
        { accountId: '111111111111', region: 'us-east-1' },
        {
          'backstage:owner': 'Payments Team!',
        },
      ),
    ]);
    expect(entity.spec?.owner).toBe('group:default/team-payments');
    expect(warnings).toEqual([
      expect.stringContaining('tag backstage:owner must be an entity ref'),
    ]);
  });

  it('emits an organization trail of an unlisted account once, depending on the member accounts that see it', () => {
    const orgTrail = trailDescription(
      '999999999999',
      'us-east-1',
      'org-trail',
      {
        isOrganizationTrail: true,
        isMultiRegionTrail: true,
      },
    );
    const { entity } = entityFor([
      observation(orgTrail, { accountId: '333333333333', region: 'us-east-1' }),
      observation(orgTrail, { accountId: '111111111111', region: 'us-east-1' }),
      observation(orgTrail, { accountId: '111111111111', region: 'eu-west-1' }),
    ]);
    expect(entity.metadata.name).toBe('999999999999-us-east-1-org-trail');
    expect(entity.metadata.annotations?.['aws.amazon.com/account-id']).toBe(
      '999999999999',
    );
    expect(entity.spec?.dependsOn).toEqual([
      'resource:default/aws-payments-prod',
      'resource:default/aws-inventory-prod',
    ]);
    expect(entity.spec?.owner).toBe('group:default/team-payments');
    expect(entity.metadata.description).toContain('organization trail');
  });

  it('has no dependsOn for an account listed only in config, and uses its configured owner', () => {
    const configured = new Map<string, AwsAccount>([
      [
        '555555555555',
        {
          accountId: '555555555555',
          regions: ['us-east-1'],
          title: '555555555555',
          owner: 'group:default/ops',
        },
      ],
    ]);
    const { entity } = entityFor(
      [
        observation(trailDescription('555555555555', 'us-east-1', 'audit'), {
          accountId: '555555555555',
          region: 'us-east-1',
        }),
      ],
      configured,
    );
    expect(entity.spec).toEqual({
      type: 'cloudtrail-trail',
      owner: 'group:default/ops',
    });
  });

  it('says the owner is unknown when neither a tag nor an account names one', () => {
    const { entity } = entityFor(
      [
        observation(trailDescription('555555555555', 'us-east-1', 'audit'), {
          accountId: '555555555555',
          region: 'us-east-1',
        }),
      ],
      new Map(),
    );
    expect(entity.spec?.owner).toBe('unknown');
  });
});

describe('trailLinks', () => {
  it('links the CloudTrail console page of the trail in its home region and the log prefix of the bucket', () => {
    const trail = trailDescription('111111111111', 'eu-west-1', 'lineage', {
      s3BucketName: 'logs-bucket',
      s3KeyPrefix: 'ct',
    });
    expect(trailLinks(trail)).toEqual([
      {
        url: `https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/trails/arn:aws:cloudtrail:eu-west-1:111111111111:trail/lineage`,
        title: 'CloudTrail console',
        type: 'aws-console',
      },
      {
        url: 'https://s3.console.aws.amazon.com/s3/buckets/logs-bucket?prefix=ct%2FAWSLogs%2F',
        title: 'S3 bucket logs-bucket',
        type: 'aws-console',
      },
    ]);
  });

  it('uses the console of the partition', () => {
    const trail = trailDescription('111111111111', 'cn-north-1', 'lineage');
    const [console] = trailLinks({
      ...trail,
      arn: trail.arn.replace('arn:aws:', 'arn:aws-cn:'),
    });
    expect(console.url).toMatch(
      /^https:\/\/cn-north-1\.console\.amazonaws\.cn\/cloudtrail\/home\?region=cn-north-1#\/trails\//,
    );
  });
});
