/*
 * Journey (c): the pictures the README shows, taken from the running app:
 * the lineage card of a misconfigured and of a healthy team, the overview
 * page (also 390 px wide), a trail's page, and the template's first step,
 * plan preview and review. Each shot is
 * taken only once its content is on screen, and checked to be a real image.
 */
const fs = require('node:fs');
const path = require('node:path');
const { signInAsGuest, screenshot } = require('../lib/browser');
const { expect, check } = require('../lib/expect');
const { lineageCard } = require('./statuses');
const {
  fillTeamAndAccount,
  chooseTables,
  reachPlanPreview,
  reachReview,
} = require('../lib/template');

/** A taller card is cut for the README (the whole card would be unreadable there). */
const MAX_CARD_HEIGHT = 1800;

/** Width, height and size of a PNG, from its header. */
function pngInfo(file) {
  const data = fs.readFileSync(file);
  check(
    data.subarray(1, 4).toString('latin1') === 'PNG',
    `${file} is not a PNG`,
  );
  return {
    width: data.readUInt32BE(16),
    height: data.readUInt32BE(20),
    bytes: data.length,
  };
}

module.exports = async function screenshots({
  page,
  baseUrl,
  screenshotDir,
  log,
}) {
  const taken = [];
  const shoot = async (target, name, options) => {
    const file = await screenshot(target, screenshotDir, name, options);
    const info = pngInfo(file);
    // A blank or error page compresses to a few KB; real content does not.
    check(
      info.bytes > 15000,
      `${name}.png is only ${info.bytes} bytes: probably blank`,
    );
    taken.push(`${path.basename(file)} ${info.width}x${info.height}`);
  };

  await signInAsGuest(page, baseUrl);

  for (const [team, name, word] of [
    ['team-inventory', 'group-card-misconfigured', 'Failing'],
    ['team-payments', 'group-card-healthy', 'Healthy'],
  ]) {
    await page.goto(`${baseUrl}/catalog/default/group/${team}`);
    const card = lineageCard(page);
    await expect(
      card.getByTestId('status-summary'),
      `${team}'s card`,
    ).toContainText(word, {
      timeout: 30000,
    });
    await card.scrollIntoViewIfNeeded();
    const box = await card.boundingBox();
    if (box.height > MAX_CARD_HEIGHT) {
      log(
        `${team}'s card is ${Math.round(
          box.height,
        )} px tall; the picture keeps its top ${MAX_CARD_HEIGHT} px`,
      );
      await shoot(page, name, {
        fullPage: true,
        clip: {
          x: box.x,
          y: box.y + (await page.evaluate(() => window.scrollY)),
          width: box.width,
          height: MAX_CARD_HEIGHT,
        },
      });
    } else {
      await shoot(card, name);
    }
  }

  await page.goto(`${baseUrl}/dynamodb-lineage`);
  const ordersLink = page.getByRole('link', { name: 'Orders', exact: true });
  await expect(ordersLink, 'the overview table').toBeVisible({
    timeout: 30000,
  });
  await shoot(page, 'overview', { fullPage: true });

  // The overview on a phone: 390 px wide.
  const desktop = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${baseUrl}/dynamodb-lineage`);
  await expect(ordersLink, 'the overview at 390 px').toBeVisible({
    timeout: 30000,
  });
  const phone = await page.evaluate(() => {
    const heading = [...document.querySelectorAll('h2')].find(
      h => h.textContent.trim() === 'Teams',
    );
    const box = heading?.getBoundingClientRect();
    return {
      page: document.documentElement.scrollWidth,
      view: window.innerWidth,
      heading: box && {
        left: box.left,
        right: box.right,
        // Clipped when its box is narrower than its text.
        clipped: heading.scrollWidth > heading.clientWidth,
      },
    };
  });
  check(
    phone.page <= phone.view,
    `the overview scrolls sideways at 390 px: ${phone.page} px wide in a ${phone.view} px window`,
  );
  check(
    phone.heading &&
      phone.heading.left >= 0 &&
      phone.heading.right <= phone.view &&
      !phone.heading.clipped,
    `the "Teams" title is not fully visible at 390 px: ${JSON.stringify(
      phone.heading,
    )}`,
  );
  log('the overview at 390 px: no sideways scrolling, "Teams" fully visible');
  await shoot(page, 'overview-390px', { fullPage: true });
  await page.setViewportSize(desktop);

  // A misconfigured trail's page, from the team card's covering-trail link.
  await page.goto(`${baseUrl}/catalog/default/group/team-inventory`);
  const trailLink = page.getByRole('link', {
    name: 'inventory-trail',
    exact: true,
  });
  await expect(trailLink, "the card's covering-trail link").toBeVisible({
    timeout: 30000,
  });
  await trailLink.first().click();
  await expect(
    page.getByTestId('trail-summary-line'),
    'the trail page',
  ).toBeVisible({ timeout: 30000 });
  await shoot(page, 'trail-page', { fullPage: true });

  const input = {
    ownerSearch: 'analytics',
    ownerOption: /^Analytics$/,
    accountId: '444444444444',
    region: 'us-east-1',
    tables: ['events'],
  };
  await fillTeamAndAccount(page, baseUrl, input);
  await shoot(page, 'template-form', { fullPage: true });
  await chooseTables(page, input);
  await shoot(page, 'template-scope', { fullPage: true });
  await reachPlanPreview(page);
  await shoot(page, 'template-plan-preview', { fullPage: true });
  await reachReview(page);
  await shoot(page, 'template-review', { fullPage: true });

  log(
    `wrote ${taken.join(', ')} to ${path.relative(
      process.cwd(),
      screenshotDir,
    )}/`,
  );
};
