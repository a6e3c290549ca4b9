/*
 * Journey (d): what a first-time user meets, read by axe-core and followed
 * by its links: signing in lands on the lineage overview (not a 404); the
 * overview, a group page, a component page, a trail page and every step of
 * the template have no serious or critical axe-core violation; a sortable
 * header is one tab stop; a team's Fix opens the template pre-filled with
 * team, account, region, trail and bucket; the covering trail links to the
 * trail's page.
 */
const { signInAsGuest } = require('../lib/browser');
const { expect, check } = require('../lib/expect');
const { expectNoSeriousViolations } = require('../lib/axe');
const { next, activeStep } = require('../lib/template');

module.exports = async function accessibility({ page, baseUrl, log }) {
  await signInAsGuest(page, baseUrl);

  // The landing page: / and the sidebar logo lead to the overview.
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/dynamodb-lineage$/, { timeout: 30000 });
  const payments = page.getByRole('link', { name: 'Payments', exact: true });
  await expect(payments, 'the overview after opening /').toBeVisible({
    timeout: 30000,
  });
  log('/ lands on the lineage overview');
  await expectNoSeriousViolations(page, 'the overview');

  // One tab stop per sortable header: nothing focusable inside it.
  const nested = await page.evaluate(
    () =>
      [...document.querySelectorAll('th')].filter(
        th => th.querySelectorAll('[tabindex="0"], button, a').length > 1,
      ).length,
  );
  check(nested === 0, `${nested} table headers hold more than one tab stop`);

  // Orders' Fix: pre-filled with everything the fix needs.
  const ordersRow = page
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: 'Orders', exact: true }) });
  // LinkButtons are anchors with role="button".
  const fix = ordersRow.locator('a[aria-label^="Fix lineage tracking"]');
  const href = decodeURIComponent((await fix.getAttribute('href')) ?? '');
  for (const part of [
    '"owner":"group:default/team-orders"',
    '"accountId":"222222222222"',
    '"region":"us-east-1"',
    '"trailName":"orders-trail"',
    '"bucketName":"',
  ]) {
    check(href.includes(part), `Orders' Fix link lacks ${part}: ${href}`);
  }
  log("Orders' Fix pre-fills team, account, region, trail and bucket");

  // The group page: its card links the covering trail to the trail's page.
  await page.goto(`${baseUrl}/catalog/default/group/team-inventory`);
  const trailLink = page.getByRole('link', {
    name: 'inventory-trail',
    exact: true,
  });
  await expect(trailLink, 'the covering trail link on the card').toBeVisible({
    timeout: 30000,
  });
  await expectNoSeriousViolations(page, "team-inventory's page");
  await trailLink.first().click();
  await page.waitForURL(/\/catalog\/default\/resource\//);
  await expect(
    page.getByTestId('trail-summary-line'),
    'the trail page summary line',
  ).toBeVisible({ timeout: 30000 });
  await expect(
    page.getByRole('heading', { name: /^Needs attention \(\d+\)$/ }),
    "the trail page's findings",
  ).toBeVisible();
  const width = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    view: window.innerWidth,
  }));
  check(
    width.page <= width.view,
    `the trail page scrolls sideways: ${width.page} px wide in a ${width.view} px window`,
  );
  await expectNoSeriousViolations(page, 'the inventory-trail page');
  log('covering trail links to a trail page without sideways scrolling');

  await page.goto(`${baseUrl}/catalog/default/component/inventory-service`);
  await expect(
    page.getByText(/tables covered by a trail/),
    "inventory-service's card",
  ).toBeVisible({ timeout: 30000 });
  await expectNoSeriousViolations(page, "inventory-service's page");
  await page.goto(`${baseUrl}/catalog/default/component/storefront`);
  await expect(
    page.getByTestId('missing-annotation'),
    "storefront's card saying what to add",
  ).toBeVisible({ timeout: 30000 });
  await expectNoSeriousViolations(page, "storefront's page");
  log('component pages: no serious violations');

  // Every template step, opened from the pre-filled Fix link.
  await page.goto(`${baseUrl}${href}`);
  const account = page.getByRole('textbox', { name: /^AWS account/ });
  await expect(account, 'the AWS account field').toBeVisible({
    timeout: 30000,
  });
  await page.waitForFunction(
    () =>
      /222222222222/.test(
        document.querySelector('input[id="root_accountId"]')?.value ?? '',
      ),
    undefined,
    { timeout: 30000 },
  );
  for (let step = 1; ; step++) {
    await expectNoSeriousViolations(page, `template step ${step}`);
    const button = page.getByRole('button', { name: /^(next|review)$/i });
    if ((await button.count()) === 0) break;
    await next(page);
    if (step === 2) {
      const trailName = await page
        .getByRole('textbox', { name: /^Trail name/ })
        .inputValue();
      check(
        trailName === 'orders-trail',
        `the Storage step's trail name is "${trailName}", not the pre-filled orders-trail`,
      );
    }
  }
  const last = await activeStep(page);
  check(
    last === 'Review',
    `the template's steps should end on its Review step, ended on "${last}"`,
  );
  log('template: pre-filled, no serious violations on any step');
};
