import { Probe } from '@lineage/plugin-dynamodb-lineage-common';

/** The error code AWS (or the network) gave, e.g. `AccessDenied`, `ECONNREFUSED`. */
export function awsErrorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { name?: unknown; code?: unknown; Code?: unknown };
  for (const candidate of [e.Code, e.code, e.name]) {
    if (typeof candidate === 'string' && candidate && candidate !== 'Error') {
      return candidate;
    }
  }
  return undefined;
}

export function awsErrorMessage(error: unknown): string {
  const code = awsErrorCode(error);
  const message =
    error instanceof Error ? error.message : String(error ?? 'unknown error');
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

export function isAwsError(error: unknown, ...codes: string[]): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && codes.includes(code);
}

/**
 * Asks AWS one question. Any failure (AccessDenied, throttled after the SDK's
 * retries, unreachable) becomes `ok: false` with the reason instead of a throw;
 * `notConfigured` codes are AWS's way of saying "nothing set", a `null` value.
 */
export async function probe<T>(
  ask: () => Promise<T>,
  notConfigured: string[] = [],
): Promise<Probe<T | null>> {
  try {
    return { ok: true, value: await ask() };
  } catch (error) {
    if (isAwsError(error, ...notConfigured)) {
      return { ok: true, value: null };
    }
    return failed(error);
  }
}

/** Like {@link probe} for questions that have no "not configured" answer. */
export async function probeValue<T>(ask: () => Promise<T>): Promise<Probe<T>> {
  try {
    return { ok: true, value: await ask() };
  } catch (error) {
    return failed(error);
  }
}

export function failed(error: unknown): {
  ok: false;
  error: string;
  code?: string;
} {
  const code = awsErrorCode(error);
  return {
    ok: false,
    error: awsErrorMessage(error),
    ...(code ? { code } : {}),
  };
}
