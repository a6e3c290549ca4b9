import type { VirtualClock } from './clock';
import type { CloudTrailRecord } from './events/record';
import {
  type Identity,
  type RoleSession,
  assumedRoleIdentity,
  rootIdentity,
  userIdentity,
} from './identity';
import { AthenaState } from './services/athena/model';
import type { Trail } from './services/cloudtrail/model';
import { MetricStore } from './services/cloudwatch/metrics';
import type { Table } from './services/dynamodb/tables';
import type { GlueCatalog } from './services/glue/catalog';
import type { KmsAlias, KmsKey } from './services/kms/model';
import type { Bucket } from './services/s3/buckets';

/** Who an access key belongs to: an account's root, or one of its IAM users. */
export interface KeyOwner {
  accountId: string;
  userName?: string;
}

export interface Organization {
  /** `o-` followed by 10–32 lowercase letters or digits. */
  id: string;
  managementAccountId: string;
  memberAccountIds: string[];
}

export type KeyResolution = Identity | 'expired';

/** The account LocalStack gives every access key that is not a 12-digit account id. */
export const DEFAULT_ACCOUNT_ID = '000000000000';

/**
 * Everything the emulated AWS holds, across all accounts and regions. Bucket
 * names are global like on AWS; trails and tables are keyed by ARN.
 */
export class World {
  readonly buckets = new Map<string, Bucket>();
  readonly trails = new Map<string, Trail>();
  readonly tables = new Map<string, Table>();
  /** KMS keys by key ARN, aliases by alias ARN. */
  readonly kmsKeys = new Map<string, KmsKey>();
  readonly kmsAliases = new Map<string, KmsAlias>();
  readonly keys = new Map<string, KeyOwner>();
  readonly sessions = new Map<string, RoleSession>();
  /** Management events of every account and region, oldest first (LookupEvents). */
  readonly eventHistory: CloudTrailRecord[] = [];
  /** CloudWatch metrics the services published about the calls they served. */
  readonly metrics = new MetricStore();
  organizations: Organization[] = [];
  /** Glue Data Catalogs by `account:region`. */
  readonly glueCatalogs = new Map<string, GlueCatalog>();
  /** Athena query executions and work groups. */
  readonly athena = new AthenaState();

  constructor(
    readonly clock: VirtualClock,
    private readonly configuredKeys: Record<string, string> = {},
    private readonly configuredOrganizations: Organization[] = [],
  ) {
    this.reset();
  }

  reset(): void {
    this.buckets.clear();
    this.trails.clear();
    this.tables.clear();
    this.kmsKeys.clear();
    this.kmsAliases.clear();
    this.sessions.clear();
    this.eventHistory.length = 0;
    this.metrics.clear();
    this.glueCatalogs.clear();
    this.athena.reset();
    this.keys.clear();
    this.organizations = structuredClone(this.configuredOrganizations);
    for (const [accessKeyId, accountId] of Object.entries(
      this.configuredKeys,
    )) {
      this.keys.set(accessKeyId, { accountId });
    }
  }

  /**
   * Resolves an access key as LocalStack does: a session from AssumeRole, a
   * configured key, a 12-digit account id as the key of that account's root,
   * and any other key as the root of account 000000000000.
   */
  resolveAccessKey(accessKeyId: string): KeyResolution {
    const session = this.sessions.get(accessKeyId);
    if (session) {
      if (session.expiresAt <= this.clock.now()) return 'expired';
      return assumedRoleIdentity(session, accessKeyId);
    }
    const owner = this.keys.get(accessKeyId);
    if (owner) {
      return owner.userName
        ? userIdentity(owner.accountId, owner.userName, accessKeyId)
        : rootIdentity(owner.accountId, accessKeyId);
    }
    if (/^\d{12}$/.test(accessKeyId))
      return rootIdentity(accessKeyId, accessKeyId);
    return rootIdentity(DEFAULT_ACCOUNT_ID, accessKeyId);
  }

  organizationOf(accountId: string): Organization | undefined {
    return this.organizations.find(
      org =>
        org.managementAccountId === accountId ||
        org.memberAccountIds.includes(accountId),
    );
  }
}
