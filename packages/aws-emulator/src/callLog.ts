import type { ServiceName } from './services/types';

/** One AWS call as the emulator saw it. */
export interface CallRecord {
  /** Emulated time, ISO 8601. */
  time: string;
  accountId?: string;
  principalArn?: string;
  region?: string;
  service: ServiceName;
  /** IAM-style action, e.g. `cloudtrail:DescribeTrails`. */
  action: string;
  /** API operation name, e.g. `DescribeTrails`. */
  operation: string;
  /**
   * ARN of the resource the action is authorized on (trail, bucket, object,
   * table, role), `*` when the action takes none; absent when the request
   * could not be read.
   */
  resource?: string;
  /** Request-specific IAM condition keys the call carried, e.g. `sts:ExternalId`. */
  conditionKeys?: Record<string, string>;
  /** The service that made the call with the caller's permissions, e.g. `s3.amazonaws.com`. */
  invokedBy?: string;
  /** `success`, or the error code AWS answered with. */
  outcome: string;
  httpStatus: number;
  requestId: string;
}

export interface CallFilter {
  service?: string;
  accountId?: string;
  action?: string;
  resource?: string;
  outcome?: string;
  /** ISO time; only calls at or after it. */
  since?: string;
}

/** Calls kept in memory; the oldest are dropped beyond this. */
const MAX_CALLS = 50_000;

/**
 * Every call the emulator answered, for tests and for deriving the
 * least-privilege IAM policy from what the product really calls.
 */
export class CallLog {
  private calls: CallRecord[] = [];
  private droppedCount = 0;

  add(call: Omit<CallRecord, 'time'> & { time: number }): void {
    this.calls.push({ ...call, time: new Date(call.time).toISOString() });
    if (this.calls.length > MAX_CALLS * 1.1) {
      const excess = this.calls.length - MAX_CALLS;
      this.calls.splice(0, excess);
      this.droppedCount += excess;
    }
  }

  list(filter: CallFilter = {}): CallRecord[] {
    return this.calls.filter(
      call =>
        (!filter.service || call.service === filter.service) &&
        (!filter.accountId || call.accountId === filter.accountId) &&
        (!filter.action || call.action === filter.action) &&
        (!filter.resource || call.resource === filter.resource) &&
        (!filter.outcome || call.outcome === filter.outcome) &&
        (!filter.since || call.time >= filter.since),
    );
  }

  /** How many older calls were dropped to bound memory. */
  get dropped(): number {
    return this.droppedCount;
  }

  clear(): void {
    this.calls = [];
    this.droppedCount = 0;
  }
}
