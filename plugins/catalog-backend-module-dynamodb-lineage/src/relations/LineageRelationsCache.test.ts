import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { mockServices } from '@backstage/backend-test-utils';
import { LineageRelationsCache } from './LineageRelationsCache';

const ORDERS = 'arn:aws:dynamodb:us-east-1:222222222222:table/orders';

describe('LineageRelationsCache', () => {
  let server: Server;
  let baseUrl: string;
  let answer: { status: number; body: unknown };
  const requests: { url?: string; authorization?: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({ url: req.url, authorization: req.headers.authorization });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });
  beforeEach(() => {
    requests.length = 0;
  });

  function cache(url = baseUrl) {
    const logger = mockServices.logger.mock();
    const relations = new LineageRelationsCache({
      auth: mockServices.auth({ pluginId: 'catalog' }),
      discovery: mockServices.discovery.mock({
        getBaseUrl: async pluginId => `${url}/api/${pluginId}`,
      }),
      logger,
      windowDays: 14,
    });
    return { relations, logger };
  }

  const good = {
    window: { days: 14, from: '2026-11-18', to: '2026-12-01' },
    relations: [
      {
        entityRef: 'component:default/payments-api',
        tableArn: ORDERS,
        access: 'write',
        calls: 12,
        lastSeen: '2026-12-01T10:00:00.000Z',
      },
    ],
  };

  it('reads the whole set once with a service token for the lineage plugin and answers per entity from memory', async () => {
    answer = { status: 200, body: good };
    const { relations } = cache();
    expect(relations.hasLoaded()).toBe(false);
    expect(await relations.reload()).toBe(true);

    expect(requests).toEqual([
      {
        url: '/api/dynamodb-lineage/lineage/relations?days=14',
        authorization: expect.stringMatching(/^Bearer .+/),
      },
    ]);
    expect(requests[0].authorization).toContain('dynamodb-lineage');
    expect(relations.relationsOf('Component:default/Payments-API')).toEqual(
      good.relations,
    );
    expect(relations.relationsOf('component:default/other')).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('keeps the last set and warns when the backend answers an error, or is unreachable', async () => {
    answer = { status: 200, body: good };
    const { relations, logger } = cache();
    await relations.reload();

    answer = { status: 503, body: { error: { message: 'starting' } } };
    expect(await relations.reload()).toBe(false);
    expect(relations.relationsOf('component:default/payments-api')).toEqual(
      good.relations,
    );
    expect(logger.warn).toHaveBeenLastCalledWith(
      expect.stringMatching(/answered 503.*keeping the last set$/),
    );

    const unreachable = cache('http://127.0.0.1:1');
    expect(await unreachable.relations.reload()).toBe(false);
    expect(unreachable.relations.hasLoaded()).toBe(false);
    expect(unreachable.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('keeping none (no set was read yet)'),
    );
  });

  it('drops malformed relations with one warning and keeps an answer without a list from replacing the set', async () => {
    answer = {
      status: 200,
      body: {
        ...good,
        relations: [
          ...good.relations,
          { ...good.relations[0], access: 'delete' },
          { ...good.relations[0], tableArn: 'arn:aws:s3:::bucket' },
          { ...good.relations[0], entityRef: 42 },
          null,
        ],
      },
    };
    const { relations, logger } = cache();
    expect(await relations.reload()).toBe(true);
    expect(relations.relationsOf('component:default/payments-api')).toEqual(
      good.relations,
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/^Ignored 4 of 5 data-flow relations/),
    );

    answer = { status: 200, body: { relations: 'none' } };
    expect(await relations.reload()).toBe(false);
    expect(relations.relationsOf('component:default/payments-api')).toEqual(
      good.relations,
    );
  });
});
