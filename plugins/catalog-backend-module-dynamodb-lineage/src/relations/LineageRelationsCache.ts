import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  LineageRelation,
  validateTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';

/** The backend plugin that serves `GET /lineage/relations`. */
export const LINEAGE_PLUGIN_ID = 'dynamodb-lineage';

export interface LineageRelationsCacheOptions {
  auth: AuthService;
  discovery: DiscoveryService;
  logger: LoggerService;
  /** The `days` of the relations request. */
  windowDays: number;
  /** Bounds one request; an unanswered request keeps the last set. Default 30 s. */
  requestTimeoutMs?: number;
}

/**
 * The observed data-flow relations of every mapped entity, read from the
 * lineage backend as one set and kept in memory, so catalog processing asks
 * the memory, never the backend, for each entity. {@link reload} replaces the
 * set; when the backend does not answer, the last set stays and the failure is
 * logged.
 */
export class LineageRelationsCache {
  private byEntity = new Map<string, LineageRelation[]>();
  private loaded = false;

  constructor(private readonly options: LineageRelationsCacheOptions) {}

  /** The relations of one entity (its ref in any case); empty until the first load. */
  relationsOf(entityRef: string): LineageRelation[] {
    return this.byEntity.get(refKey(entityRef)) ?? [];
  }

  /** Whether a set was ever loaded. */
  hasLoaded(): boolean {
    return this.loaded;
  }

  /** Reads the whole set again; true when it was replaced. */
  async reload(): Promise<boolean> {
    const { auth, discovery, logger, windowDays } = this.options;
    let body: unknown;
    try {
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: LINEAGE_PLUGIN_ID,
      });
      const baseUrl = await discovery.getBaseUrl(LINEAGE_PLUGIN_ID);
      const response = await fetch(
        `${baseUrl}/lineage/relations?days=${windowDays}`,
        {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000),
        },
      );
      if (!response.ok) {
        throw new Error(
          `GET /lineage/relations answered ${response.status}: ${(
            await response.text()
          ).slice(0, 200)}`,
        );
      }
      body = await response.json();
    } catch (error) {
      logger.warn(
        `Could not read the data-flow relations from the ${LINEAGE_PLUGIN_ID} backend (${errorText(
          error,
        )}); keeping ${
          this.loaded ? 'the last set' : 'none (no set was read yet)'
        }`,
      );
      return false;
    }

    const relations = (body as { relations?: unknown })?.relations;
    if (!Array.isArray(relations)) {
      logger.warn(
        `The ${LINEAGE_PLUGIN_ID} backend answered GET /lineage/relations without a relations list; keeping the last set`,
      );
      return false;
    }
    const byEntity = new Map<string, LineageRelation[]>();
    let malformed = 0;
    for (const relation of relations) {
      if (!isRelation(relation)) {
        malformed++;
        continue;
      }
      const key = refKey(relation.entityRef);
      byEntity.set(key, [...(byEntity.get(key) ?? []), relation]);
    }
    if (malformed > 0) {
      logger.warn(
        `Ignored ${malformed} of ${relations.length} data-flow relations from the ${LINEAGE_PLUGIN_ID} backend: not an entity ref, table ARN and read or write access`,
      );
    }
    this.byEntity = byEntity;
    this.loaded = true;
    logger.debug(
      `Read ${relations.length - malformed} data-flow relations of ${
        byEntity.size
      } entities`,
    );
    return true;
  }
}

/** Entity refs compare case-insensitively in the catalog. */
function refKey(entityRef: string): string {
  return entityRef.toLocaleLowerCase('en-US');
}

function isRelation(value: unknown): value is LineageRelation {
  const relation = value as Partial<LineageRelation> | null;
  return (
    typeof relation === 'object' &&
    relation !== null &&
    typeof relation.entityRef === 'string' &&
    relation.entityRef.length > 0 &&
    typeof relation.tableArn === 'string' &&
    validateTableArn(relation.tableArn) === undefined &&
    (relation.tableEntityRef === undefined ||
      typeof relation.tableEntityRef === 'string') &&
    (relation.access === 'read' || relation.access === 'write')
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
