import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminHandler } from './admin';
import { type CallFilter, type CallRecord, CallLog } from './callLog';
import { VirtualClock } from './clock';
import { Delivery, type DeliveryReport } from './delivery';
import { type FaultConfig, Faults } from './faults';
import { type SeedName, type TrafficTick, applySeed, isSeedName } from './seed';
import { type Environment, createRequestListener } from './server';
import { storeObject } from './services/s3/buckets';
import { type EmulatorState, summarize } from './state';
import { type Organization, World } from './world';

export interface EmulatorOptions {
  /** Port to listen on; 0 picks a free one. Default 4566 (LocalStack's). */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Scenario loaded at start. Default `none`. */
  seed?: SeedName;
  /** Emulated milliseconds between log deliveries. Default 5 minutes, as on AWS. */
  deliveryIntervalMs?: number;
  /** Real milliseconds between background traffic ticks of the scenario; false (default) for none. */
  trafficIntervalMs?: number | false;
  /** Extra access keys: access key id → account id (12-digit keys map to themselves anyway). */
  accounts?: Record<string, string>;
  /** AWS Organizations to model (for organization trails). */
  organizations?: Organization[];
}

/** Read-only view of emulated time; use `advance` to move it (it runs due deliveries). */
export interface EmulatorClock {
  now(): number;
  readonly offsetMs: number;
}

export interface EmulatorFaults {
  get(): FaultConfig;
  /** Replaces the whole fault configuration. */
  set(config: FaultConfig): FaultConfig;
  clear(): void;
}

export interface EmulatorCalls {
  list(filter?: CallFilter): CallRecord[];
  clear(): void;
  readonly dropped: number;
}

export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:4566`: the `endpoint` of every SDK client. */
  url: string;
  port: number;
  stop(): Promise<void>;
  clock: EmulatorClock;
  faults: EmulatorFaults;
  calls: EmulatorCalls;
  /** Delivers every buffered record now. */
  flush(): Promise<DeliveryReport>;
  /** Moves emulated time forward and runs the deliveries that fall due. */
  advance(ms: number): Promise<DeliveryReport & { now: string }>;
  /** Empties the world, the faults, the call log, and rewinds the clock. */
  reset(): Promise<void>;
  /**
   * Resets, then loads a scenario. With `ageMs`, the scenario happens that
   * long before now: its deliveries, objects and events are `ageMs` old, and
   * nothing is delivered in between (the next delivery is one interval away).
   */
  seed(name: SeedName, options?: SeedOptions): Promise<void>;
  state(): EmulatorState;
  /** Runs one tick of the scenario's background traffic now. */
  generateTraffic(): Promise<void>;
  /**
   * Stores objects in an existing bucket without going through HTTP, for
   * benchmarks that need hundreds of thousands of log files quickly.
   */
  loadObjects(bucket: string, objects: Iterable<ObjectToLoad>): Promise<number>;
  /** Athena's query executions, for tests of what a query read and of polling and cancelling. */
  athena: EmulatorAthena;
}

export interface EmulatorAthena {
  /** Keeps new queries QUEUED until `release`. */
  hold(): void;
  /** Starts the held queries and lets new ones run at once again. */
  release(): void;
  /** What a query read: `s3://bucket/key` of each object, and their compressed bytes. */
  reads(
    queryExecutionId: string,
  ): { objects: string[]; bytesScanned: number } | undefined;
  /** Settles when the query is SUCCEEDED, FAILED or CANCELLED. */
  settled(queryExecutionId: string): Promise<void>;
}

export interface SeedOptions {
  /** How long ago the scenario happened, in milliseconds. Default 0. */
  ageMs?: number;
  /**
   * Emulated time (ms since the epoch) the world is at once seeded, instead of
   * real time: tests that depend on the time of day (such as the minutes
   * after midnight UTC) pick it. The clock then runs on from there.
   */
  at?: number;
}

export interface ObjectToLoad {
  key: string;
  body: Buffer | string;
  contentType?: string;
  /** Emulated LastModified; defaults to now. */
  lastModified?: number;
}

const DEFAULT_DELIVERY_INTERVAL_MS = 5 * 60_000;

function checkOptions(options: EmulatorOptions): void {
  const { port, deliveryIntervalMs, trafficIntervalMs, seed, accounts } =
    options;
  if (
    port !== undefined &&
    (!Number.isInteger(port) || port < 0 || port > 65535)
  ) {
    throw new TypeError(
      `port must be an integer between 0 and 65535, got ${port}`,
    );
  }
  if (
    deliveryIntervalMs !== undefined &&
    (!Number.isFinite(deliveryIntervalMs) || deliveryIntervalMs < 1)
  ) {
    throw new TypeError(
      `deliveryIntervalMs must be a positive number, got ${deliveryIntervalMs}`,
    );
  }
  if (
    trafficIntervalMs !== undefined &&
    trafficIntervalMs !== false &&
    (!Number.isFinite(trafficIntervalMs) || trafficIntervalMs < 10)
  ) {
    throw new TypeError(
      `trafficIntervalMs must be false or at least 10 ms, got ${trafficIntervalMs}`,
    );
  }
  if (seed !== undefined && !isSeedName(seed)) {
    throw new TypeError(`seed must be 'demo' or 'none', got ${String(seed)}`);
  }
  for (const org of options.organizations ?? []) {
    const ids = [org?.managementAccountId, ...(org?.memberAccountIds ?? [])];
    if (
      !/^o-[a-z0-9]{10,32}$/.test(org?.id ?? '') ||
      !ids.every(id => /^\d{12}$/.test(id))
    ) {
      throw new TypeError(
        'organizations[] must be { id: "o-" + 10-32 lowercase letters or digits, managementAccountId, memberAccountIds } with 12-digit account ids',
      );
    }
  }
  for (const [key, account] of Object.entries(accounts ?? {})) {
    if (!/^\d{12}$/.test(account)) {
      throw new TypeError(
        `accounts.${key} must be a 12-digit account id, got ${account}`,
      );
    }
  }
}

/**
 * Starts the emulator: one HTTP server speaking CloudTrail, S3, STS and
 * DynamoDB to unmodified AWS SDK clients, plus the `/_emulator/` admin API.
 */
export async function startEmulator(
  options: EmulatorOptions = {},
): Promise<RunningEmulator> {
  checkOptions(options);
  const clock = new VirtualClock();
  const world = new World(clock, options.accounts, options.organizations);
  const faults = new Faults();
  const calls = new CallLog();
  const delivery = new Delivery(
    world,
    options.deliveryIntervalMs ?? DEFAULT_DELIVERY_INTERVAL_MS,
    (accountId, region) => faults.isDeliveryPaused(accountId, region),
  );
  const env: Environment & { delivery: Delivery } = {
    world,
    faults,
    calls,
    delivery,
  };
  let traffic: TrafficTick | undefined;
  // Serializes state-changing control operations against background ticks.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T> | T): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const reset = async () => {
    world.reset();
    faults.clear();
    calls.clear();
    clock.reset();
    delivery.reset();
    traffic = undefined;
  };

  const emulator: Omit<RunningEmulator, 'url' | 'port' | 'stop'> = {
    athena: {
      hold: () => {
        world.athena.holding = true;
      },
      release: () => world.athena.release(),
      reads: id => {
        const query = world.athena.queries.get(id);
        return query
          ? {
              objects: [...query.objectsRead],
              bytesScanned: query.bytesScanned,
            }
          : undefined;
      },
      settled: async id => {
        const query = world.athena.queries.get(id);
        if (!query) throw new Error(`no query execution ${id}`);
        await query.done;
      },
    },
    clock,
    faults,
    calls,
    flush: () => serial(() => delivery.flush()),
    advance: ms =>
      serial(() => {
        clock.advance(ms);
        return {
          ...delivery.runDue(),
          now: new Date(clock.now()).toISOString(),
        };
      }),
    reset: () => serial(reset),
    seed: (name, seedOptions = {}) =>
      serial(async () => {
        if (!isSeedName(name))
          throw new TypeError(`unknown seed ${String(name)}`);
        const ageMs = seedOptions.ageMs ?? 0;
        if (!Number.isFinite(ageMs) || ageMs < 0) {
          throw new TypeError(
            `ageMs must be a non-negative number, got ${ageMs}`,
          );
        }
        const at = seedOptions.at;
        if (at !== undefined && !Number.isFinite(at)) {
          throw new TypeError(`at must be a number of milliseconds, got ${at}`);
        }
        await reset();
        if (at !== undefined) {
          const shift = at - clock.now();
          if (shift >= 0) clock.advance(shift);
          else clock.rewind(-shift);
        }
        clock.rewind(ageMs);
        traffic = await applySeed(name, env);
        // Back to real time without the deliveries of the gap; a world set
        // at another time has its next delivery one interval after it.
        clock.advance(ageMs);
        if (ageMs > 0 || at !== undefined) delivery.reset();
      }),
    state: () => summarize(world, delivery, calls),
    generateTraffic: () => serial(async () => traffic?.(clock.now())),
    loadObjects: (bucketName, objects) =>
      serial(() => {
        const bucket = world.buckets.get(bucketName);
        if (!bucket) throw new Error(`bucket ${bucketName} does not exist`);
        let count = 0;
        for (const object of objects) {
          const body = Buffer.isBuffer(object.body)
            ? object.body
            : Buffer.from(object.body);
          storeObject(
            bucket,
            object.key,
            body,
            object.lastModified ?? clock.now(),
            {
              contentType: object.contentType,
            },
          );
          count++;
        }
        return count;
      }),
  };

  if (options.seed && options.seed !== 'none')
    await emulator.seed(options.seed);

  const server: Server = createServer(
    createRequestListener(env, createAdminHandler(emulator)),
  );
  // Idle connections stay open for a minute (an AWS load balancer's default):
  // with Node's 5 s, a client whose event loop stalls longer (a loaded test
  // machine) reuses a connection the emulator just closed and gets ECONNRESET
  // before its call reaches the emulator. stop() closes them all.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4566, options.host ?? '127.0.0.1', () =>
      resolve(),
    );
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  let urlHost = host === '0.0.0.0' ? '127.0.0.1' : host;
  if (urlHost.includes(':')) urlHost = `[${urlHost}]`;

  const deliveryTimer = setInterval(
    () => void serial(() => delivery.runDue()),
    Math.min(1000, delivery.interval),
  );
  deliveryTimer.unref();
  const trafficTimer =
    options.trafficIntervalMs === undefined ||
    options.trafficIntervalMs === false
      ? undefined
      : setInterval(
          () => void emulator.generateTraffic().catch(() => undefined),
          options.trafficIntervalMs,
        );
  trafficTimer?.unref();

  return {
    ...emulator,
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    stop: async () => {
      clearInterval(deliveryTimer);
      if (trafficTimer) clearInterval(trafficTimer);
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await queue;
    },
  };
}
