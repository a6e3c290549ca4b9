import type { CallFilter } from './callLog';
import type { DeliveryReport } from './delivery';
import { type FaultConfig, FaultConfigError } from './faults';
import { type HttpResult, jsonResult } from './http';
import { type SeedName, SEED_NAMES, isSeedName } from './seed';
import type { AdminHandler } from './server';
import type { EmulatorState } from './state';

/** What the admin routes control; implemented by the running emulator. */
export interface EmulatorControl {
  reset(): Promise<void>;
  seed(name: SeedName, options?: { ageMs?: number }): Promise<void>;
  advance(ms: number): Promise<DeliveryReport & { now: string }>;
  flush(): Promise<DeliveryReport>;
  clock: { now(): number; readonly offsetMs: number };
  faults: { get(): FaultConfig; set(config: FaultConfig): FaultConfig };
  calls: {
    list(filter?: CallFilter): unknown[];
    clear(): void;
    readonly dropped: number;
  };
  state(): EmulatorState;
}

class InputError extends Error {}

const badRequest = (message: string) =>
  jsonResult(400, {
    error: { name: 'InputError', message },
    response: { statusCode: 400 },
  });

function parseJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const value = JSON.parse(body.toString('utf8'));
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new InputError('body must be a JSON object');
    }
    return value;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError('body is not valid JSON');
  }
}

/**
 * JSON control API under `/_emulator/`, a path AWS never uses:
 * reset, seed, clock, flush, faults, calls, state.
 */
export function createAdminHandler(control: EmulatorControl): AdminHandler {
  const routes: Record<
    string,
    (query: URLSearchParams, body: Buffer) => Promise<HttpResult>
  > = {
    'GET /_emulator/health': async () => jsonResult(200, { status: 'ok' }),
    'POST /_emulator/reset': async () => {
      await control.reset();
      return jsonResult(200, { reset: true });
    },
    'POST /_emulator/seed': async (_query, body) => {
      const { name, ageMs } = parseJson(body);
      if (!isSeedName(name)) {
        throw new InputError(
          `name must be one of ${SEED_NAMES.join(', ')}, got ${JSON.stringify(
            name,
          )}`,
        );
      }
      if (
        ageMs !== undefined &&
        (typeof ageMs !== 'number' || !Number.isFinite(ageMs) || ageMs < 0)
      ) {
        throw new InputError(
          `ageMs must be a non-negative number of milliseconds, got ${JSON.stringify(
            ageMs,
          )}`,
        );
      }
      await control.seed(name, ageMs === undefined ? {} : { ageMs });
      return jsonResult(200, { seeded: name });
    },
    'GET /_emulator/clock': async () =>
      jsonResult(200, {
        now: new Date(control.clock.now()).toISOString(),
        nowMs: control.clock.now(),
        offsetMs: control.clock.offsetMs,
      }),
    'POST /_emulator/clock/advance': async (_query, body) => {
      const { ms } = parseJson(body);
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
        throw new InputError(
          `ms must be a non-negative number of milliseconds, got ${JSON.stringify(
            ms,
          )}`,
        );
      }
      return jsonResult(200, await control.advance(ms));
    },
    'POST /_emulator/flush': async () => jsonResult(200, await control.flush()),
    'GET /_emulator/faults': async () => jsonResult(200, control.faults.get()),
    'PUT /_emulator/faults': async (_query, body) => {
      try {
        return jsonResult(
          200,
          control.faults.set(parseJson(body) as FaultConfig),
        );
      } catch (error) {
        if (error instanceof FaultConfigError)
          throw new InputError(error.message);
        throw error;
      }
    },
    'GET /_emulator/calls': async query => {
      const filter: CallFilter = {};
      for (const key of [
        'service',
        'accountId',
        'action',
        'outcome',
        'since',
      ] as const) {
        const value = query.get(key);
        if (value) filter[key] = value;
      }
      return jsonResult(200, {
        calls: control.calls.list(filter),
        dropped: control.calls.dropped,
      });
    },
    'DELETE /_emulator/calls': async () => {
      const count = control.calls.list().length;
      control.calls.clear();
      return jsonResult(200, { cleared: count });
    },
    'GET /_emulator/state': async () => jsonResult(200, control.state()),
  };

  return async (method, path, query, body) => {
    const route = routes[`${method} ${path.replace(/\/+$/, '')}`];
    if (!route) {
      return jsonResult(404, {
        error: {
          name: 'NotFoundError',
          message: `No admin route ${method} ${path}`,
        },
        response: { statusCode: 404 },
      });
    }
    try {
      return await route(query, body);
    } catch (error) {
      if (error instanceof InputError) return badRequest(error.message);
      throw error;
    }
  };
}
