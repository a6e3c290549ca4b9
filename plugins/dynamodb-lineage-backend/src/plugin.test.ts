import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { PAYMENTS, demoEntities } from './__testUtils__/demoCatalog';
import { dynamoDbLineagePlugin } from './plugin';

/** Nothing listens here: no test in this file may reach AWS. */
const config = {
  dynamodbLineage: {
    aws: { endpoint: 'http://127.0.0.1:9', maxAttempts: 1 },
    regions: ['us-east-1'],
  },
};

type Features = NonNullable<Parameters<typeof startTestBackend>[0]['features']>;

async function startBackend(
  features: Features = [],
  catalog: Features[number] = catalogServiceMock.factory({
    entities: demoEntities(),
  }),
) {
  const { server } = await startTestBackend({
    features: [
      dynamoDbLineagePlugin,
      mockServices.rootConfig.factory({ data: config }),
      // Requests without a token are anonymous, not the default mock user.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      catalog,
      ...features,
    ],
  });
  return server;
}

const user = mockCredentials.user.header('user:default/alice');

const READ_ROUTES: Array<['get' | 'post', string]> = [
  ['get', '/teams'],
  ['get', '/teams/default/team-payments'],
  ['get', '/entity-status?entityRef=group:default/team-payments'],
  [
    'get',
    '/trails/health?arn=arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage',
  ],
  [
    'get',
    '/trails/forecast?arn=arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage',
  ],
  ['get', '/accounts?owner=group:default/team-payments'],
  ['get', '/tables?accountId=111111111111&region=us-east-1'],
  ['post', '/plan'],
  [
    'get',
    '/lineage?tableArn=arn:aws:dynamodb:us-east-1:111111111111:table/payments',
  ],
  ['get', '/lineage/graph?entityRef=component:default/payments-api'],
  [
    'get',
    '/lineage/table?tableArn=arn:aws:dynamodb:us-east-1:111111111111:table/payments',
  ],
  ['get', '/lineage/relations'],
];

describe('dynamodb-lineage backend plugin: access and input', () => {
  it('answers /health to a signed-in user and refuses anonymous callers', async () => {
    const server = await startBackend();
    const signedIn = await request(server)
      .get('/api/dynamodb-lineage/health')
      .set('Authorization', user);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual({ status: 'ok' });

    const anonymous = await request(server).get('/api/dynamodb-lineage/health');
    expect(anonymous.status).toBe(401);
  });

  it('schedules the refresh once across replicas, every 5 minutes by default', async () => {
    const scheduler = mockServices.scheduler.mock();
    await startBackend([scheduler.factory]);
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'dynamodb-lineage-refresh',
        scope: 'global',
        frequency: { minutes: 5 },
        timeout: { minutes: 4 },
        fn: expect.any(Function),
      }),
    );
  });

  it('refuses every route without credentials (401)', async () => {
    const server = await startBackend();
    for (const [method, path] of [
      ...READ_ROUTES,
      ['post', '/refresh'] as const,
    ]) {
      const res = await request(server)[method](`/api/dynamodb-lineage${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
    }
  });

  it('answers 403 on every status route when dynamodb-lineage.status.read is denied', async () => {
    const authorize = jest.fn(async () => [
      { result: AuthorizeResult.DENY } as const,
    ]);
    const server = await startBackend([
      mockServices.permissions.mock({ authorize }).factory,
    ]);
    for (const [method, path] of READ_ROUTES) {
      const res = await request(server)
        [method](`/api/dynamodb-lineage${path}`)
        .set('Authorization', user);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(res.body.error.message).toContain('dynamodb-lineage.status.read');
    }
    expect(authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'dynamodb-lineage.status.read',
          }),
        },
      ],
      {
        credentials: expect.objectContaining({
          principal: expect.objectContaining({
            userEntityRef: 'user:default/alice',
          }),
        }),
      },
    );
  });

  it('answers 403 on /refresh without dynamodb-lineage.status.refresh, and audits the refusal', async () => {
    const authorize = jest.fn(
      async (requests: Array<{ permission: { name: string } }>) =>
        requests.map(r => ({
          result:
            r.permission.name === 'dynamodb-lineage.status.read'
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        })),
    );
    const fail = jest.fn();
    const createEvent = jest.fn(async () => ({ success: jest.fn(), fail }));
    const server = await startBackend([
      mockServices.permissions.mock({ authorize: authorize as any }).factory,
      mockServices.auditor.mock({ createEvent }).factory,
    ]);

    const teams = await request(server)
      .get('/api/dynamodb-lineage/teams')
      .set('Authorization', user);
    expect(teams.status).toBe(200);

    const res = await request(server)
      .post('/api/dynamodb-lineage/refresh')
      .set('Authorization', user)
      .send({ entityRef: PAYMENTS });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('dynamodb-lineage.status.refresh');
    expect(createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'refresh',
        meta: { queryType: 'by-entity', entityRef: PAYMENTS },
      }),
    );
    expect(fail).toHaveBeenCalledWith({
      error: expect.objectContaining({ name: 'NotAllowedError' }),
    });
  });

  it.each([
    ['/teams/default/bad..name', 'name'],
    ['/entity-status', 'entityRef'],
    ['/entity-status?entityRef=no-kind', 'entityRef'],
    ['/trails/health?arn=arn:aws:s3:::bucket', 'arn'],
    ['/accounts?owner=user:default/alice', 'owner'],
    ['/tables?accountId=1234&region=us-east-1', 'accountId'],
    ['/tables?accountId=111111111111&region=mars-1', 'region'],
    [
      '/lineage?tableArn=arn:aws:dynamodb:us-east-1:111111111111:table/payments&hours=169',
      'hours',
    ],
    [
      '/lineage?tableArn=arn:aws:dynamodb:us-east-1:111111111111:table/payments&hours=abc',
      'hours',
    ],
    ['/lineage?tableArn=orders', 'tableArn'],
  ])('answers 400 naming the field for GET %s', async (path, field) => {
    const server = await startBackend();
    const res = await request(server)
      .get(`/api/dynamodb-lineage${path}`)
      .set('Authorization', user);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain(`${field}:`);
  });

  it.each([
    [{}, 'accountId'],
    [
      {
        accountId: '111111111111',
        region: 'us-east-1',
        owner: PAYMENTS,
        colour: 'red',
      },
      'colour',
    ],
    [
      {
        accountId: '111111111111',
        region: 'us-east-1',
        owner: PAYMENTS,
        scope: { mode: 'tables', tableArns: [] },
      },
      'scope.tableArns',
    ],
    [
      {
        accountId: '111111111111',
        region: 'us-east-1',
        owner: PAYMENTS,
        readWriteType: 'Some',
      },
      'readWriteType',
    ],
  ])('answers 400 naming the field for POST /plan %j', async (body, field) => {
    const server = await startBackend();
    const res = await request(server)
      .post('/api/dynamodb-lineage/plan')
      .set('Authorization', user)
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
  });

  it('answers 400 for a plan the node library refuses, naming the field', async () => {
    const server = await startBackend();
    const res = await request(server)
      .post('/api/dynamodb-lineage/plan')
      .set('Authorization', user)
      .send({
        accountId: '111111111111',
        region: 'us-east-1',
        owner: PAYMENTS,
        bucketName: 'Bad_Bucket',
      });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('bucketName');
  });

  it('answers 400 on /refresh with a malformed entity ref', async () => {
    const server = await startBackend();
    const res = await request(server)
      .post('/api/dynamodb-lineage/refresh')
      .set('Authorization', user)
      .send({ entityRef: 42 });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('entityRef');
  });

  it('answers 404 for a team the catalog does not know, and reads it with the caller credentials', async () => {
    const catalog = catalogServiceMock({ entities: demoEntities() });
    const getEntityByRef = jest.fn(
      (
        ref: Parameters<typeof catalog.getEntityByRef>[0],
        options: Parameters<typeof catalog.getEntityByRef>[1],
      ) => catalog.getEntityByRef(ref, options),
    );
    const server = await startBackend(
      [],
      catalogServiceMock.mock({ getEntityByRef }).factory,
    );
    const res = await request(server)
      .get('/api/dynamodb-lineage/teams/default/team-nobody')
      .set('Authorization', user);
    expect(res.status).toBe(404);
    expect(getEntityByRef).toHaveBeenCalledWith('group:default/team-nobody', {
      credentials: expect.objectContaining({
        principal: expect.objectContaining({
          userEntityRef: 'user:default/alice',
        }),
      }),
    });
  });

  it('lists the accounts a team owns, from the catalog', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get(
        `/api/dynamodb-lineage/accounts?owner=${encodeURIComponent(PAYMENTS)}`,
      )
      .set('Authorization', user);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accounts: [
        {
          entityRef: 'resource:default/aws-payments-prod',
          accountId: '111111111111',
          title: 'payments-prod (111111111111)',
          regions: ['us-east-1', 'eu-west-1'],
        },
      ],
    });
  });

  it('shows account-regions nobody has checked yet as unknown, never healthy', async () => {
    const server = await startBackend();
    const team = await request(server)
      .get('/api/dynamodb-lineage/teams/default/team-payments')
      .set('Authorization', user);
    expect(team.status).toBe(200);
    expect(team.body.team).toMatchObject({
      entityRef: PAYMENTS,
      title: 'Payments',
      status: 'unknown',
      accountRegions: 2,
    });
    expect(
      team.body.accountRegions.map((a: any) => `${a.region}=${a.status}`),
    ).toEqual(['eu-west-1=unknown', 'us-east-1=unknown']);

    const overview = await request(server)
      .get('/api/dynamodb-lineage/teams')
      .set('Authorization', user);
    expect(overview.body).toEqual({
      teams: [],
      counts: {
        healthy: 0,
        degraded: 0,
        failing: 0,
        unknown: 0,
        'not-enabled': 0,
        pending: 0,
      },
      coverage: 0,
    });

    const trail = await request(server)
      .get(
        '/api/dynamodb-lineage/trails/health?arn=arn:aws:cloudtrail:us-east-1:111111111111:trail/none',
      )
      .set('Authorization', user);
    expect(trail.status).toBe(404);
  });

  it('refuses tables (404) and plans (403) in accounts the caller cannot see', async () => {
    const server = await startBackend();
    const tables = await request(server)
      .get(
        '/api/dynamodb-lineage/tables?accountId=999999999999&region=us-east-1',
      )
      .set('Authorization', user);
    expect(tables.status).toBe(404);
    const plan = await request(server)
      .post('/api/dynamodb-lineage/plan')
      .set('Authorization', user)
      .send({
        accountId: '999999999999',
        region: 'us-east-1',
        owner: PAYMENTS,
      });
    expect(plan.status).toBe(403);
    expect(plan.body.error.message).toContain(
      'Cannot provision lineage tracking in AWS account 999999999999',
    );
  });
});
