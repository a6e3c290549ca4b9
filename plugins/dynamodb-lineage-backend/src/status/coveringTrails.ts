import {
  evaluateCoverage,
  rankTrailCandidates,
} from '@lineage/plugin-dynamodb-lineage-common';
import { LineageStore, StoredAccountRegion } from '../store/LineageStore';

/**
 * Trails reaching the table's account-region whose stored selectors capture
 * every DynamoDB operation on the table, best first; `undetermined` when some
 * trail's selectors were not answered by AWS.
 */
export async function coveringTrails(
  store: Pick<LineageStore, 'getTrails'>,
  tableArn: string,
  accountRegion: StoredAccountRegion | undefined,
) {
  if (!accountRegion || accountRegion.trails.length === 0) {
    return { covering: [], undetermined: false };
  }
  const trails = await store.getTrails(accountRegion.trails.map(t => t.arn));
  let undetermined = false;
  const candidates = accountRegion.trails.flatMap(observation => {
    const stored = trails.find(t => t.description.arn === observation.arn);
    if (!stored?.selectors) {
      undetermined = true;
      return [];
    }
    const coverage = evaluateCoverage({
      trail: stored.description,
      selectors: stored.selectors,
      target: { kind: 'table', tableArn },
    });
    if (coverage.verdict !== 'covered') return [];
    return [
      {
        trail: stored.health.trail,
        status: observation.status,
        latestDeliveryTime: observation.latestDeliveryTime,
        observation,
        health: stored.health,
        description: stored.description,
      },
    ];
  });
  return { covering: rankTrailCandidates(candidates), undetermined };
}
