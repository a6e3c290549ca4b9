import { KubernetesValidatorFunctions } from '@backstage/catalog-model';
import { trailDescription } from '../__testUtils__/trails';
import { trailEntityName } from './trailEntityName';

describe('trailEntityName', () => {
  it('joins account, home region and trail name when that is already a valid name', () => {
    expect(
      trailEntityName(
        trailDescription('111111111111', 'us-east-1', 'dynamodb-lineage'),
      ),
    ).toBe('111111111111-us-east-1-dynamodb-lineage');
  });

  it('lowercases mixed-case trail names and adds a hash so `Audit` and `audit` differ', () => {
    const upper = trailEntityName(
      trailDescription('111111111111', 'us-east-1', 'Audit'),
    );
    const lower = trailEntityName(
      trailDescription('111111111111', 'us-east-1', 'audit'),
    );
    expect(upper).toMatch(/^111111111111-us-east-1-audit-[0-9a-f]{8}$/);
    expect(lower).toBe('111111111111-us-east-1-audit');
    expect(upper.toLowerCase()).not.toBe(lower.toLowerCase());
  });

  it('cuts long names to 63 characters with a hash of the ARN, ending in an alphanumeric', () => {
    const longName = `a${'-b'.repeat(60)}`;
    const name = trailEntityName(
      trailDescription('222222222222', 'ap-southeast-2', longName),
    );
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^222222222222-ap-southeast-2-a-b.*-[0-9a-f]{8}$/);
    expect(KubernetesValidatorFunctions.isValidObjectName(name)).toBe(true);
  });

  it('gives two long names with the same first 54 characters different entity names', () => {
    const stem = 'x'.repeat(80);
    const first = trailEntityName(
      trailDescription('333333333333', 'us-east-1', `${stem}1`),
    );
    const second = trailEntityName(
      trailDescription('333333333333', 'us-east-1', `${stem}2`),
    );
    expect(first).not.toBe(second);
    expect(first.slice(0, 54)).toBe(second.slice(0, 54));
  });

  it('is stable across calls and distinguishes partitions and accounts', () => {
    const trail = trailDescription('111111111111', 'us-east-1', 'Org.Trail');
    expect(trailEntityName(trail)).toBe(trailEntityName({ ...trail }));
    expect(
      trailEntityName({
        ...trail,
        arn: trail.arn.replace('arn:aws:', 'arn:aws-us-gov:'),
      }),
    ).not.toBe(trailEntityName(trail));
  });

  it.each([
    'dynamodb-lineage',
    'My_Trail.v2',
    'a'.repeat(128),
    'UPPER-case_and.dots-'.repeat(6).slice(0, 119),
  ])('always yields a valid entity name for trail %s', trailName => {
    const name = trailEntityName(
      trailDescription('444444444444', 'eu-west-1', trailName),
    );
    expect(KubernetesValidatorFunctions.isValidObjectName(name)).toBe(true);
  });

  it('replaces characters outside the entity-name alphabet', () => {
    const name = trailEntityName({
      arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/odd name',
      accountId: '111111111111',
      homeRegion: 'us-east-1',
      name: 'odd name',
    });
    expect(name).toMatch(/^111111111111-us-east-1-odd-name-[0-9a-f]{8}$/);
  });
});
