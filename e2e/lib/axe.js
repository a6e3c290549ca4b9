/*
 * axe-core in the page: the serious and critical violations of what is on
 * screen. axe-core is injected from node_modules, never fetched.
 */
const fs = require('node:fs');
const { JourneyAssertionError } = require('./expect');

const AXE_SOURCE = fs.readFileSync(
  require.resolve('axe-core/axe.min.js'),
  'utf8',
);

/**
 * Violations Backstage itself ships, outside this project's code, each
 * excluded by the one element it is on so any other instance still fails.
 */
const UPSTREAM = [
  {
    // The scaffolder page's header tabs (Backstage UI, react-aria) point
    // aria-controls at a tab panel they do not render.
    rule: 'aria-valid-attr-value',
    selector: '[id$="-tab-templates"]',
  },
];

/**
 * The catalog graph card (Backstage's) shows an unnamed Material UI spinner
 * while it loads the entities it draws. It is there for a moment only, so
 * axe reads the page once the spinners are gone; one that stays past the
 * wait is judged like anything else.
 */
async function waitForSpinners(page) {
  await page
    .waitForFunction(
      () => !document.querySelector('.MuiCircularProgress-root'),
      undefined,
      { timeout: 15000 },
    )
    .catch(() => undefined);
}

async function seriousViolations(page) {
  await waitForSpinners(page);
  if (!(await page.evaluate(() => Boolean(window.axe)))) {
    await page.addScriptTag({ content: AXE_SOURCE });
  }
  const violations = await page.evaluate(async upstream => {
    const result = await window.axe.run(document, {
      resultTypes: ['violations'],
    });
    return result.violations
      .filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes
          .filter(
            n =>
              !upstream.some(
                u =>
                  u.rule === v.id &&
                  document.querySelector(n.target[0])?.matches(u.selector),
              ),
          )
          .map(n => n.target.join(' ')),
      }))
      .filter(v => v.nodes.length > 0);
  }, UPSTREAM);
  return violations;
}

/** Fails with every serious or critical violation on the page, by rule and element. */
async function expectNoSeriousViolations(page, where) {
  const violations = await seriousViolations(page);
  if (violations.length > 0) {
    throw new JourneyAssertionError(
      `axe-core: ${
        violations.length
      } serious/critical rule(s) violated on ${where}:\n${violations
        .map(
          v =>
            `    ${v.id} (${v.impact}, ${v.help}) ×${v.nodes.length}: ${v.nodes
              .slice(0, 3)
              .join(' | ')}`,
        )
        .join('\n')}`,
    );
  }
}

module.exports = { seriousViolations, expectNoSeriousViolations };
