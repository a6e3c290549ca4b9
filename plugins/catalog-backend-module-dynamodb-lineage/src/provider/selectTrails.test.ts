import { observation, trailDescription } from '../__testUtils__/trails';
import { selectTrails } from './selectTrails';

describe('selectTrails', () => {
  it('keeps one entry per ARN for a multi-region trail seen as shadows, the home observation winning', () => {
    const trail = trailDescription(
      '111111111111',
      'us-east-1',
      'dynamodb-lineage',
      {
        isMultiRegionTrail: true,
      },
    );
    const selected = selectTrails([
      observation(trail, { accountId: '111111111111', region: 'eu-west-1' }),
      observation(
        trail,
        { accountId: '111111111111', region: 'us-east-1' },
        { 'backstage:owner': 'group:default/team-payments' },
      ),
      observation(trail, { accountId: '111111111111', region: 'ap-south-1' }),
    ]);
    expect(selected).toHaveLength(1);
    expect(selected[0].observedFrom).toEqual({
      accountId: '111111111111',
      region: 'us-east-1',
    });
    expect(selected[0].tags).toEqual({
      ok: true,
      value: { 'backstage:owner': 'group:default/team-payments' },
    });
    expect(selected[0].observers).toEqual(['111111111111']);
  });

  it('keeps an organization trail owned by an unlisted account once, with every member that saw it', () => {
    const orgTrail = trailDescription(
      '999999999999',
      'us-east-1',
      'org-trail',
      {
        isOrganizationTrail: true,
        isMultiRegionTrail: true,
      },
    );
    const selected = selectTrails([
      observation(orgTrail, { accountId: '333333333333', region: 'us-east-1' }),
      observation(orgTrail, { accountId: '111111111111', region: 'eu-west-1' }),
      observation(orgTrail, { accountId: '111111111111', region: 'us-east-1' }),
    ]);
    expect(selected).toHaveLength(1);
    expect(selected[0].observers).toEqual(['111111111111', '333333333333']);
    // No home observation: the first observer in a stable order, whatever the input order.
    expect(selected[0].observedFrom).toEqual({
      accountId: '111111111111',
      region: 'eu-west-1',
    });
    expect(selected[0].tags.ok).toBe(false);
  });

  it('prefers the owning account over a member account when the home region was not listed', () => {
    const trail = trailDescription('111111111111', 'us-west-2', 'org-trail', {
      isOrganizationTrail: true,
    });
    const [selected] = selectTrails([
      observation(trail, { accountId: '000000000001', region: 'us-east-1' }),
      observation(trail, { accountId: '111111111111', region: 'us-east-1' }),
    ]);
    expect(selected.observedFrom.accountId).toBe('111111111111');
  });

  it('uses tags read in another observation when the chosen one has none', () => {
    const trail = trailDescription('111111111111', 'us-east-1', 'lineage');
    const [selected] = selectTrails([
      observation(trail, { accountId: '111111111111', region: 'eu-west-1' }),
      observation(
        trail,
        { accountId: '222222222222', region: 'us-east-1' },
        { 'backstage:owner': 'team-a' },
      ),
    ]);
    expect(selected.observedFrom.region).toBe('eu-west-1');
    expect(selected.tags).toEqual({
      ok: true,
      value: { 'backstage:owner': 'team-a' },
    });
  });

  it('keeps distinct trails apart and orders them by ARN', () => {
    const a = trailDescription('222222222222', 'us-east-1', 'b-trail');
    const b = trailDescription('222222222222', 'us-east-1', 'a-trail');
    const selected = selectTrails([
      observation(a, { accountId: '222222222222', region: 'us-east-1' }),
      observation(b, { accountId: '222222222222', region: 'us-east-1' }),
    ]);
    expect(selected.map(s => s.trail.name)).toEqual(['a-trail', 'b-trail']);
  });
});
