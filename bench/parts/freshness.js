/*
 * (b) Freshness of one trail whose bucket holds 500,000 log objects (a
 * year of files from eight regions): the node library's readRuntimeSignals
 * (what the refresh calls) lists only today's date prefix of the home region,
 * or yesterday's when today has none yet, and reads the newest files. Beside
 * it, the naive way: list the whole `AWSLogs/<account>/CloudTrail/` prefix
 * and take the newest object.
 *
 * The objects are real-size CloudTrail files made from real data events the
 * emulator delivered: in the home region a busy table's five minutes
 * (BUSY_RECORDS records), elsewhere a quiet region's (QUIET_RECORDS). The
 * emulator runs in this process: its bulk loader stores the half million
 * objects without HTTP (files of one kind share one buffer). Calls are
 * counted from its call log.
 */
const { registerTypeScript } = require('../lib/typescript');
const { RANDOM_SEED } = require('../lib/emulatorProcess');
const { logKey, realDataEvents, logFile } = require('../lib/logFiles');
const { round, elapsedMs } = require('../lib/stats');

const ACCOUNT = '555555555555';
const HOME = 'us-east-1';
const BUCKET = 'bench-freshness-logs-555555555555';
const OBJECTS = 500000;
const BUSY_RECORDS = 2500;
const QUIET_RECORDS = 100;
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
const METHOD =
  `readRuntimeSignals on one trail, cold (no cursor), in-process emulator; ${OBJECTS.toLocaleString(
    'en-US',
  )} objects = 8 regions × 365 days; ` +
  `home-region files ${BUSY_RECORDS.toLocaleString(
    'en-US',
  )} records, others ${QUIET_RECORDS}, made from real emulator data events; ` +
  'calls from the emulator call log; naive = ListObjectsV2 of AWSLogs/<account>/CloudTrail/ to the end';

/**
 * OBJECTS files spread evenly over the regions and the last 365 days up to
 * `now`, newest at `now` - 2 min: about 171 files per region and day.
 */
function* logObjects(now, bodies, logPrefix) {
  const perRegion = OBJECTS / REGIONS.length;
  const step = (365 * DAY_MS) / perRegion;
  for (const region of REGIONS) {
    const body = region === HOME ? bodies.busy : bodies.quiet;
    for (let i = 0; i < perRegion; i++) {
      const time = now - 2 * 60000 - i * step;
      yield {
        key: logKey(
          logPrefix,
          { accountId: ACCOUNT, region },
          time,
          `b${String(i).padStart(6, '0')}`,
        ),
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
    logPrefix,
  } = require('@lineage/plugin-dynamodb-lineage-node');
  const {
    CreateBucketCommand,
    ListObjectsV2Command,
  } = require('@aws-sdk/client-s3');

  const emulator = await startEmulator({ port: 0, seed: 'none' });
  emulator.faults.set({ randomSeed: RANDOM_SEED });
  try {
    const aws = DefaultAwsClientFactory.fromCredentials(
      id => ({ accessKeyId: id, secretAccessKey: 'bench' }),
      { endpoint: emulator.url },
    );
    const clients = await aws.forAccount(ACCOUNT, HOME);
    const templates = await realDataEvents(clients, {
      bucket: 'bench-freshness-templates',
      trail: 'templates',
      accountId: ACCOUNT,
      region: HOME,
      flush: () => emulator.flush(),
    });
    await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const now = emulator.clock.now();
    const file = (records, region) =>
      logFile(templates, {
        first: 0,
        records,
        deliveredAt: now - 2 * 60000,
        accountId: ACCOUNT,
        region,
      });
    const busy = file(BUSY_RECORDS, HOME);
    const quiet = file(QUIET_RECORDS, REGIONS[1]);
    const loadStarted = process.hrtime.bigint();
    const loaded = await emulator.loadObjects(
      BUCKET,
      logObjects(now, { busy: busy.body, quiet: quiet.body }, logPrefix),
    );
    const sizes = {
      busyKiB: round(busy.body.length / 1024, 0),
      busyUncompressedKiB: round(busy.json.length / 1024, 0),
      quietKiB: round(quiet.body.length / 1024, 1),
      quietUncompressedKiB: round(quiet.json.length / 1024, 0),
    };
    log(
      `  loaded ${loaded} log objects in ${(
        elapsedMs(loadStarted) / 1000
      ).toFixed(1)} s; file sizes ${JSON.stringify(sizes)}`,
    );

    const s3Calls = operation =>
      emulator.calls
        .list({ service: 's3' })
        .filter(c => c.operation === operation).length;
    const listCalls = () => s3Calls('ListObjectsV2');
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
        gets: s3Calls('GetObject'),
        dynamodbEvents: signals.dynamodbEvents.ok
          ? signals.dynamodbEvents.value
          : signals.dynamodbEvents.error,
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
      sizes,
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
          )} real-size log objects: list calls per trail (day / just after midnight UTC)`,
          value: `${daytime.lists} / ${afterMidnight.lists}`,
          detail: `naive whole-prefix listing: ${naiveLists} calls, ${round(
            naiveMs / 1000,
            1,
          )} s`,
          target: '≤ 2',
          met: worst <= 2,
          method: METHOD,
        },
        {
          part: 'b',
          metric:
            'freshness: time to the newest log object and its DynamoDB events, vs naive listing',
          value: `${daytime.ms} ms`,
          detail: `${daytime.gets} files read (${
            sizes.busyKiB
          } KiB each); naive listing ${round(naiveMs, 0)} ms (×${round(
            naiveMs / daytime.ms,
            0,
          )}); same newest time: ${same ? 'yes' : 'no'}`,
          method: METHOD,
        },
      ],
    };
  } finally {
    await emulator.stop();
  }
}

module.exports = { run };
