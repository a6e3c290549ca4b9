/*
 * Where the run's pieces listen. The defaults are the dev app's own ports;
 * E2E_APP_PORT, E2E_BACKEND_PORT and E2E_EMULATOR_PORT move them (for a
 * machine where `npm start` already runs), through a config overlay that the
 * frontend build and the backend both load.
 */
const fs = require('node:fs');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '../..');
const workDir = path.join(repoRoot, 'e2e/.run');

function port(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) {
    throw new Error(`${name} must be a TCP port (1-65535), got "${value}"`);
  }
  return parsed;
}

function settings() {
  const appPort = port('E2E_APP_PORT', 3000);
  const backendPort = port('E2E_BACKEND_PORT', 7007);
  const emulatorPort = port('E2E_EMULATOR_PORT', 4566);
  return {
    repoRoot,
    workDir,
    appPort,
    backendPort,
    emulatorPort,
    baseUrl: `http://localhost:${appPort}`,
    backendUrl: `http://localhost:${backendPort}`,
    emulatorUrl: `http://127.0.0.1:${emulatorPort}`,
    screenshotDir: path.join(repoRoot, 'docs/screenshots'),
    chromiumPath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
  };
}

/**
 * The overlay on app-config.yaml: ports, and trail discovery every 15 s so a
 * trail created by the template reaches the catalog within the run (the
 * product default is 10 minutes).
 */
function writeConfigOverlay(s) {
  const file = path.join(s.workDir, 'app-config.e2e.yaml');
  fs.mkdirSync(s.workDir, { recursive: true });
  fs.writeFileSync(
    file,
    [
      '# Written by e2e/run.js for one run; not a product setting.',
      'app:',
      `  baseUrl: ${s.baseUrl}`,
      'backend:',
      `  baseUrl: ${s.backendUrl}`,
      '  listen:',
      `    port: ${s.backendPort}`,
      '  cors:',
      `    origin: ${s.baseUrl}`,
      'dynamodbLineage:',
      '  aws:',
      `    endpoint: ${s.emulatorUrl}`,
      '  catalog:',
      '    schedule:',
      '      frequency: { seconds: 15 }',
      '      timeout: { minutes: 2 }',
      '      initialDelay: { seconds: 5 }',
      '',
    ].join('\n'),
  );
  return file;
}

module.exports = { settings, writeConfigOverlay, repoRoot };
