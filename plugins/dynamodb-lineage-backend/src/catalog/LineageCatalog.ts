import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  Entity,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_REGIONS,
  ANNOTATION_TABLE_ARNS,
  RESOURCE_TYPE_AWS_ACCOUNT,
  parseListAnnotation,
} from '@lineage/plugin-dynamodb-lineage-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ownerOf } from '@lineage/plugin-dynamodb-lineage-node';

/** An AWS account to watch, from the catalog or from config. */
export interface WatchedAccount {
  accountId: string;
  regions: string[];
  /** The aws-account Resource, when the account comes from the catalog. */
  entityRef?: string;
  title: string;
  /** Entity ref of the owning team. */
  owner?: string;
}

/** A component and the DynamoDB tables it declares. */
export interface TableDeclaration {
  entityRef: string;
  owner?: string;
  tableArns: string[];
}

export interface ConfiguredAccountSource {
  accountId: string;
  regions: string[];
  owner?: string;
}

const ACCOUNT_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.type',
  'spec.owner',
  'relations',
];

/**
 * The catalog as this plugin sees it: AWS accounts, table declarations and
 * teams. Every read takes the credentials to read with, so a request made for
 * a user sees only what the catalog lets that user see.
 */
export class LineageCatalog {
  constructor(
    private readonly catalog: CatalogService,
    private readonly options: {
      defaultRegions: string[];
      configuredAccounts: ConfiguredAccountSource[];
    },
  ) {}

  /** Catalog accounts plus config accounts the catalog does not name (catalog wins). */
  async listAccounts(
    credentials: BackstageCredentials,
  ): Promise<WatchedAccount[]> {
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          kind: 'Resource',
          'spec.type': RESOURCE_TYPE_AWS_ACCOUNT,
          [`metadata.annotations.${ANNOTATION_AWS_ACCOUNT_ID}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: ACCOUNT_FIELDS,
      },
      { credentials },
    );
    const fromCatalog = items.flatMap(entity => this.toAccount(entity) ?? []);
    const known = new Set(fromCatalog.map(a => a.accountId));
    const fromConfig = this.options.configuredAccounts
      .filter(a => !known.has(a.accountId))
      .map(
        (a): WatchedAccount => ({
          accountId: a.accountId,
          regions: a.regions,
          title: a.accountId,
          ...(a.owner ? { owner: normalizeOwner(a.owner) } : {}),
        }),
      );
    return [...fromCatalog, ...fromConfig];
  }

  /** Accounts a team owns, as the caller may see them. */
  async accountsOwnedBy(
    teamRef: string,
    credentials: BackstageCredentials,
  ): Promise<WatchedAccount[]> {
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          kind: 'Resource',
          'spec.type': RESOURCE_TYPE_AWS_ACCOUNT,
          [`relations.${RELATION_OWNED_BY}`]: teamRef,
        },
        fields: ACCOUNT_FIELDS,
      },
      { credentials },
    );
    const fromCatalog = items.flatMap(entity => this.toAccount(entity) ?? []);
    const known = new Set(fromCatalog.map(a => a.accountId));
    const fromConfig = this.options.configuredAccounts
      .filter(
        a =>
          !known.has(a.accountId) &&
          a.owner !== undefined &&
          normalizeOwner(a.owner) === teamRef,
      )
      .map(a => ({
        accountId: a.accountId,
        regions: a.regions,
        title: a.accountId,
        owner: teamRef,
      }));
    return [...fromCatalog, ...fromConfig];
  }

  /**
   * Whether the caller may see an account: a catalog entity the caller may
   * read, or a config entry whose owning team the caller may read (an entry
   * without an owner is visible to every reader of lineage status).
   */
  async findAccount(
    accountId: string,
    credentials: BackstageCredentials,
  ): Promise<WatchedAccount | undefined> {
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          kind: 'Resource',
          'spec.type': RESOURCE_TYPE_AWS_ACCOUNT,
          [`metadata.annotations.${ANNOTATION_AWS_ACCOUNT_ID}`]: accountId,
        },
        fields: ACCOUNT_FIELDS,
      },
      { credentials },
    );
    const entity = items.find(e => this.toAccount(e)?.accountId === accountId);
    if (entity) return this.toAccount(entity);
    const configured = this.options.configuredAccounts.find(
      a => a.accountId === accountId,
    );
    if (!configured) return undefined;
    const owner = configured.owner
      ? normalizeOwner(configured.owner)
      : undefined;
    if (owner && !(await this.getEntity(owner, credentials))) {
      return undefined;
    }
    return {
      accountId,
      regions: configured.regions,
      title: accountId,
      ...(owner ? { owner } : {}),
    };
  }

  /** The subset of `refs` the caller may read in the catalog. */
  async readableRefs(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    if (refs.length === 0) return new Set();
    const { items } = await this.catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials },
    );
    return new Set(
      items.flatMap(entity => (entity ? [stringifyEntityRef(entity)] : [])),
    );
  }

  /** Components declaring tables; all of them, or those a team owns. */
  async listTableDeclarations(
    credentials: BackstageCredentials,
    ownedBy?: string,
  ): Promise<TableDeclaration[]> {
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          kind: 'Component',
          [`metadata.annotations.${ANNOTATION_TABLE_ARNS}`]:
            CATALOG_FILTER_EXISTS,
          ...(ownedBy ? { [`relations.${RELATION_OWNED_BY}`]: ownedBy } : {}),
        },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
          'spec.owner',
          'relations',
        ],
      },
      { credentials },
    );
    return items.map(entity => toTableDeclaration(entity));
  }

  async getEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined> {
    return this.catalog.getEntityByRef(entityRef, { credentials });
  }

  /** Display titles of groups, by entity ref; missing groups are left out. */
  async groupTitles(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, string>> {
    const titles = new Map<string, string>();
    if (refs.length === 0) return titles;
    const { items } = await this.catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'spec.profile',
        ],
      },
      { credentials },
    );
    for (const entity of items) {
      if (entity) titles.set(stringifyEntityRef(entity), groupTitle(entity));
    }
    return titles;
  }

  toAccount(entity: Entity): WatchedAccount | undefined {
    const accountId = entity.metadata.annotations?.[ANNOTATION_AWS_ACCOUNT_ID];
    if (!accountId || !/^\d{12}$/.test(accountId)) return undefined;
    const regions = parseListAnnotation(
      entity.metadata.annotations?.[ANNOTATION_REGIONS],
    );
    const owner = ownerOf(entity);
    return {
      accountId,
      regions: regions.length > 0 ? regions : this.options.defaultRegions,
      entityRef: stringifyEntityRef(entity),
      title: entity.metadata.title ?? entity.metadata.name,
      ...(owner ? { owner } : {}),
    };
  }
}

export function toTableDeclaration(entity: Entity): TableDeclaration {
  const owner = ownerOf(entity);
  return {
    entityRef: stringifyEntityRef(entity),
    ...(owner ? { owner } : {}),
    tableArns: parseListAnnotation(
      entity.metadata.annotations?.[ANNOTATION_TABLE_ARNS],
    ),
  };
}

function normalizeOwner(owner: string): string {
  return stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    }),
  );
}

function groupTitle(entity: Entity): string {
  const profile = entity.spec?.profile as { displayName?: string } | undefined;
  return entity.metadata.title ?? profile?.displayName ?? entity.metadata.name;
}
