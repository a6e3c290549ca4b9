import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import {
  LineageRelation,
  RELATION_READ_BY,
  RELATION_READS_FROM,
  RELATION_WRITES_TO,
  RELATION_WRITTEN_BY,
} from '@lineage/plugin-dynamodb-lineage-common';
import { tableEntityRef } from '../tables/tableEntity';
import { emitRelationPair } from './relationPair';

/** Where the processor reads the relations of an entity; the cache answers from memory. */
export interface DataFlowRelations {
  relationsOf(entityRef: string): LineageRelation[];
}

const PAIRS = {
  write: [RELATION_WRITES_TO, RELATION_WRITTEN_BY],
  read: [RELATION_READS_FROM, RELATION_READ_BY],
} as const;

/**
 * Observed data flow as catalog relations: an entity whose principals wrote a
 * table `writesTo` its `dynamodb-table` Resource (`writtenBy` the entity); one
 * that read it `readsFrom` it (`readBy` the entity). The relations come from
 * memory ({@link DataFlowRelations}), filled from the lineage backend on a
 * schedule, so processing an entity makes no call.
 */
export class DataFlowProcessor implements CatalogProcessor {
  constructor(
    private readonly options: {
      relations: DataFlowRelations;
      logger: LoggerService;
    },
  ) {}

  getProcessorName(): string {
    return 'DynamoDbLineageDataFlowProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const ref = stringifyEntityRef(entity);
    const relations = this.options.relations.relationsOf(ref);
    if (relations.length === 0) return entity;
    const source = getCompoundEntityRef(entity);
    const emitted = new Set<string>();
    for (const relation of relations) {
      let table: string;
      try {
        table = relation.tableEntityRef ?? tableEntityRef(relation.tableArn);
        const [type, inverse] = PAIRS[relation.access];
        const key = `${type} ${table}`;
        if (emitted.has(key)) continue;
        emitted.add(key);
        emitRelationPair(emit, source, type, table, inverse);
      } catch (error) {
        this.options.logger.warn(
          `${ref}: ignoring the observed ${relation.access} of ${
            relation.tableArn
          }: ${(error as Error).message}`,
        );
      }
    }
    return entity;
  }
}
