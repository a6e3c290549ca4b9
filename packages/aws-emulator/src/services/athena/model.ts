import type { QueryHandle, QueryResult } from './sqlEngine';

export type QueryState =
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'CANCELLED';

export interface AthenaQuery {
  id: string;
  accountId: string;
  region: string;
  sql: string;
  parameters: string[];
  workGroup: string;
  database?: string;
  /** `s3://…/<id>.csv` (`.txt` for DDL), where the result file goes. */
  outputLocation: string;
  statementType: 'DDL' | 'DML';
  state: QueryState;
  stateChangeReason?: string;
  submittedAt: number;
  startedAt?: number;
  completedAt?: number;
  /** Compressed bytes of the objects read, as Athena reports DataScannedInBytes. */
  bytesScanned: number;
  /** `s3://bucket/key` of every object the query read, in order. */
  objectsRead: string[];
  result?: QueryResult;
  handle?: QueryHandle;
  /** Runs the query; kept while the emulator holds queries in QUEUED. */
  pendingStart?: () => void;
  /** Settles when the query reaches a final state. */
  done: Promise<void>;
  settle(): void;
}

export interface AthenaWorkGroup {
  name: string;
  outputLocation?: string;
  description?: string;
  createdAt: number;
}

/** Athena's state in the emulated world, all accounts and regions. */
export class AthenaState {
  readonly queries = new Map<string, AthenaQuery>();
  /** Work groups by `account:region:name`; `primary` exists everywhere. */
  readonly workGroups = new Map<string, AthenaWorkGroup>();
  readonly tokens = new Map<string, string>();
  /** While true, new queries stay QUEUED (for tests of polling and cancelling). */
  holding = false;

  reset() {
    for (const query of this.queries.values()) query.handle?.interrupt();
    this.queries.clear();
    this.workGroups.clear();
    this.tokens.clear();
    this.holding = false;
  }

  /** Starts the queries held in QUEUED. */
  release() {
    this.holding = false;
    for (const query of this.queries.values()) {
      const start = query.pendingStart;
      query.pendingStart = undefined;
      start?.();
    }
  }
}
