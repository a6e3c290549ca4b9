import { gunzipSync } from 'node:zlib';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_IAM_ROLE_ARNS,
  ANNOTATION_TABLE_ARNS,
  parseListAnnotation,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  CloudTrailRecord,
  RunningEmulator,
  startEmulator,
} from '@lineage/aws-emulator';
import { readYamlDocuments } from './__testUtils__/devWorld';

jest.setTimeout(120_000);

/*
 * The demo's lineage as a new user meets it: the catalog's components
 * (examples/components.yaml) name the roles the emulator's demo traffic runs
 * as, and that traffic, read back from the payments trail's log files, draws a
 * graph of two hops, with one unmapped principal besides a person, and one
 * access to a table its component does not declare.
 */

const PAYMENTS = '111111111111';
const BUCKET = 'payments-cloudtrail-logs-111111111111';

const components = readYamlDocuments('examples/components.yaml').filter(
  (entity: Entity) => entity.kind === 'Component',
);
const componentOfPrincipal = new Map(
  components.flatMap(entity =>
    parseListAnnotation(
      entity.metadata.annotations?.[ANNOTATION_IAM_ROLE_ARNS],
    ).map(arn => [arn, entity.metadata.name] as const),
  ),
);
const declaredTables = new Map(
  components.map(entity => [
    entity.metadata.name,
    parseListAnnotation(entity.metadata.annotations?.[ANNOTATION_TABLE_ARNS]),
  ]),
);

const client = (
  emulator: RunningEmulator,
  accountId: string,
  region: string,
) => ({
  endpoint: emulator.url,
  region,
  forcePathStyle: true,
  credentials: { accessKeyId: accountId, secretAccessKey: 'emulator' },
});

/** Every DynamoDB record of the payments trail whose event happened at or after `since`. */
async function paymentsRecords(
  emulator: RunningEmulator,
  since: number,
): Promise<CloudTrailRecord[]> {
  const s3 = new S3Client(client(emulator, PAYMENTS, 'us-east-1'));
  const records: CloudTrailRecord[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: `AWSLogs/${PAYMENTS}/CloudTrail/`,
        ContinuationToken: token,
      }),
    );
    for (const object of page.Contents ?? []) {
      if (object.LastModified!.getTime() < since) continue;
      const body = await s3.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: object.Key }),
      );
      const file = JSON.parse(
        gunzipSync(await body.Body!.transformToByteArray()).toString(),
      );
      records.push(...file.Records);
    }
    token = page.NextContinuationToken;
  } while (token);
  return records.filter(
    r =>
      Date.parse(r.eventTime) >= since &&
      r.eventSource === 'dynamodb.amazonaws.com',
  );
}

interface Access {
  /** Component name, or the principal ARN when no component claims it. */
  who: string;
  mapped: boolean;
  access: 'reads' | 'writes';
  tableArn: string;
}

function accesses(records: CloudTrailRecord[]): Access[] {
  const seen = new Map<string, Access>();
  for (const record of records) {
    const identity = record.userIdentity as any;
    const principal: string =
      identity.sessionContext?.sessionIssuer?.arn ?? identity.arn;
    const component = componentOfPrincipal.get(principal);
    for (const resource of record.resources ?? []) {
      const access: Access = {
        who: component ?? principal,
        mapped: component !== undefined,
        access: record.readOnly ? 'reads' : 'writes',
        tableArn: resource.ARN!,
      };
      seen.set(label(access), access);
    }
  }
  return [...seen.values()];
}

const tableName = (arn: string) => arn.slice(arn.indexOf(':table/') + 7);
function label(access: Access): string {
  const who = access.mapped ? access.who : access.who.split(':').pop();
  return `${who} ${access.access} ${tableName(access.tableArn)}`;
}

const TWO_HOPS = [
  'payments-api writes payments',
  'ledger-sync reads payments',
  'ledger-sync writes ledger',
  'finance-reports reads ledger',
];
const UNMAPPED = 'role/reporting-job reads ledger';
const UNDECLARED = 'finance-reports reads payments';

/** Declarations of the payments account's components that no call touched. */
function unused(found: Access[]): string[] {
  const touched = new Set(found.map(a => `${a.who} ${a.tableArn}`));
  return [...declaredTables]
    .flatMap(([component, arns]) => arns.map(arn => ({ component, arn })))
    .filter(
      ({ component, arn }) =>
        arn.split(':')[4] === PAYMENTS && !touched.has(`${component} ${arn}`),
    )
    .map(({ component, arn }) => `${component} ${tableName(arn)}`);
}

function undeclared(found: Access[]): string[] {
  return found
    .filter(a => a.mapped && !declaredTables.get(a.who)!.includes(a.tableArn))
    .map(label);
}

describe('the demo lineage', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
  });
  afterAll(() => emulator.stop());

  it('declares only tables that exist in the emulator', async () => {
    const declared = [...new Set([...declaredTables.values()].flat())];
    expect(declared.length).toBeGreaterThan(0);
    for (const arn of declared) {
      const [, , , region, accountId] = arn.split(':');
      const dynamodb = new DynamoDBClient(client(emulator, accountId, region));
      const { TableNames } = await dynamodb.send(new ListTablesCommand({}));
      expect(TableNames).toContain(tableName(arn));
    }
  });

  it('maps every principal of the seeded history to a component but reporting-job and alice, over two hops', async () => {
    const found = accesses(await paymentsRecords(emulator, 0));
    expect(found.map(label).sort()).toEqual(
      [
        ...TWO_HOPS,
        UNDECLARED,
        UNMAPPED,
        'payments-api reads payments',
        'payments-api writes ledger',
        'role/reporting-job reads payments',
        'role/reporting-job reads payments-eu',
        // A PartiQL SELECT: CloudTrail records PartiQL calls as `readOnly: false`.
        'user/alice writes payments',
        'user/alice reads payments-eu',
      ].sort(),
    );
    expect(undeclared(found)).toEqual([UNDECLARED]);
    // payments-api declares payments-eu, which only reporting-job and alice call.
    expect(unused(found)).toEqual(['payments-api payments-eu']);
    // Every annotated role of the payments account is one the traffic uses.
    const paymentsComponents = [...componentOfPrincipal]
      .filter(([arn]) => arn.split(':')[4] === PAYMENTS)
      .map(([, component]) => component);
    expect(paymentsComponents.length).toBeGreaterThan(0);
    expect(found.filter(a => a.mapped).map(a => a.who)).toEqual(
      expect.arrayContaining(paymentsComponents),
    );
  });

  it('draws the same graph from the background traffic alone', async () => {
    const since = emulator.clock.now();
    // One tick in six scans payments: six ticks hold every access.
    for (let tick = 0; tick < 6; tick++) {
      await emulator.advance(60_000);
      await emulator.generateTraffic();
    }
    await emulator.flush();
    const found = accesses(await paymentsRecords(emulator, since));
    expect(found.map(label)).toEqual(
      expect.arrayContaining([...TWO_HOPS, UNDECLARED, UNMAPPED]),
    );
    expect(undeclared(found)).toEqual([UNDECLARED]);
  });
});
