#!/usr/bin/env node
/*
 * `npm run test:e2e`: the user journeys in headless Debian Chromium against
 * the real app (backend + frontend) and a fresh emulator with the demo seed.
 *
 *   node e2e/run.js [--only statuses,screenshots,accessibility,lineage,investigate,enable-lineage] [--app build|dev]
 *
 * App modes: `build` (default) is a production build of packages/app served
 * on the app port plus the backend without file watching; `dev` is
 * `backstage-cli repo start`. The build mode was faster to be ready on this
 * 2-core machine and does not restart when files change mid-run (see
 * e2e/README.md for the measurements).
 *
 * Every child runs in its own process group and is stopped on exit, on
 * failure and on Ctrl-C. Logs of the last run are in e2e/.run/.
 */
const fs = require('node:fs');
const path = require('node:path');
const { settings } = require('./lib/settings');
const { stopAll, killAllNow } = require('./lib/processes');
const { launchChromium } = require('./lib/browser');
const { startStack, seconds } = require('./lib/stack');

// (c) runs before (b): its pictures show team-analytics still not enabled.
const JOURNEYS = [
  { name: 'statuses', title: '(a) team statuses on group pages and overview' },
  {
    name: 'screenshots',
    title: '(c) screenshots of card, overview and template',
  },
  {
    name: 'accessibility',
    title: '(d) landing, pre-filled fix, trail link, axe-core',
  },
  {
    name: 'lineage',
    title: "(e) payments-api's data lineage, followed through two hops",
  },
  {
    name: 'investigate',
    title: '(f) who last changed a payments item; what reporting-job did',
  },
  {
    name: 'enable-lineage',
    title: '(b) template enables lineage for team-analytics',
  },
];

function parseArgs(argv) {
  const options = { only: undefined, app: 'build' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--only')
      options.only = value()
        .split(',')
        .map(s => s.trim());
    else if (arg === '--app') options.app = value();
    else
      throw new Error(
        `Unknown argument ${arg}; use --only <journeys> or --app build|dev`,
      );
  }
  if (!['build', 'dev'].includes(options.app)) {
    throw new Error(`--app must be build or dev, got ${options.app}`);
  }
  for (const name of options.only ?? []) {
    if (!JOURNEYS.some(j => j.name === name)) {
      throw new Error(
        `--only: unknown journey "${name}"; known: ${JOURNEYS.map(
          j => j.name,
        ).join(', ')}`,
      );
    }
  }
  return options;
}

async function runJourneys(s, selected, log) {
  const browser = await launchChromium(s.chromiumPath);
  const results = [];
  try {
    for (const journey of selected) {
      const run = require(`./journeys/${journey.name}`);
      const context = await browser.newContext({
        viewport: { width: 1440, height: 900 },
      });
      const page = await context.newPage();
      const consoleErrors = [];
      page.on('pageerror', error => consoleErrors.push(error.message));
      const started = Date.now();
      log(`journey ${journey.name}: started`);
      try {
        await run({
          page,
          baseUrl: s.baseUrl,
          backendUrl: s.backendUrl,
          emulatorUrl: s.emulatorUrl,
          screenshotDir: s.screenshotDir,
          log: message => log(`  ${journey.name}: ${message}`),
        });
        results.push({ ...journey, ok: true, ms: Date.now() - started });
      } catch (error) {
        const failure = path.join(s.workDir, `failure-${journey.name}.png`);
        await page
          .screenshot({ path: failure, fullPage: true })
          .catch(() => undefined);
        results.push({
          ...journey,
          ok: false,
          ms: Date.now() - started,
          error: `${error.message}${
            consoleErrors.length
              ? `\n    page errors: ${consoleErrors.slice(0, 3).join(' | ')}`
              : ''
          }\n    screenshot: ${path.relative(s.repoRoot, failure)}`,
        });
      } finally {
        await context.close();
      }
      const last = results[results.length - 1];
      log(
        `journey ${journey.name}: ${last.ok ? 'PASS' : 'FAIL'} in ${seconds(
          last.ms,
        )}`,
      );
    }
  } finally {
    await browser.close();
  }
  return results;
}

function printSummary(results, setup) {
  const rows = [
    ['journey', 'result', 'duration'],
    ['(start emulator + app)', setup.ok ? 'ok' : 'FAIL', seconds(setup.ms)],
    ...results.map(r => [
      `${r.name}  ${r.title}`,
      r.ok ? 'PASS' : 'FAIL',
      seconds(r.ms),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
  const line = row => row.map((cell, i) => cell.padEnd(widths[i])).join('  ');
  console.log(
    `\n${line(rows[0])}\n${widths.map(w => '-'.repeat(w)).join('  ')}`,
  );
  for (const row of rows.slice(1)) console.log(line(row));
  for (const r of results.filter(x => !x.ok)) {
    console.log(`\nFAIL ${r.name}: ${r.error}`);
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const s = settings();
  const total = Date.now();
  const log = message =>
    console.log(
      `[e2e ${((Date.now() - total) / 1000)
        .toFixed(1)
        .padStart(6)}s] ${message}`,
    );
  const selected = JOURNEYS.filter(
    j => !options.only || options.only.includes(j.name),
  );

  const stop = async signal => {
    log(`${signal}: stopping child processes`);
    await stopAll();
    process.exit(130);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('exit', killAllNow);

  let results = [];
  const setup = { ok: false, ms: 0 };
  let failed = false;
  try {
    // Failure pictures of an earlier run would mislead.
    fs.mkdirSync(s.workDir, { recursive: true });
    for (const file of fs.readdirSync(s.workDir)) {
      if (/^failure-.*\.png$/.test(file)) fs.rmSync(path.join(s.workDir, file));
    }
    log(
      `app mode: ${options.app}; logs in ${path.relative(
        s.repoRoot,
        s.workDir,
      )}/`,
    );
    const { readyMs } = await startStack(s, options.app, log);
    setup.ok = true;
    setup.ms = readyMs;
    results = await runJourneys(s, selected, log);
  } catch (error) {
    setup.ms = setup.ms || Date.now() - total;
    console.error(`\n${error.stack ?? error}`);
    failed = true;
  } finally {
    await stopAll();
  }
  printSummary(results, setup);
  const passed = results.filter(r => r.ok).length;
  failed = failed || passed !== selected.length;
  console.log(
    `\n${passed}/${selected.length} journeys passed in ${seconds(
      Date.now() - total,
    )} (all child processes stopped)`,
  );
  process.exit(failed ? 1 : 0);
}

main().catch(error => {
  console.error(error);
  killAllNow();
  process.exit(1);
});
