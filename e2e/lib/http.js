/* Small HTTP helpers over Node's global fetch. */

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns a truthy value, or throws after `timeoutMs`
 * with `what` and the last error or value seen.
 */
async function waitFor(
  what,
  probe,
  { timeoutMs = 60000, intervalMs = 500, abort } = {},
) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    if (abort) {
      const reason = abort();
      if (reason) throw new Error(`${what}: ${reason}`);
    }
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      const detail =
        last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`,
      );
    }
    await sleep(intervalMs);
  }
}

/** The status code of a GET, or undefined when nothing answers. */
async function statusOf(url, timeoutMs = 5000) {
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

/** JSON request; throws with the body's message on a non-2xx answer. */
async function requestJson(
  url,
  { method = 'GET', token, body, headers = {} } = {},
) {
  const response = await fetch(url, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (!response.ok) {
    const message = parsed?.error?.message ?? text.slice(0, 300);
    const error = new Error(
      `${method} ${url} answered ${response.status}: ${message}`,
    );
    error.status = response.status;
    error.body = parsed;
    throw error;
  }
  return parsed;
}

module.exports = { sleep, waitFor, statusOf, requestJson };
