import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import { isReadOperation } from '../__testUtils__/fakeAws';
import {
  actionContext,
  demoAccounts,
  emulatorClientFactory,
  permissionsWith,
} from '../__testUtils__/fixtures';
import { createDynamoDbLineageTerraformAction } from './terraform';

/*
 * The Terraform action as the backend module wires it, with AWS access,
 * against the emulator's demo world: it reads the account-region first and
 * never changes it.
 */
describe('aws:dynamodb-lineage:terraform against the AWS emulator', () => {
  let emulator: RunningEmulator;
  const workspace = createMockDirectory();

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'none' });
  });
  afterAll(async () => {
    await emulator?.stop();
  });
  beforeEach(async () => {
    workspace.clear();
    await emulator.reset();
    await emulator.seed('demo');
    emulator.calls.clear();
  });

  function terraformAction(
    result:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  ) {
    return createDynamoDbLineageTerraformAction({
      clientFactory: emulatorClientFactory(emulator.url),
      catalog: catalogServiceMock({ entities: demoAccounts }),
      permissions: permissionsWith(result),
    });
  }

  const run = (input: Record<string, unknown>) =>
    actionContext(input, { workspacePath: workspace.path });
  const written = () =>
    workspace.content({ shouldReadAsText: true }) as Record<string, string>;
  const mutatingCalls = () =>
    emulator.calls.list().filter(call => !isReadOperation(call.operation));

  const analytics = {
    accountId: '444444444444',
    region: 'us-east-1',
    owner: 'group:default/team-analytics',
  };

  it('renders an account-region no trail logs, with read calls only', async () => {
    const context = run(analytics);
    await terraformAction().handler(context.ctx);

    expect(written()['main.tf']).toContain('resource "aws_cloudtrail" "this"');
    expect(written()['main.tf']).not.toContain('import {');
    expect(emulator.calls.list().length).toBeGreaterThan(0);
    expect(mutatingCalls()).toEqual([]);
  });

  it('declares the Athena forensics table of an account Athena is configured for', async () => {
    const context = run(analytics);
    await createDynamoDbLineageTerraformAction({
      clientFactory: emulatorClientFactory(emulator.url),
      catalog: catalogServiceMock({ entities: demoAccounts }),
      permissions: permissionsWith(AuthorizeResult.ALLOW),
      athenaDatabaseFor: accountId =>
        accountId === analytics.accountId ? 'lineage_forensics' : undefined,
    }).handler(context.ctx);

    const main = written()['main.tf'];
    expect(main).toContain('resource "aws_glue_catalog_database" "forensics"');
    expect(main).toContain('name = "lineage_forensics"');
    expect(main).toMatch(
      /resource "aws_glue_catalog_table" "cloudtrail" \{\n\s+database_name = aws_glue_catalog_database\.forensics\.name\n\s+name\s+= "cloudtrail_dynamodb_lineage_444444444444_[0-9a-f]{8}"/,
    );
    expect(mutatingCalls()).toEqual([]);
  });

  it('adopts a bucket that already exists with import blocks', async () => {
    const clients = await emulatorClientFactory(emulator.url).forAccount(
      analytics.accountId,
      analytics.region,
    );
    await clients.s3.send(
      new CreateBucketCommand({ Bucket: 'analytics-audit-444444444444' }),
    );
    emulator.calls.clear();

    await terraformAction().handler(
      run({ ...analytics, bucketName: 'analytics-audit-444444444444' }).ctx,
    );

    expect(written()['main.tf']).toMatch(
      /import \{\s+to = aws_s3_bucket\.logs\s+id = var\.bucket_name\s+\}/,
    );
    expect(mutatingCalls()).toEqual([]);
  });

  it('refuses an account-region a trail of the account already logs, naming it', async () => {
    const inventory = {
      accountId: '333333333333',
      region: 'us-east-1',
      owner: 'group:default/team-inventory',
    };
    const refused = terraformAction().handler(run(inventory).ctx);

    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toThrow(
      'arn:aws:cloudtrail:us-east-1:333333333333:trail/inventory-trail',
    );
    expect(written()).toEqual({});
    expect(mutatingCalls()).toEqual([]);
  });

  it('refuses a second trail capturing the same DynamoDB data events', async () => {
    const refused = terraformAction().handler(
      run({
        accountId: '111111111111',
        region: 'us-east-1',
        owner: 'group:default/team-payments',
        trailName: 'second-lineage',
        bucketName: 'second-lineage-111111111111',
      }).ctx,
    );

    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toThrow('already captured by trail');
    expect(written()).toEqual({});
  });

  it('calls AWS not at all when the permission is denied', async () => {
    const refused = terraformAction(AuthorizeResult.DENY).handler(
      run(analytics).ctx,
    );

    await expect(refused).rejects.toThrow(NotAllowedError);
    expect(emulator.calls.list()).toEqual([]);
    expect(written()).toEqual({});
  });
});
