#!/usr/bin/env node
/*
 * `npm run bench`: performance figures of DynamoDB lineage tracking, each a
 * ratio measured in the same run, printed with the method that produced it
 * and written to bench/results.json (figures, methods, machine, date), from
 * which `npm run bench:readme` writes the README's table. Nothing here
 * asserts: a missed target is printed as such.
 *
 *   node bench/run.js [--only a,b,c,d,e] [--notes "what else ran on the machine"]
 *
 *   a  refresh of 10 / 100 / 1,000 trails over an hour of emulated time: calls per trail per refresh, wall time / bound
 *   b  freshness on a bucket with 500,000 real-size log objects: list calls per trail vs a whole-prefix listing
 *   c  lineage parsing vs the same read pipeline with a no-op visitor, peak RSS
 *   d  GET /teams latency p50/p95 with 1,000 stored teams
 *   e  overview page in Chromium: 1,000 teams vs 10 until the table is interactive
 *   h  GET /lineage/graph latency p50/p95 with 10,000 stored edges
 *   i  lineage ingestion vs the same read pipeline with a no-op visitor; a month at 1M events/day
 */
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const { stopAll, killAllNow } = require('../e2e/lib/processes');
const prettier = require('prettier');
const { round } = require('./lib/stats');

const PARTS = {
  a: { title: 'refresh over an hour', module: './parts/refresh' },
  b: { title: 'freshness listing', module: './parts/freshness' },
  c: { title: 'lineage parsing', module: './parts/parsing' },
  d: { title: 'teams overview API', module: './parts/overview' },
  e: { title: 'overview page in Chromium', module: './parts/page' },
  h: { title: 'lineage graph API', module: './parts/graph' },
  i: { title: 'lineage ingestion', module: './parts/ingest' },
};

function parseArgs(argv) {
  let only = Object.keys(PARTS);
  let notes = process.env.BENCH_NOTES ?? '';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--notes') {
      notes = argv[++i];
      if (notes === undefined) throw new Error('--notes needs a text');
    } else if (argv[i] === '--only') {
      const value = argv[++i];
      if (!value)
        throw new Error(
          '--only needs a comma-separated list of parts (a,b,c,d,e)',
        );
      only = value.split(',').map(s => s.trim().toLowerCase());
      const unknown = only.filter(p => !PARTS[p]);
      if (unknown.length) {
        throw new Error(
          `--only: unknown part(s) ${unknown.join(', ')}; known: ${Object.keys(
            PARTS,
          ).join(', ')}`,
        );
      }
    } else {
      throw new Error(
        `Unknown argument ${argv[i]}; use --only a,b,c,d,e and --notes "…"`,
      );
    }
  }
  return { only, notes };
}

/** Each figure on one line, the method that produced it on the next. */
function printFigures(rows) {
  for (const r of rows) {
    const met = r.met === undefined ? '' : r.met ? ' [met]' : ' [NOT MET]';
    const target = r.target ? ` (target ${r.target}${met})` : '';
    console.log(`\n(${r.part}) ${r.metric}: ${r.value}${target}`);
    if (r.detail) console.log(`    beside it: ${r.detail}`);
    console.log(`    method: ${r.method}`);
  }
}

/** The commit measured, and whether the working tree differed from it. */
function revision() {
  const git = args =>
    execFileSync('git', args, { cwd: __dirname, encoding: 'utf8' }).trim();
  try {
    return {
      commit: git(['rev-parse', 'HEAD']),
      // bench/results.json itself changes with every run: not a difference.
      uncommittedChanges:
        git(['status', '--porcelain', '--', ':/', ':!/bench/results.json']) !==
        '',
    };
  } catch {
    return {};
  }
}

function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage1m: round(os.loadavg()[0], 2),
  };
}

async function main() {
  const { only, notes } = parseArgs(process.argv.slice(2));
  const machineBefore = machine();
  const measured = revision();
  process.on('SIGINT', async () => {
    await stopAll();
    process.exit(130);
  });
  process.on('exit', killAllNow);

  const started = Date.now();
  const log = message =>
    console.log(
      `[bench ${((Date.now() - started) / 1000)
        .toFixed(1)
        .padStart(6)}s] ${message}`,
    );
  const rows = [];
  const parts = {};
  let failed = false;
  for (const key of only) {
    const part = PARTS[key];
    log(`(${key}) ${part.title}`);
    const partStarted = Date.now();
    try {
      const { rows: partRows, details } = await require(part.module).run({
        log,
      });
      rows.push(...partRows);
      parts[key] = {
        title: part.title,
        ranAt: new Date().toISOString(),
        seconds: (Date.now() - partStarted) / 1000,
        rows: partRows,
        details,
      };
    } catch (error) {
      failed = true;
      console.error(
        `(${key}) ${part.title} could not run: ${error.stack ?? error}`,
      );
      rows.push({
        part: key,
        metric: `${part.title}: did not run`,
        value: 'ERROR',
        method: String(error.message).slice(0, 200),
      });
      parts[key] = {
        title: part.title,
        ranAt: new Date().toISOString(),
        error: String(error.message),
      };
    } finally {
      await stopAll();
    }
    log(`(${key}) done in ${((Date.now() - partStarted) / 1000).toFixed(1)} s`);
  }

  printFigures(rows);
  // Parts skipped this time keep their last figures, each with its own ranAt.
  const file = path.join(__dirname, 'results.json');
  let previous = {};
  try {
    previous = JSON.parse(fs.readFileSync(file, 'utf8')).parts ?? {};
  } catch {
    previous = {};
  }
  const result = {
    ranAt: new Date().toISOString(),
    ...measured,
    machine: {
      ...machineBefore,
      loadAverage1m: {
        before: machineBefore.loadAverage1m,
        after: machine().loadAverage1m,
      },
    },
    notes,
    parts: Object.fromEntries(
      Object.entries({ ...previous, ...parts }).sort(([x], [y]) =>
        x.localeCompare(y),
      ),
    ),
  };
  // Formatted as the repository's prettier would, so that a format check passes.
  fs.writeFileSync(
    file,
    prettier.format(JSON.stringify(result), {
      ...require('@backstage/cli/config/prettier.json'),
      parser: 'json',
    }),
  );
  console.log(
    `\nWrote ${path.relative(process.cwd(), file)} in ${(
      (Date.now() - started) /
      1000
    ).toFixed(0)} s; \`npm run bench:readme\` puts it in the README`,
  );
  process.exit(failed ? 1 : 0);
}

main().catch(error => {
  console.error(error);
  killAllNow();
  process.exit(1);
});
