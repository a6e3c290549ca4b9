import type { Entity } from '@backstage/catalog-model';
import { lineageTargetOf } from '@lineage/plugin-dynamodb-lineage-common';

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
