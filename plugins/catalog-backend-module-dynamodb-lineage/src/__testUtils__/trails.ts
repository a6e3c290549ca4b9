import { TrailDescription } from '@lineage/plugin-dynamodb-lineage-common';
import { TrailObservation } from '../provider/selectTrails';

/** A trail as DescribeTrails reports it; `overrides` change single fields. */
export function trailDescription(
  accountId: string,
  homeRegion: string,
  name: string,
  overrides: Partial<TrailDescription> = {},
): TrailDescription {
  return {
    name,
    arn: `arn:aws:cloudtrail:${homeRegion}:${accountId}:trail/${name}`,
    accountId,
    homeRegion,
    s3BucketName: `${name}-logs-${accountId}`,
    isMultiRegionTrail: false,
    includeGlobalServiceEvents: false,
    isOrganizationTrail: false,
    logFileValidationEnabled: true,
    ...overrides,
  };
}

export function observation(
  trail: TrailDescription,
  observedFrom: { accountId: string; region: string },
  tags?: Record<string, string>,
): TrailObservation {
  return {
    trail,
    observedFrom,
    tags: tags
      ? { ok: true, value: tags }
      : { ok: false, code: 'ShadowTrail', error: 'not read here' },
  };
}
