/*
 * Debian's Chromium through playwright-core: never a browser download.
 * The flags keep Chromium off the network this machine does not have.
 */
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function launchChromium(executablePath = '/usr/bin/chromium') {
  if (!fs.existsSync(executablePath)) {
    throw new Error(
      `No Chromium at ${executablePath}: install Debian's package (apt-get install chromium)`,
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * Signs in on the guest card when the sign-in page shows, and waits for the
 * app's sidebar. A context keeps the session for its later pages.
 */
async function signInAsGuest(page, baseUrl) {
  await page.goto(`${baseUrl}/catalog`, { waitUntil: 'domcontentloaded' });
  const enter = page.getByRole('button', { name: /^enter$/i });
  // The sidebar's own boxes have no size; its links do.
  const sidebar = page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link');
  await enter.or(sidebar).first().waitFor({ timeout: 60000 });
  if (await enter.isVisible()) {
    await enter.click();
  }
  await sidebar.first().waitFor({ timeout: 60000 });
}

/** A full-page PNG under the screenshot folder; returns its path. */
async function screenshot(target, dir, name, options = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await target.screenshot({ path: file, ...options });
  return file;
}

module.exports = { launchChromium, signInAsGuest, screenshot, CHROMIUM_ARGS };
