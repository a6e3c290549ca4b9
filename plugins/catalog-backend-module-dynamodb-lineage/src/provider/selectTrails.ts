import { TrailState } from '@lineage/plugin-dynamodb-lineage-common';

/** What the provider needs to know about a trail seen from one account-region. */
export type TrailObservation = Pick<
  TrailState,
  'trail' | 'observedFrom' | 'tags'
>;

/** One trail after deduplication by ARN. */
export interface SelectedTrail extends TrailObservation {
  /** Every account the trail was seen from, sorted; more than one for organization trails. */
  observers: string[];
}

/**
 * One entry per trail ARN. DescribeTrails with shadow trails shows a multi-region
 * trail in every region and an organization trail in every member account; the
 * observation from the trail's own account and home region is the authoritative
 * one (only there are its tags readable). Without it, the trail's own account
 * is preferred, then the first observer in a stable order, so repeated runs emit
 * the same entity.
 */
export function selectTrails(
  observations: TrailObservation[],
): SelectedTrail[] {
  const byArn = new Map<string, TrailObservation[]>();
  for (const observation of observations) {
    const seen = byArn.get(observation.trail.arn) ?? [];
    seen.push(observation);
    byArn.set(observation.trail.arn, seen);
  }
  return [...byArn.values()]
    .map(seen => {
      const [chosen] = [...seen].sort(
        (a, b) =>
          rank(a) - rank(b) || observerKey(a).localeCompare(observerKey(b)),
      );
      const readableTags = seen.find(o => o.tags.ok)?.tags ?? chosen.tags;
      return {
        trail: chosen.trail,
        observedFrom: chosen.observedFrom,
        tags: chosen.tags.ok ? chosen.tags : readableTags,
        observers: [...new Set(seen.map(o => o.observedFrom.accountId))].sort(),
      };
    })
    .sort((a, b) => a.trail.arn.localeCompare(b.trail.arn));
}

/** True when the trail was seen where it lives, not as a shadow. */
export function isHomeObservation(observation: TrailObservation): boolean {
  const { trail, observedFrom } = observation;
  return (
    observedFrom.accountId === trail.accountId &&
    observedFrom.region === trail.homeRegion
  );
}

function rank(observation: TrailObservation): number {
  if (isHomeObservation(observation)) return 0;
  if (observation.observedFrom.accountId === observation.trail.accountId) {
    return 1;
  }
  return 2;
}

function observerKey(observation: TrailObservation): string {
  return `${observation.observedFrom.accountId}/${observation.observedFrom.region}`;
}
