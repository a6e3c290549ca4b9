/*
 * The emulator as a child process (its CLI), so the AWS side of a benchmark
 * runs on the other core rather than in the measured event loop.
 */
const net = require('node:net');
const path = require('node:path');
const { startProcess, stopProcess } = require('../../e2e/lib/processes');
const { waitForEmulator, emulatorAdmin } = require('../../e2e/lib/emulator');
const { requestJson } = require('../../e2e/lib/http');

const repoRoot = path.resolve(__dirname, '../..');

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
  const admin = emulatorAdmin(url);
  return {
    url,
    admin: {
      ...admin,
      setFaults: faults =>
        requestJson(`${url}/_emulator/faults`, { method: 'PUT', body: faults }),
      clearCalls: () =>
        requestJson(`${url}/_emulator/calls`, { method: 'DELETE' }),
      reset: () =>
        requestJson(`${url}/_emulator/reset`, { method: 'POST', body: {} }),
    },
    stop: () => stopProcess(handle),
  };
}

module.exports = { startEmulatorProcess, freePort };
