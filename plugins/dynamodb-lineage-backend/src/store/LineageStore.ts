import {
  AccountRegionStatus,
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

/** Where refresh results live between refreshes; read by the API. */
export interface LineageStore {
  /** Replaces the latest health of each trail and appends one history point per trail. */
  saveTrails(trails: StoredTrail[]): Promise<void>;
  saveAccountRegions(accountRegions: StoredAccountRegion[]): Promise<void>;
  /** Replaces the whole team snapshot: teams absent from `teams` are gone. */
  replaceTeams(teams: TeamStatus[], refreshedAt: string): Promise<void>;

  getTrail(trailArn: string): Promise<StoredTrail | undefined>;
  getTrails(trailArns: string[]): Promise<StoredTrail[]>;
  /** Oldest first, at most the retained number of points. */
  getTrailHistory(trailArn: string): Promise<TrailHistoryPoint[]>;
  getAccountRegions(keys: AccountRegionKey[]): Promise<StoredAccountRegion[]>;
  getTeamSummaries(): Promise<{ teams: TeamSummary[]; refreshedAt?: string }>;
  getTeam(entityRef: string): Promise<TeamStatus | undefined>;
}
