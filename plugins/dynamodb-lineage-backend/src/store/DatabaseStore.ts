import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  AccountRegionStatus,
  CanaryCall,
  CanarySighting,
  OverallStatus,
  TeamStatus,
  TeamSummary,
  TrailHealth,
  TrailHistoryPoint,
} from '@lineage/plugin-dynamodb-lineage-common';
import { Knex } from 'knex';
import {
  AccountRegionKey,
  LineageStore,
  MadeCanaryCall,
  StoredAccountRegion,
  StoredTrail,
} from './LineageStore';

/** Five-minute refreshes over one day. */
export const DEFAULT_HISTORY_LENGTH = 288;

const TRAIL_HEALTH = 'dynamodb_lineage_trail_health';
const TRAIL_HISTORY = 'dynamodb_lineage_trail_history';
const ACCOUNT_REGION = 'dynamodb_lineage_account_region';
const TEAM = 'dynamodb_lineage_team';
const CANARY_CALL = 'dynamodb_lineage_canary_call';
const CANARY_ARRIVAL = 'dynamodb_lineage_canary_arrival';

/** SQLite allows 999 bound variables per statement; rows here bind up to 8. */
const INSERT_CHUNK = 100;
/** Values in one `IN (...)` list. */
const LOOKUP_CHUNK = 500;

/** The plugin's knex migrations, shared by every store of the plugin database. */
export const migrationsDir = resolvePackagePath(
  '@lineage/plugin-dynamodb-lineage-backend',
  'migrations',
);

interface TrailRow {
  health: string;
  description: string;
  selectors: string | null;
}

interface AccountRegionRow {
  payload: string;
  trails: string;
}

/** {@link LineageStore} in the plugin database (SQLite or PostgreSQL). */
export class DatabaseStore implements LineageStore {
  static async create(options: {
    database: Pick<DatabaseService, 'getClient' | 'migrations'>;
    historyLength?: number;
  }): Promise<DatabaseStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseStore(client, options.historyLength);
  }

  constructor(
    private readonly db: Knex,
    private readonly historyLength: number = DEFAULT_HISTORY_LENGTH,
  ) {
    if (!Number.isInteger(historyLength) || historyLength < 1) {
      throw new RangeError(
        `historyLength must be a whole number of at least 1, got ${historyLength}`,
      );
    }
  }

  async saveTrails(trails: StoredTrail[]): Promise<void> {
    if (trails.length === 0) return;
    await this.db.transaction(async tx => {
      for (const batch of chunks(trails, INSERT_CHUNK)) {
        await tx(TRAIL_HEALTH)
          .insert(
            batch.map(({ health, description, selectors }) => ({
              trail_arn: health.trail.arn,
              account_id: health.trail.accountId,
              home_region: health.trail.homeRegion,
              status: health.status,
              checked_at: health.checkedAt,
              health: JSON.stringify(health),
              description: JSON.stringify(description),
              selectors: selectors ? JSON.stringify(selectors) : null,
            })),
          )
          .onConflict('trail_arn')
          .merge();
        await tx(TRAIL_HISTORY).insert(
          batch.map(({ health }) => ({
            trail_arn: health.trail.arn,
            checked_at: health.checkedAt,
            status: health.status,
            delivery_age_minutes: deliveryAgeMinutes(health) ?? null,
          })),
        );
      }
      for (const { health } of trails) {
        await this.pruneHistory(tx, health.trail.arn);
      }
    });
  }

  async saveAccountRegions(
    accountRegions: StoredAccountRegion[],
  ): Promise<void> {
    if (accountRegions.length === 0) return;
    const now = new Date().toISOString();
    await this.db.transaction(async tx => {
      for (const batch of chunks(accountRegions, INSERT_CHUNK)) {
        await tx(ACCOUNT_REGION)
          .insert(
            batch.map(({ status, trails }) => ({
              account_id: status.accountId,
              region: status.region,
              status: status.status,
              checked_at: status.checkedAt ?? now,
              payload: JSON.stringify(status),
              trails: JSON.stringify(trails),
            })),
          )
          .onConflict(['account_id', 'region'])
          .merge();
      }
    });
  }

  async replaceTeams(teams: TeamStatus[], refreshedAt: string): Promise<void> {
    await this.db.transaction(async tx => {
      await tx(TEAM).delete();
      for (const batch of chunks(teams, INSERT_CHUNK)) {
        await tx(TEAM).insert(
          batch.map(team => ({
            entity_ref: team.team.entityRef,
            status: team.team.status,
            refreshed_at: refreshedAt,
            summary: JSON.stringify(team.team),
            payload: JSON.stringify(team),
          })),
        );
      }
    });
  }

  async getTrail(trailArn: string): Promise<StoredTrail | undefined> {
    const row: TrailRow | undefined = await this.db(TRAIL_HEALTH)
      .where({ trail_arn: trailArn })
      .first('health', 'description', 'selectors');
    return row ? toStoredTrail(row) : undefined;
  }

  async getTrails(trailArns: string[]): Promise<StoredTrail[]> {
    const rows: TrailRow[] = [];
    for (const batch of chunks([...new Set(trailArns)], LOOKUP_CHUNK)) {
      rows.push(
        ...(await this.db(TRAIL_HEALTH)
          .whereIn('trail_arn', batch)
          .select('health', 'description', 'selectors')),
      );
    }
    return rows.map(toStoredTrail);
  }

  async listTrails(): Promise<StoredTrail[]> {
    const rows: TrailRow[] = await this.db(TRAIL_HEALTH)
      .orderBy('trail_arn')
      .select('health', 'description', 'selectors');
    return rows.map(toStoredTrail);
  }

  async listAccountRegions(): Promise<StoredAccountRegion[]> {
    const rows: AccountRegionRow[] = await this.db(ACCOUNT_REGION)
      .orderBy(['account_id', 'region'])
      .select('payload', 'trails');
    return rows.map(toStoredAccountRegion);
  }

  async getTrailHistory(trailArn: string): Promise<TrailHistoryPoint[]> {
    const rows: {
      checked_at: string;
      status: OverallStatus;
      delivery_age_minutes: number | string | null;
    }[] = await this.db(TRAIL_HISTORY)
      .where({ trail_arn: trailArn })
      .orderBy('id', 'desc')
      .limit(this.historyLength)
      .select('checked_at', 'status', 'delivery_age_minutes');
    return rows.reverse().map(row => ({
      checkedAt: row.checked_at,
      status: row.status,
      ...(row.delivery_age_minutes !== null
        ? { deliveryAgeMinutes: Number(row.delivery_age_minutes) }
        : {}),
    }));
  }

  async getAccountRegions(
    keys: AccountRegionKey[],
  ): Promise<StoredAccountRegion[]> {
    if (keys.length === 0) return [];
    const accounts = [...new Set(keys.map(k => k.accountId))];
    const wanted = new Set(keys.map(k => `${k.accountId}/${k.region}`));
    const rows: (AccountRegionRow & { account_id: string; region: string })[] =
      [];
    for (const batch of chunks(accounts, LOOKUP_CHUNK)) {
      rows.push(
        ...(await this.db(ACCOUNT_REGION)
          .whereIn('account_id', batch)
          .select('account_id', 'region', 'payload', 'trails')),
      );
    }
    return rows
      .filter(row => wanted.has(`${row.account_id}/${row.region}`))
      .map(toStoredAccountRegion);
  }

  async getTeamSummaries(): Promise<{
    teams: TeamSummary[];
    refreshedAt?: string;
  }> {
    const rows: { summary: string; refreshed_at: string }[] = await this.db(
      TEAM,
    )
      .orderBy('entity_ref')
      .select('summary', 'refreshed_at');
    const refreshedAt = rows.reduce<string | undefined>(
      (latest, row) =>
        !latest || row.refreshed_at > latest ? row.refreshed_at : latest,
      undefined,
    );
    return {
      teams: rows.map(row => JSON.parse(row.summary) as TeamSummary),
      ...(refreshedAt ? { refreshedAt } : {}),
    };
  }

  async getTeam(entityRef: string): Promise<TeamStatus | undefined> {
    const row = await this.db(TEAM)
      .where({ entity_ref: entityRef })
      .first('payload');
    return row ? (JSON.parse(row.payload) as TeamStatus) : undefined;
  }

  async recordCanaryCall(call: MadeCanaryCall): Promise<void> {
    await this.db(CANARY_CALL)
      .insert({
        request_id: call.requestId,
        account_id: call.accountId,
        region: call.region,
        called_at: call.calledAt,
      })
      .onConflict('request_id')
      .ignore();
  }

  async recordCanaryArrivals(
    trailArn: string,
    sightings: CanarySighting[],
  ): Promise<void> {
    // A call may be delivered twice: the first file to land is its capture.
    const earliest = new Map<string, CanarySighting>();
    for (const sighting of sightings) {
      const seen = earliest.get(sighting.requestId);
      if (!seen || sighting.deliveredAt < seen.deliveredAt) {
        earliest.set(sighting.requestId, sighting);
      }
    }
    const unique = [...earliest.values()];
    for (const batch of chunks(unique, LOOKUP_CHUNK)) {
      const known = new Set(
        (
          await this.db(CANARY_CALL)
            .whereIn(
              'request_id',
              batch.map(s => s.requestId),
            )
            .select('request_id')
        ).map((row: { request_id: string }) => row.request_id),
      );
      const rows = batch
        .filter(s => known.has(s.requestId))
        .map(s => ({
          request_id: s.requestId,
          trail_arn: trailArn,
          event_time: s.eventTime,
          delivered_at: s.deliveredAt,
        }));
      for (const insert of chunks(rows, INSERT_CHUNK)) {
        await this.db(CANARY_ARRIVAL)
          .insert(insert)
          .onConflict(['request_id', 'trail_arn'])
          .ignore();
      }
    }
  }

  async getCanaryCalls(
    key: AccountRegionKey & { trailArn: string; since: string },
  ): Promise<CanaryCall[]> {
    const rows: {
      request_id: string;
      called_at: string;
      event_time: string | null;
      delivered_at: string | null;
    }[] = await this.db(`${CANARY_CALL} as c`)
      .leftJoin(`${CANARY_ARRIVAL} as a`, join =>
        join
          .on('a.request_id', '=', 'c.request_id')
          .andOn('a.trail_arn', '=', this.db.raw('?', [key.trailArn])),
      )
      .where({ 'c.account_id': key.accountId, 'c.region': key.region })
      .andWhere('c.called_at', '>=', key.since)
      .orderBy('c.called_at', 'desc')
      .select('c.request_id', 'c.called_at', 'a.event_time', 'a.delivered_at');
    return rows.map(row => ({
      requestId: row.request_id,
      calledAt: row.called_at,
      ...(row.event_time ? { eventTime: row.event_time } : {}),
      ...(row.delivered_at ? { deliveredAt: row.delivered_at } : {}),
    }));
  }

  async pruneCanaryCalls(before: string): Promise<void> {
    await this.db(CANARY_CALL).where('called_at', '<', before).delete();
    await this.db(CANARY_ARRIVAL).where('event_time', '<', before).delete();
  }

  /** Keeps the newest `historyLength` points; ids grow with insertion order. */
  private async pruneHistory(tx: Knex.Transaction, trailArn: string) {
    const oldestKept = await tx(TRAIL_HISTORY)
      .where({ trail_arn: trailArn })
      .orderBy('id', 'desc')
      .offset(this.historyLength - 1)
      .first('id');
    if (!oldestKept) return;
    await tx(TRAIL_HISTORY)
      .where({ trail_arn: trailArn })
      .andWhere('id', '<', oldestKept.id)
      .delete();
  }
}

function toStoredTrail(row: TrailRow): StoredTrail {
  return {
    health: JSON.parse(row.health),
    description: JSON.parse(row.description),
    ...(row.selectors ? { selectors: JSON.parse(row.selectors) } : {}),
  };
}

function toStoredAccountRegion(row: AccountRegionRow): StoredAccountRegion {
  return {
    status: JSON.parse(row.payload) as AccountRegionStatus,
    trails: JSON.parse(row.trails),
  };
}

function deliveryAgeMinutes(health: TrailHealth): number | undefined {
  if (!health.latestDeliveryTime) return undefined;
  const age =
    (Date.parse(health.checkedAt) - Date.parse(health.latestDeliveryTime)) /
    60000;
  return Number.isFinite(age)
    ? Math.max(0, Math.round(age * 10) / 10)
    : undefined;
}

export function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}
