import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  EntityStatus,
  ForensicsQueryCreated,
  ForensicsQueryInput,
  ForensicsQueryResponse,
  LineageGraph,
  LineageGraphRoot,
  LineageRequest,
  OwnedAccount,
  Plan,
  TableActivity,
  TableLineage,
  TeamsOverview,
  TeamStatus,
  TrailForecastComparison,
  TrailHealth,
  TrailHistoryPoint,
} from '@lineage/plugin-dynamodb-lineage-common';

/**
 * What the template sends to `POST /plan`: the provisioning request the
 * common package's schema defines. The backend fills in the defaults, so
 * everything but the account, region and owner is optional.
 */
export type PlanRequest = LineageRequest;

/** A trail's current health and the stored history of its checks. */
export interface TrailHealthWithHistory {
  health: TrailHealth;
  history: TrailHistoryPoint[];
}

/**
 * `GET /lineage/graph`: start at an entity or a table, walk writer → table →
 * reader `depth` table hops each way over the last `days` days.
 */
export type LineageGraphQuery = LineageGraphRoot & {
  days?: number;
  depth?: number;
};

/**
 * The frontend's view of the `dynamodb-lineage` backend. One method per REST
 * route; every method rejects with a `ResponseError` when the backend does.
 *
 * @public
 */
export interface DynamoDbLineageApi {
  /** `GET /teams`: every team with its summary, the counters and coverage. */
  getTeams(): Promise<TeamsOverview>;
  /** `GET /teams/:namespace/:name`: one team with its account-regions. */
  getTeam(ref: { namespace: string; name: string }): Promise<TeamStatus>;
  /** `GET /entity-status`: the status behind an entity page's card. */
  getEntityStatus(entityRef: string): Promise<EntityStatus>;
  /** `GET /trails/health`: a trail's scorecard and history. */
  getTrailHealth(trailArn: string): Promise<TrailHealthWithHistory>;
  /** `GET /trails/forecast`: DynamoDB's metrics forecast next to what the trail's logs showed. */
  getTrailForecast(trailArn: string): Promise<TrailForecastComparison>;
  /** `GET /accounts`: the AWS accounts owned by a team. */
  getAccounts(owner: string): Promise<OwnedAccount[]>;
  /** `GET /tables`: table ARNs of an account-region, read live from AWS. */
  getTables(query: { accountId: string; region: string }): Promise<string[]>;
  /** `POST /plan`: what provisioning would create or change. */
  getPlan(request: PlanRequest): Promise<Plan>;
  /** `GET /lineage`: who read and wrote a table in the last `hours`. */
  getTableLineage(query: {
    tableArn: string;
    hours?: number;
  }): Promise<TableLineage>;
  /** `GET /lineage/graph`: stored lineage around an entity or a table, with findings. */
  getLineageGraph(query: LineageGraphQuery): Promise<LineageGraph>;
  /** `GET /lineage/table`: a table's daily calls per caller over the last `days` days. */
  getTableActivity(query: {
    tableArn: string;
    days?: number;
  }): Promise<TableActivity>;
  /** `POST /forensics/queries`: start an item-history or principal-activity query. */
  startForensicsQuery(
    query: ForensicsQueryInput,
  ): Promise<ForensicsQueryCreated>;
  /** `GET /forensics/queries/:id`: status, bytes scanned, cost and one page of rows. */
  getForensicsQuery(
    id: string,
    page?: { nextToken?: string; pageSize?: number },
  ): Promise<ForensicsQueryResponse>;
  /** `POST /forensics/queries/:id/cancel`: stop a query that has not finished. */
  cancelForensicsQuery(id: string): Promise<ForensicsQueryResponse>;
  /** `POST /refresh`: re-inspect now; all teams when `entityRef` is absent. */
  refresh(entityRef?: string): Promise<{ refreshed: number }>;
}

/** @public */
export const dynamoDbLineageApiRef = createApiRef<DynamoDbLineageApi>({
  id: 'plugin.dynamodb-lineage.service',
});
