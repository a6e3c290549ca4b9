/*
 * The few assertions the journeys need, over playwright-core locators
 * (playwright-core has no `expect`). Each failure says what the user should
 * have seen and what the page showed instead.
 */
const { sleep } = require('./http');

class JourneyAssertionError extends Error {}

async function textOf(locator) {
  try {
    return (await locator.first().innerText({ timeout: 1000 }))
      .replace(/\s+/g, ' ')
      .trim();
  } catch {
    return '(not on the page)';
  }
}

function shorten(text, max = 400) {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function expect(locator, what) {
  return {
    async toBeVisible({ timeout = 20000 } = {}) {
      try {
        await locator.first().waitFor({ state: 'visible', timeout });
      } catch {
        throw new JourneyAssertionError(
          `Expected ${what}, but ${locator} was not visible within ${timeout} ms`,
        );
      }
    },
    /** Waits until the element's text matches every pattern (strings or regexes). */
    async toContainText(patterns, { timeout = 20000 } = {}) {
      const all = Array.isArray(patterns) ? patterns : [patterns];
      const deadline = Date.now() + timeout;
      let text = '';
      for (;;) {
        text = await textOf(locator);
        const missing = all.filter(p =>
          typeof p === 'string' ? !text.includes(p) : !p.test(text),
        );
        if (missing.length === 0) return text;
        if (Date.now() >= deadline) {
          throw new JourneyAssertionError(
            `Expected ${what}: missing ${missing
              .map(String)
              .join(', ')} in "${shorten(text)}"`,
          );
        }
        await sleep(250);
      }
    },
  };
}

function check(condition, message) {
  if (!condition) throw new JourneyAssertionError(message);
}

module.exports = { expect, check, JourneyAssertionError };
