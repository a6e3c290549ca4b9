/*
 * Journey (a): the four demo teams show the status and the reasons the demo
 * world implies, on their group pages and on the overview page.
 *
 * Expectations come from the demo world (the README's demo table), not from the
 * API: payments healthy, orders stale, inventory misconfigured, analytics not
 * enabled. The API is only read to trigger a first refresh and to check that
 * the page shows the same reasons the backend stored.
 */
const { signInAsGuest } = require('../lib/browser');
const { guestToken, lineageApi } = require('../lib/backstage');
const { expect, check } = require('../lib/expect');

const TEAMS = [
  {
    name: 'team-payments',
    status: 'Healthy',
    card: [
      /2 of 2 account-regions covered/,
      'dynamodb-lineage',
      /Last delivery (just now|\d+ min ago) \((\d{1,2} [A-Z][a-z]{2} (\d{4} )?)?\d\d:\d\d UTC\)/,
    ],
    overview: [
      /2 of 2 account-regions covered/,
      /all 2 account-region\(s\) are healthy/,
    ],
  },
  {
    // Stale: logging, but the last delivery was 5 hours ago.
    name: 'team-orders',
    status: 'Failing',
    card: [
      /0 of 1 account-regions covered/,
      'orders-trail',
      /Last delivery 5 h ago \((\d{1,2} [A-Z][a-z]{2} (\d{4} )?)?\d\d:\d\d UTC\)/,
      /delivered log files recently/i,
    ],
    overview: [
      /5 h ago \((\d{1,2} [A-Z][a-z]{2} (\d{4} )?)?\d\d:\d\d UTC\)/,
      /No log files delivered recently/,
    ],
  },
  {
    // Misconfigured: S3-only selectors, no log file validation, bucket without BPA.
    name: 'team-inventory',
    status: 'Failing',
    card: [
      'inventory-trail',
      // Plain words; each fix folded on the team card.
      /no read or write is captured/,
      /Log file validation is off/,
      /public access is not blocked/i,
      /How to fix/,
    ],
    overview: [/DynamoDB data events are not captured/],
  },
  {
    name: 'team-analytics',
    status: 'Not enabled',
    card: [
      /No CloudTrail trail records DynamoDB data events/,
      /no CloudTrail trail logs this account/,
    ],
    overview: [/no CloudTrail trail logs this account/],
    callToAction: 'Enable lineage tracking with the template',
  },
];

const STATUS_WORDS = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  failing: 'Failing',
  unknown: 'Unknown',
  'not-enabled': 'Not enabled',
};

function lineageCard(page) {
  return page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText('DynamoDB lineage', { exact: true }) })
    .first();
}

async function checkGroupPage(page, baseUrl, team, stored, log) {
  await page.goto(`${baseUrl}/catalog/default/group/${team.name}`);
  const card = lineageCard(page);
  await expect(
    card,
    `the DynamoDB lineage card on ${team.name}'s page`,
  ).toBeVisible({
    timeout: 30000,
  });
  await expect(
    card.getByTestId('status-summary'),
    `${team.name}'s status`,
  ).toContainText(new RegExp(`^${team.status}`));
  await expect(card, `${team.name}'s card`).toContainText(team.card);
  // The headline reason is the one the backend stored (shown whole or cut with "…").
  const reasonStart = stored.reason.slice(0, 60);
  if (team.status !== 'Healthy') {
    await expect(
      card,
      `${team.name}'s card showing the stored reason`,
    ).toContainText(reasonStart);
  }
  if (team.callToAction) {
    // A link styled as a button: Material UI gives the anchor role="button".
    const button = card.locator('a', { hasText: team.callToAction });
    await expect(button, `the "${team.callToAction}" button`).toBeVisible();
    const href = decodeURIComponent((await button.getAttribute('href')) ?? '');
    check(
      href.includes('/create/templates/default/dynamodb-lineage') &&
        href.includes(`group:default/${team.name}`) &&
        href.includes('444444444444'),
      `"${team.callToAction}" should open the template pre-filled with the team and account, links to ${href}`,
    );
  }
  log(`${team.name}: ${team.status} on the group page`);
}

async function checkOverview(page, baseUrl, overview, log) {
  await page.goto(`${baseUrl}/dynamodb-lineage`);
  const table = page
    .getByRole('table')
    .filter({ has: page.getByRole('columnheader', { name: /^Coverage$/i }) });
  await expect(
    table.getByRole('link', { name: 'Payments', exact: true }),
    'the teams table on the overview page',
  ).toBeVisible({ timeout: 30000 });

  for (const [status, word] of Object.entries(STATUS_WORDS)) {
    await expect(
      page.getByTestId(`counter-${status}`),
      `the ${word} counter showing the stored count`,
    ).toContainText(new RegExp(`^${overview.counts[status]}\\b`));
  }
  await expect(
    page.getByTestId('counter-coverage'),
    'the coverage counter',
  ).toContainText(`${Math.round(overview.coverage * 100)}%`);

  for (const team of TEAMS) {
    // Teams show by display name; their link names the entity.
    const row = page.getByRole('row').filter({
      has: page.locator(`a[href="/catalog/default/group/${team.name}"]`),
    });
    await expect(row, `${team.name}'s row`).toContainText([
      new RegExp(`\\b${team.status}\\b`),
      ...team.overview,
    ]);
  }

  // Filtering by a counter leaves only the teams of that status.
  await page.getByTestId('counter-not-enabled').click();
  await expect(table, 'the table filtered to not-enabled teams').toContainText(
    'Analytics',
  );
  const rows = await table
    .locator('tbody tr')
    .filter({ has: page.locator('a[href^="/catalog/default/group/"]') })
    .count();
  check(
    rows === overview.counts['not-enabled'],
    `after pressing the Not enabled counter the table should show ${overview.counts['not-enabled']} team(s), shows ${rows}`,
  );
  await page.getByTestId('counter-not-enabled').click();

  // "Refresh now" is offered to the guest (allowed to refresh) and reports what it did.
  await page.getByRole('button', { name: 'Refresh now' }).click();
  await expect(page.getByRole('status'), 'the refresh result').toContainText(
    /Refreshed \d+ account-regions?\./,
    { timeout: 60000 },
  );
  log('overview: counters, rows, filter and refresh as expected');
}

module.exports = async function statuses({ page, baseUrl, backendUrl, log }) {
  const api = lineageApi(backendUrl, await guestToken(backendUrl));
  let overview = await api.teams();
  if (!overview.refreshedAt) {
    log('no stored status yet: POST /api/dynamodb-lineage/refresh');
    await api.refresh();
    overview = await api.teams();
  }
  const stored = new Map(overview.teams.map(t => [t.entityRef, t]));
  for (const team of TEAMS) {
    const summary = stored.get(`group:default/${team.name}`);
    check(summary, `GET /teams has no entry for group:default/${team.name}`);
  }

  await signInAsGuest(page, baseUrl);
  for (const team of TEAMS) {
    await checkGroupPage(
      page,
      baseUrl,
      team,
      stored.get(`group:default/${team.name}`),
      log,
    );
  }
  await checkOverview(page, baseUrl, overview, log);
};

module.exports.TEAMS = TEAMS;
module.exports.lineageCard = lineageCard;
