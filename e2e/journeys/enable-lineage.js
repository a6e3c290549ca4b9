/*
 * Journey (b): a member of team-analytics, whose account has no trail, fills
 * the template (team, AWS account, region, table scope) and keeps its other
 * defaults — among them a KMS key created for the trail — reads the plan,
 * creates it; the task succeeds. The team reads pending until CloudTrail's
 * first delivery; once the team's application has called DynamoDB and
 * CloudTrail has delivered, a refresh shows the team healthy and the new
 * trail appears in the catalog as a cloudtrail-trail Resource.
 */
const { signInAsGuest } = require('../lib/browser');
const {
  guestToken,
  lineageApi,
  catalogApi,
  triggerScheduledTask,
  waitForScaffolderTask,
} = require('../lib/backstage');
const { emulatorAdmin } = require('../lib/emulator');
const { driveTableTraffic } = require('../lib/traffic');
const { waitFor } = require('../lib/http');
const { expect, check } = require('../lib/expect');
const { lineageCard } = require('./statuses');
const {
  fillTeamAndAccount,
  chooseTables,
  reachPlanPreview,
  reachReview,
} = require('../lib/template');

const TEAM = 'group:default/team-analytics';
const ACCOUNT = '444444444444';
const REGION = 'us-east-1';
const TABLE = 'events';
const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/dynamodb-lineage`;

module.exports = async function enableLineage({
  page,
  baseUrl,
  backendUrl,
  emulatorUrl,
  log,
}) {
  const token = await guestToken(backendUrl);
  const lineage = lineageApi(backendUrl, token);
  const catalog = catalogApi(backendUrl, token);
  const emulator = emulatorAdmin(emulatorUrl);

  const before = await lineage.refresh(TEAM).then(() => lineage.team(TEAM));
  check(
    before.team.status === 'not-enabled',
    `team-analytics should start not enabled, is ${before.team.status} (${before.team.reason})`,
  );

  await signInAsGuest(page, baseUrl);
  await fillTeamAndAccount(page, baseUrl, {
    ownerSearch: 'analytics',
    ownerOption: /^Analytics$/,
    accountId: ACCOUNT,
    region: REGION,
  });
  await chooseTables(page, {
    accountId: ACCOUNT,
    region: REGION,
    tables: [TABLE],
  });
  // The Storage step's defaults: a KMS key created for the trail (CIS 3.5).
  const preview = await reachPlanPreview(page);
  await expect(preview, 'the plan preview').toContainText([
    TRAIL_ARN,
    /Create S3 bucket/i,
    /\$0\.10 per 100,000 events/,
  ]);
  await reachReview(page);
  await expect(page.locator('body'), 'the review step').toContainText([
    TEAM,
    ACCOUNT,
    REGION,
    `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${TABLE}`,
  ]);
  await page.getByRole('button', { name: /^create$/i }).click();

  await page.waitForURL(/\/create\/tasks\/[^/]+$/, { timeout: 30000 });
  const taskId = page.url().split('/').pop();
  const task = await waitForScaffolderTask(backendUrl, token, taskId);
  check(
    task.status === 'completed',
    `the scaffolder task ${taskId} should complete, ended ${task.status}`,
  );
  await expect(page.locator('body'), 'the finished task page').toContainText(
    [
      /Trail in the CloudTrail console/i,
      /Changes made/i,
      /Create KMS key alias\/dynamodb-lineage\/dynamodb-lineage/,
    ],
    { timeout: 30000 },
  );
  log(`task ${taskId} completed`);

  // Before CloudTrail's first delivery the new trail is pending, not failing.
  await lineage.refresh(TEAM);
  const waiting = await lineage.team(TEAM);
  check(
    waiting.team.status === 'pending',
    `right after provisioning team-analytics should be pending, is ${waiting.team.status}: ${waiting.team.reason}`,
  );
  log(`team-analytics is pending: ${waiting.team.reason}`);

  // The team's application calls DynamoDB; CloudTrail delivers its next file.
  const calls = await driveTableTraffic({
    emulatorUrl,
    accountId: ACCOUNT,
    region: REGION,
    tableName: TABLE,
  });
  const delivered = await emulator.flush();
  log(
    `drove ${calls} DynamoDB calls; flush: ${JSON.stringify(delivered).slice(
      0,
      160,
    )}`,
  );

  await lineage.refresh(TEAM);
  const after = await lineage.team(TEAM);
  check(
    after.team.status === 'healthy',
    `after provisioning, traffic, delivery and a refresh team-analytics should be healthy, ` +
      `is ${after.team.status}: ${after.team.reason}`,
  );

  await page.goto(`${baseUrl}/catalog/default/group/team-analytics`);
  const card = lineageCard(page);
  await expect(
    card.getByTestId('status-summary'),
    "team-analytics' status",
  ).toContainText(/^Healthy/, { timeout: 30000 });
  await expect(card, "team-analytics' card").toContainText([
    /1 of 1 account-regions covered/,
    'dynamodb-lineage',
    /Last delivery (just now|\d+ min ago) \((\d{1,2} [A-Z][a-z]{2} (\d{4} )?)?\d\d:\d\d UTC\)/,
  ]);
  log('team-analytics shows Healthy on its page');

  // Trail discovery runs on a schedule; run it now rather than wait.
  const taskName = await triggerScheduledTask(
    backendUrl,
    token,
    'catalog',
    /dynamodb-lineage/,
  );
  const trailEntity = await waitFor(
    `a cloudtrail-trail Resource for ${TRAIL_ARN} in the catalog (after triggering ${taskName})`,
    async () => {
      const found = await catalog.entities(
        'kind=resource,spec.type=cloudtrail-trail',
      );
      return found.find(
        e =>
          e.metadata.annotations?.['dynamodb-lineage/trail-arn'] === TRAIL_ARN,
      );
    },
    { timeoutMs: 90000, intervalMs: 2000 },
  );
  check(
    trailEntity.spec.owner === TEAM ||
      trailEntity.spec.owner === 'team-analytics',
    `the trail entity should be owned by ${TEAM}, is owned by ${trailEntity.spec.owner}`,
  );

  await page.goto(
    `${baseUrl}/catalog?filters[kind]=resource&filters[user]=all`,
  );
  const row = page
    .getByRole('row')
    .filter({
      hasText: trailEntity.metadata.title ?? trailEntity.metadata.name,
    })
    .filter({ hasText: 'Analytics' });
  await expect(
    row,
    'the new trail in the catalog list of resources',
  ).toBeVisible({
    timeout: 30000,
  });
  await page.goto(
    `${baseUrl}/catalog/default/resource/${trailEntity.metadata.name}`,
  );
  await expect(lineageCard(page), "the trail's lineage card").toContainText(
    /Healthy/,
    {
      timeout: 30000,
    },
  );
  log(
    `trail entity resource:default/${trailEntity.metadata.name} owned by ${trailEntity.spec.owner}`,
  );
};
