/*
 * Child processes of a run. Each child leads its own process group, so
 * stopping it also stops whatever it spawned (npm → node → workers).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

// Kept after a child exits: its group may outlive it (grandchildren).
const running = new Set();

/**
 * Starts `command` detached in a new process group, its output appended to
 * `logFile`. Resolves nothing: the caller waits for readiness separately.
 */
function startProcess(name, command, args, { cwd, env, logFile }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'w');
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
    detached: true,
  });
  fs.closeSync(log);
  const handle = { name, child, logFile, exited: false, exitCode: null };
  child.on('exit', (code, signal) => {
    handle.exited = true;
    handle.exitCode = code ?? signal;
  });
  running.add(handle);
  return handle;
}

function signalGroup(handle, signal) {
  try {
    process.kill(-handle.child.pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

function groupAlive(handle) {
  try {
    process.kill(-handle.child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the group, SIGKILL to whatever still lives after `graceMs`. */
async function stopProcess(handle, graceMs = 5000) {
  running.delete(handle);
  if (!groupAlive(handle)) return;
  signalGroup(handle, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && groupAlive(handle)) {
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  if (groupAlive(handle)) signalGroup(handle, 'SIGKILL');
}

async function stopAll() {
  await Promise.all([...running].map(handle => stopProcess(handle)));
}

/** Synchronous last resort for `process.on('exit')`. */
function killAllNow() {
  for (const handle of running) {
    if (groupAlive(handle)) signalGroup(handle, 'SIGKILL');
  }
}

/** The last lines of a child's log, for failure reports. */
function tailLog(handle, lines = 30) {
  try {
    const text = fs.readFileSync(handle.logFile, 'utf8');
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

module.exports = { startProcess, stopProcess, stopAll, killAllNow, tailLog };
