import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ForensicsQuery,
  ForensicsQueryCreated,
  ForensicsQueryResponse,
  forensicsQueryAccountId,
  isFinalForensicsStatus,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  AwsAccount,
  BoundedMap,
  ForensicsEngine,
  ForensicsPageRequest,
} from '@lineage/plugin-dynamodb-lineage-node';
import { randomUUID } from 'node:crypto';

/** Queries remembered by default; the oldest are forgotten beyond it. */
export const DEFAULT_MAX_FORENSICS_QUERIES = 500;

export interface ForensicsServiceOptions {
  /** The account's catalog entity or config entry, when the caller may see it. */
  findAccount(
    accountId: string,
    credentials: BackstageCredentials,
  ): Promise<AwsAccount | undefined>;
  /** The engine reading the delivered logs directly. */
  logs: ForensicsEngine;
  /** The Athena engine of an account, when Athena is configured for it. */
  athena?: (accountId: string) => ForensicsEngine | undefined;
  maxQueries?: number;
  now?: () => Date;
}

interface QueryRecord {
  id: string;
  engine: ForensicsEngine;
  engineId: string;
  query: ForensicsQuery;
  /** Who started the query: only they read or cancel it. */
  owner: string;
  submittedAt: string;
  completedAt?: string;
}

/**
 * Starts forensics queries on the engine configured for the account (Athena
 * when configured, else the delivered logs), and keeps which caller started
 * which: a query is visible only to the user or service that started it.
 *
 * The record of a query is kept in this process's memory, at most
 * `maxQueries` of them: a query is read on the replica that started it.
 */
export class ForensicsService {
  private readonly records: BoundedMap<QueryRecord>;
  private readonly maxQueries: number;
  private readonly now: () => Date;

  constructor(private readonly options: ForensicsServiceOptions) {
    this.maxQueries = options.maxQueries ?? DEFAULT_MAX_FORENSICS_QUERIES;
    this.records = new BoundedMap(this.maxQueries);
    this.now = options.now ?? (() => new Date());
  }

  /** The engine a query of `accountId` runs on. */
  engineFor(accountId: string): ForensicsEngine {
    return this.options.athena?.(accountId) ?? this.options.logs;
  }

  async start(
    input: ForensicsQuery,
    credentials: BackstageCredentials,
  ): Promise<ForensicsQueryCreated> {
    const accountId = forensicsQueryAccountId(input);
    // The answer comes from the plugin's AWS credentials: only for accounts the caller sees.
    const account = await this.options.findAccount(accountId, credentials);
    if (!account) {
      throw new NotFoundError(
        `No aws-account resource with account id ${accountId} is visible to you in the catalog`,
      );
    }
    const query: ForensicsQuery =
      input.kind === 'principal-activity' && !input.regions
        ? { ...input, regions: account.regions }
        : input;
    const engine = this.engineFor(accountId);
    const engineId = await engine.start(query);
    const record: QueryRecord = {
      id: randomUUID(),
      engine,
      engineId,
      query,
      owner: ownerOf(credentials),
      submittedAt: this.now().toISOString(),
    };
    this.records.set(record.id, record);
    const { status } = await engine.get(engineId, { pageSize: 1 });
    return { id: record.id, status, engine: engine.name };
  }

  async get(
    id: string,
    page: ForensicsPageRequest,
    credentials: BackstageCredentials,
  ): Promise<ForensicsQueryResponse> {
    const record = this.find(id, credentials);
    const result = await record.engine.get(record.engineId, page);
    if (isFinalForensicsStatus(result.status) && !record.completedAt) {
      record.completedAt = this.now().toISOString();
    }
    return {
      id: record.id,
      query: record.query,
      submittedAt: record.submittedAt,
      ...(record.completedAt ? { completedAt: record.completedAt } : {}),
      ...result,
    };
  }

  async cancel(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ForensicsQueryResponse> {
    const record = this.find(id, credentials);
    await record.engine.cancel(record.engineId);
    return this.get(id, {}, credentials);
  }

  private find(id: string, credentials: BackstageCredentials): QueryRecord {
    const record = this.records.get(id);
    // Another caller's query is answered as unknown: its existence is not theirs to learn.
    if (!record || record.owner !== ownerOf(credentials)) {
      throw new NotFoundError(
        `No forensics query ${id} of yours is known to this backend (queries are kept in memory, the latest ${this.maxQueries})`,
      );
    }
    return record;
  }
}

function ownerOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user') return `user ${principal.userEntityRef}`;
  if (principal.type === 'service') return `service ${principal.subject}`;
  return 'none';
}
