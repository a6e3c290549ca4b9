import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import { emulatorAwsAccounts } from './__testUtils__/devWorld';
import dynamoDbLineageCatalogModule from '@lineage/plugin-catalog-backend-module-dynamodb-lineage';

jest.setTimeout(120_000);

const examples = path.resolve(__dirname, '../../../examples');

/**
 * The catalog as the dev app runs it: the demo catalog files plus trails
 * discovered in the AWS emulator's demo seed.
 */
describe('trail entities in the catalog', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
  });
  afterAll(() => emulator.stop());

  async function startCatalog(files: string[]) {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        dynamoDbLineageCatalogModule,
        // The real scheduler: the provider must run again once the catalog
        // has ingested the account entities it reads.
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            catalog: {
              rules: [
                { allow: ['Resource', 'Group', 'User', 'Component', 'System'] },
              ],
              locations: files.map(file => ({
                type: 'file',
                target: path.join(examples, file),
              })),
              processingInterval: { seconds: 1 },
            },
            aws: { accounts: emulatorAwsAccounts },
            dynamodbLineage: {
              aws: { endpoint: emulator.url },
              catalog: {
                schedule: {
                  frequency: { seconds: 2 },
                  timeout: { seconds: 30 },
                  initialDelay: { seconds: 1 },
                },
              },
            },
          },
        }),
      ],
    });
    return server;
  }

  it('shows every demo trail as a Resource owned by its team, depending on its account', async () => {
    const server = await startCatalog(['org.yaml', 'aws-accounts.yaml']);

    let trails: any[] = [];
    for (let attempt = 0; attempt < 120 && trails.length < 3; attempt++) {
      const response = await request(server)
        .get('/api/catalog/entities/by-query')
        .query({ filter: 'kind=resource,spec.type=cloudtrail-trail' })
        .set('Authorization', mockCredentials.user.header());
      trails = response.body.items ?? [];
      const stitched = trails.every((t: any) =>
        (t.relations ?? []).some((r: any) => r.type === 'ownedBy'),
      );
      if (trails.length >= 3 && stitched) break;
      trails = [];
      await new Promise(resolve => setTimeout(resolve, 500));
    }

    const byAccount = Object.fromEntries(
      trails.map((t: any) => [
        t.metadata.annotations['aws.amazon.com/account-id'],
        t,
      ]),
    );
    expect(Object.keys(byAccount).sort()).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
    ]);
    const payments = byAccount['111111111111'];
    expect(payments.spec.owner).toBe('group:default/team-payments');
    expect(payments.spec.dependsOn).toEqual([
      'resource:default/aws-payments-prod',
    ]);
    expect(payments.metadata.annotations['dynamodb-lineage/trail-arn']).toMatch(
      /^arn:aws:cloudtrail:us-east-1:111111111111:trail\//,
    );
    expect(byAccount['222222222222'].spec.owner).toBe(
      'group:default/team-orders',
    );
    expect(byAccount['333333333333'].spec.owner).toBe(
      'group:default/team-inventory',
    );
  });

  it('shows every table of the covered account-regions as a Resource of its account, related to the components that declare it', async () => {
    const server = await startCatalog([
      'org.yaml',
      'aws-accounts.yaml',
      'components.yaml',
    ]);
    const payments = 'resource:default/111111111111-us-east-1-payments';
    let tables: any[] = [];
    for (let attempt = 0; attempt < 120; attempt++) {
      const response = await request(server)
        .get('/api/catalog/entities/by-query')
        .query({ filter: 'kind=resource,spec.type=dynamodb-table' })
        .set('Authorization', mockCredentials.user.header());
      tables = response.body.items ?? [];
      const dependents = new Set(
        tables
          .find((t: any) => `resource:default/${t.metadata.name}` === payments)
          ?.relations?.filter((r: any) => r.type === 'dependencyOf')
          .map((r: any) => r.targetRef),
      );
      const declared =
        dependents.has('component:default/payments-api') &&
        dependents.has('component:default/ledger-sync');
      if (tables.length >= 5 && declared) break;
      await new Promise(resolve => setTimeout(resolve, 500));
    }

    expect(tables.map((t: any) => t.metadata.name).sort()).toEqual([
      '111111111111-eu-west-1-payments-eu',
      '111111111111-us-east-1-ledger',
      '111111111111-us-east-1-payments',
      '222222222222-us-east-1-orders',
      '333333333333-us-east-1-inventory',
    ]);
    const table = tables.find(
      (t: any) => t.metadata.name === '111111111111-us-east-1-payments',
    );
    expect(table.spec).toEqual({
      type: 'dynamodb-table',
      owner: 'group:default/team-payments',
      dependsOn: ['resource:default/aws-payments-prod'],
    });
    expect(
      table.relations
        .map((r: any) => `${r.type} ${r.targetRef}`)
        .filter((r: string) => !r.startsWith('ownedBy'))
        .sort(),
    ).toEqual([
      'dependencyOf component:default/ledger-sync',
      'dependencyOf component:default/payments-api',
      'dependsOn resource:default/aws-payments-prod',
    ]);
  });
});
