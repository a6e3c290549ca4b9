import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  DEFAULT_NAMESPACE,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_TABLE_ARNS,
  parseTableArn,
  RESOURCE_TYPE_DYNAMODB_TABLE,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AwsAccount } from '@lineage/plugin-dynamodb-lineage-node';
import { awsResourceEntityName } from '../entityName';
import { consoleHost, UNKNOWN_OWNER } from '../provider/trailEntity';

/** Name of the table provider; also the location type of what it emits. */
export const TABLE_PROVIDER_NAME = 'dynamodb-lineage-tables';

/** `dynamodb-lineage-tables:<table ARN>`, the managed-by location of a table entity. */
export function tableLocationRef(tableArn: string): string {
  return `${TABLE_PROVIDER_NAME}:${tableArn}`;
}

/**
 * The entity name of a table: `<account>-<region>-<table name>`, lowercased,
 * with a hash of the ARN when that had to be altered. Computed from the ARN
 * alone, so relations can name a table's entity without looking it up.
 * Throws when `tableArn` is not a table ARN.
 */
export function tableEntityName(tableArn: string): string {
  const { accountId, region, tableName } = parseTableArn(tableArn);
  return awsResourceEntityName(
    { accountId, region, name: tableName },
    tableArn,
  );
}

/** `resource:default/<table entity name>`; throws when `tableArn` is not a table ARN. */
export function tableEntityRef(tableArn: string): string {
  return stringifyEntityRef({
    kind: 'Resource',
    namespace: DEFAULT_NAMESPACE,
    name: tableEntityName(tableArn),
  });
}

/**
 * The catalog `Resource` for one DynamoDB table: owned by the owner of its
 * account, `dependsOn` the account's `aws-account` Resource when the catalog
 * has one.
 */
export function toTableEntity(tableArn: string, account: AwsAccount): Entity {
  const { region, accountId, tableName } = parseTableArn(tableArn);
  const location = tableLocationRef(tableArn);
  const accountName =
    account.title && account.title !== accountId
      ? `${account.title} (${accountId})`
      : accountId;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: tableEntityName(tableArn),
      title: tableName,
      description: `DynamoDB table in AWS account ${accountName}, region ${region}.`,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [ANNOTATION_TABLE_ARNS]: tableArn,
        [ANNOTATION_AWS_ACCOUNT_ID]: accountId,
      },
      links: [
        {
          url: `https://${encodeURIComponent(region)}.${consoleHost(
            tableArn,
          )}/dynamodbv2/home?region=${encodeURIComponent(
            region,
          )}#table?name=${encodeURIComponent(tableName)}`,
          title: 'DynamoDB console',
          type: 'aws-console',
        },
      ],
    },
    spec: {
      type: RESOURCE_TYPE_DYNAMODB_TABLE,
      owner: account.owner ?? UNKNOWN_OWNER,
      ...(account.entityRef ? { dependsOn: [account.entityRef] } : {}),
    },
  };
}
