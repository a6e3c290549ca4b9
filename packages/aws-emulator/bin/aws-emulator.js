#!/usr/bin/env node
/*
 * Runs the AWS emulator from its TypeScript sources, no build step: the
 * Backstage CLI's node transform (SWC via a require hook) compiles on load.
 */
const path = require('node:path');

function registerTypeScript() {
  for (const candidate of [
    '@backstage/cli/config/nodeTransform.cjs',
    '@backstage/cli-node/config/nodeTransform.cjs',
  ]) {
    try {
      require(candidate);
      return;
    } catch (error) {
      if (error.code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  throw new Error(
    'Cannot load TypeScript: neither @backstage/cli nor @backstage/cli-node provides config/nodeTransform.cjs',
  );
}

const USAGE = `Usage: aws-emulator [options]

  --port <n>                 port to listen on (default 4566, LocalStack's; 0 = any free port)
  --host <address>           interface to listen on (default 127.0.0.1)
  --seed <demo|none>         scenario to load (default demo)
  --delivery-interval <ms>   emulated ms between CloudTrail log deliveries (default 60000)
  --traffic-interval <ms>    real ms between background traffic ticks, 0 = off (default 20000)
  --help                     show this help
`;

function parseArgs(argv) {
  const options = {
    port: 4566,
    host: '127.0.0.1',
    seed: 'demo',
    deliveryIntervalMs: 60_000,
    trafficIntervalMs: 20_000,
  };
  const numbers = {
    '--port': 'port',
    '--delivery-interval': 'deliveryIntervalMs',
    '--traffic-interval': 'trafficIntervalMs',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (numbers[flag]) {
      const raw = value();
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0)
        throw new Error(`${flag} must be a non-negative integer, got ${raw}`);
      options[numbers[flag]] = n;
    } else if (flag === '--host') {
      options.host = value();
    } else if (flag === '--seed') {
      options.seed = value();
      if (!['demo', 'none'].includes(options.seed)) {
        throw new Error(`--seed must be demo or none, got ${options.seed}`);
      }
    } else {
      throw new Error(`unknown option ${argv[i]}\n\n${USAGE}`);
    }
  }
  if (options.trafficIntervalMs === 0) options.trafficIntervalMs = false;
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  registerTypeScript();
  const { startEmulator } = require(path.resolve(__dirname, '../src/index.ts'));
  const emulator = await startEmulator(options);
  process.stdout.write(
    `AWS emulator listening on ${emulator.url} (seed ${options.seed}, ` +
      `delivery every ${options.deliveryIntervalMs} ms, ` +
      `traffic ${
        options.trafficIntervalMs === false
          ? 'off'
          : `every ${options.trafficIntervalMs} ms`
      })\n` +
      `Admin API: ${emulator.url}/_emulator/state\n`,
  );
  const shutdown = async () => {
    await emulator.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch(error => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
