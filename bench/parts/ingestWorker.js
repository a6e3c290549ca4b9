/*
 * One measurement of part (i), in a process of its own so that its CPU time
 * and peak RSS are its own. Started by ingest.js with fork(); answers with
 * process.send.
 *
 *   product   the node library's ingestTrailLineage into the backend's
 *             DatabaseLineageEdgeStore (SQLite in a file), a trail seen for
 *             the first time: list, get, gunzip, parse, aggregate, commit
 *   baseline  listLogObjectsAfter + readLogRecords over the same files (the
 *             pipeline ingestion reads with) and a visitor that does nothing
 *   day       one simulated day of a trail's ingestion into a store that
 *             persists between days (its file), then one run that finds
 *             nothing new (the fixed cost of each five-minute run)
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const knexFactory = require('knex');
const { registerTypeScript } = require('../lib/typescript');

const REPEATS = 3;
const DAY_MS = 24 * 3600 * 1000;
const DEDUPE_HORIZON_MS = 2 * DAY_MS;

async function openStore(file) {
  const {
    DatabaseLineageEdgeStore,
  } = require('@lineage/plugin-dynamodb-lineage-backend/src/store/DatabaseLineageEdgeStore');
  const client = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
  const store = await DatabaseLineageEdgeStore.create({
    database: { getClient: async () => client },
  });
  return { store, client };
}

function cpuMs(since) {
  const cpu = process.cpuUsage(since);
  return (cpu.user + cpu.system) / 1000;
}

async function ratio(task, lib, s3) {
  const times = [];
  const cpuTimes = [];
  let evidence = {};
  for (let i = 0; i < REPEATS; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ingest-'));
    const { store, client } =
      task.mode === 'product'
        ? await openStore(path.join(dir, 'lineage.sqlite'))
        : {};
    const started = process.hrtime.bigint();
    const cpuStarted = process.cpuUsage();
    if (task.mode === 'product') {
      const result = await lib.ingestTrailLineage(s3, {
        trail: task.trail,
        accountRegions: [task.stream],
        cursors: [],
        now: new Date(task.now),
        backfillDays: 1,
        byteBudget: Number.MAX_SAFE_INTEGER,
        timeBudgetMs: 3_600_000,
        commit: async batch => {
          await store.commitIngestBatch(batch);
        },
      });
      evidence = result;
    } else {
      const { objects } = await lib.listLogObjectsAfter(
        s3,
        task.trail.s3BucketName,
        task.regionPrefix,
        task.startAfter,
      );
      let records = 0;
      const stats = await lib.readLogRecords(
        s3,
        task.trail.s3BucketName,
        objects.filter(o => o.key.endsWith('.json.gz')),
        {
          byteBudget: Number.MAX_SAFE_INTEGER,
          visit: () => {
            records += 1;
          },
        },
      );
      evidence = { ...stats, events: records };
    }
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    cpuTimes.push(cpuMs(cpuStarted));
    if (client) {
      const edges = await client('dynamodb_lineage_edge').count({ n: '*' });
      evidence.edgeRows = Number(edges[0].n);
      await client.destroy();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return {
    times,
    cpuTimes,
    evidence,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

async function day(task, lib, s3) {
  const { store, client } = await openStore(task.dbFile);
  const now = new Date(task.now);
  let peakHeap = 0;
  const run = async () => {
    const cursors = await store.getCursors(task.trail.arn);
    const result = await lib.ingestTrailLineage(s3, {
      trail: task.trail,
      accountRegions: [task.stream],
      cursors,
      now,
      backfillDays: 1,
      byteBudget: Number.MAX_SAFE_INTEGER,
      timeBudgetMs: 3_600_000,
      commit: async batch => {
        await store.commitIngestBatch(batch);
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      },
    });
    // What the scheduled task does after each run.
    await store.pruneSeenEvents(
      new Date(now.getTime() - DEDUPE_HORIZON_MS).toISOString(),
    );
    return result;
  };

  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const result = await run();
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const dayCpuMs = cpuMs(cpuStarted);

  // A run that finds nothing new: list, cursor commit, prune.
  const emptyStarted = process.hrtime.bigint();
  const emptyCpuStarted = process.cpuUsage();
  const empty = await run();
  const emptyWallMs = Number(process.hrtime.bigint() - emptyStarted) / 1e6;
  const emptyCpuMs = cpuMs(emptyCpuStarted);
  if (empty.filesRead !== 0) {
    throw new Error(`the second run read ${empty.filesRead} files again`);
  }
  const count = async table =>
    Number((await client(table).count({ n: '*' }))[0].n);
  const evidence = {
    ...result,
    seenRows: await count('dynamodb_lineage_seen_event'),
    edgeRows: await count('dynamodb_lineage_edge'),
    calls: Number(
      (await client('dynamodb_lineage_edge').sum({ n: 'calls' }))[0].n,
    ),
  };
  await client.destroy();
  return {
    wallMs,
    cpuMs: dayCpuMs,
    emptyWallMs,
    emptyCpuMs,
    peakHeapMiB: peakHeap / 2 ** 20,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    evidence,
  };
}

async function main(task) {
  registerTypeScript();
  const lib = require('@lineage/plugin-dynamodb-lineage-node');
  const aws = lib.DefaultAwsClientFactory.fromCredentials(
    id => ({ accessKeyId: id, secretAccessKey: 'bench' }),
    { endpoint: task.endpoint },
  );
  // The bucket's owner reads it, whichever account's logs the files are.
  const { s3 } = await aws.forAccount(task.bucketOwner, task.stream.region);
  return task.mode === 'day' ? day(task, lib, s3) : ratio(task, lib, s3);
}

process.once('message', task => {
  main(task).then(
    result => process.send({ ok: true, result }, () => process.exit(0)),
    error =>
      process.send({ ok: false, error: String(error.stack ?? error) }, () =>
        process.exit(1),
      ),
  );
});
