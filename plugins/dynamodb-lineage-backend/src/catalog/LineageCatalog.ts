import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  Entity,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_TABLE_ARNS,
  RESOURCE_TYPE_AWS_ACCOUNT,
  parseListAnnotation,
} from '@lineage/plugin-dynamodb-lineage-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AwsAccount,
  ConfiguredAccount,
  accountOfEntity,
  normalizeGroupRef,
  ownerOf,
  resolveAccounts,
} from '@lineage/plugin-dynamodb-lineage-node';

/** A component and the DynamoDB tables it declares. */
export interface TableDeclaration {
  entityRef: string;
  owner?: string;
  tableArns: string[];
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
      configuredAccounts: ConfiguredAccount[];
    },
  ) {}

  /** Catalog accounts plus config accounts the catalog does not name (catalog wins). */
  async listAccounts(credentials: BackstageCredentials): Promise<AwsAccount[]> {
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
    return this.resolve(items, this.options.configuredAccounts);
  }

  /** Accounts a team owns, as the caller may see them. */
  async accountsOwnedBy(
    teamRef: string,
    credentials: BackstageCredentials,
  ): Promise<AwsAccount[]> {
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
    return this.resolve(
      items,
      this.options.configuredAccounts.filter(
        a => a.owner !== undefined && normalizeGroupRef(a.owner) === teamRef,
      ),
    );
  }

  /**
   * Whether the caller may see an account: a catalog entity the caller may
   * read, or a config entry whose owning team the caller may read (an entry
   * without an owner is visible to every reader of lineage status).
   */
  async findAccount(
    accountId: string,
    credentials: BackstageCredentials,
  ): Promise<AwsAccount | undefined> {
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
    const [account] = this.resolve(
      items,
      this.options.configuredAccounts.filter(a => a.accountId === accountId),
    ).filter(a => a.accountId === accountId);
    if (!account || account.entityRef) return account;
    // A config entry: visible when its owning team is, or when it names none.
    if (account.owner && !(await this.getEntity(account.owner, credentials))) {
      return undefined;
    }
    return account;
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

  /** The account an `aws-account` entity describes; undefined when it has no valid account id. */
  toAccount(entity: Entity): AwsAccount | undefined {
    const read = accountOfEntity(entity, this.options.defaultRegions);
    return 'account' in read ? read.account : undefined;
  }

  /** Catalog accounts plus the config entries the catalog does not describe. */
  private resolve(
    entities: Entity[],
    configured: ConfiguredAccount[],
  ): AwsAccount[] {
    return resolveAccounts({
      entities,
      configured,
      defaultRegions: this.options.defaultRegions,
    }).accounts;
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

function groupTitle(entity: Entity): string {
  const profile = entity.spec?.profile as { displayName?: string } | undefined;
  return entity.metadata.title ?? profile?.displayName ?? entity.metadata.name;
}
