import { NotImplementedError } from '@backstage/errors';
import { AwsClients, partitionOf } from '@lineage/plugin-dynamodb-lineage-node';
import { TableLister } from './DefaultLineageStatusService';

/** Every table name of the clients' account-region (DynamoDB ListTables, all pages). */
export type ListTableNames = (clients: AwsClients) => Promise<string[]>;

/** Table ARNs of an account-region, sorted, from a ListTables reader. */
export function tableListerFrom(listTableNames: ListTableNames): TableLister {
  return async (aws, accountId, region) => {
    const clients = await aws.forAccount(accountId, region);
    const names = await listTableNames(clients);
    return names
      .map(
        name =>
          `arn:${partitionOf(
            region,
          )}:dynamodb:${region}:${accountId}:table/${name}`,
      )
      .sort();
  };
}

/**
 * AWS calls live in the node library, which does not export a ListTables
 * reader yet; until it does, `/tables` says so (501) instead of guessing.
 */
const listTableNamesMissing: ListTableNames = async () => {
  throw new NotImplementedError(
    'Listing DynamoDB tables needs a ListTables reader from @lineage/plugin-dynamodb-lineage-node',
  );
};

export const defaultTableLister = tableListerFrom(listTableNamesMissing);
