/* Small numeric helpers for the benchmark figures. */

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
  );
  return sorted[index];
}

const median = values => percentile(values, 50);

function round(value, digits = 2) {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Milliseconds since `start` (a process.hrtime.bigint()). */
function elapsedMs(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

module.exports = { percentile, median, round, elapsedMs };
