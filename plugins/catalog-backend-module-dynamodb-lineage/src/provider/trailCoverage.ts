import { trailReachesAccountRegion } from '@lineage/plugin-dynamodb-lineage-common';
import { AwsAccount } from '@lineage/plugin-dynamodb-lineage-node';
import { TrailObservation } from './selectTrails';

/** A listed account-region that at least one trail logs. */
export interface CoveredAccountRegion {
  account: AwsAccount;
  region: string;
  /** The trails that log it, sorted. */
  trailArns: string[];
}

/** Which account-regions the trails of one discovery run log. */
export interface TrailCoverage {
  /** In account, then region order. */
  covered: CoveredAccountRegion[];
  /**
   * Accounts whose trails are not known: AWS did not answer for them and this
   * instance remembers no earlier answer. Whether they are covered is unknown.
   */
  unknownAccounts: string[];
}

/**
 * The account-regions of the listed accounts that a trail logs: a trail seen
 * from the account (its own, or an organization trail it is a member of) whose
 * reach includes the region. Event selectors are not read here: an account-region
 * counts as covered when a trail logs it at all.
 */
export function trailCoverage(
  accounts: AwsAccount[],
  observations: TrailObservation[],
  unknownAccounts: string[],
): TrailCoverage {
  const unknown = new Set(unknownAccounts);
  const covered: CoveredAccountRegion[] = [];
  for (const account of [...accounts].sort((a, b) =>
    a.accountId.localeCompare(b.accountId),
  )) {
    if (unknown.has(account.accountId)) continue;
    const trails = new Map(
      observations
        .filter(o => o.observedFrom.accountId === account.accountId)
        .map(o => [o.trail.arn, o.trail]),
    );
    for (const region of [...new Set(account.regions)].sort()) {
      const trailArns = [...trails.values()]
        .filter(trail =>
          trailReachesAccountRegion(trail, account.accountId, region),
        )
        .map(trail => trail.arn)
        .sort();
      if (trailArns.length > 0) covered.push({ account, region, trailArns });
    }
  }
  return { covered, unknownAccounts: [...unknown].sort() };
}
