/*
 * (i) Lineage store ingestion. The emulator runs in this process (its bulk
 * loader stores the files without HTTP); every measurement runs in a forked
 * process of its own, so its CPU time and peak RSS are its own.
 *
 * Throughput: FILES log files of RECORDS records made from real DynamoDB data
 * events the emulator delivered (fresh event ids, 25 principals, 5 tables),
 * ingested as a trail seen for the first time — ingestTrailLineage into the
 * backend's DatabaseLineageEdgeStore (SQLite in a file): list, get, gunzip,
 * parse, aggregate into daily edges, commit edges, event ids and cursor —
 * against the same read pipeline (listLogObjectsAfter + readLogRecords) with
 * a visitor that does nothing. Ratio of the median CPU times (every thread).
 *
 * A month at 1,000,000 DynamoDB events a day for one trail: CloudTrail's
 * cadence, one file every five minutes (288 a day of 3,473 records, real
 * record size). SIM_DAYS consecutive days are generated and ingested, each
 * day by a fresh process into the same store file, then one run that finds
 * nothing new (the fixed cost of each of the 288 scheduled runs a day). The
 * month is extrapolated from the last simulated day: per-day work depends on
 * the day only through the store's size, and the event ids kept (the largest
 * table) stop growing once the two-day de-duplication horizon is full, which
 * it is by the second day; edges add a few hundred rows a day.
 */
const path = require('node:path');
const os = require('node:os');
const fs = require('node:fs');
const zlib = require('node:zlib');
const { fork } = require('node:child_process');
const { registerTypeScript } = require('../lib/typescript');
const { RANDOM_SEED } = require('../lib/emulatorProcess');
const { logKey, realDataEvents, logFile } = require('../lib/logFiles');
const { median, round } = require('../lib/stats');

const RATIO_ACCOUNT = '777777777777';
const MONTH_ACCOUNT = '888888888888';
const REGION = 'us-east-1';
const BUCKET = 'bench-ingest-logs';
const FILES = 30;
const RECORDS = 2500;
const ROUNDS = 1;
const EVENTS_PER_DAY = 1_000_000;
const FILES_PER_DAY = 288;
const PER_FILE = Math.ceil(EVENTS_PER_DAY / FILES_PER_DAY);
const SIM_DAYS = 2;
const MONTH_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;
const SLOT_MS = 5 * 60000;
/** A fixed first simulated day, so the days never depend on the time of the run. */
const FIRST_DAY = Date.parse('2026-01-05T00:00:00.000Z');

const spread = values => `${Math.min(...values)}–${Math.max(...values)}`;

function runWorker(task) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'ingestWorker.js'), [], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.on('message', message => {
      if (message?.ok === true) resolve(message.result);
      else if (message?.ok === false)
        reject(new Error(`${task.mode}: ${message.error}`));
    });
    child.once('exit', code => {
      if (code !== 0)
        reject(new Error(`${task.mode} worker exited with ${code}`));
    });
    child.send(task);
  });
}

function trailOf(accountId) {
  return {
    arn: `arn:aws:cloudtrail:${REGION}:${accountId}:trail/lineage-bench`,
    s3BucketName: BUCKET,
    isOrganizationTrail: false,
  };
}

/**
 * An hour-template file cut at its event ids and times, so that a copy with
 * other ids and times is a join rather than a parse or a regular expression.
 */
function cutTemplate(json) {
  const pieces = json.split(/"(?:eventID|eventTime)":"[^"]*"/);
  const fields = [...json.matchAll(/"(eventID|eventTime)":"[^"]*"/g)].map(
    m => m[1],
  );
  return { pieces, fields };
}

/**
 * The files of one simulated day: an hour of real-record files (12) made
 * once, then every five-minute slot a copy of its hour's file with fresh
 * event ids and the slot's event times (gzip level 1, to generate quickly).
 */
function* dayFiles(hourTemplates, day, logPrefix) {
  const stream = { accountId: MONTH_ACCOUNT, region: REGION };
  const dayStart = FIRST_DAY + day * DAY_MS;
  for (let slot = 0; slot < FILES_PER_DAY; slot++) {
    const deliveredAt = dayStart + (slot + 1) * SLOT_MS;
    const { pieces, fields } = hourTemplates[slot % hourTemplates.length];
    const out = [pieces[0]];
    let n = 0;
    let t = 0;
    for (let i = 0; i < fields.length; i++) {
      if (fields[i] === 'eventID') {
        out.push(`"eventID":"${`d${day}-s${slot}-n${n++}`.padStart(36, '0')}"`);
      } else {
        const time =
          deliveredAt - SLOT_MS + Math.floor((t++ * SLOT_MS) / PER_FILE);
        out.push(
          `"eventTime":"${new Date(time)
            .toISOString()
            .replace(/\.\d{3}Z$/, 'Z')}"`,
        );
      }
      out.push(pieces[i + 1]);
    }
    const json = Buffer.from(out.join(''));
    yield {
      key: logKey(logPrefix, stream, deliveredAt, `sim${day}x${slot}`),
      body: zlib.gzipSync(json, { level: 1 }),
      lastModified: deliveredAt,
      uncompressed: json.length,
    };
  }
}

async function run({ log }) {
  registerTypeScript();
  const { startEmulator } = require('@lineage/aws-emulator');
  const {
    DefaultAwsClientFactory,
    logPrefix,
    regionLogPrefix,
  } = require('@lineage/plugin-dynamodb-lineage-node');
  const { CreateBucketCommand } = require('@aws-sdk/client-s3');

  const emulator = await startEmulator({ port: 0, seed: 'none' });
  emulator.faults.set({ randomSeed: RANDOM_SEED });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ingest-month-'));
  try {
    const aws = DefaultAwsClientFactory.fromCredentials(
      id => ({ accessKeyId: id, secretAccessKey: 'bench' }),
      { endpoint: emulator.url },
    );
    const clients = await aws.forAccount(RATIO_ACCOUNT, REGION);
    const templates = await realDataEvents(clients, {
      bucket: 'bench-ingest-templates',
      trail: 'templates',
      accountId: RATIO_ACCOUNT,
      region: REGION,
      flush: () => emulator.flush(),
    });
    await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));

    // Throughput: FILES files delivered five minutes apart, the newest an hour before `now`.
    const now = FIRST_DAY + 40 * DAY_MS;
    const ratioStream = { accountId: RATIO_ACCOUNT, region: REGION };
    let uncompressed = 0;
    const ratioFiles = [];
    for (let f = 0; f < FILES; f++) {
      const deliveredAt = now - 3600000 - (FILES - 1 - f) * SLOT_MS;
      const { json, body } = logFile(templates, {
        first: f * RECORDS,
        records: RECORDS,
        deliveredAt,
        ...ratioStream,
      });
      uncompressed += json.length;
      ratioFiles.push({
        key: logKey(logPrefix, ratioStream, deliveredAt, `ratio${f}`),
        body,
        lastModified: deliveredAt,
      });
    }
    await emulator.loadObjects(BUCKET, ratioFiles);
    const mib = uncompressed / 2 ** 20;
    const records = FILES * RECORDS;
    const task = {
      endpoint: emulator.url,
      bucketOwner: RATIO_ACCOUNT,
      trail: trailOf(RATIO_ACCOUNT),
      stream: ratioStream,
      now,
      regionPrefix: regionLogPrefix({}, RATIO_ACCOUNT, REGION),
      startAfter: logPrefix({}, RATIO_ACCOUNT, REGION, new Date(now - DAY_MS)),
    };
    const runs = { product: [], baseline: [] };
    for (let pass = 0; pass < ROUNDS; pass++) {
      for (const mode of ['product', 'baseline']) {
        runs[mode].push(await runWorker({ ...task, mode }));
      }
    }
    const merge = results => ({
      times: results.flatMap(r => r.times),
      cpuTimes: results.flatMap(r => r.cpuTimes),
      evidence: results[0].evidence,
      maxRssMiB: Math.max(...results.map(r => r.maxRssMiB)),
    });
    const product = merge(runs.product);
    const baseline = merge(runs.baseline);
    if (
      product.evidence.filesRead !== FILES ||
      baseline.evidence.filesRead !== FILES ||
      product.evidence.events !== records ||
      product.evidence.truncated
    ) {
      throw new Error(
        `ingestion read ${product.evidence.filesRead} files / ${product.evidence.events} events, baseline ${baseline.evidence.filesRead} files, of ${FILES} / ${records}`,
      );
    }
    const ratio = round(
      median(baseline.cpuTimes) / median(product.cpuTimes),
      2,
    );
    const wallRatio = round(median(baseline.times) / median(product.times), 2);
    const cpuMibPerS = r => round(mib / (median(r.cpuTimes) / 1000), 1);
    log(
      `  throughput: ${records} events, ${round(
        mib,
        1,
      )} MiB; CPU ms product ${spread(
        product.cpuTimes.map(t => Math.round(t)),
      )}, baseline ${spread(baseline.cpuTimes.map(t => Math.round(t)))}`,
    );

    // The simulated month.
    const hourTemplates = [];
    for (let h = 0; h < 12; h++) {
      hourTemplates.push(
        cutTemplate(
          logFile(templates, {
            first: h * PER_FILE,
            records: PER_FILE,
            deliveredAt: FIRST_DAY,
            accountId: MONTH_ACCOUNT,
            region: REGION,
          }).json.toString('utf8'),
        ),
      );
    }
    const dbFile = path.join(dir, 'lineage.sqlite');
    const days = [];
    let dayUncompressed = 0;
    for (let day = 0; day < SIM_DAYS; day++) {
      const generated = Date.now();
      const files = [...dayFiles(hourTemplates, day, logPrefix)];
      dayUncompressed = files.reduce((sum, f) => sum + f.uncompressed, 0);
      await emulator.loadObjects(BUCKET, files);
      const generatedMs = Date.now() - generated;
      const result = await runWorker({
        mode: 'day',
        endpoint: emulator.url,
        bucketOwner: RATIO_ACCOUNT,
        trail: trailOf(MONTH_ACCOUNT),
        stream: { accountId: MONTH_ACCOUNT, region: REGION },
        now: FIRST_DAY + (day + 1) * DAY_MS,
        dbFile,
      });
      if (
        result.evidence.filesRead !== FILES_PER_DAY ||
        result.evidence.events !== FILES_PER_DAY * PER_FILE ||
        result.evidence.calls + 0 < (day + 1) * FILES_PER_DAY * PER_FILE * 0.5
      ) {
        throw new Error(
          `day ${day}: read ${result.evidence.filesRead} files, ${result.evidence.events} events`,
        );
      }
      log(
        `  simulated day ${day + 1}: generated in ${round(
          generatedMs / 1000,
          1,
        )} s; ingested in ${round(result.wallMs / 1000, 1)} s wall, ${round(
          result.cpuMs / 1000,
          1,
        )} s CPU; empty run ${round(
          result.emptyWallMs,
          0,
        )} ms; peak RSS ${round(result.maxRssMiB, 0)} MiB, heap ${round(
          result.peakHeapMiB,
          0,
        )} MiB; ${result.evidence.seenRows} ids kept, ${
          result.evidence.edgeRows
        } edges`,
      );
      days.push(result);
    }
    const last = days[days.length - 1];
    // One day's work: the day's files, plus the fixed cost of the other 287 runs.
    const dayCpuS = (last.cpuMs + (FILES_PER_DAY - 1) * last.emptyCpuMs) / 1000;
    const dayWallS =
      (last.wallMs + (FILES_PER_DAY - 1) * last.emptyWallMs) / 1000;
    const perDeliveredDay = dayCpuS / (DAY_MS / 1000);
    const monthCpuMin = (MONTH_DAYS * dayCpuS) / 60;
    const peakRss = Math.max(...days.map(d => d.maxRssMiB));
    const peakHeap = Math.max(...days.map(d => d.peakHeapMiB));

    const details = {
      throughput: {
        files: FILES,
        records,
        uncompressedMiB: round(mib, 1),
        ratio,
        wallRatio,
        product: {
          cpuMs: product.cpuTimes.map(t => round(t, 0)),
          wallMs: product.times.map(t => round(t, 0)),
          cpuMibPerS: cpuMibPerS(product),
          maxRssMiB: round(product.maxRssMiB, 0),
          ...product.evidence,
        },
        baseline: {
          cpuMs: baseline.cpuTimes.map(t => round(t, 0)),
          wallMs: baseline.times.map(t => round(t, 0)),
          cpuMibPerS: cpuMibPerS(baseline),
          maxRssMiB: round(baseline.maxRssMiB, 0),
        },
      },
      month: {
        eventsPerDay: FILES_PER_DAY * PER_FILE,
        filesPerDay: FILES_PER_DAY,
        dayUncompressedMiB: round(dayUncompressed / 2 ** 20, 0),
        simulatedDays: SIM_DAYS,
        extrapolatedDays: MONTH_DAYS,
        days: days.map(d => ({
          wallS: round(d.wallMs / 1000, 1),
          cpuS: round(d.cpuMs / 1000, 1),
          emptyRunMs: round(d.emptyWallMs, 0),
          emptyRunCpuMs: round(d.emptyCpuMs, 0),
          maxRssMiB: round(d.maxRssMiB, 0),
          peakHeapMiB: round(d.peakHeapMiB, 0),
          seenRows: d.evidence.seenRows,
          edgeRows: d.evidence.edgeRows,
        })),
        dayCpuS: round(dayCpuS, 1),
        dayWallS: round(dayWallS, 1),
        cpuSecondsPerDeliveredSecond: round(perDeliveredDay, 5),
        monthCpuMinutes: round(monthCpuMin, 1),
      },
    };
    return {
      details,
      rows: [
        {
          part: 'i',
          metric: `lineage ingestion (${round(
            mib,
            0,
          )} MiB, ${records.toLocaleString(
            'en-US',
          )} events): ingestTrailLineage into the SQLite edge store ÷ the same read pipeline with a no-op visitor`,
          value: ratio,
          detail: `${details.throughput.product.cpuMibPerS} vs ${details.throughput.baseline.cpuMibPerS} MiB per CPU second; wall-time ratio ${wallRatio}`,
          target: '≥ 0.8',
          met: ratio >= 0.8,
          method:
            `${FILES} files × ${RECORDS.toLocaleString(
              'en-US',
            )} records made from real emulator data events, in-process emulator; ` +
            'product = ingestTrailLineage of a trail seen for the first time into DatabaseLineageEdgeStore (SQLite file): list, get, gunzip, parse, aggregate, commit edges + event ids + cursor; ' +
            'baseline = listLogObjectsAfter + readLogRecords over the same files with a no-op visitor; one process of each, 3 runs each; ratio of the medians of CPU time (all threads of the measuring process)',
        },
        {
          part: 'i',
          metric: `a month at ${EVENTS_PER_DAY.toLocaleString(
            'en-US',
          )} DynamoDB events a day on one trail: ingestion CPU seconds per delivered second (one core)`,
          value: details.month.cpuSecondsPerDeliveredSecond,
          detail: `${details.month.dayCpuS} CPU s (${details.month.dayWallS} s wall) per delivered day of ${FILES_PER_DAY} files, ${details.month.dayUncompressedMiB} MiB; month ≈ ${details.month.monthCpuMinutes} CPU minutes (extrapolated ×${MONTH_DAYS} from day ${SIM_DAYS} of ${SIM_DAYS} simulated)`,
          target: '< 1 (stays ahead of delivery)',
          met: perDeliveredDay < 1,
          method:
            `${SIM_DAYS} consecutive simulated days, each ${FILES_PER_DAY} files × ${PER_FILE.toLocaleString(
              'en-US',
            )} real-size records (an hour of files from real emulator events, copied with fresh event ids and times), ingested by a fresh process into one SQLite store file, then one run finding nothing new; ` +
            `a day = the day's run + ${
              FILES_PER_DAY - 1
            } × the empty run (one run every five minutes); the month is ×${MONTH_DAYS} the last simulated day: per-day work depends on the day only through the store's size, and the event ids kept stop growing at the two-day horizon, full by day 2`,
        },
        {
          part: 'i',
          metric:
            'lineage ingestion of a simulated day: peak RSS / peak heap of the ingesting process',
          value: `${round(peakRss, 0)} MiB / ${round(peakHeap, 0)} MiB`,
          detail: `per day: ${days
            .map(d => `${round(d.maxRssMiB, 0)} / ${round(d.peakHeapMiB, 0)}`)
            .join(
              ', ',
            )} MiB; a run holds at most one batch (16 files) of edges and event ids`,
          method:
            'maxRSS of the process (process.resourceUsage), Node and the SDK included; heapUsed sampled after each commit',
        },
      ],
    };
  } finally {
    await emulator.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { run };
