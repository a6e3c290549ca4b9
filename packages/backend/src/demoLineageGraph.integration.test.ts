import request from 'supertest';
import {
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import type {
  LineageGraph,
  LineageGraphNode,
} from '@lineage/plugin-dynamodb-lineage-common';
import dynamoDbLineageBackend from '@lineage/plugin-dynamodb-lineage-backend';
import { catalogEntities, emulatorAwsAccounts } from './__testUtils__/devWorld';

jest.setTimeout(180_000);

/*
 * What a new user of the demo sees once the backend has run: the scheduled
 * refresh finds the trails, each trail's ingestion reads the emulator's demo
 * logs into the lineage store, and GET /lineage/graph from payments-api names
 * the components two hops downstream, the unmapped role and the findings.
 */

type Task = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

describe('the demo lineage through the backend', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
  });
  afterAll(() => emulator.stop());

  it('ingests the demo logs and draws payments-api → payments → ledger-sync → ledger → finance-reports by name', async () => {
    const scheduled: Task[] = [];
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: jest.fn(async (task: Task) => void scheduled.push(task)),
    });
    const { server } = await startTestBackend({
      features: [
        dynamoDbLineageBackend,
        catalogServiceMock.factory({ entities: catalogEntities() }),
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            aws: { accounts: emulatorAwsAccounts },
            dynamodbLineage: {
              aws: { endpoint: emulator.url },
              regions: ['us-east-1', 'eu-west-1'],
            },
          },
        }),
      ],
    });
    const run = async (match: (id: string) => boolean) => {
      const tasks = scheduled.filter(task => match(task.id));
      expect(tasks.length).toBeGreaterThan(0);
      for (const task of tasks) {
        await task.fn(new AbortController().signal as any);
      }
    };
    await run(id => id === 'dynamodb-lineage-refresh');
    await run(id => id === 'dynamodb-lineage-ingest-trails');
    await run(id => id.startsWith('dynamodb-lineage-ingest:'));

    const res = await request(server)
      .get('/api/dynamodb-lineage/lineage/graph')
      .query({ entityRef: 'component:default/payments-api', depth: '2' })
      .set('Authorization', mockCredentials.user.header('user:default/guest'));
    expect(res.status).toBe(200);
    const graph: LineageGraph = res.body;

    const byId = new Map(graph.nodes.map(node => [node.id, node]));
    const name = (node: LineageGraphNode) =>
      node.kind === 'principal' ? node.principal.split(':').pop()! : node.title;
    const flows = graph.edges.map(
      edge =>
        `${name(byId.get(edge.source)!)} → ${name(byId.get(edge.target)!)}`,
    );
    expect(flows).toEqual(
      expect.arrayContaining([
        'payments-api → payments',
        'payments → ledger-sync',
        'ledger-sync → ledger',
        'ledger → finance-reports',
        'payments → finance-reports',
        'ledger → role/reporting-job',
      ]),
    );
    expect(
      graph.nodes
        .filter(node => node.kind === 'entity')
        .map(node => node.title)
        .sort(),
    ).toEqual(['finance-reports', 'ledger-sync', 'payments-api']);
    // The edges carry the counts: payments-api's writes of the seeded history.
    expect(graph.edges[flows.indexOf('payments-api → payments')]).toMatchObject(
      { kind: 'write', reads: 0 },
    );
    expect(
      graph.edges[flows.indexOf('payments-api → payments')].writes,
    ).toBeGreaterThan(100);

    const findings = graph.findings.map(finding => {
      if (finding.kind === 'unmapped-principal') {
        return `${finding.kind} ${finding.principal}`;
      }
      return `${finding.kind} ${finding.entityRef} ${
        'tableArn' in finding ? finding.tableArn : finding.value
      }`;
    });
    expect(findings.sort()).toEqual([
      'undeclared-access component:default/finance-reports arn:aws:dynamodb:us-east-1:111111111111:table/payments',
      'unmapped-principal arn:aws:iam::111111111111:role/reporting-job',
      'unmapped-principal arn:aws:iam::111111111111:user/alice',
      'unused-declaration component:default/payments-api arn:aws:dynamodb:eu-west-1:111111111111:table/payments-eu',
    ]);
  });
});
