import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_TABLE_ARNS,
  ANNOTATION_TRAIL_ARN,
  RESOURCE_TYPE_AWS_ACCOUNT,
  RESOURCE_TYPE_CLOUDTRAIL_TRAIL,
  parseListAnnotation,
} from '@lineage/plugin-dynamodb-lineage-common';

/** What the card shows for an entity, decided from its kind, type and annotations. */
export type LineageTarget =
  | { kind: 'team' }
  | { kind: 'component'; tableArns: string[] }
  | { kind: 'aws-account'; accountId: string }
  | { kind: 'trail'; trailArn: string }
  | { kind: 'missing-annotation'; annotation: string; entityKind: string }
  | { kind: 'unsupported' };

export function lineageTargetOf(entity: Entity): LineageTarget {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  const annotations = entity.metadata.annotations ?? {};
  const specType =
    typeof entity.spec?.type === 'string'
      ? entity.spec.type.toLocaleLowerCase('en-US')
      : undefined;

  if (kind === 'group') return { kind: 'team' };

  if (kind === 'component') {
    const tableArns = parseListAnnotation(annotations[ANNOTATION_TABLE_ARNS]);
    return tableArns.length > 0
      ? { kind: 'component', tableArns }
      : missing(ANNOTATION_TABLE_ARNS, entity);
  }

  if (kind === 'resource' && specType === RESOURCE_TYPE_AWS_ACCOUNT) {
    const accountId = annotations[ANNOTATION_AWS_ACCOUNT_ID]?.trim();
    return accountId
      ? { kind: 'aws-account', accountId }
      : missing(ANNOTATION_AWS_ACCOUNT_ID, entity);
  }

  if (kind === 'resource' && specType === RESOURCE_TYPE_CLOUDTRAIL_TRAIL) {
    const trailArn = annotations[ANNOTATION_TRAIL_ARN]?.trim();
    return trailArn
      ? { kind: 'trail', trailArn }
      : missing(ANNOTATION_TRAIL_ARN, entity);
  }

  return { kind: 'unsupported' };
}

function missing(annotation: string, entity: Entity): LineageTarget {
  return { kind: 'missing-annotation', annotation, entityKind: entity.kind };
}

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
