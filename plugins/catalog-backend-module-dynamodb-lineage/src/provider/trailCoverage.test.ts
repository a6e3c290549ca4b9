import { AwsAccount } from '@lineage/plugin-dynamodb-lineage-node';
import { observation, trailDescription } from '../__testUtils__/trails';
import { trailCoverage } from './trailCoverage';

const account = (accountId: string, regions: string[]): AwsAccount => ({
  accountId,
  regions,
  title: accountId,
  entityRef: `resource:default/aws-${accountId}`,
});

describe('trailCoverage', () => {
  it('covers only the home region of a single-region trail', () => {
    const trail = trailDescription('111111111111', 'us-east-1', 'audit');
    const payments = account('111111111111', ['us-east-1', 'eu-west-1']);
    const coverage = trailCoverage(
      [payments],
      [observation(trail, { accountId: '111111111111', region: 'us-east-1' })],
      [],
    );
    expect(coverage).toEqual({
      covered: [
        { account: payments, region: 'us-east-1', trailArns: [trail.arn] },
      ],
      unknownAccounts: [],
    });
  });

  it('covers every listed region of a multi-region trail, in region order', () => {
    const trail = trailDescription('111111111111', 'eu-west-1', 'all', {
      isMultiRegionTrail: true,
    });
    const coverage = trailCoverage(
      [account('111111111111', ['us-east-1', 'eu-west-1'])],
      [observation(trail, { accountId: '111111111111', region: 'eu-west-1' })],
      [],
    );
    expect(coverage.covered.map(c => c.region)).toEqual([
      'eu-west-1',
      'us-east-1',
    ]);
  });

  it('covers a member account by an organization trail seen from it, not an account the trail was never seen from', () => {
    const org = trailDescription('999999999999', 'us-east-1', 'org', {
      isOrganizationTrail: true,
    });
    const coverage = trailCoverage(
      [
        account('333333333333', ['us-east-1']),
        account('444444444444', ['us-east-1']),
      ],
      [observation(org, { accountId: '333333333333', region: 'us-east-1' })],
      [],
    );
    expect(coverage.covered.map(c => c.account.accountId)).toEqual([
      '333333333333',
    ]);
  });

  it('does not count another account’s ordinary trail', () => {
    const foreign = trailDescription('999999999999', 'us-east-1', 'theirs');
    const coverage = trailCoverage(
      [account('333333333333', ['us-east-1'])],
      [
        observation(foreign, {
          accountId: '333333333333',
          region: 'us-east-1',
        }),
      ],
      [],
    );
    expect(coverage.covered).toEqual([]);
  });

  it('leaves accounts with unknown trails out of the covered list and names them', () => {
    const trail = trailDescription('222222222222', 'us-east-1', 'orders');
    const coverage = trailCoverage(
      [account('222222222222', ['us-east-1'])],
      [observation(trail, { accountId: '222222222222', region: 'us-east-1' })],
      ['222222222222'],
    );
    expect(coverage).toEqual({
      covered: [],
      unknownAccounts: ['222222222222'],
    });
  });
});
