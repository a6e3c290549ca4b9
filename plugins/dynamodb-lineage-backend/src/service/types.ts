import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  EntityStatus,
  OwnedAccount,
  Plan,
  TableLineage,
  TeamStatus,
  TeamsOverview,
  TrailHealth,
  TrailHistoryPoint,
  TrailForecastComparison,
} from '@lineage/plugin-dynamodb-lineage-common';
import { PlanBody } from './validation';

/** What the REST API reads. Catalog lookups use the caller's credentials. */
export interface LineageStatusService {
  /** Only the teams the caller may read in the catalog. */
  getTeamsOverview(credentials: BackstageCredentials): Promise<TeamsOverview>;
  /** Throws `NotFoundError` when the group is unknown or hidden from the caller. */
  getTeamStatus(
    teamRef: string,
    credentials: BackstageCredentials,
  ): Promise<TeamStatus>;
  getEntityStatus(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityStatus>;
  /** Throws `NotFoundError` when unknown or when the caller may not see the trail's account. */
  getTrailHealth(
    trailArn: string,
    credentials: BackstageCredentials,
  ): Promise<{ health: TrailHealth; history: TrailHistoryPoint[] }>;
  /** Throws `NotFoundError` when the owner group is unknown or hidden from the caller. */
  getOwnedAccounts(
    ownerRef: string,
    credentials: BackstageCredentials,
  ): Promise<OwnedAccount[]>;
}

/** What the REST API asks AWS at request time. Catalog lookups use the caller's credentials. */
export interface LiveLineageService {
  /** Table ARNs from DynamoDB ListTables; `ServiceUnavailableError` when AWS does not answer. */
  listTables(
    accountId: string,
    region: string,
    credentials: BackstageCredentials,
  ): Promise<string[]>;
  /**
   * The provisioning plan, computed from live state without changing anything.
   * Throws `NotAllowedError` before any AWS call when the caller may not
   * provision in the account or for the owner.
   */
  plan(input: PlanBody, credentials: BackstageCredentials): Promise<Plan>;
  getTableLineage(
    tableArn: string,
    hours: number,
    credentials: BackstageCredentials,
  ): Promise<TableLineage>;
  /**
   * A stored trail's forecast from DynamoDB's metrics next to the volume its
   * logs showed; `NotFoundError` for a trail no refresh has seen or whose
   * account the caller may not see.
   */
  getTrailForecast(
    trailArn: string,
    credentials: BackstageCredentials,
  ): Promise<TrailForecastComparison>;
}

/** Re-inspects AWS and stores the results. */
export interface LineageRefresher {
  /**
   * Everything, or the account-regions of one entity (group, component,
   * aws-account or trail resource) resolved with the given credentials.
   * Resolves to the number of account-regions inspected.
   */
  refresh(options?: {
    entityRef?: string;
    credentials?: BackstageCredentials;
  }): Promise<{ refreshed: number }>;
}
