import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const terraformExamples: TemplateExample[] = [
  {
    description:
      'Render the lineage trail of an account as Terraform in the workspace root',
    example: `steps:
  - id: terraform
    name: Render DynamoDB lineage tracking as Terraform
    action: aws:dynamodb-lineage:terraform
    input:
      accountId: '444444444444'
      region: us-east-1
      owner: group:default/team-analytics
`,
  },
  {
    description:
      'Render chosen tables with a KMS key into a subdirectory, ready for a pull request',
    example: `steps:
  - id: terraform
    name: Render DynamoDB lineage tracking as Terraform
    action: aws:dynamodb-lineage:terraform
    input:
      accountId: '111111111111'
      region: eu-west-1
      owner: group:default/team-payments
      scope:
        mode: tables
        tableArns:
          - arn:aws:dynamodb:eu-west-1:111111111111:table/payments-eu
      kmsKeyId: arn:aws:kms:eu-west-1:111111111111:alias/cloudtrail-logs
      targetPath: terraform/dynamodb-lineage
`,
  },
];
