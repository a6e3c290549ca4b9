/**
 * Scaffolder actions that provision DynamoDB lineage tracking (a CloudTrail
 * trail logging DynamoDB data events to a hardened S3 bucket) or render it as
 * Terraform.
 *
 * @packageDocumentation
 */

export { scaffolderModuleDynamoDbLineage as default } from './module';
export {
  createDynamoDbLineageProvisionAction,
  PROVISION_ACTION_ID,
  type ProvisionActionOptions,
} from './actions/provision';
export {
  createDynamoDbLineageTerraformAction,
  TERRAFORM_ACTION_ID,
} from './actions/terraform';
