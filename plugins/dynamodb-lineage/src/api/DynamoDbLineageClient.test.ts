import { ResponseError } from '@backstage/errors';
import {
  analyticsPlan,
  demoOverview,
  paymentsAccounts,
  paymentsLineage,
  paymentsTeam,
  trailHealth,
  trailHistory,
} from '../testing/fixtures';
import {
  paymentsGraph,
  paymentsTableActivity,
} from '../testing/lineageGraphFixtures';
import { DynamoDbLineageClient } from './DynamoDbLineageClient';

const BASE = 'http://backstage.test/api/dynamodb-lineage';

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function setup(response: Response) {
  const fetch = jest.fn(
    async (_input: RequestInfo | URL, _init?: RequestInit) => response,
  );
  const getBaseUrl = jest.fn(async (_pluginId: string) => BASE);
  const client = new DynamoDbLineageClient({
    discoveryApi: { getBaseUrl },
    fetchApi: { fetch: fetch as typeof globalThis.fetch },
  });
  return { client, fetch, getBaseUrl };
}

describe('DynamoDbLineageClient', () => {
  it('asks discovery for the dynamodb-lineage plugin and GETs /teams', async () => {
    const { client, fetch, getBaseUrl } = setup(jsonResponse(demoOverview));
    await expect(client.getTeams()).resolves.toEqual(demoOverview);
    expect(getBaseUrl).toHaveBeenCalledWith('dynamodb-lineage');
    expect(fetch).toHaveBeenCalledWith(`${BASE}/teams`, { method: 'GET' });
  });

  it('encodes the team ref into the path', async () => {
    const { client, fetch } = setup(jsonResponse(paymentsTeam));
    await expect(
      client.getTeam({ namespace: 'default', name: 'team payments/x' }),
    ).resolves.toEqual(paymentsTeam);
    expect(fetch.mock.calls[0][0]).toBe(
      `${BASE}/teams/default/team%20payments%2Fx`,
    );
  });

  it('passes entity refs, ARNs and account filters as query parameters', async () => {
    const status = setup(jsonResponse({ kind: 'team', team: paymentsTeam }));
    await status.client.getEntityStatus('group:default/team-payments');
    expect(status.fetch.mock.calls[0][0]).toBe(
      `${BASE}/entity-status?entityRef=group%3Adefault%2Fteam-payments`,
    );

    const trail = setup(
      jsonResponse({ health: trailHealth, history: trailHistory }),
    );
    await expect(
      trail.client.getTrailHealth(trailHealth.trail.arn),
    ).resolves.toEqual({ health: trailHealth, history: trailHistory });
    expect(trail.fetch.mock.calls[0][0]).toBe(
      `${BASE}/trails/health?arn=${encodeURIComponent(trailHealth.trail.arn)}`,
    );

    const forecast = setup(jsonResponse({ gap: false }));
    await forecast.client.getTrailForecast(trailHealth.trail.arn);
    expect(forecast.fetch.mock.calls[0][0]).toBe(
      `${BASE}/trails/forecast?arn=${encodeURIComponent(
        trailHealth.trail.arn,
      )}`,
    );

    const accounts = setup(jsonResponse({ accounts: paymentsAccounts }));
    await expect(
      accounts.client.getAccounts('group:default/team-payments'),
    ).resolves.toEqual(paymentsAccounts);
    expect(accounts.fetch.mock.calls[0][0]).toBe(
      `${BASE}/accounts?owner=group%3Adefault%2Fteam-payments`,
    );

    const tables = setup(jsonResponse({ tables: ['arn:a', 'arn:b'] }));
    await expect(
      tables.client.getTables({
        accountId: '111111111111',
        region: 'us-east-1',
      }),
    ).resolves.toEqual(['arn:a', 'arn:b']);
    expect(tables.fetch.mock.calls[0][0]).toBe(
      `${BASE}/tables?accountId=111111111111&region=us-east-1`,
    );

    const lineage = setup(jsonResponse(paymentsLineage));
    await expect(
      lineage.client.getTableLineage({
        tableArn: paymentsLineage.tableArn,
        hours: 24,
      }),
    ).resolves.toEqual(paymentsLineage);
    expect(lineage.fetch.mock.calls[0][0]).toBe(
      `${BASE}/lineage?tableArn=${encodeURIComponent(
        paymentsLineage.tableArn,
      )}&hours=24`,
    );
  });

  it('asks for the lineage graph from an entity or a table, with the window and depth when given', async () => {
    const byEntity = setup(jsonResponse(paymentsGraph));
    await expect(
      byEntity.client.getLineageGraph({
        entityRef: 'component:default/payments-api',
        days: 7,
        depth: 2,
      }),
    ).resolves.toEqual(paymentsGraph);
    expect(byEntity.fetch.mock.calls[0][0]).toBe(
      `${BASE}/lineage/graph?entityRef=component%3Adefault%2Fpayments-api&days=7&depth=2`,
    );

    const byTable = setup(jsonResponse(paymentsGraph));
    await byTable.client.getLineageGraph({
      tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/payments',
    });
    expect(byTable.fetch.mock.calls[0][0]).toBe(
      `${BASE}/lineage/graph?tableArn=${encodeURIComponent(
        'arn:aws:dynamodb:us-east-1:111111111111:table/payments',
      )}`,
    );
  });

  it('asks for a table activity over the given days', async () => {
    const { client, fetch } = setup(jsonResponse(paymentsTableActivity));
    const tableArn = paymentsTableActivity.table.tableArn;
    await expect(
      client.getTableActivity({ tableArn, days: 3 }),
    ).resolves.toEqual(paymentsTableActivity);
    expect(fetch.mock.calls[0][0]).toBe(
      `${BASE}/lineage/table?tableArn=${encodeURIComponent(tableArn)}&days=3`,
    );
  });

  it('POSTs the plan request as JSON', async () => {
    const { client, fetch } = setup(jsonResponse(analyticsPlan));
    const request = {
      owner: 'group:default/team-analytics',
      accountId: '444444444444',
      region: 'us-east-1',
      scope: { mode: 'all' as const },
    };
    await expect(client.getPlan(request)).resolves.toEqual(analyticsPlan);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${BASE}/plan`);
    expect(init?.method).toBe('POST');
    expect(init?.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(String(init?.body))).toEqual(request);
  });

  it('POSTs a refresh for everything or for one entity', async () => {
    const all = setup(jsonResponse({ refreshed: 6 }));
    await expect(all.client.refresh()).resolves.toEqual({ refreshed: 6 });
    expect(all.fetch.mock.calls[0][0]).toBe(`${BASE}/refresh`);
    expect(JSON.parse(String(all.fetch.mock.calls[0][1]?.body))).toEqual({});

    const one = setup(jsonResponse({ refreshed: 1 }));
    await one.client.refresh('group:default/team-orders');
    expect(JSON.parse(String(one.fetch.mock.calls[0][1]?.body))).toEqual({
      entityRef: 'group:default/team-orders',
    });
  });

  it('rejects with a ResponseError that carries the backend error', async () => {
    const { client } = setup(
      jsonResponse(
        {
          error: {
            name: 'NotFoundError',
            message: 'No team group:default/nope',
          },
          response: { statusCode: 404 },
        },
        404,
      ),
    );
    const error = await client
      .getTeam({ namespace: 'default', name: 'nope' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.cause.name).toBe('NotFoundError');
    expect(error.cause.message).toBe('No team group:default/nope');
  });

  it('rejects with a ResponseError when AWS cannot be asked for tables', async () => {
    const { client } = setup(
      jsonResponse(
        {
          error: {
            name: 'ServiceUnavailableError',
            message: 'AccessDenied on role backstage-dynamodb-lineage',
          },
          response: { statusCode: 503 },
        },
        503,
      ),
    );
    await expect(
      client.getTables({ accountId: '111111111111', region: 'us-east-1' }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 503,
    });
  });

  it('POSTs a forensics query, GETs its pages and POSTs its cancel, with the id in the path', async () => {
    const created = { id: 'q-1', status: 'queued', engine: 'logs' };
    const start = setup(jsonResponse(created, 202));
    const body = {
      kind: 'item-history' as const,
      tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/payments',
      key: { id: 'order#123' },
      from: '2026-03-01T00:00:00Z',
      to: '2026-03-02T00:00:00Z',
    };
    await expect(start.client.startForensicsQuery(body)).resolves.toEqual(
      created,
    );
    expect(start.fetch).toHaveBeenCalledWith(`${BASE}/forensics/queries`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

    const get = setup(jsonResponse({ id: 'q-1', rows: [] }));
    await get.client.getForensicsQuery('q/1', {
      nextToken: 'cm93czoy',
      pageSize: 50,
    });
    expect(get.fetch.mock.calls[0][0]).toBe(
      `${BASE}/forensics/queries/q%2F1?nextToken=cm93czoy&pageSize=50`,
    );
    const first = setup(jsonResponse({ id: 'q-1', rows: [] }));
    await first.client.getForensicsQuery('q-1');
    expect(first.fetch.mock.calls[0][0]).toBe(`${BASE}/forensics/queries/q-1`);

    const cancel = setup(jsonResponse({ id: 'q-1', status: 'cancelled' }));
    await cancel.client.cancelForensicsQuery('q-1');
    expect(cancel.fetch).toHaveBeenCalledWith(
      `${BASE}/forensics/queries/q-1/cancel`,
      { method: 'POST' },
    );
  });
});
