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

  it('shows every demo trail as a Resource owned by its team, depending on its account', async () => {
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
              locations: ['org.yaml', 'aws-accounts.yaml'].map(file => ({
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
});
