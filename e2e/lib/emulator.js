/* The emulator's admin API (`/_emulator/`), as the journeys use it. */
const { requestJson, statusOf, waitFor } = require('./http');

function waitForEmulator(emulatorUrl, { abort } = {}) {
  return waitFor(
    `the AWS emulator at ${emulatorUrl}/_emulator/health`,
    async () => (await statusOf(`${emulatorUrl}/_emulator/health`)) === 200,
    { timeoutMs: 60000, intervalMs: 300, abort },
  );
}

function emulatorAdmin(emulatorUrl) {
  const base = `${emulatorUrl}/_emulator`;
  return {
    state: () => requestJson(`${base}/state`),
    clock: () => requestJson(`${base}/clock`),
    /** Moves emulated time and runs the deliveries that fall due. */
    advance: ms =>
      requestJson(`${base}/clock/advance`, { method: 'POST', body: { ms } }),
    /** Delivers every buffered CloudTrail record now. */
    flush: () => requestJson(`${base}/flush`, { method: 'POST', body: {} }),
    calls: (filter = {}) =>
      requestJson(`${base}/calls?${new URLSearchParams(filter)}`).then(
        r => r.calls,
      ),
  };
}

module.exports = { waitForEmulator, emulatorAdmin };
