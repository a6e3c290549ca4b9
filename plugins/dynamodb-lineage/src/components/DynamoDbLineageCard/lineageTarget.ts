import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_IAM_ROLE_ARNS,
  lineageTargetOf,
  RESOURCE_TYPE_DYNAMODB_TABLE,
} from '@lineage/plugin-dynamodb-lineage-common';

/**
 * Whether the DynamoDB lineage card has something to show for this entity:
 * a Group, a Component declaring its tables, an `aws-account` Resource with
 * its account id, or a `cloudtrail-trail` Resource with its ARN. For
 * `EntitySwitch` in the legacy frontend system.
 *
 * @public
 */
export function isDynamoDbLineageAvailable(entity: Entity): boolean {
  const target = lineageTargetOf(entity);
  return target.kind !== 'missing-annotation' && target.kind !== 'unsupported';
}

/**
 * Whether the entity is one data lineage is about: a Component, a
 * `dynamodb-table` Resource, or any entity that maps IAM roles to itself
 * (`dynamodb-lineage/iam-role-arns`). Decides where the data lineage card
 * and other data-flow cards show.
 *
 * @public
 */
export function isDataLineageAvailable(entity: Entity): boolean {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  if (kind === 'component') return true;
  if (kind === 'resource' && entity.spec?.type === RESOURCE_TYPE_DYNAMODB_TABLE)
    return true;
  return ANNOTATION_IAM_ROLE_ARNS in (entity.metadata.annotations ?? {});
}
