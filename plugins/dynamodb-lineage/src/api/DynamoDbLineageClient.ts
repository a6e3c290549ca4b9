import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  EntityStatus,
  ForensicsQueryCreated,
  ForensicsQueryInput,
  ForensicsQueryResponse,
  LineageGraph,
  OwnedAccount,
  Plan,
  TableActivity,
  TableLineage,
  TeamsOverview,
  TeamStatus,
  TrailForecastComparison,
} from '@lineage/plugin-dynamodb-lineage-common';
import type {
  DynamoDbLineageApi,
  LineageGraphQuery,
  PlanRequest,
  TrailHealthWithHistory,
} from './DynamoDbLineageApi';

const PLUGIN_ID = 'dynamodb-lineage';

/**
 * Talks to the backend plugin through the app's discovery and fetch APIs, so
 * the user's Backstage token travels with every request.
 *
 * @public
 */
export class DynamoDbLineageClient implements DynamoDbLineageApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getTeams(): Promise<TeamsOverview> {
    return this.request('/teams');
  }

  getTeam(ref: { namespace: string; name: string }): Promise<TeamStatus> {
    return this.request(
      `/teams/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(
        ref.name,
      )}`,
    );
  }

  getEntityStatus(entityRef: string): Promise<EntityStatus> {
    return this.request(`/entity-status?${query({ entityRef })}`);
  }

  getTrailHealth(trailArn: string): Promise<TrailHealthWithHistory> {
    return this.request(`/trails/health?${query({ arn: trailArn })}`);
  }

  getTrailForecast(trailArn: string): Promise<TrailForecastComparison> {
    return this.request(`/trails/forecast?${query({ arn: trailArn })}`);
  }

  async getAccounts(owner: string): Promise<OwnedAccount[]> {
    const body = await this.request<{ accounts: OwnedAccount[] }>(
      `/accounts?${query({ owner })}`,
    );
    return body.accounts;
  }

  async getTables(q: { accountId: string; region: string }): Promise<string[]> {
    const body = await this.request<{ tables: string[] }>(
      `/tables?${query(q)}`,
    );
    return body.tables;
  }

  getPlan(request: PlanRequest): Promise<Plan> {
    return this.request('/plan', { method: 'POST', body: request });
  }

  getTableLineage(q: {
    tableArn: string;
    hours?: number;
  }): Promise<TableLineage> {
    const params: Record<string, string> = { tableArn: q.tableArn };
    if (q.hours !== undefined) params.hours = String(q.hours);
    return this.request(`/lineage?${query(params)}`);
  }

  getLineageGraph(q: LineageGraphQuery): Promise<LineageGraph> {
    const params: Record<string, string> =
      'entityRef' in q ? { entityRef: q.entityRef } : { tableArn: q.tableArn };
    if (q.days !== undefined) params.days = String(q.days);
    if (q.depth !== undefined) params.depth = String(q.depth);
    return this.request(`/lineage/graph?${query(params)}`);
  }

  getTableActivity(q: {
    tableArn: string;
    days?: number;
  }): Promise<TableActivity> {
    const params: Record<string, string> = { tableArn: q.tableArn };
    if (q.days !== undefined) params.days = String(q.days);
    return this.request(`/lineage/table?${query(params)}`);
  }

  startForensicsQuery(q: ForensicsQueryInput): Promise<ForensicsQueryCreated> {
    return this.request('/forensics/queries', { method: 'POST', body: q });
  }

  getForensicsQuery(
    id: string,
    page: { nextToken?: string; pageSize?: number } = {},
  ): Promise<ForensicsQueryResponse> {
    const params: Record<string, string> = {};
    if (page.nextToken !== undefined) params.nextToken = page.nextToken;
    if (page.pageSize !== undefined) params.pageSize = String(page.pageSize);
    const search = query(params);
    return this.request(
      `/forensics/queries/${encodeURIComponent(id)}${
        search ? `?${search}` : ''
      }`,
    );
  }

  cancelForensicsQuery(id: string): Promise<ForensicsQueryResponse> {
    return this.request(`/forensics/queries/${encodeURIComponent(id)}/cancel`, {
      method: 'POST',
    });
  }

  refresh(entityRef?: string): Promise<{ refreshed: number }> {
    return this.request('/refresh', {
      method: 'POST',
      body: entityRef ? { entityRef } : {},
    });
  }

  private async request<T>(
    path: string,
    options: { method?: 'GET' | 'POST'; body?: unknown } = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl(PLUGIN_ID);
    const init: RequestInit = { method: options.method ?? 'GET' };
    if (options.body !== undefined) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(options.body);
    }
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}
