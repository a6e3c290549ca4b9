import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fc from 'fast-check';
import { readFileSync } from 'fs';
import { Server, createServer } from 'http';
import { AddressInfo } from 'net';
import { resolve as resolvePath } from 'path';
import request from 'supertest';
import { parse } from 'yaml';
import {
  ANALYTICS,
  EVENTS_TABLE,
  demoEntities,
} from './__testUtils__/demoCatalog';
import { dynamoDbLineagePlugin } from './plugin';

jest.setTimeout(120_000);

/*
 * Every parameter of every operation of the OpenAPI document, given
 * malformed values while the others stay valid: the answer is never a 5xx,
 * never carries a stack trace or a file path, and AWS is never called (an
 * HTTP server stands in for AWS and counts what reaches it).
 */

interface Operation {
  operationId: string;
  method: 'get' | 'post';
  path: string;
  parameters: Array<{ name: string; in: 'path' | 'query' }>;
  bodyProperties: string[];
}

const document = parse(
  readFileSync(resolvePath(__dirname, 'schema/openapi.yaml'), 'utf8'),
);

function resolveRef(schema: any): any {
  if (!schema?.$ref) return schema;
  const name = String(schema.$ref).replace('#/components/schemas/', '');
  return document.components.schemas[name];
}

const operations: Operation[] = Object.entries(document.paths).flatMap(
  ([path, item]: [string, any]) =>
    (['get', 'post'] as const)
      .filter(method => item[method])
      .map(method => {
        const op = item[method];
        const body = resolveRef(
          op.requestBody?.content?.['application/json']?.schema,
        );
        return {
          operationId: op.operationId,
          method,
          path,
          parameters: (op.parameters ?? []).map((p: any) => ({
            name: p.name,
            in: p.in,
          })),
          // A union body: the properties of every alternative.
          bodyProperties: [
            ...new Set(
              [body, ...(body?.oneOf ?? []).map(resolveRef)].flatMap(b =>
                Object.keys(b?.properties ?? {}),
              ),
            ),
          ],
        };
      }),
);

/** A valid request of each operation; the fuzz changes one parameter at a time. */
const VALID: Record<
  string,
  { params?: Record<string, string>; body?: Record<string, unknown> }
> = {
  GetHealth: {},
  GetTeams: {},
  GetTeam: { params: { namespace: 'default', name: 'team-analytics' } },
  GetEntityStatus: { params: { entityRef: ANALYTICS } },
  GetTrailHealth: {
    params: {
      arn: 'arn:aws:cloudtrail:us-east-1:444444444444:trail/dynamodb-lineage',
    },
  },
  GetTrailForecast: {
    params: {
      arn: 'arn:aws:cloudtrail:us-east-1:444444444444:trail/dynamodb-lineage',
    },
  },
  GetOwnedAccounts: { params: { owner: ANALYTICS } },
  GetTables: { params: { accountId: '444444444444', region: 'us-east-1' } },
  PostPlan: {
    body: { accountId: '444444444444', region: 'us-east-1', owner: ANALYTICS },
  },
  GetTableLineage: { params: { tableArn: EVENTS_TABLE, hours: '24' } },
  GetLineageGraph: {
    params: { tableArn: EVENTS_TABLE, days: '7', depth: '2' },
  },
  GetTableActivity: { params: { tableArn: EVENTS_TABLE, days: '7' } },
  GetLineageRelations: { params: { days: '30' } },
  PostRefresh: { body: { entityRef: ANALYTICS } },
  PostLineageBackfill: {
    body: {
      accountId: '111111111111',
      from: '2026-01-01',
      to: '2026-01-02',
      regions: ['us-east-1'],
    },
  },
  PostForensicsQuery: {
    body: {
      kind: 'item-history',
      tableArn: EVENTS_TABLE,
      key: { pk: 'a' },
      from: '2026-01-01T00:00:00Z',
      to: '2026-01-01T01:00:00Z',
    },
  },
  GetForensicsQuery: {
    params: { id: '00000000-0000-4000-8000-000000000000', pageSize: '10' },
  },
  CancelForensicsQuery: {
    params: { id: '00000000-0000-4000-8000-000000000000' },
  },
};

/** Strings no identifier, name, number or ARN accepts. */
const malformedString = fc.oneof(
  // Not whitespace: some fields are trimmed, and a trimmed value may be valid.
  fc.string().map(s => `<${s}`),
  fc.string({ minLength: 1 }).map(s => `${s}\u0000`),
  fc.string({ minLength: 1 }).map(s => `${s}\n${s}`),
  fc.constant('x'.repeat(10_000)),
  fc.constant('a'.repeat(301)),
);

/** Values for a query or path parameter: also values that fit some parameters but not all. */
const malformedParameter = fc.oneof(
  malformedString,
  fc.constantFrom(
    '',
    'foo',
    ':x',
    'group:default/',
    'group:/x',
    'user:default/alice',
    '1e2',
    '0x10',
    '-1',
    '5.0',
    '999999',
    '%',
    '__proto__',
    '../../etc/passwd',
    'arn:aws:kms:us-east-1:444444444444:key/not-a-uuid',
  ),
);

/** Values for a body property: wrong JSON types as well as malformed strings. */
const malformedBodyValue = fc.oneof(
  malformedString,
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.constantFrom(0, 1, -1),
  fc.array(malformedString, { maxLength: 3 }),
  fc.dictionary(malformedString, malformedString, { minKeys: 1, maxKeys: 2 }),
  fc.constant({ mode: 'tables', tableArns: ['x'] }),
  fc.constant({ glacierAfterDays: 0 }),
);

function url(op: Operation, params: Record<string, string | string[]>) {
  let path = op.path;
  const query = new URLSearchParams();
  for (const p of op.parameters) {
    const value = params[p.name];
    if (value === undefined) continue;
    if (p.in === 'path') {
      path = path.replace(`{${p.name}}`, encodeURIComponent(String(value)));
    } else {
      for (const v of Array.isArray(value) ? value : [value]) {
        query.append(p.name, v);
      }
    }
  }
  const search = query.toString();
  return `/api/dynamodb-lineage${path}${search ? `?${search}` : ''}`;
}

describe('OpenAPI fuzz: malformed input never reaches a 5xx nor AWS', () => {
  let aws: Server;
  let awsRequests = 0;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  const user = mockCredentials.user.header('user:default/alice');

  beforeAll(async () => {
    aws = createServer((_req, res) => {
      awsRequests++;
      res.statusCode = 500;
      res.end();
    });
    await new Promise<void>(resolve => aws.listen(0, '127.0.0.1', resolve));
    const { port } = aws.address() as AddressInfo;
    ({ server } = await startTestBackend({
      features: [
        dynamoDbLineagePlugin,
        mockServices.rootConfig.factory({
          data: {
            dynamodbLineage: {
              aws: { endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 },
              regions: ['us-east-1'],
            },
          },
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        catalogServiceMock.factory({ entities: demoEntities() }),
      ],
    }));
  });

  afterAll(async () => {
    await new Promise(resolve => aws.close(resolve));
  });

  it('has a valid request for every operation of the document', () => {
    expect(operations.map(o => o.operationId).sort()).toEqual(
      Object.keys(VALID).sort(),
    );
  });

  function expectSafeAnswer(res: request.Response, what: unknown) {
    const body = JSON.stringify(res.body ?? {});
    expect({
      what,
      status: res.status < 500,
      body: res.status < 500 ? undefined : res.body,
    }).toEqual({ what, status: true, body: undefined });
    expect({
      what,
      leaks: /"stack"|\.[jt]s:\d+|node_modules|\/src\//.test(body),
    }).toEqual({ what, leaks: false });
    expect({ what, awsRequests }).toEqual({ what, awsRequests: 0 });
  }

  const targets = operations.flatMap(op => [
    ...op.parameters.map(p => ({
      op,
      kind: 'parameter' as const,
      name: p.name,
    })),
    ...op.bodyProperties.map(name => ({ op, kind: 'body' as const, name })),
  ]);

  it.each(targets.map(t => [t.op.operationId, t.kind, t.name, t] as const))(
    '%s: malformed %s %s',
    async (_id, _kind, _name, target) => {
      const { op, kind, name } = target;
      const valid = VALID[op.operationId];
      const value =
        kind === 'parameter' ? malformedParameter : malformedBodyValue;
      await fc.assert(
        fc.asyncProperty(value, async malformed => {
          const params: Record<string, any> = { ...valid.params };
          const body: Record<string, unknown> = { ...valid.body };
          if (kind === 'parameter') params[name] = malformed;
          else body[name] = malformed;
          const req = request(server)[op.method](url(op, params));
          const res = await (op.method === 'post'
            ? req.set('Authorization', user).send(body)
            : req.set('Authorization', user));
          expectSafeAnswer(res, { name, malformed });
        }),
        { numRuns: 30 },
      );
    },
  );

  it.each(operations.map(op => [op.operationId, op] as const))(
    '%s: a repeated parameter, an unknown one, or a body that is not an object',
    async (_id, op) => {
      const valid = VALID[op.operationId];
      const params: Record<string, any> = { ...valid.params };
      for (const p of op.parameters.filter(q => q.in === 'query')) {
        params[p.name] = [params[p.name] ?? 'x', 'y'];
      }
      const path = `${url(op, params)}${
        url(op, params).includes('?') ? '&' : '?'
      }junk=%00`;
      const res = await (op.method === 'post'
        ? request(server)
            .post(path)
            .set('Authorization', user)
            .set('Content-Type', 'application/json')
            .send('["not", "an", "object"')
        : request(server).get(path).set('Authorization', user));
      expectSafeAnswer(res, op.operationId);
    },
  );
});
