/*
 * (c) Lineage parsing throughput. Real DynamoDB data events delivered by the
 * emulator (a child process) are the templates of FILES log files of RECORDS
 * records each (fresh event ids, times within the window, 25 principals,
 * 5 tables), stored in a trail's bucket at CloudTrail's keys. Then, each
 * measurement in a fresh process (three of each, alternated), three runs each:
 * - product:  readTableLineage for one table over the window (GET /lineage's path);
 * - baseline: the same read pipeline the product uses — listLogObjects, then
 *   readLogRecords (download, gunzip off the main thread with read-ahead,
 *   JSON.parse) — over the same files, with a visitor that does nothing.
 * The ratio is the baseline's CPU time ÷ the product's (medians; every
 * thread of the measuring process, the zlib pool included): what
 * recognising, deduplicating and aggregating the events costs on top of
 * reading them, without the waits of a loaded machine. Wall time is beside it.
 */
const path = require('node:path');
const { fork } = require('node:child_process');
const { registerTypeScript } = require('../lib/typescript');
const { startEmulatorProcess } = require('../lib/emulatorProcess');
const { logKey, realDataEvents, logFile } = require('../lib/logFiles');
const { median, round } = require('../lib/stats');

const ACCOUNT = '666666666666';
const REGION = 'us-east-1';
const BUCKET = 'bench-lineage-logs-666666666666';
const TRAIL = 'lineage-bench';
const FILES = 40;
const RECORDS = 2500;
const ROUNDS = 3;

const METHOD =
  `${FILES} files × ${RECORDS.toLocaleString(
    'en-US',
  )} records made from real emulator data events; ` +
  'product = readTableLineage of one table; baseline = the same pipeline (listLogObjects + readLogRecords: ' +
  'GetObject, gunzip on the zlib thread pool with read-ahead, JSON.parse) with a no-op visitor; ' +
  '3 processes of each, alternated, 3 runs each; ratio of the medians of CPU time (all threads of the measuring process, so waiting for a core of the loaded machine is left out; wall time beside it)';

/** The range of a list of figures, `min–max`. */
const spread = values => `${Math.min(...values)}–${Math.max(...values)}`;

function runWorker(task) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'parsingWorker.js'), [], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    // The TypeScript hook also talks over IPC ({ type: 'watch' }): wait for the answer.
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

async function run({ log }) {
  registerTypeScript();
  const {
    DefaultAwsClientFactory,
    logPrefix,
  } = require('@lineage/plugin-dynamodb-lineage-node');
  const { PutObjectCommand } = require('@aws-sdk/client-s3');
  const emulator = await startEmulatorProcess('bench-emulator-parsing');
  try {
    const aws = DefaultAwsClientFactory.fromCredentials(
      id => ({ accessKeyId: id, secretAccessKey: 'bench' }),
      { endpoint: emulator.url },
    );
    const clients = await aws.forAccount(ACCOUNT, REGION);
    const templates = await realDataEvents(clients, {
      bucket: BUCKET,
      trail: TRAIL,
      accountId: ACCOUNT,
      region: REGION,
      flush: emulator.admin.flush,
    });
    const { nowMs } = await emulator.admin.clock();

    // Files five minutes apart, the newest 10 minutes old, each spanning its five minutes.
    const stream = { accountId: ACCOUNT, region: REGION };
    let uncompressed = 0;
    let compressed = 0;
    for (let f = 0; f < FILES; f++) {
      const deliveredAt = nowMs - 10 * 60000 - (FILES - 1 - f) * 5 * 60000;
      const { json, body } = logFile(templates, {
        first: f * RECORDS,
        records: RECORDS,
        deliveredAt,
        ...stream,
      });
      await clients.s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: logKey(logPrefix, stream, deliveredAt, `bench${f}`),
          Body: body,
        }),
      );
      uncompressed += json.length;
      compressed += body.length;
    }
    const records = FILES * RECORDS;
    const mib = uncompressed / 2 ** 20;
    log(
      `  ${FILES} files, ${records} records from ${templates.length} real templates: ` +
        `${round(mib, 1)} MiB (${round(compressed / 2 ** 20, 1)} MiB gzipped)`,
    );

    const task = {
      endpoint: emulator.url,
      trail: {
        name: TRAIL,
        arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${TRAIL}`,
        accountId: ACCOUNT,
        homeRegion: REGION,
        s3BucketName: BUCKET,
        isMultiRegionTrail: false,
        includeGlobalServiceEvents: true,
        isOrganizationTrail: false,
        logFileValidationEnabled: false,
      },
      prefix: `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/`,
      tableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`,
      from: nowMs - 24 * 3600 * 1000,
      to: nowMs,
    };
    // Alternated, so that a change of load on the machine hits both alike.
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
    // Both read the same files: the generated ones and the emulator's own delivery.
    for (const [name, result] of Object.entries({ product, baseline })) {
      if (
        result.evidence.filesRead !== baseline.evidence.filesRead ||
        result.evidence.filesRead < FILES ||
        result.evidence.truncated
      ) {
        throw new Error(
          `${name} read ${result.evidence.filesRead} files of ${FILES}+ (truncated: ${result.evidence.truncated})`,
        );
      }
    }

    const rate = r => ({
      cpuMibPerS: round(mib / (median(r.cpuTimes) / 1000), 1),
      wallMibPerS: round(mib / (median(r.times) / 1000), 1),
      eventsPerCpuS: Math.round(records / (median(r.cpuTimes) / 1000)),
      cpuMs: r.cpuTimes.map(t => round(t, 0)),
      wallMs: r.times.map(t => round(t, 0)),
      maxRssMiB: round(r.maxRssMiB, 0),
      ...r.evidence,
    });
    const details = {
      files: FILES,
      records,
      uncompressedMiB: round(mib, 1),
      compressedMiB: round(compressed / 2 ** 20, 1),
      product: rate(product),
      baseline: rate(baseline),
    };
    details.ratio = round(
      median(baseline.cpuTimes) / median(product.cpuTimes),
      2,
    );
    details.wallRatio = round(
      median(baseline.times) / median(product.times),
      2,
    );
    return {
      details,
      rows: [
        {
          part: 'c',
          metric: `lineage parsing (${round(
            mib,
            0,
          )} MiB, ${records.toLocaleString(
            'en-US',
          )} events): readTableLineage ÷ the same read pipeline with a no-op visitor`,
          value: details.ratio,
          detail: `${details.product.cpuMibPerS} vs ${
            details.baseline.cpuMibPerS
          } MiB per CPU second (CPU ms per run: product ${spread(
            details.product.cpuMs,
          )}, baseline ${spread(details.baseline.cpuMs)}); wall-time ratio ${
            details.wallRatio
          } (${details.product.wallMibPerS} vs ${
            details.baseline.wallMibPerS
          } MiB/s)`,
          target: '≥ 0.7',
          met: details.ratio >= 0.7,
          method: METHOD,
        },
        {
          part: 'c',
          metric: 'lineage parsing: peak RSS of the process',
          value: `${details.product.maxRssMiB} MiB`,
          detail: `baseline ${details.baseline.maxRssMiB} MiB`,
          method:
            'maxRSS of the measuring process (process.resourceUsage), Node and the SDK included',
        },
      ],
    };
  } finally {
    await emulator.stop();
  }
}

module.exports = { run };
