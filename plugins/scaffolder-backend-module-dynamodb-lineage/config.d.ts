export interface Config {
  dynamodbLineage?: {
    aws?: {
      /**
       * Provision role: the IAM role the `aws:dynamodb-lineage:provision` action assumes in
       * the target account (policies `docs/iam/dynamodb-lineage-provision*.json`), from the
       * credentials of `aws.mainAccount`, with the account's or `aws.accountDefaults`'
       * `externalId` and `partition`. Unset: the `aws` block decides (`aws.accounts`, then
       * `aws.accountDefaults.roleName`).
       */
      provisionRoleName?: string;
    };
  };
}
