#!/usr/bin/env node
/*
 * `npm start`: the local AWS emulator with its demo seed, then the Backstage
 * backend and frontend on embedded defaults (SQLite in memory). Set
 * DYNAMODB_LINEAGE_EMULATOR=off to skip the emulator, e.g. when LocalStack or
 * real AWS is configured instead.
 */
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const emulatorBin = path.join(root, 'packages/aws-emulator/bin/aws-emulator.js');
const children = [];

function run(command, args, name) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  child.on('exit', code => {
    console.log(`[start] ${name} exited with ${code}`);
    shutdown(code ?? 1);
  });
  children.push(child);
  return child;
}

function shutdown(code) {
  for (const child of children) {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  process.exit(code);
}

function portInUse(port, host) {
  return new Promise(resolve => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function main() {
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));

  if (process.env.DYNAMODB_LINEAGE_EMULATOR !== 'off') {
    if (await portInUse(4566, '127.0.0.1')) {
      console.log('[start] something already listens on 127.0.0.1:4566; using it as the AWS endpoint');
    } else {
      run(process.execPath, [emulatorBin, '--port', '4566', '--seed', 'demo'], 'aws-emulator');
    }
  }
  const cli = path.join(root, 'node_modules/@backstage/cli/bin/backstage-cli');
  run(process.execPath, [cli, 'repo', 'start', ...process.argv.slice(2)], 'backstage');
}

main().catch(error => {
  console.error(error);
  shutdown(1);
});
