import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_IAM_ROLE_ARNS,
  ANNOTATION_TABLE_ARNS,
  InvalidAnnotationFinding,
  RESOURCE_TYPE_DYNAMODB_TABLE,
  normalizeForensicsPrincipal,
  parseListAnnotation,
  principalProblem,
  validateTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AwsAccount } from '@lineage/plugin-dynamodb-lineage-node';

/** A Component or Resource that lineage names instead of its principals. */
export interface DirectoryEntity {
  entityRef: string;
  title: string;
  /** Lower-case kind, e.g. `component`. */
  kind: string;
  /** Normalised principal ARNs its annotation maps to it. */
  principals: string[];
  /**
   * Tables it declares; `undefined` when it makes no declaration and is not
   * a Component (so no governance finding is made about it).
   */
  declaredTables?: Set<string>;
}

/** A `dynamodb-table` Resource. */
export interface DirectoryTable {
  entityRef: string;
  title: string;
}

/**
 * Who is who for lineage: principals → entities, table ARNs → table
 * Resources, account ids → accounts, with what was wrong in the annotations.
 */
export interface LineageDirectory {
  entityOfPrincipal: Map<string, string>;
  entities: Map<string, DirectoryEntity>;
  tables: Map<string, DirectoryTable>;
  accounts: Map<string, AwsAccount>;
  problems: InvalidAnnotationFinding[];
}

/**
 * The principal an annotation value names, in the form lineage stores
 * principals (an assumed-role session stands for its role), or why it names
 * none.
 */
export function principalOfAnnotationValue(
  value: string,
): { principal: string } | { problem: string } {
  const problem = principalProblem(value);
  return problem
    ? { problem: `"${value}" ${problem}` }
    : { principal: normalizeForensicsPrincipal(value) };
}

function titleOf(entity: Entity): string {
  return entity.metadata.title ?? entity.metadata.name;
}

/** A `dynamodb-table` Resource. */
export function isDynamoDbTableResource(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    typeof entity.spec?.type === 'string' &&
    entity.spec.type.toLocaleLowerCase('en-US') === RESOURCE_TYPE_DYNAMODB_TABLE
  );
}

/**
 * Builds the directory from catalog entities (Components and Resources with
 * the role annotation, Components declaring tables, `dynamodb-table`
 * Resources) and the resolved accounts. Of two entities claiming one
 * principal, or one table, the first by entity ref wins and the other is
 * reported.
 */
export function buildLineageDirectory(options: {
  entities: Entity[];
  accounts: AwsAccount[];
}): LineageDirectory {
  const directory: LineageDirectory = {
    entityOfPrincipal: new Map(),
    entities: new Map(),
    tables: new Map(),
    accounts: new Map(options.accounts.map(a => [a.accountId, a])),
    problems: [],
  };
  const sorted = options.entities
    .map(entity => ({ entity, ref: stringifyEntityRef(entity) }))
    .sort((a, b) => a.ref.localeCompare(b.ref));

  for (const { entity, ref } of sorted) {
    const annotations = entity.metadata.annotations ?? {};
    const kind = entity.kind.toLocaleLowerCase('en-US');
    const problem = (annotation: string, value: string, message: string) =>
      directory.problems.push({
        kind: 'invalid-annotation',
        entityRef: ref,
        annotation,
        value,
        message: `${ref}: ${annotation}: ${message}`,
      });

    const tableArns = parseListAnnotation(annotations[ANNOTATION_TABLE_ARNS]);
    const validTables = tableArns.filter(arn => {
      const reason = validateTableArn(arn);
      if (reason) problem(ANNOTATION_TABLE_ARNS, arn, reason);
      return !reason;
    });

    if (isDynamoDbTableResource(entity)) {
      for (const arn of validTables) {
        const existing = directory.tables.get(arn);
        if (existing) {
          problem(
            ANNOTATION_TABLE_ARNS,
            arn,
            `table ${arn} is already ${existing.entityRef}`,
          );
        } else {
          directory.tables.set(arn, { entityRef: ref, title: titleOf(entity) });
        }
      }
      continue;
    }
    if (kind !== 'component' && kind !== 'resource') continue;

    const principals: string[] = [];
    for (const value of parseListAnnotation(
      annotations[ANNOTATION_IAM_ROLE_ARNS],
    )) {
      const read = principalOfAnnotationValue(value);
      if ('problem' in read) {
        problem(ANNOTATION_IAM_ROLE_ARNS, value, read.problem);
        continue;
      }
      const owner = directory.entityOfPrincipal.get(read.principal);
      if (owner && owner !== ref) {
        problem(
          ANNOTATION_IAM_ROLE_ARNS,
          value,
          `${read.principal} is already mapped to ${owner}`,
        );
        continue;
      }
      directory.entityOfPrincipal.set(read.principal, ref);
      if (!principals.includes(read.principal)) principals.push(read.principal);
    }
    const declares = ANNOTATION_TABLE_ARNS in annotations;
    if (principals.length === 0 && !declares) continue;
    directory.entities.set(ref, {
      entityRef: ref,
      title: titleOf(entity),
      kind,
      principals,
      ...(declares || kind === 'component'
        ? { declaredTables: new Set(validTables) }
        : {}),
    });
  }
  return directory;
}
