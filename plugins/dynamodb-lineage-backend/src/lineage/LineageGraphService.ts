import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_IAM_ROLE_ARNS,
  ANNOTATION_TABLE_ARNS,
  LineageGraph,
  LineageGraphRoot,
  LineageIngestionLag,
  LineageRelations,
  RESOURCE_TYPE_DYNAMODB_TABLE,
  TableActivity,
  parseListAnnotation,
  parseTableArn,
  tryParseTableArn,
  validateTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import { LineageCatalog } from '../catalog/LineageCatalog';
import { IngestionState, LineageEdgeStore } from '../store/LineageEdgeStore';
import {
  LineageDirectory,
  buildLineageDirectory,
  isDynamoDbTableResource,
} from './directory';
import { buildLineageGraph } from './graph';
import { RefVisibility, compare, lineageWindow } from './links';
import { buildLineageRelations } from './relations';
import { buildTableActivity } from './tableActivity';

const DIRECTORY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.type',
];

/**
 * Stored lineage as the API serves it. The directory of principals, tables
 * and accounts is read with the plugin's own credentials so that a principal
 * an entity hidden from the caller claims is known as claimed; what the
 * answer names is then limited to the entities the caller may read.
 */
export class LineageGraphService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      lineageCatalog: LineageCatalog;
      auth: AuthService;
      edges: Pick<
        LineageEdgeStore,
        'readEdges' | 'readEdgeTotals' | 'ingestionState'
      >;
      now?: () => Date;
    },
  ) {}

  /** Throws `NotFoundError` when the root entity, or the root table's account, is unknown or hidden. */
  async getGraph(
    query: {
      entityRef?: string;
      tableArn?: string;
      days: number;
      depth: number;
    },
    credentials: BackstageCredentials,
  ): Promise<LineageGraph> {
    let root: LineageGraphRoot;
    let rootTitle: string | undefined;
    if (query.entityRef !== undefined) {
      const entity = await this.options.catalog.getEntityByRef(
        query.entityRef,
        { credentials },
      );
      if (!entity) throw new NotFoundError(`No entity ${query.entityRef}`);
      // A table's Resource stands for the table: its flow is the table's.
      const [tableArn] = isDynamoDbTableResource(entity)
        ? parseListAnnotation(
            entity.metadata.annotations?.[ANNOTATION_TABLE_ARNS],
          ).filter(arn => !validateTableArn(arn))
        : [];
      root = tableArn
        ? { tableArn }
        : { entityRef: stringifyEntityRef(entity) };
      rootTitle = entity.metadata.title ?? entity.metadata.name;
    } else {
      await this.requireVisibleTable(query.tableArn!, credentials);
      root = { tableArn: query.tableArn! };
    }
    const window = lineageWindow(query.days, this.now());
    const [{ directory, visible }, edges, states] = await Promise.all([
      this.directoryFor(credentials),
      // The walk needs no days: the database sums them.
      this.options.edges.readEdgeTotals({ from: window.from, to: window.to }),
      this.options.edges.ingestionState(),
    ]);
    const graph = buildLineageGraph({
      edges,
      directory,
      visible,
      root,
      ...(rootTitle ? { rootTitle } : {}),
      depth: query.depth,
      window,
      ingestion: { sources: [] },
    });
    const tables = graph.nodes.flatMap(n =>
      n.kind === 'table' ? [n.tableArn] : [],
    );
    graph.ingestion = ingestionOf(tables, states);
    return graph;
  }

  /** Throws `NotFoundError` when the table's account is unknown or hidden. */
  async getTableActivity(
    query: { tableArn: string; days: number },
    credentials: BackstageCredentials,
  ): Promise<TableActivity> {
    await this.requireVisibleTable(query.tableArn, credentials);
    const window = lineageWindow(query.days, this.now());
    const [{ directory, visible }, edges, states] = await Promise.all([
      this.directoryFor(credentials),
      this.options.edges.readEdges({
        from: window.from,
        to: window.to,
        tableArns: [query.tableArn],
      }),
      this.options.edges.ingestionState(),
    ]);
    const ingestion = ingestionOf([query.tableArn], states);
    return buildTableActivity({
      tableArn: query.tableArn,
      edges,
      directory,
      visible,
      window,
      ingestion,
    });
  }

  async getRelations(
    query: { days: number },
    credentials: BackstageCredentials,
  ): Promise<LineageRelations> {
    const window = lineageWindow(query.days, this.now());
    const { directory, visible } = await this.directoryFor(credentials);
    const principals = [...directory.entityOfPrincipal.keys()];
    const edges =
      principals.length === 0
        ? []
        : await this.options.edges.readEdgeTotals({
            from: window.from,
            to: window.to,
            principals,
          });
    return buildLineageRelations({ edges, directory, visible, window });
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** A table is the caller's to look at when its account is. */
  private async requireVisibleTable(
    tableArn: string,
    credentials: BackstageCredentials,
  ) {
    const { accountId } = parseTableArn(tableArn);
    const account = await this.options.lineageCatalog.findAccount(
      accountId,
      credentials,
    );
    if (!account) {
      throw new NotFoundError(
        `Account ${accountId} of ${tableArn} is not known or not visible to you`,
      );
    }
  }

  private async directoryFor(
    credentials: BackstageCredentials,
  ): Promise<{ directory: LineageDirectory; visible: RefVisibility }> {
    const own = await this.options.auth.getOwnServiceCredentials();
    const [{ items }, accounts] = await Promise.all([
      this.options.catalog.getEntities(
        {
          filter: [
            {
              kind: ['Component', 'Resource'],
              [`metadata.annotations.${ANNOTATION_IAM_ROLE_ARNS}`]:
                CATALOG_FILTER_EXISTS,
            },
            {
              kind: 'Component',
              [`metadata.annotations.${ANNOTATION_TABLE_ARNS}`]:
                CATALOG_FILTER_EXISTS,
            },
            { kind: 'Resource', 'spec.type': RESOURCE_TYPE_DYNAMODB_TABLE },
          ],
          fields: DIRECTORY_FIELDS,
        },
        { credentials: own },
      ),
      this.options.lineageCatalog.listAccounts(own),
    ]);
    const directory = buildLineageDirectory({ entities: items, accounts });
    const refs = new Set<string>([
      ...directory.entities.keys(),
      ...[...directory.tables.values()].map(t => t.entityRef),
    ]);
    for (const account of accounts) {
      if (account.entityRef) refs.add(account.entityRef);
      if (account.owner) refs.add(account.owner);
    }
    const readable = await this.options.lineageCatalog.readableRefs(
      [...refs],
      credentials,
    );
    return { directory, visible: ref => readable.has(ref) };
  }
}

/** The ingestion positions of the account-regions the tables are in. */
function ingestionOf(
  tableArns: string[],
  states: IngestionState[],
): LineageIngestionLag {
  const wanted = new Set(
    tableArns.flatMap(arn => {
      const parts = tryParseTableArn(arn);
      return parts ? [`${parts.accountId}/${parts.region}`] : [];
    }),
  );
  const sources = states
    .filter(s => wanted.has(`${s.accountId}/${s.region}`))
    .map(s => ({
      trailArn: s.trailArn,
      accountId: s.accountId,
      region: s.region,
      ...(s.ingestedThrough ? { ingestedThrough: s.ingestedThrough } : {}),
      ...(s.newestDelivered ? { newestDelivered: s.newestDelivered } : {}),
      ...(s.lagMinutes !== undefined ? { lagMinutes: s.lagMinutes } : {}),
    }))
    .sort(
      (a, b) =>
        compare(a.trailArn, b.trailArn) ||
        compare(a.accountId, b.accountId) ||
        compare(a.region, b.region),
    );
  const positions = sources.flatMap(s =>
    s.ingestedThrough ? [s.ingestedThrough] : [],
  );
  const lags = sources.flatMap(s =>
    s.lagMinutes !== undefined ? [s.lagMinutes] : [],
  );
  return {
    ...(positions.length ? { ingestedThrough: positions.sort()[0] } : {}),
    ...(lags.length ? { lagMinutes: Math.max(...lags) } : {}),
    sources,
  };
}
