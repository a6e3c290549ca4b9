import {
  PrincipalLineage,
  PrincipalOperation,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  CloudTrailRecord,
  isDynamoDbDataEvent,
  namesTable,
  operationKind,
  principalOf,
  eventTimeIso,
} from './dynamodbEvents';

interface PrincipalTally {
  principalType: string;
  reads: number;
  writes: number;
  errors: number;
  lastSeen: string;
  operations: Map<string, PrincipalOperation>;
}

/**
 * Counts one table's DynamoDB data events per principal and operation, within a time
 * window, each eventID once.
 */
export class LineageAggregate {
  private readonly seen = new Set<string>();
  private readonly tallies = new Map<string, PrincipalTally>();
  private readonly fromIso: string;
  private readonly toIso: string;

  constructor(private readonly tableArn: string, from: Date, to: Date) {
    this.fromIso = from.toISOString();
    this.toIso = to.toISOString();
  }

  add(record: CloudTrailRecord) {
    if (!isDynamoDbDataEvent(record)) return;
    if (!namesTable(record, this.tableArn)) return;
    const iso = this.isoOf(record.eventTime);
    if (iso === undefined || iso < this.fromIso || iso > this.toIso) return;
    if (record.eventID) {
      if (this.seen.has(record.eventID)) return;
      this.seen.add(record.eventID);
    }

    const { principal, principalType } = principalOf(record);
    let tally = this.tallies.get(principal);
    if (!tally) {
      tally = {
        principalType,
        reads: 0,
        writes: 0,
        errors: 0,
        lastSeen: iso,
        operations: new Map(),
      };
      this.tallies.set(principal, tally);
    }
    if (iso > tally.lastSeen) tally.lastSeen = iso;
    if (record.errorCode) {
      tally.errors += 1;
      return;
    }
    const kind = operationKind(record);
    if (kind === 'read') tally.reads += 1;
    else tally.writes += 1;
    const operation = record.eventName ?? 'unknown';
    const entry = tally.operations.get(operation);
    if (entry) {
      entry.count += 1;
      if (iso > entry.lastSeen) entry.lastSeen = iso;
    } else {
      tally.operations.set(operation, {
        operation,
        kind,
        count: 1,
        lastSeen: iso,
      });
    }
  }

  /** Many records of a file share a second: the last conversion is reused. */
  private lastEventTime?: string;
  private lastIso?: string;

  private isoOf(eventTime: string | undefined): string | undefined {
    if (!eventTime) return undefined;
    if (eventTime === this.lastEventTime) return this.lastIso;
    const iso = eventTimeIso(eventTime);
    this.lastEventTime = eventTime;
    this.lastIso = iso;
    return iso;
  }

  principals(): PrincipalLineage[] {
    return [...this.tallies.entries()]
      .map(([principal, t]) => ({
        principal,
        principalType: t.principalType,
        reads: t.reads,
        writes: t.writes,
        errors: t.errors,
        lastSeen: t.lastSeen,
        operations: [...t.operations.values()].sort(
          (a, b) => b.count - a.count || a.operation.localeCompare(b.operation),
        ),
      }))
      .sort(
        (a, b) =>
          b.reads + b.writes - (a.reads + a.writes) ||
          a.principal.localeCompare(b.principal),
      );
  }
}
