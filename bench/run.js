#!/usr/bin/env node
/*
 * `npm run bench`: performance figures of DynamoDB lineage tracking, each a
 * ratio measured in the same run, printed as one table and written to
 * bench/results/latest.json. Nothing here asserts: a missed target is
 * printed as such.
 *
 *   node bench/run.js [--only a,b,c,d,e]
 *
 *   a  refresh of 10 / 100 / 1,000 trails, 50 ms AWS latency: calls per trail, wall time / lower bound
 *   b  freshness on a bucket with 500,000 log objects: list calls per trail vs a whole-prefix listing
 *   c  lineage parsing MB/s and events/s vs bare gunzip + JSON.parse, peak RSS
 *   d  GET /teams latency p50/p95 with 1,000 stored teams
 *   e  overview page in Chromium: 1,000 teams vs 10 until the table is interactive
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { stopAll, killAllNow } = require('../e2e/lib/processes');

const PARTS = {
  a: { title: 'refresh fan-out', module: './parts/refresh' },
  b: { title: 'freshness listing', module: './parts/freshness' },
  c: { title: 'lineage parsing', module: './parts/parsing' },
  d: { title: 'teams overview API', module: './parts/overview' },
  e: { title: 'overview page in Chromium', module: './parts/page' },
};

function parseArgs(argv) {
  let only = Object.keys(PARTS);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') {
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
      throw new Error(`Unknown argument ${argv[i]}; use --only a,b,c,d,e`);
    }
  }
  return { only };
}

function format(value) {
  if (typeof value === 'number') return String(value);
  return value ?? '';
}

function printTable(rows) {
  const header = [
    'part',
    'metric',
    'value',
    'target',
    'met',
    'measured beside it',
  ];
  const lines = rows.map(r => [
    r.part,
    r.metric,
    format(r.value),
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
    r.baseline ?? '',
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...lines.map(l => String(l[i]).length)),
  );
  const line = cells =>
    cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ');
  console.log(
    `\n${line(header)}\n${widths.map(w => '-'.repeat(w)).join('-|-')}`,
  );
  for (const l of lines) console.log(line(l));
}

async function main() {
  const { only } = parseArgs(process.argv.slice(2));
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
        baseline: String(error.message).slice(0, 120),
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

  printTable(rows);
  // Parts skipped this time keep their last figures, each with its own ranAt.
  const file = path.join(__dirname, 'results/latest.json');
  let previous = {};
  try {
    previous = JSON.parse(fs.readFileSync(file, 'utf8')).parts ?? {};
  } catch {
    previous = {};
  }
  const result = {
    ranAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    parts: Object.fromEntries(
      Object.entries({ ...previous, ...parts }).sort(([x], [y]) =>
        x.localeCompare(y),
      ),
    ),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `\nWrote ${path.relative(process.cwd(), file)} in ${(
      (Date.now() - started) /
      1000
    ).toFixed(0)} s`,
  );
  process.exit(failed ? 1 : 0);
}

main().catch(error => {
  console.error(error);
  killAllNow();
  process.exit(1);
});
