import {
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import dynamoDbLineageBackend from '@lineage/plugin-dynamodb-lineage-backend';
import { LineageGraph } from '@lineage/plugin-dynamodb-lineage-common';
import request from 'supertest';
import {
  emulatorAwsAccounts,
  readYamlDocuments,
} from './__testUtils__/devWorld';

jest.setTimeout(180_000);

/*
 * The stored lineage graph as a new user gets it from the demo: the emulator's
 * seeded traffic, the backend's refresh finding the payments trail, its
 * ingestion reading the delivered logs into daily edges, and GET
 * /lineage/graph naming the demo components (examples/components.yaml) by
 * their role annotations, two tables downstream of payments-api.
 */

const PAYMENTS = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
const LEDGER = 'arn:aws:dynamodb:us-east-1:111111111111:table/ledger';
const REPORTING_JOB = 'arn:aws:iam::111111111111:role/reporting-job';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

type Task = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

describe('the demo lineage graph, from delivered logs to GET /lineage/graph', () => {
  let emulator: RunningEmulator;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  const user = mockCredentials.user.header('user:default/alice');

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    const scheduled: Task[] = [];
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: jest.fn(async (task: Task) => void scheduled.push(task)),
    });
    ({ server } = await startTestBackend({
      features: [
        dynamoDbLineageBackend,
        catalogServiceMock.factory({
          entities: [
            ...readYamlDocuments('examples/org.yaml'),
            ...readYamlDocuments('examples/aws-accounts.yaml'),
            ...readYamlDocuments('examples/components.yaml'),
          ],
        }),
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: {
            aws: { accounts: emulatorAwsAccounts },
            dynamodbLineage: {
              aws: { endpoint: emulator.url },
              regions: ['us-east-1'],
            },
          },
        }),
      ],
    }));
    const run = async (id: string) => {
      const task = scheduled.find(t => t.id === id);
      if (!task) throw new Error(`No task ${id} was scheduled`);
      await task.fn(new AbortController().signal as any);
    };

    // The scheduled refresh finds the demo's trails …
    await run('dynamodb-lineage-refresh');
    // … the ingestion schedules them and reads their delivered logs.
    await emulator.flush();
    const before = scheduled.length;
    await run('dynamodb-lineage-ingest-trails');
    const trailTasks = scheduled
      .slice(before)
      .filter(t => t.id.startsWith('dynamodb-lineage-ingest:'));
    if (trailTasks.length === 0) throw new Error('No trail was scheduled');
    for (const task of trailTasks) await run(task.id);
  });

  afterAll(() => emulator.stop());

  it('names the writers and readers two tables downstream of payments-api', async () => {
    const res = await request(server)
      .get('/api/dynamodb-lineage/lineage/graph')
      .query({ entityRef: 'component:default/payments-api', depth: '2' })
      .set('Authorization', user);
    expect(res.status).toBe(200);
    const graph: LineageGraph = res.body;
    const flows = graph.edges.map(edge => {
      const name = (id: string) => {
        const node = graph.nodes.find(n => n.id === id)!;
        return node.kind === 'entity'
          ? node.entityRef.split('/').pop()
          : node.title;
      };
      return `${name(edge.source)} → ${name(edge.target)}`;
    });
    expect(flows).toEqual(
      expect.arrayContaining([
        'payments-api → payments',
        'payments → ledger-sync',
        'ledger-sync → ledger',
        'ledger → finance-reports',
        'ledger → role/reporting-job',
      ]),
    );
    expect(graph.nodes.find(n => n.id === REPORTING_JOB)).toMatchObject({
      kind: 'principal',
      mapping: 'unmapped',
      hint: expect.stringContaining('who owns role/reporting-job?'),
    });
    expect(graph.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'undeclared-access',
          entityRef: 'component:default/finance-reports',
          tableArn: PAYMENTS,
        }),
        expect.objectContaining({
          kind: 'unmapped-principal',
          principal: REPORTING_JOB,
        }),
      ]),
    );
    expect(graph.ingestion.sources.length).toBeGreaterThan(0);
    expect(graph.ingestion.ingestedThrough).toBeDefined();
  });

  it('gives the ledger table a daily series per caller', async () => {
    const res = await request(server)
      .get('/api/dynamodb-lineage/lineage/table')
      .query({ tableArn: LEDGER, days: '3' })
      .set('Authorization', user);
    expect(res.status).toBe(200);
    const callers = res.body.series.map(
      (s: { caller: { title: string } }) => s.caller.title,
    );
    expect(callers).toEqual(expect.arrayContaining(['role/reporting-job']));
    expect(res.body.series.every((s: any) => s.points.length === 3)).toBe(true);
  });
});
