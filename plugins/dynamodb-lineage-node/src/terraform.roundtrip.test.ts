import {
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import {
  buildSpec,
  LineageSpec,
  runChecks,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AwsClients, DefaultAwsClientFactory } from './clients';
import { inspectBucket } from './inspectBucket';
import { inspectTrails } from './inspectTrails';
import { planLineage } from './plan';
import { readRuntimeSignals } from './runtimeSignals';
import { renderTerraform } from './terraform';
import {
  describeWithTerraform,
  initOffline,
  terraform,
  terraformOk,
  workingDirectory,
} from './__testUtils__/terraform';

/*
 * The Terraform path and the apply path build the same thing: the rendered
 * Terraform, applied by the real hashicorp/aws provider against the emulator,
 * leaves (a) nothing for a second `terraform plan`, (b) nothing for the
 * product's own plan, and (c) a trail every health check passes or only warns.
 */

jest.setTimeout(600_000);

const ACCOUNT = '555555555555';
const SUITE = 'Terraform round trip against the emulator';

let emulator: RunningEmulator;
let clients: AwsClients;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'none' });
  const factory = DefaultAwsClientFactory.fromCredentials(
    accountId => ({ accessKeyId: accountId, secretAccessKey: 'emulator' }),
    { endpoint: emulator.url, maxAttempts: 3 },
  );
  clients = await factory.forAccount(ACCOUNT, 'us-east-1');
});

afterAll(async () => {
  await emulator?.stop();
});

/** The provider pointed at the emulator, merged into the rendered `provider "aws"` block. */
function providerOverride(url: string): string {
  const endpoints = ['cloudtrail', 'dynamodb', 's3', 'sts']
    .map(service => `    ${service} = "${url}"`)
    .join('\n');
  return `provider "aws" {
  access_key                  = "${ACCOUNT}"
  secret_key                  = "emulator"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true

  endpoints {
${endpoints}
  }
}
`;
}

function summaryOf(parts: Record<string, string | number>): string {
  return Object.entries(parts)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}

describeWithTerraform(SUITE)(SUITE, () => {
  it('applies, then neither terraform nor the product plans a change, and no health check fails', async () => {
    const spec: LineageSpec = buildSpec({
      accountId: ACCOUNT,
      region: 'us-east-1',
      owner: 'group:default/team-payments',
      createdBy: 'user:default/jane',
      lifecycle: { glacierAfterDays: 30, expireAfterDays: 400 },
      insights: true,
    });
    const { dir, remove } = workingDirectory({
      ...renderTerraform(spec),
      'emulator_override.tf': providerOverride(emulator.url),
    });
    try {
      await initOffline(dir);
      const apply = await terraformOk(dir, [
        'apply',
        '-auto-approve',
        '-no-color',
        '-input=false',
      ]);
      const created = /(\d+) added/.exec(apply.stdout)?.[1] ?? '?';

      // (a) Terraform finds what it applied.
      const replan = await terraform(dir, [
        'plan',
        '-detailed-exitcode',
        '-no-color',
        '-input=false',
      ]);
      expect({
        exitCode: replan.code,
        output: replan.code ? replan.stdout : '',
      }).toEqual({ exitCode: 0, output: '' });

      // (b) The product's own plan for the same spec is empty.
      const { plan } = await planLineage(clients, spec);
      expect(plan.changes.map(change => change.key)).toEqual([]);

      // (c) The health checks judge the trail with DynamoDB traffic delivered.
      await clients.dynamodb.send(
        new CreateTableCommand({
          TableName: 'orders',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
      await clients.dynamodb.send(
        new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'a' } } }),
      );
      await clients.dynamodb.send(
        new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'a' } } }),
      );
      await emulator.flush();
      const now = new Date(emulator.clock.now());
      const trails = await inspectTrails(clients, {
        accountId: ACCOUNT,
        region: 'us-east-1',
      });
      const trail = trails.ok
        ? trails.value.find(state => state.trail.name === spec.trailName)
        : undefined;
      expect(trail).toBeDefined();
      const checks = runChecks(
        {
          trail: trail!,
          bucket: await inspectBucket(clients, spec.bucketName),
          signals: await readRuntimeSignals(clients, trail!.trail, { now }),
        },
        { scope: { accountId: ACCOUNT, region: 'us-east-1' }, now },
      );
      const failing = checks.filter(check => check.status === 'fail');
      expect(failing).toEqual([]);

      const count = (status: string) =>
        checks.filter(check => check.status === status).length;
      // eslint-disable-next-line no-console
      console.log(
        `Terraform round trip: ${summaryOf({
          'resources added': created,
          'second terraform plan': 'no changes',
          'product plan changes': plan.changes.length,
          'checks pass': count('pass'),
          warn: count('warn'),
          fail: count('fail'),
        })}`,
      );
    } finally {
      remove();
    }
  });
});
