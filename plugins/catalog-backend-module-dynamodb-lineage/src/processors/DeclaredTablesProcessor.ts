import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  getCompoundEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_TABLE_ARNS,
  parseListAnnotation,
  RESOURCE_TYPE_DYNAMODB_TABLE,
  validateTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import { tableEntityRef } from '../tables/tableEntity';
import { emitRelationPair } from './relationPair';

/**
 * A Component or Resource that declares tables (`dynamodb-lineage/table-arns`)
 * `dependsOn` their `dynamodb-table` Resources, which are `dependencyOf` it.
 * Values that are not table ARNs are ignored with a warning; the table
 * Resources themselves carry their own ARN and get no relation to themselves.
 */
export class DeclaredTablesProcessor implements CatalogProcessor {
  constructor(private readonly options: { logger: LoggerService }) {}

  getProcessorName(): string {
    return 'DynamoDbLineageDeclaredTablesProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!declaresTables(entity)) return entity;
    const source = getCompoundEntityRef(entity);
    const values = parseListAnnotation(
      entity.metadata.annotations?.[ANNOTATION_TABLE_ARNS],
    );
    for (const arn of new Set(values)) {
      const problem = validateTableArn(arn);
      if (problem) {
        this.options.logger.warn(
          `${stringifyEntityRef(
            entity,
          )}: ignoring a value of ${ANNOTATION_TABLE_ARNS}: ${problem}`,
        );
        continue;
      }
      emitRelationPair(
        emit,
        source,
        RELATION_DEPENDS_ON,
        tableEntityRef(arn),
        RELATION_DEPENDENCY_OF,
      );
    }
    return entity;
  }
}

function declaresTables(entity: Entity): boolean {
  if (!entity.metadata.annotations?.[ANNOTATION_TABLE_ARNS]) return false;
  if (entity.kind === 'Component') return true;
  return (
    entity.kind === 'Resource' &&
    entity.spec?.type !== RESOURCE_TYPE_DYNAMODB_TABLE
  );
}
