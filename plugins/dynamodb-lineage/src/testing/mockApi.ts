import type { DynamoDbLineageApi } from '../api/DynamoDbLineageApi';

/**
 * A `DynamoDbLineageApi` whose every method fails loudly unless the test
 * says what it answers, so an unexpected call cannot pass unnoticed.
 */
export function mockLineageApi(
  answers: Partial<DynamoDbLineageApi> = {},
): jest.Mocked<DynamoDbLineageApi> {
  const unexpected = (method: string) =>
    jest.fn(async () => {
      throw new Error(`unexpected call to ${method}`);
    });
  const api = {
    getTeams: unexpected('getTeams'),
    getTeam: unexpected('getTeam'),
    getEntityStatus: unexpected('getEntityStatus'),
    getTrailHealth: unexpected('getTrailHealth'),
    getTrailForecast: unexpected('getTrailForecast'),
    getAccounts: unexpected('getAccounts'),
    getTables: unexpected('getTables'),
    getPlan: unexpected('getPlan'),
    getTableLineage: unexpected('getTableLineage'),
    getLineageGraph: unexpected('getLineageGraph'),
    getTableActivity: unexpected('getTableActivity'),
    startForensicsQuery: unexpected('startForensicsQuery'),
    getForensicsQuery: unexpected('getForensicsQuery'),
    cancelForensicsQuery: unexpected('cancelForensicsQuery'),
    refresh: unexpected('refresh'),
  } as unknown as jest.Mocked<DynamoDbLineageApi>;
  for (const [name, impl] of Object.entries(answers)) {
    (api as unknown as Record<string, jest.Mock>)[name] = jest.fn(
      impl as (...args: unknown[]) => unknown,
    );
  }
  return api;
}

/** A ResponseError-shaped rejection built from a real backend error body. */
export function errorResponse(
  status: number,
  name: string,
  message: string,
): Response {
  return new Response(
    JSON.stringify({
      error: { name, message },
      response: { statusCode: status },
    }),
    {
      status,
      statusText: name,
      headers: { 'content-type': 'application/json' },
    },
  );
}
