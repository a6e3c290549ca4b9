/*
 * (b) Freshness of one trail whose bucket holds 500,000 log objects (a
 * year of files from eight regions): the node library's readRuntimeSignals
 * (what the refresh calls) lists only today's date prefix of the home region,
 * or yesterday's when today has none yet. Beside it, the naive way: list the
 * whole `AWSLogs/<account>/CloudTrail/` prefix and take the newest object.
 *
 * The emulator runs in this process here: its bulk loader stores the half
 * million objects without HTTP. Calls are counted from its call log.
 */
const zlib = require('node:zlib');
const { registerTypeScript } = require('../lib/typescript');
const { round, elapsedMs } = require('../lib/stats');

const ACCOUNT = '555555555555';
const HOME = 'us-east-1';
const BUCKET = 'bench-freshness-logs-555555555555';
const OBJECTS = 500000;
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-central-1',
  'ap-southeast-1',
  'ap-northeast-1',
];
const DAY_MS = 24 * 3600 * 1000;

function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

/** CloudTrail's key of a file delivered at `time` in `region`. */
function logKey(region, time, unique) {
  const d = new Date(time);
  const ymd = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(
    d.getUTCDate(),
  )}`;
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(
    d.getUTCDate(),
  )}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
  return `AWSLogs/${ACCOUNT}/CloudTrail/${region}/${ymd}/${ACCOUNT}_CloudTrail_${region}_${stamp}_${unique}.json.gz`;
}

/**
 * OBJECTS files spread evenly over the regions and the last `days` days up to
 * `now`, newest at `now` - 2 min: about 171 files per region and day.
 */
function* logObjects(now, body) {
  const perRegion = OBJECTS / REGIONS.length;
  const days = 365;
  const step = (days * DAY_MS) / perRegion;
  for (const region of REGIONS) {
    for (let i = 0; i < perRegion; i++) {
      const time = now - 2 * 60000 - i * step;
      yield {
        key: logKey(region, time, `b${pad(i, 6)}`),
        body,
        lastModified: time,
      };
    }
  }
}

function trailDescription() {
  return {
    name: 'org-audit',
    arn: `arn:aws:cloudtrail:${HOME}:${ACCOUNT}:trail/org-audit`,
    accountId: ACCOUNT,
    homeRegion: HOME,
    s3BucketName: BUCKET,
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    isOrganizationTrail: false,
    logFileValidationEnabled: true,
  };
}

async function naiveNewest(s3, ListObjectsV2Command) {
  let token;
  let newest;
  let pages = 0;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: `AWSLogs/${ACCOUNT}/CloudTrail/`,
        ContinuationToken: token,
      }),
    );
    pages++;
    for (const item of page.Contents ?? []) {
      if (!newest || item.LastModified > newest.LastModified) newest = item;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { pages, newest };
}

async function run({ log }) {
  registerTypeScript();
  const { startEmulator } = require('@lineage/aws-emulator');
  const {
    DefaultAwsClientFactory,
    readRuntimeSignals,
  } = require('@lineage/plugin-dynamodb-lineage-node');
  const {
    CreateBucketCommand,
    ListObjectsV2Command,
  } = require('@aws-sdk/client-s3');

  const emulator = await startEmulator({ port: 0, seed: 'none' });
  try {
    const aws = DefaultAwsClientFactory.fromCredentials(
      id => ({ accessKeyId: id, secretAccessKey: 'bench' }),
      { endpoint: emulator.url },
    );
    const clients = await aws.forAccount(ACCOUNT, HOME);
    await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const body = zlib.gzipSync(JSON.stringify({ Records: [] }));
    const now = emulator.clock.now();
    const loadStarted = process.hrtime.bigint();
    const loaded = await emulator.loadObjects(BUCKET, logObjects(now, body));
    log(
      `  loaded ${loaded} log objects in ${(
        elapsedMs(loadStarted) / 1000
      ).toFixed(1)} s`,
    );

    const listCalls = () =>
      emulator.calls
        .list({ service: 's3' })
        .filter(c => c.operation === 'ListObjectsV2').length;
    const measure = async (label, at) => {
      emulator.calls.clear();
      const started = process.hrtime.bigint();
      const signals = await readRuntimeSignals(clients, trailDescription(), {
        now: new Date(at),
      });
      const ms = elapsedMs(started);
      if (!signals.logObjects.ok) {
        throw new Error(
          `readRuntimeSignals failed (${label}): ${signals.logObjects.error}`,
        );
      }
      const { newestKey, newestLastModified } = signals.logObjects.value;
      return {
        label,
        ms: round(ms, 1),
        lists: listCalls(),
        newestKey,
        newestLastModified,
      };
    };

    // Warm the clients and the key index once, then measure.
    await measure('warm-up', now);
    const daytime = await measure('during the day', now);
    // Just after midnight UTC today's prefix is still empty: yesterday's is listed too.
    const midnight = new Date(now);
    midnight.setUTCHours(24, 1, 0, 0);
    const afterMidnight = await measure(
      'just after midnight',
      midnight.getTime(),
    );

    emulator.calls.clear();
    const naiveStarted = process.hrtime.bigint();
    const naive = await naiveNewest(clients.s3, ListObjectsV2Command);
    const naiveMs = elapsedMs(naiveStarted);
    const naiveLists = listCalls();
    // The home region's newest file is as recent as the bucket's newest.
    const same =
      naive.newest?.LastModified?.toISOString() === daytime.newestLastModified;
    if (!same) {
      log(
        `  note: the naive newest (${naive.newest?.LastModified?.toISOString()}) differs from ` +
          `${daytime.newestLastModified}`,
      );
    }
    const details = {
      objects: loaded,
      daytime,
      afterMidnight,
      naive: {
        lists: naiveLists,
        ms: round(naiveMs, 0),
        newestKey: naive.newest?.Key,
      },
      sameNewest: same,
    };
    const worst = Math.max(daytime.lists, afterMidnight.lists);
    return {
      details,
      rows: [
        {
          part: 'b',
          metric: `freshness, ${loaded.toLocaleString(
            'en-US',
          )} log objects: list calls per trail (day / after midnight)`,
          value: `${daytime.lists} / ${afterMidnight.lists}`,
          baseline: `naive whole-prefix listing: ${naiveLists} calls, ${round(
            naiveMs / 1000,
            1,
          )} s`,
          target: '≤ 2',
          met: worst <= 2,
        },
        {
          part: 'b',
          metric: 'freshness: time to the newest log object, vs naive listing',
          value: `${daytime.ms} ms`,
          baseline: `naive ${round(naiveMs, 0)} ms (×${round(
            naiveMs / daytime.ms,
            0,
          )}); same newest time: ${same ? 'yes' : 'no'}`,
        },
      ],
    };
  } finally {
    await emulator.stop();
  }
}

module.exports = { run };
