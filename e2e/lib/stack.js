/*
 * Starts what the journeys and the page benchmark run against: the emulator
 * with the demo seed, the backend, and the frontend (a production build served
 * statically, or `backstage-cli repo start` in dev mode). Every child runs in
 * its own process group; the caller stops them with stopAll().
 */
const net = require('node:net');
const path = require('node:path');
const { writeConfigOverlay } = require('./settings');
const { startProcess, tailLog } = require('./processes');
const { waitFor, statusOf } = require('./http');
const { waitForEmulator } = require('./emulator');
const { guestToken, catalogApi } = require('./backstage');

/** The aws-account Resources of the demo teams; the journeys need them processed. */
const DEMO_ACCOUNTS = [
  'aws-payments-prod',
  'aws-orders-prod',
  'aws-inventory-prod',
  'aws-analytics-prod',
];

/** The backend answers before the catalog has read examples/: wait for the accounts. */
async function waitForDemoCatalog(backendUrl, { abort }) {
  const catalog = catalogApi(backendUrl, await guestToken(backendUrl));
  await waitFor(
    `the catalog to hold ${DEMO_ACCOUNTS.join(', ')} with their owners`,
    async () => {
      const entities = await Promise.all(
        DEMO_ACCOUNTS.map(name =>
          catalog.entity('resource', 'default', name).catch(() => undefined),
        ),
      );
      return entities.every(e => e?.relations?.some(r => r.type === 'ownedBy'));
    },
    { timeoutMs: 120000, intervalMs: 1000, abort },
  );
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

function portFree(port) {
  return new Promise(resolve => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** Fails the wait at once when a child it depends on has exited. */
function exitedChild(...handles) {
  return () => {
    const gone = handles.find(h => h.exited);
    return gone
      ? `${gone.name} exited with ${
          gone.exitCode
        }; its log ends with:\n${tailLog(gone)}`
      : undefined;
  };
}

function runProcess(name, command, args, options) {
  const handle = startProcess(name, command, args, options);
  return new Promise((resolve, reject) => {
    handle.child.on('exit', code => {
      if (code === 0) resolve(handle);
      else
        reject(
          new Error(
            `${name} failed with ${code}; its log ends with:\n${tailLog(
              handle,
            )}`,
          ),
        );
    });
  });
}

async function startStack(s, mode, log) {
  const node = process.execPath;
  const cli = path.join(
    s.repoRoot,
    'node_modules/@backstage/cli/bin/backstage-cli',
  );
  const overlay = writeConfigOverlay(s);
  const configArgs = [
    '--config',
    path.join(s.repoRoot, 'app-config.yaml'),
    '--config',
    overlay,
  ];
  const logs = name => path.join(s.workDir, `${name}.log`);

  for (const [what, port] of [
    ['app', s.appPort],
    ['backend', s.backendPort],
    ['emulator', s.emulatorPort],
  ]) {
    if (!(await portFree(port))) {
      throw new Error(
        `Port ${port} (${what}) is in use; stop what listens there (npm start?) or set ` +
          `E2E_APP_PORT / E2E_BACKEND_PORT / E2E_EMULATOR_PORT`,
      );
    }
  }

  const started = Date.now();
  const emulator = startProcess(
    'emulator',
    node,
    [
      path.join(s.repoRoot, 'packages/aws-emulator/bin/aws-emulator.js'),
      '--port',
      String(s.emulatorPort),
      '--seed',
      'demo',
    ],
    { cwd: s.repoRoot, logFile: logs('emulator') },
  );
  await waitForEmulator(s.emulatorUrl, { abort: exitedChild(emulator) });
  log(
    `emulator ready at ${s.emulatorUrl} after ${seconds(Date.now() - started)}`,
  );

  let backend;
  let frontendReady;
  if (mode === 'dev') {
    backend = startProcess(
      'backstage',
      node,
      [cli, 'repo', 'start', ...configArgs],
      {
        cwd: s.repoRoot,
        logFile: logs('backstage'),
      },
    );
    frontendReady = Promise.resolve(backend);
  } else {
    backend = startProcess(
      'backend',
      node,
      [
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs', {
          paths: [s.repoRoot],
        }),
        'src/index.ts',
        ...configArgs,
      ],
      {
        cwd: path.join(s.repoRoot, 'packages/backend'),
        // The guest provider only signs in when NODE_ENV is development.
        env: { NODE_ENV: 'development' },
        logFile: logs('backend'),
      },
    );
    const buildStarted = Date.now();
    frontendReady = runProcess(
      'app build',
      node,
      [cli, 'package', 'build', ...configArgs],
      {
        cwd: path.join(s.repoRoot, 'packages/app'),
        logFile: logs('app-build'),
      },
    ).then(() => {
      log(`frontend built in ${seconds(Date.now() - buildStarted)}`);
      return startProcess(
        'app server',
        node,
        [
          path.join(__dirname, 'staticServer.js'),
          path.join(s.repoRoot, 'packages/app/dist'),
          String(s.appPort),
        ],
        { cwd: s.repoRoot, logFile: logs('app-server') },
      );
    });
  }

  const backendUp = waitFor(
    `the backend at ${s.backendUrl} (/api/dynamodb-lineage/health answering 401)`,
    async () =>
      (await statusOf(`${s.backendUrl}/api/dynamodb-lineage/health`)) === 401,
    { timeoutMs: 240000, intervalMs: 1000, abort: exitedChild(backend) },
  ).then(() => log(`backend ready after ${seconds(Date.now() - started)}`));

  const appUp = frontendReady.then(server =>
    waitFor(
      `the frontend at ${s.baseUrl}`,
      async () => {
        const response = await fetch(s.baseUrl, {
          signal: AbortSignal.timeout(120000),
        });
        const html = await response.text();
        return response.ok && html.includes('<script');
      },
      { timeoutMs: 240000, intervalMs: 1000, abort: exitedChild(server) },
    ).then(() => log(`frontend ready after ${seconds(Date.now() - started)}`)),
  );
  await Promise.all([backendUp, appUp]);
  await waitForDemoCatalog(s.backendUrl, { abort: exitedChild(backend) });
  log(
    `catalog holds the demo teams' accounts after ${seconds(
      Date.now() - started,
    )}`,
  );
  return { readyMs: Date.now() - started };
}

module.exports = { startStack, seconds };
