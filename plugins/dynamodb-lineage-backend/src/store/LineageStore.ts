import {
  AccountRegionStatus,
  CanaryCall,
  CanarySighting,
  EventSelectors,
  OverallStatus,
  TeamStatus,
  TeamSummary,
  TrailDescription,
  TrailHealth,
  TrailHistoryPoint,
} from '@lineage/plugin-dynamodb-lineage-common';

/** An account and region, the unit the refresh inspects. */
export interface AccountRegionKey {
  accountId: string;
  region: string;
}

/** A trail's latest health with what it was judged from. */
export interface StoredTrail {
  health: TrailHealth;
  description: TrailDescription;
  /** Absent when AWS did not answer GetEventSelectors. */
  selectors?: EventSelectors;
}

/** A trail reaching an account-region, judged with that account-region as scope. */
export interface TrailObservation {
  arn: string;
  status: OverallStatus;
  latestDeliveryTime?: string;
}

export interface StoredAccountRegion {
  status: AccountRegionStatus;
  /** Every trail that reaches the account-region, not only the covering one. */
  trails: TrailObservation[];
}

/** A canary call the refresh made in an account-region. */
export interface MadeCanaryCall extends AccountRegionKey {
  requestId: string;
  calledAt: string;
}

/**
 * Canary calls and where they arrived. A call is made once per refresh per
 * covered account-region; each trail that reaches the account-region finds it
 * (or not) in its own logs.
 */
export interface CanaryLedger {
  recordCanaryCall(call: MadeCanaryCall): Promise<void>;
  /** Marks the sightings that match a recorded call as arrived in `trailArn`'s logs; others are ignored. */
  recordCanaryArrivals(
    trailArn: string,
    sightings: CanarySighting[],
  ): Promise<void>;
  /** The account-region's calls made at or after `since`, newest first, with their arrival in `trailArn`'s logs. */
  getCanaryCalls(
    key: AccountRegionKey & { trailArn: string; since: string },
  ): Promise<CanaryCall[]>;
  /** Forgets calls made, and arrivals of events, before `before`. */
  pruneCanaryCalls(before: string): Promise<void>;
}

/** Where refresh results live between refreshes; read by the API. */
export interface LineageStore extends CanaryLedger {
  /** Replaces the latest health of each trail and appends one history point per trail. */
  saveTrails(trails: StoredTrail[]): Promise<void>;
  saveAccountRegions(accountRegions: StoredAccountRegion[]): Promise<void>;
  /** Replaces the whole team snapshot: teams absent from `teams` are gone. */
  replaceTeams(teams: TeamStatus[], refreshedAt: string): Promise<void>;

  getTrail(trailArn: string): Promise<StoredTrail | undefined>;
  getTrails(trailArns: string[]): Promise<StoredTrail[]>;
  /** Every stored trail. */
  listTrails(): Promise<StoredTrail[]>;
  /** Every stored account-region. */
  listAccountRegions(): Promise<StoredAccountRegion[]>;
  /** Oldest first, at most the retained number of points. */
  getTrailHistory(trailArn: string): Promise<TrailHistoryPoint[]>;
  getAccountRegions(keys: AccountRegionKey[]): Promise<StoredAccountRegion[]>;
  getTeamSummaries(): Promise<{ teams: TeamSummary[]; refreshedAt?: string }>;
  getTeam(entityRef: string): Promise<TeamStatus | undefined>;
}
