import type { CallLog } from './callLog';
import type { Delivery } from './delivery';
import { itemCount } from './services/dynamodb/tables';
import type { World } from './world';

const iso = (ms: number | undefined) =>
  ms === undefined ? undefined : new Date(ms).toISOString();

export interface AccountSummary {
  buckets: Array<{
    name: string;
    region: string;
    objects: number;
    hasPolicy: boolean;
  }>;
  trails: Array<{
    name: string;
    arn: string;
    homeRegion: string;
    isLogging: boolean;
    latestDeliveryTime?: string;
    latestDeliveryError?: string;
    bufferedRecords: number;
  }>;
  tables: Array<{ name: string; region: string; arn: string; items: number }>;
}

export interface EmulatorState {
  now: string;
  clockOffsetMs: number;
  deliveryIntervalMs: number;
  nextDeliveryAt: string;
  accounts: Record<string, AccountSummary>;
  sessions: number;
  calls: number;
}

/** A readable summary of the world, for humans and for tests' sanity checks. */
export function summarize(
  world: World,
  delivery: Delivery,
  calls: CallLog,
): EmulatorState {
  const accounts: Record<string, AccountSummary> = {};
  const account = (id: string) =>
    (accounts[id] ??= { buckets: [], trails: [], tables: [] });
  for (const bucket of world.buckets.values()) {
    account(bucket.ownerAccountId).buckets.push({
      name: bucket.name,
      region: bucket.region,
      objects: bucket.objects.size,
      hasPolicy: bucket.policy !== undefined,
    });
  }
  for (const trail of world.trails.values()) {
    account(trail.accountId).trails.push({
      name: trail.name,
      arn: trail.arn,
      homeRegion: trail.homeRegion,
      isLogging: trail.status.isLogging,
      latestDeliveryTime: iso(trail.status.latestDeliveryTime),
      latestDeliveryError: trail.status.latestDeliveryError,
      bufferedRecords: [...trail.streams.values()].reduce(
        (n, s) => n + s.buffer.length,
        0,
      ),
    });
  }
  for (const table of world.tables.values()) {
    account(table.accountId).tables.push({
      name: table.name,
      region: table.region,
      arn: table.arn,
      items: itemCount(table),
    });
  }
  return {
    now: new Date(world.clock.now()).toISOString(),
    clockOffsetMs: world.clock.offsetMs,
    deliveryIntervalMs: delivery.interval,
    nextDeliveryAt: new Date(delivery.nextDue).toISOString(),
    accounts,
    sessions: world.sessions.size,
    calls: calls.list().length,
  };
}
