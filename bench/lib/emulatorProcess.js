/*
 * The emulator as a child process (its CLI), so the AWS side of a benchmark
 * runs on the other core rather than in the measured event loop. Its fault
 * randomness is always seeded with RANDOM_SEED: two runs draw the same faults.
 */
const net = require('node:net');
const path = require('node:path');
const { startProcess, stopProcess } = require('../../e2e/lib/processes');
const { waitForEmulator, emulatorAdmin } = require('../../e2e/lib/emulator');
const { requestJson } = require('../../e2e/lib/http');

const repoRoot = path.resolve(__dirname, '../..');

/** Seed of every benchmark emulator's fault draws (throttling). */
const RANDOM_SEED = 20261201;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The admin API of an emulator at `url`, its faults always seeded. */
function seededAdmin(url) {
  const admin = emulatorAdmin(url);
  const setFaults = (faults = {}) =>
    requestJson(`${url}/_emulator/faults`, {
      method: 'PUT',
      body: { ...faults, randomSeed: RANDOM_SEED },
    });
  return {
    ...admin,
    setFaults,
    clearCalls: () =>
      requestJson(`${url}/_emulator/calls`, { method: 'DELETE' }),
    // A reset clears the faults, seed included: seed them again.
    reset: async () => {
      await requestJson(`${url}/_emulator/reset`, { method: 'POST', body: {} });
      await setFaults({});
    },
  };
}

async function startEmulatorProcess(
  name,
  { deliveryIntervalMs = 300000 } = {},
) {
  const port = await freePort();
  const handle = startProcess(
    name,
    process.execPath,
    [
      path.join(repoRoot, 'packages/aws-emulator/bin/aws-emulator.js'),
      '--port',
      String(port),
      '--seed',
      'none',
      '--traffic-interval',
      '0',
      '--delivery-interval',
      String(deliveryIntervalMs),
    ],
    {
      cwd: repoRoot,
      logFile: path.join(repoRoot, 'bench/.run', `${name}.log`),
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForEmulator(url, {
    abort: () =>
      handle.exited ? `the emulator exited with ${handle.exitCode}` : undefined,
  });
  const admin = seededAdmin(url);
  await admin.setFaults({});
  return { url, admin, stop: () => stopProcess(handle) };
}

/**
 * Emulated time as a synchronous clock for the product's `now` options:
 * real time plus the emulator's offset, read again after every `advance`.
 */
async function emulatedClock(admin) {
  let offsetMs = (await admin.clock()).offsetMs;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance: async ms => {
      const report = await admin.advance(ms);
      offsetMs = (await admin.clock()).offsetMs;
      return report;
    },
  };
}

module.exports = {
  startEmulatorProcess,
  seededAdmin,
  emulatedClock,
  freePort,
  RANDOM_SEED,
};
