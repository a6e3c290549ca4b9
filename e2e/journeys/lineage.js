/*
 * Journey (e): where payments-api's data comes from and goes. Its page's data
 * lineage card names its writers and readers by catalog name; following the
 * payments table leads to the table's page (its writers, readers and daily
 * activity), and following a reader there leads to ledger-sync's page, one
 * hop further, where the ledger table and its reader appear. The catalog
 * graph on payments-api's page draws the table it writes, and its Data flow
 * card the readers of that table too. axe-core finds no
 * serious or critical violation on the three pages. Writes
 * docs/screenshots/lineage-card.png, lineage-data-flow.png and
 * lineage-table.png.
 *
 * Expectations come from the demo world (the README's lineage table):
 * payments-api writes payments; ledger-sync reads payments and writes ledger;
 * finance-reports reads ledger and, undeclared, payments; role/reporting-job
 * (no entity claims it) reads ledger.
 */
const fs = require('node:fs');
const path = require('node:path');
const { signInAsGuest, screenshot } = require('../lib/browser');
const {
  catalogApi,
  guestToken,
  triggerScheduledTasks,
} = require('../lib/backstage');
const { expect, check } = require('../lib/expect');
const { expectNoSeriousViolations } = require('../lib/axe');
const { requestJson, waitFor } = require('../lib/http');

const PAYMENTS_API = 'component:default/payments-api';
const WRITES_TO = 'writesTo';
const READS_FROM = 'readsFrom';

const CARD_TITLE = 'DynamoDB data lineage';

function dataLineageCard(page) {
  return page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText(CARD_TITLE, { exact: true }) })
    .first();
}

/** The region of a table's row that lists its writers or its readers. */
function parties(card, role, table) {
  return card.getByRole('region', { name: `${role} of ${table}` });
}

/**
 * The stored lineage reaches the demo's second hop once ingestion has read
 * the delivered logs: ledger-sync writes ledger.
 */
async function waitForIngestedLineage(backendUrl, token, log) {
  const url = `${backendUrl}/api/dynamodb-lineage/lineage/graph?entityRef=${encodeURIComponent(
    PAYMENTS_API,
  )}&depth=2`;
  const graph = await waitFor(
    'the stored lineage to reach ledger-sync → ledger',
    async () => {
      const answer = await requestJson(url, { token });
      const ledger = answer.nodes.find(
        n => n.kind === 'table' && n.title === 'ledger',
      );
      if (
        ledger &&
        answer.edges.some(e => e.kind === 'write' && e.target === ledger.id)
      ) {
        return answer;
      }
      // Not there yet: ingest what was delivered since, without waiting for
      // the 5-minute schedule.
      await triggerScheduledTasks(
        backendUrl,
        token,
        'dynamodb-lineage',
        /ingest/,
      );
      return undefined;
    },
    { timeoutMs: 180000, intervalMs: 5000 },
  );
  log(
    `stored lineage: ${graph.nodes.length} nodes, ${graph.edges.length} edges, ${graph.findings.length} findings`,
  );
  return graph;
}

/**
 * The catalog relates each component to the tables it writes and reads once
 * the module has reloaded the stored relations and the component was
 * processed again; refreshing the demo's three components asks for that now.
 */
async function waitForDataFlowRelations(backendUrl, token, log) {
  const catalog = catalogApi(backendUrl, token);
  const expected = [
    ['payments-api', WRITES_TO],
    ['ledger-sync', READS_FROM],
    ['finance-reports', READS_FROM],
  ];
  await waitFor(
    `${expected.map(([name, type]) => `${name} ${type}`).join(', ')} relations`,
    async () => {
      const missing = [];
      for (const [name, type] of expected) {
        const entity = await catalog.entity('component', 'default', name);
        if (!entity.relations?.some(r => r.type === type)) missing.push(name);
      }
      if (missing.length === 0) return true;
      await triggerScheduledTasks(backendUrl, token, 'catalog', /relations/);
      for (const name of missing) {
        await catalog.refreshEntity(`component:default/${name}`);
      }
      return undefined;
    },
    { timeoutMs: 180000, intervalMs: 5000 },
  );
  log('catalog: the demo components relate to the tables they write and read');
}

async function shootCard(card, dir, name, log) {
  await card.scrollIntoViewIfNeeded();
  const file = await screenshot(card, dir, name);
  const bytes = fs.statSync(file).size;
  check(bytes > 15000, `${name}.png is only ${bytes} bytes: probably blank`);
  log(`wrote ${path.basename(file)}`);
}

module.exports = async function lineage({
  page,
  baseUrl,
  backendUrl,
  screenshotDir,
  log,
}) {
  await signInAsGuest(page, baseUrl);
  const token = await guestToken(backendUrl);
  const graph = await waitForIngestedLineage(backendUrl, token, log);
  await waitForDataFlowRelations(backendUrl, token, log);

  // payments-api: what it writes, who reads that, by name.
  await page.goto(`${baseUrl}/catalog/default/component/payments-api`);
  const card = dataLineageCard(page);
  await expect(card, "payments-api's data lineage card").toBeVisible({
    timeout: 30000,
  });
  const writers = parties(card, 'Writers', 'payments');
  await expect(writers, 'the writers of payments').toContainText(
    ['payments-api', 'this entity', /\d[\d,]* writes/, /last seen/],
    { timeout: 30000 },
  );
  const readers = parties(card, 'Readers', 'payments');
  await expect(readers, 'the readers of payments').toContainText([
    'ledger-sync',
    'finance-reports',
    /\d[\d,]* reads/,
  ]);
  check(
    (await readers.getByRole('link', { name: 'ledger-sync' }).count()) > 0,
    'ledger-sync should be a link to its page among the readers of payments',
  );
  // The caller no entity claims, by its role and with the hint.
  await expect(card, 'the unmapped principal').toContainText([
    'Unmapped',
    /reporting-job/,
  ]);
  await expect(card, 'the ingestion lag line').toContainText(
    /Lineage (\d+ (min|h|d) behind delivery|is up to date with delivery)/,
  );
  await expect(
    card.getByTestId('lineage-findings'),
    'the governance findings',
  ).toContainText([/Undeclared access/]);
  log('payments-api: writers and readers of payments by name, findings');
  await expectNoSeriousViolations(page, "payments-api's page");
  await shootCard(card, screenshotDir, 'lineage-card', log);

  // The catalog graph draws the table payments-api writes to, from the
  // catalog's writesTo relation.
  const paymentsTable = graph.nodes.find(
    n => n.kind === 'table' && n.title === 'payments',
  );
  check(
    Boolean(paymentsTable?.entityRef),
    'the payments table should be a catalog Resource in the stored lineage',
  );
  await waitFor(
    `the catalog graph to draw ${paymentsTable.entityRef}`,
    () =>
      page.evaluate(
        ref =>
          [...document.querySelectorAll('[data-testid="node"] title')].some(
            t => t.textContent === ref,
          ),
        paymentsTable.entityRef,
      ),
    { timeoutMs: 30000, intervalMs: 1000 },
  );
  log('the catalog graph on payments-api draws the payments table');

  // The data-flow card follows the flow past the first table: the readers
  // of what payments-api writes are drawn too.
  const drawn = await waitFor(
    'the Data flow card to draw the readers of payments',
    () =>
      page.evaluate(() => {
        const heading = [
          ...document.querySelectorAll('h1, h2, h3, h4, h5'),
        ].find(h => h.textContent.trim() === 'Data flow');
        let card = heading;
        while (card && !card.querySelector('[data-testid="node"]')) {
          card = card.parentElement;
        }
        const refs = card
          ? [...card.querySelectorAll('[data-testid="node"] title')].map(
              t => t.textContent,
            )
          : [];
        return refs.includes('component:default/ledger-sync') &&
          refs.includes('component:default/finance-reports')
          ? refs
          : undefined;
      }),
    { timeoutMs: 30000, intervalMs: 1000 },
  );
  log(`the Data flow card draws ${drawn.length} entities, readers included`);
  const dataFlow = page
    .getByRole('heading', { name: 'Data flow', exact: true })
    .locator('xpath=ancestor::*[.//*[@data-testid="node"]][1]');
  await shootCard(dataFlow, screenshotDir, 'lineage-data-flow', log);

  // Follow the table: its own page shows both sides and the daily activity.
  await card
    .getByRole('link', { name: 'payments', exact: true })
    .first()
    .click();
  await page.waitForURL(/\/catalog\/default\/resource\//, { timeout: 30000 });
  const tableCard = dataLineageCard(page);
  await expect(tableCard, "the payments table's lineage card").toContainText(
    ['this table', 'payments-api', 'ledger-sync'],
    { timeout: 30000 },
  );
  const chart = tableCard.getByRole('img', {
    name: /^Daily calls on payments:/,
  });
  await expect(chart, "payments' daily activity chart").toBeVisible({
    timeout: 30000,
  });
  log(
    `table page ${page.url().replace(baseUrl, '')}: both sides and the chart`,
  );
  await expectNoSeriousViolations(page, "the payments table's page");
  await shootCard(tableCard, screenshotDir, 'lineage-table', log);

  // One hop further: a reader of payments, which writes the next table.
  await parties(tableCard, 'Readers', 'payments')
    .getByRole('link', { name: 'ledger-sync' })
    .first()
    .click();
  await page.waitForURL(/\/catalog\/default\/component\/ledger-sync/, {
    timeout: 30000,
  });
  const syncCard = dataLineageCard(page);
  await expect(
    parties(syncCard, 'Writers', 'ledger'),
    'the writers of ledger on ledger-sync',
  ).toContainText(['ledger-sync', 'this entity'], { timeout: 30000 });
  await expect(
    parties(syncCard, 'Readers', 'ledger'),
    'the readers of ledger',
  ).toContainText(['finance-reports']);
  log('ledger-sync: writes ledger, which finance-reports reads');
  await expectNoSeriousViolations(page, "ledger-sync's page");
};
