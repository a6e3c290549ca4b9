/*
 * Journey (f): an incident responder on the payments table's page. A support
 * user (alice) refunds item `order#123`; on the table's Investigate tab,
 * item history by key names her as the last change, and principal activity
 * tells what role/reporting-job did over the last 24 hours, per table and
 * operation — each answer with its engine, bytes scanned and cost. Without
 * Athena configured the answers come from the delivered logs, read directly,
 * and say so. Writes docs/screenshots/investigate-item-history.png and
 * investigate-principal-activity.png.
 */
const {
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} = require('@aws-sdk/client-dynamodb');
const { signInAsGuest, screenshot } = require('../lib/browser');
const { catalogApi, guestToken, lineageApi } = require('../lib/backstage');
const { emulatorAdmin } = require('../lib/emulator');
const { check, expect } = require('../lib/expect');
const { waitFor } = require('../lib/http');

const PAYMENTS = '111111111111';
const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${PAYMENTS}:table/payments`;
const ALICE = `arn:aws:iam::${PAYMENTS}:user/alice`;
const REPORTING_JOB = `arn:aws:iam::${PAYMENTS}:role/reporting-job`;
const ITEM = 'order#123';

function dynamodb(emulatorUrl, accessKeyId) {
  return new DynamoDBClient({
    endpoint: emulatorUrl,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'e2e' },
  });
}

/** The item is created by the payments account, then changed by alice. */
async function changeItem(emulatorUrl) {
  const key = { id: { S: ITEM } };
  await dynamodb(emulatorUrl, PAYMENTS).send(
    new PutItemCommand({
      TableName: 'payments',
      Item: { ...key, state: { S: 'SETTLED' } },
    }),
  );
  await dynamodb(emulatorUrl, 'AKIA1111ALICEDEMO001').send(
    new UpdateItemCommand({
      TableName: 'payments',
      Key: key,
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: { ':s': { S: 'REFUNDED' } },
    }),
  );
  await emulatorAdmin(emulatorUrl).flush();
}

function card(page, title) {
  return page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText(title, { exact: true }) })
    .first();
}

module.exports = async function investigate({
  page,
  baseUrl,
  backendUrl,
  emulatorUrl,
  screenshotDir,
  log,
}) {
  await signInAsGuest(page, baseUrl);
  const token = await guestToken(backendUrl);
  await changeItem(emulatorUrl);
  // The stored refresh tells which trail covers the table.
  await lineageApi(backendUrl, token).refresh();
  const table = await waitFor(
    "the payments table's dynamodb-table Resource",
    async () => {
      const items = await catalogApi(backendUrl, token).entities(
        `kind=resource,spec.type=dynamodb-table,metadata.annotations.dynamodb-lineage/table-arns=${TABLE_ARN}`,
      );
      return items[0];
    },
    { timeoutMs: 60000, intervalMs: 2000 },
  );
  log(`alice changed ${ITEM}; the table is ${table.metadata.name}`);

  await page.goto(
    `${baseUrl}/catalog/default/resource/${table.metadata.name}/investigate`,
  );
  const history = card(page, 'Item history');
  await expect(history, 'the item history form').toBeVisible({
    timeout: 30000,
  });
  check(
    (await history.getByLabel('Table ARN').inputValue()) === TABLE_ARN,
    "the Investigate tab should fill in the table's ARN",
  );
  await history.getByLabel('Partition key name').fill('id');
  await history.getByLabel('Partition key value').fill(ITEM);
  await history.getByRole('button', { name: 'Find item history' }).click();
  await expect(
    history.getByTestId('last-change'),
    'who last changed the item',
  ).toContainText(`Last change: UpdateItem by ${ALICE}`, { timeout: 60000 });
  await expect(
    history.getByTestId('forensics-figures'),
    'engine, bytes scanned and cost of the item history',
  ).toContainText([
    'Status: succeeded',
    'Engine: Delivered logs, read directly',
    /Bytes scanned: \d[\d.]* (B|KB|MB)/,
    /Cost: \$\d/,
  ]);
  await expect(history, 'what the fallback covered').toContainText(
    'read the delivered logs directly: last 24 h only',
  );
  log(`item history: the last change of ${ITEM} is alice's UpdateItem`);
  await screenshot(history, screenshotDir, 'investigate-item-history');

  const activity = card(page, 'Principal activity');
  await activity
    .getByLabel('Principal (IAM role or user ARN)')
    .fill(REPORTING_JOB);
  await activity.getByRole('button', { name: 'Find activity' }).click();
  const rows = activity.getByRole('table', { name: 'Principal activity' });
  await expect(rows, 'what reporting-job did, per table').toContainText(
    ['ledger', 'Query', 'payments', 'Scan'],
    { timeout: 60000 },
  );
  await expect(
    activity.getByTestId('forensics-figures'),
    'engine, bytes scanned and cost of the activity',
  ).toContainText([
    'Engine: Delivered logs, read directly',
    /Bytes scanned: \d/,
    /Cost: \$\d/,
  ]);
  log('principal activity: reporting-job queries ledger and scans payments');
  await screenshot(activity, screenshotDir, 'investigate-principal-activity');
};
