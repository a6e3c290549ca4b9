import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_TABLE_ARNS,
  ANNOTATION_TRAIL_ARN,
  RESOURCE_TYPE_AWS_ACCOUNT,
  RESOURCE_TYPE_CLOUDTRAIL_TRAIL,
  parseListAnnotation,
} from './annotations';

/** The parts of a catalog entity that decide what lineage it stands for. */
export interface LineageEntity {
  kind: string;
  metadata: { annotations?: Record<string, string> };
  spec?: { [key: string]: unknown };
}

/**
 * What lineage an entity stands for: a team (Group), a component with the
 * tables it declares, an AWS account (`aws-account` Resource) or a trail
 * (`cloudtrail-trail` Resource); an entity of one of these kinds without the
 * annotation it needs, or any other entity, stands for none.
 */
export type LineageTarget =
  | { kind: 'team' }
  | { kind: 'component'; tableArns: string[] }
  | { kind: 'aws-account'; accountId: string }
  | { kind: 'trail'; trailArn: string }
  | { kind: 'missing-annotation'; annotation: string; entityKind: string }
  | { kind: 'unsupported' };

/** The entities lineage has a view of, for messages. */
export const LINEAGE_ENTITIES_DESCRIPTION = `a Group, a Component, or a Resource of type ${RESOURCE_TYPE_AWS_ACCOUNT} or ${RESOURCE_TYPE_CLOUDTRAIL_TRAIL}`;

/** Classifies an entity by its kind, `spec.type` and annotations. */
export function lineageTargetOf(entity: LineageEntity): LineageTarget {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  const annotations = entity.metadata.annotations ?? {};
  const specType =
    typeof entity.spec?.type === 'string'
      ? entity.spec.type.toLocaleLowerCase('en-US')
      : undefined;
  const missing = (annotation: string): LineageTarget => ({
    kind: 'missing-annotation',
    annotation,
    entityKind: entity.kind,
  });

  if (kind === 'group') return { kind: 'team' };

  if (kind === 'component') {
    const tableArns = parseListAnnotation(annotations[ANNOTATION_TABLE_ARNS]);
    return tableArns.length > 0
      ? { kind: 'component', tableArns }
      : missing(ANNOTATION_TABLE_ARNS);
  }

  if (kind === 'resource' && specType === RESOURCE_TYPE_AWS_ACCOUNT) {
    const accountId = annotations[ANNOTATION_AWS_ACCOUNT_ID]?.trim();
    return accountId
      ? { kind: 'aws-account', accountId }
      : missing(ANNOTATION_AWS_ACCOUNT_ID);
  }

  if (kind === 'resource' && specType === RESOURCE_TYPE_CLOUDTRAIL_TRAIL) {
    const trailArn = annotations[ANNOTATION_TRAIL_ARN]?.trim();
    return trailArn
      ? { kind: 'trail', trailArn }
      : missing(ANNOTATION_TRAIL_ARN);
  }

  return { kind: 'unsupported' };
}
