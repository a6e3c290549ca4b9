import {
  AwsClientFactory,
  listTableArns,
} from '@lineage/plugin-dynamodb-lineage-node';
import { TableLister } from './AwsLineageService';

/** Table ARNs of an account-region, sorted, from DynamoDB ListTables (all pages). */
export const defaultTableLister: TableLister = async (
  aws: AwsClientFactory,
  accountId: string,
  region: string,
) => {
  const clients = await aws.forAccount(accountId, region);
  return (await listTableArns(clients, { accountId, region })).sort();
};
